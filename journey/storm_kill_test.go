package journey_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"testing"
	"time"
)

// TestJourney_KillDuringProfileStorm: workers edit their own profiles all
// at once, each edit by If-Match on the version it last saw, and the
// process is killed with SIGKILL in the middle of the storm. On the
// embedded store saves of different profiles overlap (a lock per
// document, two saves in FerretDB at once) and SQLite's log is
// checkpointed in the background: this is that path under a crash. After
// each restart every edit the API answered 200 to is there (that version
// with that text, or the one edit the kill caught after its commit), an
// edit on the stale ETag is refused, and editing goes on. At the end
// `sankofa check` (online, then offline) finds store, index and inboxes
// in agreement.
func TestJourney_KillDuringProfileStorm(t *testing.T) {
	t.Parallel()
	const (
		runs     = 4
		nWorkers = 12
	)
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 0))
	t.Logf("seed %d", seed)

	s := startServer(t, "")
	ws := s.workers(t, nWorkers)

	type edit struct {
		version int64
		bio     string
	}
	type profileView struct {
		Version int64  `json:"version"`
		Bio     string `json:"bio"`
	}
	acked := make([]edit, nWorkers) // the last edit answered 200
	etags := make([]string, nWorkers)
	for i, w := range ws {
		var p profileView
		r := s.do(t, http.StatusOK, http.MethodGet, "/v1/profiles/me", w.token, nil, &p)
		etags[i], acked[i] = r.header.Get("ETag"), edit{version: p.Version}
	}
	var oks, cut int
	for run := range runs {
		stop := make(chan struct{})
		var (
			wg sync.WaitGroup
			mu sync.Mutex
		)
		for i, w := range ws {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for n := 0; ; n++ {
					select {
					case <-stop:
						return
					default:
					}
					bio := fmt.Sprintf("Run %d, edit %d by worker %d.", run, n, i)
					r, err := s.try(http.MethodPatch, "/v1/profiles/me", w.token, map[string]any{"bio": bio},
						"If-Match", etags[i], "Content-Type", "application/merge-patch+json")
					mu.Lock()
					switch {
					case err != nil:
						cut++ // the kill: the edit may or may not have committed
						mu.Unlock()
						return
					case r.status == http.StatusOK:
						var p profileView
						if err := json.Unmarshal(r.body, &p); err != nil || p.Bio != bio {
							t.Errorf("run %d: PATCH answered 200 with %s", run, r)
						}
						oks++
						acked[i], etags[i] = edit{version: p.Version, bio: bio}, r.header.Get("ETag")
					default:
						t.Errorf("run %d: worker %d's edit on %s answered %s", run, i, etags[i], r)
						mu.Unlock()
						return
					}
					mu.Unlock()
				}
			}()
		}
		time.Sleep(time.Duration(100+rng.IntN(500)) * time.Millisecond)
		s.kill()
		close(stop)
		wg.Wait()

		s.restart()
		for i, w := range ws {
			var p profileView
			r := s.do(t, http.StatusOK, http.MethodGet, "/v1/profiles/me", w.token, nil, &p)
			a := acked[i]
			switch {
			case p.Version == a.version && (a.bio == "" || p.Bio == a.bio):
			case p.Version == a.version+1:
				// An edit the kill caught after its commit, before its answer.
			default:
				t.Errorf("run %d: worker %d's edit %d (%q) was answered 200; after the restart the profile is at %d (%q)",
					run, i, a.version, a.bio, p.Version, p.Bio)
			}
			// The version the worker saw last may be the stale one now.
			if stale := fmt.Sprintf(`"v%d"`, p.Version-1); p.Version > 1 {
				s.do(t, http.StatusPreconditionFailed, http.MethodPatch, "/v1/profiles/me", w.token,
					map[string]any{"bio": "stale"}, nil, "If-Match", stale, "Content-Type", "application/merge-patch+json")
			}
			etags[i], acked[i] = r.header.Get("ETag"), edit{version: p.Version, bio: p.Bio}
		}
		s.mustBeAlive(t)
	}
	if oks == 0 {
		t.Fatal("no edit was answered 200 before a kill: the storm did not run")
	}
	s.checkOnline(t)
	s.mustBeAlive(t)
	s.checkOffline(t)
	t.Logf("journey SIGKILL profile storm: runs %d, %d workers, edits answered 200 %d, cut by the kill %d", runs, nWorkers, oks, cut)
}
