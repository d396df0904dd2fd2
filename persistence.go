package sankofa

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
)

// PendingEvent is an event committed together with its entity that may not
// have been published yet. The store records it in an outbox; whoever
// publishes it acknowledges it by ID.
type PendingEvent struct {
	// ID identifies the outbox entry.
	ID    string
	Event Event
	// Current is the entity as stored now (*Account, *Profile or
	// *Assignment), or nil when it was deleted.
	Current any
}

// Session is a family of refresh tokens from one sign-in. Only its newest
// token is valid; presenting an older one means the family leaked, and
// revokes it.
type Session struct {
	ID        string    `bson:"_id"`
	AccountID string    `bson:"account_id"`
	TokenHash string    `bson:"token_hash"`
	Revoked   bool      `bson:"revoked"`
	ExpiresAt time.Time `bson:"expires_at"`
	CreatedAt time.Time `bson:"created_at"`
	// Device is the user agent of the sign-in or of the latest refresh,
	// cut like an audit entry's (TruncateUserAgent), so that a person can
	// tell their sessions apart in their export.
	Device string `bson:"device,omitempty"`
	// LastUsedAt is the time of the sign-in or of the latest refresh.
	LastUsedAt time.Time `bson:"last_used_at,omitempty"`
	Version    int64     `bson:"version"`
}

// SessionUse is what a refresh records on its session besides the new
// token: when the new token expires, and the device and time of the use.
type SessionUse struct {
	Expires time.Time
	Device  string
	At      time.Time
}

// Replay is the response recorded under an idempotency key.
type Replay struct {
	Key         string            `bson:"_id"`
	RequestHash string            `bson:"request_hash"`
	Done        bool              `bson:"done"`
	Status      int               `bson:"status"`
	Headers     map[string]string `bson:"headers"`
	Body        []byte            `bson:"body"`
	CreatedAt   time.Time         `bson:"created_at"`
}

// IdempotencyTTL is how long an idempotency key replays its response.
const IdempotencyTTL = 24 * time.Hour

// ProfileIDFor returns the id of an account's one profile. Deriving it
// makes "the caller's profile" a lookup by _id and rules out duplicates.
func ProfileIDFor(accountID string) string {
	return "pro_" + strings.TrimPrefix(accountID, "acc_")
}

// Page is one page of ids in list order.
type Page struct {
	IDs        []string
	NextCursor string
	Total      uint64
}

// MaxPageSize caps the limit of a list request.
const MaxPageSize = 100

// AccountFilter selects accounts for the admin list; empty fields match
// everything.
type AccountFilter struct {
	Role   Role
	Status AccountStatus
	// Query, when set, keeps the accounts whose name, e-mail or
	// organization has a word starting with each of its words (ignoring
	// case and accents), or whose e-mail is the whole query.
	Query  string
	Limit  int
	Cursor string
}

// AssignmentFilter selects assignments. Unless All is set, only open
// assignments are listed, plus every assignment of the ministry OwnerID.
type AssignmentFilter struct {
	Status      AssignmentStatus
	Country     string
	Profession  string
	Mode        Mode
	StartsAfter Date
	OwnerID     string
	All         bool
	Limit       int
	Cursor      string
}

// HashToken hashes a refresh-token secret for storage; the secret itself
// is never stored.
func HashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// ProfileQuery is a ministry's faceted search of the worker pool.
type ProfileQuery struct {
	Q                string
	Profession       string
	Language         string
	OriginCountry    string
	ResidenceCountry string
	Mode             Mode
	AvailableFrom    Date
	AvailableTo      Date
	// Country limits results to profiles shared with it; empty (admins)
	// searches every profile.
	Country string
	Limit   int
	Cursor  string
}

// ProfileResults is one page of a profile search with facet counts over
// every match.
type ProfileResults struct {
	Profiles   []*Profile
	Total      uint64
	NextCursor string
	// Facets maps a facet (profession, language, origin_country,
	// residence_country, mode) to value counts.
	Facets map[string]map[string]int
}
