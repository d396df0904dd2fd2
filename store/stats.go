package store

import (
	"time"

	"sankofa"
)

// OutboxStatus counts the events written with their entity and not yet
// acknowledged as published, and says when the oldest was written. It
// reads the process's memory of them, not the database: FerretDB v1 pushes
// only _id filters down, so counting the documents whose `_pending` list
// is not empty would scan every collection. Every event this process
// writes is remembered until acknowledged, and the relay's first pass
// after a crash adds those found in the database (see scanPending), so
// until that pass the count may leave out events a crash left behind.
func (s *Store) OutboxStatus() sankofa.OutboxStatus {
	s.out.mu.Lock()
	defer s.out.mu.Unlock()
	st := sankofa.OutboxStatus{Pending: len(s.out.unacked)}
	var oldest time.Time
	for _, u := range s.out.unacked {
		if oldest.IsZero() || u.at.Before(oldest) {
			oldest = u.at
		}
	}
	st.Oldest = oldest
	return st
}
