package sankofa

import (
	"time"
	"unicode/utf8"
)

// OfferStatus is a step in an offer's life cycle.
type OfferStatus string

// The life cycle is pending → accepted | declined | withdrawn | expired.
const (
	OfferPending   OfferStatus = "pending"
	OfferAccepted  OfferStatus = "accepted"
	OfferDeclined  OfferStatus = "declined"
	OfferWithdrawn OfferStatus = "withdrawn"
	OfferExpired   OfferStatus = "expired"
)

// Live reports whether the offer still awaits an answer.
func (s OfferStatus) Live() bool { return s == OfferPending }

// OfferTerms are copied from the assignment when the offer is made, so
// that later edits of the assignment do not change what was offered.
type OfferTerms struct {
	// Title is the assignment's title when the offer was made, so that the
	// worker can name it after the assignment closes to her.
	Title               string `json:"title,omitempty" bson:"title,omitempty"`
	Mode                Mode   `json:"mode" bson:"mode"`
	Start               Date   `json:"start" bson:"start"`
	End                 Date   `json:"end" bson:"end"`
	VirtualHoursPerWeek int    `json:"virtual_hours_per_week" bson:"virtual_hours_per_week"`
}

// Offer is a ministry's proposal to a worker for one assignment.
type Offer struct {
	ID             string      `json:"id" bson:"_id"`
	AssignmentID   string      `json:"assignment_id" bson:"assignment_id"`
	MinistryID     string      `json:"ministry_id" bson:"ministry_id"`
	ProfileID      string      `json:"profile_id" bson:"profile_id"`
	ProfessionalID string      `json:"professional_id" bson:"professional_id"`
	Message        string      `json:"message" bson:"message"`
	Terms          OfferTerms  `json:"terms" bson:"terms"`
	ExpiresAt      time.Time   `json:"expires_at" bson:"expires_at"`
	Status         OfferStatus `json:"status" bson:"status"`
	Reason         string      `json:"reason,omitempty" bson:"reason,omitempty"`
	// Erased says the professional erased their account: ProfileID and
	// ProfessionalID are ErasedID, and the texts are gone.
	Erased    bool      `json:"erased,omitempty" bson:"erased,omitempty"`
	Version   int64     `json:"version" bson:"version"`
	CreatedAt time.Time `json:"created_at" bson:"created_at"`
	UpdatedAt time.Time `json:"updated_at" bson:"updated_at"`
	// Lease is held by an acceptance in progress. It is kept on an offer
	// that ended, so that what a dead acceptance left can be found and
	// released; an accepted offer has none.
	Lease *OfferLease `json:"-" bson:"lease,omitempty"`
}

// OfferLease marks an offer while its acceptance saga runs: only the
// holder may mark it accepted, and once Until passes the saga is dead.
type OfferLease struct {
	Token string `bson:"token"`
	// Run names the process run that took the lease.
	Run   string    `bson:"run"`
	At    time.Time `bson:"at"`
	Until time.Time `bson:"until"`
}

// DefaultOfferLifetime is how long an offer waits for an answer unless the
// ministry says otherwise.
const DefaultOfferLifetime = 7 * 24 * time.Hour

// OfferRequest is the body of a new offer.
type OfferRequest struct {
	ProfileID string     `json:"profile_id"`
	Message   string     `json:"message"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
}

// Validate checks an offer request made at now; it returns an invalid
// *Error.
func (r *OfferRequest) Validate(now time.Time) error {
	var p Problems
	if r.ProfileID == "" || len(r.ProfileID) > 64 {
		p.Add("profile_id", "is required")
	}
	if !utf8.ValidString(r.Message) || utf8.RuneCountInString(r.Message) > 2000 {
		p.Add("message", "must be at most 2000 characters of text")
	}
	if r.ExpiresAt != nil {
		switch {
		case !r.ExpiresAt.After(now.Add(time.Hour)):
			p.Add("expires_at", "must be at least an hour from now")
		case r.ExpiresAt.After(now.Add(90 * 24 * time.Hour)):
			p.Add("expires_at", "must be within 90 days")
		}
	}
	return p.Err()
}

// OfferMove is an answer to or a retraction of an offer.
type OfferMove string

// The moves on an offer.
const (
	Accept   OfferMove = "accept"
	Decline  OfferMove = "decline"
	Withdraw OfferMove = "withdraw"
	Expire   OfferMove = "expire"
)

// Next returns the status move m leads to from s at now (an offer past its
// expiry can only expire). Accepting an accepted offer is harmless: it
// returns accepted with changed false. An illegal move is a conflict.
func (o *Offer) Next(m OfferMove, now time.Time) (next OfferStatus, changed bool, err error) {
	if m == Accept && o.Status == OfferAccepted {
		return OfferAccepted, false, nil
	}
	if o.Status != OfferPending {
		return "", false, Errorf(Conflict, "cannot %s an offer that is %s", m, o.Status)
	}
	if m != Expire && m != Withdraw && !now.Before(o.ExpiresAt) {
		return "", false, Errorf(Conflict, "the offer expired at %s", o.ExpiresAt.UTC().Format(time.RFC3339))
	}
	switch m {
	case Accept:
		return OfferAccepted, true, nil
	case Decline:
		return OfferDeclined, true, nil
	case Withdraw:
		return OfferWithdrawn, true, nil
	case Expire:
		return OfferExpired, true, nil
	}
	return "", false, Errorf(Invalid, "unknown move %q", m)
}

// Commitment is a period a worker has accepted an offer for. It is taken
// out of their availability, so that nobody is booked twice.
type Commitment struct {
	// OfferID and AssignmentID are left out of what ministries see.
	OfferID      string     `json:"offer_id,omitempty" bson:"offer_id"`
	AssignmentID string     `json:"assignment_id,omitempty" bson:"assignment_id"`
	Terms        OfferTerms `json:"terms" bson:"terms"`
}

// Interest is a worker's expressed wish to take an assignment.
type Interest struct {
	ProfileID string    `json:"profile_id" bson:"profile_id"`
	AccountID string    `json:"-" bson:"account_id"`
	At        time.Time `json:"at" bson:"at"`
}

// OfferFilter selects the offers a caller may list.
type OfferFilter struct {
	// ProfessionalID or MinistryID: whose offers.
	ProfessionalID string
	MinistryID     string
	AssignmentID   string
	Status         OfferStatus
	Cursor         string
	Limit          int
}

// ValidOfferStatus reports whether s names a status.
func ValidOfferStatus(s OfferStatus) bool {
	switch s {
	case OfferPending, OfferAccepted, OfferDeclined, OfferWithdrawn, OfferExpired:
		return true
	}
	return false
}

// DeclineRequest is the optional body of a decline.
type DeclineRequest struct {
	Reason string `json:"reason"`
}

// Validate bounds the reason.
func (r *DeclineRequest) Validate() error {
	var p Problems
	if !utf8.ValidString(r.Reason) || utf8.RuneCountInString(r.Reason) > 500 {
		p.Add("reason", "must be at most 500 characters of text")
	}
	return p.Err()
}
