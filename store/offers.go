package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"sankofa"
)

// offerKey guards "one live offer per worker and assignment": its _id is
// the pair, so the unique _id index settles a race between two offers.
type offerKey struct {
	ID      string    `bson:"_id"`
	OfferID string    `bson:"offer_id"`
	At      time.Time `bson:"at"` // when it was claimed; see claimGrace
}

func offerKeyID(assignmentID, profileID string) string { return assignmentID + "|" + profileID }

// CreateOffer stores a new offer and its event. It returns conflict when
// the worker already has a live (pending or accepted) offer for the
// assignment.
func (s *Store) CreateOffer(ctx context.Context, o *sankofa.Offer, ev sankofa.Event) (sankofa.PendingEvent, error) {
	key := offerKey{ID: offerKeyID(o.AssignmentID, o.ProfileID), OfferID: o.ID, At: s.now().UTC().Truncate(time.Millisecond)}
	if err := s.claimOfferKey(ctx, key); err != nil {
		return sankofa.PendingEvent{}, err
	}
	pe, err := s.save(ctx, s.offers, o.ID, 0, o, ev)
	if err != nil {
		s.releaseOfferKey(context.WithoutCancel(ctx), o)
		return sankofa.PendingEvent{}, err
	}
	return pe, nil
}

// claimOfferKey takes the pair's key. A key left by an offer that is no
// longer live, or by a create that died before its offer was written, is
// taken over.
func (s *Store) claimOfferKey(ctx context.Context, key offerKey) error {
	return s.claimKey(ctx, s.offerKeys, key.ID, key, func(raw bson.Raw) error {
		var old offerKey
		if err := bson.Unmarshal(raw, &old); err != nil {
			return fmt.Errorf("store: claim offer key: %w", err)
		}
		prev, err := s.Offer(ctx, old.OfferID)
		switch {
		case err == nil && (prev.Status.Live() || prev.Status == sankofa.OfferAccepted):
			return sankofa.Errorf(sankofa.Conflict, "this worker already has a %s offer for this assignment (%s)", prev.Status, prev.ID)
		case err != nil && !sankofa.IsCode(err, sankofa.NotFound):
			return err
		case err != nil && s.claimedRecently(old.At):
			// Its offer is being created right now.
			return sankofa.Errorf(sankofa.Conflict, "this worker already has a pending offer for this assignment (%s)", old.OfferID)
		}
		return nil
	})
}

// releaseOfferKey frees the pair for a new offer, if o still holds it.
func (s *Store) releaseOfferKey(ctx context.Context, o *sankofa.Offer) {
	s.releaseKey(ctx, s.offerKeys, offerKeyID(o.AssignmentID, o.ProfileID), "offer_id", o.ID)
}

// Offer returns the offer with the given id, or not_found.
func (s *Store) Offer(ctx context.Context, id string) (*sankofa.Offer, error) {
	var o sankofa.Offer
	if err := s.readLearning(ctx, s.offers, id, &o); err != nil {
		return nil, notFound(err, "offer", id)
	}
	return &o, nil
}

// UpdateOffer stores a new version of an offer; o.Version must be the
// stored version plus one. An offer that is declined, withdrawn or expired
// frees its worker and assignment for a new offer.
func (s *Store) UpdateOffer(ctx context.Context, o *sankofa.Offer, ev sankofa.Event) (sankofa.PendingEvent, error) {
	pe, err := s.save(ctx, s.offers, o.ID, o.Version-1, o, ev)
	if err != nil {
		return pe, err
	}
	if !o.Status.Live() && o.Status != sankofa.OfferAccepted {
		s.releaseOfferKey(context.WithoutCancel(ctx), o)
	}
	return pe, nil
}

// EachOffer calls fn for every offer, for rebuilding the index.
func (s *Store) EachOffer(ctx context.Context, fn func(*sankofa.Offer) error) error {
	return each(ctx, s.offers, fn)
}
