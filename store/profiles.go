package store

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"

	"sankofa"
)

// CreateProfile stores a new profile and its event; it returns conflict if
// the id is taken.
func (s *Store) CreateProfile(ctx context.Context, p *sankofa.Profile, ev sankofa.Event) (Pending, error) {
	return s.save(ctx, s.profiles, p.ID, 0, p, ev)
}

// Profile returns the profile with the given id, or not_found.
func (s *Store) Profile(ctx context.Context, id string) (*sankofa.Profile, error) {
	var p sankofa.Profile
	if err := s.profiles.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&p); err != nil {
		return nil, notFound(err, "profile", id)
	}
	return &p, nil
}

// UpdateProfile stores a new version of a profile; p.Version must be the
// stored version plus one. It returns not_found or precondition_failed.
func (s *Store) UpdateProfile(ctx context.Context, p *sankofa.Profile, ev sankofa.Event) (Pending, error) {
	return s.save(ctx, s.profiles, p.ID, p.Version-1, p, ev)
}

// DeleteProfile deletes a profile at the given version (any version when
// negative). It returns not_found or precondition_failed.
func (s *Store) DeleteProfile(ctx context.Context, id string, version int64, ev sankofa.Event) (Pending, error) {
	return s.remove(ctx, s.profiles, id, version, ev)
}

// EachProfile calls fn for every profile, for rebuilding the search index.
func (s *Store) EachProfile(ctx context.Context, fn func(*sankofa.Profile) error) error {
	return each(ctx, s.profiles, fn)
}

// CreateAssignment stores a new assignment and its event.
func (s *Store) CreateAssignment(ctx context.Context, a *sankofa.Assignment, ev sankofa.Event) (Pending, error) {
	return s.save(ctx, s.assignments, a.ID, 0, a, ev)
}

// Assignment returns the assignment with the given id, or not_found.
func (s *Store) Assignment(ctx context.Context, id string) (*sankofa.Assignment, error) {
	var a sankofa.Assignment
	if err := s.assignments.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&a); err != nil {
		return nil, notFound(err, "assignment", id)
	}
	return &a, nil
}

// UpdateAssignment stores a new version of an assignment; a.Version must be
// the stored version plus one. It returns not_found or precondition_failed.
func (s *Store) UpdateAssignment(ctx context.Context, a *sankofa.Assignment, ev sankofa.Event) (Pending, error) {
	return s.save(ctx, s.assignments, a.ID, a.Version-1, a, ev)
}

// EachAssignment calls fn for every assignment, for rebuilding the index.
func (s *Store) EachAssignment(ctx context.Context, fn func(*sankofa.Assignment) error) error {
	return each(ctx, s.assignments, fn)
}
