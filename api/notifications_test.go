package api_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"sankofa"
	"sankofa/api"
	"sankofa/notifier"
)

type inboxPage struct {
	Items      []sankofa.Notification `json:"items"`
	NextCursor *string                `json:"next_cursor"`
}

// inbox waits until the caller's inbox holds at least n notifications
// (the notify consumer works in the background) and returns it.
func (e *env) inbox(t *testing.T, token string, n int) []sankofa.Notification {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var p inboxPage
		e.must(t, 200, req{Method: "GET", Path: "/v1/notifications?limit=100", Token: token}).JSON(t, &p)
		if len(p.Items) >= n || time.Now().After(deadline) {
			if len(p.Items) < n {
				t.Fatalf("inbox holds %d notifications after 10 s, want %d: %+v", len(p.Items), n, p.Items)
			}
			return p.Items
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (e *env) unread(t *testing.T, token string) int {
	t.Helper()
	var c struct {
		Unread int `json:"unread"`
	}
	e.must(t, 200, req{Method: "GET", Path: "/v1/notifications/unread-count", Token: token}).JSON(t, &c)
	return c.Unread
}

// frenchWorker registers a professional who reads French, with a profile.
func (e *env) frenchWorker(t *testing.T) (sankofa.Account, string) {
	t.Helper()
	email := uniqueEmail("fr")
	var a sankofa.Account
	e.must(t, 201, req{Method: "POST", Path: "/v1/auth/register", Body: sankofa.Registration{
		Email: email, Password: testPassword, Name: "Aminata Diallo", Role: sankofa.RoleProfessional, Locale: "fr"}}).JSON(t, &a)
	tok := e.login(t, email, testPassword)
	e.must(t, 201, req{Method: "PUT", Path: "/v1/profiles/me", Token: tok, Body: e.profileInput()})
	return a, tok
}

func TestNotifications_OfferToAcceptance(t *testing.T) {
	e := newEnv(t)
	_, ghTok := e.Ministry(t, "GH", false)
	a := e.publishedAssignment(t, ghTok, nil)
	w, wTok := e.frenchWorker(t)
	o := e.offer(t, ghTok, a.ID, w, 201)

	got := e.inbox(t, wTok, 1)
	var received *sankofa.Notification
	for i := range got {
		if got[i].Kind == sankofa.NoteOfferReceived {
			received = &got[i]
		}
	}
	if received == nil || received.Data["offer_id"] != o.ID || !strings.Contains(received.Title, "offre") || received.Read {
		t.Fatalf("the worker's inbox lacks the offer in French: %+v", got)
	}
	if n := e.unread(t, wTok); n != len(got) {
		t.Errorf("unread = %d, want %d", n, len(got))
	}
	e.must(t, 204, req{Method: "POST", Path: "/v1/notifications/" + received.ID + "/read", Token: wTok})
	e.must(t, 204, req{Method: "POST", Path: "/v1/notifications/" + received.ID + "/read", Token: wTok})
	if n := e.unread(t, wTok); n != len(got)-1 {
		t.Errorf("after reading one, unread = %d, want %d", n, len(got)-1)
	}
	e.must(t, 404, req{Method: "POST", Path: "/v1/notifications/" + received.ID + "/read", Token: ghTok})

	e.must(t, 200, req{Method: "POST", Path: "/v1/offers/" + o.ID + "/accept", Token: wTok})
	mine := e.inbox(t, ghTok, 1)
	if mine[0].Kind != sankofa.NoteOfferAccepted || !strings.Contains(mine[0].Body, "Aminata Diallo") {
		t.Errorf("the ministry was not told of the acceptance: %+v", mine)
	}
	e.must(t, 204, req{Method: "POST", Path: "/v1/notifications/read-all", Token: ghTok})
	if n := e.unread(t, ghTok); n != 0 {
		t.Errorf("after read-all, unread = %d", n)
	}
	var unread inboxPage
	e.must(t, 200, req{Method: "GET", Path: "/v1/notifications?unread=true", Token: ghTok}).JSON(t, &unread)
	if len(unread.Items) != 0 {
		t.Errorf("unread filter returned %d after read-all", len(unread.Items))
	}
}

func TestNotifications_RedeliveryAddsNothing(t *testing.T) {
	e := newEnv(t)
	_, ghTok := e.Ministry(t, "GH", false)
	a := e.publishedAssignment(t, ghTok, nil)
	w, wTok := e.worker(t, func(p *sankofa.ProfileInput) { p.Alerts = false }) // alerts would be new, not repeated
	e.offer(t, ghTok, a.ID, w, 201)
	before := len(e.inbox(t, wTok, 1))
	evs, err := e.Bus.Events(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// Replay every event through a second handler, as a redelivery would.
	fanout := notifier.NewFanout(e.Store, e.Store, e.Server.AlertAudience, nil, notifier.FanoutConfig{}, nil)
	for _, ev := range evs {
		if err := fanout.Handle(context.Background(), ev); err != nil {
			t.Fatalf("%s: %v", ev.ID, err)
		}
	}
	time.Sleep(100 * time.Millisecond)
	if after := len(e.inbox(t, wTok, before)); after != before {
		t.Errorf("redelivered events added notifications: %d then %d", before, after)
	}
}

func TestNotifications_AlertsCapAndDigest(t *testing.T) {
	e := newEnv(t)
	_, ghTok := e.Ministry(t, "GH", false)
	_, wTok := e.worker(t, func(*sankofa.ProfileInput) {}) // opted in to alerts
	_, quietTok := e.worker(t, func(p *sankofa.ProfileInput) { p.Alerts = false })
	for i := range 5 {
		e.publishedAssignment(t, ghTok, func(in *sankofa.AssignmentInput) { in.Title = "Mission " + strconv.Itoa(i) })
	}
	var alerts, digests []sankofa.Notification
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		alerts, digests = nil, nil
		var p inboxPage
		e.must(t, 200, req{Method: "GET", Path: "/v1/notifications", Token: wTok}).JSON(t, &p)
		for _, n := range p.Items {
			switch n.Kind {
			case sankofa.NoteAssignmentNew:
				alerts = append(alerts, n)
			case sankofa.NoteAlertDigest:
				digests = append(digests, n)
			}
		}
		if len(digests) == 1 && digests[0].Data["count"] == "2" {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if len(alerts) != 3 || len(digests) != 1 || digests[0].Data["count"] != "2" {
		t.Fatalf("alerts %d, digests %+v; want 3 alerts and one digest of 2", len(alerts), digests)
	}
	var q inboxPage
	e.must(t, 200, req{Method: "GET", Path: "/v1/notifications", Token: quietTok}).JSON(t, &q)
	if len(q.Items) != 0 {
		t.Errorf("a worker who opted out got %d notifications", len(q.Items))
	}
}

func TestNotifications_Interest(t *testing.T) {
	e := newEnv(t)
	_, ghTok := e.Ministry(t, "GH", false)
	a := e.publishedAssignment(t, ghTok, nil)
	_, wTok := e.worker(t, func(*sankofa.ProfileInput) {})
	e.must(t, 201, req{Method: "POST", Path: "/v1/assignments/" + a.ID + "/interest", Token: wTok})
	got := e.inbox(t, ghTok, 1)
	if got[0].Kind != sankofa.NoteInterest || got[0].Data["assignment_id"] != a.ID {
		t.Errorf("ministry inbox = %+v", got)
	}
}

// sse reads a notification stream.
type sse struct {
	resp   *http.Response
	events chan sseEvent
}

type sseEvent struct {
	id, kind string
	data     sankofa.Notification
}

func (e *env) stream(t testing.TB, token, lastID string) *sse {
	t.Helper()
	r, _ := http.NewRequest("GET", e.URL+"/v1/notifications/stream", nil)
	r.Header.Set("Authorization", "Bearer "+token)
	if lastID != "" {
		r.Header.Set("Last-Event-ID", lastID)
	}
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("stream: %d %s", resp.StatusCode, b)
	}
	s := &sse{resp: resp, events: make(chan sseEvent, 100)}
	go func() {
		defer close(s.events)
		sc := bufio.NewScanner(resp.Body)
		var ev sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "id: "):
				ev.id = strings.TrimPrefix(line, "id: ")
			case strings.HasPrefix(line, "event: "):
				ev.kind = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				_ = json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &ev.data)
			case line == "" && ev.id != "":
				s.events <- ev
				ev = sseEvent{}
			}
		}
	}()
	t.Cleanup(func() { resp.Body.Close() })
	return s
}

