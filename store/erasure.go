package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"sankofa"
)

// Erasure deletes what the store keeps of a person. Most lookups here
// filter on something other than _id, which FerretDB v1 answers with a
// full scan: they run for erasures only, which are rare, and never on a
// request's hot path. On MongoDB the same filters use indexes
// (sessions.account_id) or an anchored prefix on _id.

func (s *Store) erasures() *mongo.Collection { return s.db.Collection("erasures") }

// BeginErasure records an erasure before anything is deleted; a second
// call for the same account keeps the first record.
func (s *Store) BeginErasure(ctx context.Context, e *sankofa.Erasure) error {
	unlock := s.lockWrites()
	defer unlock()
	_, err := s.erasures().InsertOne(ctx, e)
	if err != nil && !mongo.IsDuplicateKeyError(err) {
		return fmt.Errorf("store: begin erasure of %s: %w", e.AccountID, err)
	}
	return nil
}

// Erasures lists the erasures not finished yet.
func (s *Store) Erasures(ctx context.Context) ([]*sankofa.Erasure, error) {
	cur, err := s.erasures().Find(ctx, bson.D{})
	if err != nil {
		return nil, fmt.Errorf("store: list erasures: %w", err)
	}
	out := []*sankofa.Erasure{}
	if err := cur.All(ctx, &out); err != nil {
		return nil, fmt.Errorf("store: list erasures: %w", err)
	}
	return out, nil
}

// EndErasure forgets a finished erasure, needles included.
func (s *Store) EndErasure(ctx context.Context, accountID string) error {
	unlock := s.lockWrites()
	defer unlock()
	if _, err := s.erasures().DeleteOne(ctx, bson.D{{Key: "_id", Value: accountID}}); err != nil {
		return fmt.Errorf("store: end erasure of %s: %w", accountID, err)
	}
	return nil
}

// DeleteAccountRecords deletes a person's own records: sessions, inbox
// (delivery keys, pages, head), replayable responses kept under
// idempotency keys, webhooks, then the e-mail key and the account. Each
// delete is idempotent, so an erasure cut short runs it again; the account
// goes last, so that until then a resumed erasure knows whose records to
// look for.
func (s *Store) DeleteAccountRecords(ctx context.Context, a *sankofa.Account) error {
	byID := func(id string) bson.D { return bson.D{{Key: "_id", Value: id}} }
	byPrefix := func(p string) bson.D {
		return bson.D{{Key: "_id", Value: bson.D{{Key: "$regex", Value: "^" + regexp.QuoteMeta(p)}}}}
	}
	h, err := s.head(ctx, a.ID)
	if err != nil {
		return err
	}
	pages := bson.A{}
	for p := h.OldestPage; h.Seq > 0 && p <= inboxPageOf(h.Seq); p++ {
		pages = append(pages, inboxPageID(a.ID, p))
	}
	type step struct {
		what   string
		c      *mongo.Collection
		filter bson.D
	}
	for _, st := range []step{
		{"sessions", s.sessions, bson.D{{Key: "account_id", Value: a.ID}}},
		{"inbox keys", s.inboxKeys, byPrefix(a.ID + "|")},
		{"inbox pages", s.inboxPages, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: pages}}}}},
		{"inbox", s.inbox, byID(a.ID)},
		{"idempotency keys", s.idempotency, byPrefix(a.ID + " ")},
		{"webhooks", s.webhooks, byID(a.ID)},
	} {
		if err := s.deleteMany(ctx, st.c, st.filter); err != nil {
			return fmt.Errorf("store: erase %s of %s: %w", st.what, a.ID, err)
		}
	}
	// The e-mail key only while it is still this account's: the address
	// may already belong to a new registration.
	var key emailKey
	err = s.emails.FindOne(ctx, byID(sankofa.NormalizeEmail(a.Email))).Decode(&key)
	if err != nil && !errors.Is(err, mongo.ErrNoDocuments) {
		return fmt.Errorf("store: erase e-mail key of %s: %w", a.ID, err)
	}
	if err == nil && key.AccountID == a.ID {
		if err := s.deleteMany(ctx, s.emails, byID(key.Email)); err != nil {
			return fmt.Errorf("store: erase e-mail key of %s: %w", a.ID, err)
		}
	}
	unlock := s.lockWrites()
	defer unlock()
	// Forgotten even if the delete failed: it may have committed.
	defer s.forgetSlot(s.accounts, a.ID)
	if _, err := s.accounts.DeleteMany(ctx, byID(a.ID)); err != nil {
		return fmt.Errorf("store: erase account %s: %w", a.ID, err)
	}
	return nil
}

