package api_test

import (
	"bufio"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"sankofa"
	"sankofa/api"
	"sankofa/metrics"
	"sankofa/notifier"
)

// metered serves this env's API again, with m counting, and returns its
// URL; the notifications stream needs only the accounts, the inbox and the
// live signals.
func (e *env) metered(t *testing.T, m *metrics.Metrics) string {
	t.Helper()
	cfg := api.DefaultConfig()
	cfg.JWTSecret = []byte("0123456789abcdef0123456789abcdef")
	cfg.Now = e.Now.Now
	cfg.Logger = slog.New(slog.DiscardHandler)
	cfg.Metrics = m
	s := api.New(cfg, api.Deps{Accounts: e.Store, Sessions: e.Store, Inbox: e.Store, Live: e.Bus, Index: e.Index,
		Outbox: e.Store, Events: e.Bus, Workflow: e.Flow})
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(hs.Close)
	return hs.URL
}

// metric reads one series of m, e.g. `sankofa_sse_streams_open`; an
// absent series is 0.
func metric(t *testing.T, m *metrics.Metrics, series string) float64 {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	for line := range strings.SplitSeq(rec.Body.String(), "\n") {
		if v, ok := strings.CutPrefix(line, series+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("metric %s: %v", line, err)
			}
			return f
		}
	}
	return 0
}

// eventually waits up to 10 s for cond, and fails with what otherwise.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after 10 s: %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// rawStream is a notification stream read event by event, the final
// "end" event included.
type rawStream struct {
	events chan sseEvent // closed when the server ends the stream
	ends   chan map[string]string
}

func openStream(t *testing.T, base, token string) *rawStream {
	t.Helper()
	r, _ := http.NewRequest("GET", base+"/v1/notifications/stream", nil)
	r.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode != 200 {
		t.Fatalf("stream: status %d", resp.StatusCode)
	}
	s := &rawStream{events: make(chan sseEvent, 100), ends: make(chan map[string]string, 1)}
	go func() {
		defer close(s.events)
		sc := bufio.NewScanner(resp.Body)
		var ev sseEvent
		var data string
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "id: "):
				ev.id = strings.TrimPrefix(line, "id: ")
			case strings.HasPrefix(line, "event: "):
				ev.kind = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				data = strings.TrimPrefix(line, "data: ")
			case line == "" && ev.kind == "end":
				var end map[string]string
				_ = json.Unmarshal([]byte(data), &end)
				s.ends <- end
				ev, data = sseEvent{}, ""
			case line == "" && ev.id != "":
				_ = json.Unmarshal([]byte(data), &ev.data)
				s.events <- ev
				ev, data = sseEvent{}, ""
			}
		}
	}()
	return s
}

// end waits for the stream's final event and for the server to close the
// stream, and returns the event's data.
func (s *rawStream) end(t *testing.T) map[string]string {
	t.Helper()
	timeout := time.After(10 * time.Second)
	var end map[string]string
	for {
		select {
		case e := <-s.ends:
			end = e
		case _, open := <-s.events:
			if !open {
				select { // sent before the close, maybe not yet taken
				case end = <-s.ends:
				default:
				}
				if end == nil {
					t.Fatal("the stream closed without an end event")
				}
				return end
			}
		case <-timeout:
			t.Fatalf("the stream is still open after 10 s (end event: %v)", end)
		}
	}
}

// shortChecks makes streams check their account and token every 50 ms for
// this test; it must be called before the env starts.
func shortChecks(t *testing.T) {
	old := api.SetStreamCheck(50 * time.Millisecond)
	t.Cleanup(func() { api.SetStreamCheck(old) })
}

func TestStream_EndsOnSuspension(t *testing.T) {
	shortChecks(t)
	e := newEnv(t)
	m := metrics.New()
	base := e.metered(t, m)
	_, ghTok := e.Ministry(t, "GH", false)
	a := e.publishedAssignment(t, ghTok, nil)
	w, wTok := e.worker(t, func(p *sankofa.ProfileInput) { p.Alerts = false })
	s := openStream(t, base, wTok)
	if n := metric(t, m, "sankofa_sse_streams_open"); n != 1 {
		t.Fatalf("open streams = %v, want 1", n)
	}
	e.offer(t, ghTok, a.ID, w, 201)
	if ev := s.next(t); ev.kind != sankofa.NoteOfferReceived {
		t.Fatalf("event before the suspension = %+v", ev)
	}

	e.must(t, 200, req{Method: "POST", Path: "/v1/admin/accounts/" + w.ID + "/suspend", Token: e.Admin(t)})
	if end := s.end(t); end["reason"] != api.StreamAccountSuspended {
		t.Errorf("end event = %v, want reason %s", end, api.StreamAccountSuspended)
	}
	if n := metric(t, m, "sankofa_sse_streams_open"); n != 0 {
		t.Errorf("open streams after the end = %v, want 0", n)
	}
	e.must(t, 401, req{Method: "GET", Path: "/v1/notifications/stream", Token: wTok})
}

// next returns the stream's next notification.
func (s *rawStream) next(t *testing.T) sseEvent {
	t.Helper()
	select {
	case ev, ok := <-s.events:
		if !ok {
			t.Fatal("the stream ended")
		}
		return ev
	case <-time.After(10 * time.Second):
		t.Fatal("no event within 10 s")
	}
	return sseEvent{}
}

