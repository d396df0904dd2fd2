package consistency_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"sankofa"
	"sankofa/consistency"
	"sankofa/search"
)

func TestCheck_Clean(t *testing.T) {
	w := newWorld(t)
	r := w.check()
	if !r.Clean() {
		t.Fatalf("a consistent world reports %v (settled %v: %v)", r.Violations, r.Settled, r.Unsettled)
	}
	want := consistency.Counts{Accounts: 3, Profiles: 2, Assignments: 2, Offers: 4}
	got := r.Counts
	if got.Accounts != want.Accounts || got.Profiles != want.Profiles || got.Assignments != want.Assignments || got.Offers != want.Offers {
		t.Errorf("counts = %+v, want %+v", got, want)
	}
	// created x4, accepted, declined, withdrawn: each told to someone.
	if got.HandledEvents != 7 || got.Notifications != 7 {
		t.Errorf("handled offer events %d and notifications %d, want 7 and 7", got.HandledEvents, got.Notifications)
	}
	if len(r.Skipped) > 0 {
		t.Errorf("skipped %v", r.Skipped)
	}
	if !strings.HasPrefix(r.Summary(), "consistent: ") {
		t.Errorf("summary %q", r.Summary())
	}
}

func TestCheck_Filled(t *testing.T) {
	t.Run("CountDiffers", func(t *testing.T) {
		w := newWorld(t)
		w.a.Filled = 2 // one accepted offer, two counted: the assignment also reads as filled up while open
		w.updateAssignment(w.a, "updated")
		wantOnly(t, w.check(), consistency.Filled, w.a.ID)
	})
	t.Run("AcceptedNotListed", func(t *testing.T) {
		w := newWorld(t)
		w.a.Filled, w.a.AcceptedOffers = 0, nil
		w.updateAssignment(w.a, "updated")
		wantOnly(t, w.check(), consistency.Filled, w.a.ID, w.accepted.ID)
	})
	t.Run("OverPositions", func(t *testing.T) {
		w := newWorld(t)
		w.a.Positions = 0
		w.updateAssignment(w.a, "updated")
		wantOnly(t, w.check(), consistency.Filled, w.a.ID)
	})
}

func TestCheck_Booking(t *testing.T) {
	t.Run("AcceptedWithoutBooking", func(t *testing.T) {
		w := newWorld(t)
		w.profile.Commitments = nil
		w.updateProfile(w.profile)
		wantOnly(t, w.check(), consistency.Booking, w.accepted.ID, w.profile.ID)
	})
	t.Run("BookingWithoutAcceptedOffer", func(t *testing.T) {
		w := newWorld(t)
		w.profile2.Commitments = []sankofa.Commitment{{OfferID: w.pending.ID, AssignmentID: w.a.ID, Terms: terms}}
		w.updateProfile(w.profile2)
		wantOnly(t, w.check(), consistency.Booking, w.profile2.ID, w.pending.ID)
	})
	t.Run("BookedTwice", func(t *testing.T) {
		w := newWorld(t)
		w.profile.Commitments = append(w.profile.Commitments, w.profile.Commitments[0])
		w.updateProfile(w.profile)
		r := w.check()
		// Booked twice is also two on-site bookings of the same days.
		for _, v := range r.Violations {
			if v.Invariant == consistency.Overlap {
				continue
			}
			if v.Invariant != consistency.Booking || !strings.Contains(v.Detail, "2 bookings") {
				t.Errorf("unexpected violation %s", v)
			}
		}
		if len(r.Violations) == 0 {
			t.Fatal("a double booking is not reported")
		}
	})
}

func TestCheck_Overlap(t *testing.T) {
	w := newWorld(t)
	// A second accepted offer, correctly counted and booked, for days that
	// overlap the first booking by one day.
	later := sankofa.OfferTerms{Mode: sankofa.ModeHybrid, Start: "2030-03-31", End: "2030-04-15", VirtualHoursPerWeek: 5}
	b := w.newAssignment(1, sankofa.AssignmentOpen)
	o := w.newOffer(b, w.profile, sankofa.OfferAccepted, later)
	b.Status, b.Filled, b.AcceptedOffers = sankofa.AssignmentFilled, 1, []string{o.ID}
	w.updateAssignment(b, "filled")
	w.profile.Commitments = append(w.profile.Commitments, sankofa.Commitment{OfferID: o.ID, AssignmentID: b.ID, Terms: later})
	w.updateProfile(w.profile)
	wantOnly(t, w.check(), consistency.Overlap, w.profile.ID, w.accepted.ID, o.ID)

	t.Run("VirtualDoesNotOverlap", func(t *testing.T) {
		w := newWorld(t)
		virtual := sankofa.OfferTerms{Mode: sankofa.ModeVirtual, Start: terms.Start, End: terms.End, VirtualHoursPerWeek: 5}
		b := w.newAssignment(1, sankofa.AssignmentOpen)
		o := w.newOffer(b, w.profile, sankofa.OfferAccepted, virtual)
		b.Status, b.Filled, b.AcceptedOffers = sankofa.AssignmentFilled, 1, []string{o.ID}
		w.updateAssignment(b, "filled")
		w.profile.Commitments = append(w.profile.Commitments, sankofa.Commitment{OfferID: o.ID, AssignmentID: b.ID, Terms: virtual})
		w.updateProfile(w.profile)
		if r := w.check(); !r.Clean() {
			t.Fatalf("virtual work beside on-site work is reported: %v", r.Violations)
		}
	})
}

