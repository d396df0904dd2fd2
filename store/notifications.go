package store

import (
	"bytes"
	"cmp"
	"compress/flate"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"sankofa"
)

// The inbox keeps each person's notifications in three collections, every
// one of them read and written by _id only (FerretDB v1 scans for any
// other filter):
//
//   - inbox, _id = user id: the head, with the last assigned seq, read_upto
//     (every seq at or below it is read), the unread count, the oldest
//     page still kept and the per-day alert counter;
//   - inbox_pages, _id = user id + ":" + page, page = (seq-1)/100: up to
//     100 notifications, in seq order, with a version;
//   - inbox_keys, _id = user id + "|" + key: the seq a notification key
//     was given, which makes delivery idempotent.
//
// Add writes, in this order, the head (seq+1 and unread+1 in one write),
// the key, then the item into its page. A crash after the key leaves the
// item missing, and the redelivery, finding the key, puts it in its page.
// A crash between the head and the key leaves a gap in seq and one unread
// too many until the next "read all"; nothing ever produces a second
// notification for a key. On the embedded store every write runs under
// the write lock, so read-modify-write is safe; on MongoDB the head uses
// atomic operators and conditional filters, and a page is rewritten only
// if its version is still the one read.
//
// A page keeps its items as one binary value, their BSON compressed with
// DEFLATE, not as an array: FerretDB decodes every value of a document
// through JSON, so a page of 100 notifications as an array took about
// 10 ms to read, as one 25 kB value about 2 ms, and compressed (about
// 5 kB) about 0.6 ms. Nothing queries inside a page.

// inboxPageSize is how many notifications one page document holds.
const inboxPageSize = 100

// inboxListMax and inboxListDefault bound a page of Notifications.
const (
	inboxListMax     = 100
	inboxListDefault = 20
)

// inboxScanPages bounds the page documents one Notifications call reads,
// so that an unread-only list over a long, mostly read inbox stays cheap;
// the caller gets fewer items and a cursor to go on from.
const inboxScanPages = 10

type inboxHead struct {
	Seq        int64  `bson:"seq"`
	ReadUpto   int64  `bson:"read_upto"`
	Unread     int64  `bson:"unread"`
	OldestPage int64  `bson:"oldest_page"`
	AlertDay   string `bson:"alert_day"`
	// AlertIDs are the assignments alerted about on AlertDay, in order.
	AlertIDs []string `bson:"alert_ids"`
}

// inboxItem is a notification as stored in its page; the user and the id
// follow from the page.
type inboxItem struct {
	Seq       int64             `bson:"seq"`
	Kind      string            `bson:"kind"`
	Title     string            `bson:"title"`
	Body      string            `bson:"body"`
	Data      map[string]string `bson:"data,omitempty"`
	Read      bool              `bson:"read"`
	CreatedAt time.Time         `bson:"created_at"`
	Key       string            `bson:"key,omitempty"`
}

// inboxPage is a page document: Items holds pageItems, as BSON
// compressed with DEFLATE.
type inboxPage struct {
	Version int64  `bson:"version"`
	Items   []byte `bson:"items"`
}

type pageItems struct {
	Items []inboxItem `bson:"i"`
}

type inboxKey struct {
	Seq int64 `bson:"seq"`
}

func inboxPageOf(seq int64) int64 { return (seq - 1) / inboxPageSize }

func inboxPageID(userID string, page int64) string {
	return userID + ":" + strconv.FormatInt(page, 10)
}

func inboxKeyID(userID, key string) string { return userID + "|" + key }

// notificationID is the id of a person's notification seq. It carries the
// user id, so that an id is checked against its caller without a read; it
// reveals nothing the caller does not know.
func notificationID(userID string, seq int64) string {
	return userID + "-" + strconv.FormatInt(seq, 10)
}

// parseNotificationID returns the seq of id if id is one of userID's
// notification ids.
func parseNotificationID(userID, id string) (int64, bool) {
	i := strings.LastIndexByte(id, '-')
	if i < 0 || id[:i] != userID {
		return 0, false
	}
	seq, err := strconv.ParseInt(id[i+1:], 10, 64)
	if err != nil || seq < 1 || id[i+1] == '+' {
		return 0, false
	}
	return seq, true
}

