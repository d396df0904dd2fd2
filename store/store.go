// Package store keeps Sankofa's system of record in MongoDB, or in FerretDB
// embedded in the process when no MongoDB URI is configured. It is the only
// package that imports the MongoDB driver.
//
// FerretDB v1 pushes down only `{_id: value}` filters and does not make
// updates atomic, so every read here is by _id, and on the embedded store
// every write runs under one process-wide lock with its version check done
// in Go. Lists and filters are served by the search index, not from here.
package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	_ "modernc.org/sqlite" // the SQLite driver FerretDB uses, for indexIDPaths

	"sankofa"
)

// Config says where the store lives.
type Config struct {
	// URI of a MongoDB replica set; empty starts FerretDB embedded.
	URI string
	// Database name.
	Database string
	// DataDir holds the embedded database.
	DataDir string
	Logger  *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Store is the system of record.
type Store struct {
	client   *mongo.Client
	db       *mongo.Database
	embedded *embeddedDB
	log      *slog.Logger
	now      func() time.Time

	// writeMu serialises writes on the embedded store, where FerretDB's
	// read-modify-write updates would otherwise lose concurrent writes.
	// A save writes one document, so saves share it, and saves of one
	// document exclude each other through docLocks; every other write
	// holds it alone (see lockWrites and lockSave).
	writeMu  sync.RWMutex
	docLocks [docLockStripes]sync.Mutex
	// saving admits at most saveConcurrency saves into FerretDB at once.
	saving chan struct{}
	// slots caches versions and pending events on the embedded store,
	// under slotMu.
	slotMu sync.Mutex
	slots  map[string]slot
	// docs caches accounts' and profiles' documents on the embedded
	// store (see docCache).
	docs docCache
	// crashed: the last embedded run did not shut down cleanly.
	crashed bool
	// writeGen counts the starts and ends of writes: a read that saw no
	// change of it, and no write holding the lock after it, may fill the
	// slot cache (see learnSlot).
	writeGen atomic.Uint64
	out      outbox
	// hook, for tests only, is called at the points where concurrent
	// requests race (see testHook), to play one race out on purpose.
	hook func(at string)

	accounts, emails, profiles, assignments, sessions, idempotency *mongo.Collection
	offers, offerKeys, inbox, inboxPages, inboxKeys, webhooks      *mongo.Collection
}

// Open connects to MongoDB at cfg.URI, or starts FerretDB embedded under
// cfg.DataDir when the URI is empty, and prepares the collections.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Database == "" {
		cfg.Database = "sankofa"
	}
	s := &Store{log: cfg.Logger, now: cfg.Now}
	// MongoDB is shared by replicas, any of which may die with events
	// unpublished, so every relay pass looks.
	s.out.needScan = cfg.URI != ""
	uri := cfg.URI
	opts := options.Client().SetTimeout(30 * time.Second)
	if uri == "" {
		e, err := startEmbedded(cfg.DataDir, cfg.Logger)
		if err != nil {
			return nil, err
		}
		s.embedded = e
		s.slots = map[string]slot{}
		s.saving = make(chan struct{}, saveConcurrency)
		uri = e.uri
		clean, err := openCleanFlag(e.dir)
		if err != nil {
			e.stop()
			return nil, err
		}
		s.out.needScan = !clean
		s.crashed = !clean
		// FerretDB drops a connection on some inputs; keep the pool small
		// and retry reads so one bad request does not hurt the others.
		opts.SetMaxPoolSize(8).SetRetryReads(true).SetRetryWrites(false)
	}
	client, err := mongo.Connect(opts.ApplyURI(uri))
	if err != nil {
		s.stopEmbedded()
		return nil, fmt.Errorf("store: connect: %w", err)
	}
	s.client = client
	s.db = client.Database(cfg.Database)
	s.accounts = s.db.Collection("accounts")
	s.emails = s.db.Collection("emails")
	s.profiles = s.db.Collection("profiles")
	s.assignments = s.db.Collection("assignments")
	s.sessions = s.db.Collection("sessions")
	s.idempotency = s.db.Collection("idempotency")
	s.offers = s.db.Collection("offers")
	s.offerKeys = s.db.Collection("offer_keys")
	s.inbox = s.db.Collection("inbox")
	s.inboxPages = s.db.Collection("inbox_pages")
	s.inboxKeys = s.db.Collection("inbox_keys")
	s.webhooks = s.db.Collection("webhooks")
	if err := s.prepare(ctx); err != nil {
		s.Close(context.Background())
		return nil, err
	}
	return s, nil
}

