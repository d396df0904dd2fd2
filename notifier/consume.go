package notifier

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"sankofa"
)

// Handler applies one event. An error makes JetStream deliver it again
// later, with back-off; an error wrapping ErrPermanent gives up at once.
type Handler func(ctx context.Context, ev sankofa.Event) error

// retryDelays space out the redeliveries of an event whose handler fails.
var retryDelays = []time.Duration{time.Second, 5 * time.Second, 30 * time.Second, 2 * time.Minute, 10 * time.Minute}

// MaxDeliveries is how often an event is tried before it becomes a dead
// letter.
const MaxDeliveries = 8

// DeadLetterStream holds the events consumers gave up on, under
// "dlq.<consumer>".
const DeadLetterStream = "SANKOFA_DLQ"

// DeadLetter is an event a consumer gave up on.
type DeadLetter = sankofa.DeadLetter

// Consume delivers every event of the stream to h through the durable
// consumer `durable`, from the first event it has not acknowledged: after
// a restart it catches up where it stopped. Delivery is at least once, so
// h must be idempotent. An event that fails MaxDeliveries times, or fails
// permanently, is moved to the dead-letter stream. Consume returns when
// ctx ends.
func (n *Notifier) Consume(ctx context.Context, durable string, h Handler) error {
	c, err := n.js.CreateOrUpdateConsumer(ctx, StreamName, jetstream.ConsumerConfig{
		Durable:       durable,
		Description:   "applies domain events",
		AckPolicy:     jetstream.AckExplicitPolicy,
		DeliverPolicy: jetstream.DeliverAllPolicy,
		AckWait:       30 * time.Second,
		MaxDeliver:    MaxDeliveries,
		BackOff:       retryDelays,
	})
	if err != nil {
		return fmt.Errorf("notifier: consumer %s: %w", durable, err)
	}
	cc, err := c.Consume(func(msg jetstream.Msg) {
		var ev sankofa.Event
		if err := json.Unmarshal(msg.Data(), &ev); err != nil {
			n.deadLetter(ctx, durable, msg, err)
			return
		}
		err := h(ctx, ev)
		if err == nil {
			_ = msg.Ack()
			return
		}
		delivered := 1
		if md, mdErr := msg.Metadata(); mdErr == nil {
			delivered = int(md.NumDelivered)
		}
		if errors.Is(err, ErrPermanent) || delivered >= MaxDeliveries {
			n.deadLetter(ctx, durable, msg, err)
			return
		}
		n.log.Warn("notifier: event handler failed; will retry", "consumer", durable, "event", ev.ID, "delivery", delivered, "err", err)
		_ = msg.Nak() // the consumer's BackOff spaces the retries
	})
	if err != nil {
		return fmt.Errorf("notifier: consume %s: %w", durable, err)
	}
	<-ctx.Done()
	cc.Drain()
	return nil
}

// deadLetter records a message its consumer gives up on and stops its
// redelivery. If the record cannot be written the message is left to be
// redelivered, so nothing is dropped silently.
func (n *Notifier) deadLetter(ctx context.Context, durable string, msg jetstream.Msg, cause error) {
	delivered := 0
	if md, err := msg.Metadata(); err == nil {
		delivered = int(md.NumDelivered)
	}
	event := json.RawMessage(msg.Data())
	if !json.Valid(event) {
		b, _ := json.Marshal(string(msg.Data()))
		event = b
	}
	body, _ := json.Marshal(DeadLetter{Consumer: durable, Event: event, Error: cause.Error(), FailedAt: time.Now().UTC(), Deliveries: delivered})
	if _, err := n.js.Publish(ctx, "dlq."+durable, body); err != nil {
		n.log.Error("notifier: cannot record a dead letter; it will be retried", "consumer", durable, "err", err)
		_ = msg.Nak()
		return
	}
	n.log.Error("notifier: event moved to the dead-letter stream", "consumer", durable, "subject", msg.Subject(), "err", cause)
	_ = msg.Term()
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