func (it inboxItem) notification(userID string, h inboxHead) sankofa.Notification {
	return sankofa.Notification{
		ID: notificationID(userID, it.Seq), UserID: userID, Seq: it.Seq,
		Kind: it.Kind, Title: it.Title, Body: it.Body, Data: it.Data,
		Read:      it.Read || it.Seq <= h.ReadUpto,
		CreatedAt: it.CreatedAt, Key: it.Key,
	}
}

func checkInboxUser(userID string) error {
	if userID == "" || strings.Contains(userID, "|") {
		// "|" would make key ids ambiguous.
		return &sankofa.Error{Code: sankofa.Invalid, Message: "the notification has invalid fields",
			Fields: []sankofa.FieldError{{Field: "user_id", Message: "must be a user id"}}}
	}
	return nil
}

// head reads a person's inbox head; a person without one has an empty
// inbox.
func (s *Store) head(ctx context.Context, userID string) (inboxHead, error) {
	var h inboxHead
	err := s.inbox.FindOne(ctx, bson.D{{Key: "_id", Value: userID}}).Decode(&h)
	if err != nil && !errors.Is(err, mongo.ErrNoDocuments) {
		return h, fmt.Errorf("store: read inbox of %s: %w", userID, err)
	}
	return h, nil
}

// page reads a page of notifications, in seq order, and its version; a
// missing page is empty, at version 0.
func (s *Store) page(ctx context.Context, userID string, page int64) ([]inboxItem, int64, error) {
	id := inboxPageID(userID, page)
	var p inboxPage
	err := s.inboxPages.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&p)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, fmt.Errorf("store: read inbox page %s: %w", id, err)
	}
	items, err := decodePage(p.Items)
	if err != nil {
		return nil, 0, fmt.Errorf("store: decode inbox page %s: %w", id, err)
	}
	return items, p.Version, nil
}

// pageWriters reuses DEFLATE compressors, which take hundreds of kB each.
var pageWriters = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(nil, flate.BestSpeed) // fails only for a bad level
	return w
}}

func encodePage(items []inboxItem) ([]byte, error) {
	raw, err := bson.Marshal(pageItems{Items: items})
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	w := pageWriters.Get().(*flate.Writer)
	defer pageWriters.Put(w)
	w.Reset(&buf)
	if _, err := w.Write(raw); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func decodePage(b []byte) ([]inboxItem, error) {
	raw, err := io.ReadAll(flate.NewReader(bytes.NewReader(b)))
	if err != nil {
		return nil, err
	}
	var items pageItems
	if err := bson.Unmarshal(raw, &items); err != nil {
		return nil, err
	}
	return items.Items, nil
}

// changePage applies change to a page's items and stores the result,
// unless change says there is nothing to write. The embedded store's lock
// makes the read-modify-write safe; on MongoDB the write is a
// compare-and-set on the page's version, retried when another writer got
// there first. It reports whether it wrote.
func (s *Store) changePage(ctx context.Context, userID string, page int64, change func([]inboxItem) ([]inboxItem, bool, error)) (bool, error) {
	id := inboxPageID(userID, page)
	for range 5 {
		items, version, err := s.page(ctx, userID, page)
		if err != nil {
			return false, err
		}
		items, write, err := change(items)
		if err != nil || !write {
			return false, err
		}
		raw, err := encodePage(items)
		if err != nil {
			return false, fmt.Errorf("store: encode inbox page %s: %w", id, err)
		}
		if version == 0 {
			_, err := s.inboxPages.InsertOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "version", Value: int64(1)}, {Key: "items", Value: raw}})
			if mongo.IsDuplicateKeyError(err) {
				continue
			}
			if err != nil {
				return false, fmt.Errorf("store: write inbox page %s: %w", id, err)
			}
			return true, nil
		}
		res, err := s.inboxPages.UpdateOne(ctx, s.idFilter(id, version),
			bson.D{{Key: "$set", Value: bson.D{{Key: "version", Value: version + 1}, {Key: "items", Value: raw}}}})
		if err != nil {
			return false, fmt.Errorf("store: write inbox page %s: %w", id, err)
		}
		if res.MatchedCount > 0 {
			return true, nil
		}
	}
	return false, fmt.Errorf("store: write inbox page %s: %w", id, errInboxRaced)
}

func findSeq(items []inboxItem, seq int64) (int, bool) {
	return slices.BinarySearchFunc(items, seq, func(it inboxItem, seq int64) int { return cmp.Compare(it.Seq, seq) })
}

