package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"sankofa"
)

// The outbox keeps an event from being lost when the process dies between
// a database write and its publication, without multi-document
// transactions (FerretDB v1 has none). The event rides in the entity's own
// document, in its `_pending` list, so a write is one single-document
// write: it commits or it does not, together with its event. Ack pulls the
// event from the list once it is published.
//
// Finding unpublished events again:
//   - events this process wrote and has not acknowledged are kept in
//     memory, so the relay retries them without reading the database;
//   - after a crash, the first Recover scans the collections for non-empty
//     `_pending` lists. On the embedded store that scan is a full scan (a
//     few seconds at 100k documents), so it runs only when the previous
//     run did not shut down cleanly, which a flag file in the data
//     directory records. On MongoDB an index on `_pending.id` makes it
//     cheap, and every pass runs it, since another replica may have died.

// pendingField lists, inside an entity document, its unpublished events.
const pendingField = "_pending"

// cleanFlag, in the data directory, says the last embedded run shut down
// with every event acknowledged.
const cleanFlag = "clean-shutdown"

type outboxEntry struct {
	ID    string        `bson:"id"`
	Event sankofa.Event `bson:"event"`
	At    time.Time     `bson:"at"`
}

// slot is what the embedded store remembers of a stored entity, so that a
// write needs no read first: the lock makes this process the only writer.
type slot struct {
	version int64
	pending []outboxEntry
}

// slotCacheMax bounds the slot cache; past it the cache starts over, which
// costs one read per entity written next.
const slotCacheMax = 200_000

// outbox is the in-process side of the outbox.
type outbox struct {
	mu       sync.Mutex
	unacked  map[string]unackedEvent // by event id
	needScan bool                    // the database may hold events no one remembers
	// published holds, on the embedded store, events published whose
	// removal from their entity's _pending is not written yet: the
	// entity's next save leaves them out for free, and FlushAcks writes
	// the rest. A crash before then publishes them again, which JetStream's
	// duplicate window and the consumers' version checks absorb.
	published map[string]publishedEvent // by event id
}

type publishedEvent struct {
	coll, entity string
	at           time.Time // when it was published
}

type unackedEvent struct {
	coll string
	at   time.Time
	ev   sankofa.Event
}

func (o *outbox) remember(coll string, e outboxEntry) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.unacked == nil {
		o.unacked = map[string]unackedEvent{}
	}
	o.unacked[e.ID] = unackedEvent{coll: coll, at: e.At, ev: e.Event}
}

func (o *outbox) forget(id string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	delete(o.unacked, id)
}

func (o *outbox) empty() bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.unacked) == 0 && len(o.published) == 0 && !o.needScan
}

// markPublished moves an event from unacked to published.
func (o *outbox) markPublished(coll, entity, id string, at time.Time) {
	o.mu.Lock()
	defer o.mu.Unlock()
	delete(o.unacked, id)
	if o.published == nil {
		o.published = map[string]publishedEvent{}
	}
	o.published[id] = publishedEvent{coll: coll, entity: entity, at: at}
}

// isPublished reports whether an event is known to be published.
func (o *outbox) isPublished(id string) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	_, ok := o.published[id]
	return ok
}

// withoutPublished returns pending without the events known to be
// published, and their ids; pending itself is not changed.
func (o *outbox) withoutPublished(pending []outboxEntry) ([]outboxEntry, []string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.published) == 0 {
		return pending, nil
	}
	var done []string
	left := make([]outboxEntry, 0, len(pending))
	for _, e := range pending {
		if _, ok := o.published[e.ID]; ok {
			done = append(done, e.ID)
			continue
		}
		left = append(left, e)
	}
	return left, done
}

// forgetPublished drops events whose removal has been written.
func (o *outbox) forgetPublished(ids []string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, id := range ids {
		delete(o.published, id)
	}
}

