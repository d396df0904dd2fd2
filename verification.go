package sankofa

import (
	"fmt"
	"time"
)

// VerificationStatus is where a licence's verification stands: unverified,
// or one of the FHIR VerificationResult status codes.
type VerificationStatus string

// The verification states of a licence.
const (
	VerificationUnverified VerificationStatus = "unverified"
	VerificationInProcess  VerificationStatus = "in-process"
	VerificationValidated  VerificationStatus = "validated"
	VerificationFailed     VerificationStatus = "val-fail"
	VerificationRevalidate VerificationStatus = "req-revalid"
)

// VerificationMethod is how a verifier checked a licence.
type VerificationMethod string

// The methods of verification.
const (
	MethodPrimarySource VerificationMethod = "primary-source"
	MethodDocument      VerificationMethod = "document"
	MethodAttestation   VerificationMethod = "attestation"
)

// Verification is the server's record of a licence's verification. Only
// verifiers (admins, and approved ministries of the issuing country) write
// it; a worker only asks for it.
type Verification struct {
	Status      VerificationStatus `json:"status" bson:"status"`
	Method      VerificationMethod `json:"method,omitempty" bson:"method,omitempty"`
	Source      string             `json:"source,omitempty" bson:"source,omitempty"`
	VerifiedBy  string             `json:"verified_by,omitempty" bson:"verified_by,omitempty"`
	VerifiedAt  *time.Time         `json:"verified_at,omitempty" bson:"verified_at,omitempty"`
	NextReview  Date               `json:"next_review,omitempty" bson:"next_review,omitempty"`
	Note        string             `json:"note,omitempty" bson:"note,omitempty"`
	RequestedAt *time.Time         `json:"requested_at,omitempty" bson:"requested_at,omitempty"`
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Equal(*b)
}

func (v *Verification) equal(w *Verification) bool {
	return v.Status == w.Status && v.Method == w.Method && v.Source == w.Source && v.VerifiedBy == w.VerifiedBy &&
		sameTime(v.VerifiedAt, w.VerifiedAt) && v.NextReview == w.NextReview && v.Note == w.Note &&
		sameTime(v.RequestedAt, w.RequestedAt)
}

// VerificationStatusOf returns the status of licence l as of today: a
// validated licence whose expiry or next review has passed reads as
// req-revalid, and a licence never verified as unverified.
func (l *Licence) VerificationStatusOf(today Date) VerificationStatus {
	if l.Verification == nil || l.Verification.Status == "" {
		return VerificationUnverified
	}
	v := l.Verification
	if v.Status == VerificationValidated && (l.Expires < today || (v.NextReview != "" && v.NextReview < today)) {
		return VerificationRevalidate
	}
	return v.Status
}

// VerifiedThrough reports whether l is validated and stays so from start
// (its next review not before it) to end (its expiry not before it).
func (l *Licence) VerifiedThrough(start, end Date) bool {
	v := l.Verification
	return v != nil && v.Status == VerificationValidated && l.Expires >= end && (v.NextReview == "" || v.NextReview >= start)
}

// ReviewLicences gives every licence the verification it has as of today
// (see VerificationStatusOf), unverified when it has none. It copies what
// it changes, so a profile read from a cache is never altered.
func (in *ProfileInput) ReviewLicences(today Date) {
	if len(in.Licences) == 0 {
		return
	}
	out := make([]Licence, len(in.Licences))
	for i, l := range in.Licences {
		st := l.VerificationStatusOf(today)
		if l.Verification == nil {
			l.Verification = &Verification{Status: st}
		} else if st != l.Verification.Status {
			v := *l.Verification
			v.Status = st
			l.Verification = &v
		}
		out[i] = l
	}
	in.Licences = out
}

// sameLicence reports whether two licences say the same thing: the fields
// whose change resets a verification.
func sameLicence(a, b *Licence) bool {
	return a.Country == b.Country && a.Body == b.Body && a.Number == b.Number && a.Expires == b.Expires
}

