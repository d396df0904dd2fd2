package fhir

import "time"

// The states of a Bulk Data export job.
const (
	JobRunning = "running"
	JobDone    = "done"
	JobFailed  = "failed"
)

// ExportTypes are the resource types an export can hold, in the order
// of its files.
var ExportTypes = []string{"Practitioner", "PractitionerRole"}

// ExportJob is a Bulk Data export (kick-off, progress and files), kept in
// the store so that it survives a restart. Files are named "<type>.ndjson"
// in the job's directory; Bytes records how long each was at the last
// checkpoint, so that a job resumed after a crash first cuts off what was
// written after it, then goes on after Cursor (the index's cursor of the
// last profile written).
type ExportJob struct {
	ID      string `json:"id" bson:"_id"`
	OwnerID string `json:"owner_id" bson:"owner_id"`
	// Replica is the process that runs the job and keeps its files.
	Replica string `json:"replica,omitempty" bson:"replica,omitempty"`
	// Country is the Group's country ("" for a system export).
	Country string     `json:"country,omitempty" bson:"country,omitempty"`
	Types   []string   `json:"types" bson:"types"`
	Since   *time.Time `json:"since,omitempty" bson:"since,omitempty"`
	// Request is the kick-off URL, as the manifest repeats it.
	Request         string           `json:"request" bson:"request"`
	Status          string           `json:"status" bson:"status"`
	Error           string           `json:"error,omitempty" bson:"error,omitempty"`
	TransactionTime time.Time        `json:"transaction_time" bson:"transaction_time"`
	FinishedAt      *time.Time       `json:"finished_at,omitempty" bson:"finished_at,omitempty"`
	Total           int              `json:"total" bson:"total"`
	Done            int              `json:"done" bson:"done"`
	Cursor          string           `json:"cursor,omitempty" bson:"cursor,omitempty"`
	Counts          map[string]int   `json:"counts" bson:"counts"`
	Bytes           map[string]int64 `json:"bytes" bson:"bytes"`
}

// FileName is the name of a job's file of one resource type.
func FileName(resourceType string) string { return resourceType + ".ndjson" }

// Manifest is the Bulk Data manifest of a finished job; fileURL gives the
// URL of a type's file. Empty files are left out, as the specification
// asks.
func Manifest(j *ExportJob, fileURL func(resourceType string) string) map[string]any {
	out := []map[string]any{}
	for _, t := range j.Types {
		if n := j.Counts[t]; n > 0 {
			out = append(out, map[string]any{"type": t, "url": fileURL(t), "count": n})
		}
	}
	return map[string]any{
		"transactionTime":     j.TransactionTime.UTC().Format(time.RFC3339Nano),
		"request":             j.Request,
		"requiresAccessToken": true,
		"output":              out,
		"error":               []any{},
	}
}
