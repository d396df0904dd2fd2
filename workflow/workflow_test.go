package workflow

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"sankofa"
	"sankofa/matcher"
	"sankofa/notifier"
	"sankofa/search"
	"sankofa/store"
)

// fixture is a workflow over the real embedded store, bus and index.
type fixture struct {
	tb    testing.TB
	dir   string
	store *store.Store
	bus   *notifier.Notifier
	index *search.Index
	match *matcher.Matcher
	flow  *Workflow
	now   time.Time
	// indexClosed: Bleve panics when closed twice.
	indexClosed bool
}

func (f *fixture) closeIndex() {
	if !f.indexClosed {
		f.indexClosed = true
		f.index.Close()
	}
}

func newFixture(tb testing.TB) *fixture {
	tb.Helper()
	f := &fixture{tb: tb, dir: tb.TempDir(), now: time.Now().UTC()}
	ctx := context.Background()
	quiet := slog.New(slog.DiscardHandler)
	var err error
	if f.store, err = store.Open(ctx, store.Config{DataDir: f.dir, Logger: quiet}); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { f.store.Close(context.Background()) })
	if f.bus, err = notifier.Open(ctx, notifier.Config{DataDir: f.dir, Logger: quiet}); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(f.bus.Close)
	f.match = matcher.New(matcher.Default())
	if f.index, err = search.Open(f.dir+"/search", f.match); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(f.closeIndex)
	if err := f.index.Built(); err != nil {
		tb.Fatal(err)
	}
	f.flow = f.newFlow()
	return f
}

// newFlow is another run of the workflow over the same adapters, as after
// a restart.
func (f *fixture) newFlow() *Workflow {
	return New(Deps{Accounts: f.store, Profiles: f.store, Assignments: f.store, Offers: f.store, Outbox: f.store,
		Index: f.index, Events: f.bus, Matcher: f.match, SingleWriter: true, Now: func() time.Time { return f.now }})
}

func (f *fixture) day(n int) sankofa.Date { return sankofa.DateOf(f.now.AddDate(0, 0, n)) }

func (f *fixture) event(kind, action, id string, v int64, x any) sankofa.Event {
	ev, err := sankofa.NewEvent(kind, action, id, v, "", f.now, x)
	if err != nil {
		f.tb.Fatal(err)
	}
	return ev
}

func (f *fixture) must(pe sankofa.PendingEvent, err error) {
	f.tb.Helper()
	if err != nil {
		f.tb.Fatal(err)
	}
	f.flow.Dispatcher().After(context.Background(), pe)
}

// worker stores an active professional with a profile shared with GH.
func (f *fixture) worker() *sankofa.Profile {
	ctx := context.Background()
	acc := &sankofa.Account{ID: sankofa.NewID("acc"), Email: sankofa.NewID("w") + "@example.org", Name: "Ama",
		Role: sankofa.RoleProfessional, Status: sankofa.StatusActive, Locale: "en", Version: 1, CreatedAt: f.now, UpdatedAt: f.now}
	f.must(f.store.CreateAccount(ctx, acc, f.event("account", "created", acc.ID, 1, acc)))
	p := &sankofa.Profile{ID: sankofa.ProfileIDFor(acc.ID), AccountID: acc.ID, Version: 1, CreatedAt: f.now, UpdatedAt: f.now,
		ProfileInput: sankofa.ProfileInput{
			FullName: "Ama Mensah", Profession: "2222", Skills: []string{"caesarean section"},
			Languages: []sankofa.Language{{Code: "en", Level: "C2"}}, OriginCountry: "GH", ResidenceCountry: "GB",
			Timezone: "Europe/London", YearsExperience: 9, Availability: []sankofa.Window{{From: f.day(30), To: f.day(120)}},
			Modes: []sankofa.Mode{sankofa.ModeOnsite}, ShareWith: []string{"GH"},
		}}
	f.must(f.store.SaveProfile(ctx, p, f.event("profile", "created", p.ID, 1, p)))
	return p
}

// assignment stores an open assignment of GH with the given positions.
func (f *fixture) assignment(positions int) *sankofa.Assignment {
	a := &sankofa.Assignment{ID: sankofa.NewID("asg"), MinistryID: "acc_ministry", Country: "GH", Status: sankofa.AssignmentOpen,
		Version: 1, CreatedAt: f.now, UpdatedAt: f.now,
		AssignmentInput: sankofa.AssignmentInput{Title: "Midwife mentor", Profession: "2222", Mode: sankofa.ModeOnsite,
			Languages: []sankofa.Language{{Code: "en", Level: "B2"}}, Start: f.day(40), End: f.day(60), Positions: positions}}
	f.must(f.store.CreateAssignment(context.Background(), a, f.event("assignment", "created", a.ID, 1, a)))
	return a
}

