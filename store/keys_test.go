package store_test

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"sankofa"
	"sankofa/store"
)

// keyModes runs a test on the embedded store and on the MongoDB code paths
// (store.MongoPath: no write lock), both against FerretDB.
func keyModes(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Run("embedded", func(t *testing.T) { fn(t, MustOpenStore(t)) })
	t.Run("mongodb", func(t *testing.T) { fn(t, store.MongoPath(MustOpenStore(t))) })
}

// fakeClock is a settable clock for a store.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func mustOpenClocked(t *testing.T, clock *fakeClock) *store.Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := store.Open(ctx, store.Config{DataDir: t.TempDir(), Logger: slog.New(slog.DiscardHandler), Now: clock.Now})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { s.Close(context.Background()) })
	return s
}

func newAccount(t *testing.T, id, email string) (*sankofa.Account, sankofa.Event) {
	t.Helper()
	now := time.Now().UTC().Truncate(time.Millisecond)
	a := &sankofa.Account{ID: id, Email: email, Name: "Ama", Role: sankofa.RoleProfessional,
		Status: sankofa.StatusActive, Locale: "en", Version: 1, CreatedAt: now, UpdatedAt: now}
	return a, event(t, "account", "created", id, 1, a)
}

func newOffer(t *testing.T, id, assignmentID, profileID string) (*sankofa.Offer, sankofa.Event) {
	t.Helper()
	now := time.Now().UTC().Truncate(time.Millisecond)
	o := &sankofa.Offer{ID: id, AssignmentID: assignmentID, MinistryID: "acc_min", ProfileID: profileID,
		ProfessionalID: "acc_pro", Status: sankofa.OfferPending, ExpiresAt: now.Add(time.Hour),
		Version: 1, CreatedAt: now, UpdatedAt: now}
	return o, event(t, "offer", "created", id, 1, o)
}

// race runs fn(i) for i in [0, n) at once and returns how many returned
// nil; any error other than conflict fails the test.
func race(t *testing.T, n int, fn func(i int) error) int {
	t.Helper()
	var wins atomic.Int32
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			err := fn(i)
			switch {
			case err == nil:
				wins.Add(1)
			case !sankofa.IsCode(err, sankofa.Conflict):
				t.Errorf("claim %d: %v; want nil or conflict", i, err)
			}
		})
	}
	close(start)
	wg.Wait()
	return int(wins.Load())
}

// TestAccounts_ConcurrentEmail registers one address from many requests
// at once: exactly one account gets it.
func TestAccounts_ConcurrentEmail(t *testing.T) {
	keyModes(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		for round := range 4 {
			email := fmt.Sprintf("ama%d@example.org", round)
			ids := make([]string, 12)
			won := make([]bool, len(ids))
			wins := race(t, len(ids), func(i int) error {
				ids[i] = fmt.Sprintf("acc_%d_%d", round, i)
				a, ev := newAccount(t, ids[i], email)
				_, err := s.CreateAccount(ctx, a, ev)
				won[i] = err == nil
				return err
			})
			if wins != 1 {
				t.Fatalf("%s: %d registrations succeeded; want exactly 1", email, wins)
			}
			got, err := s.AccountByEmail(ctx, email)
			if err != nil {
				t.Fatal(err)
			}
			for i, w := range won {
				if w && got.ID != ids[i] {
					t.Fatalf("%s leads to %s; want the winner %s", email, got.ID, ids[i])
				}
			}
		}
	})
}

// TestOffers_ConcurrentPair sends many offers for one worker and
// assignment at once: exactly one is created.
func TestOffers_ConcurrentPair(t *testing.T) {
	keyModes(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		for round := range 4 {
			asg := fmt.Sprintf("asg_%d", round)
			wins := race(t, 12, func(i int) error {
				o, ev := newOffer(t, fmt.Sprintf("off_%d_%d", round, i), asg, "prf_1")
				_, err := s.CreateOffer(ctx, o, ev)
				return err
			})
			if wins != 1 {
				t.Fatalf("%s: %d offers created; want exactly 1", asg, wins)
			}
		}
	})
}