func (s *sse) next(t testing.TB) sseEvent {
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

func (s *sse) quiet(t *testing.T, d time.Duration) {
	t.Helper()
	select {
	case ev, ok := <-s.events:
		if ok {
			t.Fatalf("unexpected event %s %s", ev.id, ev.kind)
		}
	case <-time.After(d):
	}
}

func TestNotifications_StreamResumesWithoutGapOrDuplicate(t *testing.T) {
	e := newEnv(t)
	_, ghTok := e.Ministry(t, "GH", false)
	w, wTok := e.worker(t, func(p *sankofa.ProfileInput) { p.Alerts = false })
	var as []sankofa.Assignment
	for i := range 4 {
		as = append(as, e.publishedAssignment(t, ghTok, func(in *sankofa.AssignmentInput) {
			in.Title = "Mission " + strconv.Itoa(i)
			in.Start, in.End = e.day(40+i), e.day(41+i)
		}))
	}
	s := e.stream(t, wTok, "")
	e.offer(t, ghTok, as[0].ID, w, 201)
	first := s.next(t)
	if first.kind != sankofa.NoteOfferReceived || first.data.Data["assignment_id"] != as[0].ID || first.id != strconv.FormatInt(first.data.Seq, 10) {
		t.Fatalf("first event = %+v", first)
	}
	s.resp.Body.Close() // the phone loses its connection

	e.offer(t, ghTok, as[1].ID, w, 201)
	e.offer(t, ghTok, as[2].ID, w, 201)
	e.inbox(t, wTok, 3) // both were delivered while nobody listened

	s = e.stream(t, wTok, first.id)
	for _, want := range as[1:3] {
		ev := s.next(t)
		if ev.data.Data["assignment_id"] != want.ID {
			t.Fatalf("resumed stream sent %+v, want the offer for %s", ev, want.ID)
		}
	}
	s.quiet(t, 300*time.Millisecond) // no duplicate of the first
	e.offer(t, ghTok, as[3].ID, w, 201)
	if ev := s.next(t); ev.data.Data["assignment_id"] != as[3].ID {
		t.Fatalf("live event after resume = %+v", ev)
	}
	e.must(t, 400, req{Method: "GET", Path: "/v1/notifications/stream", Token: wTok, Header: map[string]string{"Last-Event-ID": "x"}, Bad: true})
}

func TestNotifications_StreamHeartbeat(t *testing.T) {
	old := api.SetHeartbeat(50 * time.Millisecond)
	defer api.SetHeartbeat(old)
	e := newEnv(t)
	_, tok := e.Professional(t)
	r, _ := http.NewRequest("GET", e.URL+"/v1/notifications/stream", nil)
	r.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if sc.Text() == ": heartbeat" {
			return
		}
	}
	t.Fatal("no heartbeat")
}

