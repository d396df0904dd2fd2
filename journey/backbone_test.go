package journey_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

type deadLetter struct {
	Consumer   string `json:"consumer"`
	Error      string `json:"error"`
	Deliveries int    `json:"deliveries"`
	Event      struct {
		ID       string `json:"id"`
		Subject  string `json:"subject"`
		EntityID string `json:"entity_id"`
	} `json:"event"`
}

func (s *server) deadLetters(t testing.TB, admin string) []deadLetter {
	t.Helper()
	var l struct {
		Items []deadLetter `json:"items"`
	}
	s.do(t, http.StatusOK, http.MethodGet, "/v1/admin/dead-letters?limit=100", admin, nil, &l)
	return l.Items
}

// hasNotification reports whether the token's inbox holds a notification
// of that kind.
func (s *server) hasNotification(t testing.TB, token, kind string) bool {
	t.Helper()
	var n struct {
		Items []struct{ Kind string } `json:"items"`
	}
	s.do(t, http.StatusOK, http.MethodGet, "/v1/notifications?limit=100", token, nil, &n)
	for _, it := range n.Items {
		if it.Kind == kind {
			return true
		}
	}
	return false
}

// TestJourney_ConsumerPanic injects panics through the chaos hook. The
// notify consumer panics twice on sankofa.offer.created, then handles it:
// the worker still gets the offer notification, on the third delivery. The
// webhooks consumer panics twice on the same event, then gives up with a
// permanent error: the event is in the dead letters with 3 deliveries.
// The process survives both.
//
// Why not panic until the 8th and last try: with the retry delays (1s, 5s,
// 30s, 2m, 10m, ...) that takes over half an hour. Panicking twice proves
// that a panic is recovered and the event redelivered with back-off, and
// the permanent failure afterwards proves that the same event then takes
// the dead-letter path, within seconds.
func TestJourney_ConsumerPanic(t *testing.T) {
	t.Parallel()
	s := startServer(t, "", "SANKOFA_CHAOS_PANIC=notify:sankofa.offer.created:2,webhooks:sankofa.offer.created:2:fail")
	admin := s.admin(t)
	moh := s.ministry(t, admin)
	w := s.newWorker(t)
	asg := s.assignment(t, moh, 2, 40, 20)
	off := s.offer(t, moh, asg, w.profileID)

	eventually(t, 90*time.Second, "the worker is notified of the offer after the notify consumer's panics", func() bool {
		s.mustBeAlive(t)
		return s.hasNotification(t, w.token, "offer.received")
	})
	var dl deadLetter
	eventually(t, 90*time.Second, "the webhooks consumer's event is dead-lettered", func() bool {
		s.mustBeAlive(t)
		for _, d := range s.deadLetters(t, admin) {
			if d.Consumer == "webhooks" && d.Event.EntityID == off {
				dl = d
				return true
			}
		}
		return false
	})
	if dl.Deliveries != 3 || dl.Event.Subject != "sankofa.offer.created" {
		t.Errorf("dead letter: %+v, want sankofa.offer.created after 3 deliveries (2 panics, 1 permanent failure)", dl)
	}
	for _, d := range s.deadLetters(t, admin) {
		if d.Consumer != "webhooks" {
			t.Errorf("unexpected dead letter: %+v", d)
		}
	}
	if n := s.chaosPanics("notify"); n != 2 {
		t.Errorf("notify panicked %d times, want 2", n)
	}
	if n := s.chaosPanics("webhooks"); n != 2 {
		t.Errorf("webhooks panicked %d times, want 2", n)
	}
	panicked, red := "not served", "not served"
	if n, ok := s.metric(t, admin, "sankofa_consumer_events_total", `outcome="panicked"`); ok {
		panicked = formatFloat(n)
		if n != 4 {
			t.Errorf("/metrics counts %v panics, want 4", n)
		}
	}
	if n, ok := s.metric(t, admin, "sankofa_consumer_events_total", `outcome="redelivered"`); ok {
		red = formatFloat(n)
	}
	s.mustBeAlive(t)
	violations := s.invariants(t, moh, []string{asg}, []worker{w}, settle)
	s.checkOnline(t)
	s.checkOffline(t)
	t.Logf("journey consumer panic: panics injected %d, /metrics panicked %s, redelivered %s, dead letters 1 after %d deliveries, invariant violations %d",
		s.chaosPanics("notify")+s.chaosPanics("webhooks"), panicked, red, dl.Deliveries, violations)
}