func (f *fixture) offer(a *sankofa.Assignment, p *sankofa.Profile) *sankofa.Offer {
	f.tb.Helper()
	o, err := f.flow.CreateOffer(context.Background(), a, sankofa.OfferRequest{ProfileID: p.ID, Message: "Come"}, a.MinistryID)
	if err != nil {
		f.tb.Fatal(err)
	}
	return o
}

func (f *fixture) reload(o *sankofa.Offer) *sankofa.Offer {
	f.tb.Helper()
	cur, err := f.store.Offer(context.Background(), o.ID)
	if err != nil {
		f.tb.Fatal(err)
	}
	return cur
}

// cutSaga runs an acceptance's first steps under token, as a saga the
// process died in would leave them: leased, booked, position taken.
func (f *fixture) cutSaga(o *sankofa.Offer, token string) *sankofa.Offer {
	f.tb.Helper()
	ctx := context.Background()
	held, err := f.flow.lease(ctx, o, token, "")
	if err != nil {
		f.tb.Fatal(err)
	}
	if err := f.flow.book(ctx, held, ""); err != nil {
		f.tb.Fatal(err)
	}
	if _, err := f.flow.takePosition(ctx, held, ""); err != nil {
		f.tb.Fatal(err)
	}
	return held
}

// state returns what the saga touches: the assignment's filled count and
// whether the worker is booked for the offer.
func (f *fixture) state(o *sankofa.Offer) (filled int, booked bool) {
	f.tb.Helper()
	a, err := f.store.Assignment(context.Background(), o.AssignmentID)
	if err != nil {
		f.tb.Fatal(err)
	}
	p, err := f.store.Profile(context.Background(), o.ProfileID)
	if err != nil {
		f.tb.Fatal(err)
	}
	for _, c := range p.Commitments {
		booked = booked || c.OfferID == o.ID
	}
	if a.Filled != len(a.AcceptedOffers) {
		f.tb.Fatalf("assignment %s: filled %d but %d accepted offers", a.ID, a.Filled, len(a.AcceptedOffers))
	}
	return a.Filled, booked
}

// The crash of issue 8: a move on a copy of the offer that another write
// made stale reloaded it into a shadowed variable and returned (nil, nil).
func TestMove_StaleCopyReloads(t *testing.T) {
	f := newFixture(t)
	a := f.assignment(2)
	o := f.offer(a, f.worker())
	// Another write changes the offer (an acceptance takes its lease and
	// gives it back), so o is now stale.
	if _, err := f.flow.lease(t.Context(), o, "ls_test", ""); err != nil {
		t.Fatal(err)
	}
	f.flow.undo(t.Context(), o.ID, f.reload(o).Lease.Token, "")
	out, err := f.flow.Move(t.Context(), o, sankofa.Withdraw, "changed our plans", a.MinistryID)
	if err != nil {
		t.Fatalf("withdraw a stale copy: %v", err)
	}
	if out == nil || out.Status != sankofa.OfferWithdrawn || out.Version != f.reload(o).Version {
		t.Fatalf("withdraw a stale copy returned %+v, want the withdrawn offer at the stored version", out)
	}
}

// The journey that crashed the server: one position, one offer, accept;
// the "filled" event then reaches the workflow consumer.
func TestAccept_OnePositionThenFilledEvent(t *testing.T) {
	f := newFixture(t)
	a := f.assignment(1)
	o := f.offer(a, f.worker())
	stale := *o
	out, err := f.flow.Accept(t.Context(), o, o.ProfessionalID)
	if err != nil || out.Status != sankofa.OfferAccepted {
		t.Fatalf("accept: %+v, %v", out, err)
	}
	// The consumer may hold the offer as it was before the acceptance.
	if _, err := f.flow.Move(t.Context(), &stale, sankofa.Withdraw, "all positions are filled", ""); !sankofa.IsCode(err, sankofa.Conflict) {
		t.Fatalf("withdraw an accepted offer through a stale copy: %v, want conflict", err)
	}
	if err := f.flow.HandleEvent(t.Context(), f.event("assignment", "filled", a.ID, 3, a)); err != nil {
		t.Fatalf("handle filled: %v", err)
	}
	if cur := f.reload(o); cur.Status != sankofa.OfferAccepted || cur.Lease != nil {
		t.Fatalf("offer after the filled event: %s, lease %v", cur.Status, cur.Lease)
	}
	if filled, booked := f.state(o); filled != 1 || !booked {
		t.Fatalf("filled %d, booked %v; want 1, true", filled, booked)
	}
}

