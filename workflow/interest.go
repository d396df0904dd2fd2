package workflow

import (
	"context"
	"slices"
	"time"

	"sankofa"
	"sankofa/matcher"
)

// MaxInterest bounds the interest list kept inside an assignment.
const MaxInterest = 2000

// AddInterest records a worker's interest in an open assignment; created
// is false when it was already recorded. It returns not_found for an
// unknown assignment and conflict when it is not open or its list is full.
func (w *Workflow) AddInterest(ctx context.Context, assignmentID string, p *sankofa.Profile, actor string) (created bool, err error) {
	err = retryStale(func() error {
		a, err := w.d.Assignments.Assignment(ctx, assignmentID)
		if err != nil {
			return err
		}
		if slices.ContainsFunc(a.Interested, func(in sankofa.Interest) bool { return in.ProfileID == p.ID }) {
			created = false
			return nil
		}
		if a.Status != sankofa.AssignmentOpen {
			return sankofa.Errorf(sankofa.Conflict, "the assignment is %s", a.Status)
		}
		if len(a.Interested) >= MaxInterest {
			return sankofa.Errorf(sankofa.Conflict, "this assignment has as many interested workers as it can list")
		}
		a.Interested = append(slices.Clone(a.Interested), sankofa.Interest{ProfileID: p.ID, AccountID: p.AccountID, At: w.now().UTC()})
		a.InterestCount = len(a.Interested)
		a.Version++
		a.UpdatedAt = w.now().UTC()
		created = true
		return w.saveAssignment(ctx, a, "interest", actor)
	})
	return created, err
}

// Interested is one worker who said they would like an assignment, as
// its ministry sees them.
type Interested struct {
	Profile     *sankofa.Profile
	At          time.Time
	Score       float64
	Explanation matcher.Explanation
	// Unmet lists the hard constraints the worker does not meet.
	Unmet []string
}

// InterestList ranks the workers interested in a: those who meet every
// hard constraint first, then by score, then earliest first. Workers who
// since stopped sharing their profile with the country are left out.
func (w *Workflow) InterestList(ctx context.Context, a *sankofa.Assignment, lang string) ([]Interested, error) {
	m := w.d.Matcher
	af := m.AssignmentFeatures(&a.AssignmentInput)
	out := make([]Interested, 0, len(a.Interested))
	for _, in := range a.Interested {
		p, err := w.d.Profiles.Profile(ctx, in.ProfileID)
		if sankofa.IsCode(err, sankofa.NotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if !p.SharedWith(a.Country) {
			continue
		}
		acc, err := w.d.Accounts.Account(ctx, p.AccountID)
		if err != nil {
			return nil, err
		}
		score, ex := m.Score(a, af, p, m.ProfileFeatures(&p.ProfileInput), w.now(), lang)
		unmet := m.Check(a, p, acc.Status == sankofa.StatusActive)
		if unmet == nil {
			unmet = []string{}
		}
		out = append(out, Interested{Profile: p, At: in.At, Score: score, Explanation: ex, Unmet: unmet})
	}
	slices.SortStableFunc(out, func(x, y Interested) int {
		if d := len(x.Unmet) - len(y.Unmet); d != 0 {
			return d
		}
		switch {
		case x.Score > y.Score:
			return -1
		case x.Score < y.Score:
			return 1
		}
		return x.At.Compare(y.At)
	})
	return out, nil
}