// insertItem puts it in its page unless its seq is there already, and
// reports whether it did.
func (s *Store) insertItem(ctx context.Context, userID string, it inboxItem) (bool, error) {
	return s.changePage(ctx, userID, inboxPageOf(it.Seq), func(items []inboxItem) ([]inboxItem, bool, error) {
		i, found := findSeq(items, it.Seq)
		if found {
			return items, false, nil
		}
		return slices.Insert(items, i, it), true, nil
	})
}

// AddNotification delivers n to n.UserID unless a notification with the
// same n.Key was already delivered to that person, and fills n.Seq, n.ID
// and n.CreatedAt; added is false for a duplicate, and n is then the
// stored notification. An empty key is never a duplicate. It returns
// invalid for an empty user id.
func (s *Store) AddNotification(ctx context.Context, n *sankofa.Notification) (added bool, err error) {
	if err := checkInboxUser(n.UserID); err != nil {
		return false, err
	}
	if n.CreatedAt.IsZero() {
		n.CreatedAt = s.now()
	}
	// BSON keeps milliseconds; n should read as it will be stored.
	n.CreatedAt = n.CreatedAt.UTC().Truncate(time.Millisecond)
	unlock := s.lockWrites()
	defer unlock()
	if n.Key != "" {
		seq, found, err := s.keySeq(ctx, n.UserID, n.Key)
		if err != nil {
			return false, err
		}
		if found {
			return false, s.redeliver(ctx, n, seq)
		}
	}
	// Adding 0 to read_upto and oldest_page creates them on the first
	// delivery: MongoDB's filters on them must not meet a missing field.
	var h inboxHead
	err = s.inbox.FindOneAndUpdate(ctx, bson.D{{Key: "_id", Value: n.UserID}},
		bson.D{{Key: "$inc", Value: bson.D{{Key: "seq", Value: int64(1)}, {Key: "unread", Value: int64(1)}, {Key: "read_upto", Value: int64(0)}, {Key: "oldest_page", Value: int64(0)}}}},
		options.FindOneAndUpdate().SetUpsert(true).SetReturnDocument(options.After)).Decode(&h)
	if err != nil {
		return false, fmt.Errorf("store: add notification for %s: %w", n.UserID, err)
	}
	seq := h.Seq
	if n.Key != "" {
		_, err := s.inboxKeys.InsertOne(ctx, bson.D{{Key: "_id", Value: inboxKeyID(n.UserID, n.Key)}, {Key: "seq", Value: seq}})
		if mongo.IsDuplicateKeyError(err) {
			// Only on MongoDB: a concurrent delivery of the same key won.
			// seq stays a gap; take back its unread.
			if err := s.addUnread(ctx, n.UserID, seq, -1); err != nil {
				return false, err
			}
			won, _, err := s.keySeq(ctx, n.UserID, n.Key)
			if err != nil {
				return false, err
			}
			return false, s.redeliver(ctx, n, won)
		}
		if err != nil {
			return false, fmt.Errorf("store: add notification for %s: key: %w", n.UserID, err)
		}
	}
	n.Seq, n.ID, n.Read = seq, notificationID(n.UserID, seq), false
	if _, err := s.insertItem(ctx, n.UserID, itemOf(n)); err != nil {
		return false, err
	}
	return true, nil
}

func itemOf(n *sankofa.Notification) inboxItem {
	return inboxItem{Seq: n.Seq, Kind: n.Kind, Title: n.Title, Body: n.Body, Data: n.Data, CreatedAt: n.CreatedAt, Key: n.Key}
}

// keySeq returns the seq given to a person's notification key.
func (s *Store) keySeq(ctx context.Context, userID, key string) (int64, bool, error) {
	var k inboxKey
	err := s.inboxKeys.FindOne(ctx, bson.D{{Key: "_id", Value: inboxKeyID(userID, key)}}).Decode(&k)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("store: read notification key of %s: %w", userID, err)
	}
	return k.Seq, true, nil
}

