package consistency_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"sankofa"
	"sankofa/consistency"
	"sankofa/matcher"
	"sankofa/notifier"
	"sankofa/search"
	"sankofa/store"
)

// The adapters fit what the checker reads.
var (
	_ consistency.Store   = (*store.Store)(nil)
	_ consistency.Inboxes = (*store.Store)(nil)
	_ consistency.Index   = (*search.Index)(nil)
	_ consistency.Bus     = (*notifier.Notifier)(nil)
)

// indexer is the index consumer of the test world.
const indexer = consistency.IndexerPrefix + "test"

// world is a small, consistent Sankofa over the real embedded store,
// NATS and Bleve: every write is published and acknowledged as the
// server does, and real consumers keep the index and the inboxes. A test
// plants one break and sees the checker report it.
type world struct {
	t   *testing.T
	ctx context.Context
	st  *store.Store
	bus *notifier.Notifier
	ix  *search.Index
	src consistency.Source

	mu   sync.Mutex
	drop map[string]bool // events the notify consumer acknowledges unhandled

	ministry, worker, worker2 *sankofa.Account
	profile, profile2         *sankofa.Profile
	// a has two positions, one taken by accepted; pending waits on it.
	a                 *sankofa.Assignment
	accepted, pending *sankofa.Offer
}

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	dir := t.TempDir()
	log := slog.New(slog.DiscardHandler)
	st, err := store.Open(ctx, store.Config{DataDir: dir, Logger: log})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close(context.Background()) })
	bus, err := notifier.Open(ctx, notifier.Config{DataDir: dir, Logger: log})
	if err != nil {
		t.Fatalf("open notifier: %v", err)
	}
	t.Cleanup(bus.Close)
	ix, err := search.Open(filepath.Join(dir, "search"), matcher.New(matcher.Default()))
	if err != nil {
		t.Fatalf("open index: %v", err)
	}
	if err := ix.Built(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	w := &world{t: t, ctx: ctx, st: st, bus: bus, ix: ix, drop: map[string]bool{}}
	w.src = consistency.Source{Store: st, Inboxes: st, Index: ix, Bus: bus, IndexConsumer: indexer}

	// The consumers stop before the adapters close (cleanups run last
	// registered first).
	cctx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	t.Cleanup(func() { stop(); wg.Wait() })
	fanout := notifier.NewFanout(st, st, nil, nil, notifier.FanoutConfig{}, log)
	notify := func(ctx context.Context, ev sankofa.Event) error {
		w.mu.Lock()
		drop := w.drop[ev.ID]
		w.mu.Unlock()
		if drop {
			return nil
		}
		return fanout.Handle(ctx, ev)
	}
	for name, h := range map[string]notifier.Handler{consistency.NotifyConsumer: notify, indexer: ix.Apply} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = bus.Consume(cctx, name, h)
		}()
	}
	w.populate()
	w.settle()
	return w
}

// emit publishes a committed event and acknowledges it, as the relay
// does.
func (w *world) emit(pe sankofa.PendingEvent, err error) sankofa.Event {
	w.t.Helper()
	if err != nil {
		w.t.Fatal(err)
	}
	if err := w.bus.Publish(w.ctx, pe.Event); err != nil {
		w.t.Fatal(err)
	}
	if err := w.st.Ack(w.ctx, pe); err != nil {
		w.t.Fatal(err)
	}
	return pe.Event
}

func (w *world) event(kind, action, id string, version int64, v any) sankofa.Event {
	w.t.Helper()
	ev, err := sankofa.NewEvent(kind, action, id, version, "", time.Now(), v)
	if err != nil {
		w.t.Fatal(err)
	}
	return ev
}

func (w *world) account(id string, role sankofa.Role) *sankofa.Account {
	now := time.Now().UTC().Truncate(time.Millisecond)
	a := &sankofa.Account{ID: id, Email: id + "@example.org", Name: "Person " + id, Role: role, Status: sankofa.StatusActive,
		Country: "GH", Organization: "Ministry of Health", Locale: "en", Version: 1, CreatedAt: now, UpdatedAt: now}
	w.emit(w.st.CreateAccount(w.ctx, a, w.event("account", "created", a.ID, 1, a)))
	return a
}

func (w *world) newProfile(acc *sankofa.Account, commitments ...sankofa.Commitment) *sankofa.Profile {
	now := time.Now().UTC().Truncate(time.Millisecond)
	p := &sankofa.Profile{
		ID: sankofa.ProfileIDFor(acc.ID), AccountID: acc.ID,
		ProfileInput: sankofa.ProfileInput{
			FullName: acc.Name, Profession: "2222", Languages: []sankofa.Language{{Code: "en", Level: "C2"}},
			OriginCountry: "GH", ResidenceCountry: "GB", Timezone: "Europe/London", Modes: []sankofa.Mode{sankofa.ModeOnsite},
		},
		Commitments: commitments, Version: 1, CreatedAt: now, UpdatedAt: now,
	}
	p.Normalize()
	w.emit(w.st.SaveProfile(w.ctx, p, w.event("profile", "created", p.ID, 1, p)))
	return p
}

var terms = sankofa.OfferTerms{Mode: sankofa.ModeOnsite, Start: "2030-03-01", End: "2030-03-31"}

