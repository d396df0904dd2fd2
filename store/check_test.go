package store

import (
	"context"
	"log/slog"
	"slices"
	"testing"
	"time"

	"sankofa"
	"sankofa/consistency"
)

// TestCheck_InboxBreaks plants, by raw writes no store method makes, the
// inbox breaks the consistency checker must find: a key delivered twice
// into one inbox, and a key whose notification is gone.
func TestCheck_InboxBreaks(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := Open(ctx, Config{DataDir: t.TempDir(), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(context.Background())
	add := func(user, key string) *sankofa.Notification {
		n := &sankofa.Notification{UserID: user, Kind: sankofa.NoteOfferReceived, Title: "t", Body: "b", Key: key}
		if _, err := s.AddNotification(ctx, n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, k := range []string{"of_1:1", "of_2:1", "of_3:1"} {
		add("acc_a", k)
	}
	add("acc_b", "of_1:2")
	src := consistency.Source{Store: s, Inboxes: s}
	check := func() []consistency.Violation {
		t.Helper()
		r, err := consistency.Check(ctx, src)
		if err != nil {
			t.Fatal(err)
		}
		return r.Violations
	}
	if vs := check(); len(vs) > 0 {
		t.Fatalf("clean inboxes report %v", vs)
	}

	// The second delivery of of_1:1 landed in the page at a new seq, as a
	// lost key record would let happen.
	_, err = s.changePage(ctx, "acc_a", 0, func(items []inboxItem) ([]inboxItem, bool, error) {
		dup := items[0]
		dup.Seq = 4
		return append(items, dup), true, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The notification of of_3:1 (seq 3) vanished; its key stays.
	_, err = s.changePage(ctx, "acc_a", 0, func(items []inboxItem) ([]inboxItem, bool, error) {
		return slices.DeleteFunc(items, func(it inboxItem) bool { return it.Seq == 3 }), true, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"of_1:1": false, "of_3:1": false}
	for _, v := range check() {
		if v.Invariant != consistency.Notification || len(v.IDs) != 2 || v.IDs[0] != "acc_a" {
			t.Errorf("unexpected violation %s", v)
			continue
		}
		if _, ok := want[v.IDs[1]]; !ok {
			t.Errorf("unexpected violation %s", v)
		}
		want[v.IDs[1]] = true
	}
	for k, seen := range want {
		if !seen {
			t.Errorf("no violation for key %s", k)
		}
	}
}