func TestStream_EndsWhenTokenExpires(t *testing.T) {
	shortChecks(t)
	e := newEnv(t)
	_, tok := e.Professional(t)
	s := openStream(t, e.URL, tok)
	e.Now.Add(api.DefaultConfig().AccessTTL + time.Second)
	if end := s.end(t); end["reason"] != api.StreamTokenExpired {
		t.Errorf("end event = %v, want reason %s", end, api.StreamTokenExpired)
	}
	e.must(t, 401, req{Method: "GET", Path: "/v1/notifications/stream", Token: tok})
}

// hookReceiver is a ministry's webhook endpoint answering status.
type hookReceiver struct {
	mu     sync.Mutex
	status int
	events []string
}

func (h *hookReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.events = append(h.events, r.Header.Get(notifier.EventHeader))
	w.WriteHeader(h.status)
}

func (h *hookReceiver) got() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.events...)
}

// hookEnv is an env whose webhook consumer counts its attempts in m, with
// a receiver registered for gh's offer events.
func hookEnv(t *testing.T, status int) (e *env, m *metrics.Metrics, recv *hookReceiver, gh sankofa.Account, ghTok string) {
	t.Helper()
	e = openEnvWith(t, t.TempDir(), false)
	m = metrics.New()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	hooks := notifier.NewHooks(e.Store, notifier.NewDeliverer(notifier.AddressPolicy{AllowPrivate: true}, nil, nil, m))
	go func() { _ = e.Bus.Consume(ctx, "webhooks", hooks.Handle) }()
	recv = &hookReceiver{status: status}
	hs := httptest.NewServer(recv)
	t.Cleanup(hs.Close)
	gh, ghTok = e.Ministry(t, "GH", false)
	hook := sankofa.Webhook{ID: "wh_" + gh.ID, AccountID: gh.ID, URL: hs.URL + "/hook",
		Events: []string{"offer.accepted", "offer.declined"}, Secret: sankofa.NewWebhookSecret(), CreatedAt: time.Now()}
	if err := e.Store.AddWebhook(context.Background(), hook); err != nil {
		t.Fatal(err)
	}
	return e, m, recv, gh, ghTok
}

const (
	delivered = `sankofa_webhook_attempts_total{outcome="delivered"}`
	failed    = `sankofa_webhook_attempts_total{outcome="failed"}`
	refused   = `sankofa_webhook_attempts_total{outcome="refused"}`
)

func TestWebhooks_SuspendedMinistryReceivesNothing(t *testing.T) {
	e, m, recv, gh, ghTok := hookEnv(t, http.StatusNoContent)
	a := e.publishedAssignment(t, ghTok, nil)
	w, wTok := e.worker(t, func(p *sankofa.ProfileInput) { p.Alerts = false })
	before := e.offer(t, ghTok, a.ID, w, 201)
	e.must(t, 200, req{Method: "POST", Path: "/v1/offers/" + before.ID + "/decline", Token: wTok})
	eventually(t, "the active ministry's hook got no offer.declined", func() bool { return len(recv.got()) == 1 })
	later := e.offer(t, ghTok, a.ID, w, 201)

	e.must(t, 200, req{Method: "POST", Path: "/v1/admin/accounts/" + gh.ID + "/suspend", Token: e.Admin(t)})
	e.must(t, 200, req{Method: "POST", Path: "/v1/offers/" + later.ID + "/decline", Token: wTok})
	eventually(t, "the event after the suspension was neither refused nor delivered", func() bool {
		return metric(t, m, refused) == 1 || len(recv.got()) > 1
	})
	if got := recv.got(); len(got) != 1 {
		t.Errorf("the receiver got %v; want only the offer.declined from before the suspension", got)
	}
	if n := metric(t, m, delivered); n != 1 {
		t.Errorf("delivered = %v, want 1", n)
	}
}

func TestWebhooks_SuspensionEndsRetries(t *testing.T) {
	e, m, recv, gh, ghTok := hookEnv(t, http.StatusServiceUnavailable)
	a := e.publishedAssignment(t, ghTok, nil)
	w, wTok := e.worker(t, func(p *sankofa.ProfileInput) { p.Alerts = false })
	o := e.offer(t, ghTok, a.ID, w, 201)
	e.must(t, 200, req{Method: "POST", Path: "/v1/offers/" + o.ID + "/decline", Token: wTok})
	eventually(t, "the first attempt did not fail", func() bool { return metric(t, m, failed) >= 1 })

	e.must(t, 200, req{Method: "POST", Path: "/v1/admin/accounts/" + gh.ID + "/suspend", Token: e.Admin(t)})
	eventually(t, "the retry after the suspension was not refused", func() bool { return metric(t, m, refused) == 1 })
	tries := len(recv.got())
	var dl struct {
		Items []sankofa.DeadLetter `json:"items"`
	}
	e.must(t, 200, req{Method: "GET", Path: "/v1/admin/dead-letters", Token: e.Admin(t)}).JSON(t, &dl)
	if len(dl.Items) != 0 {
		t.Errorf("a refused event was dead-lettered: %+v", dl.Items)
	}
	if n := len(recv.got()); n != tries {
		t.Errorf("the receiver was called after the refusal: %d then %d", tries, n)
	}
}
