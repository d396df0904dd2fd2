package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"sankofa"
)

func TestShortlists_PutRemove(t *testing.T) {
	ctx := context.Background()
	s := MustOpenStore(t)
	entry := func(id, note string) sankofa.ShortlistEntry {
		return sankofa.ShortlistEntry{ProfileID: id, Note: note, AddedAt: time.Now().UTC().Truncate(time.Millisecond), AddedBy: "acc_m"}
	}
	t.Run("EmptyWhenNone", func(t *testing.T) {
		got, err := s.Shortlist(ctx, "asg_1")
		if err != nil || got == nil || len(got) != 0 {
			t.Fatalf("%#v, %v; want an empty non-nil slice", got, err)
		}
	})
	t.Run("AddThenUpdate", func(t *testing.T) {
		first := entry("prf_1", "strong")
		if added, err := s.PutShortlistEntry(ctx, "asg_1", first); err != nil || !added {
			t.Fatalf("added %t, %v", added, err)
		}
		if added, err := s.PutShortlistEntry(ctx, "asg_1", entry("prf_2", "")); err != nil || !added {
			t.Fatalf("added %t, %v", added, err)
		}
		if added, err := s.PutShortlistEntry(ctx, "asg_1", entry("prf_1", "call first")); err != nil || added {
			t.Fatalf("added %t, %v; want an update", added, err)
		}
		got, err := s.Shortlist(ctx, "asg_1")
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].ProfileID != "prf_1" || got[0].Note != "call first" || !got[0].AddedAt.Equal(first.AddedAt) || got[1].ProfileID != "prf_2" {
			t.Fatalf("shortlist %+v", got)
		}
	})
	t.Run("RemoveIdempotent", func(t *testing.T) {
		for range 2 {
			if err := s.RemoveShortlistEntry(ctx, "asg_1", "prf_2"); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.RemoveShortlistEntry(ctx, "asg_none", "prf_2"); err != nil {
			t.Fatal(err)
		}
		got, _ := s.Shortlist(ctx, "asg_1")
		if len(got) != 1 || got[0].ProfileID != "prf_1" {
			t.Fatalf("shortlist %+v", got)
		}
	})
	t.Run("ErrConflictFull", func(t *testing.T) {
		for i := range sankofa.MaxShortlist {
			if _, err := s.PutShortlistEntry(ctx, "asg_full", entry(fmt.Sprintf("prf_%d", i), "")); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.PutShortlistEntry(ctx, "asg_full", entry("prf_x", "")); !sankofa.IsCode(err, sankofa.Conflict) {
			t.Fatalf("%v, want conflict", err)
		}
		// A note on a listed worker can still change.
		if _, err := s.PutShortlistEntry(ctx, "asg_full", entry("prf_3", "ok")); err != nil {
			t.Fatal(err)
		}
	})
}