// TestJourney_WebhookReceiverDown: a ministry's webhook receiver answers
// 503 for 30 s from the first attempt, then comes back. It gets the event
// exactly once once it has recovered, and nothing is dead-lettered.
func TestJourney_WebhookReceiverDown(t *testing.T) {
	t.Parallel()
	const down = 30 * time.Second
	var (
		mu        sync.Mutex
		upAt      time.Time
		failed    int
		delivered = map[string]int{} // Sankofa-Delivery -> 200 answers
		events    = map[string]int{} // event id -> 200 answers
		firstOK   time.Time
	)
	recv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		var ev struct {
			ID string `json:"id"`
		}
		_ = json.NewDecoder(r.Body).Decode(&ev)
		mu.Lock()
		defer mu.Unlock()
		now := time.Now()
		if upAt.IsZero() {
			upAt = now.Add(down)
		}
		if now.Before(upAt) {
			failed++
			http.Error(rw, "down for maintenance", http.StatusServiceUnavailable)
			return
		}
		if firstOK.IsZero() {
			firstOK = now
		}
		delivered[r.Header.Get("Sankofa-Delivery")]++
		events[r.Header.Get("Sankofa-Event")+" "+ev.ID]++
		rw.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(recv.Close)

	s := startServer(t, "")
	admin := s.admin(t)
	moh := s.ministry(t, admin)
	s.do(t, http.StatusCreated, http.MethodPost, "/v1/webhooks", moh, map[string]any{"url": recv.URL + "/hook", "events": []string{"offer.accepted"}}, nil)
	w := s.newWorker(t)
	asg := s.assignment(t, moh, 2, 40, 20)
	off := s.offer(t, moh, asg, w.profileID)
	s.do(t, http.StatusOK, http.MethodPost, "/v1/offers/"+off+"/accept", w.token, nil, nil)

	eventually(t, 2*time.Minute, "the receiver gets the event once it is back", func() bool {
		s.mustBeAlive(t)
		if dls := s.deadLetters(t, admin); len(dls) > 0 {
			mu.Lock()
			n := failed
			mu.Unlock()
			t.Fatalf("the event was dead-lettered after %d failed attempts, while the receiver was down: %+v", n, dls)
		}
		mu.Lock()
		defer mu.Unlock()
		return !firstOK.IsZero()
	})
	time.Sleep(3 * time.Second) // a duplicate would come now
	mu.Lock()
	if len(delivered) != 1 || len(events) != 1 {
		t.Errorf("after recovery the receiver got deliveries %v of events %v, want one delivery of one event", delivered, events)
	}
	for k, n := range delivered {
		if n != 1 {
			t.Errorf("delivery %s was answered 2xx %d times, want once", k, n)
		}
	}
	tookAfterUp := firstOK.Sub(upAt)
	attempts := failed
	mu.Unlock()
	for _, d := range s.deadLetters(t, admin) {
		t.Errorf("dead letter: %+v", d)
	}
	s.mustBeAlive(t)
	violations := s.invariants(t, moh, []string{asg}, []worker{w}, settle)
	s.checkOnline(t)
	s.checkOffline(t)
	t.Logf("journey webhook down %v: failed attempts %d, delivered %v after the receiver came back, dead letters 0, invariant violations %d",
		down, attempts, tookAfterUp.Round(time.Second), violations)
}