// redeliver handles a notification whose key was given seq: it fills n
// with the stored notification, after putting n in its page if a crash
// kept it out (its unread was counted with its seq). A page already
// pruned stays pruned.
func (s *Store) redeliver(ctx context.Context, n *sankofa.Notification, seq int64) error {
	h, err := s.head(ctx, n.UserID)
	if err != nil {
		return err
	}
	items, _, err := s.page(ctx, n.UserID, inboxPageOf(seq))
	if err != nil {
		return err
	}
	if i, ok := findSeq(items, seq); ok {
		*n = items[i].notification(n.UserID, h)
		return nil
	}
	n.Seq, n.ID, n.Read = seq, notificationID(n.UserID, seq), seq <= h.ReadUpto
	if inboxPageOf(seq) < h.OldestPage {
		return nil
	}
	if _, err := s.insertItem(ctx, n.UserID, itemOf(n)); err != nil {
		return err
	}
	return nil
}

// addUnread adds delta to the unread count, unless seq is already covered
// by "read all". Only MongoDB needs the condition in the filter; on the
// embedded store the lock lets Go check it.
func (s *Store) addUnread(ctx context.Context, userID string, seq, delta int64) error {
	inc := bson.D{{Key: "$inc", Value: bson.D{{Key: "unread", Value: delta}}}}
	if s.embedded != nil {
		h, err := s.head(ctx, userID)
		if err != nil {
			return err
		}
		if seq <= h.ReadUpto || h.Unread+delta < 0 {
			return nil
		}
		if _, err := s.inbox.UpdateOne(ctx, bson.D{{Key: "_id", Value: userID}}, inc); err != nil {
			return fmt.Errorf("store: count unread of %s: %w", userID, err)
		}
		return nil
	}
	filter := bson.D{{Key: "_id", Value: userID}, {Key: "read_upto", Value: bson.D{{Key: "$lt", Value: seq}}}}
	if delta < 0 {
		// Never below zero; and a page that pruning has moved past was
		// counted off by it already.
		filter = append(filter,
			bson.E{Key: "unread", Value: bson.D{{Key: "$gte", Value: -delta}}},
			bson.E{Key: "oldest_page", Value: bson.D{{Key: "$lte", Value: inboxPageOf(seq)}}})
	}
	if _, err := s.inbox.UpdateOne(ctx, filter, inc); err != nil {
		return fmt.Errorf("store: count unread of %s: %w", userID, err)
	}
	return nil
}

// Notifications lists a person's notifications newest first: at most
// limit (0 means 20, at most 100), after cursor (from NextCursor), only
// unread ones if unreadOnly, and none created before since. A page may
// hold fewer than limit items and still have a NextCursor. It returns
// invalid for a bad cursor or limit.
func (s *Store) Notifications(ctx context.Context, userID string, unreadOnly bool, cursor string, limit int, since time.Time) (sankofa.NotificationPage, error) {
	out := sankofa.NotificationPage{Items: []sankofa.Notification{}}
	if limit == 0 {
		limit = inboxListDefault
	}
	if limit < 0 || limit > inboxListMax {
		return out, &sankofa.Error{Code: sankofa.Invalid, Message: "the request has invalid fields",
			Fields: []sankofa.FieldError{{Field: "limit", Message: fmt.Sprintf("must be between 1 and %d", inboxListMax)}}}
	}
	before, err := decodeInboxCursor(cursor)
	if err != nil {
		return out, err
	}
	h, err := s.head(ctx, userID)
	if err != nil {
		return out, err
	}
	if before == 0 || before > h.Seq+1 {
		before = h.Seq + 1
	}
	// Below read_upto every notification is read, so an unread-only list
	// stops there.
	floor := int64(1)
	if unreadOnly {
		floor = h.ReadUpto + 1
	}
	floor = max(floor, h.OldestPage*inboxPageSize+1)
	var scanned int
	for p := inboxPageOf(before - 1); before > floor && p >= 0; p-- {
		if scanned == inboxScanPages {
			out.NextCursor = encodeInboxCursor(before)
			return out, nil
		}
		scanned++
		items, _, err := s.page(ctx, userID, p)
		if err != nil {
			return out, err
		}
		seen, recent := false, false
		for i := len(items) - 1; i >= 0; i-- {
			it := items[i]
			if it.Seq >= before || it.Seq < floor {
				continue
			}
			seen = true
			if it.CreatedAt.Before(since) {
				continue
			}
			recent = true
			n := it.notification(userID, h)
			if unreadOnly && n.Read {
				continue
			}
			out.Items = append(out.Items, n)
			if len(out.Items) == limit {
				if it.Seq > floor {
					out.NextCursor = encodeInboxCursor(it.Seq)
				}
				return out, nil
			}
		}
		before = p*inboxPageSize + 1
		// Pages fill in delivery order, so once a whole page is older
		// than since, the pages before it are too.
		if seen && !recent {
			break
		}
	}
	return out, nil
}

