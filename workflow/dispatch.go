package workflow

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"sankofa"
	"sankofa/metrics"
)

// Dispatcher applies a committed event's side effects: it updates the
// search index (so the writer reads its own write at once), publishes the
// event, and then acknowledges it in the outbox. If any step fails the
// event stays in the outbox and Run tries again.
type Dispatcher struct {
	outbox   Outbox
	index    Index
	events   Publisher
	accounts AccountReader
	profiles ProfileStore
	metrics  *metrics.Metrics
	log      *slog.Logger
}

// Dispatch indexes, publishes and acknowledges one event.
func (d *Dispatcher) Dispatch(ctx context.Context, p sankofa.PendingEvent) error {
	if err := d.apply(ctx, p); err != nil {
		return err
	}
	if err := d.events.Publish(ctx, p.Event); err != nil {
		return err
	}
	return d.outbox.Ack(ctx, p)
}

// After runs Dispatch for a write that has committed. A failure is
// logged, not returned: the write stands and Run will finish the job.
func (d *Dispatcher) After(ctx context.Context, p sankofa.PendingEvent) {
	// The client may hang up; the side effects should still happen.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := d.Dispatch(ctx, p); err != nil {
		d.log.WarnContext(ctx, "event left in outbox for retry", "event", p.Event.ID, "err", err)
	}
}

func (d *Dispatcher) apply(ctx context.Context, p sankofa.PendingEvent) error {
	switch v := p.Current.(type) {
	case *sankofa.Account:
		if err := d.index.IndexAccount(v); err != nil {
			return err
		}
		// A worker's profile is matched only while the account is active.
		if v.Role != sankofa.RoleProfessional {
			return nil
		}
		prof, _, err := d.profiles.ProfileSlot(ctx, sankofa.ProfileIDFor(v.ID))
		if err != nil || prof == nil {
			return err
		}
		return d.index.IndexProfile(prof, v.Status == sankofa.StatusActive)
	case *sankofa.Profile:
		acc, err := d.accounts.Account(ctx, v.AccountID)
		if err != nil {
			return err
		}
		return d.index.IndexProfile(v, acc.Status == sankofa.StatusActive)
	case *sankofa.Assignment:
		return d.index.IndexAssignment(v)
	case *sankofa.Offer:
		return d.index.IndexOffer(v)
	case nil:
		// Only profiles are ever deleted.
		return d.index.DeleteProfile(p.Event.EntityID, p.Event.Version)
	}
	return fmt.Errorf("workflow: dispatch %s: unknown entity %T", p.Event.ID, p.Current)
}

// Run re-dispatches events that were committed but never acknowledged,
// because the process died or NATS was down. The first pass uses
// firstGrace (0 is safe when no other process writes to the store); later
// passes, every interval, leave events younger than grace to their writers.
func (d *Dispatcher) Run(ctx context.Context, interval, firstGrace, grace time.Duration) {
	g := firstGrace
	for {
		if n, err := d.Redispatch(ctx, g); err != nil && !errors.Is(err, context.Canceled) {
			d.log.WarnContext(ctx, "outbox relay", "err", err)
		} else if n > 0 {
			d.log.InfoContext(ctx, "outbox relay re-sent events", "count", n)
		}
		g = grace
		select {
		case <-ctx.Done():
			return
		case <-time.After(interval):
		}
	}
}

// Redispatch makes one pass over the outbox and returns how many events
// it completed.
func (d *Dispatcher) Redispatch(ctx context.Context, grace time.Duration) (int, error) {
	pending, err := d.outbox.Recover(ctx, grace)
	if err != nil {
		return 0, err
	}
	// One event that keeps failing must not hold back the others, but a
	// run of failures means NATS or the database is away: stop until the
	// next pass rather than wait out a timeout per event.
	done, failed := 0, 0
	var errs []error
	for _, p := range pending {
		if err := ctx.Err(); err != nil {
			errs = append(errs, err)
			break
		}
		if err := d.Dispatch(ctx, p); err != nil {
			errs = append(errs, fmt.Errorf("event %s: %w", p.Event.ID, err))
			if failed++; failed == 3 {
				break
			}
			continue
		}
		done, failed = done+1, 0
	}
	d.metrics.OutboxUnacked(len(pending) - done)
	return done, errors.Join(errs...)
}
