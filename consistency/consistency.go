// Package consistency checks the invariants that tie Sankofa's store, its
// search indexes and people's inboxes together, over everything stored.
// `sankofa check` runs it offline against a stopped server's data, and
// the admin endpoint GET /v1/admin/consistency runs it inside a live one.
//
// Some invariants hold only once the events have been handled: while an
// event waits in an entity's outbox, or a consumer has events it has not
// acknowledged, an index may be behind, a notification not yet delivered
// or a dead acceptance not yet rolled back. The report says so (Settled
// false, with the reasons) rather than calling what it finds a violation
// of a settled system.
package consistency

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"sankofa"
)

// The invariants, as named in violations.
const (
	// Filled: an assignment's filled equals its accepted offers and the
	// length of its accepted_offers, at most its positions, and its status
	// agrees (filled exactly when every position is).
	Filled = "filled"
	// Booking: every accepted offer has exactly one booking on its
	// worker's profile, and every booking has its offer, accepted.
	Booking = "booking"
	// Overlap: no worker has two on-site bookings on a common day.
	Overlap = "overlap"
	// PendingOffer: no offer is pending on a filled, closed or cancelled
	// assignment.
	PendingOffer = "pending-offer"
	// IndexVersion: every index entry has the store's version, every
	// stored entity is indexed, and no deleted profile is.
	IndexVersion = "index-version"
	// Notification: no inbox holds a key twice, every key has its
	// notification, and every offer event the notify consumer handled
	// has its notifications.
	Notification = "notification"
)

// Invariants lists every invariant the checker verifies.
var Invariants = []string{Filled, Booking, Overlap, PendingOffer, IndexVersion, Notification}

// The consumers whose unacknowledged events keep the system unsettled by
// default; see Source.Consumers.
const (
	WorkflowConsumer = "workflow"
	NotifyConsumer   = "notify"
	// IndexerPrefix starts the name of every replica's index consumer.
	IndexerPrefix = "indexer-"
)

// Store reads the system of record; *store.Store fits it.
type Store interface {
	EachAccount(ctx context.Context, fn func(*sankofa.Account) error) error
	// EachProfile yields live profiles only.
	EachProfile(ctx context.Context, fn func(*sankofa.Profile) error) error
	EachDeletedProfile(ctx context.Context, fn func(id string, version int64) error) error
	EachAssignment(ctx context.Context, fn func(*sankofa.Assignment) error) error
	EachOffer(ctx context.Context, fn func(*sankofa.Offer) error) error
	// EachUnpublished yields the events still in an entity's outbox.
	EachUnpublished(ctx context.Context, fn func(sankofa.Event) error) error
}

// Inboxes reads people's notifications; *store.Store fits it.
type Inboxes interface {
	EachInboxHead(ctx context.Context, fn func(userID string, lastSeq, oldestPage int64) error) error
	EachInboxKey(ctx context.Context, fn func(userID, key string, seq int64) error) error
	EachNotification(ctx context.Context, fn func(*sankofa.Notification) error) error
}

// Index reads the versions a search index holds; *search.Index fits it.
type Index interface {
	// Versions yields every document of an index: "accounts",
	// "profiles", "assignments" or "offers".
	Versions(ctx context.Context, kind string, fn func(id string, version int64) error) error
}

// Bus reads the event stream's consumers; *notifier.Notifier fits it.
type Bus interface {
	ConsumerLag(ctx context.Context, fn func(consumer string, unacked uint64) error) error
	LastSequence(ctx context.Context) (uint64, error)
	HandledEvents(ctx context.Context, consumer string, fn func(sankofa.Event) error) error
	DeadLetters(ctx context.Context, limit int) ([]sankofa.DeadLetter, error)
}