// A cursor is the seq a list goes on below, wrapped so that clients
// treat it as opaque.
const inboxCursorPrefix = "before:"

func encodeInboxCursor(before int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(inboxCursorPrefix + strconv.FormatInt(before, 10)))
}

func decodeInboxCursor(c string) (int64, error) {
	if c == "" {
		return 0, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(c)
	rest, ok := strings.CutPrefix(string(raw), inboxCursorPrefix)
	var before int64
	if err == nil && ok {
		before, err = strconv.ParseInt(rest, 10, 64)
	}
	if err != nil || !ok || before < 1 {
		return 0, &sankofa.Error{Code: sankofa.Invalid, Message: "the request has invalid fields",
			Fields: []sankofa.FieldError{{Field: "cursor", Message: "is not a cursor this list returned"}}}
	}
	return before, nil
}

// NotificationsAfter returns up to limit (0 means 100, at most 100) of a
// person's notifications with Seq above after, oldest first, for a client
// resuming an event stream.
func (s *Store) NotificationsAfter(ctx context.Context, userID string, after int64, limit int) ([]sankofa.Notification, error) {
	if limit <= 0 || limit > inboxListMax {
		limit = inboxListMax
	}
	out := []sankofa.Notification{}
	h, err := s.head(ctx, userID)
	if err != nil {
		return out, err
	}
	after = max(after, h.OldestPage*inboxPageSize)
	for p := after / inboxPageSize; after < h.Seq && p <= inboxPageOf(h.Seq); p++ {
		items, _, err := s.page(ctx, userID, p)
		if err != nil {
			return out, err
		}
		for _, it := range items {
			if it.Seq <= after {
				continue
			}
			out = append(out, it.notification(userID, h))
			if len(out) == limit {
				return out, nil
			}
		}
	}
	return out, nil
}

// changeItem applies change to one of a person's notifications, by id,
// and stores it if change reports a difference; it reports whether it
// wrote, or returns not_found for an unknown or foreign id.
func (s *Store) changeItem(ctx context.Context, userID, id string, change func(*inboxItem) bool) (bool, error) {
	seq, ok := parseNotificationID(userID, id)
	if !ok {
		return false, sankofa.Errorf(sankofa.NotFound, "notification not found")
	}
	return s.changePage(ctx, userID, inboxPageOf(seq), func(items []inboxItem) ([]inboxItem, bool, error) {
		i, found := findSeq(items, seq)
		if !found {
			return nil, false, sankofa.Errorf(sankofa.NotFound, "notification not found")
		}
		items = slices.Clone(items)
		return items, change(&items[i]), nil
	})
}

// MarkNotificationRead marks one of a person's notifications read;
// marking it twice is harmless. It returns not_found for an unknown or
// foreign id.
func (s *Store) MarkNotificationRead(ctx context.Context, userID, id string) error {
	unlock := s.lockWrites()
	defer unlock()
	var readUpto int64
	if s.embedded != nil {
		// Under the lock, the head read now stays true; MongoDB checks
		// read_upto in addUnread's filter instead.
		h, err := s.head(ctx, userID)
		if err != nil {
			return err
		}
		readUpto = h.ReadUpto
	}
	var seq int64
	flipped, err := s.changeItem(ctx, userID, id, func(it *inboxItem) bool {
		seq = it.Seq
		if it.Read || it.Seq <= readUpto {
			return false
		}
		it.Read = true
		return true
	})
	if err != nil || !flipped {
		return err
	}
	// The page's version makes this the only writer that flipped it.
	return s.addUnread(ctx, userID, seq, -1)
}

// MarkAllNotificationsRead marks every notification of a person read.
func (s *Store) MarkAllNotificationsRead(ctx context.Context, userID string) error {
	unlock := s.lockWrites()
	defer unlock()
	for range 5 {
		h, err := s.head(ctx, userID)
		if err != nil {
			return err
		}
		if h.ReadUpto >= h.Seq && h.Unread == 0 {
			return nil
		}
		// MongoDB cannot set a field from another without a pipeline,
		// which FerretDB lacks; the seq in the filter makes it a
		// compare-and-set there.
		res, err := s.inbox.UpdateOne(ctx, s.idFilterOn("seq", userID, h.Seq),
			bson.D{{Key: "$set", Value: bson.D{{Key: "read_upto", Value: h.Seq}, {Key: "unread", Value: int64(0)}}}})
		if err != nil {
			return fmt.Errorf("store: mark notifications of %s read: %w", userID, err)
		}
		if res.MatchedCount > 0 {
			return nil
		}
	}
	return fmt.Errorf("store: mark notifications of %s read: the inbox keeps changing", userID)
}

// idFilterOn matches a document by _id and, on MongoDB only, field = v:
// the embedded store's lock makes the second condition true already, and
// FerretDB would scan for it.
func (s *Store) idFilterOn(field, id string, v any) bson.D {
	if s.embedded != nil {
		return bson.D{{Key: "_id", Value: id}}
	}
	return bson.D{{Key: "_id", Value: id}, {Key: field, Value: v}}
}

// UnreadCount returns how many of a person's notifications are unread.
func (s *Store) UnreadCount(ctx context.Context, userID string) (int, error) {
	h, err := s.head(ctx, userID)
	if err != nil {
		return 0, err
	}
	return int(max(h.Unread, 0)), nil
}

// LastNotificationSeq returns the seq of a person's last notification, 0
// for none.
func (s *Store) LastNotificationSeq(ctx context.Context, userID string) (int64, error) {
	h, err := s.head(ctx, userID)
	if err != nil {
		return 0, err
	}
	return h.Seq, nil
}

// CountAlert counts the new-assignment alert about assignmentID for a
// person on day (YYYY-MM-DD) and returns its place among that day's
// alerts, from 1; the count starts over when the day changes. Counting the
// same assignment again (a redelivered event) returns the same place. It
// returns invalid for a malformed day.
func (s *Store) CountAlert(ctx context.Context, userID, day, assignmentID string) (int, error) {
	if _, err := time.Parse(time.DateOnly, day); err != nil {
		return 0, &sankofa.Error{Code: sankofa.Invalid, Message: "the request has invalid fields",
			Fields: []sankofa.FieldError{{Field: "day", Message: "must be a date, YYYY-MM-DD"}}}
	}
	if err := checkInboxUser(userID); err != nil {
		return 0, err
	}
	unlock := s.lockWrites()
	defer unlock()
	if s.embedded != nil {
		h, err := s.head(ctx, userID)
		if err != nil {
			return 0, err
		}
		ids := []string{}
		if h.AlertDay == day {
			ids = h.AlertIDs
		}
		if i := slices.Index(ids, assignmentID); i >= 0 {
			return i + 1, nil
		}
		ids = append(slices.Clip(ids), assignmentID)
		if _, err := s.inbox.UpdateOne(ctx, bson.D{{Key: "_id", Value: userID}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "alert_day", Value: day}, {Key: "alert_ids", Value: ids}}}},
			options.UpdateOne().SetUpsert(true)); err != nil {
			return 0, fmt.Errorf("store: count alert of %s: %w", userID, err)
		}
		return len(ids), nil
	}
	after := options.FindOneAndUpdate().SetReturnDocument(options.After)
	for range 3 {
		var h inboxHead
		err := s.inbox.FindOneAndUpdate(ctx, bson.D{{Key: "_id", Value: userID}, {Key: "alert_day", Value: day}},
			bson.D{{Key: "$addToSet", Value: bson.D{{Key: "alert_ids", Value: assignmentID}}}}, after).Decode(&h)
		if err == nil {
			return slices.Index(h.AlertIDs, assignmentID) + 1, nil
		}
		if !errors.Is(err, mongo.ErrNoDocuments) {
			return 0, fmt.Errorf("store: count alert of %s: %w", userID, err)
		}
		// Another day, or no head yet. A concurrent first alert of the
		// day makes the upsert collide with the head; count again.
		_, err = s.inbox.UpdateOne(ctx, bson.D{{Key: "_id", Value: userID}, {Key: "alert_day", Value: bson.D{{Key: "$ne", Value: day}}}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "alert_day", Value: day}, {Key: "alert_ids", Value: bson.A{}}}}},
			options.UpdateOne().SetUpsert(true))
		if err == nil {
			continue // the day starts empty; count this one with $addToSet
		}
		if !mongo.IsDuplicateKeyError(err) {
			return 0, fmt.Errorf("store: count alert of %s: %w", userID, err)
		}
	}
	return 0, fmt.Errorf("store: count alert of %s: the inbox keeps changing", userID)
}

