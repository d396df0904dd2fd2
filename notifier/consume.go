package notifier

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"sankofa"
)

// Handler applies one event. An error makes JetStream deliver it again
// later, with back-off.
type Handler func(ctx context.Context, ev sankofa.Event) error

// retryDelays space out the redeliveries of an event whose handler fails.
var retryDelays = []time.Duration{time.Second, 5 * time.Second, 30 * time.Second, 2 * time.Minute}

// Consume delivers every event of the stream to h through the durable
// consumer `durable`, from the first event it has not acknowledged: after
// a restart it catches up where it stopped. Delivery is at least once, so
// h must be idempotent. Consume returns when ctx ends.
func (n *Notifier) Consume(ctx context.Context, durable string, h Handler) error {
	c, err := n.js.CreateOrUpdateConsumer(ctx, StreamName, jetstream.ConsumerConfig{
		Durable:       durable,
		Description:   "applies domain events",
		AckPolicy:     jetstream.AckExplicitPolicy,
		DeliverPolicy: jetstream.DeliverAllPolicy,
		AckWait:       30 * time.Second,
		MaxDeliver:    -1,
		BackOff:       retryDelays,
	})
	if err != nil {
		return fmt.Errorf("notifier: consumer %s: %w", durable, err)
	}
	cc, err := c.Consume(func(msg jetstream.Msg) {
		var ev sankofa.Event
		if err := json.Unmarshal(msg.Data(), &ev); err != nil {
			n.log.Warn("notifier: undecodable event dropped", "subject", msg.Subject(), "err", err)
			_ = msg.Term()
			return
		}
		if err := h(ctx, ev); err != nil {
			n.log.Warn("notifier: event handler failed; will retry", "event", ev.ID, "err", err)
			_ = msg.Nak()
			return
		}
		_ = msg.Ack()
	})
	if err != nil {
		return fmt.Errorf("notifier: consume %s: %w", durable, err)
	}
	<-ctx.Done()
	cc.Drain()
	return nil
}
