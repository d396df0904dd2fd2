// Package notifier carries Sankofa's domain events over NATS JetStream. It
// is the only package that imports NATS. With no URL configured it runs an
// in-process nats-server with JetStream under the data directory.
package notifier

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"sankofa"
)

// StreamName is the JetStream stream holding every domain event.
const StreamName = "SANKOFA"

// Config says where the event bus lives.
type Config struct {
	// URL of a NATS cluster; empty starts nats-server in process.
	URL string
	// DataDir holds the embedded server's JetStream files.
	DataDir string
	// Replicas of the stream on a cluster (1 when embedded).
	Replicas int
	Logger   *slog.Logger
}

// Notifier publishes domain events to JetStream.
type Notifier struct {
	srv *server.Server
	nc  *nats.Conn
	js  jetstream.JetStream
	log *slog.Logger
	// cons tunes Consume (see consume.go).
	cons consumeSettings
}

// Open connects to NATS (or starts it embedded) and makes sure the event
// stream exists.
func Open(ctx context.Context, cfg Config) (*Notifier, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	n := &Notifier{log: cfg.Logger}
	replicas := cfg.Replicas
	var opts []nats.Option
	url := cfg.URL
	if url == "" {
		dir, err := filepath.Abs(filepath.Join(cfg.DataDir, "nats"))
		if err != nil {
			return nil, fmt.Errorf("notifier: data dir: %w", err)
		}
		srv, err := server.NewServer(&server.Options{
			ServerName: "sankofa-embedded",
			JetStream:  true,
			StoreDir:   dir,
			// Every write reaches the disk before it is acknowledged, so
			// an acknowledged event survives a crash.
			SyncAlways: true,
			DontListen: true,
			// The process owns its signals, not the embedded server.
			NoSigs: true,
			NoLog:  true,
		})
		if err != nil {
			return nil, fmt.Errorf("notifier: start embedded NATS: %w", err)
		}
		srv.Start()
		if !srv.ReadyForConnections(30 * time.Second) {
			srv.Shutdown()
			return nil, errors.New("notifier: embedded NATS did not start")
		}
		n.srv = srv
		url = srv.ClientURL()
		opts = append(opts, nats.InProcessServer(srv))
		replicas = 1
	}
	if replicas < 1 {
		replicas = 1
	}
	opts = append(opts, nats.Name("sankofa"), nats.MaxReconnects(-1))
	nc, err := nats.Connect(url, opts...)
	if err != nil {
		n.Close()
		return nil, fmt.Errorf("notifier: connect: %w", err)
	}
	n.nc = nc
	js, err := jetstream.New(nc)
	if err != nil {
		n.Close()
		return nil, fmt.Errorf("notifier: jetstream: %w", err)
	}
	n.js = js
	_, err = js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:        StreamName,
		Description: "Sankofa domain events",
		Subjects:    []string{"sankofa.>"},
		Storage:     jetstream.FileStorage,
		Replicas:    replicas,
		// Longer than the outbox grace period, so that an event re-sent
		// after a crash is recognised as a duplicate.
		Duplicates: 10 * time.Minute,
		MaxAge:     30 * 24 * time.Hour,
	})
	if err != nil {
		n.Close()
		return nil, fmt.Errorf("notifier: create stream: %w", err)
	}
	// Dead letters live apart, so that consumers of domain events never
	// see them.
	_, err = js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:        DeadLetterStream,
		Description: "Events a consumer gave up on",
		Subjects:    []string{"dlq.>"},
		Storage:     jetstream.FileStorage,
		Replicas:    replicas,
		MaxAge:      90 * 24 * time.Hour,
	})
	if err != nil {
		n.Close()
		return nil, fmt.Errorf("notifier: create dead-letter stream: %w", err)
	}
	return n, nil
}

// Publish sends an event and waits until JetStream has stored it. The
// event ID is the message ID, so a re-sent event is stored once.
func (n *Notifier) Publish(ctx context.Context, ev sankofa.Event) error {
	data, err := jsonEvent(ev)
	if err != nil {
		return err
	}
	if _, err := n.js.Publish(ctx, ev.Subject, data, jetstream.WithMsgID(ev.ID)); err != nil {
		return fmt.Errorf("notifier: publish %s: %w", ev.ID, err)
	}
	return nil
}

// PublishAll sends events without waiting for each in turn, then waits
// for JetStream to have stored every one (or ctx to end). It returns one
// error per event, nil for each stored.
func (n *Notifier) PublishAll(ctx context.Context, evs []sankofa.Event) []error {
	errs := make([]error, len(evs))
	acks := make([]jetstream.PubAckFuture, len(evs))
	for i, ev := range evs {
		data, err := jsonEvent(ev)
		if err != nil {
			errs[i] = err
			continue
		}
		if acks[i], err = n.js.PublishAsync(ev.Subject, data, jetstream.WithMsgID(ev.ID)); err != nil {
			errs[i] = fmt.Errorf("notifier: publish %s: %w", ev.ID, err)
		}
	}
	for i, f := range acks {
		if f == nil {
			continue
		}
		select {
		case <-f.Ok():
		case err := <-f.Err():
			errs[i] = fmt.Errorf("notifier: publish %s: %w", evs[i].ID, err)
		case <-ctx.Done():
			errs[i] = fmt.Errorf("notifier: publish %s: %w", evs[i].ID, ctx.Err())
		}
	}
	return errs
}

// Ping checks that the stream answers.
func (n *Notifier) Ping(ctx context.Context) error {
	if n.nc == nil || !n.nc.IsConnected() {
		return errors.New("notifier: not connected")
	}
	if _, err := n.js.Stream(ctx, StreamName); err != nil {
		return fmt.Errorf("notifier: stream: %w", err)
	}
	return nil
}

// Events reads every event stored in the stream, oldest first, for audits
// and tests. It stops at the end of the stream as it was when called.
func (n *Notifier) Events(ctx context.Context) ([]sankofa.Event, error) {
	st, err := n.js.Stream(ctx, StreamName)
	if err != nil {
		return nil, fmt.Errorf("notifier: stream: %w", err)
	}
	info, err := st.Info(ctx)
	if err != nil {
		return nil, fmt.Errorf("notifier: stream info: %w", err)
	}
	var out []sankofa.Event
	if info.State.Msgs == 0 {
		return out, nil
	}
	c, err := st.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{})
	if err != nil {
		return nil, fmt.Errorf("notifier: read stream: %w", err)
	}
	for {
		msg, err := c.Next(jetstream.FetchMaxWait(5 * time.Second))
		if err != nil {
			return out, fmt.Errorf("notifier: read stream: %w", err)
		}
		var ev sankofa.Event
		if err := json.Unmarshal(msg.Data(), &ev); err != nil {
			return out, fmt.Errorf("notifier: decode event: %w", err)
		}
		out = append(out, ev)
		meta, err := msg.Metadata()
		if err != nil {
			return out, fmt.Errorf("notifier: read stream: %w", err)
		}
		if meta.Sequence.Stream >= info.State.LastSeq {
			return out, nil
		}
	}
}

// Close drains the connection and stops the embedded server.
func (n *Notifier) Close() {
	if n.nc != nil {
		n.nc.Close()
	}
	if n.srv != nil {
		n.srv.Shutdown()
		n.srv.WaitForShutdown()
	}
}
