package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"sankofa"
	"sankofa/store"
)

// TestOutbox_LazyAck shows how an acknowledgement is written on the
// embedded store: not by Ack itself, but by the entity's next save or by
// FlushAcks, and by Close at the latest; and that a crash before then
// hands the event to the relay again rather than losing anything.
func TestOutbox_LazyAck(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := mustOpenAt(t, dir)
	stored := func(id string) []string {
		t.Helper()
		ids, err := store.StoredPending(ctx, s, "profiles", id)
		if err != nil {
			t.Fatal(err)
		}
		return ids
	}
	unpublished := func() []string {
		t.Helper()
		var ids []string
		if err := s.EachUnpublished(ctx, func(ev sankofa.Event) error { ids = append(ids, ev.ID); return nil }); err != nil {
			t.Fatal(err)
		}
		return ids
	}

	p := newProfile(1)
	pe1, err := s.SaveProfile(ctx, p, event(t, "profile", "created", p.ID, 1, p))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Ack(ctx, pe1); err != nil {
		t.Fatal(err)
	}
	// Acknowledged, not yet written: the database still lists it, but
	// neither the relay nor `sankofa check` sees it as unpublished.
	if got := stored(p.ID); !slices.Equal(got, []string{p.ID + ":1"}) {
		t.Fatalf("stored pending after Ack = %v, want the create still there", got)
	}
	if got := unpublished(); len(got) != 0 {
		t.Fatalf("unpublished after Ack = %v", got)
	}
	if got, _ := s.Recover(ctx, 0); len(got) != 0 {
		t.Fatalf("the relay was handed a published event: %v", eventIDs(got))
	}

	// The next save writes the acknowledgement with its own event.
	next := *p
	next.Version = 2
	pe2, err := s.SaveProfile(ctx, &next, event(t, "profile", "updated", p.ID, 2, &next))
	if err != nil {
		t.Fatal(err)
	}
	if got := stored(p.ID); !slices.Equal(got, []string{p.ID + ":2"}) {
		t.Fatalf("stored pending after the next save = %v, want only %s:2", got, p.ID)
	}

	// FlushAcks writes what no save did, once old enough.
	if err := s.Ack(ctx, pe2); err != nil {
		t.Fatal(err)
	}
	if err := s.FlushAcks(ctx, time.Hour); err != nil {
		t.Fatal(err)
	}
	if got := stored(p.ID); len(got) != 1 {
		t.Fatalf("a young acknowledgement was flushed: stored %v", got)
	}
	if err := s.FlushAcks(ctx, 0); err != nil {
		t.Fatal(err)
	}
	if got := stored(p.ID); len(got) != 0 {
		t.Fatalf("stored pending after FlushAcks = %v, want none", got)
	}

	// A crash between Ack and its write: the event comes back to the relay
	// (publishing it again is harmless; losing it would not be).
	third := next
	third.Version = 3
	pe3, err := s.SaveProfile(ctx, &third, event(t, "profile", "updated", p.ID, 3, &third))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Ack(ctx, pe3); err != nil {
		t.Fatal(err)
	}
	store.Crash(s)
	s = mustOpenAt(t, dir)
	got, err := s.Recover(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Event.ID != p.ID+":3" {
		t.Fatalf("after a crash, recovered %v, want %s:3", eventIDs(got), p.ID)
	}

	// Close writes every acknowledgement left, and records a clean
	// shutdown: the next start finds nothing to re-send.
	if err := s.Ack(ctx, got[0]); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	s = mustOpenAt(t, dir)
	if got := stored(p.ID); len(got) != 0 {
		t.Fatalf("stored pending after a clean Close = %v", got)
	}
	if s.Crashed() {
		t.Error("a clean Close with its acknowledgements flushed was taken for a crash")
	}
}
