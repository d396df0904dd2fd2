package search_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"sankofa"
	"sankofa/search"
)

// writer indexes version v of one document of a kind, directly or as the
// indexer consumer would, through Apply.
type writer struct {
	kind, id string
	put      func(ix *search.Index, v int64) error
}

func writers(t *testing.T) []writer {
	created := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	account := func(v int64) *sankofa.Account {
		return &sankofa.Account{ID: "acc_1", Role: sankofa.RoleMinistry, Status: sankofa.StatusActive, Version: v, CreatedAt: created}
	}
	assignment := func(v int64) *sankofa.Assignment {
		return &sankofa.Assignment{ID: "asg_1", MinistryID: "acc_1", Country: "GH", Status: sankofa.AssignmentOpen, Version: v, CreatedAt: created,
			AssignmentInput: sankofa.AssignmentInput{Profession: "2222", Mode: sankofa.ModeOnsite, Start: "2027-01-10"}}
	}
	offer := func(v int64) *sankofa.Offer {
		return &sankofa.Offer{ID: "off_1", AssignmentID: "asg_1", Status: sankofa.OfferPending, Version: v, CreatedAt: created, ExpiresAt: created.Add(time.Hour)}
	}
	apply := func(kind, id string, snapshot func(v int64) any) func(*search.Index, int64) error {
		return func(ix *search.Index, v int64) error {
			ev, err := sankofa.NewEvent(kind, "updated", id, v, "", created, snapshot(v))
			if err != nil {
				t.Fatal(err)
			}
			return ix.Apply(context.Background(), ev)
		}
	}
	return []writer{
		{"account", "acc_1", func(ix *search.Index, v int64) error { return ix.IndexAccount(account(v)) }},
		{"assignment", "asg_1", func(ix *search.Index, v int64) error { return ix.IndexAssignment(assignment(v)) }},
		{"offer", "off_1", func(ix *search.Index, v int64) error { return ix.IndexOffer(offer(v)) }},
		{"profile", "pro_9", func(ix *search.Index, v int64) error { return ix.IndexProfile(profileAt(v), true) }},
		{"account", "acc_1", apply("account", "acc_1", func(v int64) any { return account(v) })},
		{"assignment", "asg_1", apply("assignment", "asg_1", func(v int64) any { return assignment(v) })},
		{"offer", "off_1", apply("offer", "off_1", func(v int64) any { return offer(v) })},
		{"profile", "pro_9", apply("profile", "pro_9", func(v int64) any { return profileAt(v) })},
	}
}

func profileAt(v int64) *sankofa.Profile {
	return &sankofa.Profile{ID: "pro_9", AccountID: "acc_9", Version: v,
		ProfileInput: sankofa.ProfileInput{FullName: fmt.Sprintf("Ama v%d", v), Profession: "2222", ShareWith: []string{"GH"}}}
}

func name(w writer, i int) string {
	if i >= 4 {
		return w.kind + "/Apply"
	}
	return w.kind
}

func wantVersion(t *testing.T, ix *search.Index, kind, id string, want int64) {
	t.Helper()
	got, ok := search.IndexedVersion(ix, kind, id)
	if want == 0 && ok {
		t.Fatalf("%s %s is indexed at version %d; want it absent", kind, id, got)
	}
	if want > 0 && (!ok || got != want) {
		t.Fatalf("%s %s is indexed at version %d (present %v); want %d", kind, id, got, ok, want)
	}
}

// TestIndex_OnlyNewer: a late or repeated write of an older or equal
// version leaves the newer one.
func TestIndex_OnlyNewer(t *testing.T) {
	for i, w := range writers(t) {
		t.Run(name(w, i), func(t *testing.T) {
			ix := MustOpenIndex(t, t.TempDir())
			for _, v := range []int64{4, 3, 4, 1} {
				if err := w.put(ix, v); err != nil {
					t.Fatal(err)
				}
			}
			wantVersion(t, ix, w.kind, w.id, 4)
			if err := w.put(ix, 5); err != nil {
				t.Fatal(err)
			}
			wantVersion(t, ix, w.kind, w.id, 5)
		})
	}
}

// TestIndex_ConcurrentWriters: two writers of one document, v3 and v4,
// race; the index ends with v4. The v3 writer is held between its check
// and its write until the v4 writer is done (or, when the v4 writer waits
// for it, as it should, for a moment).
func TestIndex_ConcurrentWriters(t *testing.T) {
	for i, w := range writers(t) {
		t.Run(name(w, i), func(t *testing.T) {
			ix := MustOpenIndex(t, t.TempDir())
			checked, newerDone := make(chan struct{}), make(chan struct{})
			var first atomic.Bool
			search.SetCheckedHook(ix, func(string) {
				if !first.CompareAndSwap(false, true) {
					return
				}
				close(checked)
				select {
				case <-newerDone:
				case <-time.After(200 * time.Millisecond):
				}
			})
			var wg sync.WaitGroup
			wg.Go(func() {
				if err := w.put(ix, 3); err != nil {
					t.Error(err)
				}
			})
			<-checked
			wg.Go(func() {
				defer close(newerDone)
				if err := w.put(ix, 4); err != nil {
					t.Error(err)
				}
			})
			wg.Wait()
			wantVersion(t, ix, w.kind, w.id, 4)
		})
	}
}