// TestOffers_LeftBehindKey: the key of a create that died before its
// offer was written is held for a grace period, since the create may be
// under way, and then taken over.
func TestOffers_LeftBehindKey(t *testing.T) {
	clock := &fakeClock{now: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	for _, mode := range []string{"embedded", "mongodb"} {
		t.Run(mode, func(t *testing.T) {
			ctx := context.Background()
			s := mustOpenClocked(t, clock)
			if mode == "mongodb" {
				s = store.MongoPath(s)
			}
			if err := store.LeaveOfferKey(ctx, s, "asg_1", "prf_1", "off_dead"); err != nil {
				t.Fatal(err)
			}
			o, ev := newOffer(t, "off_new", "asg_1", "prf_1")
			if _, err := s.CreateOffer(ctx, o, ev); !sankofa.IsCode(err, sankofa.Conflict) {
				t.Fatalf("err = %v; want conflict while the other create may be under way", err)
			}
			clock.Add(10 * time.Minute)
			if _, err := s.CreateOffer(ctx, o, ev); err != nil {
				t.Fatalf("err = %v; want the old key taken over", err)
			}
			if got := store.OfferKeyHolder(ctx, s, "asg_1", "prf_1"); got != "off_new" {
				t.Fatalf("key held by %q; want off_new", got)
			}
		})
	}
}

// TestOffers_TakeoverRace plays out, on the MongoDB paths, two requests
// taking over one left-behind key: B judged it stale and, before B
// replaces it, C takes it over and creates its offer. B must not replace
// C's key (which would leave two live offers for one pair).
func TestOffers_TakeoverRace(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	s := store.MongoPath(mustOpenClocked(t, clock))
	if err := store.LeaveOfferKey(ctx, s, "asg_1", "prf_1", "off_dead"); err != nil {
		t.Fatal(err)
	}
	clock.Add(10 * time.Minute)
	var fired atomic.Bool
	store.SetHook(s, func(at string) {
		if at != "claim: replace" || !fired.CompareAndSwap(false, true) {
			return // C's own claim passes here too
		}
		c, ev := newOffer(t, "off_c", "asg_1", "prf_1")
		if _, err := s.CreateOffer(ctx, c, ev); err != nil {
			t.Errorf("create C: %v", err)
		}
	})
	b, ev := newOffer(t, "off_b", "asg_1", "prf_1")
	if _, err := s.CreateOffer(ctx, b, ev); !sankofa.IsCode(err, sankofa.Conflict) {
		t.Fatalf("create B: err = %v; want conflict, C holds the pair", err)
	}
	if got := store.OfferKeyHolder(ctx, s, "asg_1", "prf_1"); got != "off_c" {
		t.Fatalf("key held by %q; want off_c", got)
	}
}

// TestOffers_StaleRelease plays out, on the MongoDB paths, a declined
// offer A releasing its key just after B took the key over: A's release
// must leave B's key, or a third offer C could join B.
func TestOffers_StaleRelease(t *testing.T) {
	ctx := context.Background()
	s := store.MongoPath(MustOpenStore(t))
	a, ev := newOffer(t, "off_a", "asg_1", "prf_1")
	if _, err := s.CreateOffer(ctx, a, ev); err != nil {
		t.Fatal(err)
	}
	var fired atomic.Bool
	store.SetHook(s, func(at string) {
		if at != "release: delete" || !fired.CompareAndSwap(false, true) {
			return
		}
		// A is declined in the database, so B takes its key over.
		b, ev := newOffer(t, "off_b", "asg_1", "prf_1")
		if _, err := s.CreateOffer(ctx, b, ev); err != nil {
			t.Errorf("create B: %v", err)
		}
	})
	declined := *a
	declined.Status, declined.Version = sankofa.OfferDeclined, 2
	if _, err := s.UpdateOffer(ctx, &declined, event(t, "offer", "declined", a.ID, 2, &declined)); err != nil {
		t.Fatal(err)
	}
	if got := store.OfferKeyHolder(ctx, s, "asg_1", "prf_1"); got != "off_b" {
		t.Fatalf("key held by %q; want off_b", got)
	}
	c, ev := newOffer(t, "off_c", "asg_1", "prf_1")
	if _, err := s.CreateOffer(ctx, c, ev); !sankofa.IsCode(err, sankofa.Conflict) {
		t.Fatalf("create C: err = %v; want conflict, B is pending", err)
	}
}

// TestOffers_ConcurrentDeclineAndOffer declines offers while new ones for
// the same pairs are sent, at once: a pair never ends with two live
// offers. It runs on the embedded store only: on the MongoDB paths this
// race is settled by filtered writes, which FerretDB does not make atomic
// (TestOffers_TakeoverRace and TestOffers_StaleRelease play it out step
// by step instead).
func TestOffers_ConcurrentDeclineAndOffer(t *testing.T) {
	ctx := context.Background()
	s := MustOpenStore(t)
	const pairs = 8
	for p := range pairs {
		a, ev := newOffer(t, fmt.Sprintf("off_a%d", p), fmt.Sprintf("asg_%d", p), "prf_1")
		if _, err := s.CreateOffer(ctx, a, ev); err != nil {
			t.Fatal(err)
		}
	}
	created := make([][]bool, pairs)
	var wg sync.WaitGroup
	for p := range pairs {
		created[p] = make([]bool, 4)
		asg := fmt.Sprintf("asg_%d", p)
		wg.Go(func() {
			a, _ := newOffer(t, fmt.Sprintf("off_a%d", p), asg, "prf_1")
			a.Status, a.Version = sankofa.OfferDeclined, 2
			if _, err := s.UpdateOffer(ctx, a, event(t, "offer", "declined", a.ID, 2, a)); err != nil {
				t.Errorf("decline %s: %v", a.ID, err)
			}
		})
		for i := range created[p] {
			wg.Go(func() {
				o, ev := newOffer(t, fmt.Sprintf("off_%d_%d", p, i), asg, "prf_1")
				_, err := s.CreateOffer(ctx, o, ev)
				created[p][i] = err == nil
				if err != nil && !sankofa.IsCode(err, sankofa.Conflict) {
					t.Errorf("create %s: %v", o.ID, err)
				}
			})
		}
	}
	wg.Wait()
	for p := range pairs {
		n := 0
		for _, ok := range created[p] {
			if ok {
				n++
			}
		}
		if n > 1 {
			t.Errorf("asg_%d: %d new offers created; want at most 1", p, n)
		}
	}
}