// UpdateNotification replaces the title, body and data of one of a
// person's notifications, to grow a digest in place. It returns not_found
// for an unknown or foreign id.
func (s *Store) UpdateNotification(ctx context.Context, userID, id, title, body string, data map[string]string) error {
	unlock := s.lockWrites()
	defer unlock()
	_, err := s.changeItem(ctx, userID, id, func(it *inboxItem) bool {
		it.Title, it.Body, it.Data = title, body, data
		return true
	})
	return err
}

// PruneInbox deletes, oldest first, the pages of a person's notifications
// whose newest notification was created before olderThan, with their
// keys. The page the next notification goes to is always kept.
//
// The head moves past a page, and counts its unread items off, before the
// page and then its keys are deleted: a crash in between leaves an
// unreachable page or keys that still deduplicate, never a wrong count.
// Each page, and each key, takes the write lock on its own, so a sweep
// does not hold up deliveries for long.
func (s *Store) PruneInbox(ctx context.Context, userID string, olderThan time.Time) error {
	for raced := 0; ; {
		keys, pruned, err := s.pruneOldestPage(ctx, userID, olderThan)
		switch {
		case errors.Is(err, errInboxRaced) && raced < 3:
			raced++
			continue
		case err != nil || !pruned:
			return err
		}
		for _, k := range keys {
			if err := s.deleteInboxKey(ctx, userID, k); err != nil {
				return err
			}
		}
	}
}

