package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"sankofa/notifier"
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
	bg, stopBG := context.WithCancel(context.WithoutCancel(ctx))
	defer stopBG()
	go a.server.Dispatcher().Run(bg, 10*time.Second, a.relayFirstGrace(), cfg.OutboxGrace)
	go a.followEvents(bg)
	// Shared by every replica: each event is handled by one of them.
	go a.consume(bg, "workflow", a.server.HandleWorkflowEvent)
	fanout := notifier.NewFanout(a.store, a.store, a.server.AlertAudience, a.bus,
		notifier.FanoutConfig{AlertTop: int(cfg.AlertTop), AlertDailyCap: int(cfg.AlertDailyCap), Retention: cfg.NotificationRetention}, log)
	go a.consume(bg, "notify", fanout.Handle)
	go a.consume(bg, "webhooks", notifier.NewHooks(a.store, notifier.NewDeliverer(a.urls, nil, log, nil)).Handle)
	go a.sweep(bg)

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	url := "http://" + ln.Addr().String()
	log.Info("listening", "url", url, "docs", url+"/docs")
	if ready != nil {
		ready <- url
	}
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	stopBG()
	return nil
}

// sweep expires offers past their expiry every minute, and deletes
// expired idempotency keys every hour.
func (a *app) sweep(ctx context.Context) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	var purged time.Time
	for {
		if n, err := a.server.ExpireDue(ctx); err != nil && ctx.Err() == nil {
			a.log.Warn("expire offers", "err", err)
		} else if n > 0 {
			a.log.Info("expired offers", "count", n)
		}
		if time.Since(purged) >= time.Hour {
			purged = time.Now()
			if n, err := a.store.PurgeIdempotencyKeys(ctx); err != nil && ctx.Err() == nil {
				a.log.Warn("purge idempotency keys", "err", err)
			} else if n > 0 {
				a.log.Info("purged idempotency keys", "count", n)
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
func (a *app) followEvents(ctx context.Context) {
	a.consume(ctx, "indexer-"+a.replica, a.index.Apply)
}

// consume runs a durable consumer until ctx ends, restarting it when it
// stops on an error.
func (a *app) consume(ctx context.Context, durable string, h notifier.Handler) {
	h = chaosHandler(durable, h)
	for ctx.Err() == nil {
		if err := a.bus.Consume(ctx, durable, h); err != nil {
			a.log.Warn("consumer stopped; restarting", "consumer", durable, "err", err)
			select {
			case <-ctx.Done():
			case <-time.After(5 * time.Second):
			}
		}
	}
}
