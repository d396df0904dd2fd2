package notifier

import (
	"context"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// SetRetryForTest replaces the retry schedule and AckWait, so that tests
// need not wait half an hour for a dead letter; zero values keep them.
func (n *Notifier) SetRetryForTest(delays []time.Duration, wait time.Duration) {
	n.cons.retryDelays, n.cons.ackWait = delays, wait
}

// DeleteConsumerForTest deletes a durable consumer, as an operator or a
// stream restore would.
func (n *Notifier) DeleteConsumerForTest(ctx context.Context, durable string) error {
	return n.js.DeleteConsumer(ctx, StreamName, durable)
}

// CreateOldConsumerForTest creates durable as releases before issue 8 did,
// with a BackOff, to check that Consume updates it in place.
func (n *Notifier) CreateOldConsumerForTest(ctx context.Context, durable string) error {
	_, err := n.js.CreateOrUpdateConsumer(ctx, StreamName, jetstream.ConsumerConfig{
		Durable: durable, AckPolicy: jetstream.AckExplicitPolicy, DeliverPolicy: jetstream.DeliverAllPolicy,
		AckWait: 30 * time.Second, MaxDeliver: MaxDeliveries, BackOff: retryDelays,
	})
	return err
}

// ConsumerInfoForTest returns a consumer's state.
func (n *Notifier) ConsumerInfoForTest(ctx context.Context, durable string) (*jetstream.ConsumerInfo, error) {
	c, err := n.js.Consumer(ctx, StreamName, durable)
	if err != nil {
		return nil, err
	}
	return c.Info(ctx)
}

// RetryDelayForTest is the pause before the next delivery of an event
// whose delivery number delivered failed with err.
func (n *Notifier) RetryDelayForTest(delivered int, err error) time.Duration {
	return n.retryDelay(delivered, err)
}
