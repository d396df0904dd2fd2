package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"runtime"
	"time"

	"sankofa"
	"sankofa/notifier"
	"sankofa/store"
	"sankofa/supervise"
)

// serve runs the API until ctx ends, then shuts down gracefully. When
// ready is not nil it receives the base URL once the server listens.
func serve(ctx context.Context, cfg Config, log *slog.Logger, ready chan<- string) error {
	a, err := openApp(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.close()
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	srv := &http.Server{
		Handler:           a.server.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	var msrv *http.Server
	var mln net.Listener
	if cfg.MetricsAddr != "" {
		if mln, err = net.Listen("tcp", cfg.MetricsAddr); err != nil {
			_ = ln.Close()
			return fmt.Errorf("listen on %s for metrics: %w", cfg.MetricsAddr, err)
		}
		// No token here: the operator keeps this address private.
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", a.metrics.Handler())
		// Profiles, for finding where time goes under load (see
		// scripts/load.sh -profile): CPU, heap, and where goroutines wait
		// on locks and channels, sampled cheaply (a blocking event in
		// every 100 µs blocked, a contended lock in 20).
		runtime.SetBlockProfileRate(100_000)
		runtime.SetMutexProfileFraction(20)
		mux.HandleFunc("GET /debug/pprof/", pprof.Index)
		mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
		msrv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second,
			ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	}

	// Every goroutine that outlives a request runs under the supervisor,
	// which restarts it when it panics or stops, and which /readyz asks.
	bg, stopBG := context.WithCancel(context.WithoutCancel(ctx))
	defer stopBG()
	workers := supervise.New(supervise.Config{Logger: log, Metrics: a.metrics})
	a.server.SetReady("workers", workers)
	a.bus.SetMetrics(a.metrics)
	relayGrace := a.relayFirstGrace()
	workers.Go(bg, "outbox-relay", func(ctx context.Context) error {
		// A relay restarted after a panic runs beside live writers, so it
		// leaves their young events to them.
		first := relayGrace
		relayGrace = cfg.OutboxGrace
		a.flow.Dispatcher().Run(ctx, 10*time.Second, first, cfg.OutboxGrace)
		return nil
	})
	// Publishes committed events behind the writes that made them.
	workers.Go(bg, "publisher", func(ctx context.Context) error { a.flow.Dispatcher().RunPublisher(ctx); return nil })
	a.followEvents(bg, workers)
	// Shared by every replica: each event is handled by one of them.
	a.consume(bg, workers, "workflow", a.flow.HandleEvent)
	fanout := notifier.NewFanout(a.store, a.store, a.server.AlertAudience, a.bus,
		notifier.FanoutConfig{AlertTop: int(cfg.AlertTop), AlertDailyCap: int(cfg.AlertDailyCap), Retention: cfg.NotificationRetention}, log)
	a.consume(bg, workers, "notify", fanout.Handle)
	a.consume(bg, workers, "webhooks", notifier.NewHooks(a.store, notifier.NewDeliverer(a.urls, nil, log, a.metrics)).Handle)
	workers.Go(bg, "sweeper", func(ctx context.Context) error { a.sweep(ctx); return nil })
	if !a.store.Embedded() {
		// Other replicas may change the safeguards list; see store/safeguards.go.
		workers.Go(bg, "safeguards", func(ctx context.Context) error { a.safeguards.Follow(ctx, store.SafeguardRefresh); return nil })
	}
	// Erasures' background part, and any an earlier run left unfinished.
	workers.Go(bg, "erasures", func(ctx context.Context) error { a.flow.RunErasures(ctx); return nil })
	workers.Go(bg, "observatory", func(ctx context.Context) error { a.observatory.Follow(ctx); return nil })
	// FHIR Bulk Data exports: resumes unfinished ones, deletes old ones.
	workers.Go(bg, "fhir-exports", a.exports.Run)

	errc := make(chan error, 2)
	go func() { errc <- srv.Serve(ln) }()
	url := "http://" + ln.Addr().String()
	log.Info("listening", "url", url, "docs", url+"/docs")
	if msrv != nil {
		go func() { errc <- msrv.Serve(mln) }()
		log.Info("serving metrics", "url", "http://"+mln.Addr().String()+"/metrics")
	}
	if ready != nil {
		ready <- url
	}
	var serveErr error
	select {
	case err := <-errc:
		serveErr = fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil && !errors.Is(err, http.ErrServerClosed) && serveErr == nil {
		serveErr = fmt.Errorf("shutdown: %w", err)
	}
	if msrv != nil {
		_ = msrv.Shutdown(shutCtx)
	}
	// The workers finish the events in hand before the store and the bus
	// close under them (a.close, deferred).
	stopBG()
	workers.Wait()
	return serveErr
}

// sweep expires offers past their expiry every SANKOFA_SWEEP_INTERVAL (a
// minute), and deletes expired idempotency keys and audit entries past
// SANKOFA_AUDIT_RETENTION every hour.
func (a *app) sweep(ctx context.Context) {
	t := time.NewTicker(a.cfg.SweepInterval)
	defer t.Stop()
	var purged time.Time
	// After a crash, acceptances the crash cut off are rolled back at once
	// rather than when their events come back; once per process, even if
	// the sweeper restarts.
	a.repairOnce.Do(func() {
		if !a.store.Crashed() {
			return
		}
		if n, err := a.flow.RepairAcceptances(ctx, a.store); err != nil && ctx.Err() == nil {
			a.log.Warn("repair cut acceptances", "err", err)
		} else {
			a.log.Info("after an unclean shutdown: acceptances cut off rolled back", "leased_offers", n)
		}
	})
	for {
		if n, err := a.flow.ExpireDue(ctx); err != nil && ctx.Err() == nil {
			a.log.Warn("expire offers", "err", err)
		} else if n > 0 {
			a.log.Info("expired offers", "count", n)
		}
		// Ask for missions' evaluations and reports once they ended.
		if n, err := a.missions.Remind(ctx); err != nil && ctx.Err() == nil {
			a.log.Warn("mission reminders", "err", err)
		} else if n > 0 {
			a.log.Info("mission reminders sent", "count", n)
		}
		if time.Since(purged) >= time.Hour {
			purged = time.Now()
			if n, err := a.store.PurgeIdempotencyKeys(ctx); err != nil && ctx.Err() == nil {
				a.log.Warn("purge idempotency keys", "err", err)
			} else if n > 0 {
				a.log.Info("purged idempotency keys", "count", n)
			}
			if n, err := a.store.PruneAudit(ctx, a.cfg.AuditRetention); err != nil && ctx.Err() == nil {
				a.log.Warn("prune audit trail", "err", err)
			} else if n > 0 {
				a.log.Info("pruned audit entries past retention", "count", n)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// reindexCmd rebuilds the search index from the database.
func reindexCmd(ctx context.Context, cfg Config, log *slog.Logger) error {
	a, err := openApp(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.close()
	if a.index.Rebuilt {
		return nil // openApp just rebuilt it
	}
	if err := a.index.Clear(); err != nil {
		return err
	}
	return a.reindex(ctx)
}

// followEvents keeps this replica's search index in step with writes made
// on every replica, through a durable JetStream consumer of its own that
// resumes where it stopped.
func (a *app) followEvents(ctx context.Context, workers *supervise.Supervisor) {
	a.consume(ctx, workers, "indexer-"+a.replica, func(ctx context.Context, ev sankofa.Event) error {
		if err := a.index.Apply(ctx, ev); err != nil {
			return err
		}
		if err := a.missions.ApplyEvent(ev); err != nil {
			return err
		}
		a.metrics.IndexApplied(time.Since(ev.At))
		return nil
	})
}

// consume runs a durable consumer under the supervisor, which names the
// worker after it and starts it again whenever Consume returns before ctx
// ends (its consumer deleted, the connection closed).
func (a *app) consume(ctx context.Context, workers *supervise.Supervisor, durable string, h notifier.Handler) {
	h = chaosHandler(durable, h)
	workers.Go(ctx, durable, func(ctx context.Context) error { return a.bus.Consume(ctx, durable, h) })
}
