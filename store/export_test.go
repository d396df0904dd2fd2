package store

import "context"

// MongoPath returns a view of s that takes every MongoDB code path (no
// write lock, no slot cache, compare-and-set in the filters) on the same
// database, so that tests run those paths, concurrently too, against
// FerretDB. FerretDB does not make a filtered update atomic as MongoDB
// does, so only races settled by the unique _id, or played out step by
// step through SetHook, are decided the way MongoDB would decide them.
func MongoPath(s *Store) *Store {
	return &Store{client: s.client, db: s.db, log: s.log, now: s.now,
		accounts: s.accounts, emails: s.emails, profiles: s.profiles, assignments: s.assignments,
		sessions: s.sessions, idempotency: s.idempotency, offers: s.offers, offerKeys: s.offerKeys,
		inbox: s.inbox, inboxPages: s.inboxPages, inboxKeys: s.inboxKeys, webhooks: s.webhooks}
}

// SetHook makes s call hook at the named points where requests race.
func SetHook(s *Store, hook func(at string)) { s.hook = hook }

// LeaveOfferKey claims the key of an offer that is never written, as a
// create that died after its claim would leave it.
func LeaveOfferKey(ctx context.Context, s *Store, assignmentID, profileID, offerID string) error {
	return s.claimOfferKey(ctx, offerKey{ID: offerKeyID(assignmentID, profileID), OfferID: offerID, At: s.now().UTC()})
}

// OfferKeyHolder returns the offer holding a pair's key, "" for none.
func OfferKeyHolder(ctx context.Context, s *Store, assignmentID, profileID string) string {
	var k offerKey
	_ = s.offerKeys.FindOne(ctx, map[string]string{"_id": offerKeyID(assignmentID, profileID)}).Decode(&k)
	return k.OfferID
}

// RawUnread returns a person's stored unread count, unclamped.
func RawUnread(ctx context.Context, s *Store, userID string) (int64, error) {
	h, err := s.head(ctx, userID)
	return h.Unread, err
}

// StoredPending returns the ids of the events in an entity's _pending as
// the database holds them, whatever the process remembers.
func StoredPending(ctx context.Context, s *Store, coll, id string) ([]string, error) {
	var v versionDoc
	if err := s.db.Collection(coll).FindOne(ctx, map[string]string{"_id": id}).Decode(&v); err != nil {
		return nil, err
	}
	ids := []string{}
	for _, e := range v.Pending {
		ids = append(ids, e.ID)
	}
	return ids, nil
}

// Crash stops s as a killed process would: nothing is flushed and no
// clean shutdown is recorded.
func Crash(s *Store) { s.stopEmbedded() }