// TestIndex_ManyWriters: writers index every version of one document in
// random orders at once; the index ends with the last.
func TestIndex_ManyWriters(t *testing.T) {
	const versions = 30
	for i, w := range writers(t) {
		t.Run(name(w, i), func(t *testing.T) {
			ix := MustOpenIndex(t, t.TempDir())
			var wg sync.WaitGroup
			for range 6 {
				order := rand.Perm(versions)
				wg.Go(func() {
					for _, v := range order {
						if err := w.put(ix, int64(v+1)); err != nil {
							t.Error(err)
						}
					}
				})
			}
			wg.Wait()
			wantVersion(t, ix, w.kind, w.id, versions)
		})
	}
}

// TestIndex_DeletedStaysDeleted: a profile deleted at version 6 is not
// brought back by a late write of version 5 or below, but a profile
// created again later, at version 7, is indexed and stays.
func TestIndex_DeletedStaysDeleted(t *testing.T) {
	ctx := context.Background()
	ix := MustOpenIndex(t, t.TempDir())
	put := func(v int64) {
		t.Helper()
		if err := ix.IndexProfile(profileAt(v), true); err != nil {
			t.Fatal(err)
		}
	}
	put(5)
	if err := ix.DeleteProfile("pro_9", 6); err != nil {
		t.Fatal(err)
	}
	wantVersion(t, ix, "profile", "pro_9", 0)
	put(5)
	ev, err := sankofa.NewEvent("profile", "updated", "pro_9", 4, "", time.Now(), profileAt(4))
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Apply(ctx, ev); err != nil {
		t.Fatal(err)
	}
	wantVersion(t, ix, "profile", "pro_9", 0)
	put(7)
	wantVersion(t, ix, "profile", "pro_9", 7)
	// The delete, replayed.
	if err := ix.DeleteProfile("pro_9", 6); err != nil {
		t.Fatal(err)
	}
	del, err := sankofa.NewEvent("profile", "deleted", "pro_9", 6, "", time.Now(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Apply(ctx, del); err != nil {
		t.Fatal(err)
	}
	wantVersion(t, ix, "profile", "pro_9", 7)
}

// TestIndex_RebuildKeepsDeletions: a rebuild records the profiles deleted
// in the store, so that an older event replayed after it cannot bring one
// back.
func TestIndex_RebuildKeepsDeletions(t *testing.T) {
	ix := MustOpenIndex(t, t.TempDir())
	b := ix.NewBulk()
	if err := b.AddDeletedProfile("pro_9", 6); err != nil {
		t.Fatal(err)
	}
	if err := b.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := ix.IndexProfile(profileAt(5), true); err != nil {
		t.Fatal(err)
	}
	wantVersion(t, ix, "profile", "pro_9", 0)
	if err := ix.IndexProfile(profileAt(7), true); err != nil {
		t.Fatal(err)
	}
	wantVersion(t, ix, "profile", "pro_9", 7)
}

// TestIndex_AccountStateOnlyForward: a profile is matched while its
// account is active, and a late write of an older account state (or of
// the profile with it) does not undo a suspension.
func TestIndex_AccountStateOnlyForward(t *testing.T) {
	ctx := context.Background()
	ix := MustOpenIndex(t, t.TempDir())
	acc := func(v int64, st sankofa.AccountStatus) *sankofa.Account {
		return &sankofa.Account{ID: "acc_9", Role: sankofa.RoleProfessional, Status: st, Version: v}
	}
	wantActive := func(want bool, version int64) {
		t.Helper()
		if got := search.ProfileActive(ix, "pro_9"); got != want {
			t.Fatalf("profile active = %v; want %v", got, want)
		}
		wantVersion(t, ix, "profile", "pro_9", version)
	}
	if err := ix.IndexAccount(acc(1, sankofa.StatusActive)); err != nil {
		t.Fatal(err)
	}
	if err := ix.IndexProfile(profileAt(3), true); err != nil {
		t.Fatal(err)
	}
	wantActive(true, 3)
	// Suspended: the dispatcher indexes the account, then its profile.
	if err := ix.IndexAccount(acc(2, sankofa.StatusSuspended)); err != nil {
		t.Fatal(err)
	}
	if err := ix.IndexProfile(profileAt(3), false); err != nil {
		t.Fatal(err)
	}
	wantActive(false, 3)
	// Late: the account's version 1, then the profile with it, and an
	// older profile snapshot.
	if err := ix.IndexAccount(acc(1, sankofa.StatusActive)); err != nil {
		t.Fatal(err)
	}
	if err := ix.IndexProfile(profileAt(3), true); err != nil {
		t.Fatal(err)
	}
	if err := ix.IndexProfile(profileAt(2), true); err != nil {
		t.Fatal(err)
	}
	wantActive(false, 3)
	// Reactivated, through the indexer consumer.
	ev, err := sankofa.NewEvent("account", "updated", "acc_9", 3, "", time.Now(), acc(3, sankofa.StatusActive))
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Apply(ctx, ev); err != nil {
		t.Fatal(err)
	}
	wantActive(true, 3)
}
