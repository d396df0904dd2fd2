package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"sankofa"
	"sankofa/store"
)

// inboxModes runs a sequential test on the embedded store's code paths
// and on the MongoDB ones (store.AtomicOps), both against FerretDB.
func inboxModes(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Run("embedded", func(t *testing.T) { fn(t, MustOpenStore(t)) })
	t.Run("atomic", func(t *testing.T) { fn(t, store.AtomicOps(MustOpenStore(t))) })
}

var inboxT0 = time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)

// addNotes delivers n notifications to user with keys "<prefix><i>",
// created a minute apart from at.
func addNotes(t *testing.T, s *store.Store, user, prefix string, n int, at time.Time) []sankofa.Notification {
	t.Helper()
	var out []sankofa.Notification
	for i := range n {
		note := &sankofa.Notification{
			UserID: user, Kind: sankofa.NoteOfferReceived, Key: fmt.Sprintf("%s%d", prefix, i),
			Title: fmt.Sprintf("offer %s%d", prefix, i), Data: map[string]string{"offer_id": fmt.Sprint(i)},
			CreatedAt: at.Add(time.Duration(i) * time.Minute),
		}
		added, err := s.AddNotification(context.Background(), note)
		if err != nil || !added {
			t.Fatalf("add %d: added = %v, err = %v", i, added, err)
		}
		out = append(out, *note)
	}
	return out
}

func seqs(items []sankofa.Notification) []int64 {
	out := []int64{}
	for _, n := range items {
		out = append(out, n.Seq)
	}
	return out
}

func seqRange(from, to int64) []int64 {
	out := []int64{}
	step := int64(1)
	if from > to {
		step = -1
	}
	for i := from; ; i += step {
		out = append(out, i)
		if i == to {
			return out
		}
	}
}

func wantUnread(t *testing.T, s *store.Store, user string, want int) {
	t.Helper()
	got, err := s.UnreadCount(context.Background(), user)
	if err != nil || got != want {
		t.Fatalf("unread = %d, %v; want %d", got, err, want)
	}
}

func wantField(t *testing.T, err error, field string) {
	t.Helper()
	var e *sankofa.Error
	if !errors.As(err, &e) || e.Code != sankofa.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != field {
		t.Fatalf("err = %v; want invalid %s", err, field)
	}
}

func TestNotifications_List(t *testing.T) {
	inboxModes(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		added := addNotes(t, s, "acc_a", "k", 250, inboxT0)
		addNotes(t, s, "acc_b", "k", 3, inboxT0)

		t.Run("OK", func(t *testing.T) {
			var got []sankofa.Notification
			cursor := ""
			for range 10 {
				page, err := s.Notifications(ctx, "acc_a", false, cursor, 100, time.Time{})
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, page.Items...)
				if cursor = page.NextCursor; cursor == "" {
					break
				}
			}
			if diff := cmp.Diff(seqRange(250, 1), seqs(got)); diff != "" {
				t.Fatalf("seqs (-want +got):\n%s", diff)
			}
			want := added[249]
			if diff := cmp.Diff(want, got[0]); diff != "" {
				t.Fatalf("newest (-want +got):\n%s", diff)
			}
			if want.ID != "acc_a-250" || want.Seq != 250 {
				t.Fatalf("AddNotification filled id %q seq %d", want.ID, want.Seq)
			}
		})
		t.Run("DefaultLimit", func(t *testing.T) {
			page, err := s.Notifications(ctx, "acc_a", false, "", 0, time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(seqRange(250, 231), seqs(page.Items)); diff != "" || page.NextCursor == "" {
				t.Fatalf("cursor %q, seqs (-want +got):\n%s", page.NextCursor, diff)
			}
		})
		t.Run("CursorStable", func(t *testing.T) {
			first, err := s.Notifications(ctx, "acc_b", false, "", 2, time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			addNotes(t, s, "acc_b", "late", 2, inboxT0.Add(time.Hour))
			next, err := s.Notifications(ctx, "acc_b", false, first.NextCursor, 2, time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]int64{1}, seqs(next.Items)); diff != "" || next.NextCursor != "" {
				t.Fatalf("cursor %q, seqs (-want +got):\n%s", next.NextCursor, diff)
			}
		})
		t.Run("Since", func(t *testing.T) {
			// Keep the last 30 minutes of acc_a's notifications: 220..250.
			page, err := s.Notifications(ctx, "acc_a", false, "", 100, inboxT0.Add(219*time.Minute))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(seqRange(250, 220), seqs(page.Items)); diff != "" || page.NextCursor != "" {
				t.Fatalf("cursor %q, seqs (-want +got):\n%s", page.NextCursor, diff)
			}
		})
		t.Run("Empty", func(t *testing.T) {
			page, err := s.Notifications(ctx, "acc_nobody", false, "", 0, time.Time{})
			if err != nil || len(page.Items) != 0 || page.Items == nil || page.NextCursor != "" {
				t.Fatalf("page = %+v, %v; want empty items", page, err)
			}
		})
		t.Run("ErrInvalid", func(t *testing.T) {
			for _, c := range []string{"garbage!", "YmVmb3JlOng", "MTIz", "YmVmb3JlOi0x"} {
				_, err := s.Notifications(ctx, "acc_a", false, c, 0, time.Time{})
				wantField(t, err, "cursor")
			}
			_, err := s.Notifications(ctx, "acc_a", false, "", 101, time.Time{})
			wantField(t, err, "limit")
		})
	})
}

