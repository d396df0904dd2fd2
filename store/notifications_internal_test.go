package store

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"sankofa"
)

// AtomicOps returns a view of s that takes the MongoDB code paths of the
// inbox (atomic operators and conditional filters, no write lock) on the
// same database, so that tests run them against FerretDB too. FerretDB
// does not make those updates atomic, so only sequential tests may use it.
func AtomicOps(s *Store) *Store {
	return &Store{client: s.client, db: s.db, log: s.log, now: s.now,
		inbox: s.inbox, inboxPages: s.inboxPages, inboxKeys: s.inboxKeys}
}

// SeedInbox stores, for each user, perUser notifications created at
// 1-second steps from start, as AddNotification would have, but in bulk:
// a head, full pages and keys "ev-<seq>", inserted with InsertMany. It is
// for building benchmark corpora of millions of notifications.
func SeedInbox(ctx context.Context, s *Store, users []string, perUser int, start time.Time) error {
	const batch = 1000
	var heads, pages, keys []any
	flush := func(force bool) error {
		for _, b := range []struct {
			docs *[]any
			c    string
		}{{&heads, "inbox"}, {&pages, "inbox_pages"}, {&keys, "inbox_keys"}} {
			if len(*b.docs) == 0 || (!force && len(*b.docs) < batch) {
				continue
			}
			if _, err := s.db.Collection(b.c).InsertMany(ctx, *b.docs); err != nil {
				return fmt.Errorf("seed %s: %w", b.c, err)
			}
			*b.docs = (*b.docs)[:0]
		}
		return nil
	}
	for _, u := range users {
		heads = append(heads, bson.D{{Key: "_id", Value: u}, {Key: "seq", Value: int64(perUser)},
			{Key: "read_upto", Value: int64(0)}, {Key: "unread", Value: int64(perUser)}, {Key: "oldest_page", Value: int64(0)}})
		for p := int64(0); p*inboxPageSize < int64(perUser); p++ {
			var items []inboxItem
			for seq := p*inboxPageSize + 1; seq <= min((p+1)*inboxPageSize, int64(perUser)); seq++ {
				key := fmt.Sprintf("ev-%d", seq)
				// Varied text, so that pages compress no better than real ones.
				role, place := seedRoles[int(seq*7)%len(seedRoles)], seedPlaces[int(seq*13)%len(seedPlaces)]
				items = append(items, inboxItem{
					Seq: seq, Kind: sankofa.NoteOfferReceived, Key: key,
					Title: fmt.Sprintf("New offer: %s in %s", role, place),
					Body: fmt.Sprintf("The ministry of health sent you an offer for %s, %s, from %s for %d months (ref. %s-%x). Open it to accept or decline.",
						role, place, start.AddDate(0, 0, int(seq%90)).Format("2 January 2006"), 3+seq%22, u, seq*2654435761%1_000_003),
					Data:      map[string]string{"offer_id": sankofa.NewID("off"), "assignment_id": sankofa.NewID("asg")},
					CreatedAt: start.Add(time.Duration(seq) * time.Second).UTC().Truncate(time.Millisecond),
				})
				keys = append(keys, bson.D{{Key: "_id", Value: inboxKeyID(u, key)}, {Key: "seq", Value: seq}})
			}
			raw, err := encodePage(items)
			if err != nil {
				return err
			}
			pages = append(pages, bson.D{{Key: "_id", Value: inboxPageID(u, p)}, {Key: "version", Value: int64(1)}, {Key: "items", Value: raw}})
		}
		if err := flush(false); err != nil {
			return err
		}
	}
	return flush(true)
}

var (
	seedRoles  = []string{"Midwife", "Nurse anaesthetist", "Paediatric nurse", "Obstetrician", "Pharmacist", "Laboratory scientist", "General surgeon", "Radiographer", "Physiotherapist"}
	seedPlaces = []string{"Accra", "Kumasi", "Tamale", "Lagos", "Ibadan", "Kano", "Dakar", "Abidjan", "Lomé", "Cotonou", "Freetown", "Monrovia", "Kigali"}
)

func openInternal(t *testing.T) *Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := Open(ctx, Config{DataDir: t.TempDir(), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(context.Background()) })
	return s
}

// TestNotifications_CrashAfterKey simulates a crash of AddNotification
// after it stored the key and before it put the notification in its page:
// the redelivery must put it there, with the seq the key holds, and count
// it unread once.
func TestNotifications_CrashAfterKey(t *testing.T) {
	for _, mode := range []string{"embedded", "atomic"} {
		t.Run(mode, func(t *testing.T) {
			ctx := context.Background()
			s := openInternal(t)
			if mode == "atomic" {
				s = AtomicOps(s)
			}
			first := &sankofa.Notification{UserID: "acc_1", Kind: sankofa.NoteOfferReceived, Title: "first", Key: "k1"}
			if _, err := s.AddNotification(ctx, first); err != nil {
				t.Fatal(err)
			}
			// The crashed delivery: head moved to seq 2 and counted it,
			// key stored, page untouched.
			if _, err := s.inbox.UpdateOne(ctx, bson.D{{Key: "_id", Value: "acc_1"}},
				bson.D{{Key: "$inc", Value: bson.D{{Key: "seq", Value: int64(1)}, {Key: "unread", Value: int64(1)}}}}); err != nil {
				t.Fatal(err)
			}
			if _, err := s.inboxKeys.InsertOne(ctx, bson.D{{Key: "_id", Value: inboxKeyID("acc_1", "k2")}, {Key: "seq", Value: int64(2)}}); err != nil {
				t.Fatal(err)
			}
			retry := &sankofa.Notification{UserID: "acc_1", Kind: sankofa.NoteOfferReceived, Title: "second", Key: "k2"}
			added, err := s.AddNotification(ctx, retry)
			if err != nil {
				t.Fatal(err)
			}
			if added || retry.Seq != 2 || retry.ID != "acc_1-2" {
				t.Fatalf("added = %v, n = %+v; want the redelivery to fill seq 2", added, retry)
			}
			again := &sankofa.Notification{UserID: "acc_1", Kind: sankofa.NoteOfferReceived, Title: "third try", Key: "k2"}
			if added, err := s.AddNotification(ctx, again); err != nil || added || again.Title != "second" {
				t.Fatalf("added = %v, err = %v, title %q; want the stored %q", added, err, again.Title, "second")
			}
			list, err := s.Notifications(ctx, "acc_1", false, "", 0, time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			if len(list.Items) != 2 || list.Items[0].Title != "second" || list.Items[1].Title != "first" {
				t.Fatalf("inbox = %+v; want second, first", list.Items)
			}
			if n, err := s.UnreadCount(ctx, "acc_1"); err != nil || n != 2 {
				t.Fatalf("unread = %d, %v; want 2", n, err)
			}
		})
	}
}
