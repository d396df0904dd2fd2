package notifier

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"sankofa"
)

// Consumers returns every durable consumer of the event stream, by name,
// with its lag: one request for the list, whatever the number of events.
func (n *Notifier) Consumers(ctx context.Context) ([]sankofa.ConsumerStatus, error) {
	st, err := n.js.Stream(ctx, StreamName)
	if err != nil {
		return nil, fmt.Errorf("notifier: consumers: %w", err)
	}
	l := st.ListConsumers(ctx)
	out := []sankofa.ConsumerStatus{}
	for info := range l.Info() {
		out = append(out, consumerStatus(info))
	}
	if err := l.Err(); err != nil {
		return nil, fmt.Errorf("notifier: consumers: %w", err)
	}
	slices.SortFunc(out, func(a, b sankofa.ConsumerStatus) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

func consumerStatus(info *jetstream.ConsumerInfo) sankofa.ConsumerStatus {
	c := sankofa.ConsumerStatus{Name: info.Name, Pending: info.NumPending, AckPending: info.NumAckPending,
		Redelivered: info.NumRedelivered, LastActive: info.Delivered.Last}
	if c.LastActive != nil {
		t := c.LastActive.UTC()
		c.LastActive = &t
	}
	return c
}

// ConsumerProgress returns the lag of one durable consumer together with
// the time of the last event it acknowledged with every one before it
// (AppliedAt) and of the oldest event it has not acknowledged
// (OldestPendingAt): how far behind it is, in time. It costs three
// requests. A consumer that does not exist is not_found.
func (n *Notifier) ConsumerProgress(ctx context.Context, durable string) (sankofa.ConsumerStatus, error) {
	st, err := n.js.Stream(ctx, StreamName)
	if err != nil {
		return sankofa.ConsumerStatus{}, fmt.Errorf("notifier: consumer %s: %w", durable, err)
	}
	c, err := st.Consumer(ctx, durable)
	if errors.Is(err, jetstream.ErrConsumerNotFound) {
		return sankofa.ConsumerStatus{}, sankofa.Errorf(sankofa.NotFound, "no consumer %s", durable)
	}
	if err != nil {
		return sankofa.ConsumerStatus{}, fmt.Errorf("notifier: consumer %s: %w", durable, err)
	}
	info := c.CachedInfo()
	out := consumerStatus(info)
	floor := info.AckFloor.Stream
	if floor > 0 {
		if out.AppliedAt, err = eventTime(ctx, st, floor); err != nil {
			return out, fmt.Errorf("notifier: consumer %s: %w", durable, err)
		}
	}
	if info.NumPending > 0 || info.NumAckPending > 0 {
		if out.OldestPendingAt, err = eventTime(ctx, st, floor+1); err != nil {
			return out, fmt.Errorf("notifier: consumer %s: %w", durable, err)
		}
	}
	return out, nil
}

// eventTime reads when the event at seq was committed; zero when the
// stream no longer holds it.
func eventTime(ctx context.Context, st jetstream.Stream, seq uint64) (time.Time, error) {
	m, err := st.GetMsg(ctx, seq)
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, err
	}
	var ev struct {
		At time.Time `json:"at"`
	}
	if json.Unmarshal(m.Data, &ev) != nil || ev.At.IsZero() {
		return m.Time.UTC(), nil
	}
	return ev.At.UTC(), nil
}

// DeadLetterCount returns how many dead letters the dead-letter stream
// holds.
func (n *Notifier) DeadLetterCount(ctx context.Context) (uint64, error) {
	s, err := n.js.Stream(ctx, DeadLetterStream)
	if err != nil {
		return 0, fmt.Errorf("notifier: dead letters: %w", err)
	}
	// Stream has just fetched the stream's info.
	return s.CachedInfo().State.Msgs, nil
}