// prepare creates the collections and, on the embedded store, the _id path
// indexes that keep lookups from scanning.
func (s *Store) prepare(ctx context.Context) error {
	existing, err := s.db.ListCollectionNames(ctx, bson.D{})
	if err != nil {
		return fmt.Errorf("store: list collections: %w", err)
	}
	have := map[string]bool{}
	for _, n := range existing {
		have[n] = true
	}
	for _, c := range []*mongo.Collection{s.accounts, s.emails, s.profiles, s.assignments, s.sessions, s.idempotency,
		s.offers, s.offerKeys, s.inbox, s.inboxPages, s.inboxKeys, s.webhooks, s.shortlistColl(), s.erasures(),
		s.reportColl(), s.evaluationColl(), s.reminderColl(), s.exportJobs()} {
		if have[c.Name()] {
			continue
		}
		if err := s.db.CreateCollection(ctx, c.Name()); err != nil && !isNamespaceExists(err) {
			return fmt.Errorf("store: create collection %s: %w", c.Name(), err)
		}
	}
	if err := s.prepareAudit(ctx); err != nil {
		return err
	}
	if err := s.prepareSessions(ctx); err != nil {
		return err
	}
	if s.embedded != nil {
		return s.embedded.indexIDPaths(ctx, s.db.Name())
	}
	for _, c := range []*mongo.Collection{s.accounts, s.profiles, s.assignments, s.offers} {
		if _, err := c.Indexes().CreateOne(ctx, mongo.IndexModel{
			Keys:    bson.D{{Key: pendingField + ".id", Value: 1}},
			Options: options.Index().SetSparse(true),
		}); err != nil {
			return fmt.Errorf("store: index %s pending events: %w", c.Name(), err)
		}
	}
	return nil
}

// Embedded reports whether the store runs on embedded FerretDB.
func (s *Store) Embedded() bool { return s.embedded != nil }

// Crashed reports whether the last run on the embedded store ended
// without a clean shutdown (a first start counts as one); always false on
// MongoDB, where other replicas go on writing.
func (s *Store) Crashed() bool { return s.crashed }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.client.Ping(ctx, nil); err != nil {
		return fmt.Errorf("store: ping: %w", err)
	}
	return nil
}

// Close disconnects and stops the embedded database. When every event was
// acknowledged it records a clean shutdown, so the next start need not
// scan for unpublished events.
func (s *Store) Close(ctx context.Context) error {
	// Acknowledgements written lazily are written now, so that a clean
	// shutdown leaves no published event in an outbox.
	err := s.FlushAcks(ctx, 0)
	if s.client != nil {
		err = errors.Join(err, s.client.Disconnect(ctx))
	}
	s.stopEmbedded()
	if s.embedded != nil && err == nil && s.out.empty() {
		err = writeCleanFlag(s.embedded.dir)
	}
	return err
}

func (s *Store) stopEmbedded() {
	if s.embedded != nil {
		s.embedded.stop()
	}
}

// lockWrites serialises writes on the embedded store; real MongoDB checks
// versions atomically in the filter instead.
func (s *Store) lockWrites() func() {
	if s.embedded == nil {
		return func() {}
	}
	s.writeMu.Lock()
	s.writeGen.Add(1)
	return func() {
		s.writeGen.Add(1)
		s.writeMu.Unlock()
	}
}

// docLockStripes is how many locks the documents' saves are spread over;
// two saves of different documents rarely share one.
const docLockStripes = 256

// saveConcurrency bounds the saves in FerretDB at once. SQLite commits one
// transaction at a time and makes the others wait with sleeps of 1, 2, 5,
// 10 ms...; two let one save's decoding and encoding in FerretDB run while
// the other commits, without many sleeping. See BENCHMARKS.md, "The write
// path".
const saveConcurrency = 2

// lockSave locks one document for a save on the embedded store. Saves of
// different documents run side by side: a save is a read-modify-write of
// its own document in FerretDB, which cannot lose another document's
// write. Writes that touch several documents, or that must see no save
// in flight, take lockWrites, which excludes every save.
func (s *Store) lockSave(key string) func() {
	if s.embedded == nil {
		return func() {}
	}
	doc := &s.docLocks[stripe(key)]
	s.writeMu.RLock()
	doc.Lock()
	s.saving <- struct{}{}
	s.writeGen.Add(1)
	return func() {
		s.writeGen.Add(1)
		<-s.saving
		doc.Unlock()
		s.writeMu.RUnlock()
	}
}

// stripe maps a slot key to one of the document locks (FNV-1a).
func stripe(key string) int {
	h := uint32(2166136261)
	for i := 0; i < len(key); i++ {
		h ^= uint32(key[i])
		h *= 16777619
	}
	return int(h % docLockStripes)
}

// testHook calls the test hook, if a test set one, at a named point.
func (s *Store) testHook(at string) {
	if s.hook != nil {
		s.hook(at)
	}
}

// idFilter matches one document by _id, plus a version on real MongoDB.
// FerretDB would scan on a second key, and the lock makes it unnecessary.
func (s *Store) idFilter(id string, version int64) bson.D {
	if s.embedded != nil || version < 0 {
		return bson.D{{Key: "_id", Value: id}}
	}
	return bson.D{{Key: "_id", Value: id}, {Key: "version", Value: version}}
}

// notFound converts a missing document into a not_found domain error.
func notFound(err error, what, id string) error {
	if errors.Is(err, mongo.ErrNoDocuments) {
		return &sankofa.Error{Code: sankofa.NotFound, Message: what + " not found"}
	}
	return fmt.Errorf("store: find %s %s: %w", what, id, err)
}

func isNamespaceExists(err error) bool {
	var ce mongo.CommandError
	return errors.As(err, &ce) && (ce.Code == 48 || ce.Name == "NamespaceExists")
}
