package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"sankofa"
)

// What `sankofa check` reads: whole-collection scans, which only the
// consistency checker and index rebuilds make. Nothing here writes.

// EachDeletedProfile calls fn with the id and version of every profile
// tombstone, so the checker can tell that no index still holds it.
func (s *Store) EachDeletedProfile(ctx context.Context, fn func(id string, version int64) error) error {
	return each(ctx, s.profiles, func(p *profileOrTombstone) error {
		if !p.Deleted {
			return nil
		}
		return fn(p.ID, p.Version)
	})
}

// EachUnpublished calls fn with every event still in an entity's outbox:
// committed, but not yet acknowledged as published.
func (s *Store) EachUnpublished(ctx context.Context, fn func(ev sankofa.Event) error) error {
	for _, c := range []*mongo.Collection{s.accounts, s.profiles, s.assignments, s.offers} {
		// FerretDB scans for this filter whatever it is; MongoDB uses the
		// index on _pending.id.
		cur, err := c.Find(ctx, bson.D{{Key: pendingField + ".id", Value: bson.D{{Key: "$exists", Value: true}}}})
		if err != nil {
			return fmt.Errorf("store: scan %s for unpublished events: %w", c.Name(), err)
		}
		err = eachCursor(ctx, cur, func(v *versionDoc) error {
			for _, e := range v.Pending {
				if s.out.isPublished(e.ID) {
					continue // published; its removal is written lazily
				}
				if err := fn(e.Event); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("store: scan %s for unpublished events: %w", c.Name(), err)
		}
	}
	return nil
}

// EachInboxHead calls fn with every inbox: its owner, the last seq given
// and the oldest page still kept (pages before it were pruned).
func (s *Store) EachInboxHead(ctx context.Context, fn func(userID string, lastSeq, oldestPage int64) error) error {
	type head struct {
		ID         string `bson:"_id"`
		Seq        int64  `bson:"seq"`
		OldestPage int64  `bson:"oldest_page"`
	}
	return each(ctx, s.inbox, func(h *head) error { return fn(h.ID, h.Seq, h.OldestPage) })
}

// EachInboxKey calls fn with every notification key delivered: the
// person, the key and the seq it was given.
func (s *Store) EachInboxKey(ctx context.Context, fn func(userID, key string, seq int64) error) error {
	type keyDoc struct {
		ID  string `bson:"_id"`
		Seq int64  `bson:"seq"`
	}
	return each(ctx, s.inboxKeys, func(k *keyDoc) error {
		user, key, ok := strings.Cut(k.ID, "|")
		if !ok {
			return fmt.Errorf("store: inbox key %q has no user", k.ID)
		}
		return fn(user, key, k.Seq)
	})
}

// EachNotification calls fn with every stored notification, page by page
// (within a page in seq order); Read reflects only the item's own flag.
func (s *Store) EachNotification(ctx context.Context, fn func(n *sankofa.Notification) error) error {
	type pageDoc struct {
		ID    string `bson:"_id"`
		Items []byte `bson:"items"`
	}
	return each(ctx, s.inboxPages, func(p *pageDoc) error {
		i := strings.LastIndexByte(p.ID, ':')
		if i < 0 {
			return fmt.Errorf("store: inbox page %q has no user", p.ID)
		}
		user := p.ID[:i]
		items, err := decodePage(p.Items)
		if err != nil {
			return fmt.Errorf("store: decode inbox page %s: %w", p.ID, err)
		}
		for _, it := range items {
			n := it.notification(user, inboxHead{})
			if err := fn(&n); err != nil {
				return err
			}
		}
		return nil
	})
}

// eachCursor decodes every document of cur into a new T and calls fn.
func eachCursor[T any](ctx context.Context, cur *mongo.Cursor, fn func(*T) error) error {
	defer cur.Close(ctx)
	for cur.Next(ctx) {
		v := new(T)
		if err := cur.Decode(v); err != nil {
			return err
		}
		if err := fn(v); err != nil {
			return err
		}
	}
	if err := cur.Err(); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return cur.Err()
}