func TestNotifications_Idempotent(t *testing.T) {
	inboxModes(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		first := &sankofa.Notification{UserID: "acc_a", Kind: sankofa.NoteOfferReceived, Title: "first", Key: "offer:1"}
		if added, err := s.AddNotification(ctx, first); err != nil || !added {
			t.Fatalf("added = %v, err = %v", added, err)
		}
		dup := &sankofa.Notification{UserID: "acc_a", Kind: sankofa.NoteOfferReceived, Title: "again", Key: "offer:1"}
		added, err := s.AddNotification(ctx, dup)
		if err != nil || added {
			t.Fatalf("added = %v, err = %v; want a duplicate", added, err)
		}
		if diff := cmp.Diff(*first, *dup); diff != "" {
			t.Fatalf("duplicate not filled with the stored one (-want +got):\n%s", diff)
		}
		// The same key for someone else is another notification.
		other := &sankofa.Notification{UserID: "acc_b", Kind: sankofa.NoteOfferReceived, Key: "offer:1"}
		if added, err := s.AddNotification(ctx, other); err != nil || !added || other.Seq != 1 {
			t.Fatalf("added = %v, err = %v, seq %d", added, err, other.Seq)
		}
		page, err := s.Notifications(ctx, "acc_a", false, "", 0, time.Time{})
		if err != nil || len(page.Items) != 1 {
			t.Fatalf("inbox = %+v, %v; want one notification", page.Items, err)
		}
		wantUnread(t, s, "acc_a", 1)
		if _, err := s.AddNotification(ctx, &sankofa.Notification{Key: "x"}); !sankofa.IsCode(err, sankofa.Invalid) {
			t.Fatalf("err = %v; want invalid for no user", err)
		}
	})
}