// A client that hangs up mid-saga must not leave it half done.
func TestAccept_ClientHangsUp(t *testing.T) {
	f := newFixture(t)
	a := f.assignment(1)
	o := f.offer(a, f.worker())
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	out, err := f.flow.Accept(ctx, o, o.ProfessionalID)
	if err != nil || out.Status != sankofa.OfferAccepted {
		t.Fatalf("accept on a cancelled request: %+v, %v", out, err)
	}
	if filled, booked := f.state(o); filled != 1 || !booked {
		t.Fatalf("filled %d, booked %v; want 1, true", filled, booked)
	}
}

// Accepting when the assignment no longer takes acceptances gives back the
// booking; a failing last step gives back the booking and the position.
func TestAccept_FailureGivesBack(t *testing.T) {
	f := newFixture(t)
	a := f.assignment(1)
	o := f.offer(a, f.worker())
	// The offer expires while the saga runs: the last step fails.
	f.now = o.ExpiresAt.Add(time.Second)
	if _, err := f.flow.Accept(t.Context(), o, o.ProfessionalID); !sankofa.IsCode(err, sankofa.Conflict) {
		t.Fatalf("accept an expired offer: %v, want conflict", err)
	}
	if filled, booked := f.state(o); filled != 0 || booked {
		t.Fatalf("after a failed acceptance: filled %d, booked %v", filled, booked)
	}
	// The last step fails after booking and taking a position.
	f.now = time.Now().UTC()
	o2 := f.offer(f.assignment(1), f.worker())
	held := f.cutSaga(o2, "ls_test2")
	f.flow.undo(t.Context(), held.ID, held.Lease.Token, "")
	if filled, booked := f.state(o2); filled != 0 || booked {
		t.Fatalf("after undo: filled %d, booked %v", filled, booked)
	}
	if cur := f.reload(o2); cur.Status != sankofa.OfferPending || cur.Lease != nil {
		t.Fatalf("after undo the offer is %s with lease %v; want pending, none", cur.Status, cur.Lease)
	}
}

// An acceptance that died after taking a position is rolled back by the
// workflow consumer of the next run; one still running is left alone.
func TestHandleEvent_RepairsDeadAcceptance(t *testing.T) {
	f := newFixture(t)
	a := f.assignment(1)
	o := f.offer(a, f.worker())
	f.flow.live.Store("ls_live", struct{}{}) // as Accept does while its saga runs
	held := f.cutSaga(o, "ls_live")
	ev := f.event("offer", "accepting", o.ID, held.Version, held)
	// The same run, the saga still running: the handler asks to be
	// called again and never rolls it back.
	if err := f.flow.HandleEvent(t.Context(), ev); !errors.Is(err, ErrRetryLater) {
		t.Fatalf("a live acceptance: %v, want ErrRetryLater", err)
	}
	if filled, booked := f.state(o); filled != 1 || !booked {
		t.Fatalf("a live acceptance was rolled back: filled %d, booked %v", filled, booked)
	}
	// The process died; the next run's consumer gets the event again.
	next := f.newFlow()
	if err := next.HandleEvent(t.Context(), ev); err != nil {
		t.Fatalf("repair: %v", err)
	}
	if filled, booked := f.state(o); filled != 0 || booked {
		t.Fatalf("after repair: filled %d, booked %v", filled, booked)
	}
	if cur := f.reload(o); cur.Status != sankofa.OfferPending || cur.Lease != nil {
		t.Fatalf("after repair the offer is %s with lease %v", cur.Status, cur.Lease)
	}
	// And the worker can accept again.
	if out, err := next.Accept(t.Context(), f.reload(o), o.ProfessionalID); err != nil || out.Status != sankofa.OfferAccepted {
		t.Fatalf("accept after repair: %+v, %v", out, err)
	}
	// On a shared store a lease is dead only once it has run out.
	shared := f.newFlow()
	shared.d.SingleWriter = false
	o2 := f.offer(f.assignment(1), f.worker())
	held2, err := f.flow.lease(t.Context(), o2, "ls_test2", "")
	if err != nil {
		t.Fatal(err)
	}
	ev2 := f.event("offer", "accepting", o2.ID, held2.Version, held2)
	if err := shared.HandleEvent(t.Context(), ev2); err == nil {
		t.Fatal("another replica's live acceptance was handled as settled")
	}
	f.now = f.now.Add(leaseFor + time.Second)
	if err := shared.HandleEvent(t.Context(), ev2); err != nil {
		t.Fatalf("repair after the lease ran out: %v", err)
	}
}

