package store

import (
	"context"
	"fmt"
	"sync"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// docCache keeps, on the embedded store, the stored documents of the
// accounts and profiles written or read last. Every request reads its
// caller's account, and a profile edit reads the profile first: each was
// a FerretDB find (a sixth of the CPU under scripts/load.sh write-heavy).
// It is sound for the reason the slot cache is: the write lock makes this
// process the only writer, and every write to these collections either
// goes through save, which puts the new document here once it has
// committed, or forgets the entity (a failed write, an erasure). Outbox
// acknowledgements change only _pending, which readers ignore.
//
// On MongoDB other replicas write too, so nothing is cached.
type docCache struct {
	mu    sync.RWMutex
	docs  map[string]bson.Raw // by slotKey
	bytes int
}

// docCacheBytes bounds the cache; past it the cache starts over, which
// costs one read per entity read next.
const docCacheBytes = 64 << 20

func (d *docCache) get(key string) (bson.Raw, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	raw, ok := d.docs[key]
	return raw, ok
}

func (d *docCache) put(key string, raw bson.Raw) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.docs == nil || d.bytes+len(raw) > docCacheBytes {
		d.docs, d.bytes = map[string]bson.Raw{}, 0
	}
	d.bytes += len(raw) - len(d.docs[key])
	d.docs[key] = raw
}

func (d *docCache) forget(key string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.bytes -= len(d.docs[key])
	delete(d.docs, key)
}

// cachesDocs says whether c's documents are kept in the document cache.
func (s *Store) cachesDocs(c *mongo.Collection) bool {
	return s.embedded != nil && (c == s.accounts || c == s.profiles)
}

// cachedDoc returns the stored document of an entity of c, if cached.
func (s *Store) cachedDoc(c *mongo.Collection, id string) (bson.Raw, bool) {
	if !s.cachesDocs(c) {
		return nil, false
	}
	return s.docs.get(slotKey(c, id))
}

// readDoc returns the stored document of an entity of c, from the
// document cache when it holds it, else from the database (filling the
// slot and document caches when no write ran meanwhile).
func (s *Store) readDoc(ctx context.Context, c *mongo.Collection, id string) (bson.Raw, error) {
	if raw, ok := s.cachedDoc(c, id); ok {
		return raw, nil
	}
	gen := s.writeGen.Load() // before the read; see learnSlot
	raw, err := c.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Raw()
	if err != nil {
		return nil, err
	}
	var v versionDoc
	if err := bson.Unmarshal(raw, &v); err != nil {
		return nil, fmt.Errorf("store: decode %s %s: %w", c.Name(), id, err)
	}
	s.learnSlot(c, id, gen, v, raw)
	return raw, nil
}
