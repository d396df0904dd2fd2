package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"sankofa"
)

// The audit trail is the collection "audit", one document per entry, only
// ever inserted (no method here updates or deletes one entry; PruneAudit
// drops every entry past the retention period at once). Its _id is time-ordered
// (sankofa.NewAuditID: "aud_" + 16 hex digits of nanoseconds + random), so:
//
//   - a write is a single insert of a new _id: no read, no version, the
//     cheapest write FerretDB has, even under the embedded write lock;
//   - time bounds, the cursor and the retention cut are all bounds on _id,
//     and the newest-first order is the _id order;
//   - on MongoDB, _id plus the sparse indexes on actor_id and subject_id
//     (created in prepareAudit) serve every filter of the admins' list and
//     AuditAbout without a scan.
//
// On embedded FerretDB v1 no filter but {_id: value} reaches SQLite, so a
// list scans the collection in _id order and FerretDB filters it. The
// retention period bounds that scan, and the list is an admin's occasional
// read, not a hot path; should it grow too slow, the next step is the one
// the inbox took (per-subject page documents read by _id), not a second
// query path.

// auditColl is the audit trail.
func (s *Store) auditColl() *mongo.Collection { return s.db.Collection("audit") }

// prepareAudit creates the collection and, on MongoDB, its indexes.
func (s *Store) prepareAudit(ctx context.Context) error {
	if err := s.db.CreateCollection(ctx, "audit"); err != nil && !isNamespaceExists(err) {
		return fmt.Errorf("store: create collection audit: %w", err)
	}
	if s.embedded != nil {
		return nil
	}
	for _, k := range []string{"actor_id", "subject_id"} {
		if _, err := s.auditColl().Indexes().CreateOne(ctx, mongo.IndexModel{
			Keys:    bson.D{{Key: k, Value: 1}, {Key: "_id", Value: -1}},
			Options: options.Index().SetSparse(true),
		}); err != nil {
			return fmt.Errorf("store: index audit %s: %w", k, err)
		}
	}
	return nil
}

// AddAudit appends an entry; an entry without an id or time gets them
// now.
func (s *Store) AddAudit(ctx context.Context, e *sankofa.AuditEntry) error {
	if e.At.IsZero() {
		e.At = s.now()
	}
	e.At = e.At.UTC().Truncate(time.Millisecond) // as the database keeps it
	if e.ID == "" {
		e.ID = sankofa.NewAuditID(e.At)
	}
	if e.Action == "" || !strings.HasPrefix(e.ID, "aud_") {
		return fmt.Errorf("store: audit entry %q: missing action or bad id", e.ID)
	}
	unlock := s.lockWrites()
	defer unlock()
	if _, err := s.auditColl().InsertOne(ctx, e); err != nil {
		return fmt.Errorf("store: add audit entry %s: %w", e.ID, err)
	}
	return nil
}

// Audit lists entries matching f, newest first.
func (s *Store) Audit(ctx context.Context, f sankofa.AuditFilter) (sankofa.AuditPage, error) {
	limit := f.Limit
	if limit < 1 || limit > sankofa.MaxPageSize {
		limit = 20
	}
	idRange := bson.D{}
	upper := ""
	if !f.Until.IsZero() {
		upper = sankofa.AuditIDAt(f.Until)
	}
	if f.Cursor != "" && (upper == "" || f.Cursor < upper) {
		upper = f.Cursor
	}
	if upper != "" {
		idRange = append(idRange, bson.E{Key: "$lt", Value: upper})
	}
	if !f.Since.IsZero() {
		idRange = append(idRange, bson.E{Key: "$gte", Value: sankofa.AuditIDAt(f.Since)})
	}
	filter := bson.D{}
	if len(idRange) > 0 {
		filter = append(filter, bson.E{Key: "_id", Value: idRange})
	}
	if f.ActorID != "" {
		filter = append(filter, bson.E{Key: "actor_id", Value: f.ActorID})
	}
	if f.SubjectID != "" {
		filter = append(filter, bson.E{Key: "subject_id", Value: f.SubjectID})
	}
	if f.Action != "" {
		filter = append(filter, bson.E{Key: "action", Value: string(f.Action)})
	}
	items, err := s.findAudit(ctx, filter, int64(limit+1))
	if err != nil {
		return sankofa.AuditPage{}, err
	}
	page := sankofa.AuditPage{Items: items}
	if len(items) > limit {
		page.Items = items[:limit]
		page.NextCursor = items[limit-1].ID
	}
	return page, nil
}

// AuditAbout returns every entry a person made or that is about them,
// newest first, for their data export.
func (s *Store) AuditAbout(ctx context.Context, accountID string) ([]sankofa.AuditEntry, error) {
	if accountID == "" {
		return nil, &sankofa.Error{Code: sankofa.Invalid, Message: "an account id is required"}
	}
	return s.findAudit(ctx, bson.D{{Key: "$or", Value: bson.A{
		bson.D{{Key: "actor_id", Value: accountID}},
		bson.D{{Key: "subject_id", Value: accountID}},
	}}}, 0)
}

func (s *Store) findAudit(ctx context.Context, filter bson.D, limit int64) ([]sankofa.AuditEntry, error) {
	opts := options.Find().SetSort(bson.D{{Key: "_id", Value: -1}})
	if limit > 0 {
		opts.SetLimit(limit)
	}
	cur, err := s.auditColl().Find(ctx, filter, opts)
	if err != nil {
		return nil, fmt.Errorf("store: list audit: %w", err)
	}
	items := []sankofa.AuditEntry{}
	if err := cur.All(ctx, &items); err != nil {
		return nil, fmt.Errorf("store: list audit: %w", err)
	}
	for i := range items {
		items[i].At = items[i].At.UTC()
	}
	return items, nil
}

// PruneAudit deletes the entries older than retention and returns how
// many.
func (s *Store) PruneAudit(ctx context.Context, retention time.Duration) (int64, error) {
	if retention <= 0 {
		return 0, nil
	}
	cut := sankofa.AuditIDAt(s.now().Add(-retention))
	unlock := s.lockWrites()
	defer unlock()
	r, err := s.auditColl().DeleteMany(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$lt", Value: cut}}}})
	if err != nil {
		return 0, fmt.Errorf("store: prune audit: %w", err)
	}
	return r.DeletedCount, nil
}
