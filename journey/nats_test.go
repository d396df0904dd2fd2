package journey_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	natsserver "github.com/nats-io/nats-server/v2/server"
)

// natsServer is a nats-server with JetStream run by the test on a fixed
// port and store dir, so that it can be stopped and started again.
type natsServer struct {
	opts *natsserver.Options
	srv  *natsserver.Server
}

func startNATS(t testing.TB) *natsServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	_ = ln.Close()
	n := &natsServer{opts: &natsserver.Options{
		ServerName: "journey-nats", Host: "127.0.0.1", Port: port,
		JetStream: true, StoreDir: t.TempDir(), NoSigs: true, NoLog: true,
	}}
	n.start(t)
	t.Cleanup(n.stop)
	return n
}

func (n *natsServer) url() string { return fmt.Sprintf("nats://127.0.0.1:%d", n.opts.Port) }

func (n *natsServer) start(t testing.TB) {
	t.Helper()
	srv, err := natsserver.NewServer(n.opts)
	if err != nil {
		t.Fatalf("nats-server: %v", err)
	}
	srv.Start()
	if !srv.ReadyForConnections(30 * time.Second) {
		t.Fatal("nats-server did not start")
	}
	n.srv = srv
}

func (n *natsServer) stop() {
	if n.srv != nil {
		n.srv.Shutdown()
		n.srv.WaitForShutdown()
		n.srv = nil
	}
}

// TestJourney_NATSRestart: sankofa runs on an external NATS that is
// stopped in the middle of a write load and started again on the same
// port and store. Every write either succeeds or fails cleanly (a 5xx
// problem+json, never a hang or a crash); once NATS is back, the search
// index, the notifications and the invariants converge and check is clean.
func TestJourney_NATSRestart(t *testing.T) {
	t.Parallel()
	ns := startNATS(t)
	s := startServer(t, "", "SANKOFA_NATS_URL="+ns.url(), "SANKOFA_OUTBOX_GRACE=2s")
	admin := s.admin(t)
	moh := s.ministry(t, admin)
	ws := s.workers(t, 4)

	var (
		mu       sync.Mutex
		statuses = map[string]int{} // "op status" -> count
		offered  = map[string]int{} // profile -> offers created
		created  []string           // assignments
		problems []string
		window   atomic.Int64
	)
	note := func(op string, r resp, err error) bool {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case err != nil:
			problems = append(problems, fmt.Sprintf("%s: %v", op, err))
			return false
		case r.status >= 500:
			if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
				problems = append(problems, fmt.Sprintf("%s: %d with Content-Type %q, want problem+json", op, r.status, ct))
			}
		}
		statuses[fmt.Sprintf("%s %d", op, r.status)]++
		return r.status < 300
	}
	call := func(op, method, path, token string, body any, out any) (resp, bool) {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		r, err := s.tryCtx(ctx, method, path, token, body)
		if err != nil {
			err = fmt.Errorf("%s", s.diagnose(err))
		}
		ok := note(op, r, err)
		if ok && out != nil {
			_ = json.Unmarshal(r.body, out)
		}
		return r, ok
	}

	var downFor time.Duration
	var readyWhileDown int
	stopLoad := make(chan struct{})
	var wg sync.WaitGroup
	for g := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stopLoad:
					return
				default:
				}
				win := int(window.Add(1))
				if win > 90 {
					return
				}
				var a struct{ ID string }
				if _, ok := call("create assignment", http.MethodPost, "/v1/assignments", moh, map[string]any{
					"title": "Midwife mentor", "profession": "2222", "required_skills": []string{"caesarean section"},
					"languages": []map[string]string{{"code": "en", "level": "B2"}}, "mode": "onsite",
					"location": map[string]string{"region": "Northern"}, "start": day(20 + win*3), "end": day(21 + win*3), "positions": 3}, &a); !ok {
					continue
				}
				if _, ok := call("publish", http.MethodPost, "/v1/assignments/"+a.ID+"/publish", moh, nil, nil); !ok {
					continue
				}
				mu.Lock()
				created = append(created, a.ID)
				mu.Unlock()
				w := ws[(g*2+i)%len(ws)]
				var o struct{ ID string }
				if _, ok := call("offer", http.MethodPost, "/v1/assignments/"+a.ID+"/offers", moh, map[string]any{"profile_id": w.profileID}, &o); !ok {
					continue
				}
				mu.Lock()
				offered[w.profileID]++
				mu.Unlock()
				call("accept", http.MethodPost, "/v1/offers/"+o.ID+"/accept", w.token, nil, nil)
			}
		}()
	}
	time.Sleep(3 * time.Second)
	ns.stop()
	downAt := time.Now()
	for time.Since(downAt) < 5*time.Second {
		if r, err := s.try(http.MethodGet, "/readyz", "", nil); err == nil && r.status == http.StatusServiceUnavailable {
			readyWhileDown++
		}
		time.Sleep(500 * time.Millisecond)
	}
	ns.start(t)
	downFor = time.Since(downAt)
	time.Sleep(4 * time.Second)
	close(stopLoad)
	wg.Wait()
	for _, p := range problems {
		t.Errorf("during the NATS restart: %s", p)
	}
	s.mustBeAlive(t)
	eventually(t, 60*time.Second, "ready again after NATS came back", func() bool {
		r, err := s.try(http.MethodGet, "/readyz", "", nil)
		return err == nil && r.status == http.StatusOK
	})

	// Notifications converge: each offer reached its worker's inbox once.
	for _, w := range ws {
		want := offered[w.profileID]
		var got int
		eventually(t, 60*time.Second, fmt.Sprintf("profile %s: %d offer notifications", w.profileID, want), func() bool {
			got = s.countNotifications(t, w.token, "offer.received")
			return got >= want
		})
		if got != want {
			t.Errorf("profile %s: %d offer.received notifications for %d offers", w.profileID, got, want)
		}
	}
	// The index converges: the list of open assignments (served from the
	// index) shows each one as the store has it.
	eventually(t, 60*time.Second, "the index shows every assignment as the store has it", func() bool {
		listed := s.listedAssignments(t, moh)
		for _, id := range created {
			var a assignmentView
			s.do(t, http.StatusOK, http.MethodGet, "/v1/assignments/"+id, moh, nil, &a)
			if l, ok := listed[id]; !ok || l != a {
				return false
			}
		}
		return true
	})
	violations := s.invariants(t, moh, created, ws, settle)
	s.mustBeAlive(t)
	s.checkOnline(t)
	s.checkOffline(t)
	t.Logf("journey NATS restart: NATS down %v, /readyz 503 seen %d times while down, answers %v, assignments %d, invariant violations %d",
		downFor.Round(100*time.Millisecond), readyWhileDown, statuses, len(created), violations)
}