// Source is what the checker reads. Store is required; a nil Inboxes,
// Index or Bus leaves out the checks that need it, which the report
// lists as skipped.
type Source struct {
	Store   Store
	Inboxes Inboxes
	Index   Index
	Bus     Bus
	// Consumers whose unacknowledged events mean "not settled"; empty
	// means workflow, notify and IndexConsumer.
	Consumers []string
	// IndexConsumer is the consumer that keeps Index up to date
	// ("indexer-<replica>"); empty counts every IndexerPrefix consumer.
	IndexConsumer string
}

// Violation is one broken invariant.
type Violation struct {
	Invariant string   `json:"invariant"`
	Detail    string   `json:"detail"`
	IDs       []string `json:"ids"`
}

// String formats a violation as `invariant: detail (ids)`.
func (v Violation) String() string {
	return v.Invariant + ": " + v.Detail + " (" + strings.Join(v.IDs, ", ") + ")"
}

// Counts says how much was checked.
type Counts struct {
	Accounts      int `json:"accounts"`
	Profiles      int `json:"profiles"`
	Assignments   int `json:"assignments"`
	Offers        int `json:"offers"`
	Notifications int `json:"notifications"`
	// HandledEvents are the offer events whose notifications were checked.
	HandledEvents int `json:"handled_events"`
}

// Report is the outcome of a check.
type Report struct {
	// Settled is true when no event waited in an outbox or in one of the
	// consumers, before and after the check. Otherwise Unsettled says
	// what was waiting, and the violations may be transient.
	Settled   bool     `json:"settled"`
	Unsettled []string `json:"unsettled,omitempty"`
	// Violations lists at most MaxViolations; Truncated counts the rest.
	Violations []Violation `json:"violations"`
	Truncated  int         `json:"truncated,omitempty"`
	// Skipped lists the checks left out, and why.
	Skipped []string `json:"skipped,omitempty"`
	// Notes are facts worth knowing that break nothing (dead letters).
	Notes  []string `json:"notes,omitempty"`
	Counts Counts   `json:"counts"`
}

// Clean reports whether the check found the system settled and every
// invariant intact.
func (r *Report) Clean() bool { return r.Settled && len(r.Violations) == 0 }

// Summary is the report's one-line verdict.
func (r *Report) Summary() string {
	n := len(r.Violations) + r.Truncated
	what := fmt.Sprintf("%d accounts, %d profiles, %d assignments, %d offers, %d notifications, %d handled offer events",
		r.Counts.Accounts, r.Counts.Profiles, r.Counts.Assignments, r.Counts.Offers, r.Counts.Notifications, r.Counts.HandledEvents)
	switch {
	case !r.Settled:
		return fmt.Sprintf("not settled: %s; %d possible violations (may be transient) over %s", strings.Join(r.Unsettled, "; "), n, what)
	case n > 0:
		return fmt.Sprintf("%d violations over %s", n, what)
	}
	return "consistent: " + what
}

// MaxViolations caps the violations a report lists.
const MaxViolations = 1000

func (r *Report) add(invariant, detail string, ids ...string) {
	if len(r.Violations) >= MaxViolations {
		r.Truncated++
		return
	}
	r.Violations = append(r.Violations, Violation{Invariant: invariant, Detail: detail, IDs: ids})
}

// Check verifies every invariant over the whole store, index and inboxes
// of src. It returns an error only when it cannot read them; what it
// finds is in the report.
func Check(ctx context.Context, src Source) (*Report, error) {
	if src.Store == nil {
		return nil, errors.New("consistency: no store to check")
	}
	r := &Report{Violations: []Violation{}}
	before, err := unsettled(ctx, src)
	if err != nil {
		return nil, err
	}
	snap, err := load(ctx, src.Store, r)
	if err != nil {
		return nil, err
	}
	checkFilled(snap, r)
	checkBookings(snap, r)
	checkOverlaps(snap, r)
	checkPending(snap, r)
	if src.Index == nil {
		r.Skipped = append(r.Skipped, IndexVersion+": no search index to read")
	} else if err := checkIndex(ctx, src.Index, snap, r); err != nil {
		return nil, err
	}
	if src.Inboxes == nil {
		r.Skipped = append(r.Skipped, Notification+": no inboxes to read")
	} else if err := checkNotifications(ctx, src, snap, r); err != nil {
		return nil, err
	}
	after, err := unsettled(ctx, src)
	if err != nil {
		return nil, err
	}
	r.Unsettled = before
	if len(before) == 0 && len(after) > 0 {
		r.Unsettled = append([]string{"events arrived during the check"}, after...)
	}
	r.Settled = len(r.Unsettled) == 0
	return r, nil
}

