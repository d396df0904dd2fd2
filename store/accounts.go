package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"sankofa"
)

// emailKey reserves an e-mail address for one account. It is keyed by the
// address so that uniqueness and lookup by e-mail are both _id operations.
type emailKey struct {
	Email     string    `bson:"_id"`
	AccountID string    `bson:"account_id"`
	At        time.Time `bson:"at"` // when it was claimed; see claimGrace
}

// CreateAccount stores a new account and its event. It returns conflict
// when the e-mail address is taken.
func (s *Store) CreateAccount(ctx context.Context, a *sankofa.Account, ev sankofa.Event) (sankofa.PendingEvent, error) {
	key := emailKey{Email: sankofa.NormalizeEmail(a.Email), AccountID: a.ID, At: s.now().UTC().Truncate(time.Millisecond)}
	if err := s.reserveEmail(ctx, key); err != nil {
		return sankofa.PendingEvent{}, err
	}
	p, err := s.save(ctx, s.accounts, a.ID, 0, a, ev)
	if err != nil {
		s.releaseKey(context.WithoutCancel(ctx), s.emails, key.Email, "account_id", a.ID)
		return sankofa.PendingEvent{}, err
	}
	return p, nil
}

// reserveEmail claims an address. A key left behind by a registration that
// died before its account was written is taken over.
func (s *Store) reserveEmail(ctx context.Context, key emailKey) error {
	return s.claimKey(ctx, s.emails, key.Email, key, func(raw bson.Raw) error {
		var old emailKey
		if err := bson.Unmarshal(raw, &old); err != nil {
			return fmt.Errorf("store: reserve e-mail: %w", err)
		}
		n, err := s.accounts.CountDocuments(ctx, bson.D{{Key: "_id", Value: old.AccountID}})
		if err != nil {
			return fmt.Errorf("store: reserve e-mail: %w", err)
		}
		if n > 0 || s.claimedRecently(old.At) {
			return sankofa.Errorf(sankofa.Conflict, "an account with this e-mail address already exists")
		}
		return nil
	})
}

// claimGrace is how long a key whose holder is not stored yet counts as
// held. The holder is written right after its key, so a younger key
// belongs to a create still under way, and only an older one to a create
// that died and left it behind.
const claimGrace = 2 * time.Minute

// claimedRecently reports whether a key claimed at at may belong to a
// create still under way. Keys from before claim times were recorded have
// a zero at and count as old.
func (s *Store) claimedRecently(at time.Time) bool {
	return s.now().Sub(at) < claimGrace
}

// claimKey inserts key, a document whose _id (id) must be unique. When one
// is there already, stillHeld decides from it whether its holder is alive
// (it returns the error to give, usually a conflict) or whether the key
// was left behind by a write that died and may be taken over.
//
// The unique _id decides between concurrent claims. A takeover replaces
// the key only if it is still the one stillHeld judged: on the embedded
// store the write lock makes sure of it; on MongoDB the filter holds
// every field of the old key, so a claim or release that came in between
// makes it match nothing, and the claim starts again.
func (s *Store) claimKey(ctx context.Context, c *mongo.Collection, id string, key any, stillHeld func(old bson.Raw) error) error {
	unlock := s.lockWrites()
	defer unlock()
	for range 5 {
		_, err := c.InsertOne(ctx, key)
		if err == nil {
			return nil
		}
		if !mongo.IsDuplicateKeyError(err) {
			return fmt.Errorf("store: claim %s %s: %w", c.Name(), id, err)
		}
		old, err := c.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Raw()
		if errors.Is(err, mongo.ErrNoDocuments) {
			continue // MongoDB only: released since the insert
		}
		if err != nil {
			return fmt.Errorf("store: claim %s %s: %w", c.Name(), id, err)
		}
		if err := stillHeld(old); err != nil {
			return err
		}
		filter := bson.D{{Key: "_id", Value: id}}
		if s.embedded == nil {
			filter = nil
			if err := bson.Unmarshal(old, &filter); err != nil {
				return fmt.Errorf("store: claim %s %s: %w", c.Name(), id, err)
			}
		}
		s.testHook("claim: replace")
		res, err := c.ReplaceOne(ctx, filter, key)
		if err != nil {
			return fmt.Errorf("store: claim %s %s: %w", c.Name(), id, err)
		}
		if res.MatchedCount > 0 {
			return nil
		}
	}
	return sankofa.Errorf(sankofa.Conflict, "another request is claiming the same thing; try again")
}

