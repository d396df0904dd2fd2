package store_test

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"sankofa"
	"sankofa/store"
)

// The embedded store answers Account and Profile from memory once it has
// written or read them. After every kind of write (create, update, a
// write refused as stale, a tombstone, outbox acknowledgements, an
// erasure) what it answers is what the database holds, read directly.
func TestDocCache_AnswersWhatIsStored(t *testing.T) {
	ctx := context.Background()
	s := MustOpenStore(t)
	db := store.MongoPath(s) // reads the database, no caches
	same := func(step string) {
		t.Helper()
		a, errA := s.Account(ctx, "acc_1")
		b, errB := db.Account(ctx, "acc_1")
		if fmt.Sprint(errA) != fmt.Sprint(errB) || !reflect.DeepEqual(a, b) {
			t.Fatalf("%s: account from the store %+v (%v), in the database %+v (%v)", step, a, errA, b, errB)
		}
		p, vp, errP := s.ProfileSlot(ctx, sankofa.ProfileIDFor("acc_1"))
		q, vq, errQ := db.ProfileSlot(ctx, sankofa.ProfileIDFor("acc_1"))
		if fmt.Sprint(errP) != fmt.Sprint(errQ) || vp != vq || !reflect.DeepEqual(p, q) {
			t.Fatalf("%s: profile from the store v%d %+v (%v), in the database v%d %+v (%v)", step, vp, p, errP, vq, q, errQ)
		}
	}
	same("nothing yet")
	a, ev := newAccount(t, "acc_1", "ama@example.org")
	if _, err := s.CreateAccount(ctx, a, ev); err != nil {
		t.Fatal(err)
	}
	same("account created")
	a.Name, a.Version = "Ama Owusu", 2
	pe, err := s.UpdateAccount(ctx, a, event(t, "account", "updated", a.ID, 2, a))
	if err != nil {
		t.Fatal(err)
	}
	same("account updated")
	stale := *a
	stale.Name = "stale"
	if _, err := s.UpdateAccount(ctx, &stale, event(t, "account", "updated", a.ID, 2, &stale)); !sankofa.IsCode(err, sankofa.PreconditionFailed) {
		t.Fatalf("a stale write: %v", err)
	}
	same("a stale write refused")
	if err := s.Ack(ctx, pe); err != nil {
		t.Fatal(err)
	}
	if err := s.FlushAcks(ctx, 0); err != nil {
		t.Fatal(err)
	}
	same("acknowledgements written")

	p := newProfile(1)
	if _, err := s.SaveProfile(ctx, p, event(t, "profile", "created", p.ID, 1, p)); err != nil {
		t.Fatal(err)
	}
	same("profile created")
	p.Skills, p.Version = []string{"neonatal resuscitation"}, 2
	if _, err := s.SaveProfile(ctx, p, event(t, "profile", "updated", p.ID, 2, p)); err != nil {
		t.Fatal(err)
	}
	same("profile updated")
	if _, err := s.DeleteProfile(ctx, p, event(t, "profile", "deleted", p.ID, 3, nil)); err != nil {
		t.Fatal(err)
	}
	same("profile deleted")
	if err := s.DeleteAccountRecords(ctx, a); err != nil {
		t.Fatal(err)
	}
	same("account erased")
	if _, err := s.Account(ctx, a.ID); !sankofa.IsCode(err, sankofa.NotFound) {
		t.Fatalf("an erased account reads %v", err)
	}
}

// Writers that read their own account right after each write see that
// write, while others write beside them (run under the race detector).
func TestDocCache_ReadsOwnWrites(t *testing.T) {
	ctx := context.Background()
	s := MustOpenStore(t)
	const writers, writes = 6, 15
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := fmt.Sprintf("acc_%d", w)
			a, ev := newAccount(t, id, id+"@example.org")
			if _, err := s.CreateAccount(ctx, a, ev); err != nil {
				errs <- err
				return
			}
			for v := int64(2); v <= writes; v++ {
				a.Name, a.Version, a.UpdatedAt = fmt.Sprintf("name %d", v), v, time.Now().UTC().Truncate(time.Millisecond)
				ev, err := sankofa.NewEvent("account", "updated", id, v, "", time.Now(), a)
				if err != nil {
					errs <- err
					return
				}
				if _, err := s.UpdateAccount(ctx, a, ev); err != nil {
					errs <- err
					return
				}
				got, err := s.Account(ctx, id)
				if err != nil || got.Version != v || got.Name != a.Name {
					errs <- fmt.Errorf("%s after writing version %d reads %+v, %v", id, v, got, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
