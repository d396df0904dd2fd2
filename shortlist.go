package sankofa

import (
	"time"
	"unicode/utf8"
)

// Limits on shortlists.
const (
	// MaxShortlist is how many workers one assignment's shortlist holds.
	MaxShortlist = 50
	// MaxShortlistNote is the longest note on a shortlisted worker, in
	// characters.
	MaxShortlistNote = 1000
)

// ShortlistEntry is a worker a ministry keeps in view for one assignment,
// with its own note.
type ShortlistEntry struct {
	ProfileID string    `json:"profile_id" bson:"profile_id"`
	Note      string    `json:"note" bson:"note"`
	AddedAt   time.Time `json:"added_at" bson:"added_at"`
	AddedBy   string    `json:"-" bson:"added_by"`
}

// ShortlistNote is the body of PUT /v1/assignments/{id}/shortlist/{profile_id}.
type ShortlistNote struct {
	Note string `json:"note"`
}

// Validate checks the note's length; it returns an invalid *Error.
func (n *ShortlistNote) Validate() error {
	var p Problems
	if utf8.RuneCountInString(n.Note) > MaxShortlistNote {
		p.Add("note", "must be at most %d characters", MaxShortlistNote)
	}
	return p.Err()
}