// Settle waits, at most wait, until nothing waits in an outbox or a
// consumer of src. It reports whether that happened; a ctx that ends
// returns its error.
func Settle(ctx context.Context, src Source, wait time.Duration) (bool, error) {
	deadline := time.Now().Add(wait)
	for {
		reasons, err := unsettled(ctx, src)
		if err != nil {
			return false, err
		}
		if len(reasons) == 0 {
			return true, nil
		}
		if !time.Now().Before(deadline) {
			return false, nil
		}
		select {
		case <-ctx.Done():
			return false, ctx.Err()
		case <-time.After(min(250*time.Millisecond, time.Until(deadline))):
		}
	}
}

// maxListed bounds the ids an "unsettled" reason lists.
const maxListed = 10

// unsettled says what still waits to be handled: events in outboxes and
// events the watched consumers have not acknowledged.
//
// The reads are not one snapshot, so their order matters. A consumer's
// handler writes (into an outbox) before it acknowledges, and an outbox
// event reaches the stream before it leaves the outbox. Reading the
// consumers first and the outboxes second, between two reads of the
// stream's last sequence, leaves no gap: an event still in an outbox is
// seen there, and one published meanwhile moves the sequence.
func unsettled(ctx context.Context, src Source) ([]string, error) {
	var reasons, lagging []string
	var seq uint64
	if src.Bus != nil {
		var err error
		if seq, err = src.Bus.LastSequence(ctx); err != nil {
			return nil, fmt.Errorf("consistency: read stream: %w", err)
		}
		err = src.Bus.ConsumerLag(ctx, func(consumer string, unacked uint64) error {
			if unacked > 0 && watched(src, consumer) {
				lagging = append(lagging, fmt.Sprintf("consumer %s has %d events not yet acknowledged", consumer, unacked))
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("consistency: read consumers: %w", err)
		}
		slices.Sort(lagging)
	}
	var ids []string
	n := 0
	err := src.Store.EachUnpublished(ctx, func(ev sankofa.Event) error {
		n++
		if len(ids) < maxListed {
			ids = append(ids, ev.ID)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("consistency: read outboxes: %w", err)
	}
	if n > 0 {
		reasons = append(reasons, fmt.Sprintf("%d events not yet published from the outbox (%s%s)", n, strings.Join(ids, ", "), more(n, len(ids))))
	}
	reasons = append(reasons, lagging...)
	if src.Bus != nil {
		after, err := src.Bus.LastSequence(ctx)
		if err != nil {
			return nil, fmt.Errorf("consistency: read stream: %w", err)
		}
		if after != seq {
			reasons = append(reasons, fmt.Sprintf("%d events were published while looking", after-seq))
		}
	}
	return reasons, nil
}

func watched(src Source, consumer string) bool {
	if len(src.Consumers) > 0 {
		return slices.Contains(src.Consumers, consumer)
	}
	switch {
	case consumer == WorkflowConsumer || consumer == NotifyConsumer:
		return true
	case src.IndexConsumer != "":
		return consumer == src.IndexConsumer
	}
	return strings.HasPrefix(consumer, IndexerPrefix)
}

func more(total, listed int) string {
	if total > listed {
		return fmt.Sprintf(", and %d more", total-listed)
	}
	return ""
}
