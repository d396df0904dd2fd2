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

// What `sankofa check` reads of the event stream. Nothing here writes.

// ConsumerLag calls fn with every durable consumer of the event stream
// and how many events it has not acknowledged yet: those not delivered
// plus those delivered and awaiting an ack (a retry waiting out its
// back-off among them). An event given up on (dead-lettered) counts as
// acknowledged.
func (n *Notifier) ConsumerLag(ctx context.Context, fn func(consumer string, unacked uint64) error) error {
	st, err := n.js.Stream(ctx, StreamName)
	if err != nil {
		return fmt.Errorf("notifier: stream: %w", err)
	}
	list := st.ListConsumers(ctx)
	for info := range list.Info() {
		if err := fn(info.Name, info.NumPending+uint64(max(info.NumAckPending, 0))); err != nil {
			return err
		}
	}
	if err := list.Err(); err != nil {
		return fmt.Errorf("notifier: list consumers: %w", err)
	}
	return nil
}

// LastSequence is the sequence of the last event the stream took. A
// check reads it before and after looking, so that an event published
// in between cannot slip past it.
func (n *Notifier) LastSequence(ctx context.Context) (uint64, error) {
	st, err := n.js.Stream(ctx, StreamName)
	if err != nil {
		return 0, fmt.Errorf("notifier: stream: %w", err)
	}
	info, err := st.Info(ctx)
	if err != nil {
		return 0, fmt.Errorf("notifier: stream info: %w", err)
	}
	return info.State.LastSeq, nil
}

// HandledEvents calls fn, oldest first, with every event of the stream up
// to the durable consumer's ack floor: the events it has handled (or
// given up on). A consumer that does not exist has handled nothing.
func (n *Notifier) HandledEvents(ctx context.Context, consumer string, fn func(sankofa.Event) error) error {
	st, err := n.js.Stream(ctx, StreamName)
	if err != nil {
		return fmt.Errorf("notifier: stream: %w", err)
	}
	c, err := st.Consumer(ctx, consumer)
	if err != nil {
		if errors.Is(err, jetstream.ErrConsumerNotFound) {
			return nil
		}
		return fmt.Errorf("notifier: consumer %s: %w", consumer, err)
	}
	info, err := c.Info(ctx)
	if err != nil {
		return fmt.Errorf("notifier: consumer %s: %w", consumer, err)
	}
	floor := info.AckFloor.Stream
	sinfo, err := st.Info(ctx)
	if err != nil {
		return fmt.Errorf("notifier: stream info: %w", err)
	}
	if floor == 0 || sinfo.State.Msgs == 0 || floor < sinfo.State.FirstSeq {
		return nil
	}
	oc, err := st.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{})
	if err != nil {
		return fmt.Errorf("notifier: read stream: %w", err)
	}
	for {
		msg, err := oc.Next(jetstream.FetchMaxWait(5 * time.Second))
		if err != nil {
			return fmt.Errorf("notifier: read stream: %w", err)
		}
		meta, err := msg.Metadata()
		if err != nil {
			return fmt.Errorf("notifier: read stream: %w", err)
		}
		if meta.Sequence.Stream > floor {
			return nil
		}
		var ev sankofa.Event
		if err := json.Unmarshal(msg.Data(), &ev); err != nil {
			return fmt.Errorf("notifier: decode event at %d: %w", meta.Sequence.Stream, err)
		}
		if err := fn(ev); err != nil {
			return err
		}
		if meta.Sequence.Stream == floor {
			return nil
		}
	}
}
