package notifier

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"sankofa"
	"sankofa/metrics"
)

// Handler applies one event. An error makes JetStream deliver it again
// later, after the next delay of the retry schedule; an error wrapping
// ErrPermanent gives up at once. A panic counts as an error.
type Handler func(ctx context.Context, ev sankofa.Event) error

// retryDelays space out the redeliveries of an event whose handler fails:
// the n-th failure waits the n-th delay (the last repeats). With
// MaxDeliveries tries an event is retried for about half an hour, so a
// webhook receiver or a database that is away for minutes loses nothing.
var retryDelays = []time.Duration{time.Second, 5 * time.Second, 30 * time.Second, 2 * time.Minute, 10 * time.Minute}

// MaxDeliveries is how often an event is tried before it becomes a dead
// letter.
const MaxDeliveries = 8

const (
	// ackWait is how long JetStream waits for an answer before it
	// delivers an event again. It is longer than handlers take (a webhook
	// POST gives up after DefaultWebhookTimeout, 10s); a handler that runs
	// longer reports progress every progressEvery, so an event is never
	// redelivered while it is being handled. It is not longer still
	// because it is also how long an event held by a process that died
	// waits before another process gets it.
	ackWait = 30 * time.Second
	// handlerTimeout bounds one run of a handler, so a stuck handler
	// cannot hold its consumer (and, through InProgress, its event)
	// forever; the event is retried like any failure.
	handlerTimeout = 2 * time.Minute
	// pendingEvery is how often a consumer's lag is read for the metrics,
	// and its existence checked.
	pendingEvery = 5 * time.Second
	// drainWait bounds the wait for the event in hand at shutdown.
	drainWait = 10 * time.Second
)

// DeadLetterStream holds the events consumers gave up on, under
// "dlq.<consumer>".
const DeadLetterStream = "SANKOFA_DLQ"

// DeadLetter is an event a consumer gave up on.
type DeadLetter = sankofa.DeadLetter

// consumeSettings tune Consume; the zero value is production's.
type consumeSettings struct {
	metrics *metrics.Metrics
	// retryDelays and ackWait replace the package's in tests, which cannot
	// wait half an hour for a dead letter.
	retryDelays []time.Duration
	ackWait     time.Duration
}

// SetMetrics makes Consume count deliveries, acks, naks, dead letters,
// panics and lag per consumer. Call it before Consume; nil counts nothing.
func (n *Notifier) SetMetrics(m *metrics.Metrics) { n.cons.metrics = m }

// retryDelay is the pause before delivery number delivered+1 of an event
// whose handler failed with err: the schedule's, or the receiver's
// Retry-After when a webhook asked for longer.
func (n *Notifier) retryDelay(delivered int, err error) time.Duration {
	delays := retryDelays
	if n.cons.retryDelays != nil {
		delays = n.cons.retryDelays
	}
	d := delays[min(max(delivered, 1), len(delays))-1]
	if se := (*StatusError)(nil); errors.As(err, &se) && se.RetryAfter > d {
		d = se.RetryAfter
	}
	return d
}

