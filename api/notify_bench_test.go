package api_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"sankofa"
	"sankofa/notifier"
)

// timedInbox records when each notification reaches the inbox.
type timedInbox struct {
	notifier.Inbox
	mu    sync.Mutex
	added map[string]time.Time // by user id, the last addition
	count map[string]int       // by key, how many people got it
	wake  chan struct{}
}

func newTimedInbox(in notifier.Inbox) *timedInbox {
	return &timedInbox{Inbox: in, added: map[string]time.Time{}, count: map[string]int{}, wake: make(chan struct{}, 1)}
}

func (t *timedInbox) AddNotification(ctx context.Context, n *sankofa.Notification) (bool, error) {
	ok, err := t.Inbox.AddNotification(ctx, n)
	if ok && err == nil {
		t.mu.Lock()
		t.added[n.UserID] = time.Now()
		t.count[n.Key]++
		t.mu.Unlock()
		select {
		case t.wake <- struct{}{}:
		default:
		}
	}
	return ok, err
}

// waitKey waits until want people got key and returns when the last did.
func (t *timedInbox) waitKey(tb testing.TB, key string, want int) time.Time {
	deadline := time.After(60 * time.Second)
	for {
		t.mu.Lock()
		n := t.count[key]
		var last time.Time
		if n >= want {
			for _, at := range t.added {
				if at.After(last) {
					last = at
				}
			}
		}
		t.mu.Unlock()
		if n >= want {
			return last
		}
		select {
		case <-t.wake:
		case <-deadline:
			tb.Fatalf("only %d of %d notifications %q arrived", n, want, key)
		}
	}
}

// loadWorkers stores n active workers with profiles that match the
// harness's assignment (varied experience), straight into the store and
// the index, without the API's password hashing.
func loadWorkers(tb testing.TB, e *env, n int) {
	tb.Helper()
	ctx := context.Background()
	r := rand.New(rand.NewPCG(7, uint64(n)))
	b := e.Index.NewBulk()
	now := e.Now.Now().UTC()
	for i := range n {
		acc := &sankofa.Account{ID: sankofa.NewID("acc"), Email: fmt.Sprintf("load%d@bench.example.org", i), Name: fmt.Sprintf("Worker %d", i),
			Role: sankofa.RoleProfessional, Status: sankofa.StatusActive, Locale: sankofa.Locales[i%3], Version: 1, CreatedAt: now, UpdatedAt: now}
		ev, _ := sankofa.NewEvent("account", "created", acc.ID, 1, "", now, acc)
		if _, err := e.Store.CreateAccount(ctx, acc, ev); err != nil {
			tb.Fatal(err)
		}
		in := e.profileInput()
		in.YearsExperience = 3 + r.IntN(25)
		in.Alerts = true
		in.Normalize()
		p := &sankofa.Profile{ID: sankofa.ProfileIDFor(acc.ID), AccountID: acc.ID, ProfileInput: in, Version: 1, CreatedAt: now, UpdatedAt: now}
		p.Completeness = p.Score()
		pev, _ := sankofa.NewEvent("profile", "created", p.ID, 1, acc.ID, now, p)
		if _, err := e.Store.SaveProfile(ctx, p, pev); err != nil {
			tb.Fatal(err)
		}
		if err := b.AddAccount(acc); err != nil {
			tb.Fatal(err)
		}
		if err := b.AddProfile(p, true); err != nil {
			tb.Fatal(err)
		}
	}
	if err := b.Flush(); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkAlertFanout publishes assignments to a pool of 10,000 workers
// who opted in to alerts and measures, for each, the time from the publish
// request to the 50th (last) alert stored in an inbox. The daily cap is
// lifted so that every alert is a full alert, not a digest update.
//
//	go test ./api -run '^$' -bench AlertFanout -benchtime 20x -timeout 30m
func BenchmarkAlertFanout(b *testing.B) {
	e := openEnvWith(b, b.TempDir(), false)
	loadWorkers(b, e, 10_000)
	inbox := newTimedInbox(e.Store)
	fanout := notifier.NewFanout(inbox, e.Store, e.Server.AlertAudience, e.Bus, notifier.FanoutConfig{AlertTop: 50, AlertDailyCap: 1 << 20}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go e.Bus.Consume(ctx, "notify", fanout.Handle)
	_, gh := e.Ministry(b, "GH", false)
	var lat []time.Duration
	i := 0
	for b.Loop() {
		in := e.assignmentInput()
		in.Title = fmt.Sprintf("Fan-out %d", i)
		i++
		var a sankofa.Assignment
		e.must(b, 201, req{Method: "POST", Path: "/v1/assignments", Token: gh, Body: in}).JSON(b, &a)
		start := time.Now()
		e.must(b, 200, req{Method: "POST", Path: "/v1/assignments/" + a.ID + "/publish", Token: gh})
		last := inbox.waitKey(b, "alert:"+a.ID, 50)
		lat = append(lat, last.Sub(start))
	}
	report(b, "publish-to-last-alert", lat)
}

// BenchmarkOfferNotification measures, for an offer sent through the API,
// the time until the worker's inbox holds it, and until a connected SSE
// client receives it.
//
//	go test ./api -run '^$' -bench OfferNotification -benchtime 200x
func BenchmarkOfferNotification(b *testing.B) {
	e := openEnvWith(b, b.TempDir(), false)
	inbox := newTimedInbox(e.Store)
	fanout := notifier.NewFanout(inbox, e.Store, nil, e.Bus, notifier.FanoutConfig{}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go e.Bus.Consume(ctx, "notify", fanout.Handle)
	_, gh := e.Ministry(b, "GH", false)
	w, wTok := e.worker(b, func(p *sankofa.ProfileInput) { p.Alerts = false })
	s := e.stream(b, wTok, "")
	var toInbox, toSSE []time.Duration
	i := 0
	for b.Loop() {
		a := e.publishedAssignment(b, gh, func(in *sankofa.AssignmentInput) { in.Title = fmt.Sprintf("Offer %d", i); in.Positions = 1000 })
		i++
		start := time.Now()
		var o offerBody
		e.must(b, 201, req{Method: "POST", Path: "/v1/assignments/" + a.ID + "/offers", Token: gh,
			Body: map[string]any{"profile_id": sankofa.ProfileIDFor(w.ID)}}).JSON(b, &o)
		evID := o.ID + ":1"
		for {
			ev := s.next(b)
			if ev.data.Data["offer_id"] == o.ID {
				toSSE = append(toSSE, time.Since(start))
				break
			}
		}
		toInbox = append(toInbox, inbox.waitKey(b, evID, 1).Sub(start))
	}
	report(b, "offer-to-inbox", toInbox)
	report(b, "offer-to-sse", toSSE)
}
