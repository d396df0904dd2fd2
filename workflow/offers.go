package workflow

import (
	"context"
	"errors"
	"slices"
	"time"

	"sankofa"
	"sankofa/matcher"
)

// SagaTimeout bounds an acceptance saga. It runs on a context of its own,
// so a client that hangs up cannot leave it half done.
const SagaTimeout = 20 * time.Second

// leaseFor is how long an acceptance holds its offer. It is longer than
// the saga's deadline, so a saga whose lease has run out can no longer
// write anything, and what it left may be released.
const leaseFor = 2 * SagaTimeout

// undoTimeout bounds the steps that give back what a failed saga took.
const undoTimeout = 10 * time.Second

// CreateOffer sends an offer for an open assignment to a worker who meets
// its hard constraints; the terms are copied from the assignment. It
// returns invalid for a bad request or a profile not shared with the
// assignment's country, and conflict when the assignment is not open, the
// worker breaks a hard constraint, or a live offer already exists; the
// conflict is a *sankofa.SafeguardError when the WHO safeguards list keeps
// the ministry from approaching the worker.
func (w *Workflow) CreateOffer(ctx context.Context, a *sankofa.Assignment, in sankofa.OfferRequest, actor string) (*sankofa.Offer, error) {
	now := w.now().UTC()
	if err := in.Validate(now); err != nil {
		return nil, err
	}
	if a.Status != sankofa.AssignmentOpen {
		return nil, sankofa.Errorf(sankofa.Conflict, "offers can be sent only for an open assignment; this one is %s", a.Status)
	}
	p, err := w.d.Profiles.Profile(ctx, in.ProfileID)
	if err != nil && !sankofa.IsCode(err, sankofa.NotFound) {
		return nil, err
	}
	if err != nil || !p.SharedWith(a.Country) {
		return nil, &sankofa.Error{Code: sankofa.Invalid, Message: "the request has invalid fields",
			Fields: []sankofa.FieldError{{Field: "profile_id", Message: "is not a profile shared with your country"}}}
	}
	acc, err := w.d.Accounts.Account(ctx, p.AccountID)
	if err != nil {
		return nil, err
	}
	if broken := w.d.Matcher.Check(a, p, acc.Status == sankofa.StatusActive); len(broken) > 0 {
		if slices.Contains(broken, matcher.ConstraintSafeguard) {
			// The WHO safeguards list: a refusal of its own, which says why.
			return nil, w.d.Matcher.SafeguardError(a, w.d.Matcher.Safeguard(a, p))
		}
		return nil, &sankofa.Error{Code: sankofa.Conflict, Message: "the worker does not meet the assignment's hard constraints",
			Fields: constraintFields("profile_id", broken)}
	}
	expires := now.Add(sankofa.DefaultOfferLifetime)
	if in.ExpiresAt != nil {
		expires = in.ExpiresAt.UTC()
	}
	o := &sankofa.Offer{
		ID: sankofa.NewID("of"), AssignmentID: a.ID, MinistryID: a.MinistryID, ProfileID: p.ID,
		ProfessionalID: p.AccountID, Message: in.Message, ExpiresAt: expires, Status: sankofa.OfferPending,
		Terms:   sankofa.OfferTerms{Title: a.Title, Mode: a.Mode, Start: a.Start, End: a.End, VirtualHoursPerWeek: a.VirtualHoursPerWeek},
		Version: 1, CreatedAt: now, UpdatedAt: now,
	}
	err = w.save(ctx, "offer", "created", o.ID, o.Version, actor, o, func(ctx context.Context, ev sankofa.Event) (sankofa.PendingEvent, error) {
		return w.d.Offers.CreateOffer(ctx, o, ev)
	})
	if err != nil {
		return nil, err
	}
	return o, nil
}

func constraintFields(field string, broken []string) []sankofa.FieldError {
	out := make([]sankofa.FieldError, len(broken))
	for i, m := range broken {
		out[i] = sankofa.FieldError{Field: field, Message: "breaks the " + m + " constraint"}
	}
	return out
}