func (w *world) newAssignment(positions int, status sankofa.AssignmentStatus, accepted ...string) *sankofa.Assignment {
	now := time.Now().UTC().Truncate(time.Millisecond)
	a := &sankofa.Assignment{
		ID: sankofa.NewID("as"), MinistryID: w.ministry.ID, Country: "GH", Organization: "Ministry of Health",
		AssignmentInput: sankofa.AssignmentInput{Title: "Midwife", Profession: "2222", Mode: terms.Mode,
			Start: terms.Start, End: terms.End, Positions: positions},
		Status: status, Filled: len(accepted), AcceptedOffers: accepted, Version: 1, CreatedAt: now, UpdatedAt: now,
	}
	a.Normalize()
	w.emit(w.st.CreateAssignment(w.ctx, a, w.event("assignment", "created", a.ID, 1, a)))
	return a
}

// newOffer stores an offer in the given status, created then moved, so
// that its events are the ones the server would publish.
func (w *world) newOffer(a *sankofa.Assignment, p *sankofa.Profile, status sankofa.OfferStatus, t sankofa.OfferTerms) *sankofa.Offer {
	now := time.Now().UTC().Truncate(time.Millisecond)
	o := &sankofa.Offer{
		ID: sankofa.NewID("of"), AssignmentID: a.ID, MinistryID: a.MinistryID, ProfileID: p.ID, ProfessionalID: p.AccountID,
		Terms: t, ExpiresAt: now.Add(sankofa.DefaultOfferLifetime), Status: sankofa.OfferPending,
		Version: 1, CreatedAt: now, UpdatedAt: now,
	}
	w.emit(w.st.CreateOffer(w.ctx, o, w.event("offer", "created", o.ID, 1, o)))
	if status != sankofa.OfferPending {
		w.moveOffer(o, status)
	}
	return o
}

func (w *world) moveOffer(o *sankofa.Offer, status sankofa.OfferStatus) sankofa.Event {
	o.Status = status
	o.Version++
	return w.emit(w.st.UpdateOffer(w.ctx, o, w.event("offer", string(status), o.ID, o.Version, o)))
}

func (w *world) updateAssignment(a *sankofa.Assignment, action string) {
	a.Version++
	w.emit(w.st.UpdateAssignment(w.ctx, a, w.event("assignment", action, a.ID, a.Version, a)))
}

func (w *world) updateProfile(p *sankofa.Profile) {
	p.Version++
	w.emit(w.st.SaveProfile(w.ctx, p, w.event("profile", "updated", p.ID, p.Version, p)))
}

// populate builds a consistent world: a ministry, two workers, an open
// assignment with two positions (one taken by an accepted offer booked on
// the worker's profile, and a pending offer to the second worker), and a
// declined and a withdrawn offer.
func (w *world) populate() {
	w.ministry = w.account("acc_ministry", sankofa.RoleMinistry)
	w.worker = w.account("acc_worker", sankofa.RoleProfessional)
	w.worker2 = w.account("acc_worker2", sankofa.RoleProfessional)
	w.profile = w.newProfile(w.worker)
	w.profile2 = w.newProfile(w.worker2)
	w.a = w.newAssignment(2, sankofa.AssignmentOpen)
	w.accepted = w.newOffer(w.a, w.profile, sankofa.OfferAccepted, terms)
	w.profile.Commitments = []sankofa.Commitment{{OfferID: w.accepted.ID, AssignmentID: w.a.ID, Terms: terms}}
	w.updateProfile(w.profile)
	w.a.Filled, w.a.AcceptedOffers = 1, []string{w.accepted.ID}
	w.updateAssignment(w.a, "updated")
	w.pending = w.newOffer(w.a, w.profile2, sankofa.OfferPending, terms)
	other := w.newAssignment(1, sankofa.AssignmentOpen)
	w.newOffer(other, w.profile2, sankofa.OfferDeclined, terms)
	w.newOffer(other, w.profile, sankofa.OfferWithdrawn, terms)
}

// rawIndex writes to the index as a rebuild does, with no version check.
func (w *world) rawIndex(add func(*search.Bulk) error) {
	w.t.Helper()
	b := w.ix.NewBulk()
	if err := add(b); err != nil {
		w.t.Fatal(err)
	}
	if err := b.Flush(); err != nil {
		w.t.Fatal(err)
	}
}

// settle waits until the consumers have handled every event.
func (w *world) settle() {
	w.t.Helper()
	ok, err := consistency.Settle(w.ctx, w.src, time.Minute)
	if err != nil {
		w.t.Fatal(err)
	}
	if !ok {
		w.t.Fatal("the world did not settle within a minute")
	}
}

// check settles the world and checks it.
func (w *world) check() *consistency.Report {
	w.t.Helper()
	w.settle()
	r, err := consistency.Check(w.ctx, w.src)
	if err != nil {
		w.t.Fatal(err)
	}
	return r
}

// wantOnly fails unless the report is settled and every violation is of
// invariant, at least one of them naming all of ids.
func wantOnly(t *testing.T, r *consistency.Report, invariant string, ids ...string) {
	t.Helper()
	if !r.Settled {
		t.Fatalf("not settled: %v", r.Unsettled)
	}
	found := false
	for _, v := range r.Violations {
		if v.Invariant != invariant {
			t.Errorf("unexpected violation: %s", v)
			continue
		}
		all := true
		for _, id := range ids {
			all = all && slices.Contains(v.IDs, id)
		}
		found = found || all
	}
	if !found {
		t.Errorf("no %s violation naming %v; got %v", invariant, ids, r.Violations)
	}
}