// save writes an entity document at version expected+1 together with its
// event. expected 0 means create. It returns conflict when a create finds
// the _id taken, not_found when an update finds nothing and
// precondition_failed when the stored version is not expected.
func (s *Store) save(ctx context.Context, c *mongo.Collection, id string, expected int64, entity any, ev sankofa.Event) (sankofa.PendingEvent, error) {
	raw, err := bson.Marshal(entity)
	if err != nil {
		return sankofa.PendingEvent{}, fmt.Errorf("store: encode %s %s: %w", c.Name(), id, err)
	}
	var doc bson.D
	if err := bson.Unmarshal(raw, &doc); err != nil {
		return sankofa.PendingEvent{}, fmt.Errorf("store: encode %s %s: %w", c.Name(), id, err)
	}
	entry := outboxEntry{ID: ev.ID, Event: ev, At: s.now().UTC()}
	unlock := s.lockSave(slotKey(c, id))
	defer unlock()
	s.testHook("save: locked")
	if expected == 0 {
		doc = append(doc, bson.E{Key: pendingField, Value: []outboxEntry{entry}})
		if _, err := c.InsertOne(ctx, doc); err != nil {
			s.forgetSlot(c, id)
			if mongo.IsDuplicateKeyError(err) {
				return sankofa.PendingEvent{}, sankofa.Errorf(sankofa.Conflict, "%s %s already exists", c.Name(), id)
			}
			return sankofa.PendingEvent{}, fmt.Errorf("store: insert %s %s: %w", c.Name(), id, err)
		}
		s.setSlot(c, id, slot{version: 1, pending: []outboxEntry{entry}})
		s.keepDoc(c, id, raw)
		s.out.remember(c.Name(), entry)
		return sankofa.PendingEvent{ID: entry.ID, Event: ev, Current: entity}, nil
	}
	cur, err := s.currentSlot(ctx, c, id)
	if err != nil {
		return sankofa.PendingEvent{}, err
	}
	if cur.version != expected {
		return sankofa.PendingEvent{}, staleVersion(cur.version)
	}
	// Events already published leave the list with this write.
	kept, acked := s.out.withoutPublished(cur.pending)
	pending := append(slices.Clip(kept), entry)
	doc = append(doc, bson.E{Key: pendingField, Value: pending})
	res, err := c.ReplaceOne(ctx, s.idFilter(id, expected), doc)
	if err != nil {
		s.forgetSlot(c, id)
		return sankofa.PendingEvent{}, fmt.Errorf("store: replace %s %s: %w", c.Name(), id, err)
	}
	if res.MatchedCount == 0 {
		s.forgetSlot(c, id)
		return sankofa.PendingEvent{}, staleVersion(-1)
	}
	s.setSlot(c, id, slot{version: expected + 1, pending: pending})
	s.keepDoc(c, id, raw)
	s.out.forgetPublished(acked)
	s.out.remember(c.Name(), entry)
	return sankofa.PendingEvent{ID: entry.ID, Event: ev, Current: entity}, nil
}

type versionDoc struct {
	Version int64         `bson:"version"`
	Deleted bool          `bson:"deleted"`
	Pending []outboxEntry `bson:"_pending"`
}

// currentSlot returns the stored version and pending events of an entity,
// from the slot cache on the embedded store or else from the database.
func (s *Store) currentSlot(ctx context.Context, c *mongo.Collection, id string) (slot, error) {
	if s.embedded != nil {
		s.slotMu.Lock()
		sl, ok := s.slots[slotKey(c, id)]
		s.slotMu.Unlock()
		if ok {
			return sl, nil
		}
	}
	var cur versionDoc
	if err := c.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&cur); err != nil {
		return slot{}, notFound(err, c.Name(), id)
	}
	sl := slot{version: cur.Version, pending: cur.Pending}
	s.setSlot(c, id, sl)
	return sl, nil
}

func slotKey(c *mongo.Collection, id string) string { return c.Name() + "/" + id }

// learnSlot fills the slot cache from a document read outside the write
// lock, taken before the read, when no write holds the lock now and none
// started or ended since gen was taken: a write in progress then would
// still hold the lock or have ended since, so the read saw what is stored
// now. The API reads an entity before it writes it, so the write needs no
// read of its own.
func (s *Store) learnSlot(c *mongo.Collection, id string, gen uint64, v versionDoc, raw bson.Raw) {
	if s.embedded == nil || !s.writeMu.TryLock() {
		return
	}
	defer s.writeMu.Unlock()
	if s.writeGen.Load() == gen {
		s.setSlot(c, id, slot{version: v.Version, pending: v.Pending})
		s.keepDoc(c, id, raw)
	}
}

// setSlot and forgetSlot run under the write lock, or the document's save
// lock. A failed write forgets the slot, since it may have committed after
// all.
func (s *Store) setSlot(c *mongo.Collection, id string, sl slot) {
	if s.embedded == nil {
		return
	}
	s.slotMu.Lock()
	defer s.slotMu.Unlock()
	if len(s.slots) >= slotCacheMax {
		clear(s.slots)
	}
	s.slots[slotKey(c, id)] = sl
}

