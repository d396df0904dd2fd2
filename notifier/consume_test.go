package notifier_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"sankofa"
	"sankofa/metrics"
	"sankofa/notifier"
	"sankofa/supervise"
)

// TestConsume_RetryThenDeadLetter shows a transient failure retried until
// it succeeds, and a permanent one moved to the dead-letter stream at
// once, where an admin can list it; neither blocks the events after it.
func TestConsume_RetryThenDeadLetter(t *testing.T) {
	n := MustOpenNotifier(t, t.TempDir())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for i := range 3 {
		ev, err := sankofa.NewEvent("offer", "created", fmt.Sprintf("of_%d", i), 1, "", time.Now(), map[string]int{"i": i})
		if err != nil {
			t.Fatal(err)
		}
		if err := n.Publish(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	var mu sync.Mutex
	calls := map[string]int{}
	done := map[string]bool{}
	go n.Consume(ctx, "test", func(_ context.Context, ev sankofa.Event) error {
		mu.Lock()
		defer mu.Unlock()
		calls[ev.EntityID]++
		switch {
		case ev.EntityID == "of_0" && calls[ev.EntityID] == 1:
			return errors.New("the database blinked")
		case ev.EntityID == "of_1":
			return fmt.Errorf("%w: this event can never be handled", notifier.ErrPermanent)
		}
		done[ev.EntityID] = true
		return nil
	})
	deadline := time.Now().Add(20 * time.Second)
	for {
		mu.Lock()
		ok := done["of_0"] && done["of_2"]
		mu.Unlock()
		dead, err := n.DeadLetters(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		if ok && len(dead) == 1 {
			if dead[0].Consumer != "test" || dead[0].Deliveries != 1 || !strings.Contains(string(dead[0].Event), "of_1") {
				t.Errorf("dead letter = %+v", dead[0])
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("handled %v after %v calls; dead letters %+v", done, calls, dead)
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond)
	mu.Lock()
	defer mu.Unlock()
	if calls["of_0"] != 2 || calls["of_1"] != 1 || calls["of_2"] != 1 {
		t.Errorf("calls = %v; want of_0 twice (one retry), the others once", calls)
	}
}

// publishN publishes one event per id, of subject sankofa.offer.created.
func publishN(t *testing.T, n *notifier.Notifier, ids ...string) {
	t.Helper()
	for _, id := range ids {
		ev, err := sankofa.NewEvent("offer", "created", id, 1, "", time.Now(), map[string]string{"id": id})
		if err != nil {
			t.Fatal(err)
		}
		if err := n.Publish(context.Background(), ev); err != nil {
			t.Fatal(err)
		}
	}
}

// metric returns the value of one exposition line of m, "" when absent.
func metric(t *testing.T, m *metrics.Metrics, series string) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	for l := range strings.SplitSeq(rec.Body.String(), "\n") {
		if v, ok := strings.CutPrefix(l, series+" "); ok {
			return v
		}
	}
	return ""
}

// eventually polls cond every 20 ms until it holds, failing after limit.
func eventually(t *testing.T, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", limit, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// calls counts handler runs by entity id.
type calls struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *calls) add(id string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n = map[string]int{}
	}
	c.n[id]++
	return c.n[id]
}

func (c *calls) get(id string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[id]
}

// TestConsume_ReceiverDownFor30s: a handler failing for 30 s (a webhook
// receiver that is down) gets the event once it recovers. A plain Nak used
// to redeliver at once, so the event was dead-lettered within
// milliseconds, after 8 tries.
func TestConsume_ReceiverDownFor30s(t *testing.T) {
	t.Parallel()
	n := MustOpenNotifier(t, t.TempDir())
	m := metrics.New()
	n.SetMetrics(m)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	publishN(t, n, "of_down")
	upAt := time.Now().Add(30 * time.Second)
	var c calls
	var handled atomic.Bool
	go n.Consume(ctx, "hooks", func(_ context.Context, ev sankofa.Event) error {
		c.add(ev.EntityID)
		if time.Now().Before(upAt) {
			return &notifier.StatusError{StatusCode: http.StatusServiceUnavailable}
		}
		handled.Store(true)
		return nil
	})
	eventually(t, 90*time.Second, "the event to be handled after the outage", func() bool {
		dead, err := n.DeadLetters(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(dead) > 0 {
			t.Fatalf("dead-lettered during the outage after %d tries: %s", c.get("of_down"), dead[0].Error)
		}
		return handled.Load()
	})
	// Tried at 0, 1, 6 and 36 s.
	if got := c.get("of_down"); got > 5 {
		t.Errorf("handler ran %d times in a 30 s outage; want the back-off to space the tries", got)
	}
	eventually(t, 5*time.Second, "the ack to be counted", func() bool {
		return metric(t, m, `sankofa_consumer_events_total{consumer="hooks",outcome="acked"}`) == "1"
	})
	if got := metric(t, m, `sankofa_consumer_events_total{consumer="hooks",outcome="naked"}`); got != strconv.Itoa(c.get("of_down")-1) {
		t.Errorf("naked = %s, want %d", got, c.get("of_down")-1)
	}
}

// TestConsume_SlowHandlerRunOnce: a handler that takes 5 s is not
// redelivered while it runs. The consumer's BackOff used to cut AckWait
// to 1 s.
func TestConsume_SlowHandlerRunOnce(t *testing.T) {
	t.Parallel()
	for name, ackWait := range map[string]time.Duration{
		"DefaultAckWait": 0,
		// An AckWait shorter than the handler: only the handler's
		// progress reports keep the event from coming back.
		"InProgress": time.Second,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			n := MustOpenNotifier(t, t.TempDir())
			n.SetRetryForTest(nil, ackWait)
			m := metrics.New()
			n.SetMetrics(m)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			publishN(t, n, "of_slow")
			var c calls
			go n.Consume(ctx, "slow", func(ctx context.Context, ev sankofa.Event) error {
				if c.add(ev.EntityID) == 1 && ev.EntityID == "of_slow" {
					time.Sleep(5 * time.Second)
					// Published once the slow run is over: a redelivery of
					// of_slow made during it is queued ahead of this one.
					publishN(t, n, "of_after")
				}
				return nil
			})
			eventually(t, 30*time.Second, "the event published after the slow one", func() bool { return c.get("of_after") == 1 })
			if got := c.get("of_slow"); got != 1 {
				t.Errorf("the 5 s handler ran %d times, want once", got)
			}
			if got := metric(t, m, `sankofa_consumer_events_total{consumer="slow",outcome="redelivered"}`); got != "" {
				t.Errorf("redelivered = %s, want none", got)
			}
		})
	}
}

// TestConsume_PanicRetriedThenDeadLettered: a handler that panics does not
// take the process down; the event is retried like any failure and then
// dead-lettered, and the events after it still flow.
func TestConsume_PanicRetriedThenDeadLettered(t *testing.T) {
	t.Parallel()
	n := MustOpenNotifier(t, t.TempDir())
	n.SetRetryForTest([]time.Duration{10 * time.Millisecond}, 0)
	m := metrics.New()
	n.SetMetrics(m)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	publishN(t, n, "of_bad", "of_good")
	var c calls
	go n.Consume(ctx, "workflow", func(_ context.Context, ev sankofa.Event) error {
		c.add(ev.EntityID)
		if ev.EntityID == "of_bad" {
			var o *sankofa.Offer
			_ = o.ID // the nil dereference of issue 8
		}
		return nil
	})
	var dead []notifier.DeadLetter
	eventually(t, 30*time.Second, "the dead letter and the next event", func() bool {
		var err error
		if dead, err = n.DeadLetters(ctx, 10); err != nil {
			t.Fatal(err)
		}
		return len(dead) == 1 && c.get("of_good") == 1
	})
	if dead[0].Consumer != "workflow" || dead[0].Deliveries != notifier.MaxDeliveries ||
		!strings.Contains(dead[0].Error, "panicked") || !strings.Contains(string(dead[0].Event), "of_bad") {
		t.Errorf("dead letter = %+v", dead[0])
	}
	if got := c.get("of_bad"); got != notifier.MaxDeliveries {
		t.Errorf("the panicking handler ran %d times, want %d", got, notifier.MaxDeliveries)
	}
	eventually(t, 5*time.Second, "the counts", func() bool {
		return metric(t, m, `sankofa_consumer_events_total{consumer="workflow",outcome="acked"}`) == "1"
	})
	for outcome, want := range map[string]string{
		"delivered": "2", "redelivered": strconv.Itoa(notifier.MaxDeliveries - 1), "panicked": strconv.Itoa(notifier.MaxDeliveries),
		"naked": strconv.Itoa(notifier.MaxDeliveries - 1), "dead_lettered": "1",
	} {
		if got := metric(t, m, `sankofa_consumer_events_total{consumer="workflow",outcome="`+outcome+`"}`); got != want {
			t.Errorf("%s = %q, want %s", outcome, got, want)
		}
	}
}

// TestConsume_DeletedConsumerRestarted: deleting the consumer makes
// Consume return, so its supervisor starts it again and events still
// flow. Consume used to wait on its ctx alone and stop delivering for good.
func TestConsume_DeletedConsumerRestarted(t *testing.T) {
	t.Parallel()
	n := MustOpenNotifier(t, t.TempDir())
	m := metrics.New()
	n.SetMetrics(m)
	ctx, cancel := context.WithCancel(context.Background())
	sup := supervise.New(supervise.Config{MinBackoff: 10 * time.Millisecond, Metrics: m})
	t.Cleanup(func() { cancel(); sup.Wait() })
	var c calls
	sup.Go(ctx, "consumer:notify", func(ctx context.Context) error {
		return n.Consume(ctx, "notify", func(_ context.Context, ev sankofa.Event) error {
			c.add(ev.EntityID)
			return nil
		})
	})
	publishN(t, n, "of_1")
	eventually(t, 10*time.Second, "the first event", func() bool { return c.get("of_1") >= 1 })
	if err := n.DeleteConsumerForTest(ctx, "notify"); err != nil {
		t.Fatal(err)
	}
	eventually(t, 20*time.Second, "the restart", func() bool {
		return metric(t, m, `sankofa_worker_restarts_total{worker="consumer:notify"}`) == "1"
	})
	publishN(t, n, "of_2")
	eventually(t, 10*time.Second, "an event after the restart", func() bool { return c.get("of_2") == 1 })
	if err := sup.Ping(ctx); err != nil {
		t.Errorf("Ping after the restart: %v", err)
	}
	eventually(t, 10*time.Second, "the lag to read 0", func() bool {
		return metric(t, m, `sankofa_consumer_pending{consumer="notify"}`) == "0"
	})
}

// TestConsume_UpdatesOldConsumer: a consumer made by an earlier release,
// with a BackOff, is updated in place rather than failing to start.
func TestConsume_UpdatesOldConsumer(t *testing.T) {
	t.Parallel()
	n := MustOpenNotifier(t, t.TempDir())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := n.CreateOldConsumerForTest(ctx, "notify"); err != nil {
		t.Fatal(err)
	}
	publishN(t, n, "of_1")
	var c calls
	errc := make(chan error, 1)
	go func() {
		errc <- n.Consume(ctx, "notify", func(_ context.Context, ev sankofa.Event) error { c.add(ev.EntityID); return nil })
	}()
	eventually(t, 10*time.Second, "the event", func() bool { return c.get("of_1") == 1 })
	info, err := n.ConsumerInfoForTest(ctx, "notify")
	if err != nil {
		t.Fatal(err)
	}
	if len(info.Config.BackOff) != 0 || info.Config.AckWait != 30*time.Second || info.Config.MaxDeliver != -1 {
		t.Errorf("config = backoff %v, ack wait %v, max deliver %d", info.Config.BackOff, info.Config.AckWait, info.Config.MaxDeliver)
	}
	cancel()
	if err := <-errc; err != nil {
		t.Errorf("Consume after ctx ended = %v, want nil", err)
	}
}

// TestConsume_RetryDelay: failures wait for the schedule, the last delay
// repeating, and longer when a webhook receiver asked for it.
func TestConsume_RetryDelay(t *testing.T) {
	n := MustOpenNotifier(t, t.TempDir())
	busy := fmt.Errorf("hook: %w", &notifier.StatusError{StatusCode: 429, RetryAfter: 3 * time.Minute})
	for _, tc := range []struct {
		delivered int
		err       error
		want      time.Duration
	}{
		{1, errors.New("database away"), time.Second},
		{2, errors.New("database away"), 5 * time.Second},
		{3, errors.New("database away"), 30 * time.Second},
		{7, errors.New("database away"), 10 * time.Minute},
		{1, busy, 3 * time.Minute},
		{7, busy, 10 * time.Minute},
		{1, errors.Join(errors.New("one hook down"), busy), 3 * time.Minute},
	} {
		if got := n.RetryDelayForTest(tc.delivered, tc.err); got != tc.want {
			t.Errorf("delivery %d failing with %v: retry in %v, want %v", tc.delivered, tc.err, got, tc.want)
		}
	}
}
