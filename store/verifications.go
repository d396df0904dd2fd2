package store

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"

	"sankofa"
)

// LicenceQueue returns the live profiles holding at least one licence
// whose stored verification status is one of statuses, at most limit of
// them.
func (s *Store) LicenceQueue(ctx context.Context, statuses []sankofa.VerificationStatus, limit int) ([]*sankofa.Profile, error) {
	in := bson.A{}
	for _, st := range statuses {
		in = append(in, string(st))
	}
	filter := bson.D{{Key: "licences.verification.status", Value: bson.D{{Key: "$in", Value: in}}}}
	cur, err := s.profiles.Find(ctx, filter)
	if err != nil {
		return nil, fmt.Errorf("store: licence queue: %w", err)
	}
	defer cur.Close(ctx)
	out := []*sankofa.Profile{}
	for cur.Next(ctx) && len(out) < limit {
		var p profileOrTombstone
		if err := cur.Decode(&p); err != nil {
			return nil, fmt.Errorf("store: licence queue: %w", err)
		}
		if !p.Deleted {
			out = append(out, &p.Profile)
		}
	}
	if err := cur.Err(); err != nil {
		return nil, fmt.Errorf("store: licence queue: %w", err)
	}
	return out, nil
}

// Verifiers returns the accounts that may verify a licence issued in
// country: active admins, and active ministries of that country.
func (s *Store) Verifiers(ctx context.Context, country string) ([]*sankofa.Account, error) {
	filter := bson.D{{Key: "status", Value: string(sankofa.StatusActive)}, {Key: "$or", Value: bson.A{
		bson.D{{Key: "role", Value: string(sankofa.RoleAdmin)}},
		bson.D{{Key: "role", Value: string(sankofa.RoleMinistry)}, {Key: "country", Value: country}},
	}}}
	cur, err := s.accounts.Find(ctx, filter)
	if err != nil {
		return nil, fmt.Errorf("store: verifiers of %s: %w", country, err)
	}
	out := []*sankofa.Account{}
	if err := cur.All(ctx, &out); err != nil {
		return nil, fmt.Errorf("store: verifiers of %s: %w", country, err)
	}
	return out, nil
}
