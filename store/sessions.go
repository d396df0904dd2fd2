package store

import (
	"context"
	"crypto/subtle"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

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

// RotateSession replaces the family's current token with a new one. It
// returns unauthorized, and revokes the family, when presented is not the
// current token; unauthorized too when the family is revoked or expired.
func (s *Store) RotateSession(ctx context.Context, id, presented, next string, expires time.Time) (*sankofa.Session, error) {
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
	upd := bson.D{{Key: "$set", Value: bson.D{
		{Key: "token_hash", Value: sankofa.HashToken(next)},
		{Key: "expires_at", Value: expires},
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
	sess.TokenHash, sess.ExpiresAt, sess.Version = sankofa.HashToken(next), expires, sess.Version+1
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
