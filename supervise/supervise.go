// Package supervise runs the goroutines that outlive a request: event
// consumers, the outbox relay, the expiry sweeper. A worker that panics or
// stops is logged, counted and started again after a back-off, so one bad
// event cannot take the process down and a stopped consumer does not go
// unnoticed: Ping reports every worker that is not running, for /readyz.
package supervise

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"sankofa/metrics"
)

// Worker runs until ctx ends. Returning earlier, with an error or without,
// means it stopped, and the supervisor starts it again.
type Worker func(ctx context.Context) error

// Config tunes the restarts; zero values take the defaults.
type Config struct {
	// MinBackoff is the pause before the first restart (1s); it doubles
	// on each restart that follows quickly, up to MaxBackoff (30s).
	MinBackoff, MaxBackoff time.Duration
	// Healthy is how long a worker must run for the pause to start again
	// from MinBackoff (1m).
	Healthy time.Duration
	Logger  *slog.Logger
	Metrics *metrics.Metrics
}

// Supervisor starts workers, restarts those that stop and reports the
// ones that are not running.
type Supervisor struct {
	cfg Config
	log *slog.Logger
	m   *metrics.Metrics
	// after is the clock of the back-off, replaced in tests.
	after func(time.Duration) <-chan time.Time

	wg      sync.WaitGroup
	mu      sync.Mutex
	running map[string]bool
	// history keeps each worker's restarts and last error (stats.go).
	history map[string]*history
}

// New returns a supervisor with no workers.
func New(cfg Config) *Supervisor {
	if cfg.MinBackoff <= 0 {
		cfg.MinBackoff = time.Second
	}
	if cfg.MaxBackoff < cfg.MinBackoff {
		cfg.MaxBackoff = max(30*time.Second, cfg.MinBackoff)
	}
	if cfg.Healthy <= 0 {
		cfg.Healthy = time.Minute
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Supervisor{cfg: cfg, log: cfg.Logger, m: cfg.Metrics, after: time.After, running: map[string]bool{}}
}

// Go starts worker name, and keeps it running until ctx ends. Names must
// be unique: they label the logs, the metrics and /readyz.
func (s *Supervisor) Go(ctx context.Context, name string, w Worker) {
	s.set(name, true)
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		pause := s.cfg.MinBackoff
		for {
			start := time.Now()
			s.set(name, true)
			err := s.run(ctx, name, w)
			s.set(name, false)
			if ctx.Err() != nil {
				return
			}
			// A worker that ran a good while before stopping is not in a
			// crash loop: it restarts soon, as if for the first time.
			if time.Since(start) >= s.cfg.Healthy {
				pause = s.cfg.MinBackoff
			}
			if err == nil {
				err = errors.New("returned while it should run")
			}
			s.log.Warn("supervise: worker stopped; restarting", "worker", name, "in", pause, "err", err)
			s.stopped(name, err)
			select {
			case <-ctx.Done():
				return
			case <-s.after(pause):
			}
			pause = min(2*pause, s.cfg.MaxBackoff)
			s.m.WorkerRestart(name)
		}
	}()
}

// run runs the worker once, turning a panic into an error.
func (s *Supervisor) run(ctx context.Context, name string, w Worker) (err error) {
	defer func() {
		if r := recover(); r != nil {
			s.m.WorkerPanic(name)
			s.log.Error("supervise: worker panicked", "worker", name, "panic", r, "stack", string(debug.Stack()))
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return w(ctx)
}

func (s *Supervisor) set(name string, running bool) {
	s.mu.Lock()
	s.running[name] = running
	s.mu.Unlock()
	s.m.WorkerRunning(name, running)
}

// Wait returns once every worker has returned, after their ctx ended.
func (s *Supervisor) Wait() { s.wg.Wait() }

// Ping returns an error naming the workers that are not running (while
// they wait to restart, or after ctx ended); nil when all run.
func (s *Supervisor) Ping(context.Context) error {
	s.mu.Lock()
	var down []string
	for name, ok := range s.running {
		if !ok {
			down = append(down, name)
		}
	}
	s.mu.Unlock()
	if len(down) == 0 {
		return nil
	}
	slices.Sort(down)
	return fmt.Errorf("supervise: workers not running: %s", strings.Join(down, ", "))
}
