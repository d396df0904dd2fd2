package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"sankofa"
)

// Missions' evaluations, reports and reminders. Every record is read by
// _id only (FerretDB v1 pushes down nothing else): an evaluation's _id is
// "<offer id>|<side>", a report's follows from its offer's
// (sankofa.ReportIDFor), and a reminder's is "<offer id>|<kind>". So "one
// per side", "one per offer" and "one reminder each" are the unique _id
// index's to settle. Lists of published reports come from the search
// index, which is rebuilt from EachReport.

func (s *Store) reportColl() *mongo.Collection     { return s.db.Collection("reports") }
func (s *Store) evaluationColl() *mongo.Collection { return s.db.Collection("evaluations") }
func (s *Store) reminderColl() *mongo.Collection   { return s.db.Collection("mission_reminders") }

func evaluationID(offerID string, side sankofa.Side) string { return offerID + "|" + string(side) }

type evaluationDoc struct {
	ID                 string `bson:"_id"`
	sankofa.Evaluation `bson:",inline"`
}

// AddEvaluation stores one side's evaluation of a mission; it returns a
// *sankofa.MissionError (already_evaluated) when that side gave one.
func (s *Store) AddEvaluation(ctx context.Context, e *sankofa.Evaluation) error {
	unlock := s.lockWrites()
	defer unlock()
	_, err := s.evaluationColl().InsertOne(ctx, evaluationDoc{ID: evaluationID(e.OfferID, e.Side), Evaluation: *e})
	if mongo.IsDuplicateKeyError(err) {
		return &sankofa.MissionError{Code: sankofa.AlreadyEvaluated, Message: "your side has evaluated this mission already; an evaluation is kept as given"}
	}
	if err != nil {
		return fmt.Errorf("store: add evaluation of %s: %w", e.OfferID, err)
	}
	return nil
}

// Evaluation returns side's evaluation of offer offerID's mission, or
// not_found.
func (s *Store) Evaluation(ctx context.Context, offerID string, side sankofa.Side) (*sankofa.Evaluation, error) {
	var d evaluationDoc
	if err := s.evaluationColl().FindOne(ctx, bson.D{{Key: "_id", Value: evaluationID(offerID, side)}}).Decode(&d); err != nil {
		return nil, notFound(err, "evaluation", offerID)
	}
	return &d.Evaluation, nil
}

// DeleteEvaluation removes side's evaluation of an offer's mission;
// removing one that is not there is not an error.
func (s *Store) DeleteEvaluation(ctx context.Context, offerID string, side sankofa.Side) error {
	unlock := s.lockWrites()
	defer unlock()
	if _, err := s.evaluationColl().DeleteOne(ctx, bson.D{{Key: "_id", Value: evaluationID(offerID, side)}}); err != nil {
		return fmt.Errorf("store: delete evaluation of %s: %w", offerID, err)
	}
	return nil
}

// CreateReport stores a new report (version 1); it returns a
// *sankofa.MissionError (report_exists) when the offer has one.
func (s *Store) CreateReport(ctx context.Context, r *sankofa.Report) error {
	unlock := s.lockWrites()
	defer unlock()
	_, err := s.reportColl().InsertOne(ctx, r)
	if mongo.IsDuplicateKeyError(err) {
		return &sankofa.MissionError{Code: sankofa.ReportExists, Message: "this mission has a report already; edit it with PUT or PATCH"}
	}
	if err != nil {
		return fmt.Errorf("store: create report %s: %w", r.ID, err)
	}
	return nil
}

// Report returns the report with the given id, or not_found.
func (s *Store) Report(ctx context.Context, id string) (*sankofa.Report, error) {
	var r sankofa.Report
	if err := s.reportColl().FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&r); err != nil {
		return nil, notFound(err, "report", id)
	}
	if r.Tags == nil {
		r.Tags = []string{}
	}
	return &r, nil
}

// UpdateReport replaces a report; r.Version must be the stored version
// plus one, or it returns precondition_failed.
func (s *Store) UpdateReport(ctx context.Context, r *sankofa.Report) error {
	unlock := s.lockWrites()
	defer unlock()
	if s.embedded != nil {
		// Under the write lock, the version check is done here.
		cur, err := s.Report(ctx, r.ID)
		if err != nil {
			return err
		}
		if cur.Version != r.Version-1 {
			return sankofa.Errorf(sankofa.PreconditionFailed, "the report has changed since it was read")
		}
	}
	res, err := s.reportColl().ReplaceOne(ctx, s.idFilter(r.ID, r.Version-1), r)
	if err != nil {
		return fmt.Errorf("store: update report %s: %w", r.ID, err)
	}
	if res.MatchedCount == 0 {
		return sankofa.Errorf(sankofa.PreconditionFailed, "the report has changed since it was read")
	}
	return nil
}

// DeleteReport deletes a report; deleting one that is not there is not an
// error.
func (s *Store) DeleteReport(ctx context.Context, id string) error {
	unlock := s.lockWrites()
	defer unlock()
	if _, err := s.reportColl().DeleteOne(ctx, bson.D{{Key: "_id", Value: id}}); err != nil {
		return fmt.Errorf("store: delete report %s: %w", id, err)
	}
	return nil
}

// EachReport calls fn for every report, for rebuilding the index.
func (s *Store) EachReport(ctx context.Context, fn func(*sankofa.Report) error) error {
	return each(ctx, s.reportColl(), fn)
}

type reminderDoc struct {
	ID string    `bson:"_id"`
	At time.Time `bson:"at"`
}

// Reminded reports whether reminder kind was sent for offer offerID.
func (s *Store) Reminded(ctx context.Context, offerID, kind string) (bool, error) {
	err := s.reminderColl().FindOne(ctx, bson.D{{Key: "_id", Value: offerID + "|" + kind}}).Err()
	switch {
	case errors.Is(err, mongo.ErrNoDocuments):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("store: find reminder of %s: %w", offerID, err)
	}
	return true, nil
}

// MarkReminded records that reminder kind was sent for offer offerID;
// marking it twice is not an error.
func (s *Store) MarkReminded(ctx context.Context, offerID, kind string) error {
	unlock := s.lockWrites()
	defer unlock()
	_, err := s.reminderColl().InsertOne(ctx, reminderDoc{ID: offerID + "|" + kind, At: s.now().UTC()})
	if err != nil && !mongo.IsDuplicateKeyError(err) {
		return fmt.Errorf("store: mark reminder of %s: %w", offerID, err)
	}
	return nil
}