func TestWebhooks(t *testing.T) {
	e := newEnv(t)
	gh, ghTok := e.Ministry(t, "GH", false)
	t.Run("PrivateURLsRefused", func(t *testing.T) {
		for _, u := range []string{"http://127.0.0.1:9/hook", "https://169.254.169.254/latest", "https://10.0.0.1/x", "https://[::1]/x"} {
			e.must(t, 400, req{Method: "POST", Path: "/v1/webhooks", Token: ghTok, Body: map[string]any{"url": u, "events": []string{"offer.accepted"}}})
		}
		e.must(t, 400, req{Method: "POST", Path: "/v1/webhooks", Token: ghTok, Body: map[string]any{"url": "https://example.org/x", "events": []string{"offer.bogus"}}, Bad: true})
	})

	var mu sync.Mutex
	var got []*http.Request
	var bodies [][]byte
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got, bodies = append(got, r), append(bodies, b)
		mu.Unlock()
	}))
	defer recv.Close()
	// Registered past the API's address check, as an operator allowing
	// private receivers would.
	hook := sankofa.Webhook{ID: "wh_test", AccountID: gh.ID, URL: recv.URL + "/hook", Events: []string{"offer.accepted"}, Secret: sankofa.NewWebhookSecret(), CreatedAt: time.Now()}
	if err := e.Store.AddWebhook(context.Background(), hook); err != nil {
		t.Fatal(err)
	}
	var list struct {
		Items []sankofa.Webhook `json:"items"`
	}
	e.must(t, 200, req{Method: "GET", Path: "/v1/webhooks", Token: ghTok}).JSON(t, &list)
	if len(list.Items) != 1 || list.Items[0].Secret != "" {
		t.Fatalf("webhook list = %+v (secrets must not be listed)", list.Items)
	}

	a := e.publishedAssignment(t, ghTok, nil)
	w, wTok := e.worker(t, func(*sankofa.ProfileInput) {})
	o := e.offer(t, ghTok, a.ID, w, 201)
	e.must(t, 200, req{Method: "POST", Path: "/v1/offers/" + o.ID + "/accept", Token: wTok})
	deadline := time.Now().Add(10 * time.Second)
	for {
		mu.Lock()
		n := len(got)
		mu.Unlock()
		if n > 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 {
		t.Fatalf("receiver got %d deliveries, want 1 (offer.accepted only)", len(got))
	}
	if got[0].Header.Get("Sankofa-Event") != "offer.accepted" {
		t.Errorf("event header = %q", got[0].Header.Get("Sankofa-Event"))
	}
	if err := notifier.VerifySignature([]byte(hook.Secret), got[0].Header.Get("Sankofa-Signature"), bodies[0], time.Now(), 5*time.Minute); err != nil {
		t.Errorf("signature: %v", err)
	}
	if !strings.Contains(string(bodies[0]), o.ID) {
		t.Errorf("body lacks the offer: %s", bodies[0])
	}
	e.must(t, 204, req{Method: "DELETE", Path: "/v1/webhooks/wh_test", Token: ghTok})
	e.must(t, 404, req{Method: "DELETE", Path: "/v1/webhooks/wh_test", Token: ghTok})
}