// Consume delivers every event of the stream to h through the durable
// consumer `durable`, from the first event it has not acknowledged: after
// a restart it catches up where it stopped. Delivery is at least once, so
// h must be idempotent. A failed event is retried after the delays of the
// schedule; one that fails MaxDeliveries times, or fails permanently, is
// moved to the dead-letter stream. Consume returns nil when ctx ends, and
// an error when consuming stops on its own (the consumer was deleted or
// recreated, the connection closed), so that its supervisor starts it
// again.
func (n *Notifier) Consume(ctx context.Context, durable string, h Handler) error {
	wait := ackWait
	if n.cons.ackWait > 0 {
		wait = n.cons.ackWait
	}
	c, err := n.js.CreateOrUpdateConsumer(ctx, StreamName, jetstream.ConsumerConfig{
		Durable:       durable,
		Description:   "applies domain events",
		AckPolicy:     jetstream.AckExplicitPolicy,
		DeliverPolicy: jetstream.DeliverAllPolicy,
		AckWait:       wait,
		// No BackOff: it would replace AckWait with its first delay, and
		// redeliver a handler still running after a second. Failures are
		// spaced by NakWithDelay instead.
		//
		// Unlimited: handle decides when an event becomes a dead letter.
		// A server-side limit would drop an event silently when its last
		// delivery died with its process.
		MaxDeliver: -1,
	})
	if err != nil {
		return fmt.Errorf("notifier: consumer %s: %w", durable, err)
	}
	stopped := make(chan error, 1)
	cc, err := c.Consume(func(msg jetstream.Msg) { n.handle(ctx, durable, msg, h) },
		// One event at a time: an event waiting in this process's buffer
		// behind a slow one would reach its AckWait and be delivered again
		// while still queued. Events come at tens a second, far below what
		// a pull per event costs.
		jetstream.PullMaxMessages(1),
		jetstream.ConsumeErrHandler(func(_ jetstream.ConsumeContext, err error) {
			// The client recovers from the other errors (a missed
			// heartbeat, a reconnect, a new leader) by itself.
			if errors.Is(err, jetstream.ErrConsumerDeleted) || errors.Is(err, jetstream.ErrConnectionClosed) ||
				errors.Is(err, jetstream.ErrBadRequest) {
				select {
				case stopped <- err:
				default:
				}
			}
		}))
	if err != nil {
		return fmt.Errorf("notifier: consume %s: %w", durable, err)
	}
	closed := cc.Closed()
	tick := time.NewTicker(pendingEvery)
	defer tick.Stop()
	n.updatePending(ctx, c, durable)
	for {
		select {
		case <-ctx.Done():
			// Drain lets the event in hand finish (its handler sees ctx
			// end) and answer, so the next start need not wait out its
			// AckWait.
			cc.Drain()
			select {
			case <-closed:
			case <-time.After(drainWait):
			}
			return nil
		case err := <-stopped:
			cc.Stop()
			return fmt.Errorf("notifier: consumer %s stopped: %w", durable, err)
		case <-closed:
			return fmt.Errorf("notifier: consumer %s stopped", durable)
		case <-tick.C:
			// A consumer deleted while no pull was waiting sends no
			// notice; its absence shows here.
			if err := n.updatePending(ctx, c, durable); errors.Is(err, jetstream.ErrConsumerNotFound) {
				cc.Stop()
				return fmt.Errorf("notifier: consumer %s stopped: %w", durable, err)
			}
		}
	}
}

// updatePending sets the consumer's lag: events not yet delivered plus
// those delivered and not yet acknowledged.
func (n *Notifier) updatePending(ctx context.Context, c jetstream.Consumer, durable string) error {
	ctx, cancel := context.WithTimeout(ctx, pendingEvery)
	defer cancel()
	info, err := c.Info(ctx)
	if err != nil {
		return err
	}
	n.cons.metrics.ConsumerPending(durable, info.NumPending+uint64(max(info.NumAckPending, 0)))
	return nil
}

// handle runs h on one message and answers JetStream: ack on success,
// a delayed nak on failure, a dead letter after the last try.
func (n *Notifier) handle(ctx context.Context, durable string, msg jetstream.Msg, h Handler) {
	m := n.cons.metrics
	delivered := 1
	if md, err := msg.Metadata(); err == nil {
		delivered = int(md.NumDelivered)
	}
	if delivered > 1 {
		m.ConsumerEvent(durable, metrics.Redelivered)
	} else {
		m.ConsumerEvent(durable, metrics.Delivered)
	}
	if ctx.Err() != nil {
		// Shutting down: hand the event back at once, for another replica
		// or the next start.
		_ = msg.Nak()
		m.ConsumerEvent(durable, metrics.Naked)
		return
	}
	var ev sankofa.Event
	if err := json.Unmarshal(msg.Data(), &ev); err != nil {
		n.deadLetter(ctx, durable, msg, delivered, err)
		return
	}
	err := n.run(ctx, durable, msg, h, ev)
	switch {
	case err == nil:
		if err := msg.Ack(); err != nil {
			// The event comes back after AckWait and is handled again,
			// which handlers allow.
			n.log.Warn("notifier: cannot acknowledge an event", "consumer", durable, "event", ev.ID, "err", err)
			return
		}
		m.ConsumerEvent(durable, metrics.Acked)
	case ctx.Err() != nil:
		// Stopped by the shutdown, not failed: back at once, no penalty
		// but the delivery count.
		_ = msg.Nak()
		m.ConsumerEvent(durable, metrics.Naked)
	case errors.Is(err, ErrPermanent) || delivered >= MaxDeliveries:
		n.deadLetter(ctx, durable, msg, delivered, err)
	default:
		delay := n.retryDelay(delivered, err)
		// A temporary error is an expected wait (an acceptance still
		// running), not a failure worth a warning.
		level := slog.LevelWarn
		if t := (interface{ Temporary() bool })(nil); errors.As(err, &t) && t.Temporary() {
			level = slog.LevelInfo
		}
		n.log.Log(ctx, level, "notifier: event handler failed; will retry", "consumer", durable, "event", ev.ID,
			"subject", ev.Subject, "delivery", delivered, "retry_in", delay, "err", err)
		_ = msg.NakWithDelay(delay)
		m.ConsumerEvent(durable, metrics.Naked)
	}
}