func (s *Store) forgetSlot(c *mongo.Collection, id string) {
	s.slotMu.Lock()
	delete(s.slots, slotKey(c, id))
	s.slotMu.Unlock()
	s.docs.forget(slotKey(c, id))
}

// keepDoc puts a document just written into the document cache; it runs
// under the write lock.
func (s *Store) keepDoc(c *mongo.Collection, id string, raw bson.Raw) {
	if s.cachesDocs(c) {
		s.docs.put(slotKey(c, id), raw)
	}
}

func staleVersion(current int64) error {
	if current < 0 {
		return sankofa.Errorf(sankofa.PreconditionFailed, "the resource was changed by someone else; fetch it again")
	}
	return sankofa.Errorf(sankofa.PreconditionFailed, "the resource is at version %d; fetch it again", current)
}

// Ack records that a pending event has been published. On the embedded
// store the record is written lazily (see outbox.published): by the
// entity's next save, or by FlushAcks.
func (s *Store) Ack(ctx context.Context, p sankofa.PendingEvent) error {
	coll, ok := collectionOf(p.Event.Subject)
	if !ok {
		return fmt.Errorf("store: ack %s: unknown subject %q", p.ID, p.Event.Subject)
	}
	if s.embedded != nil {
		s.out.markPublished(coll, p.Event.EntityID, p.ID, s.now())
		return nil
	}
	// MongoDB applies $pull atomically, and has no write lock to spare.
	_, err := s.db.Collection(coll).UpdateOne(ctx, bson.D{{Key: "_id", Value: p.Event.EntityID}},
		bson.D{{Key: "$pull", Value: bson.D{{Key: pendingField, Value: bson.D{{Key: "id", Value: p.ID}}}}}})
	if err != nil {
		return fmt.Errorf("store: ack %s: %w", p.ID, err)
	}
	s.out.forget(p.ID)
	return nil
}

// FlushAcks writes, on the embedded store, the acknowledgements of events
// published at least age ago that no save has written since: one write
// per entity, each under the write lock on its own so that requests'
// writes pass in between. Close flushes them all.
func (s *Store) FlushAcks(ctx context.Context, age time.Duration) error {
	if s.embedded == nil {
		return nil
	}
	type entityKey struct{ coll, id string }
	cutoff := s.now().Add(-age)
	s.out.mu.Lock()
	due := map[entityKey][]string{} // the events due, by entity
	for id, e := range s.out.published {
		if !e.at.After(cutoff) {
			k := entityKey{e.coll, e.entity}
			due[k] = append(due[k], id)
		}
	}
	s.out.mu.Unlock()
	var errs []error
	for k, ids := range due {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := s.flushEntityAcks(ctx, s.db.Collection(k.coll), k.id, ids); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// flushEntityAcks removes an entity's published events from its _pending;
// due are the ones FlushAcks came for. The lock makes the
// read-modify-write safe, and the slot cache usually saves the read.
func (s *Store) flushEntityAcks(ctx context.Context, c *mongo.Collection, id string, due []string) error {
	unlock := s.lockWrites()
	defer unlock()
	cur, err := s.currentSlot(ctx, c, id)
	if sankofa.IsCode(err, sankofa.NotFound) {
		s.out.forgetPublished(due)
		return nil
	}
	if err != nil {
		return fmt.Errorf("store: ack events of %s %s: %w", c.Name(), id, err)
	}
	// Due events no longer in the list were removed another way.
	s.out.forgetPublished(slices.DeleteFunc(slices.Clone(due), func(eid string) bool {
		return slices.ContainsFunc(cur.pending, func(e outboxEntry) bool { return e.ID == eid })
	}))
	left, acked := s.out.withoutPublished(cur.pending)
	if len(acked) == 0 {
		return nil
	}
	if _, err := c.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}},
		bson.D{{Key: "$set", Value: bson.D{{Key: pendingField, Value: left}}}}); err != nil {
		s.forgetSlot(c, id)
		return fmt.Errorf("store: ack events of %s %s: %w", c.Name(), id, err)
	}
	cur.pending = left
	s.setSlot(c, id, cur)
	s.out.forgetPublished(acked)
	return nil
}

// collections names the collection of each kind of entity that carries
// events.
var collections = map[string]string{"account": "accounts", "profile": "profiles", "assignment": "assignments", "offer": "offers"}

