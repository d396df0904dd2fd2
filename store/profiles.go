package store

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"sankofa"
)

// tombstone replaces a deleted profile. It keeps the version counter, so a
// profile created again under the same id continues it and its events keep
// unique ids, and it keeps no personal data.
type tombstone struct {
	ID        string `bson:"_id"`
	AccountID string `bson:"account_id"`
	Version   int64  `bson:"version"`
	Deleted   bool   `bson:"deleted"`
}

// ProfileSlot returns the profile stored under id (nil when there is none
// or it was deleted) and the stored version (0 when never created), so
// that a new profile can be saved at version+1.
func (s *Store) ProfileSlot(ctx context.Context, id string) (*sankofa.Profile, int64, error) {
	raw, err := s.readDoc(ctx, s.profiles, id)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, fmt.Errorf("store: find profile %s: %w", id, err)
	}
	var v versionDoc
	if err := bson.Unmarshal(raw, &v); err != nil {
		return nil, 0, fmt.Errorf("store: decode profile %s: %w", id, err)
	}
	if v.Deleted {
		return nil, v.Version, nil
	}
	var p sankofa.Profile
	if err := bson.Unmarshal(raw, &p); err != nil {
		return nil, 0, fmt.Errorf("store: decode profile %s: %w", id, err)
	}
	return &p, p.Version, nil
}

// Profile returns the profile with the given id, or not_found.
func (s *Store) Profile(ctx context.Context, id string) (*sankofa.Profile, error) {
	p, _, err := s.ProfileSlot(ctx, id)
	if err != nil {
		return nil, err
	}
	if p == nil {
		return nil, sankofa.Errorf(sankofa.NotFound, "profile not found")
	}
	return p, nil
}

// SaveProfile stores version p.Version of a profile: a create when it is 1,
// otherwise a replace of version p.Version-1 (a live profile or a
// tombstone). It returns conflict, not_found or precondition_failed.
func (s *Store) SaveProfile(ctx context.Context, p *sankofa.Profile, ev sankofa.Event) (sankofa.PendingEvent, error) {
	return s.save(ctx, s.profiles, p.ID, p.Version-1, p, ev)
}

// DeleteProfile replaces version `version` of a profile by a tombstone at
// version+1. It returns not_found or precondition_failed.
func (s *Store) DeleteProfile(ctx context.Context, p *sankofa.Profile, ev sankofa.Event) (sankofa.PendingEvent, error) {
	t := tombstone{ID: p.ID, AccountID: p.AccountID, Version: p.Version + 1, Deleted: true}
	pe, err := s.save(ctx, s.profiles, p.ID, p.Version, t, ev)
	pe.Current = nil
	return pe, err
}

// EachProfile calls fn for every live profile, for rebuilding the index.
func (s *Store) EachProfile(ctx context.Context, fn func(*sankofa.Profile) error) error {
	return each(ctx, s.profiles, func(p *profileOrTombstone) error {
		if p.Deleted {
			return nil
		}
		return fn(&p.Profile)
	})
}

// EachProfileAndTombstone calls fn for every profile and deleted for every
// profile tombstone, in one scan: a rebuilt index must remember deletions,
// so that an old event replayed later cannot bring a profile back.
func (s *Store) EachProfileAndTombstone(ctx context.Context, fn func(*sankofa.Profile) error, deleted func(id string, version int64) error) error {
	return each(ctx, s.profiles, func(p *profileOrTombstone) error {
		if p.Deleted {
			return deleted(p.ID, p.Version)
		}
		return fn(&p.Profile)
	})
}

type profileOrTombstone struct {
	sankofa.Profile `bson:",inline"`
	Deleted         bool `bson:"deleted"`
}

// CreateAssignment stores a new assignment and its event.
func (s *Store) CreateAssignment(ctx context.Context, a *sankofa.Assignment, ev sankofa.Event) (sankofa.PendingEvent, error) {
	return s.save(ctx, s.assignments, a.ID, 0, a, ev)
}

// Assignment returns the assignment with the given id, or not_found.
func (s *Store) Assignment(ctx context.Context, id string) (*sankofa.Assignment, error) {
	var a sankofa.Assignment
	if err := s.readLearning(ctx, s.assignments, id, &a); err != nil {
		return nil, notFound(err, "assignment", id)
	}
	a.DefaultPolicy() // stored before accepted_professions existed
	return &a, nil
}

// readLearning reads one document by _id into v (see readDoc).
func (s *Store) readLearning(ctx context.Context, c *mongo.Collection, id string, v any) error {
	raw, err := s.readDoc(ctx, c, id)
	if err != nil {
		return err
	}
	if err := bson.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("store: decode %s %s: %w", c.Name(), id, err)
	}
	return nil
}

// UpdateAssignment stores a new version of an assignment; a.Version must be
// the stored version plus one. It returns not_found or precondition_failed.
func (s *Store) UpdateAssignment(ctx context.Context, a *sankofa.Assignment, ev sankofa.Event) (sankofa.PendingEvent, error) {
	return s.save(ctx, s.assignments, a.ID, a.Version-1, a, ev)
}

// EachAssignment calls fn for every assignment, for rebuilding the index.
func (s *Store) EachAssignment(ctx context.Context, fn func(*sankofa.Assignment) error) error {
	return each(ctx, s.assignments, func(a *sankofa.Assignment) error {
		a.DefaultPolicy() // stored before accepted_professions existed
		return fn(a)
	})
}
