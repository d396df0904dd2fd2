package store

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"sankofa"
)

// emailKey reserves an e-mail address for one account. It is keyed by the
// address so that uniqueness and lookup by e-mail are both _id operations.
type emailKey struct {
	Email     string `bson:"_id"`
	AccountID string `bson:"account_id"`
}

// CreateAccount stores a new account and its event. It returns conflict
// when the e-mail address is taken.
func (s *Store) CreateAccount(ctx context.Context, a *sankofa.Account, ev sankofa.Event) (sankofa.PendingEvent, error) {
	key := emailKey{Email: sankofa.NormalizeEmail(a.Email), AccountID: a.ID}
	if err := s.reserveEmail(ctx, key); err != nil {
		return sankofa.PendingEvent{}, err
	}
	p, err := s.save(ctx, s.accounts, a.ID, 0, a, ev)
	if err != nil {
		s.releaseEmail(key)
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
		if n > 0 {
			return sankofa.Errorf(sankofa.Conflict, "an account with this e-mail address already exists")
		}
		return nil
	})
}

// claimKey inserts key, a document whose _id (id) must be unique. When one
// is there already, stillHeld decides from it whether its holder is alive
// (it returns the error to give, usually a conflict) or whether the key
// was left behind by a write that died and may be taken over.
func (s *Store) claimKey(ctx context.Context, c *mongo.Collection, id string, key any, stillHeld func(old bson.Raw) error) error {
	unlock := s.lockWrites()
	defer unlock()
	_, err := c.InsertOne(ctx, key)
	if err == nil {
		return nil
	}
	if !mongo.IsDuplicateKeyError(err) {
		return fmt.Errorf("store: claim %s %s: %w", c.Name(), id, err)
	}
	old, err := c.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Raw()
	if err != nil {
		return fmt.Errorf("store: claim %s %s: %w", c.Name(), id, err)
	}
	if err := stillHeld(old); err != nil {
		return err
	}
	if _, err := c.ReplaceOne(ctx, s.idFilter(id, -1), key); err != nil {
		return fmt.Errorf("store: claim %s %s: %w", c.Name(), id, err)
	}
	return nil
}

func (s *Store) releaseEmail(key emailKey) {
	unlock := s.lockWrites()
	defer unlock()
	ctx := context.Background()
	if _, err := s.emails.DeleteOne(ctx, bson.D{{Key: "_id", Value: key.Email}}); err != nil {
		s.log.Warn("store: release e-mail", "err", err)
	}
}

// Account returns the account with the given id, or not_found.
func (s *Store) Account(ctx context.Context, id string) (*sankofa.Account, error) {
	var a sankofa.Account
	if err := s.accounts.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&a); err != nil {
		return nil, notFound(err, "account", id)
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
