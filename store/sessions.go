package store

import (
	"context"
	"crypto/subtle"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"sankofa"
)

// CreateSession stores a new refresh-token family.
func (s *Store) CreateSession(ctx context.Context, sess *sankofa.Session) error {
	sess.Version = 1
	if _, err := s.sessions.InsertOne(ctx, sess); err != nil {
		return fmt.Errorf("store: create session: %w", err)
	}
	return nil
}

// RotateSession replaces the family's current token with a new one and
// records the use (expiry, device, time). It returns unauthorized, and
// revokes the family, when presented is not the current token;
// unauthorized too when the family is revoked or expired.
func (s *Store) RotateSession(ctx context.Context, id, presented, next string, use sankofa.SessionUse) (*sankofa.Session, error) {
	unlock := s.lockWrites()
	defer unlock()
	var sess sankofa.Session
	if err := s.sessions.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&sess); err != nil {
		if sankofa.IsCode(notFound(err, "session", id), sankofa.NotFound) {
			return nil, sankofa.Errorf(sankofa.Unauthorized, "the refresh token is not valid")
		}
		return nil, fmt.Errorf("store: rotate session: %w", err)
	}
	if sess.Revoked || !s.now().Before(sess.ExpiresAt) {
		return nil, sankofa.Errorf(sankofa.Unauthorized, "the refresh token has expired or was revoked; sign in again")
	}
	if subtle.ConstantTimeCompare([]byte(sess.TokenHash), []byte(sankofa.HashToken(presented))) != 1 {
		if err := s.revoke(ctx, id); err != nil {
			return nil, err
		}
		return nil, sankofa.Errorf(sankofa.Unauthorized, "the refresh token was already used; every session of this sign-in is now revoked")
	}
	use.At = use.At.UTC().Truncate(time.Millisecond) // as the database keeps it
	upd := bson.D{{Key: "$set", Value: bson.D{
		{Key: "token_hash", Value: sankofa.HashToken(next)},
		{Key: "expires_at", Value: use.Expires},
		{Key: "device", Value: use.Device},
		{Key: "last_used_at", Value: use.At},
		{Key: "version", Value: sess.Version + 1},
	}}}
	res, err := s.sessions.UpdateOne(ctx, s.idFilter(id, sess.Version), upd)
	if err != nil {
		return nil, fmt.Errorf("store: rotate session: %w", err)
	}
	if res.MatchedCount == 0 {
		// Someone rotated concurrently with the same token: that is reuse.
		if err := s.revoke(ctx, id); err != nil {
			return nil, err
		}
		return nil, sankofa.Errorf(sankofa.Unauthorized, "the refresh token was already used; every session of this sign-in is now revoked")
	}
	sess.TokenHash, sess.ExpiresAt, sess.Version = sankofa.HashToken(next), use.Expires, sess.Version+1
	sess.Device, sess.LastUsedAt = use.Device, use.At
	return &sess, nil
}

// RevokeSession revokes a refresh-token family; revoking twice is harmless.
func (s *Store) RevokeSession(ctx context.Context, id string) error {
	unlock := s.lockWrites()
	defer unlock()
	return s.revoke(ctx, id)
}

func (s *Store) revoke(ctx context.Context, id string) error {
	_, err := s.sessions.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "revoked", Value: true}}}})
	if err != nil {
		return fmt.Errorf("store: revoke session %s: %w", id, err)
	}
	return nil
}

// Session returns a refresh-token family, or not_found.
func (s *Store) Session(ctx context.Context, id string) (*sankofa.Session, error) {
	var sess sankofa.Session
	if err := s.sessions.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&sess); err != nil {
		return nil, notFound(err, "session", id)
	}
	return &sess, nil
}

// SessionsOf returns every refresh-token family of an account, revoked
// and expired ones included, oldest first: for the person's data export.
// MongoDB serves it from the account_id index made in prepare; on
// embedded FerretDB v1 it scans the collection, which is acceptable for
// an export, a rare request.
func (s *Store) SessionsOf(ctx context.Context, accountID string) ([]sankofa.Session, error) {
	if accountID == "" {
		return nil, &sankofa.Error{Code: sankofa.Invalid, Message: "an account id is required"}
	}
	cur, err := s.sessions.Find(ctx, bson.D{{Key: "account_id", Value: accountID}},
		options.Find().SetSort(bson.D{{Key: "created_at", Value: 1}, {Key: "_id", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("store: sessions of %s: %w", accountID, err)
	}
	out := []sankofa.Session{}
	if err := cur.All(ctx, &out); err != nil {
		return nil, fmt.Errorf("store: sessions of %s: %w", accountID, err)
	}
	for i := range out {
		out[i].CreatedAt, out[i].ExpiresAt = out[i].CreatedAt.UTC(), out[i].ExpiresAt.UTC()
		if !out[i].LastUsedAt.IsZero() {
			out[i].LastUsedAt = out[i].LastUsedAt.UTC()
		}
	}
	return out, nil
}

// prepareSessions indexes sessions by account on MongoDB, for SessionsOf;
// the embedded store has no index but _id (see the package comment).
func (s *Store) prepareSessions(ctx context.Context) error {
	if s.embedded != nil {
		return nil
	}
	if _, err := s.sessions.Indexes().CreateOne(ctx, mongo.IndexModel{Keys: bson.D{{Key: "account_id", Value: 1}}}); err != nil {
		return fmt.Errorf("store: index sessions account_id: %w", err)
	}
	return nil
}