// errInboxRaced says that, on MongoDB, other writers kept changing what a
// compare-and-set expected.
var errInboxRaced = errors.New("the inbox keeps changing")

// pruneOldestPage deletes the oldest page if it is old enough, and returns
// the keys of its notifications for the caller to delete.
func (s *Store) pruneOldestPage(ctx context.Context, userID string, olderThan time.Time) ([]string, bool, error) {
	unlock := s.lockWrites()
	defer unlock()
	h, err := s.head(ctx, userID)
	if err != nil {
		return nil, false, err
	}
	p := h.OldestPage
	if p >= h.Seq/inboxPageSize {
		return nil, false, nil
	}
	items, _, err := s.page(ctx, userID, p)
	if err != nil {
		return nil, false, err
	}
	var unread int64
	var keys []string
	for _, it := range items {
		if !it.CreatedAt.Before(olderThan) {
			return nil, false, nil
		}
		if !it.Read && it.Seq > h.ReadUpto {
			unread++
		}
		if it.Key != "" {
			keys = append(keys, it.Key)
		}
	}
	unread = min(unread, max(h.Unread, 0))
	filter := s.idFilterOn("oldest_page", userID, p)
	if s.embedded == nil && unread > 0 {
		// A mark-read between the page read and this write may have
		// counted one of these off already. The count must never go
		// below zero: if it would, the pass starts again from a fresh
		// read. (If it holds enough, the item is counted off twice, one
		// too few until the next "read all".)
		filter = append(filter, bson.E{Key: "unread", Value: bson.D{{Key: "$gte", Value: unread}}})
	}
	s.testHook("prune: count off")
	res, err := s.inbox.UpdateOne(ctx, filter, bson.D{
		{Key: "$set", Value: bson.D{{Key: "oldest_page", Value: p + 1}}},
		{Key: "$inc", Value: bson.D{{Key: "unread", Value: -unread}}},
	})
	if err != nil {
		return nil, false, fmt.Errorf("store: prune inbox of %s: %w", userID, err)
	}
	if res.MatchedCount == 0 {
		return nil, false, fmt.Errorf("store: prune inbox of %s: %w", userID, errInboxRaced)
	}
	if _, err := s.inboxPages.DeleteOne(ctx, bson.D{{Key: "_id", Value: inboxPageID(userID, p)}}); err != nil {
		return nil, false, fmt.Errorf("store: prune inbox of %s: %w", userID, err)
	}
	return keys, true, nil
}

func (s *Store) deleteInboxKey(ctx context.Context, userID, key string) error {
	unlock := s.lockWrites()
	defer unlock()
	if _, err := s.inboxKeys.DeleteOne(ctx, bson.D{{Key: "_id", Value: inboxKeyID(userID, key)}}); err != nil {
		return fmt.Errorf("store: prune inbox of %s: key: %w", userID, err)
	}
	return nil
}
