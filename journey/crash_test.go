package journey_test

import (
	"math/rand/v2"
	"net/http"
	"sync"
	"testing"
	"time"
)

// TestJourney_KillDuringAcceptBurst: workers accept offers all at once,
// and the process is killed with SIGKILL at a random point of the burst.
// After each restart on the same data dir every accept the API answered
// 200 to is still accepted (acknowledged means durable), and filled counts
// and bookings agree with the accepted offers. After the last run,
// `sankofa check` (online, waiting for the events, then offline) finds
// nothing, and no offer is left pending on a filled assignment. The check
// does not run after every restart: an event a kill caught mid-handling
// is redelivered only after the consumers' AckWait (30 s), so a settled
// check would cost 30 s a run.
func TestJourney_KillDuringAcceptBurst(t *testing.T) {
	t.Parallel()
	const (
		runs      = 20
		nWorkers  = 6
		positions = 3
	)
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 0))
	t.Logf("seed %d", seed)

	s := startServer(t, "")
	admin := s.admin(t)
	moh := s.ministry(t, admin)
	ws := s.workers(t, nWorkers)

	var (
		asgs                                       []string
		kills, acked, refused, unknown, violations int
		redelivered                                float64
		metricsSeen                                bool
		killedAt                                   []time.Duration
	)
	for run := range runs {
		// Every run books a window of its own, so every worker is free.
		asg := s.assignment(t, moh, positions, 20+run*12, 5)
		asgs = append(asgs, asg)
		offers := make([]string, nWorkers)
		for i, w := range ws {
			offers[i] = s.offer(t, moh, asg, w.profileID)
		}
		status := make([]int, nWorkers)
		late := make([]time.Duration, nWorkers)
		for i := range late {
			late[i] = time.Duration(rng.IntN(60)) * time.Millisecond
		}
		var wg sync.WaitGroup
		start := make(chan struct{})
		answered := make(chan struct{}, nWorkers)
		for i := range ws {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				// A few workers come late, so the kill lands before, in
				// and after the sagas.
				time.Sleep(late[i])
				r, err := s.try(http.MethodPost, "/v1/offers/"+offers[i]+"/accept", ws[i].token, nil)
				if err == nil {
					status[i] = r.status
				}
				answered <- struct{}{}
			}()
		}
		// The kill lands after a random number of answers (none to all
		// but one) and a random few milliseconds more: before, inside
		// and between the sagas.
		after, jitter := rng.IntN(nWorkers), time.Duration(rng.IntN(40))*time.Millisecond
		began := time.Now()
		close(start)
		for range after {
			select {
			case <-answered:
			case <-time.After(30 * time.Second):
			}
		}
		time.Sleep(jitter)
		s.kill()
		kills++
		killedAt = append(killedAt, time.Since(began).Round(time.Millisecond))
		wg.Wait()

		s.restart()
		for i, st := range status {
			switch st {
			case http.StatusOK:
				acked++
				var o offerView
				s.do(t, http.StatusOK, http.MethodGet, "/v1/offers/"+offers[i], moh, nil, &o)
				if o.Status != "accepted" {
					t.Errorf("run %d: offer %s was accepted (200) before the kill, and is %s after the restart", run, offers[i], o.Status)
					violations++
				}
			case http.StatusConflict:
				refused++
			case 0:
				unknown++ // the kill cut the connection: either outcome is fine
			default:
				t.Errorf("run %d: accept %s answered %d", run, offers[i], st)
			}
		}
		// A saga the kill cut is rolled back by the start-up repair after
		// the crash, without waiting for its offer.accepting event (which
		// comes back only after the consumers' 30 s AckWait when the kill
		// caught it in a handler's hands).
		violations += s.bookingInvariants(t, moh, []string{asg}, ws, 10*time.Second)
		if n, ok := s.metric(t, admin, "sankofa_consumer_events_total", `outcome="redelivered"`); ok {
			redelivered += n
			metricsSeen = true
		}
		s.mustBeAlive(t)
	}
	// An event the last kill caught mid-handling comes back after the
	// consumers' AckWait (30 s): check waits for it.
	s.checkOnline(t)
	violations += s.invariants(t, moh, asgs, ws, 45*time.Second)
	s.mustBeAlive(t)
	s.checkOffline(t)
	red := "not served"
	if metricsSeen {
		red = formatFloat(redelivered)
	}
	t.Logf("journey SIGKILL burst: runs %d, SIGKILLs %d, accepts answered 200 %d, 409 %d, cut by the kill %d, events redelivered after restarts %s, invariant violations %d (kill points %v)",
		len(asgs), kills, acked, refused, unknown, red, violations, killedAt)
}