// StaffAccounts returns every ministry and admin account: the people whose
// notifications may name a professional.
func (s *Store) StaffAccounts(ctx context.Context) ([]*sankofa.Account, error) {
	cur, err := s.accounts.Find(ctx, bson.D{{Key: "role", Value: bson.D{{Key: "$in", Value: bson.A{string(sankofa.RoleMinistry), string(sankofa.RoleAdmin)}}}}})
	if err != nil {
		return nil, fmt.Errorf("store: staff accounts: %w", err)
	}
	out := []*sankofa.Account{}
	if err := cur.All(ctx, &out); err != nil {
		return nil, fmt.Errorf("store: staff accounts: %w", err)
	}
	return out, nil
}

// deleteMany deletes under the write lock.
func (s *Store) deleteMany(ctx context.Context, c *mongo.Collection, filter bson.D) error {
	unlock := s.lockWrites()
	defer unlock()
	_, err := c.DeleteMany(ctx, filter)
	return err
}

// AssignmentsWithInterest returns the assignments a profile expressed
// interest in.
func (s *Store) AssignmentsWithInterest(ctx context.Context, profileID string) ([]*sankofa.Assignment, error) {
	var out []*sankofa.Assignment
	err := s.EachAssignment(ctx, func(a *sankofa.Assignment) error {
		if slices.ContainsFunc(a.Interested, func(in sankofa.Interest) bool { return in.ProfileID == profileID }) {
			out = append(out, a)
		}
		return nil
	})
	return out, err
}

// RemoveFromShortlists takes a profile off every ministry's shortlist,
// with the notes written about it.
func (s *Store) RemoveFromShortlists(ctx context.Context, profileID string) error {
	cur, err := s.shortlistColl().Find(ctx, bson.D{})
	if err != nil {
		return fmt.Errorf("store: shortlists of %s: %w", profileID, err)
	}
	var docs []shortlistDoc
	if err := cur.All(ctx, &docs); err != nil {
		return fmt.Errorf("store: shortlists of %s: %w", profileID, err)
	}
	for _, d := range docs {
		if !slices.ContainsFunc(d.Entries, func(e sankofa.ShortlistEntry) bool { return e.ProfileID == profileID }) {
			continue
		}
		if err := s.RemoveShortlistEntry(ctx, d.AssignmentID, profileID); err != nil && !sankofa.IsCode(err, sankofa.NotFound) {
			return err
		}
	}
	return nil
}

// RedactNotifications rewrites, in userID's inbox, every notification
// whose title, body or data holds one of needles: redact gets each and
// changes it in place. It returns how many it changed.
func (s *Store) RedactNotifications(ctx context.Context, userID string, needles []string, redact func(n *sankofa.Notification)) (int, error) {
	h, err := s.head(ctx, userID)
	if err != nil || h.Seq == 0 {
		return 0, err
	}
	changed := 0
	for p := h.OldestPage; p <= inboxPageOf(h.Seq); p++ {
		unlock := s.lockWrites()
		_, err := s.changePage(ctx, userID, p, func(items []inboxItem) ([]inboxItem, bool, error) {
			n := 0
			for i := range items {
				if !mentions(items[i], needles) {
					continue
				}
				note := items[i].notification(userID, h)
				redact(&note)
				items[i].Title, items[i].Body, items[i].Data = note.Title, note.Body, note.Data
				n++
			}
			changed += n
			return items, n > 0, nil
		})
		unlock()
		if err != nil && !errors.Is(err, errInboxRaced) {
			return changed, err
		}
	}
	return changed, nil
}

func mentions(it inboxItem, needles []string) bool {
	var b bytes.Buffer
	b.WriteString(it.Title)
	b.WriteByte(0)
	b.WriteString(it.Body)
	for k, v := range it.Data {
		b.WriteByte(0)
		b.WriteString(k)
		b.WriteByte(0)
		b.WriteString(v)
	}
	text := b.String()
	for _, n := range needles {
		if n != "" && strings.Contains(text, n) {
			return true
		}
	}
	return false
}

// Shred makes deleted data unrecoverable from the database files, where
// the database is this process's own: SQLite already overwrites what is
// deleted (secure_delete), and a checkpoint empties the write-ahead log,
// which still holds earlier images of the pages. On MongoDB it does
// nothing; see README "Privacy and safeguards" for what the operator does.
func (s *Store) Shred(ctx context.Context) error {
	if s.embedded == nil {
		return nil
	}
	return s.embedded.checkpoint(ctx, s.db.Name())
}
