package store

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"sankofa"
	"sankofa/fhir"
)

// FHIR Bulk Data export jobs, one document each, by _id. ExportJobs reads
// the whole collection, a full scan on FerretDB: it holds the jobs of the
// last day only (the sweeper deletes older ones) and is read by the export
// worker at start and by its sweeper, never on a request.

func (s *Store) exportJobs() *mongo.Collection { return s.db.Collection("fhir_exports") }

// SaveExportJob creates or replaces a job.
func (s *Store) SaveExportJob(ctx context.Context, j *fhir.ExportJob) error {
	unlock := s.lockWrites()
	defer unlock()
	_, err := s.exportJobs().ReplaceOne(ctx, bson.D{{Key: "_id", Value: j.ID}}, j, options.Replace().SetUpsert(true))
	if err != nil {
		return fmt.Errorf("store: save export job %s: %w", j.ID, err)
	}
	return nil
}

// ExportJob returns a job, or not_found.
func (s *Store) ExportJob(ctx context.Context, id string) (*fhir.ExportJob, error) {
	var j fhir.ExportJob
	err := s.exportJobs().FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&j)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, sankofa.Errorf(sankofa.NotFound, "export job not found")
	}
	if err != nil {
		return nil, fmt.Errorf("store: find export job %s: %w", id, err)
	}
	return &j, nil
}

// ExportJobs lists every job.
func (s *Store) ExportJobs(ctx context.Context) ([]*fhir.ExportJob, error) {
	out := []*fhir.ExportJob{}
	err := each(ctx, s.exportJobs(), func(j *fhir.ExportJob) error {
		out = append(out, j)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: list export jobs: %w", err)
	}
	return out, nil
}

// DeleteExportJob deletes a job; a missing one is fine.
func (s *Store) DeleteExportJob(ctx context.Context, id string) error {
	unlock := s.lockWrites()
	defer unlock()
	if _, err := s.exportJobs().DeleteOne(ctx, bson.D{{Key: "_id", Value: id}}); err != nil {
		return fmt.Errorf("store: delete export job %s: %w", id, err)
	}
	return nil
}