// Failures of the workflow consumer's work are returned, so the event is
// delivered again, never acknowledged silently.
func TestHandleEvent_ReturnsFailures(t *testing.T) {
	f := newFixture(t)
	a := f.assignment(1)
	f.offer(a, f.worker())
	a.Status = sankofa.AssignmentClosed
	a.Version++
	f.must(f.store.UpdateAssignment(t.Context(), a, f.event("assignment", "closed", a.ID, a.Version, a)))
	f.closeIndex() // the index is gone: nothing can be listed
	if err := f.flow.HandleEvent(t.Context(), f.event("assignment", "closed", a.ID, a.Version, a)); err == nil {
		t.Fatal("a failed withdrawal pass was reported as done")
	}
}

// Closing an assignment withdraws its pending offers through the consumer
// handler, and offers in the index but settled in the store do not stop it.
func TestWithdrawPending_ClosedAssignment(t *testing.T) {
	f := newFixture(t)
	a := f.assignment(3)
	var offers []*sankofa.Offer
	for range 3 {
		offers = append(offers, f.offer(a, f.worker()))
	}
	a, _ = f.store.Assignment(t.Context(), a.ID)
	a.Status = sankofa.AssignmentClosed
	a.Version++
	f.must(f.store.UpdateAssignment(t.Context(), a, f.event("assignment", "closed", a.ID, a.Version, a)))
	if err := f.flow.HandleEvent(t.Context(), f.event("assignment", "closed", a.ID, a.Version, a)); err != nil {
		t.Fatal(err)
	}
	for _, o := range offers {
		if cur := f.reload(o); cur.Status != sankofa.OfferWithdrawn {
			t.Errorf("offer %s is %s after the close, want withdrawn", o.ID, cur.Status)
		}
	}
}