func TestCheck_PendingOffer(t *testing.T) {
	for _, status := range []sankofa.AssignmentStatus{sankofa.AssignmentClosed, sankofa.AssignmentCancelled} {
		t.Run(string(status), func(t *testing.T) {
			w := newWorld(t)
			w.a.Status = status
			w.updateAssignment(w.a, string(status))
			wantOnly(t, w.check(), consistency.PendingOffer, w.pending.ID, w.a.ID)
		})
	}
}

func TestCheck_IndexVersion(t *testing.T) {
	t.Run("Stale", func(t *testing.T) {
		w := newWorld(t)
		// The index refuses to go backwards; a bulk write (as in a
		// rebuild) checks nothing.
		old := *w.pending
		old.Version--
		w.rawIndex(func(b *search.Bulk) error { return b.AddOffer(&old) })
		wantOnly(t, w.check(), consistency.IndexVersion, w.pending.ID)
	})
	t.Run("Behind", func(t *testing.T) {
		w := newWorld(t)
		// Written and acknowledged, never published: a lost event.
		o := *w.pending
		o.Message, o.Version = "Still interested?", o.Version+1
		pe, err := w.st.UpdateOffer(w.ctx, &o, w.event("offer", "updated", o.ID, o.Version, &o))
		if err != nil {
			t.Fatal(err)
		}
		if err := w.st.Ack(w.ctx, pe); err != nil {
			t.Fatal(err)
		}
		wantOnly(t, w.check(), consistency.IndexVersion, o.ID)
	})
	t.Run("Missing", func(t *testing.T) {
		w := newWorld(t)
		// Written to the store without its event: nothing indexes it.
		w.a.Title = "Midwife, night shifts"
		w.a.Version++
		pe, err := w.st.UpdateAssignment(w.ctx, w.a, w.event("assignment", "updated", w.a.ID, w.a.Version, w.a))
		if err != nil {
			t.Fatal(err)
		}
		if err := w.st.Ack(w.ctx, pe); err != nil {
			t.Fatal(err)
		}
		wantOnly(t, w.check(), consistency.IndexVersion, w.a.ID)
	})
	t.Run("DeletedProfileIndexed", func(t *testing.T) {
		w := newWorld(t)
		gone := *w.profile2
		w.emit(w.st.DeleteProfile(w.ctx, w.profile2, w.event("profile", "deleted", gone.ID, gone.Version+1, map[string]string{"id": gone.ID})))
		w.settle()
		w.rawIndex(func(b *search.Bulk) error { return b.AddProfile(&gone, true) })
		wantOnly(t, w.check(), consistency.IndexVersion, gone.ID)
	})
}

func TestCheck_Notification(t *testing.T) {
	t.Run("HandledWithoutNotification", func(t *testing.T) {
		w := newWorld(t)
		o := *w.pending
		o.Status, o.Version = sankofa.OfferDeclined, o.Version+1
		ev := w.event("offer", "declined", o.ID, o.Version, &o)
		w.mu.Lock()
		w.drop[ev.ID] = true // the notify consumer acknowledges it and tells no one
		w.mu.Unlock()
		pe, err := w.st.UpdateOffer(w.ctx, &o, ev)
		w.emit(pe, err)
		wantOnly(t, w.check(), consistency.Notification, ev.ID, w.ministry.ID)
	})
}

func TestCheck_NotSettled(t *testing.T) {
	w := newWorld(t)
	o := *w.pending
	o.Status, o.Version = sankofa.OfferDeclined, o.Version+1
	// Committed, never published: it waits in the outbox.
	if _, err := w.st.UpdateOffer(w.ctx, &o, w.event("offer", "declined", o.ID, o.Version, &o)); err != nil {
		t.Fatal(err)
	}
	r, err := consistency.Check(w.ctx, w.src)
	if err != nil {
		t.Fatal(err)
	}
	if r.Settled || len(r.Unsettled) == 0 || !strings.Contains(r.Unsettled[0], "outbox") || !strings.Contains(r.Unsettled[0], o.ID) {
		t.Fatalf("settled %v, unsettled %v", r.Settled, r.Unsettled)
	}
	if r.Clean() || !strings.HasPrefix(r.Summary(), "not settled: ") {
		t.Errorf("summary %q", r.Summary())
	}
}

// slipBus is the real bus, but the first time the checker reads the
// consumers, an event leaves an outbox for the stream and its consumer
// handles it: what a busy server does while a check looks away.
type slipBus struct {
	consistency.Bus
	once sync.Once
	slip func()
}

func (b *slipBus) ConsumerLag(ctx context.Context, fn func(string, uint64) error) error {
	if err := b.Bus.ConsumerLag(ctx, fn); err != nil {
		return err
	}
	b.once.Do(b.slip)
	return nil
}

// An event published after the consumers were read and before the
// outboxes were is seen: the stream's sequence moved. (Read in the other
// order, with no sequence, the check reported a busy server settled.)
func TestSettle_SeesAnEventPublishedWhileLooking(t *testing.T) {
	w := newWorld(t)
	o := *w.pending
	o.Status, o.Version = sankofa.OfferDeclined, o.Version+1
	src := w.src
	src.Bus = &slipBus{Bus: w.bus, slip: func() {
		pe, err := w.st.UpdateOffer(w.ctx, &o, w.event("offer", "declined", o.ID, o.Version, &o))
		w.emit(pe, err)
	}}
	ok, err := consistency.Settle(w.ctx, src, 0)
	if err != nil {
		t.Fatal(err)
	}
	if ok {
		t.Fatal("a check that looked away while an event was published reports it settled")
	}
	w.settle()
	if ok, err := consistency.Settle(w.ctx, src, 0); err != nil || !ok {
		t.Fatalf("once handled, settled %v, %v", ok, err)
	}
}
