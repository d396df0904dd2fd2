package api

import (
	"context"
	"slices"
	"strings"

	"sankofa"
)

// workflow moves offers through their life cycle and keeps the
// assignment's positions and the worker's commitments in step with them.
//
// There are no multi-document transactions, so acceptance is a saga of
// single-document writes, each idempotent by offer id: book the worker
// (a commitment on the profile), take a position on the assignment, then
// mark the offer accepted. A step that fails undoes the ones before it.
// The offer's status is the truth: when an offer ends any other way,
// whatever a crashed acceptance left behind is released.
type workflow struct{ s *Server }

func (s *Server) workflow() *workflow { return &workflow{s} }

// casAttempts bounds the retries of a write that lost a version race.
const casAttempts = 5

// retryStale runs step until it does not fail on a stale version.
func retryStale(step func() error) error {
	var err error
	for range casAttempts {
		if err = step(); !sankofa.IsCode(err, sankofa.PreconditionFailed) {
			return err
		}
	}
	return err
}

// save records one change through store and dispatches its event.
func (w *workflow) save(ctx context.Context, kind, action, id string, version int64, actor string, entity any,
	store func(context.Context, sankofa.Event) (sankofa.PendingEvent, error)) error {
	ev, err := sankofa.NewEvent(kind, action, id, version, actor, w.s.now(), entity)
	if err != nil {
		return err
	}
	pe, err := store(ctx, ev)
	if err != nil {
		return err
	}
	w.s.dispatcher.after(ctx, pe)
	return nil
}

func (w *workflow) saveOffer(ctx context.Context, o *sankofa.Offer, action, actor string) error {
	return w.save(ctx, "offer", action, o.ID, o.Version, actor, o, func(ctx context.Context, ev sankofa.Event) (sankofa.PendingEvent, error) {
		return w.s.deps.Offers.UpdateOffer(ctx, o, ev)
	})
}

func (w *workflow) saveAssignment(ctx context.Context, a *sankofa.Assignment, action, actor string) error {
	return w.save(ctx, "assignment", action, a.ID, a.Version, actor, a, func(ctx context.Context, ev sankofa.Event) (sankofa.PendingEvent, error) {
		return w.s.deps.Assignments.UpdateAssignment(ctx, a, ev)
	})
}

func (w *workflow) saveProfile(ctx context.Context, p *sankofa.Profile, actor string) error {
	return w.save(ctx, "profile", "updated", p.ID, p.Version, actor, p, func(ctx context.Context, ev sankofa.Event) (sankofa.PendingEvent, error) {
		return w.s.deps.Profiles.SaveProfile(ctx, p, ev)
	})
}