// KeepVerifications carries the server-owned part of the licences over
// from old (the stored licences, reviewed as of today) to in, whose
// licences the worker wrote: a licence keeps its id and verification when
// it names a stored one by id (or, without an id, says the same as one),
// and gets a new id and unverified otherwise; changing a licence's number,
// body, country or expiry makes it unverified. A worker may send a
// licence's verification back unchanged but never set it: anything else is
// a field error, as is an id that names no stored licence.
func (in *ProfileInput) KeepVerifications(old []Licence) error {
	var p Problems
	claimed := make([]bool, len(old))
	for i := range in.Licences {
		l := &in.Licences[i]
		f := fmt.Sprintf("licences[%d]", i)
		match := -1
		if l.ID != "" {
			for j := range old {
				if old[j].ID == l.ID {
					match = j
					break
				}
			}
			if match < 0 {
				p.Add(f+".id", "no licence of yours has this id; leave id out for a new licence")
				continue
			}
			if claimed[match] {
				p.Add(f+".id", "is listed twice")
				continue
			}
		} else {
			for j := range old {
				if !claimed[j] && sameLicence(&old[j], l) {
					match = j
					break
				}
			}
		}
		var was *Licence
		if match >= 0 {
			claimed[match] = true
			was = &old[match]
		}
		if l.Verification != nil && (was == nil || was.Verification == nil || !l.Verification.equal(was.Verification)) {
			p.Add(f+".verification", "is set by verifiers; leave it out (ask for verification instead)")
			continue
		}
		switch {
		case was != nil && was.Verification != nil && sameLicence(was, l):
			v := *was.Verification
			l.Verification = &v
		default:
			l.Verification = &Verification{Status: VerificationUnverified}
		}
		switch {
		case was != nil && was.ID != "":
			l.ID = was.ID
		default:
			l.ID = NewID("lic")
		}
	}
	return p.Err()
}

// VerificationDecision is a verifier's verdict on a licence.
type VerificationDecision struct {
	Status     VerificationStatus `json:"status"`
	Method     VerificationMethod `json:"method"`
	Note       string             `json:"note"`
	NextReview Date               `json:"next_review,omitempty"`
}

// MaxVerificationNoteRunes bounds a verifier's note.
const MaxVerificationNoteRunes = 1000

// Validate checks a decision about licence l, made today.
func (d *VerificationDecision) Validate(l *Licence, today Date) error {
	var p Problems
	switch d.Status {
	case VerificationValidated, VerificationFailed, VerificationRevalidate:
	default:
		p.Add("status", "must be validated, val-fail or req-revalid")
	}
	switch d.Method {
	case MethodPrimarySource, MethodDocument, MethodAttestation:
	default:
		p.Add("method", "must be primary-source, document or attestation")
	}
	checkText(&p, "note", d.Note, 0, MaxVerificationNoteRunes)
	if d.Status == VerificationValidated && l.Expires < today {
		p.Add("status", "the licence expired on %s; an expired licence cannot be validated", l.Expires)
	}
	if d.NextReview != "" {
		switch {
		case !validDay(d.NextReview):
			p.Add("next_review", "must be a date as YYYY-MM-DD")
		case d.NextReview <= today:
			p.Add("next_review", "must be after today")
		case d.Status != VerificationValidated:
			p.Add("next_review", "is set only when the licence is validated")
		}
	}
	return p.Err()
}

// Apply records decision d about licence l, made by verifier at now. A
// validated licence is reviewed again at d.NextReview, or else a year on
// or at its expiry, whichever comes first.
func (d *VerificationDecision) Apply(l *Licence, verifier string, now time.Time) {
	at := now.UTC()
	v := &Verification{Status: d.Status, Method: d.Method, Source: l.Body, VerifiedBy: verifier, VerifiedAt: &at, Note: d.Note}
	if l.Verification != nil {
		v.RequestedAt = l.Verification.RequestedAt
	}
	if d.Status == VerificationValidated {
		v.NextReview = d.NextReview
		if v.NextReview == "" {
			v.NextReview = min(DateOf(at.AddDate(1, 0, 0)), l.Expires)
		}
	}
	l.Verification = v
}
