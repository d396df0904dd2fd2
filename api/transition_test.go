package api_test

import (
	"sync"
	"testing"

	"sankofa"
)

// Closing without If-Match while other writes change the assignment (here
// workers saying they are interested; in the journey, an acceptance taking
// a position) must close it, never answer 412: the caller did not ask for
// a particular version.
func TestAssignments_UnconditionalCloseRacesWrites(t *testing.T) {
	e := newEnv(t)
	_, ghTok := e.Ministry(t, "GH", false)
	var tokens []string
	for range 6 {
		_, tok := e.worker(t, func(*sankofa.ProfileInput) {})
		tokens = append(tokens, tok)
	}
	for round := range 10 {
		a := e.publishedAssignment(t, ghTok, nil)
		var wg sync.WaitGroup
		for _, tok := range tokens {
			wg.Go(func() {
				// 201, or 409 once the assignment is closed.
				e.do(t, req{Method: "POST", Path: "/v1/assignments/" + a.ID + "/interest", Token: tok})
			})
		}
		r := e.do(t, req{Method: "POST", Path: "/v1/assignments/" + a.ID + "/close", Token: ghTok})
		wg.Wait()
		if r.Status != 200 {
			t.Fatalf("round %d: close answered %d, want 200; body %s", round, r.Status, r.Body)
		}
	}
}
