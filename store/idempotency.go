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

// IdempotencyTTL is how long a key replays its first response.
const IdempotencyTTL = 24 * time.Hour

// Replay is a response recorded under an idempotency key.
type Replay struct {
	Key         string            `bson:"_id"`
	RequestHash string            `bson:"request_hash"`
	Done        bool              `bson:"done"`
	Status      int               `bson:"status"`
	Headers     map[string]string `bson:"headers"`
	Body        []byte            `bson:"body"`
	CreatedAt   time.Time         `bson:"created_at"`
}

// ReserveIdempotencyKey claims key for a request with the given hash. It
// returns (nil, nil) when the caller now owns the key and must Complete or
// Release it; the recorded *Replay when the same request already finished;
// conflict while the first request is still running; and invalid (to be
// sent as 422) when the key was used with a different request.
func (s *Store) ReserveIdempotencyKey(ctx context.Context, key, requestHash string) (*Replay, error) {
	unlock := s.lockWrites()
	defer unlock()
	now := s.now().UTC()
	r := Replay{Key: key, RequestHash: requestHash, CreatedAt: now}
	for range 2 {
		_, err := s.idempotency.InsertOne(ctx, r)
		if err == nil {
			return nil, nil //nolint:nilnil // documented: the caller owns the key
		}
		if !mongo.IsDuplicateKeyError(err) {
			return nil, fmt.Errorf("store: reserve idempotency key: %w", err)
		}
		var old Replay
		err = s.idempotency.FindOne(ctx, bson.D{{Key: "_id", Value: key}}).Decode(&old)
		if errors.Is(err, mongo.ErrNoDocuments) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("store: reserve idempotency key: %w", err)
		}
		if now.Sub(old.CreatedAt) > IdempotencyTTL {
			if _, err := s.idempotency.DeleteOne(ctx, bson.D{{Key: "_id", Value: key}}); err != nil {
				return nil, fmt.Errorf("store: reserve idempotency key: %w", err)
			}
			continue
		}
		switch {
		case old.RequestHash != requestHash:
			return nil, &sankofa.Error{Code: sankofa.Invalid, Message: "this Idempotency-Key was already used with a different request",
				Fields: []sankofa.FieldError{{Field: "Idempotency-Key", Message: "reused with a different body"}}}
		case !old.Done:
			return nil, sankofa.Errorf(sankofa.Conflict, "a request with this Idempotency-Key is still being processed; retry shortly")
		}
		return &old, nil
	}
	return nil, sankofa.Errorf(sankofa.Conflict, "a request with this Idempotency-Key is still being processed; retry shortly")
}

// CompleteIdempotencyKey records the response to replay for key.
func (s *Store) CompleteIdempotencyKey(ctx context.Context, key string, status int, headers map[string]string, body []byte) error {
	unlock := s.lockWrites()
	defer unlock()
	_, err := s.idempotency.UpdateOne(ctx, bson.D{{Key: "_id", Value: key}}, bson.D{{Key: "$set", Value: bson.D{
		{Key: "done", Value: true}, {Key: "status", Value: status}, {Key: "headers", Value: headers}, {Key: "body", Value: body},
	}}})
	if err != nil {
		return fmt.Errorf("store: complete idempotency key: %w", err)
	}
	return nil
}

// ReleaseIdempotencyKey forgets a key whose request failed, so that a retry
// runs again.
func (s *Store) ReleaseIdempotencyKey(ctx context.Context, key string) error {
	unlock := s.lockWrites()
	defer unlock()
	if _, err := s.idempotency.DeleteOne(ctx, bson.D{{Key: "_id", Value: key}}); err != nil {
		return fmt.Errorf("store: release idempotency key: %w", err)
	}
	return nil
}

// PurgeIdempotencyKeys deletes keys older than IdempotencyTTL. FerretDB
// scans for this filter, so it runs from a periodic sweep, never a request.
func (s *Store) PurgeIdempotencyKeys(ctx context.Context) (int64, error) {
	unlock := s.lockWrites()
	defer unlock()
	res, err := s.idempotency.DeleteMany(ctx, bson.D{{Key: "created_at", Value: bson.D{{Key: "$lt", Value: s.now().Add(-IdempotencyTTL)}}}})
	if err != nil {
		return 0, fmt.Errorf("store: purge idempotency keys: %w", err)
	}
	return res.DeletedCount, nil
}
