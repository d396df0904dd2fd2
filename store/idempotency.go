package store

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"sankofa"
)

// ReserveIdempotencyKey claims key for a request with the given hash. It
// returns (nil, true) when the caller now owns the key and must Complete or
// Release it, or the record already held under the key and false; the
// caller compares hashes and states.
func (s *Store) ReserveIdempotencyKey(ctx context.Context, key, requestHash string) (*sankofa.Replay, bool, error) {
	unlock := s.lockWrites()
	defer unlock()
	now := s.now().UTC()
	r := sankofa.Replay{Key: key, RequestHash: requestHash, CreatedAt: now}
	for range 3 {
		_, err := s.idempotency.InsertOne(ctx, r)
		if err == nil {
			return nil, true, nil
		}
		if !mongo.IsDuplicateKeyError(err) {
			return nil, false, fmt.Errorf("store: reserve idempotency key: %w", err)
		}
		var old sankofa.Replay
		err = s.idempotency.FindOne(ctx, bson.D{{Key: "_id", Value: key}}).Decode(&old)
		if errors.Is(err, mongo.ErrNoDocuments) {
			continue
		}
		if err != nil {
			return nil, false, fmt.Errorf("store: reserve idempotency key: %w", err)
		}
		if now.Sub(old.CreatedAt) <= sankofa.IdempotencyTTL {
			return &old, false, nil
		}
		// Expired: the key is free again.
		if _, err := s.idempotency.DeleteOne(ctx, bson.D{{Key: "_id", Value: key}}); err != nil {
			return nil, false, fmt.Errorf("store: reserve idempotency key: %w", err)
		}
	}
	return nil, false, sankofa.Errorf(sankofa.Conflict, "a request with this Idempotency-Key is being processed; retry shortly")
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

// PurgeIdempotencyKeys deletes keys older than sankofa.IdempotencyTTL. FerretDB
// scans for this filter, so it runs from a periodic sweep, never a request.
func (s *Store) PurgeIdempotencyKeys(ctx context.Context) (int64, error) {
	unlock := s.lockWrites()
	defer unlock()
	res, err := s.idempotency.DeleteMany(ctx, bson.D{{Key: "created_at", Value: bson.D{{Key: "$lt", Value: s.now().Add(-sankofa.IdempotencyTTL)}}}})
	if err != nil {
		return 0, fmt.Errorf("store: purge idempotency keys: %w", err)
	}
	return res.DeletedCount, nil
}