// step moves the offer by m, reloading it when another write got there
// first. A move that changes nothing (accepting an accepted offer)
// returns the offer as it is. edit, when not nil, may veto or amend the
// new version (it sees the reloaded offer on a retry).
func (w *Workflow) step(ctx context.Context, o *sankofa.Offer, m sankofa.OfferMove, reason, actor string,
	edit func(cur, next *sankofa.Offer) error) (*sankofa.Offer, error) {
	var out *sankofa.Offer
	err := retryStale(func() error {
		next, changed, err := o.Next(m, w.now())
		if err != nil {
			return err
		}
		if !changed {
			out = o
			return nil
		}
		n := *o
		n.Status, n.Reason = next, reason
		n.Version++
		n.UpdatedAt = w.now().UTC()
		if edit != nil {
			if err := edit(o, &n); err != nil {
				return err
			}
		}
		if err := w.saveOffer(ctx, &n, string(next), actor); err != nil {
			return w.reloadIfStale(ctx, &o, err)
		}
		out = &n
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// reloadIfStale handles a failed offer write inside retryStale: when
// somebody else changed the offer, *o becomes what it is now and err is
// returned, so the write is tried again from there.
func (w *Workflow) reloadIfStale(ctx context.Context, o **sankofa.Offer, err error) error {
	if !sankofa.IsCode(err, sankofa.PreconditionFailed) {
		return err
	}
	cur, rerr := w.d.Offers.Offer(ctx, (*o).ID)
	if rerr != nil {
		return rerr
	}
	*o = cur
	return err
}

// Move declines, withdraws or expires an offer and gives back whatever an
// acceptance in progress took. Doing what is already done is not allowed:
// a second decline is a conflict, as the life cycle says.
func (w *Workflow) Move(ctx context.Context, o *sankofa.Offer, m sankofa.OfferMove, reason, actor string) (*sankofa.Offer, error) {
	if m == sankofa.Accept {
		return w.Accept(ctx, o, actor)
	}
	out, err := w.step(ctx, o, m, reason, actor, nil)
	if err != nil {
		return nil, err
	}
	// An ended offer is never accepted again, so releasing is always
	// right; a saga still running releases again when its last step fails.
	if err := w.release(ctx, out, actor); err != nil {
		w.log.WarnContext(ctx, "offer: release after "+string(m), "offer", out.ID, "err", err)
	}
	return out, nil
}

// Accept runs the acceptance saga: take the offer's lease, book the
// worker, take a position on the assignment, then mark the offer
// accepted. A step that fails gives back what the earlier ones took.
// Accepting an accepted offer returns it unchanged. It returns conflict
// when the offer or the assignment no longer allows it, or the worker is
// already booked for that time.
func (w *Workflow) Accept(ctx context.Context, o *sankofa.Offer, actor string) (*sankofa.Offer, error) {
	if _, changed, err := o.Next(sankofa.Accept, w.now()); err != nil || !changed {
		if err != nil {
			return nil, err
		}
		return o, nil
	}
	// The saga must finish or undo itself even if the client hangs up.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), SagaTimeout)
	defer cancel()
	// The token is known to be live before the lease is written, so the
	// repair, woken by the lease's own event, never mistakes it for dead.
	token := sankofa.NewID("ls")
	w.live.Store(token, struct{}{})
	defer w.live.Delete(token)
	held, err := w.lease(ctx, o, token, actor)
	if err != nil {
		return nil, err
	}
	if held.Status == sankofa.OfferAccepted {
		return held, nil // a concurrent acceptance of the same offer won
	}
	fail := func(err error) (*sankofa.Offer, error) {
		w.undo(ctx, held.ID, token, actor)
		return nil, err
	}
	if err := w.book(ctx, held, actor); err != nil {
		return fail(err)
	}
	filled, err := w.takePosition(ctx, held, actor)
	if err != nil {
		return fail(err)
	}
	out, err := w.step(ctx, held, sankofa.Accept, "", actor, func(cur, next *sankofa.Offer) error {
		if cur.Lease == nil || cur.Lease.Token != token {
			return sankofa.Errorf(sankofa.Conflict, "the acceptance took too long and was given up; please try again")
		}
		next.Lease = nil
		return nil
	})
	if err != nil {
		return fail(err)
	}
	if filled {
		if err := w.WithdrawPending(ctx, o.AssignmentID, "all positions are filled"); err != nil {
			// The workflow consumer retries from the "filled" event.
			w.log.WarnContext(ctx, "offer: withdraw the others", "assignment", o.AssignmentID, "err", err)
		}
	}
	return out, nil
}

// leaseWait is how long an acceptance waits for another acceptance of the
// same offer (a double click) before it answers conflict.
const leaseWait = 5 * time.Second

// lease takes the offer for one acceptance. While another live acceptance
// holds it, it waits a little and returns the outcome if that one
// finished.
func (w *Workflow) lease(ctx context.Context, o *sankofa.Offer, token, actor string) (*sankofa.Offer, error) {
	waitUntil := time.Now().Add(leaseWait)
	for {
		var out *sankofa.Offer
		busy := false
		err := retryStale(func() error {
			if o.Status == sankofa.OfferAccepted {
				out = o
				return nil
			}
			if _, _, err := o.Next(sankofa.Accept, w.now()); err != nil {
				return err
			}
			now := w.now().UTC()
			// A dead saga's lease is taken over: booking and taking a
			// position are idempotent by offer, so this saga finishes its work.
			if o.Lease != nil && w.sagaMayRun(o.Lease) {
				busy = true
				return nil
			}
			n := *o
			n.Lease = &sankofa.OfferLease{Token: token, Run: w.run, At: now, Until: now.Add(leaseFor)}
			n.Version++
			n.UpdatedAt = now
			if err := w.saveOffer(ctx, &n, "accepting", actor); err != nil {
				return w.reloadIfStale(ctx, &o, err)
			}
			out = &n
			return nil
		})
		if err != nil {
			return nil, err
		}
		if !busy {
			return out, nil
		}
		if time.Now().After(waitUntil) {
			return nil, sankofa.Errorf(sankofa.Conflict, "this offer is being accepted right now; try again in a moment")
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		cur, err := w.d.Offers.Offer(ctx, o.ID)
		if err != nil {
			return nil, err
		}
		o = cur
	}
}

// undo gives back what a failed acceptance took and drops its lease,
// unless the offer was accepted after all (a write that reported an error
// may still have been applied). It runs on a context of its own: the
// saga's may be what ran out.
func (w *Workflow) undo(ctx context.Context, offerID, token, actor string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), undoTimeout)
	defer cancel()
	err := retryStale(func() error {
		o, err := w.d.Offers.Offer(ctx, offerID)
		if err != nil {
			return err
		}
		if o.Status == sankofa.OfferAccepted {
			return nil
		}
		if err := w.release(ctx, o, actor); err != nil {
			return err
		}
		if o.Lease == nil || o.Lease.Token != token || o.Status != sankofa.OfferPending {
			return nil // an ended offer keeps its lease as a record; the repair finds nothing left
		}
		n := *o
		n.Lease = nil
		n.Version++
		n.UpdatedAt = w.now().UTC()
		return w.saveOffer(ctx, &n, "released", actor)
	})
	if err != nil {
		// The lease runs out and the workflow consumer repairs it.
		w.log.WarnContext(ctx, "offer: undo a failed acceptance", "offer", offerID, "err", err)
	}
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
func (w *Workflow) book(ctx context.Context, o *sankofa.Offer, actor string) error {
	return retryStale(func() error {
		p, err := w.d.Profiles.Profile(ctx, o.ProfileID)
		if sankofa.IsCode(err, sankofa.NotFound) {
			return sankofa.Errorf(sankofa.Conflict, "the worker's profile no longer exists")
		}
		if err != nil {
			return err
		}
		if slices.ContainsFunc(p.Commitments, func(c sankofa.Commitment) bool { return c.OfferID == o.ID }) {
			return nil
		}
		if slices.Contains(w.d.Matcher.Check(termsAssignment(o), p, true), "availability") {
			return sankofa.Errorf(sankofa.Conflict, "you are already committed for part of %s to %s; this offer would double-book you", o.Terms.Start, o.Terms.End)
		}
		p.Commitments = append(slices.Clone(p.Commitments), sankofa.Commitment{OfferID: o.ID, AssignmentID: o.AssignmentID, Terms: o.Terms})
		p.Version++
		p.UpdatedAt = w.now().UTC()
		return w.saveProfile(ctx, p, "booked", actor)
	})
}

// unbook removes the offer's commitment, if any.
func (w *Workflow) unbook(ctx context.Context, o *sankofa.Offer, actor string) error {
	return retryStale(func() error {
		p, err := w.d.Profiles.Profile(ctx, o.ProfileID)
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
		p.UpdatedAt = w.now().UTC()
		return w.saveProfile(ctx, p, "unbooked", actor)
	})
}

// takePosition counts the offer toward the assignment's positions and
// reports whether that filled it.
func (w *Workflow) takePosition(ctx context.Context, o *sankofa.Offer, actor string) (filled bool, err error) {
	err = retryStale(func() error {
		a, err := w.d.Assignments.Assignment(ctx, o.AssignmentID)
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
		a.UpdatedAt = w.now().UTC()
		return w.saveAssignment(ctx, a, action, actor)
	})
	return filled, err
}

// freePosition undoes takePosition, reopening a filled assignment.
func (w *Workflow) freePosition(ctx context.Context, o *sankofa.Offer, actor string) error {
	return retryStale(func() error {
		a, err := w.d.Assignments.Assignment(ctx, o.AssignmentID)
		if sankofa.IsCode(err, sankofa.NotFound) {
			return nil
		}
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
		a.UpdatedAt = w.now().UTC()
		return w.saveAssignment(ctx, a, "updated", actor)
	})
}

// release gives back what an acceptance that never completed took. It
// must only be called for an offer that is not accepted.
func (w *Workflow) release(ctx context.Context, o *sankofa.Offer, actor string) error {
	if o.Status == sankofa.OfferAccepted {
		return errors.New("workflow: release of an accepted offer")
	}
	return errors.Join(w.freePosition(ctx, o, actor), w.unbook(ctx, o, actor))
}
