package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"sankofa"
)

// The outbox keeps an event from being lost when the process dies between
// a database write and its publication, without multi-document
// transactions (FerretDB v1 has none):
//
//  1. a marker holding the event is inserted into the outbox collection;
//  2. the entity is written with the marker's id added to its `_pending`
//     list, in the same single-document write (a delete writes a
//     tombstone, so it too leaves a document to carry the list);
//  3. after publishing, Ack removes the id from `_pending` and deletes the
//     marker.
//
// A marker whose id is in its entity's `_pending` list is an event that
// happened and may not have been
// published; any other marker is a write that never happened. Recover
// returns the former once they are older than a grace period, so that
// writes still in flight are left alone.

// pendingField lists, inside an entity document, its unpublished events.
const pendingField = "_pending"

type marker struct {
	ID         string        `bson:"_id"`
	Collection string        `bson:"collection"`
	Event      sankofa.Event `bson:"event"`
	CreatedAt  time.Time     `bson:"created_at"`
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
	unlock := s.lockWrites()
	defer unlock()
	m, err := s.insertMarker(ctx, c, ev)
	if err != nil {
		return sankofa.PendingEvent{}, err
	}
	if expected == 0 {
		doc = append(doc, bson.E{Key: pendingField, Value: []string{m.ID}})
		if _, err := c.InsertOne(ctx, doc); err != nil {
			s.dropMarker(m.ID)
			if mongo.IsDuplicateKeyError(err) {
				return sankofa.PendingEvent{}, sankofa.Errorf(sankofa.Conflict, "%s %s already exists", c.Name(), id)
			}
			return sankofa.PendingEvent{}, fmt.Errorf("store: insert %s %s: %w", c.Name(), id, err)
		}
		return sankofa.PendingEvent{ID: m.ID, Event: ev, Current: entity}, nil
	}
	cur, err := s.currentVersion(ctx, c, id)
	if err != nil {
		s.dropMarker(m.ID)
		return sankofa.PendingEvent{}, err
	}
	if cur.Version != expected {
		s.dropMarker(m.ID)
		return sankofa.PendingEvent{}, staleVersion(cur.Version)
	}
	doc = append(doc, bson.E{Key: pendingField, Value: append(cur.Pending, m.ID)})
	res, err := c.ReplaceOne(ctx, s.idFilter(id, expected), doc)
	if err != nil {
		s.dropMarker(m.ID)
		return sankofa.PendingEvent{}, fmt.Errorf("store: replace %s %s: %w", c.Name(), id, err)
	}
	if res.MatchedCount == 0 {
		s.dropMarker(m.ID)
		return sankofa.PendingEvent{}, staleVersion(-1)
	}
	return sankofa.PendingEvent{ID: m.ID, Event: ev, Current: entity}, nil
}

type versionDoc struct {
	Version int64    `bson:"version"`
	Deleted bool     `bson:"deleted"`
	Pending []string `bson:"_pending"`
}

func (s *Store) currentVersion(ctx context.Context, c *mongo.Collection, id string) (versionDoc, error) {
	var cur versionDoc
	if err := c.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&cur); err != nil {
		return cur, notFound(err, c.Name(), id)
	}
	return cur, nil
}

func staleVersion(current int64) error {
	if current < 0 {
		return sankofa.Errorf(sankofa.PreconditionFailed, "the resource was changed by someone else; fetch it again")
	}
	return sankofa.Errorf(sankofa.PreconditionFailed, "the resource is at version %d; fetch it again", current)
}

func (s *Store) insertMarker(ctx context.Context, c *mongo.Collection, ev sankofa.Event) (marker, error) {
	m := marker{ID: sankofa.NewID("ob"), Collection: c.Name(), Event: ev, CreatedAt: s.now().UTC()}
	if _, err := s.outbox.InsertOne(ctx, m); err != nil {
		return m, fmt.Errorf("store: record event %s: %w", ev.ID, err)
	}
	return m, nil
}

// dropMarker removes the marker of a write that did not happen. It uses its
// own context: the caller's may be what failed.
func (s *Store) dropMarker(id string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := s.outbox.DeleteOne(ctx, bson.D{{Key: "_id", Value: id}}); err != nil {
		s.log.Warn("store: drop outbox marker", "marker", id, "err", err)
	}
}

// Ack records that a pending event has been published.
func (s *Store) Ack(ctx context.Context, p sankofa.PendingEvent) error {
	var m marker
	err := s.outbox.FindOne(ctx, bson.D{{Key: "_id", Value: p.ID}}).Decode(&m)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("store: ack %s: %w", p.ID, err)
	}
	unlock := s.lockWrites()
	_, err = s.db.Collection(m.Collection).UpdateOne(ctx,
		bson.D{{Key: "_id", Value: m.Event.EntityID}},
		bson.D{{Key: "$pull", Value: bson.D{{Key: pendingField, Value: p.ID}}}})
	unlock()
	if err != nil {
		return fmt.Errorf("store: ack %s: %w", p.ID, err)
	}
	if _, err := s.outbox.DeleteOne(ctx, bson.D{{Key: "_id", Value: p.ID}}); err != nil {
		return fmt.Errorf("store: ack %s: %w", p.ID, err)
	}
	return nil
}

// Recover returns the events committed at least grace ago that were never
// acknowledged, oldest first, and drops markers of writes that never
// happened. The outbox holds only unacknowledged writes, so it stays small
// and scanning it is cheap even on the embedded store.
func (s *Store) Recover(ctx context.Context, grace time.Duration) ([]sankofa.PendingEvent, error) {
	cur, err := s.outbox.Find(ctx, bson.D{})
	if err != nil {
		return nil, fmt.Errorf("store: read outbox: %w", err)
	}
	var markers []marker
	if err := cur.All(ctx, &markers); err != nil {
		return nil, fmt.Errorf("store: read outbox: %w", err)
	}
	slices.SortFunc(markers, func(a, b marker) int { return a.CreatedAt.Compare(b.CreatedAt) })
	cutoff := s.now().Add(-grace)
	var out []sankofa.PendingEvent
	for _, m := range markers {
		if m.CreatedAt.After(cutoff) {
			continue
		}
		current, pending, err := s.loadEntity(ctx, m.Collection, m.Event.EntityID)
		if err != nil {
			return out, err
		}
		if !slices.Contains(pending, m.ID) {
			s.dropMarker(m.ID)
			continue
		}
		out = append(out, sankofa.PendingEvent{ID: m.ID, Event: m.Event, Current: current})
	}
	return out, nil
}

// loadEntity reads an entity of any kind by collection name; a missing
// or deleted entity is nil.
func (s *Store) loadEntity(ctx context.Context, coll, id string) (any, []string, error) {
	var entity any
	switch coll {
	case s.accounts.Name():
		entity = &sankofa.Account{}
	case s.profiles.Name():
		entity = &sankofa.Profile{}
	case s.assignments.Name():
		entity = &sankofa.Assignment{}
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
