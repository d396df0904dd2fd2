package search_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"sankofa"
	"sankofa/matcher"
	"sankofa/search"
)

// MustOpenIndex opens indexes under dir and closes them when the test ends.
func MustOpenIndex(tb testing.TB, dir string) *search.Index {
	tb.Helper()
	ix, err := search.Open(dir, matcher.New(matcher.Default()))
	if err != nil {
		tb.Fatalf("open index: %v", err)
	}
	if err := ix.Built(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ix.Close() })
	return ix
}

func TestIndex_Open(t *testing.T) {
	dir := t.TempDir()
	t.Run("NewIsRebuilt", func(t *testing.T) {
		ix, err := search.Open(dir, matcher.New(matcher.Default()))
		if err != nil {
			t.Fatal(err)
		}
		if !ix.Rebuilt {
			t.Error("a new index must report Rebuilt")
		}
		ix.Close()
	})
	t.Run("InterruptedRebuildRebuiltAgain", func(t *testing.T) {
		// The last one was never marked Built: a crash mid-rebuild.
		ix, err := search.Open(dir, matcher.New(matcher.Default()))
		if err != nil {
			t.Fatal(err)
		}
		if !ix.Rebuilt {
			t.Error("an index whose rebuild never finished must be rebuilt")
		}
		if err := ix.Built(); err != nil {
			t.Fatal(err)
		}
		ix.Close()
	})
	t.Run("ReopenKeeps", func(t *testing.T) {
		ix, err := search.Open(dir, matcher.New(matcher.Default()))
		if err != nil {
			t.Fatal(err)
		}
		if ix.Rebuilt {
			t.Error("an intact index must not be rebuilt")
		}
		ix.Close()
	})
	t.Run("OldVersionRebuilt", func(t *testing.T) {
		os.WriteFile(filepath.Join(dir, "mapping_version"), []byte("0"), 0o600)
		ix, err := search.Open(dir, matcher.New(matcher.Default()))
		if err != nil {
			t.Fatal(err)
		}
		if !ix.Rebuilt {
			t.Error("an index of another mapping version must be rebuilt")
		}
		ix.Close()
	})
	t.Run("CorruptRebuilt", func(t *testing.T) {
		os.RemoveAll(filepath.Join(dir, "accounts"))
		os.WriteFile(filepath.Join(dir, "accounts"), []byte("garbage"), 0o600)
		ix, err := search.Open(dir, matcher.New(matcher.Default()))
		if err != nil {
			t.Fatal(err)
		}
		if !ix.Rebuilt {
			t.Error("a corrupt index must be rebuilt")
		}
		ix.Close()
	})
}

func TestIndex_Accounts(t *testing.T) {
	ctx := context.Background()
	ix := MustOpenIndex(t, t.TempDir())
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var ministries []string
	for i := range 25 {
		a := &sankofa.Account{ID: fmt.Sprintf("acc_%02d", i), Role: sankofa.RoleProfessional, Status: sankofa.StatusActive,
			CreatedAt: base.Add(time.Duration(i%5) * time.Hour)} // ties on time
		if i%3 == 0 {
			a.Role, a.Status = sankofa.RoleMinistry, sankofa.StatusPending
			ministries = append(ministries, a.ID)
		}
		if err := ix.IndexAccount(a); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("FilterAndPaginate", func(t *testing.T) {
		var got []string
		cursor := ""
		for range 10 {
			p, err := ix.Accounts(ctx, sankofa.AccountFilter{Role: sankofa.RoleMinistry, Status: sankofa.StatusPending, Limit: 3, Cursor: cursor})
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, p.IDs...)
			if cursor = p.NextCursor; cursor == "" {
				break
			}
		}
		if len(got) != len(ministries) {
			t.Fatalf("got %d ministries, want %d: %v", len(got), len(ministries), got)
		}
		seen := map[string]bool{}
		for _, id := range got {
			if seen[id] {
				t.Fatalf("%s listed twice", id)
			}
			seen[id] = true
		}
	})
	t.Run("ErrBadCursor", func(t *testing.T) {
		_, err := ix.Accounts(ctx, sankofa.AccountFilter{Cursor: "!!"})
		if !sankofa.IsCode(err, sankofa.Invalid) {
			t.Fatalf("err = %v, want invalid", err)
		}
	})
}

func TestIndex_Assignments(t *testing.T) {
	ctx := context.Background()
	ix := MustOpenIndex(t, t.TempDir())
	now := time.Now()
	add := func(id, owner string, st sankofa.AssignmentStatus, start sankofa.Date) {
		a := &sankofa.Assignment{ID: id, MinistryID: owner, Country: "GH", Status: st, CreatedAt: now,
			AssignmentInput: sankofa.AssignmentInput{Profession: "2222", Mode: sankofa.ModeOnsite, Start: start}}
		if err := ix.IndexAssignment(a); err != nil {
			t.Fatal(err)
		}
	}
	add("as_1", "min_a", sankofa.AssignmentOpen, "2027-01-10")
	add("as_2", "min_a", sankofa.AssignmentDraft, "2027-02-10")
	add("as_3", "min_b", sankofa.AssignmentDraft, "2027-03-10")
	add("as_4", "min_b", sankofa.AssignmentOpen, "2027-04-10")
	tests := []struct {
		name string
		f    sankofa.AssignmentFilter
		want []string
	}{
		{"OpenOnly", sankofa.AssignmentFilter{}, []string{"as_4", "as_1"}},
		{"OwnDrafts", sankofa.AssignmentFilter{OwnerID: "min_a"}, []string{"as_4", "as_2", "as_1"}},
		{"Admin", sankofa.AssignmentFilter{All: true}, []string{"as_4", "as_3", "as_2", "as_1"}},
		{"StartsAfter", sankofa.AssignmentFilter{All: true, StartsAfter: "2027-02-10"}, []string{"as_4", "as_3"}},
		{"Status", sankofa.AssignmentFilter{OwnerID: "min_b", Status: sankofa.AssignmentDraft}, []string{"as_3"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := ix.Assignments(ctx, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, p.IDs); diff != "" {
				t.Errorf("ids (-want +got):\n%s", diff)
			}
		})
	}
}