// step moves the offer by m, reloading it when another write got there
// first. A move that changes nothing (accepting an accepted offer)
// returns the offer as it is.
func (w *workflow) step(ctx context.Context, o *sankofa.Offer, m sankofa.OfferMove, reason, actor string) (*sankofa.Offer, error) {
	var out *sankofa.Offer
	err := retryStale(func() error {
		next, changed, err := o.Next(m, w.s.now())
		if err != nil || !changed {
			out = o
			return err
		}
		n := *o
		n.Status, n.Reason = next, reason
		n.Version++
		n.UpdatedAt = w.s.now().UTC()
		if err := w.saveOffer(ctx, &n, string(next), actor); err != nil {
			if sankofa.IsCode(err, sankofa.PreconditionFailed) {
				if o, err = w.s.deps.Offers.Offer(ctx, o.ID); err != nil {
					return err
				}
			}
			return err
		}
		out = &n
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// move declines, withdraws or expires an offer. Doing what is already done
// is not: a second decline is a conflict, as the life cycle says.
func (w *workflow) move(ctx context.Context, o *sankofa.Offer, m sankofa.OfferMove, reason, actor string) (*sankofa.Offer, error) {
	out, err := w.step(ctx, o, m, reason, actor)
	if err != nil {
		return nil, err
	}
	if out.Status != sankofa.OfferAccepted && out.Status != sankofa.OfferPending {
		w.release(ctx, out, actor)
	}
	return out, nil
}

// accept runs the acceptance saga. Accepting an accepted offer returns it
// unchanged.
func (w *workflow) accept(ctx context.Context, o *sankofa.Offer, actor string) (*sankofa.Offer, error) {
	if _, changed, err := o.Next(sankofa.Accept, w.s.now()); err != nil || !changed {
		return o, err
	}
	if err := w.book(ctx, o, actor); err != nil {
		return nil, err
	}
	filled, err := w.takePosition(ctx, o, actor)
	if err != nil {
		w.unbook(ctx, o, actor)
		return nil, err
	}
	out, err := w.step(ctx, o, sankofa.Accept, "", actor)
	if err != nil {
		// Withdrawn or expired meanwhile: give the booking and the place back.
		w.release(ctx, o, actor)
		return nil, err
	}
	if filled {
		w.withdrawPending(ctx, o.AssignmentID, "all positions are filled")
	}
	return out, nil
}

// termsAssignment is the assignment as the offer's terms describe it, for
// checking the worker's free time.
func termsAssignment(o *sankofa.Offer) *sankofa.Assignment {
	return &sankofa.Assignment{ID: o.AssignmentID, AssignmentInput: sankofa.AssignmentInput{
		Mode: o.Terms.Mode, Start: o.Terms.Start, End: o.Terms.End, VirtualHoursPerWeek: o.Terms.VirtualHoursPerWeek,
	}}
}

// book adds the offer's commitment to the worker's profile, unless their
// other commitments already take the time.
func (w *workflow) book(ctx context.Context, o *sankofa.Offer, actor string) error {
	return retryStale(func() error {
		p, err := w.s.deps.Profiles.Profile(ctx, o.ProfileID)
		if err != nil {
			return err
		}
		if slices.ContainsFunc(p.Commitments, func(c sankofa.Commitment) bool { return c.OfferID == o.ID }) {
			return nil
		}
		ta := termsAssignment(o)
		free := w.s.deps.Matcher.Check(ta, p, true)
		if slices.Contains(free, "availability") {
			return sankofa.Errorf(sankofa.Conflict, "you are already committed for part of %s to %s; this offer would double-book you", o.Terms.Start, o.Terms.End)
		}
		p.Commitments = append(slices.Clone(p.Commitments), sankofa.Commitment{OfferID: o.ID, AssignmentID: o.AssignmentID, Terms: o.Terms})
		p.Version++
		p.UpdatedAt = w.s.now().UTC()
		return w.saveProfile(ctx, p, actor)
	})
}

// unbook removes the offer's commitment, if any.
func (w *workflow) unbook(ctx context.Context, o *sankofa.Offer, actor string) {
	err := retryStale(func() error {
		p, err := w.s.deps.Profiles.Profile(ctx, o.ProfileID)
		if sankofa.IsCode(err, sankofa.NotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		i := slices.IndexFunc(p.Commitments, func(c sankofa.Commitment) bool { return c.OfferID == o.ID })
		if i < 0 {
			return nil
		}
		p.Commitments = slices.Delete(slices.Clone(p.Commitments), i, i+1)
		p.Version++
		p.UpdatedAt = w.s.now().UTC()
		return w.saveProfile(ctx, p, actor)
	})
	if err != nil {
		w.s.log.WarnContext(ctx, "offer: release booking", "offer", o.ID, "err", err)
	}
}

// takePosition counts the offer toward the assignment's positions and
// reports whether that filled it.
func (w *workflow) takePosition(ctx context.Context, o *sankofa.Offer, actor string) (filled bool, err error) {
	err = retryStale(func() error {
		a, err := w.s.deps.Assignments.Assignment(ctx, o.AssignmentID)
		if err != nil {
			return err
		}
		if slices.Contains(a.AcceptedOffers, o.ID) {
			filled = a.Status == sankofa.AssignmentFilled
			return nil
		}
		if a.Status != sankofa.AssignmentOpen {
			return sankofa.Errorf(sankofa.Conflict, "the assignment is %s and takes no more acceptances", a.Status)
		}
		if a.Filled >= a.Positions {
			return sankofa.Errorf(sankofa.Conflict, "all positions of the assignment are filled")
		}
		a.AcceptedOffers = append(slices.Clone(a.AcceptedOffers), o.ID)
		a.Filled++
		action := "updated"
		if a.Filled >= a.Positions {
			a.Status, action, filled = sankofa.AssignmentFilled, "filled", true
		}
		a.Version++
		a.UpdatedAt = w.s.now().UTC()
		return w.saveAssignment(ctx, a, action, actor)
	})
	return filled, err
}

// freePosition undoes takePosition, reopening a filled assignment.
func (w *workflow) freePosition(ctx context.Context, o *sankofa.Offer, actor string) {
	err := retryStale(func() error {
		a, err := w.s.deps.Assignments.Assignment(ctx, o.AssignmentID)
		if err != nil {
			return err
		}
		i := slices.Index(a.AcceptedOffers, o.ID)
		if i < 0 {
			return nil
		}
		a.AcceptedOffers = slices.Delete(slices.Clone(a.AcceptedOffers), i, i+1)
		a.Filled--
		if a.Status == sankofa.AssignmentFilled {
			a.Status = sankofa.AssignmentOpen
		}
		a.Version++
		a.UpdatedAt = w.s.now().UTC()
		return w.saveAssignment(ctx, a, "updated", actor)
	})
	if err != nil {
		w.s.log.WarnContext(ctx, "offer: release position", "offer", o.ID, "err", err)
	}
}

// release gives back what an acceptance that never completed took.
func (w *workflow) release(ctx context.Context, o *sankofa.Offer, actor string) {
	w.freePosition(ctx, o, actor)
	w.unbook(ctx, o, actor)
}

// withdrawPending withdraws the pending offers of an assignment that takes
// no more acceptances. Each withdrawal notifies its worker.
func (w *workflow) withdrawPending(ctx context.Context, assignmentID, reason string) {
	for range 100 { // pages of pending offers; each pass withdraws a page
		page, err := w.s.deps.Index.Offers(ctx, sankofa.OfferFilter{AssignmentID: assignmentID, Status: sankofa.OfferPending, Limit: sankofa.MaxPageSize})
		if err != nil {
			w.s.log.WarnContext(ctx, "offer: list pending", "assignment", assignmentID, "err", err)
			return
		}
		done := 0
		for _, id := range page.IDs {
			o, err := w.s.deps.Offers.Offer(ctx, id)
			if err != nil || o.Status != sankofa.OfferPending {
				continue
			}
			if _, err := w.move(ctx, o, sankofa.Withdraw, reason, ""); err != nil {
				w.s.log.WarnContext(ctx, "offer: withdraw", "offer", id, "err", err)
				continue
			}
			done++
		}
		// Withdrawn offers leave the pending list, so the next pass sees
		// what is left; a pass that withdraws nothing ends it.
		if done == 0 || page.NextCursor == "" {
			return
		}
	}
}

// addInterest records a worker's interest in an open assignment; created
// is false when it was already recorded.
func (w *workflow) addInterest(ctx context.Context, assignmentID string, p *sankofa.Profile, actor string) (created bool, err error) {
	err = retryStale(func() error {
		a, err := w.s.deps.Assignments.Assignment(ctx, assignmentID)
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
		if len(a.Interested) >= maxInterest {
			return sankofa.Errorf(sankofa.Conflict, "this assignment has as many interested workers as it can list")
		}
		a.Interested = append(slices.Clone(a.Interested), sankofa.Interest{ProfileID: p.ID, AccountID: p.AccountID, At: w.s.now().UTC()})
		a.InterestCount = len(a.Interested)
		a.Version++
		a.UpdatedAt = w.s.now().UTC()
		created = true
		return w.saveAssignment(ctx, a, "interest", actor)
	})
	return created, err
}

// maxInterest bounds the interest list kept inside an assignment.
const maxInterest = 2000

// ExpireDue expires pending offers past their expiry and returns how many.
// The sweeper calls it every minute.
func (s *Server) ExpireDue(ctx context.Context) (int, error) {
	w := s.workflow()
	n := 0
	for {
		ids, err := s.deps.Index.ExpiredOffers(ctx, s.now().UnixMilli(), 100)
		if err != nil || len(ids) == 0 {
			return n, err
		}
		progressed := false
		for _, id := range ids {
			o, err := s.deps.Offers.Offer(ctx, id)
			if err != nil || o.Status != sankofa.OfferPending {
				continue
			}
			if _, err := w.move(ctx, o, sankofa.Expire, "", ""); err != nil {
				s.log.WarnContext(ctx, "offer: expire", "offer", id, "err", err)
				continue
			}
			n++
			progressed = true
		}
		if !progressed {
			return n, nil
		}
	}
}

// HandleWorkflowEvent is the handler of the shared workflow consumer: it
// finishes what a replica that died mid-way left undone. When an
// assignment stops taking acceptances, its pending offers are withdrawn.
func (s *Server) HandleWorkflowEvent(ctx context.Context, ev sankofa.Event) error {
	action, ok := strings.CutPrefix(ev.Subject, "sankofa.assignment.")
	if !ok {
		return nil
	}
	reason := map[string]string{"filled": "all positions are filled", "closed": "the assignment was closed", "cancelled": "the assignment was cancelled"}[action]
	if reason != "" {
		s.workflow().withdrawPending(ctx, ev.EntityID, reason)
	}
	return nil
}
