package sankofa

import (
	"encoding/json"
	"time"
)

// Notification is one entry in a person's inbox. Seq numbers a person's
// notifications in the order they were delivered; it is the SSE event id
// a client resumes from.
type Notification struct {
	ID     string `json:"id" bson:"id"`
	UserID string `json:"-" bson:"user_id"`
	Seq    int64  `json:"seq" bson:"seq"`
	// Kind says what happened, e.g. "offer.received" (see NotificationKinds).
	Kind  string `json:"kind" bson:"kind"`
	Title string `json:"title" bson:"title"`
	Body  string `json:"body" bson:"body"`
	// Data holds the ids a client needs to act: offer_id, assignment_id...
	Data      map[string]string `json:"data,omitzero" bson:"data,omitempty"`
	Read      bool              `json:"read" bson:"read"`
	CreatedAt time.Time         `json:"created_at" bson:"created_at"`
	// Key makes delivery idempotent: a second notification with the same
	// key for the same person is not added.
	Key string `json:"-" bson:"key"`
}

// NotificationPage is one page of an inbox, newest first.
type NotificationPage struct {
	Items      []Notification `json:"items"`
	NextCursor string         `json:"next_cursor,omitempty"`
}

// Notification kinds.
const (
	NoteOfferReceived  = "offer.received"
	NoteOfferAccepted  = "offer.accepted"
	NoteOfferDeclined  = "offer.declined"
	NoteOfferWithdrawn = "offer.withdrawn"
	NoteOfferExpired   = "offer.expired"
	NoteInterest       = "assignment.interest"
	NoteAssignmentNew  = "assignment.alert"
	NoteAlertDigest    = "assignment.digest"
	NoteAssignmentDone = "assignment.changed"
	// NoteVerifyRequested tells verifiers a worker asks for a licence to be
	// verified; NoteVerifyDecided tells the worker what they decided.
	NoteVerifyRequested = "licence.verification_requested"
	NoteVerifyDecided   = "licence.verification_decided"
)

// Locales in which notifications are written.
var Locales = []string{"en", "fr", "pt"}

// DeadLetter is an event a consumer gave up on, for an admin to look at.
type DeadLetter struct {
	Consumer   string          `json:"consumer"`
	Event      json.RawMessage `json:"event"`
	Error      string          `json:"error"`
	FailedAt   time.Time       `json:"failed_at"`
	Deliveries int             `json:"deliveries"`
}
