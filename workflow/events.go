package workflow

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"sankofa"
)

// maxWithdrawPasses bounds one withdrawal run; each pass handles a page.
const maxWithdrawPasses = 100

// WithdrawPending withdraws the pending offers of an assignment that takes
// no more acceptances; each withdrawal notifies its worker. When the
// assignment is filled, offers whose acceptance holds one of its positions
// are left to finish. It returns the first failures, so the caller (the
// workflow consumer) can try again.
func (w *Workflow) WithdrawPending(ctx context.Context, assignmentID, reason string) error {
	var errs []error
	failed := map[string]bool{}
	for range maxWithdrawPasses {
		a, err := w.d.Assignments.Assignment(ctx, assignmentID)
		if sankofa.IsCode(err, sankofa.NotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if a.Status == sankofa.AssignmentOpen || a.Status == sankofa.AssignmentDraft {
			return nil // reopened (or never published): its offers stand
		}
		page, err := w.d.Index.Offers(ctx, sankofa.OfferFilter{AssignmentID: assignmentID, Status: sankofa.OfferPending, Limit: sankofa.MaxPageSize})
		if err != nil {
			return fmt.Errorf("workflow: list pending offers of %s: %w", assignmentID, err)
		}
		done := 0
		for _, id := range page.IDs {
			if failed[id] {
				continue
			}
			o, err := w.d.Offers.Offer(ctx, id)
			if sankofa.IsCode(err, sankofa.NotFound) {
				continue
			}
			if err != nil {
				errs, failed[id] = append(errs, err), true
				continue
			}
			if o.Status != sankofa.OfferPending {
				w.reindex(o) // the index is behind; it must not hold us up
				done++
				continue
			}
			if a.Status == sankofa.AssignmentFilled && slices.Contains(a.AcceptedOffers, o.ID) {
				failed[id] = true // mid-acceptance: it holds a position and finishes on its own
				continue
			}
			_, err = w.Move(ctx, o, sankofa.Withdraw, reason, "")
			if err != nil && !sankofa.IsCode(err, sankofa.Conflict) { // conflict: it ended meanwhile
				errs, failed[id] = append(errs, fmt.Errorf("withdraw %s: %w", id, err)), true
				continue
			}
			done++
		}
		// Withdrawn offers leave the pending list, so the next pass sees
		// what is left; a pass that changes nothing ends it.
		if done == 0 || page.NextCursor == "" {
			break
		}
	}
	return errors.Join(errs...)
}

// reindex puts a stale index entry right from the store's copy.
func (w *Workflow) reindex(o *sankofa.Offer) {
	if err := w.d.Index.IndexOffer(o); err != nil {
		w.log.Warn("offer: reindex a stale entry", "offer", o.ID, "err", err)
	}
}

// expireBatch is how many due offers one query fetches.
const expireBatch = 100

// ExpireDue expires pending offers past their expiry and returns how many.
// The sweeper calls it every minute. Index hits that turn out stale are
// put right and skipped, so they can never hold the sweep back.
func (w *Workflow) ExpireDue(ctx context.Context) (int, error) {
	n := 0
	skip := map[string]bool{}
	var errs []error
	for range maxWithdrawPasses {
		limit := expireBatch + len(skip)
		ids, err := w.d.Index.ExpiredOffers(ctx, w.now().UnixMilli(), limit)
		if err != nil {
			return n, errors.Join(append(errs, err)...)
		}
		progressed := false
		for _, id := range ids {
			if skip[id] {
				continue
			}
			skip[id] = true
			progressed = true
			o, err := w.d.Offers.Offer(ctx, id)
			if sankofa.IsCode(err, sankofa.NotFound) {
				continue
			}
			if err != nil {
				errs = append(errs, err)
				continue
			}
			if o.Status != sankofa.OfferPending {
				w.reindex(o)
				continue
			}
			if _, err := w.Move(ctx, o, sankofa.Expire, "", ""); err != nil && !sankofa.IsCode(err, sankofa.Conflict) {
				errs = append(errs, fmt.Errorf("expire %s: %w", id, err))
				continue
			}
			n++
		}
		if !progressed || len(ids) < limit {
			break // nothing new, or nothing more to fetch
		}
	}
	return n, errors.Join(errs...)
}

// ErrRetryLater says an event cannot be handled yet; the consumer delivers
// it again after a delay. It is temporary: an expected wait, not a
// failure worth a warning.
var ErrRetryLater error = notSettled{}

type notSettled struct{}

func (notSettled) Error() string   { return "workflow: not settled yet" }
func (notSettled) Temporary() bool { return true }

// HandleEvent is the handler of the shared workflow consumer: it finishes
// what a replica that died mid-way left undone. When an assignment stops
// taking acceptances its pending offers are withdrawn, and an acceptance
// that died is rolled back. An error means "deliver it again later".
func (w *Workflow) HandleEvent(ctx context.Context, ev sankofa.Event) error {
	kind, action, _ := strings.Cut(strings.TrimPrefix(ev.Subject, "sankofa."), ".")
	switch kind + "." + action {
	case "assignment.filled":
		return w.WithdrawPending(ctx, ev.EntityID, "all positions are filled")
	case "assignment.closed":
		return w.WithdrawPending(ctx, ev.EntityID, "the assignment was closed")
	case "assignment.cancelled":
		return w.WithdrawPending(ctx, ev.EntityID, "the assignment was cancelled")
	case "offer.accepting":
		return w.repairAcceptance(ctx, ev.EntityID)
	}
	return nil
}

// repairAcceptance rolls back an acceptance saga that died (its process
// was killed, or its undo failed): the offer is not accepted and its lease
// ran out, or was taken before this single-writer process started. While
// the saga may still be running, it asks to be called again later.
func (w *Workflow) repairAcceptance(ctx context.Context, offerID string) error {
	o, err := w.d.Offers.Offer(ctx, offerID)
	if sankofa.IsCode(err, sankofa.NotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if o.Status == sankofa.OfferAccepted || o.Lease == nil {
		return nil // finished, or given back by its own saga
	}
	// A saga still running is not waited for here: a consumer blocked on
	// it would hold the event in hand, and if the process died meanwhile
	// the event would come back only after the consumer's AckWait. Asking
	// to be called again lets it return after a second's delay instead.
	if w.sagaMayRun(o.Lease) {
		return fmt.Errorf("offer %s: acceptance in progress: %w", o.ID, ErrRetryLater)
	}
	if err := w.release(ctx, o, ""); err != nil {
		return err
	}
	if o.Status != sankofa.OfferPending {
		return nil
	}
	// Drop the dead lease so the worker can accept again.
	return retryStale(func() error {
		cur, err := w.d.Offers.Offer(ctx, offerID)
		if err != nil {
			return err
		}
		if cur.Lease == nil || cur.Lease.Token != o.Lease.Token || cur.Status != sankofa.OfferPending {
			return nil
		}
		n := *cur
		n.Lease = nil
		n.Version++
		n.UpdatedAt = w.now().UTC()
		return w.saveOffer(ctx, &n, "released", "")
	})
}

// OfferScanner reads every offer, for the repair after a crash.
type OfferScanner interface {
	EachOffer(ctx context.Context, fn func(*sankofa.Offer) error) error
}

// RepairAcceptances rolls back, at start-up after a crash, the acceptances
// the crash cut off, without waiting for their events to come back from
// the workflow consumer (up to its AckWait). It returns how many offers it
// looked at; acceptances another replica may still be running are left to
// the consumer.
func (w *Workflow) RepairAcceptances(ctx context.Context, offers OfferScanner) (int, error) {
	var leased []string
	err := offers.EachOffer(ctx, func(o *sankofa.Offer) error {
		if o.Lease != nil && o.Status != sankofa.OfferAccepted {
			leased = append(leased, o.ID)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("workflow: scan offers for cut acceptances: %w", err)
	}
	var errs []error
	for _, id := range leased {
		if err := w.repairAcceptance(ctx, id); err != nil && !errors.Is(err, ErrRetryLater) {
			errs = append(errs, fmt.Errorf("offer %s: %w", id, err))
		}
	}
	return len(leased), errors.Join(errs...)
}

// sagaMayRun says whether the saga holding l could still be writing.
func (w *Workflow) sagaMayRun(l *sankofa.OfferLease) bool {
	if l.Run == w.run {
		_, running := w.live.Load(l.Token)
		return running
	}
	if w.d.SingleWriter {
		return false // taken by an earlier run of this, the only, writer
	}
	return w.now().Before(l.Until)
}