// collectionOf names the collection of an event's entity from its subject,
// "sankofa.<kind>.<action>".
func collectionOf(subject string) (string, bool) {
	parts := strings.Split(subject, ".")
	if len(parts) != 3 {
		return "", false
	}
	coll, ok := collections[parts[1]]
	return coll, ok
}

// Recover returns the events committed at least grace ago that were never
// acknowledged, oldest first, each with its entity as stored now.
func (s *Store) Recover(ctx context.Context, grace time.Duration) ([]sankofa.PendingEvent, error) {
	if err := s.scanPending(ctx); err != nil {
		return nil, err
	}
	cutoff := s.now().Add(-grace)
	s.out.mu.Lock()
	var due []unackedEvent
	for _, u := range s.out.unacked {
		if !u.at.After(cutoff) {
			due = append(due, u)
		}
	}
	s.out.mu.Unlock()
	slices.SortFunc(due, func(a, b unackedEvent) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		return int(a.ev.Version - b.ev.Version)
	})
	var out []sankofa.PendingEvent
	for _, u := range due {
		current, pending, err := s.loadEntity(ctx, u.coll, u.ev.EntityID)
		if err != nil {
			return out, err
		}
		if !slices.ContainsFunc(pending, func(e outboxEntry) bool { return e.ID == u.ev.ID }) {
			s.out.forget(u.ev.ID) // acknowledged meanwhile
			continue
		}
		out = append(out, sankofa.PendingEvent{ID: u.ev.ID, Event: u.ev, Current: current})
	}
	return out, nil
}

// scanPending adds to the in-memory outbox the events found in the
// database, when it may hold some no one remembers.
func (s *Store) scanPending(ctx context.Context) error {
	s.out.mu.Lock()
	need := s.out.needScan
	s.out.mu.Unlock()
	if !need {
		return nil
	}
	for _, c := range []*mongo.Collection{s.accounts, s.profiles, s.assignments, s.offers} {
		cur, err := c.Find(ctx, bson.D{{Key: pendingField + ".id", Value: bson.D{{Key: "$exists", Value: true}}}})
		if err != nil {
			return fmt.Errorf("store: scan %s for unpublished events: %w", c.Name(), err)
		}
		for cur.Next(ctx) {
			var v versionDoc
			if err := cur.Decode(&v); err != nil {
				cur.Close(ctx)
				return fmt.Errorf("store: scan %s for unpublished events: %w", c.Name(), err)
			}
			for _, e := range v.Pending {
				if !s.out.isPublished(e.ID) {
					s.out.remember(c.Name(), e)
				}
			}
		}
		err = cur.Err()
		cur.Close(ctx)
		if err != nil {
			return fmt.Errorf("store: scan %s for unpublished events: %w", c.Name(), err)
		}
	}
	if s.embedded != nil {
		s.out.mu.Lock()
		s.out.needScan = false
		s.out.mu.Unlock()
	}
	return nil
}

// loadEntity reads an entity of any kind by collection name; a missing
// or deleted entity is nil.
func (s *Store) loadEntity(ctx context.Context, coll, id string) (any, []outboxEntry, error) {
	var entity any
	switch coll {
	case s.accounts.Name():
		entity = &sankofa.Account{}
	case s.profiles.Name():
		entity = &sankofa.Profile{}
	case s.assignments.Name():
		entity = &sankofa.Assignment{}
	case s.offers.Name():
		entity = &sankofa.Offer{}
	default:
		return nil, nil, fmt.Errorf("store: outbox names unknown collection %q", coll)
	}
	raw, err := s.db.Collection(coll).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Raw()
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("store: load %s %s: %w", coll, id, err)
	}
	if err := bson.Unmarshal(raw, entity); err != nil {
		return nil, nil, fmt.Errorf("store: decode %s %s: %w", coll, id, err)
	}
	var v versionDoc
	_ = bson.Unmarshal(raw, &v)
	if v.Deleted {
		return nil, v.Pending, nil
	}
	return entity, v.Pending, nil
}

// openCleanFlag reports whether the last embedded run shut down cleanly,
// and removes the flag, durably, so that a crash from now on is noticed.
func openCleanFlag(dataDir string) (bool, error) {
	path := filepath.Join(dataDir, cleanFlag)
	err := os.Remove(path)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("store: %w", err)
	}
	return true, syncDir(dataDir)
}

// writeCleanFlag records a clean shutdown.
func writeCleanFlag(dataDir string) error {
	f, err := os.OpenFile(filepath.Join(dataDir, cleanFlag), os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	return syncDir(dataDir)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("store: sync %s: %w", dir, err)
	}
	return nil
}
