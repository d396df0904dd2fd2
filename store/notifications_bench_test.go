package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"sankofa"
	"sankofa/store"
)

// inboxBenchUsers are the corpus sizes of BenchmarkInbox, in people with
// 100 notifications each: 10k and 1M notifications in all, besides the one
// person with inboxBenchHeavyN whose inbox is measured.
var inboxBenchUsers = []int{100, 10_000}

const (
	inboxBenchHeavy  = "acc_heavy"
	inboxBenchHeavyN = 5_000
)

// BenchmarkInbox measures one person's inbox, holding 5,000
// notifications, on the embedded store while it holds many more in all:
//
//   - ListFirst: the newest 20 (Notifications without a cursor);
//   - ListCursor: 20 from a random cursor in the inbox;
//   - ListUnread: the newest 20 unread, after MarkRead marked some read
//     one by one;
//   - UnreadCount;
//   - MarkRead: a random unread notification, each at most once;
//   - Add: a new notification with a new key.
//
// Besides ns/op it reports the median and 99th percentile latency as
// p50-ms and p99-ms. Nothing is asserted.
//
// A corpus is seeded in bulk (store.SeedInbox: heads, pages of 100 and
// keys, with InsertMany), under os.TempDir, or under SANKOFA_BENCH_CORPUS
// to keep it between runs; 1M notifications take a few minutes. Run with:
//
//	go test ./store/ -run '^$' -bench BenchmarkInbox -benchtime 2000x -timeout 60m
func BenchmarkInbox(b *testing.B) {
	for _, users := range inboxBenchUsers {
		b.Run(fmt.Sprintf("notifications=%d", users*100), func(b *testing.B) {
			s := inboxCorpus(b, users)
			ctx := context.Background()
			r := rand.New(rand.NewPCG(2, uint64(users)))
			// Cursors are opaque: collect real ones by paging through.
			var cursors []string
			for c := ""; len(cursors) < inboxBenchHeavyN/20; {
				page, err := s.Notifications(ctx, inboxBenchHeavy, false, c, 20, time.Time{})
				if err != nil {
					b.Fatal(err)
				}
				if page.NextCursor == "" {
					break
				}
				c = page.NextCursor
				cursors = append(cursors, c)
			}
			list := func(unread bool, cursor func() string) func(*testing.B) {
				return func(b *testing.B) {
					b.ReportAllocs()
					lat := newLatencies()
					for b.Loop() {
						t0 := time.Now()
						page, err := s.Notifications(ctx, inboxBenchHeavy, unread, cursor(), 20, time.Time{})
						lat.add(time.Since(t0))
						if err != nil {
							b.Fatal(err)
						}
						if len(page.Items) == 0 {
							b.Fatal("empty page")
						}
					}
					lat.report(b)
				}
			}
			b.Run("ListFirst", list(false, func() string { return "" }))
			b.Run("ListCursor", list(false, func() string { return cursors[r.IntN(len(cursors))] }))
			b.Run("UnreadCount", func(b *testing.B) {
				b.ReportAllocs()
				lat := newLatencies()
				for b.Loop() {
					t0 := time.Now()
					n, err := s.UnreadCount(ctx, inboxBenchHeavy)
					lat.add(time.Since(t0))
					if err != nil || n == 0 {
						b.Fatalf("unread = %d, %v", n, err)
					}
				}
				lat.report(b)
			})
			// A corpus kept from an earlier run has some read already.
			var unread []string
			for c := ""; ; {
				page, err := s.Notifications(ctx, inboxBenchHeavy, true, c, 100, time.Time{})
				if err != nil {
					b.Fatal(err)
				}
				for _, n := range page.Items {
					unread = append(unread, n.ID)
				}
				if c = page.NextCursor; c == "" {
					break
				}
			}
			r.Shuffle(len(unread), func(i, j int) { unread[i], unread[j] = unread[j], unread[i] })
			b.Run("MarkRead", func(b *testing.B) {
				b.ReportAllocs()
				lat := newLatencies()
				i := 0
				for b.Loop() {
					id := unread[i%len(unread)] // past the end, a repeat costs no write
					i++
					t0 := time.Now()
					err := s.MarkNotificationRead(ctx, inboxBenchHeavy, id)
					lat.add(time.Since(t0))
					if err != nil {
						b.Fatal(err)
					}
				}
				lat.report(b)
			})
			b.Run("ListUnread", list(true, func() string { return "" }))
			b.Run("Add", func(b *testing.B) {
				b.ReportAllocs()
				lat := newLatencies()
				run := time.Now().UnixNano()
				i := 0
				for b.Loop() {
					i++
					n := &sankofa.Notification{
						UserID: inboxBenchHeavy, Kind: sankofa.NoteOfferReceived, Key: fmt.Sprintf("bench-%d-%d", run, i),
						Title: "New offer", Body: "A ministry of health has sent you an offer.",
						Data: map[string]string{"offer_id": fmt.Sprint("off_", i)},
					}
					t0 := time.Now()
					added, err := s.AddNotification(ctx, n)
					lat.add(time.Since(t0))
					if err != nil || !added {
						b.Fatalf("added = %v, err = %v", added, err)
					}
				}
				lat.report(b)
			})
		})
	}
}

// inboxCorpus opens a store holding users people with 100 unread
// notifications each, ids "acc_u<i>", and inboxBenchHeavy with
// inboxBenchHeavyN, on one page per 100 (the pages MarkRead and Add leave
// behind are kept with the corpus).
func inboxCorpus(b *testing.B, users int) *store.Store {
	b.Helper()
	var dir, done string
	keep := false
	if base := os.Getenv(corpusEnv); base != "" {
		dir, keep = filepath.Join(base, fmt.Sprintf("inbox-%d", users)), true
		done = filepath.Join(dir, "complete")
		if _, err := os.Stat(done); err == nil {
			s, err := openStore(dir)
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { s.Close(context.Background()) })
			b.Logf("reused the inbox corpus of %d notifications in %s", users*100+inboxBenchHeavyN, dir)
			return s
		}
		if err := os.RemoveAll(dir); err != nil {
			b.Fatal(err)
		}
	} else {
		var err error
		if dir, err = os.MkdirTemp("", fmt.Sprintf("sankofa-bench-inbox-%d-*", users)); err != nil {
			b.Fatal(err)
		}
	}
	start := time.Now()
	s, err := openStore(dir)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		s.Close(context.Background())
		if !keep {
			os.RemoveAll(dir)
		}
	})
	ctx := context.Background()
	ids := make([]string, users)
	for i := range ids {
		ids[i] = fmt.Sprintf("acc_u%d", i)
	}
	t0 := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < len(ids); i += 1000 {
		if err := store.SeedInbox(ctx, s, ids[i:min(i+1000, len(ids))], 100, t0); err != nil {
			b.Fatal(err)
		}
	}
	if err := store.SeedInbox(ctx, s, []string{inboxBenchHeavy}, inboxBenchHeavyN, t0); err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded an inbox corpus of %d notifications in %v", users*100+inboxBenchHeavyN, time.Since(start).Round(time.Millisecond))
	if done != "" {
		if err := os.WriteFile(done, []byte(fmt.Sprintln(users)), 0o600); err != nil {
			b.Fatal(err)
		}
	}
	return s
}
