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
// Accept racing expiry is TestJourney_AcceptRacesExpiry.
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

// TestJourney_AcceptRacesExpiry: a worker accepts offers right around
// their expiry while the sweeper expires them. An offer must be at least an
// hour from its expiry when it is sent, so the offers are sent with
// expires_at an hour and some seconds away, and the server is restarted
// with its clock an hour ahead (SANKOFA_CHAOS_CLOCK_OFFSET, chaos build
// only) and a sweep every 200 ms. Each offer ends accepted (the accept was
// answered 200) or expired (409), never both, and the invariants hold.
func TestJourney_AcceptRacesExpiry(t *testing.T) {
	t.Parallel()
	// Access tokens outlive the clock's jump.
	s := startServer(t, "", "SANKOFA_SWEEP_INTERVAL=200ms", "SANKOFA_ACCESS_TTL=3h")
	admin := s.admin(t)
	moh := s.ministry(t, admin)
	w := s.newWorker(t)
	// The accept lands this long after the offer's expiry (negative:
	// before it).
	lags := []time.Duration{-300 * time.Millisecond, -100 * time.Millisecond, -20 * time.Millisecond, 0,
		20 * time.Millisecond, 100 * time.Millisecond, 300 * time.Millisecond}
	base := time.Now().Add(time.Hour + 15*time.Second)
	var asgs, offers []string
	var expires []time.Time
	for i := range lags {
		asg := s.assignment(t, moh, 1, 20+i*12, 5)
		asgs = append(asgs, asg)
		exp := base.Add(time.Duration(i) * 1500 * time.Millisecond).Truncate(time.Second)
		var o struct{ ID string }
		s.do(t, http.StatusCreated, http.MethodPost, "/v1/assignments/"+asg+"/offers", moh,
			map[string]any{"profile_id": w.profileID, "expires_at": exp.UTC().Format(time.RFC3339)}, &o)
		offers, expires = append(offers, o.ID), append(expires, exp)
	}
	s.stop()
	s.env = append(s.env, "SANKOFA_CHAOS_CLOCK_OFFSET=1h")
	s.restart()

	accepted, expired := 0, 0
	violations := 0
	for i, lag := range lags {
		// In real time the offer now expires an hour early.
		time.Sleep(time.Until(expires[i].Add(-time.Hour).Add(lag)))
		r, err := s.try(http.MethodPost, "/v1/offers/"+offers[i]+"/accept", w.token, nil)
		if err != nil {
			t.Fatalf("accept %s: %s", offers[i], s.diagnose(err))
		}
		var o offerView
		switch r.status {
		case http.StatusOK:
			accepted++
			s.do(t, http.StatusOK, http.MethodGet, "/v1/offers/"+offers[i], moh, nil, &o)
			if o.Status != "accepted" {
				t.Errorf("lag %v: the accept was answered 200 and offer %s is %s", lag, offers[i], o.Status)
				violations++
			}
		case http.StatusConflict:
			expired++
			eventually(t, settle, "the offer the accept lost is expired", func() bool {
				s.do(t, http.StatusOK, http.MethodGet, "/v1/offers/"+offers[i], moh, nil, &o)
				return o.Status != "pending"
			})
			if o.Status != "expired" {
				t.Errorf("lag %v: the accept was answered 409 (%s) and offer %s is %s, want expired", lag, r.body, offers[i], o.Status)
				violations++
			}
		default:
			t.Errorf("lag %v: accept %s answered %s", lag, offers[i], r)
			violations++
		}
		s.mustBeAlive(t)
	}
	violations += s.invariants(t, moh, asgs, []worker{w}, settle)
	s.mustBeAlive(t)
	s.checkOnline(t)
	s.checkOffline(t)
	t.Logf("journey accept racing expiry: runs %d, accepted %d, expired %d, invariant violations %d", len(lags), accepted, expired, violations)
}