// The sweep must make progress past index hits that are stale: offers the
// index still lists as pending and due, but the store has settled.
func TestExpireDue_PastStaleHits(t *testing.T) {
	f := newFixture(t)
	a := f.assignment(1)
	p := f.worker()
	// 120 offers are due, but the index missed that each was declined.
	for i := range expireBatch + 20 {
		o := &sankofa.Offer{ID: sankofa.NewID("of"), AssignmentID: a.ID, MinistryID: a.MinistryID, ProfileID: p.ID,
			ProfessionalID: p.AccountID, Status: sankofa.OfferPending, ExpiresAt: f.now.Add(-time.Hour + time.Duration(i)*time.Second),
			Version: 1, CreatedAt: f.now, UpdatedAt: f.now}
		if err := f.index.IndexOffer(o); err != nil {
			t.Fatal(err)
		}
		declined := *o
		declined.Status, declined.Version = sankofa.OfferDeclined, 2
		if _, err := f.store.CreateOffer(t.Context(), &declined, f.event("offer", "created", o.ID, 2, &declined)); err != nil {
			t.Fatal(err)
		}
	}
	// One offer is really due, later than all of them.
	due := f.offer(f.assignment(1), f.worker())
	f.now = due.ExpiresAt.Add(time.Minute)
	n, err := f.flow.ExpireDue(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 || f.reload(due).Status != sankofa.OfferExpired {
		t.Fatalf("expired %d, due offer is %s; want 1, expired", n, f.reload(due).Status)
	}
	// The stale entries were put right, so the next sweep finds nothing.
	if ids, _ := f.index.ExpiredOffers(t.Context(), f.now.UnixMilli(), 500); len(ids) != 0 {
		t.Fatalf("%d stale entries are still listed as due", len(ids))
	}
}

// After a crash, the worker who accepts again takes over the dead saga's
// lease at once instead of waiting for the repair.
func TestAccept_TakesOverDeadLease(t *testing.T) {
	f := newFixture(t)
	o := f.offer(f.assignment(1), f.worker())
	held, err := f.flow.lease(t.Context(), o, "ls_test", "")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.flow.book(t.Context(), held, ""); err != nil {
		t.Fatal(err)
	}
	next := f.newFlow() // the process was killed and started again
	out, err := next.Accept(t.Context(), f.reload(o), o.ProfessionalID)
	if err != nil || out.Status != sankofa.OfferAccepted {
		t.Fatalf("accept after a crash: %+v, %v", out, err)
	}
	if filled, booked := f.state(o); filled != 1 || !booked {
		t.Fatalf("filled %d, booked %v; want 1, true", filled, booked)
	}
	// The dead saga's event, redelivered, finds nothing to undo.
	if err := next.HandleEvent(t.Context(), f.event("offer", "accepting", o.ID, held.Version, held)); err != nil {
		t.Fatal(err)
	}
	if filled, booked := f.state(o); filled != 1 || !booked {
		t.Fatalf("after the old event: filled %d, booked %v", filled, booked)
	}
}

// A lease of this run whose saga is over is settled at once: the
// workflow consumer does not wait for it to run out.
func TestHandleEvent_OwnFinishedSagaSettles(t *testing.T) {
	f := newFixture(t)
	o := f.offer(f.assignment(1), f.worker())
	held, err := f.flow.lease(t.Context(), o, "ls_over", "") // not live: its saga has returned
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.flow.Move(t.Context(), held, sankofa.Withdraw, "", ""); err != nil {
		t.Fatal(err)
	}
	if err := f.flow.HandleEvent(t.Context(), f.event("offer", "accepting", o.ID, held.Version, held)); err != nil {
		t.Fatalf("a finished saga of this run is not settled: %v", err)
	}
}

// The workflow consumer, woken by the lease event of a saga of its own
// process, asks for the event again later, and settles it once the saga
// has ended.
func TestHandleEvent_OwnLiveSagaRetriedLater(t *testing.T) {
	f := newFixture(t)
	o := f.offer(f.assignment(1), f.worker())
	f.flow.live.Store("ls_own", struct{}{})
	held, err := f.flow.lease(t.Context(), o, "ls_own", o.ProfessionalID)
	if err != nil {
		t.Fatal(err)
	}
	ev := f.event("offer", "accepting", o.ID, held.Version, held)
	if err := f.flow.HandleEvent(t.Context(), ev); !errors.Is(err, ErrRetryLater) {
		t.Fatalf("while the saga runs: %v, want ErrRetryLater", err)
	}
	var temporary interface{ Temporary() bool }
	if err := f.flow.HandleEvent(t.Context(), ev); !errors.As(err, &temporary) || !temporary.Temporary() {
		t.Fatalf("the wait is not marked temporary: %v", err)
	}
	// The saga books, takes the position and marks the offer accepted.
	if err := f.flow.book(t.Context(), held, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := f.flow.takePosition(t.Context(), held, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := f.flow.step(t.Context(), held, sankofa.Accept, "", "", func(_, next *sankofa.Offer) error {
		next.Lease = nil
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	f.flow.live.Delete("ls_own")
	if err := f.flow.HandleEvent(t.Context(), ev); err != nil {
		t.Fatalf("the event of a saga that ended was not settled: %v", err)
	}
	if filled, booked := f.state(o); filled != 1 || !booked {
		t.Fatalf("filled %d, booked %v; want 1, true", filled, booked)
	}
}

// After a crash, the start-up repair rolls back the acceptances the crash
// cut off, and leaves finished and ended ones as they are.
func TestRepairAcceptances_AfterCrash(t *testing.T) {
	f := newFixture(t)
	cut := f.offer(f.assignment(1), f.worker())
	f.cutSaga(cut, "ls_cut")
	done := f.offer(f.assignment(1), f.worker())
	if _, err := f.flow.Accept(t.Context(), done, done.ProfessionalID); err != nil {
		t.Fatal(err)
	}
	next := f.newFlow() // the process was killed and started again
	n, err := next.RepairAcceptances(t.Context(), f.store)
	if err != nil || n != 1 {
		t.Fatalf("repair: looked at %d, %v; want 1, nil", n, err)
	}
	if filled, booked := f.state(cut); filled != 0 || booked {
		t.Fatalf("the cut acceptance still holds: filled %d, booked %v", filled, booked)
	}
	if filled, booked := f.state(done); filled != 1 || !booked {
		t.Fatalf("the finished acceptance was touched: filled %d, booked %v", filled, booked)
	}
}