// countNotifications counts the token's notifications of that kind.
func (s *server) countNotifications(t testing.TB, token, kind string) int {
	t.Helper()
	n, cursor := 0, ""
	for {
		var page struct {
			Items      []struct{ Kind string } `json:"items"`
			NextCursor *string                 `json:"next_cursor"`
		}
		s.do(t, http.StatusOK, http.MethodGet, "/v1/notifications?limit=100&cursor="+cursor, token, nil, &page)
		for _, it := range page.Items {
			if it.Kind == kind {
				n++
			}
		}
		if page.NextCursor == nil || *page.NextCursor == "" {
			return n
		}
		cursor = *page.NextCursor
	}
}

// listedAssignments is the ministry's list of open assignments, which the
// API serves from the search index.
func (s *server) listedAssignments(t testing.TB, moh string) map[string]assignmentView {
	t.Helper()
	out := map[string]assignmentView{}
	cursor := ""
	for {
		var page struct {
			Items      []assignmentView `json:"items"`
			NextCursor *string          `json:"next_cursor"`
		}
		s.do(t, http.StatusOK, http.MethodGet, "/v1/assignments?status=open&limit=100&cursor="+cursor, moh, nil, &page)
		for _, a := range page.Items {
			out[a.ID] = a
		}
		if page.NextCursor == nil || *page.NextCursor == "" {
			return out
		}
		cursor = *page.NextCursor
	}
}
