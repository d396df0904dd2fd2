package store_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"sankofa"
	"sankofa/store"
)

// TestNotifications_PruneRacesMarkRead plays out, on the MongoDB paths, a
// person reading every notification of a page between the prune's read
// of that page and its count-off: the count must not go below zero.
func TestNotifications_PruneRacesMarkRead(t *testing.T) {
	ctx := context.Background()
	s := store.MongoPath(MustOpenStore(t))
	notes := addNotes(t, s, "acc_a", "k", 100, inboxT0)
	var fired atomic.Bool
	store.SetHook(s, func(at string) {
		if at != "prune: count off" || !fired.CompareAndSwap(false, true) {
			return
		}
		for _, n := range notes {
			if err := s.MarkNotificationRead(ctx, "acc_a", n.ID); err != nil {
				t.Errorf("mark %s read: %v", n.ID, err)
			}
		}
	})
	if err := s.PruneInbox(ctx, "acc_a", inboxT0.AddDate(0, 0, 1)); err != nil {
		t.Fatal(err)
	}
	if got, err := store.RawUnread(ctx, s, "acc_a"); err != nil || got != 0 {
		t.Fatalf("stored unread = %d, %v; want 0", got, err)
	}
	if got, err := s.NotificationsAfter(ctx, "acc_a", 0, 100); err != nil || len(got) != 0 {
		t.Fatalf("after prune = %d notifications, %v; want the page gone", len(got), err)
	}
}

// TestNotifications_ConcurrentPruneAndRead prunes an inbox's oldest page
// while its notifications are being marked read, all at once, on the
// MongoDB paths: the stored unread count never goes below zero. A hook
// holds the prune between its count and its write until two more
// notifications are read, so that the race is run every time.
func TestNotifications_ConcurrentPruneAndRead(t *testing.T) {
	ctx := context.Background()
	s := store.MongoPath(MustOpenStore(t))
	var marked atomic.Int32
	var readersDone atomic.Bool
	store.SetHook(s, func(at string) {
		if at != "prune: count off" {
			return
		}
		for from := marked.Load(); marked.Load() < from+2 && !readersDone.Load(); {
			time.Sleep(time.Millisecond)
		}
	})
	const readers, pageSize = 8, 100
	for round := range 3 {
		user := fmt.Sprintf("acc_%d", round)
		// Page 0 full and one more, so that page 0 may go.
		notes := addNotes(t, s, user, "k", pageSize+1, inboxT0)
		marked.Store(0)
		readersDone.Store(false)
		var readersWG, wg sync.WaitGroup
		for w := range readers {
			readersWG.Go(func() {
				for i := w; i < pageSize; i += readers {
					err := s.MarkNotificationRead(ctx, user, notes[i].ID)
					// not_found: pruned; "keeps changing": the page's
					// compare-and-set lost to the other readers too often.
					if err != nil && !sankofa.IsCode(err, sankofa.NotFound) && !isRaced(err) {
						t.Errorf("mark %s read: %v", notes[i].ID, err)
					}
					marked.Add(1)
				}
			})
		}
		wg.Go(func() {
			for marked.Load() < readers && !readersDone.Load() {
				time.Sleep(time.Millisecond)
			}
			// "keeps changing" is a prune that gave way to the readers.
			if err := s.PruneInbox(ctx, user, inboxT0.AddDate(0, 0, 1)); err != nil && !isRaced(err) {
				t.Errorf("prune: %v", err)
			}
		})
		readersWG.Wait()
		readersDone.Store(true)
		wg.Wait()
		if got, err := store.RawUnread(ctx, s, user); err != nil || got < 0 {
			t.Fatalf("%s: stored unread = %d, %v; want at least 0", user, got, err)
		}
	}
}

func isRaced(err error) bool {
	return err != nil && strings.Contains(err.Error(), "keeps changing")
}
