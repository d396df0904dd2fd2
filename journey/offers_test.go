package journey_test

import (
	"net/http"
	"sync"
	"testing"
	"time"
)

// settle is how long the invariants may take to hold once the events of a
// journey are handled by the consumers.
const settle = 20 * time.Second

// TestJourney_OnePositionOneOffer: a ministry posts one position, offers
// it to one worker, who accepts. The acceptance fills the assignment,
// whose workflow event then withdraws the (no) other pending offers: the
// pass that once crashed the whole process.
func TestJourney_OnePositionOneOffer(t *testing.T) {
	t.Parallel()
	s := startServer(t, "")
	admin := s.admin(t)
	moh := s.ministry(t, admin)
	w := s.newWorker(t)
	asg := s.assignment(t, moh, 1, 40, 20)
	off := s.offer(t, moh, asg, w.profileID)

	var o offerView
	s.do(t, http.StatusOK, http.MethodPost, "/v1/offers/"+off+"/accept", w.token, nil, &o)
	if o.Status != "accepted" {
		t.Fatalf("accept: status %q", o.Status)
	}
	// Accepting twice is harmless.
	s.do(t, http.StatusOK, http.MethodPost, "/v1/offers/"+off+"/accept", w.token, nil, nil)
	var a assignmentView
	eventually(t, settle, "the assignment is filled", func() bool {
		s.do(t, http.StatusOK, http.MethodGet, "/v1/assignments/"+asg, moh, nil, &a)
		return a.Status == "filled"
	})
	// Give the workflow consumer time to handle assignment.filled and the
	// offer events (the crash came a few milliseconds after the accept).
	eventually(t, settle, "the ministry is notified of the acceptance", func() bool {
		var n struct {
			Items []struct{ Kind string } `json:"items"`
		}
		s.do(t, http.StatusOK, http.MethodGet, "/v1/notifications", moh, nil, &n)
		for _, it := range n.Items {
			if it.Kind == "offer.accepted" {
				return true
			}
		}
		return false
	})
	s.mustBeAlive(t)
	violations := s.invariants(t, moh, []string{asg}, []worker{w}, settle)
	s.mustBeAlive(t)
	s.checkOnline(t)
	s.checkOffline(t)
	t.Logf("journey one-position: runs 1, invariant violations %d", violations)
}

// TestJourney_LastPositionRace: two workers accept the last position at
// the same moment, several times over. Exactly one wins; the other gets
// 409 and keeps nothing booked.
func TestJourney_LastPositionRace(t *testing.T) {
	t.Parallel()
	s := startServer(t, "")
	admin := s.admin(t)
	moh := s.ministry(t, admin)
	ws := s.workers(t, 2)
	const rounds = 6
	var asgs []string
	violations := 0
	for round := range rounds {
		// Each round books a window of its own, so a winner is free for
		// the next one.
		asg := s.assignment(t, moh, 1, 30+round*10, 5)
		asgs = append(asgs, asg)
		offers := []string{s.offer(t, moh, asg, ws[0].profileID), s.offer(t, moh, asg, ws[1].profileID)}
		var (
			wg     sync.WaitGroup
			start  = make(chan struct{})
			status [2]int
			bodies [2]string
			errs   [2]error
		)
		for i := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				r, err := s.try(http.MethodPost, "/v1/offers/"+offers[i]+"/accept", ws[i].token, nil)
				status[i], bodies[i], errs[i] = r.status, string(r.body), err
			}()
		}
		close(start)
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("round %d: accept %d: %s", round, i, s.diagnose(err))
			}
		}
		win, lose := 0, 1
		if status[1] == http.StatusOK {
			win, lose = 1, 0
		}
		if status[win] != http.StatusOK || status[lose] != http.StatusConflict {
			t.Errorf("round %d: accepts answered %v, want one 200 and one 409:\n%s\n%s", round, status, bodies[0], bodies[1])
			violations++
			continue
		}
		for _, c := range s.commitments(t, ws[lose]) {
			if c.AssignmentID == asg {
				t.Errorf("round %d: the loser holds a booking for %s (offer %s)", round, asg, c.OfferID)
				violations++
			}
		}
		var a assignmentView
		s.do(t, http.StatusOK, http.MethodGet, "/v1/assignments/"+asg, moh, nil, &a)
		if a.Filled != 1 || a.Status != "filled" {
			t.Errorf("round %d: assignment %s is %s with filled %d, want filled 1", round, asg, a.Status, a.Filled)
			violations++
		}
		s.mustBeAlive(t)
	}
	violations += s.invariants(t, moh, asgs, ws, settle)
	s.mustBeAlive(t)
	s.checkOnline(t)
	s.checkOffline(t)
	t.Logf("journey last-position race: runs %d, invariant violations %d", rounds, violations)
}
