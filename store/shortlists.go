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

// An assignment's shortlist lives in one document keyed by the assignment
// id, so that reading it is one read by _id (FerretDB v1 pushes down
// nothing else), and a change is one replace under the write lock with a
// version check.

type shortlistDoc struct {
	AssignmentID string                   `bson:"_id"`
	Entries      []sankofa.ShortlistEntry `bson:"entries"`
	Version      int64                    `bson:"version"`
}

// shortlistTries bounds the retries when another replica changed the same
// shortlist between our read and our write (MongoDB only).
const shortlistTries = 5

func (s *Store) shortlistColl() *mongo.Collection { return s.db.Collection("shortlists") }

// Shortlist returns an assignment's shortlist, oldest entry first; an
// empty slice when it has none.
func (s *Store) Shortlist(ctx context.Context, assignmentID string) ([]sankofa.ShortlistEntry, error) {
	doc, _, err := s.shortlistDoc(ctx, assignmentID)
	return doc.Entries, err
}

// PutShortlistEntry adds e to an assignment's shortlist, or replaces the
// note of the entry for the same profile (keeping when it was added).
// added reports which. It returns conflict when the shortlist already
// holds sankofa.MaxShortlist entries.
func (s *Store) PutShortlistEntry(ctx context.Context, assignmentID string, e sankofa.ShortlistEntry) (added bool, err error) {
	unlock := s.lockWrites()
	defer unlock()
	for range shortlistTries {
		doc, found, err := s.shortlistDoc(ctx, assignmentID)
		if err != nil {
			return false, err
		}
		entries := slices.Clone(doc.Entries)
		i := slices.IndexFunc(entries, func(x sankofa.ShortlistEntry) bool { return x.ProfileID == e.ProfileID })
		if i >= 0 {
			entries[i].Note = e.Note
		} else {
			if len(entries) >= sankofa.MaxShortlist {
				return false, sankofa.Errorf(sankofa.Conflict, "a shortlist holds at most %d workers; remove one first", sankofa.MaxShortlist)
			}
			entries = append(entries, e)
		}
		if !found {
			_, err := s.shortlistColl().InsertOne(ctx, shortlistDoc{AssignmentID: assignmentID, Entries: entries, Version: 1})
			if mongo.IsDuplicateKeyError(err) {
				continue // created meanwhile by another replica
			}
			if err != nil {
				return false, fmt.Errorf("store: add to shortlist of %s: %w", assignmentID, err)
			}
			return true, nil
		}
		ok, err := s.putShortlist(ctx, doc, entries)
		if err != nil {
			return false, fmt.Errorf("store: put shortlist entry of %s: %w", assignmentID, err)
		}
		if ok {
			return i < 0, nil
		}
	}
	return false, sankofa.Errorf(sankofa.Conflict, "the shortlist changed concurrently; try again")
}

// RemoveShortlistEntry takes a profile off an assignment's shortlist;
// removing one that is not there is not an error.
func (s *Store) RemoveShortlistEntry(ctx context.Context, assignmentID, profileID string) error {
	unlock := s.lockWrites()
	defer unlock()
	for range shortlistTries {
		doc, found, err := s.shortlistDoc(ctx, assignmentID)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(doc.Entries, func(x sankofa.ShortlistEntry) bool { return x.ProfileID == profileID })
		if !found || i < 0 {
			return nil
		}
		ok, err := s.putShortlist(ctx, doc, slices.Delete(slices.Clone(doc.Entries), i, i+1))
		if err != nil {
			return fmt.Errorf("store: remove shortlist entry of %s: %w", assignmentID, err)
		}
		if ok {
			return nil
		}
	}
	return sankofa.Errorf(sankofa.Conflict, "the shortlist changed concurrently; try again")
}

// shortlistDoc reads an assignment's shortlist; found is false, and doc
// empty with a non-nil list, when there is none.
func (s *Store) shortlistDoc(ctx context.Context, assignmentID string) (doc shortlistDoc, found bool, err error) {
	err = s.shortlistColl().FindOne(ctx, bson.D{{Key: "_id", Value: assignmentID}}).Decode(&doc)
	switch {
	case errors.Is(err, mongo.ErrNoDocuments):
		return shortlistDoc{AssignmentID: assignmentID, Entries: []sankofa.ShortlistEntry{}}, false, nil
	case err != nil:
		return shortlistDoc{}, false, fmt.Errorf("store: find shortlist of %s: %w", assignmentID, err)
	}
	if doc.Entries == nil {
		doc.Entries = []sankofa.ShortlistEntry{}
	}
	return doc, true, nil
}

// putShortlist replaces the entries of doc, if its version is still the
// one read; ok is false when it is not.
func (s *Store) putShortlist(ctx context.Context, doc shortlistDoc, entries []sankofa.ShortlistEntry) (ok bool, err error) {
	upd := bson.D{{Key: "$set", Value: bson.D{
		{Key: "entries", Value: entries},
		{Key: "version", Value: doc.Version + 1},
	}}}
	res, err := s.shortlistColl().UpdateOne(ctx, s.idFilter(doc.AssignmentID, doc.Version), upd)
	if err != nil {
		return false, err
	}
	return res.MatchedCount == 1, nil
}
