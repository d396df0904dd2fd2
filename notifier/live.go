package notifier

import (
	"fmt"
	"strconv"

	"github.com/nats-io/nats.go"
)

// Live signals, across replicas, that a person's inbox has a new entry, so
// that the replica holding their SSE connection reads it at once. The
// signal carries only the entry's seq: the inbox stays the truth, and a
// lost signal only delays delivery until the next one or a reconnect.
// Signals use core NATS, outside the event stream: they need no storage.
func liveSubject(userID string) string { return "live." + userID }

// Signal announces inbox entry seq of userID.
func (n *Notifier) Signal(userID string, seq int64) error {
	if err := n.nc.Publish(liveSubject(userID), []byte(strconv.FormatInt(seq, 10))); err != nil {
		return fmt.Errorf("notifier: signal: %w", err)
	}
	return nil
}

// Listen returns a channel that receives a value whenever userID's inbox
// may have new entries, and a function that stops listening. Signals that
// arrive while the reader is busy collapse into one.
func (n *Notifier) Listen(userID string) (<-chan struct{}, func(), error) {
	ch := make(chan struct{}, 1)
	sub, err := n.nc.Subscribe(liveSubject(userID), func(*nats.Msg) {
		// NATS runs this on a goroutine of its own, where a panic would
		// end the process.
		defer func() {
			if r := recover(); r != nil {
				n.log.Error("notifier: live signal handler panicked", "user", userID, "panic", r)
			}
		}()
		select {
		case ch <- struct{}{}:
		default:
		}
	})
	if err != nil {
		return nil, nil, fmt.Errorf("notifier: listen: %w", err)
	}
	// The subscription must be known to the server before the caller reads
	// the inbox, or a signal sent in between would be missed.
	if err := n.nc.Flush(); err != nil {
		_ = sub.Unsubscribe()
		return nil, nil, fmt.Errorf("notifier: listen: %w", err)
	}
	return ch, func() { _ = sub.Unsubscribe() }, nil
}
