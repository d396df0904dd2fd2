package store_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"sankofa"
	"sankofa/store"
)

// MustOpenStore starts a store on embedded FerretDB in a temporary
// directory and closes it when the test ends.
func MustOpenStore(tb testing.TB) *store.Store {
	tb.Helper()
	return mustOpenAt(tb, tb.TempDir())
}

func mustOpenAt(tb testing.TB, dir string) *store.Store {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := store.Open(ctx, store.Config{DataDir: dir, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	tb.Cleanup(func() { s.Close(context.Background()) })
	return s
}

func newProfile(i int) *sankofa.Profile {
	now := time.Now().UTC().Truncate(time.Millisecond)
	p := &sankofa.Profile{
		ID:        sankofa.ProfileIDFor(fmt.Sprintf("acc_%d", i)),
		AccountID: fmt.Sprintf("acc_%d", i),
		ProfileInput: sankofa.ProfileInput{
			FullName: fmt.Sprintf("Ama Mensah %d", i), Profession: "2222",
			Languages:     []sankofa.Language{{Code: "en", Level: "C2"}},
			OriginCountry: "GH", ResidenceCountry: "GB", Timezone: "Europe/London",
			Modes: []sankofa.Mode{sankofa.ModeOnsite}, Skills: []string{"caesarean section"},
		},
		Version: 1, CreatedAt: now, UpdatedAt: now,
	}
	p.Normalize()
	return p
}

func event(tb testing.TB, kind, action, id string, version int64, v any) sankofa.Event {
	tb.Helper()
	ev, err := sankofa.NewEvent(kind, action, id, version, "", time.Now(), v)
	if err != nil {
		tb.Fatal(err)
	}
	return ev
}

func TestProfiles_CRUD(t *testing.T) {
	ctx := context.Background()
	s := MustOpenStore(t)
	p := newProfile(1)
	pend, err := s.SaveProfile(ctx, p, event(t, "profile", "created", p.ID, 1, p))
	if err != nil {
		t.Fatal(err)
	}
	t.Run("OK", func(t *testing.T) {
		got, err := s.Profile(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.FullName != p.FullName || got.Version != 1 || got.Skills[0] != "caesarean section" {
			t.Fatalf("got %+v", got)
		}
	})
	t.Run("ErrConflict", func(t *testing.T) {
		_, err := s.SaveProfile(ctx, p, event(t, "profile", "created", p.ID, 1, p))
		if !sankofa.IsCode(err, sankofa.Conflict) {
			t.Fatalf("err = %v, want conflict", err)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := s.Profile(ctx, "pro_missing")
		if !sankofa.IsCode(err, sankofa.NotFound) {
			t.Fatalf("err = %v, want not_found", err)
		}
	})
	t.Run("ErrPreconditionFailed", func(t *testing.T) {
		stale := *p
		stale.Version = 5
		_, err := s.SaveProfile(ctx, &stale, event(t, "profile", "updated", p.ID, 5, p))
		if !sankofa.IsCode(err, sankofa.PreconditionFailed) {
			t.Fatalf("err = %v, want precondition_failed", err)
		}
	})
	t.Run("AckClearsOutbox", func(t *testing.T) {
		if err := s.Ack(ctx, pend); err != nil {
			t.Fatal(err)
		}
		left, err := s.Recover(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(left) != 0 {
			t.Fatalf("outbox still holds %d events", len(left))
		}
	})
	t.Run("Delete", func(t *testing.T) {
		if _, err := s.DeleteProfile(ctx, p, event(t, "profile", "deleted", p.ID, 2, nil)); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Profile(ctx, p.ID); !sankofa.IsCode(err, sankofa.NotFound) {
			t.Fatalf("err = %v, want not_found", err)
		}
		got, version, err := s.ProfileSlot(ctx, p.ID)
		if got != nil || version != 2 || err != nil {
			t.Fatalf("slot = %v, %d, %v; want a tombstone at version 2", got, version, err)
		}
		again := *p
		again.Version = 3
		if _, err := s.SaveProfile(ctx, &again, event(t, "profile", "created", p.ID, 3, p)); err != nil {
			t.Fatalf("re-create over the tombstone: %v", err)
		}
		count := 0
		s.EachProfile(ctx, func(*sankofa.Profile) error { count++; return nil })
		if count != 1 {
			t.Fatalf("EachProfile saw %d, want 1", count)
		}
	})
}

// TestProfiles_ConcurrentWriters shows that no write is lost when 20
// writers update one record at once, each retrying on a stale version.
func TestProfiles_ConcurrentWriters(t *testing.T) {
	ctx := context.Background()
	s := MustOpenStore(t)
	p := newProfile(1)
	if _, err := s.SaveProfile(ctx, p, event(t, "profile", "created", p.ID, 1, p)); err != nil {
		t.Fatal(err)
	}
	const writers, each = 20, 5
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; {
				cur, err := s.Profile(ctx, p.ID)
				if err != nil {
					errs <- err
					return
				}
				cur.Skills = append(cur.Skills, fmt.Sprintf("skill-%d-%d", w, i))
				cur.Version++
				_, err = s.SaveProfile(ctx, cur, event(t, "profile", "updated", p.ID, cur.Version, cur))
				if sankofa.IsCode(err, sankofa.PreconditionFailed) {
					continue
				}
				if err != nil {
					errs <- err
					return
				}
				i++
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	got, err := s.Profile(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := int64(1 + writers*each); got.Version != want {
		t.Errorf("version = %d, want %d", got.Version, want)
	}
	if want := 1 + writers*each; len(got.Skills) != want {
		t.Errorf("%d skills, want %d: a write was lost", len(got.Skills), want)
	}
}

// TestOutbox_Recover shows that an event whose publication never happened
// (the process died after the write) is found again after a restart, that
// a failed write leaves no event behind, and that a clean shutdown with
// every event acknowledged lets the next start skip the scan.
func TestOutbox_Recover(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := mustOpenAt(t, dir)
	p := newProfile(1)
	ev := event(t, "profile", "created", p.ID, 1, p)
	if _, err := s.SaveProfile(ctx, p, ev); err != nil {
		t.Fatal(err)
	}
	// A second create of the same id fails and must leave no event behind.
	if _, err := s.SaveProfile(ctx, p, ev); !sankofa.IsCode(err, sankofa.Conflict) {
		t.Fatalf("err = %v", err)
	}
	// A stale update fails too.
	stale := *p
	stale.Version = 5
	if _, err := s.SaveProfile(ctx, &stale, event(t, "profile", "updated", p.ID, 5, &stale)); !sankofa.IsCode(err, sankofa.PreconditionFailed) {
		t.Fatalf("stale update: err = %v", err)
	}
	s.Close(ctx) // "crash": no Ack happened

	s = mustOpenAt(t, dir)
	got, err := s.Recover(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Event.ID != p.ID+":1" {
		t.Fatalf("recovered %+v, want the one create event", got)
	}
	if cur, ok := got[0].Current.(*sankofa.Profile); !ok || cur.ID != p.ID {
		t.Fatalf("current = %#v", got[0].Current)
	}
	if err := s.Ack(ctx, got[0]); err != nil {
		t.Fatal(err)
	}
	if again, _ := s.Recover(ctx, 0); len(again) != 0 {
		t.Fatalf("after ack, recovered %d", len(again))
	}

	// Two updates, the first acknowledged: only the second is pending,
	// and it survives a restart even though the entity was rewritten.
	for v := int64(2); v <= 3; v++ {
		next := *p
		next.Version = v
		pe, err := s.SaveProfile(ctx, &next, event(t, "profile", "updated", p.ID, v, &next))
		if err != nil {
			t.Fatal(err)
		}
		if v == 2 {
			if err := s.Ack(ctx, pe); err != nil {
				t.Fatal(err)
			}
		}
	}
	s.Close(ctx)
	s = mustOpenAt(t, dir)
	got, err = s.Recover(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Event.ID != p.ID+":3" {
		t.Fatalf("recovered %v, want only %s:3", eventIDs(got), p.ID)
	}
	if err := s.Ack(ctx, got[0]); err != nil {
		t.Fatal(err)
	}
	s.Close(ctx) // clean: everything acknowledged
	if _, err := os.Stat(filepath.Join(dir, "ferretdb", "clean-shutdown")); err != nil {
		t.Fatalf("clean shutdown not recorded: %v", err)
	}
	s = mustOpenAt(t, dir)
	if got, err := s.Recover(ctx, 0); err != nil || len(got) != 0 {
		t.Fatalf("after a clean shutdown, recovered %v, %v", eventIDs(got), err)
	}
}

// TestOutbox_GraceLeavesFreshEvents shows the relay leaves an event alone
// while its writer may still be publishing it.
func TestOutbox_GraceLeavesFreshEvents(t *testing.T) {
	ctx := context.Background()
	s := MustOpenStore(t)
	p := newProfile(2)
	if _, err := s.SaveProfile(ctx, p, event(t, "profile", "created", p.ID, 1, p)); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Recover(ctx, time.Hour); len(got) != 0 {
		t.Fatalf("a fresh event was handed to the relay: %v", eventIDs(got))
	}
	if got, _ := s.Recover(ctx, 0); len(got) != 1 {
		t.Fatalf("recovered %v, want the create", eventIDs(got))
	}
}

func eventIDs(ps []sankofa.PendingEvent) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Event.ID)
	}
	return out
}
