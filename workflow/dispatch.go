package workflow

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"sankofa"
	"sankofa/metrics"
)

// Dispatcher applies a committed event's side effects: it updates the
// search index (so the writer reads its own write at once), publishes the
// event, and then acknowledges it in the outbox. If any step fails the
// event stays in the outbox and Run tries again.
//
// A write's response waits for the index only: while RunPublisher runs,
// publishing and acknowledging happen behind it, in batches. The event is
// durable already, in its entity's outbox, so nothing acknowledged to the
// client depends on them.
type Dispatcher struct {
	outbox   Outbox
	index    Index
	events   Publisher
	accounts AccountReader
	profiles ProfileStore
	metrics  *metrics.Metrics
	log      *slog.Logger

	queue      chan sankofa.PendingEvent // indexed, waiting to be published
	publishers atomic.Int32              // RunPublisher loops running
}

// Batch limits of the publisher: as many events as are queued, up to
// maxPublishBatch at once; an acknowledgement not written by the
// entity's next save is written ackFlushAge after publication.
const (
	maxPublishBatch = 256
	publishQueue    = 4096
	ackFlushAge     = time.Second
)

// BatchPublisher publishes many events at once; the notifier is one.
type BatchPublisher interface {
	PublishAll(ctx context.Context, evs []sankofa.Event) []error
}

// AckFlusher writes acknowledgements its Ack left for later; the embedded
// store is one.
type AckFlusher interface {
	FlushAcks(ctx context.Context, age time.Duration) error
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

// After runs Dispatch for a write that has committed: it indexes the
// event's entity, then hands the event to RunPublisher, or publishes it
// itself when no publisher runs. A failure is logged, not returned: the
// write stands and Run will finish the job.
func (d *Dispatcher) After(ctx context.Context, p sankofa.PendingEvent) {
	// The client may hang up; the side effects should still happen.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if d.publishers.Load() == 0 {
		if err := d.Dispatch(ctx, p); err != nil {
			d.log.WarnContext(ctx, "event left in outbox for retry", "event", p.Event.ID, "err", err)
		}
		return
	}
	if err := d.apply(ctx, p); err != nil {
		d.log.WarnContext(ctx, "event left in outbox for retry", "event", p.Event.ID, "err", err)
		return
	}
	select {
	case d.queue <- p:
	case <-ctx.Done():
		// Publishing is stuck (NATS away): the relay takes over.
		d.log.WarnContext(ctx, "event left in outbox for retry", "event", p.Event.ID, "err", "the publisher's queue is full")
	}
}

// RunPublisher publishes the events After queues, in batches: everything
// queued, up to maxPublishBatch, is sent at once and acknowledged once
// JetStream has stored it. An event that fails stays in the outbox for
// Run. When ctx ends it publishes what is queued and returns.
func (d *Dispatcher) RunPublisher(ctx context.Context) {
	d.publishers.Add(1)
	defer d.publishers.Add(-1)
	tick := time.NewTicker(ackFlushAge / 2)
	defer tick.Stop()
	for {
		select {
		case p := <-d.queue:
			d.publishBatch(ctx, d.collect(p))
		case <-tick.C:
			d.flushAcks(ctx, ackFlushAge)
		case <-ctx.Done():
			// Writers still running (a consumer's write during shutdown)
			// publish their own events from now on.
			d.publishers.Add(-1)
			defer d.publishers.Add(1)
			// Not for long, though: with NATS away, the outbox keeps them.
			until := time.Now().Add(5 * time.Second)
			for time.Now().Before(until) {
				select {
				case p := <-d.queue:
					d.publishBatch(ctx, d.collect(p))
				default:
					return
				}
			}
			return
		}
	}
}

// collect returns first and whatever else is queued, up to a batch.
func (d *Dispatcher) collect(first sankofa.PendingEvent) []sankofa.PendingEvent {
	batch := []sankofa.PendingEvent{first}
	for len(batch) < maxPublishBatch {
		select {
		case p := <-d.queue:
			batch = append(batch, p)
		default:
			return batch
		}
	}
	return batch
}

func (d *Dispatcher) publishBatch(ctx context.Context, batch []sankofa.PendingEvent) {
	// A batch taken from the queue is finished even if the publisher is
	// being stopped: its events' writers have had their answers.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	errs := make([]error, len(batch))
	if bp, ok := d.events.(BatchPublisher); ok {
		evs := make([]sankofa.Event, len(batch))
		for i, p := range batch {
			evs[i] = p.Event
		}
		errs = bp.PublishAll(ctx, evs)
	} else {
		for i, p := range batch {
			errs[i] = d.events.Publish(ctx, p.Event)
		}
	}
	for i, p := range batch {
		err := errs[i]
		if err == nil {
			err = d.outbox.Ack(ctx, p)
		}
		if err != nil {
			d.log.WarnContext(ctx, "event left in outbox for retry", "event", p.Event.ID, "err", err)
		}
	}
}

func (d *Dispatcher) flushAcks(ctx context.Context, age time.Duration) {
	f, ok := d.outbox.(AckFlusher)
	if !ok {
		return
	}
	if err := f.FlushAcks(ctx, age); err != nil && ctx.Err() == nil {
		d.log.WarnContext(ctx, "write acknowledgements", "err", err)
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
		// The index usually knows the account's status; the store is read
		// only when it does not.
		if ai, ok := d.index.(interface{ AccountActive(string) (bool, bool) }); ok {
			if active, known := ai.AccountActive(v.AccountID); known {
				return d.index.IndexProfile(v, active)
			}
		}
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