// run calls h on its own deadline, tells JetStream the event is still in
// hand while h runs, and turns a panic into an error, so that one bad
// event takes the normal retry and dead-letter path instead of the
// process down.
func (n *Notifier) run(ctx context.Context, durable string, msg jetstream.Msg, h Handler, ev sankofa.Event) (err error) {
	ctx, cancel := context.WithTimeout(ctx, handlerTimeout)
	defer cancel()
	wait := ackWait
	if n.cons.ackWait > 0 {
		wait = n.cons.ackWait
	}
	done := make(chan struct{})
	defer close(done)
	go func() {
		t := time.NewTicker(wait / 3)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				_ = msg.InProgress()
			}
		}
	}()
	defer func() {
		if r := recover(); r != nil {
			n.cons.metrics.ConsumerEvent(durable, metrics.Panicked)
			n.log.Error("notifier: event handler panicked", "consumer", durable, "event", ev.ID,
				"subject", ev.Subject, "panic", r, "stack", string(debug.Stack()))
			err = fmt.Errorf("notifier: handler of %s panicked on %s: %v", durable, ev.ID, r)
		}
	}()
	return h(ctx, ev)
}

// deadLetter records a message its consumer gives up on and stops its
// redelivery. If the record cannot be written the message is left to be
// redelivered, so nothing is dropped silently.
func (n *Notifier) deadLetter(ctx context.Context, durable string, msg jetstream.Msg, delivered int, cause error) {
	event := json.RawMessage(msg.Data())
	if !json.Valid(event) {
		b, _ := json.Marshal(string(msg.Data()))
		event = b
	}
	body, _ := json.Marshal(DeadLetter{Consumer: durable, Event: event, Error: cause.Error(), FailedAt: time.Now().UTC(), Deliveries: delivered})
	if _, err := n.js.Publish(ctx, "dlq."+durable, body); err != nil {
		n.log.Error("notifier: cannot record a dead letter; it will be retried", "consumer", durable, "err", err)
		_ = msg.NakWithDelay(n.retryDelay(delivered, nil))
		n.cons.metrics.ConsumerEvent(durable, metrics.Naked)
		return
	}
	n.log.Error("notifier: event moved to the dead-letter stream", "consumer", durable, "subject", msg.Subject(),
		"deliveries", delivered, "err", cause)
	_ = msg.Term()
	n.cons.metrics.ConsumerEvent(durable, metrics.DeadLetter)
}

// DeadLetters returns up to limit of the most recent dead letters, newest
// first.
func (n *Notifier) DeadLetters(ctx context.Context, limit int) ([]DeadLetter, error) {
	s, err := n.js.Stream(ctx, DeadLetterStream)
	if err != nil {
		return nil, fmt.Errorf("notifier: dead letters: %w", err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		return nil, fmt.Errorf("notifier: dead letters: %w", err)
	}
	out := []DeadLetter{}
	for seq := info.State.LastSeq; seq >= info.State.FirstSeq && seq > 0 && len(out) < limit; seq-- {
		m, err := s.GetMsg(ctx, seq)
		if errors.Is(err, jetstream.ErrMsgNotFound) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("notifier: dead letters: %w", err)
		}
		var d DeadLetter
		if json.Unmarshal(m.Data, &d) == nil {
			out = append(out, d)
		}
	}
	return out, nil
}