func TestNotifications_Read(t *testing.T) {
	inboxModes(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		notes := addNotes(t, s, "acc_a", "k", 120, inboxT0)
		wantUnread(t, s, "acc_a", 120)

		t.Run("One", func(t *testing.T) {
			for range 2 { // twice is fine and counts once
				if err := s.MarkNotificationRead(ctx, "acc_a", notes[109].ID); err != nil {
					t.Fatal(err)
				}
			}
			if err := s.MarkNotificationRead(ctx, "acc_a", notes[5].ID); err != nil {
				t.Fatal(err)
			}
			wantUnread(t, s, "acc_a", 118)
			page, err := s.Notifications(ctx, "acc_a", true, "", 100, time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			var want []int64
			for seq := int64(120); len(want) < 100; seq-- {
				if seq != 110 {
					want = append(want, seq)
				}
			}
			if diff := cmp.Diff(want, seqs(page.Items)); diff != "" {
				t.Fatalf("unread seqs (-want +got):\n%s", diff)
			}
			rest, err := s.Notifications(ctx, "acc_a", true, page.NextCursor, 100, time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			if len(rest.Items) != 18 || rest.NextCursor != "" {
				t.Fatalf("rest = %d items, cursor %q; want 18 and none", len(rest.Items), rest.NextCursor)
			}
			all, err := s.NotificationsAfter(ctx, "acc_a", 109, 1)
			if err != nil || len(all) != 1 || !all[0].Read {
				t.Fatalf("after 109 = %+v, %v; want 110 read", all, err)
			}
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			b := addNotes(t, s, "acc_b", "k", 1, inboxT0)
			for _, id := range []string{b[0].ID, "acc_a-999", "acc_a-0", "acc_a-x", "acc_a", "", "acc_a-+5", "acc_a-" + b[0].ID} {
				if err := s.MarkNotificationRead(ctx, "acc_a", id); !sankofa.IsCode(err, sankofa.NotFound) {
					t.Errorf("mark %q: err = %v; want not_found", id, err)
				}
				if err := s.UpdateNotification(ctx, "acc_a", id, "t", "b", nil); !sankofa.IsCode(err, sankofa.NotFound) {
					t.Errorf("update %q: err = %v; want not_found", id, err)
				}
			}
			wantUnread(t, s, "acc_b", 1)
		})
		t.Run("All", func(t *testing.T) {
			if err := s.MarkAllNotificationsRead(ctx, "acc_a"); err != nil {
				t.Fatal(err)
			}
			wantUnread(t, s, "acc_a", 0)
			page, err := s.Notifications(ctx, "acc_a", true, "", 0, time.Time{})
			if err != nil || len(page.Items) != 0 || page.NextCursor != "" {
				t.Fatalf("unread after read-all = %+v, %v", page, err)
			}
			// Marking one already covered by read-all counts nothing.
			if err := s.MarkNotificationRead(ctx, "acc_a", notes[0].ID); err != nil {
				t.Fatal(err)
			}
			more := addNotes(t, s, "acc_a", "new", 2, inboxT0.Add(time.Hour))
			wantUnread(t, s, "acc_a", 2)
			if err := s.MarkNotificationRead(ctx, "acc_a", more[0].ID); err != nil {
				t.Fatal(err)
			}
			wantUnread(t, s, "acc_a", 1)
			page, err = s.Notifications(ctx, "acc_a", true, "", 0, time.Time{})
			if err != nil || len(page.Items) != 1 || page.Items[0].ID != more[1].ID || page.Items[0].Read {
				t.Fatalf("unread = %+v, %v; want %s", page.Items, err, more[1].ID)
			}
			if err := s.MarkAllNotificationsRead(ctx, "acc_nobody"); err != nil {
				t.Fatal(err)
			}
		})
	})
}

func TestNotifications_After(t *testing.T) {
	inboxModes(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		addNotes(t, s, "acc_a", "k", 130, inboxT0)
		for _, tc := range []struct {
			after int64
			limit int
			want  []int64
		}{
			{0, 5, seqRange(1, 5)},
			{95, 10, seqRange(96, 105)},
			{120, 0, seqRange(121, 130)},
			{0, 0, seqRange(1, 100)},
			{130, 10, []int64{}},
			{500, 10, []int64{}},
		} {
			got, err := s.NotificationsAfter(ctx, "acc_a", tc.after, tc.limit)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, seqs(got)); diff != "" {
				t.Errorf("after %d limit %d (-want +got):\n%s", tc.after, tc.limit, diff)
			}
		}
		if seq, err := s.LastNotificationSeq(ctx, "acc_a"); err != nil || seq != 130 {
			t.Fatalf("last seq = %d, %v", seq, err)
		}
		if seq, err := s.LastNotificationSeq(ctx, "acc_nobody"); err != nil || seq != 0 {
			t.Fatalf("last seq = %d, %v", seq, err)
		}
	})
}

