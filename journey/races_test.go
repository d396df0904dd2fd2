package journey_test

import (
	"net/http"
	"sync"
	"testing"
	"time"
)

// TestJourney_AcceptRaces: a worker accepts an offer at the same moment
// as the worker declines it, the ministry withdraws it, or the ministry
// closes or cancels the assignment. Whichever wins, the offer ends in one
// state that agrees with the answers, and the invariants hold.
//
// Accept racing expiry is not here: an offer's expires_at must be at least
// an hour away, and the binary has no clock a test can move.
func TestJourney_AcceptRaces(t *testing.T) {
	t.Parallel()
	s := startServer(t, "")
	admin := s.admin(t)
	moh := s.ministry(t, admin)
	w := s.newWorker(t)
	// The rival starts a little later each round, so that it lands
	// before, inside and after the accept's saga.
	lags := []time.Duration{0, 10 * time.Millisecond, 25 * time.Millisecond, 50 * time.Millisecond, 100 * time.Millisecond}
	type race struct {
		name string
		// rival makes the competing move; final is the offer's status
		// when the rival wins.
		rival func(offer, asg string) (resp, error)
		final string
	}
	races := []race{
		{"decline", func(o, _ string) (resp, error) {
			return s.try(http.MethodPost, "/v1/offers/"+o+"/decline", w.token, map[string]string{"reason": "too late"})
		}, "declined"},
		{"withdraw", func(o, _ string) (resp, error) {
			return s.try(http.MethodPost, "/v1/offers/"+o+"/withdraw", moh, nil)
		}, "withdrawn"},
		{"close", func(_, a string) (resp, error) {
			return s.try(http.MethodPost, "/v1/assignments/"+a+"/close", moh, nil)
		}, "withdrawn"},
		{"cancel", func(_, a string) (resp, error) {
			return s.try(http.MethodPost, "/v1/assignments/"+a+"/cancel", moh, nil)
		}, "withdrawn"},
	}
	var asgs []string
	window, violations := 0, 0
	wins := map[string][2]int{} // race -> accept wins, rival wins
	for _, rc := range races {
		for round, lag := range lags {
			asg := s.assignment(t, moh, 2, 20+window*12, 5)
			window++
			asgs = append(asgs, asg)
			off := s.offer(t, moh, asg, w.profileID)
			var (
				wg         sync.WaitGroup
				start      = make(chan struct{})
				acc, riv   resp
				errA, errR error
			)
			wg.Add(2)
			go func() {
				defer wg.Done()
				<-start
				acc, errA = s.try(http.MethodPost, "/v1/offers/"+off+"/accept", w.token, nil)
			}()
			go func() {
				defer wg.Done()
				<-start
				time.Sleep(lag)
				riv, errR = rc.rival(off, asg)
			}()
			close(start)
			wg.Wait()
			if errA != nil || errR != nil {
				t.Fatalf("%s round %d: accept %v, %s %v", rc.name, round, s.diagnose(errA), rc.name, errR)
			}
			bad := func(format string, args ...any) {
				t.Helper()
				t.Errorf("%s round %d (offer %s, assignment %s): accept %d, %s %d: "+format,
					append([]any{rc.name, round, off, asg, acc.status, rc.name, riv.status}, args...)...)
				violations++
			}
			var o offerView
			s.do(t, http.StatusOK, http.MethodGet, "/v1/offers/"+off, moh, nil, &o)
			counts := wins[rc.name]
			switch {
			case acc.status == http.StatusOK:
				counts[0]++
				if o.Status != "accepted" {
					bad("the accept was answered 200 and the offer is %s", o.Status)
				}
				if (rc.name == "decline" || rc.name == "withdraw") && riv.status != http.StatusConflict {
					bad("both moves were answered")
				}
			case acc.status == http.StatusConflict:
				counts[1]++
				if riv.status != http.StatusOK {
					bad("neither move was answered 200")
				}
			default:
				bad("unexpected accept answer: %s", acc)
			}
			wins[rc.name] = counts
			if riv.status != http.StatusOK && riv.status != http.StatusConflict {
				bad("unexpected %s answer: %s", rc.name, riv)
			}
			if acc.status == http.StatusConflict {
				// The rival won: once the events are handled the offer is
				// no longer pending, and nothing is booked for it.
				eventually(t, settle, rc.name+": the offer leaves pending", func() bool {
					s.do(t, http.StatusOK, http.MethodGet, "/v1/offers/"+off, moh, nil, &o)
					return o.Status != "pending"
				})
				if o.Status != rc.final {
					bad("the offer is %s, want %s", o.Status, rc.final)
				}
				for _, c := range s.commitments(t, w) {
					if c.OfferID == off {
						bad("the worker is booked for the offer the %s won", rc.name)
					}
				}
			}
			s.mustBeAlive(t)
		}
	}
	violations += s.invariants(t, moh, asgs, []worker{w}, settle)
	s.mustBeAlive(t)
	s.checkOnline(t)
	s.checkOffline(t)
	t.Logf("journey accept races: runs %d, wins (accept/rival) %v, invariant violations %d", len(asgs), wins, violations)
}
