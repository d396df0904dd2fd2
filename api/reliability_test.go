package api_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"sankofa"
)

// offerEach sends one offer to each of n new workers and returns their
// tokens.
func (e *env) offerEach(t *testing.T, ghTok string, a sankofa.Assignment, n int) []string {
	t.Helper()
	var toks []string
	for range n {
		w, tok := e.worker(t, func(p *sankofa.ProfileInput) { p.Alerts = false })
		e.offer(t, ghTok, a.ID, w, 201)
		toks = append(toks, tok)
	}
	return toks
}

// offersReceived counts the offer notifications in an inbox, waiting up
// to 10 s for at least want.
func (e *env) offersReceived(t *testing.T, tok string, want int) int {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var p inboxPage
		e.must(t, 200, req{Method: "GET", Path: "/v1/notifications", Token: tok}).JSON(t, &p)
		n := 0
		for _, it := range p.Items {
			if it.Kind == sankofa.NoteOfferReceived {
				n++
			}
		}
		if n >= want || time.Now().After(deadline) {
			return n
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestReliability_ConsumerKilledMidStream kills the notification consumer
// in the middle of an event, after its notification was written but
// before the event was acknowledged, and restarts it: every worker ends
// with exactly one notification.
func TestReliability_ConsumerKilledMidStream(t *testing.T) {
	e := openEnvWith(t, t.TempDir(), false)
	_, ghTok := e.Ministry(t, "GH", false)
	a := e.publishedAssignment(t, ghTok, func(in *sankofa.AssignmentInput) { in.Positions = 50 })
	toks := e.offerEach(t, ghTok, a, 12)

	fanout := e.Fanout()
	ctx, kill := context.WithCancel(context.Background())
	var handled atomic.Int32
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = e.Bus.Consume(ctx, "notify", func(ctx context.Context, ev sankofa.Event) error {
			if err := fanout.Handle(ctx, ev); err != nil {
				return err
			}
			if ev.Subject == "sankofa.offer.created" && handled.Add(1) == 5 {
				kill() // the process dies before acknowledging
				return errors.New("killed")
			}
			return nil
		})
	}()
	<-done
	if handled.Load() < 5 {
		t.Fatalf("the consumer handled %d offers before dying", handled.Load())
	}

	ctx2, stop := context.WithCancel(context.Background())
	defer stop()
	go e.Bus.Consume(ctx2, "notify", fanout.Handle)
	for i, tok := range toks {
		if n := e.offersReceived(t, tok, 1); n != 1 {
			t.Errorf("worker %d has %d offer notifications, want exactly 1", i, n)
		}
	}
}

// TestReliability_NATSRestart stops the embedded NATS server with events
// in the stream that no consumer has read, and with one write whose
// publication failed; after a restart every notification arrives once.
func TestReliability_NATSRestart(t *testing.T) {
	dir := t.TempDir()
	e := openEnvWith(t, dir, false) // events pile up unread
	_, ghTok := e.Ministry(t, "GH", false)
	a := e.publishedAssignment(t, ghTok, func(in *sankofa.AssignmentInput) { in.Positions = 50 })
	toks := e.offerEach(t, ghTok, a, 4)
	w, lastTok := e.worker(t, func(p *sankofa.ProfileInput) { p.Alerts = false })
	e.Bus.Close() // NATS goes down
	e.offer(t, ghTok, a.ID, w, 201)
	toks = append(toks, lastTok)
	e.Close()

	e = openEnv(t, dir) // NATS restarts; the consumers start
	if _, err := e.Server.Dispatcher().Redispatch(context.Background(), 0); err != nil {
		t.Fatal(err)
	}
	for i, tok := range toks {
		// Tokens outlive the restart: the JWT secret is the same.
		if n := e.offersReceived(t, tok, 1); n != 1 {
			t.Errorf("worker %d has %d offer notifications after the restart, want exactly 1", i, n)
		}
	}
}
