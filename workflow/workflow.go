// Package workflow holds Sankofa's application operations: the offer
// saga, withdrawals, expiry, interest, and the handler of the shared
// workflow consumer. It knows nothing of HTTP: the REST handlers, the
// NATS consumers and the sweeper all call the same operations.
package workflow

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"sankofa"
	"sankofa/matcher"
	"sankofa/metrics"
)

// AccountReader reads accounts.
type AccountReader interface {
	Account(ctx context.Context, id string) (*sankofa.Account, error)
}

// ProfileStore keeps workers' profiles.
type ProfileStore interface {
	ProfileSlot(ctx context.Context, id string) (*sankofa.Profile, int64, error)
	Profile(ctx context.Context, id string) (*sankofa.Profile, error)
	SaveProfile(ctx context.Context, p *sankofa.Profile, ev sankofa.Event) (sankofa.PendingEvent, error)
}

// AssignmentStore keeps ministries' assignments.
type AssignmentStore interface {
	Assignment(ctx context.Context, id string) (*sankofa.Assignment, error)
	UpdateAssignment(ctx context.Context, a *sankofa.Assignment, ev sankofa.Event) (sankofa.PendingEvent, error)
}

// OfferStore keeps offers.
type OfferStore interface {
	CreateOffer(ctx context.Context, o *sankofa.Offer, ev sankofa.Event) (sankofa.PendingEvent, error)
	Offer(ctx context.Context, id string) (*sankofa.Offer, error)
	UpdateOffer(ctx context.Context, o *sankofa.Offer, ev sankofa.Event) (sankofa.PendingEvent, error)
}

// Outbox lists and acknowledges committed events.
type Outbox interface {
	Ack(ctx context.Context, p sankofa.PendingEvent) error
	Recover(ctx context.Context, grace time.Duration) ([]sankofa.PendingEvent, error)
}

// Index is the part of the search index the workflow writes and reads.
type Index interface {
	IndexAccount(a *sankofa.Account) error
	IndexProfile(p *sankofa.Profile, active bool) error
	DeleteProfile(id string, version int64) error
	IndexAssignment(a *sankofa.Assignment) error
	IndexOffer(o *sankofa.Offer) error
	Offers(ctx context.Context, f sankofa.OfferFilter) (sankofa.Page, error)
	ExpiredOffers(ctx context.Context, at int64, limit int) ([]string, error)
}

// Publisher publishes domain events.
type Publisher interface {
	Publish(ctx context.Context, ev sankofa.Event) error
}

// Deps are what the workflow runs on.
type Deps struct {
	Accounts    AccountReader
	Profiles    ProfileStore
	Assignments AssignmentStore
	Offers      OfferStore
	Outbox      Outbox
	Index       Index
	Events      Publisher
	// Erasure and Purger serve erasures; nil leaves them unavailable.
	Erasure ErasureStore
	Purger  EventPurger
	// Exports, when set, loses an erased person's lines from FHIR Bulk
	// Data exports.
	Exports ExportEraser
	Matcher *matcher.Matcher
	Metrics *metrics.Metrics
	Logger  *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// SingleWriter says that no other process writes to the store (the
	// embedded default). A saga begun before this process started is then
	// certainly dead and is rolled back at once, without waiting.
	SingleWriter bool
}

// Workflow runs the application operations.
type Workflow struct {
	d          Deps
	log        *slog.Logger
	now        func() time.Time
	dispatcher *Dispatcher
	// run names this process run; a lease records the run that took it.
	run string
	// live holds the lease tokens of this run's sagas still running, so
	// the repair knows at once whether one of ours is alive.
	live sync.Map
	// erasing wakes RunErasures when an erasure is recorded.
	erasing chan struct{}
}

// New builds the workflow over its adapters.
func New(d Deps) *Workflow {
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	return &Workflow{
		d: d, log: d.Logger, now: d.Now, run: sankofa.NewID("run"), erasing: make(chan struct{}, 1),
		dispatcher: &Dispatcher{queue: make(chan sankofa.PendingEvent, publishQueue), outbox: d.Outbox, index: d.Index, events: d.Events, accounts: d.Accounts,
			profiles: d.Profiles, metrics: d.Metrics, log: d.Logger},
	}
}

// Dispatcher returns the component that indexes, publishes and
// acknowledges committed events.
func (w *Workflow) Dispatcher() *Dispatcher { return w.dispatcher }

// casAttempts bounds the retries of a write that lost a version race.
const casAttempts = 8

// retryStale runs step until it does not fail on a stale version. When
// every attempt lost, the caller gets a conflict: somebody else keeps
// changing the same record, and the client may simply try again.
func retryStale(step func() error) error {
	var err error
	for range casAttempts {
		if err = step(); !sankofa.IsCode(err, sankofa.PreconditionFailed) {
			return err
		}
	}
	return sankofa.Errorf(sankofa.Conflict, "the record kept changing while this was being done; try again")
}

// save records one change through store and dispatches its event.
func (w *Workflow) save(ctx context.Context, kind, action, id string, version int64, actor string, entity any,
	store func(context.Context, sankofa.Event) (sankofa.PendingEvent, error)) error {
	ev, err := sankofa.NewEvent(kind, action, id, version, actor, w.now(), entity)
	if err != nil {
		return err
	}
	pe, err := store(ctx, ev)
	if err != nil {
		return err
	}
	w.dispatcher.After(ctx, pe)
	return nil
}

func (w *Workflow) saveOffer(ctx context.Context, o *sankofa.Offer, action, actor string) error {
	return w.save(ctx, "offer", action, o.ID, o.Version, actor, o, func(ctx context.Context, ev sankofa.Event) (sankofa.PendingEvent, error) {
		return w.d.Offers.UpdateOffer(ctx, o, ev)
	})
}

func (w *Workflow) saveAssignment(ctx context.Context, a *sankofa.Assignment, action, actor string) error {
	return w.save(ctx, "assignment", action, a.ID, a.Version, actor, a, func(ctx context.Context, ev sankofa.Event) (sankofa.PendingEvent, error) {
		return w.d.Assignments.UpdateAssignment(ctx, a, ev)
	})
}

func (w *Workflow) saveProfile(ctx context.Context, p *sankofa.Profile, action, actor string) error {
	return w.save(ctx, "profile", action, p.ID, p.Version, actor, p, func(ctx context.Context, ev sankofa.Event) (sankofa.PendingEvent, error) {
		return w.d.Profiles.SaveProfile(ctx, p, ev)
	})
}
