package supervise

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

func TestSupervisor_Workers(t *testing.T) {
	s := New(Config{})
	release := make(chan time.Time)
	s.after = func(time.Duration) <-chan time.Time { return release }
	ctx, cancel := context.WithCancel(context.Background())
	defer func() { cancel(); s.Wait() }()
	var runs atomic.Int32
	s.Go(ctx, "steady", func(ctx context.Context) error { <-ctx.Done(); return nil })
	s.Go(ctx, "flaky", func(ctx context.Context) error {
		if runs.Add(1) == 1 {
			return errors.New("lost the connection")
		}
		<-ctx.Done()
		return nil
	})
	waitFor(t, "flaky to stop", func() bool { w := s.Workers(); return len(w) == 2 && w[0].Restarts == 1 })
	w := s.Workers()
	if w[0].Name != "flaky" || w[0].Running || w[0].LastError != "lost the connection" {
		t.Errorf("flaky = %+v", w[0])
	}
	if w[1].Name != "steady" || !w[1].Running || w[1].Restarts != 0 || w[1].LastError != "" {
		t.Errorf("steady = %+v", w[1])
	}
	release <- time.Now()
	waitFor(t, "flaky to run again", func() bool { return s.Workers()[0].Running })
	if w := s.Workers()[0]; w.Restarts != 1 || w.LastError != "lost the connection" {
		t.Errorf("after the restart flaky = %+v, want its history kept", w)
	}
}
