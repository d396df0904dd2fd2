package sankofa

import "time"

// What the adapters report of themselves for the admins' status page
// (GET /v1/admin/status). Each is read cheaply, from memory or from one
// call to the dependency.

// WorkerStatus is what the supervisor knows of one background worker.
type WorkerStatus struct {
	Name    string `json:"name"`
	Running bool   `json:"running"`
	// Restarts counts the times the worker stopped and was started again
	// since the process started.
	Restarts  int    `json:"restarts"`
	LastError string `json:"last_error,omitempty"`
}

// ConsumerStatus is how far one durable event consumer is behind.
type ConsumerStatus struct {
	Name string `json:"name"`
	// Pending counts the events not yet delivered to it: its lag.
	Pending uint64 `json:"pending"`
	// AckPending counts the events delivered and not yet acknowledged.
	AckPending int `json:"ack_pending"`
	// Redelivered counts the events delivered more than once and not yet
	// acknowledged.
	Redelivered int `json:"redelivered"`
	// LastActive is when it last took an event, if it ever did.
	LastActive *time.Time `json:"last_active,omitempty"`
	// AppliedAt is the time of the newest event it has acknowledged with
	// everything before it, and OldestPendingAt that of the oldest event it
	// has not acknowledged; zero when unknown or none.
	AppliedAt       time.Time `json:"-"`
	OldestPendingAt time.Time `json:"-"`
}

// OutboxStatus counts the events written with their entity and not yet
// acknowledged as published.
type OutboxStatus struct {
	Pending int `json:"pending"`
	// Oldest is when the oldest of them was written; zero when none.
	Oldest time.Time `json:"-"`
}
