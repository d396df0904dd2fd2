package notifier

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Purge overwrites, in the event stream and the dead-letter stream, every
// message whose payload holds one of needles, and returns how many it
// erased. Events carry snapshots of the entities they are about, so an
// erased person's name, e-mail and texts are in the stream until its
// retention ends; a secure delete overwrites the message in the stream's
// files instead of only marking it deleted. A consumer that has not read
// such an event yet skips it: the erasure's own events, which name no one,
// bring the index and the other consumers up to date.
//
// It reads each stream once, in order, through an ordered consumer, up to
// the last message there when it started.
func (n *Notifier) Purge(ctx context.Context, needles [][]byte) (int, error) {
	erased := 0
	for _, name := range []string{StreamName, DeadLetterStream} {
		k, err := n.purgeStream(ctx, name, needles)
		erased += k
		if err != nil {
			return erased, err
		}
	}
	return erased, nil
}

func (n *Notifier) purgeStream(ctx context.Context, name string, needles [][]byte) (int, error) {
	st, err := n.js.Stream(ctx, name)
	if err != nil {
		return 0, fmt.Errorf("notifier: purge %s: %w", name, err)
	}
	info, err := st.Info(ctx)
	if err != nil {
		return 0, fmt.Errorf("notifier: purge %s: %w", name, err)
	}
	last := info.State.LastSeq
	if info.State.Msgs == 0 {
		return 0, nil
	}
	cons, err := st.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{DeliverPolicy: jetstream.DeliverAllPolicy})
	if err != nil {
		return 0, fmt.Errorf("notifier: purge %s: %w", name, err)
	}
	var hits []uint64
	for done := false; !done; {
		batch, err := cons.Fetch(500, jetstream.FetchMaxWait(2*time.Second))
		if err != nil {
			return 0, fmt.Errorf("notifier: purge %s: %w", name, err)
		}
		got := 0
		for msg := range batch.Messages() {
			got++
			meta, err := msg.Metadata()
			if err != nil {
				continue
			}
			if holdsAny(msg.Data(), needles) {
				hits = append(hits, meta.Sequence.Stream)
			}
			if meta.Sequence.Stream >= last {
				done = true
			}
		}
		if err := batch.Error(); err != nil && !errors.Is(err, jetstream.ErrNoMessages) && !errors.Is(err, context.DeadlineExceeded) {
			return 0, fmt.Errorf("notifier: purge %s: %w", name, err)
		}
		if got == 0 {
			done = true // nothing more to read: the rest expired meanwhile
		}
	}
	erased := 0
	for _, seq := range hits {
		err := st.SecureDeleteMsg(ctx, seq)
		if err != nil && !errors.Is(err, jetstream.ErrMsgNotFound) {
			return erased, fmt.Errorf("notifier: purge %s message %d: %w", name, seq, err)
		}
		erased++
	}
	return erased, nil
}

func holdsAny(data []byte, needles [][]byte) bool {
	for _, n := range needles {
		if len(n) > 0 && bytes.Contains(data, n) {
			return true
		}
	}
	return false
}