// releaseKey deletes the key id of c if holderField still names holder: a
// key taken over since, by a newer claim, stays. On MongoDB the compare
// is in the delete's filter; on the embedded store, where FerretDB would
// scan for a second condition, it is done in Go under the write lock.
func (s *Store) releaseKey(ctx context.Context, c *mongo.Collection, id, holderField, holder string) {
	unlock := s.lockWrites()
	defer unlock()
	filter := bson.D{{Key: "_id", Value: id}}
	if s.embedded != nil {
		old, err := c.FindOne(ctx, filter).Raw()
		if errors.Is(err, mongo.ErrNoDocuments) {
			return
		}
		if err != nil {
			s.log.Warn("store: release key", "collection", c.Name(), "holder", holder, "err", err)
			return
		}
		if v, ok := old.Lookup(holderField).StringValueOK(); !ok || v != holder {
			return
		}
	} else {
		filter = append(filter, bson.E{Key: holderField, Value: holder})
	}
	s.testHook("release: delete")
	if _, err := c.DeleteOne(ctx, filter); err != nil {
		s.log.Warn("store: release key", "collection", c.Name(), "holder", holder, "err", err)
	}
}

// Account returns the account with the given id, or not_found.
func (s *Store) Account(ctx context.Context, id string) (*sankofa.Account, error) {
	raw, err := s.readDoc(ctx, s.accounts, id)
	if err != nil {
		return nil, notFound(err, "account", id)
	}
	var a sankofa.Account
	if err := bson.Unmarshal(raw, &a); err != nil {
		return nil, fmt.Errorf("store: decode account %s: %w", id, err)
	}
	return &a, nil
}

// AccountByEmail returns the account registered with an address, or
// not_found.
func (s *Store) AccountByEmail(ctx context.Context, email string) (*sankofa.Account, error) {
	var key emailKey
	err := s.emails.FindOne(ctx, bson.D{{Key: "_id", Value: sankofa.NormalizeEmail(email)}}).Decode(&key)
	if err != nil {
		return nil, notFound(err, "account", "by e-mail")
	}
	a, err := s.Account(ctx, key.AccountID)
	if sankofa.IsCode(err, sankofa.NotFound) {
		return nil, err
	}
	return a, err
}

// UpdateAccount stores a new version of an account; a.Version must be the
// stored version plus one. It returns not_found or precondition_failed.
func (s *Store) UpdateAccount(ctx context.Context, a *sankofa.Account, ev sankofa.Event) (sankofa.PendingEvent, error) {
	return s.save(ctx, s.accounts, a.ID, a.Version-1, a, ev)
}

// EachAccount calls fn for every account, for rebuilding the search index.
func (s *Store) EachAccount(ctx context.Context, fn func(*sankofa.Account) error) error {
	return each(ctx, s.accounts, fn)
}

// each streams a whole collection; only index rebuilds use it.
func each[T any](ctx context.Context, c *mongo.Collection, fn func(*T) error) error {
	cur, err := c.Find(ctx, bson.D{})
	if err != nil {
		return fmt.Errorf("store: scan %s: %w", c.Name(), err)
	}
	defer cur.Close(ctx)
	for cur.Next(ctx) {
		v := new(T)
		if err := cur.Decode(v); err != nil {
			return fmt.Errorf("store: scan %s: %w", c.Name(), err)
		}
		if err := fn(v); err != nil {
			return err
		}
	}
	if err := cur.Err(); err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("store: scan %s: %w", c.Name(), err)
	}
	return cur.Err()
}
