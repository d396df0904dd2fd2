package store

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"sankofa"
)

// A ministry's webhooks live in one document keyed by its account id, so
// that listing them, which every delivery does, is one read by _id.

type webhooksDoc struct {
	AccountID string            `bson:"_id"`
	Hooks     []sankofa.Webhook `bson:"hooks"`
	Version   int64             `bson:"version"`
}

// webhookTries bounds the retries when another replica changed the same
// ministry's webhooks between our read and our write (MongoDB only; the
// embedded store holds the write lock).
const webhookTries = 5

// AddWebhook registers h, whose ID and AccountID the caller sets. It
// returns conflict when the account already has sankofa.MaxWebhooks
// webhooks or one with the same ID, and invalid when an id is missing.
func (s *Store) AddWebhook(ctx context.Context, h sankofa.Webhook) error {
	if h.ID == "" || h.AccountID == "" {
		return sankofa.Errorf(sankofa.Invalid, "a webhook needs an id and an account id")
	}
	unlock := s.lockWrites()
	defer unlock()
	for range webhookTries {
		doc, found, err := s.webhooksDoc(ctx, h.AccountID)
		if err != nil {
			return err
		}
		if !found {
			_, err := s.webhooks.InsertOne(ctx, webhooksDoc{AccountID: h.AccountID, Hooks: []sankofa.Webhook{h}, Version: 1})
			if mongo.IsDuplicateKeyError(err) {
				continue // created meanwhile by another replica
			}
			if err != nil {
				return fmt.Errorf("store: add webhook %s: %w", h.ID, err)
			}
			return nil
		}
		if len(doc.Hooks) >= sankofa.MaxWebhooks {
			return sankofa.Errorf(sankofa.Conflict, "a ministry may have at most %d webhooks; delete one first", sankofa.MaxWebhooks)
		}
		if slices.ContainsFunc(doc.Hooks, func(w sankofa.Webhook) bool { return w.ID == h.ID }) {
			return sankofa.Errorf(sankofa.Conflict, "webhook %s already exists", h.ID)
		}
		ok, err := s.putWebhooks(ctx, doc, append(doc.Hooks, h))
		if err != nil {
			return fmt.Errorf("store: add webhook %s: %w", h.ID, err)
		}
		if ok {
			return nil
		}
	}
	return sankofa.Errorf(sankofa.Conflict, "the ministry's webhooks changed concurrently; try again")
}

// Webhooks returns the account's webhooks, with their secrets, oldest
// first; an empty slice when it has none.
func (s *Store) Webhooks(ctx context.Context, accountID string) ([]sankofa.Webhook, error) {
	doc, _, err := s.webhooksDoc(ctx, accountID)
	if err != nil {
		return nil, err
	}
	return doc.Hooks, nil
}

// DeleteWebhook removes the account's webhook id; it returns not_found when
// the account has no such webhook.
func (s *Store) DeleteWebhook(ctx context.Context, accountID, id string) error {
	unlock := s.lockWrites()
	defer unlock()
	for range webhookTries {
		doc, _, err := s.webhooksDoc(ctx, accountID)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(doc.Hooks, func(w sankofa.Webhook) bool { return w.ID == id })
		if i < 0 {
			return sankofa.Errorf(sankofa.NotFound, "webhook not found")
		}
		ok, err := s.putWebhooks(ctx, doc, slices.Delete(slices.Clone(doc.Hooks), i, i+1))
		if err != nil {
			return fmt.Errorf("store: delete webhook %s: %w", id, err)
		}
		if ok {
			return nil
		}
	}
	return sankofa.Errorf(sankofa.Conflict, "the ministry's webhooks changed concurrently; try again")
}

// webhooksDoc reads an account's document; found is false, and doc empty
// with a non-nil list, when there is none.
func (s *Store) webhooksDoc(ctx context.Context, accountID string) (doc webhooksDoc, found bool, err error) {
	err = s.webhooks.FindOne(ctx, bson.D{{Key: "_id", Value: accountID}}).Decode(&doc)
	switch {
	case errors.Is(err, mongo.ErrNoDocuments):
		return webhooksDoc{AccountID: accountID, Hooks: []sankofa.Webhook{}}, false, nil
	case err != nil:
		return webhooksDoc{}, false, fmt.Errorf("store: find webhooks of %s: %w", accountID, err)
	}
	if doc.Hooks == nil {
		doc.Hooks = []sankofa.Webhook{}
	}
	return doc, true, nil
}

// putWebhooks replaces the list of doc, if its version is still the one
// read; ok is false when it is not.
func (s *Store) putWebhooks(ctx context.Context, doc webhooksDoc, hooks []sankofa.Webhook) (ok bool, err error) {
	upd := bson.D{{Key: "$set", Value: bson.D{
		{Key: "hooks", Value: hooks},
		{Key: "version", Value: doc.Version + 1},
	}}}
	res, err := s.webhooks.UpdateOne(ctx, s.idFilter(doc.AccountID, doc.Version), upd)
	if err != nil {
		return false, err
	}
	return res.MatchedCount == 1, nil
}