func TestPatchMe_LocaleChangesNotifications(t *testing.T) {
	e := newEnv(t)
	_, ghTok := e.Ministry(t, "GH", false)
	a := e.publishedAssignment(t, ghTok, nil)
	w, wTok := e.worker(t, func(p *sankofa.ProfileInput) { p.Alerts = false })
	r := e.must(t, 200, req{Method: "GET", Path: "/v1/me", Token: wTok})
	e.must(t, 400, req{Method: "PATCH", Path: "/v1/me", Token: wTok, Body: map[string]any{"locale": "de"},
		Header: map[string]string{"If-Match": r.Header.Get("ETag")}, Bad: true})
	var me sankofa.Account
	e.must(t, 200, req{Method: "PATCH", Path: "/v1/me", Token: wTok, Body: map[string]any{"locale": "pt"},
		Header: map[string]string{"If-Match": r.Header.Get("ETag")}}).JSON(t, &me)
	if me.Locale != "pt" || me.Name != w.Name {
		t.Fatalf("patched account = %+v", me)
	}
	e.must(t, 412, req{Method: "PATCH", Path: "/v1/me", Token: wTok, Body: map[string]any{"locale": "fr"},
		Header: map[string]string{"If-Match": r.Header.Get("ETag")}})
	e.offer(t, ghTok, a.ID, w, 201)
	got := e.inbox(t, wTok, 1)
	if !strings.Contains(got[0].Title, "Nova oferta") {
		t.Errorf("notification after switching to Portuguese: %q", got[0].Title)
	}
}