// TestNotifications_Concurrent runs on the embedded paths only: FerretDB
// does not make the MongoDB paths' operators atomic.
func TestNotifications_Concurrent(t *testing.T) {
	ctx := context.Background()
	s := MustOpenStore(t)
	t.Run("DistinctKeys", func(t *testing.T) {
		var wg sync.WaitGroup
		got := make([]int64, 20)
		for i := range 20 {
			wg.Go(func() {
				n := &sankofa.Notification{UserID: "acc_a", Kind: sankofa.NoteInterest, Key: fmt.Sprint("k", i)}
				if added, err := s.AddNotification(ctx, n); err != nil || !added {
					t.Errorf("add %d: added = %v, err = %v", i, added, err)
				}
				got[i] = n.Seq
			})
		}
		wg.Wait()
		seen := map[int64]bool{}
		for _, seq := range got {
			if seq < 1 || seq > 20 || seen[seq] {
				t.Fatalf("seqs = %v; want 1..20 once each", got)
			}
			seen[seq] = true
		}
		page, err := s.Notifications(ctx, "acc_a", false, "", 100, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(seqRange(20, 1), seqs(page.Items)); diff != "" {
			t.Fatalf("stored seqs (-want +got):\n%s", diff)
		}
		wantUnread(t, s, "acc_a", 20)
	})
	t.Run("SameKey", func(t *testing.T) {
		var wg sync.WaitGroup
		var mu sync.Mutex
		var added int
		ids := map[string]bool{}
		for range 20 {
			wg.Go(func() {
				n := &sankofa.Notification{UserID: "acc_b", Kind: sankofa.NoteInterest, Key: "same"}
				ok, err := s.AddNotification(ctx, n)
				if err != nil {
					t.Error(err)
				}
				mu.Lock()
				defer mu.Unlock()
				if ok {
					added++
				}
				ids[n.ID] = true
			})
		}
		wg.Wait()
		if added != 1 || len(ids) != 1 {
			t.Fatalf("added %d times, ids %v; want once, one id", added, ids)
		}
		if seq, err := s.LastNotificationSeq(ctx, "acc_b"); err != nil || seq != 1 {
			t.Fatalf("last seq = %d, %v; want 1", seq, err)
		}
		wantUnread(t, s, "acc_b", 1)
	})
	t.Run("MarkRead", func(t *testing.T) {
		notes := addNotes(t, s, "acc_c", "k", 10, inboxT0)
		var wg sync.WaitGroup
		for i := range 20 {
			wg.Go(func() {
				if err := s.MarkNotificationRead(ctx, "acc_c", notes[i%5].ID); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		wantUnread(t, s, "acc_c", 5)
	})
}

func TestNotifications_CountAlert(t *testing.T) {
	inboxModes(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		for i, tc := range []struct {
			day, assignment string
			want            int
		}{
			{"2026-11-27", "asg_1", 1}, {"2026-11-27", "asg_2", 2}, {"2026-11-27", "asg_3", 3},
			{"2026-11-27", "asg_2", 2}, // a redelivered event counts once
			{"2026-11-28", "asg_4", 1}, {"2026-11-28", "asg_5", 2}, {"2026-11-27", "asg_6", 1},
		} {
			got, err := s.CountAlert(ctx, "acc_a", tc.day, tc.assignment)
			if err != nil || got != tc.want {
				t.Fatalf("step %d: count of %s on %s = %d, %v; want %d", i, tc.assignment, tc.day, got, err, tc.want)
			}
		}
		// The counter shares the head with the inbox and leaves it alone.
		addNotes(t, s, "acc_a", "k", 2, inboxT0)
		if got, err := s.CountAlert(ctx, "acc_a", "2026-11-27", "asg_7"); err != nil || got != 2 {
			t.Fatalf("count = %d, %v; want 2", got, err)
		}
		wantUnread(t, s, "acc_a", 2)
		_, err := s.CountAlert(ctx, "acc_a", "27/11/2026", "asg_8")
		wantField(t, err, "day")
	})
}

func TestNotifications_Update(t *testing.T) {
	inboxModes(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		notes := addNotes(t, s, "acc_a", "k", 3, inboxT0)
		if err := s.UpdateNotification(ctx, "acc_a", notes[1].ID, "3 new assignments", "a, b, c", map[string]string{"count": "3"}); err != nil {
			t.Fatal(err)
		}
		if err := s.UpdateNotification(ctx, "acc_a", notes[2].ID, "no data", "", nil); err != nil {
			t.Fatal(err)
		}
		got, err := s.NotificationsAfter(ctx, "acc_a", 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		want := []sankofa.Notification{notes[0], notes[1], notes[2]}
		want[1].Title, want[1].Body, want[1].Data = "3 new assignments", "a, b, c", map[string]string{"count": "3"}
		want[2].Title, want[2].Body, want[2].Data = "no data", "", nil
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("(-want +got):\n%s", diff)
		}
	})
}

func TestNotifications_Prune(t *testing.T) {
	inboxModes(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		// Pages 0 and 1 from the first day, page 2 (half full) a week on.
		addNotes(t, s, "acc_a", "k", 200, inboxT0)
		addNotes(t, s, "acc_a", "week", 50, inboxT0.AddDate(0, 0, 7))
		notes, err := s.NotificationsAfter(ctx, "acc_a", 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.MarkNotificationRead(ctx, "acc_a", notes[0].ID); err != nil {
			t.Fatal(err)
		}
		wantUnread(t, s, "acc_a", 249)

		// Nothing is old enough: nothing goes.
		if err := s.PruneInbox(ctx, "acc_a", inboxT0); err != nil {
			t.Fatal(err)
		}
		if got, err := s.NotificationsAfter(ctx, "acc_a", 0, 1); err != nil || len(got) != 1 || got[0].Seq != 1 {
			t.Fatalf("after prune of nothing = %+v, %v", got, err)
		}
		// Page 0 ends at minute 99, page 1 at minute 199.
		if err := s.PruneInbox(ctx, "acc_a", inboxT0.Add(150*time.Minute)); err != nil {
			t.Fatal(err)
		}
		wantUnread(t, s, "acc_a", 150)
		got, err := s.NotificationsAfter(ctx, "acc_a", 0, 1)
		if err != nil || len(got) != 1 || got[0].Seq != 101 {
			t.Fatalf("oldest after prune = %+v, %v; want seq 101", got, err)
		}
		if err := s.MarkNotificationRead(ctx, "acc_a", notes[1].ID); !sankofa.IsCode(err, sankofa.NotFound) {
			t.Fatalf("err = %v; want not_found for a pruned notification", err)
		}
		// A kept notification's key still deduplicates.
		if added, err := s.AddNotification(ctx, &sankofa.Notification{UserID: "acc_a", Key: "k150"}); err != nil || added {
			t.Fatalf("added = %v, err = %v; want a duplicate", added, err)
		}
		// Everything is old, but the page the next one goes to stays.
		if err := s.PruneInbox(ctx, "acc_a", inboxT0.AddDate(1, 0, 0)); err != nil {
			t.Fatal(err)
		}
		page, err := s.Notifications(ctx, "acc_a", false, "", 100, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(seqRange(250, 201), seqs(page.Items)); diff != "" || page.NextCursor != "" {
			t.Fatalf("cursor %q, kept (-want +got):\n%s", page.NextCursor, diff)
		}
		wantUnread(t, s, "acc_a", 50)
		n := &sankofa.Notification{UserID: "acc_a", Key: "after-prune"}
		if added, err := s.AddNotification(ctx, n); err != nil || !added || n.Seq != 251 {
			t.Fatalf("added = %v, err = %v, seq %d; want 251", added, err, n.Seq)
		}
		wantUnread(t, s, "acc_a", 51)
		if err := s.PruneInbox(ctx, "acc_nobody", time.Now()); err != nil {
			t.Fatal(err)
		}
	})
}
