package supervise

import (
	"context"
	"errors"
	"io"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"sankofa/metrics"
)

// metricLines returns the exposition lines of m that start with prefix.
func metricLines(t *testing.T, m *metrics.Metrics, prefix string) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	b, _ := io.ReadAll(rec.Body)
	var out []string
	for l := range strings.SplitSeq(string(b), "\n") {
		if strings.HasPrefix(l, prefix) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// waitFor polls cond until it holds or 10 seconds have passed.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestSupervisor_Go(t *testing.T) {
	t.Run("PanicRestartedCountedAndReported", func(t *testing.T) {
		m := metrics.New()
		s := New(Config{Metrics: m})
		// The back-off's clock is the test's: the worker stays down until
		// the test lets it restart.
		pauses := make(chan time.Duration, 10)
		release := make(chan time.Time)
		s.after = func(d time.Duration) <-chan time.Time { pauses <- d; return release }
		ctx, cancel := context.WithCancel(context.Background())
		var runs atomic.Int32
		s.Go(ctx, "steady", func(ctx context.Context) error { <-ctx.Done(); return nil })
		s.Go(ctx, "consumer-x", func(ctx context.Context) error {
			if runs.Add(1) == 1 {
				var m map[string]int
				m["boom"]++ // a nil map: the kind of bug issue 8 found
			}
			<-ctx.Done()
			return ctx.Err()
		})
		if d := <-pauses; d != time.Second {
			t.Errorf("first pause %v, want 1s", d)
		}
		err := s.Ping(ctx)
		if err == nil || !strings.Contains(err.Error(), "consumer-x") || strings.Contains(err.Error(), "steady") {
			t.Fatalf("Ping while down = %v; want an error naming consumer-x only", err)
		}
		if got := metricLines(t, m, "sankofa_worker_running{worker=\"consumer-x\"}"); got != `sankofa_worker_running{worker="consumer-x"} 0` {
			t.Errorf("running while down: %q", got)
		}
		release <- time.Now()
		waitFor(t, "the restart", func() bool { return runs.Load() == 2 && s.Ping(ctx) == nil })
		for prefix, want := range map[string]string{
			`sankofa_worker_panics_total{worker="consumer-x"}`:   `sankofa_worker_panics_total{worker="consumer-x"} 1`,
			`sankofa_worker_restarts_total{worker="consumer-x"}`: `sankofa_worker_restarts_total{worker="consumer-x"} 1`,
			`sankofa_worker_running{worker="consumer-x"}`:        `sankofa_worker_running{worker="consumer-x"} 1`,
		} {
			if got := metricLines(t, m, prefix); got != want {
				t.Errorf("got %q, want %q", got, want)
			}
		}
		cancel()
		s.Wait()
		if err := s.Ping(context.Background()); err == nil {
			t.Error("Ping after shutdown = nil; want the stopped workers")
		}
	})
	t.Run("BackoffDoublesCappedAndResets", func(t *testing.T) {
		s := New(Config{MinBackoff: time.Second, MaxBackoff: 4 * time.Second, Healthy: time.Hour})
		var pauses []time.Duration
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		done := make(chan struct{})
		s.after = func(d time.Duration) <-chan time.Time {
			pauses = append(pauses, d)
			if len(pauses) == 5 {
				cancel()
				close(done)
			}
			c := make(chan time.Time, 1)
			c <- time.Now()
			return c
		}
		s.Go(ctx, "failing", func(context.Context) error { return errors.New("database away") })
		<-done
		s.Wait()
		want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 4 * time.Second, 4 * time.Second}
		for i := range want {
			if pauses[i] != want[i] {
				t.Fatalf("pauses = %v, want %v", pauses, want)
			}
		}
		// A worker that ran longer than Healthy starts again from the
		// shortest pause.
		s = New(Config{MinBackoff: time.Second, MaxBackoff: 4 * time.Second, Healthy: time.Nanosecond})
		pauses = nil
		ctx, cancel = context.WithCancel(context.Background())
		done = make(chan struct{})
		s.after = func(d time.Duration) <-chan time.Time {
			pauses = append(pauses, d)
			if len(pauses) == 3 {
				cancel()
				close(done)
			}
			c := make(chan time.Time, 1)
			c <- time.Now()
			return c
		}
		s.Go(ctx, "flaky", func(context.Context) error { time.Sleep(time.Millisecond); return nil })
		<-done
		s.Wait()
		for _, d := range pauses {
			if d != time.Second {
				t.Fatalf("pauses after healthy runs = %v, want 1s each", pauses)
			}
		}
	})
	t.Run("StopsWithCtx", func(t *testing.T) {
		s := New(Config{})
		ctx, cancel := context.WithCancel(context.Background())
		var stopped atomic.Bool
		s.Go(ctx, "relay", func(ctx context.Context) error { <-ctx.Done(); stopped.Store(true); return nil })
		if err := s.Ping(ctx); err != nil {
			t.Fatalf("Ping = %v", err)
		}
		cancel()
		s.Wait()
		if !stopped.Load() {
			t.Error("Wait returned before the worker")
		}
	})
}
