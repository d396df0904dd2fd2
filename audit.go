package sankofa

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// AuditAction names what an audit entry records.
type AuditAction string

// The audited actions. Exports, erasures and verification decisions are
// named for the parts of issue 11 that record them.
const (
	AuditSignIn           AuditAction = "auth.signin"
	AuditSignInFailed     AuditAction = "auth.signin_failed"
	AuditAccountApproved  AuditAction = "account.approved"
	AuditAccountSuspended AuditAction = "account.suspended"
	AuditContactRevealed  AuditAction = "contact.revealed"
	AuditProfileRead      AuditAction = "profile.read"
	AuditVerification     AuditAction = "verification.decided"
	AuditExport           AuditAction = "data.exported"
	AuditErasure          AuditAction = "account.erased"
	// AuditSafeguards: an admin changed the WHO safeguards list or its
	// agreements; the object is "list" or the agreement's id.
	AuditSafeguards AuditAction = "safeguards.changed"
)

// AuditActions lists every action, for validation and the console.
var AuditActions = []AuditAction{AuditSignIn, AuditSignInFailed, AuditAccountApproved, AuditAccountSuspended,
	AuditContactRevealed, AuditProfileRead, AuditVerification, AuditExport, AuditErasure, AuditSafeguards}

// ValidAuditAction reports whether a is a known action.
func ValidAuditAction(a AuditAction) bool {
	for _, x := range AuditActions {
		if x == a {
			return true
		}
	}
	return false
}

// AuditEntry is one line of the append-only audit trail: who did what to
// whom, when, from where. It never holds a password, a token or, for a
// failed sign-in, the e-mail address typed (see EmailHash).
type AuditEntry struct {
	ID string    `json:"id" bson:"_id"`
	At time.Time `json:"at" bson:"at"`
	// ActorID is the account that acted; empty for a failed sign-in.
	ActorID string      `json:"actor_id,omitempty" bson:"actor_id,omitempty"`
	Action  AuditAction `json:"action" bson:"action"`
	// SubjectID is the account the action is about: the one signed in (or
	// tried), approved, suspended, whose contact or profile was shown.
	SubjectID string `json:"subject_id,omitempty" bson:"subject_id,omitempty"`
	// ObjectID is the thing acted on, such as a profile or an offer id.
	ObjectID string `json:"object_id,omitempty" bson:"object_id,omitempty"`
	// EmailHash, on a failed sign-in, is AuditEmailHash of the address
	// typed: repeated attempts on one address can be told apart without
	// keeping the text, which may be someone else's address mistyped or a
	// password typed into the wrong field.
	EmailHash string `json:"email_hash,omitempty" bson:"email_hash,omitempty"`
	IP        string `json:"ip,omitempty" bson:"ip,omitempty"`
	UserAgent string `json:"user_agent,omitempty" bson:"user_agent,omitempty"`
	RequestID string `json:"request_id,omitempty" bson:"request_id,omitempty"`
}

// AuditUserAgentMax caps the user agent kept, in bytes.
const AuditUserAgentMax = 256

// NewAuditID returns a time-ordered id for an entry made at t: the
// nanoseconds since 1970 as 16 hex digits, then 32 random bits, so that ids
// sort by time as strings and a cursor or a retention cut is an id bound.
func NewAuditID(t time.Time) string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return AuditIDAt(t) + hex.EncodeToString(b[:])
}

// AuditIDAt is the smallest id of an entry made at t.
func AuditIDAt(t time.Time) string {
	n := t.UnixNano()
	if n < 0 {
		n = 0
	}
	return fmt.Sprintf("aud_%016x", n)
}

// AuditEmailHash is the hash a failed sign-in keeps of the e-mail typed.
func AuditEmailHash(email string) string {
	sum := sha256.Sum256([]byte("sankofa-audit\x00" + NormalizeEmail(email)))
	return hex.EncodeToString(sum[:16])
}

// TruncateUserAgent cuts a user agent to AuditUserAgentMax bytes on a rune
// boundary.
func TruncateUserAgent(ua string) string {
	if len(ua) <= AuditUserAgentMax {
		return ua
	}
	ua = ua[:AuditUserAgentMax]
	return strings.ToValidUTF8(ua, "")
}

// AuditFilter selects audit entries, newest first.
type AuditFilter struct {
	ActorID   string
	SubjectID string
	Action    AuditAction
	Since     time.Time // inclusive; zero: no bound
	Until     time.Time // exclusive; zero: no bound
	Cursor    string    // the last id of the previous page
	Limit     int
}

// AuditPage is a page of entries and the cursor of the next, if any.
type AuditPage struct {
	Items      []AuditEntry
	NextCursor string
}
