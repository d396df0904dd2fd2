package api

import (
	"context"
	"errors"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"sankofa"
)

// BusStatus reports the event consumers and the dead letters.
type BusStatus interface {
	Consumers(ctx context.Context) ([]sankofa.ConsumerStatus, error)
	ConsumerProgress(ctx context.Context, durable string) (sankofa.ConsumerStatus, error)
	DeadLetterCount(ctx context.Context) (uint64, error)
}

// OutboxCounter counts the events not yet acknowledged as published.
type OutboxCounter interface {
	OutboxStatus() sankofa.OutboxStatus
}

// IndexCounter counts the search index's documents.
type IndexCounter interface {
	Documents() (uint64, error)
}

// WorkerLister lists the background workers. A Pinger of Deps.Ready that
// is also a WorkerLister (the supervisor) feeds the status page.
type WorkerLister interface {
	Workers() []sankofa.WorkerStatus
}

// StatusSources are what GET /v1/admin/status reads besides the readiness
// checks; a nil source is reported as unavailable.
type StatusSources struct {
	Bus    BusStatus
	Outbox OutboxCounter
	Index  IndexCounter
	// IndexConsumer names this replica's indexer consumer, whose progress
	// says how far behind the index is.
	IndexConsumer string
}

// statusWait bounds the whole status request: a dependency that hangs
// shows as an error part, not as a slow page.
const statusWait = 2 * time.Second

type statusCheck struct {
	Name  string `json:"name"`
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
}

type statusConsumers struct {
	Items []sankofa.ConsumerStatus `json:"items"`
	Error string                   `json:"error,omitempty"`
}

type statusOutbox struct {
	Pending          int     `json:"pending"`
	OldestAgeSeconds float64 `json:"oldest_age_seconds"`
	Error            string  `json:"error,omitempty"`
}

type statusIndex struct {
	Documents     uint64     `json:"documents"`
	LastAppliedAt *time.Time `json:"last_applied_at,omitempty"`
	AgeSeconds    float64    `json:"age_seconds"`
	Error         string     `json:"error,omitempty"`
}

type statusDeadLetters struct {
	Count uint64 `json:"count"`
	Error string `json:"error,omitempty"`
}

// adminStatus is the status page's document.
type adminStatus struct {
	Ready       bool                   `json:"ready"`
	Time        time.Time              `json:"time"`
	Checks      []statusCheck          `json:"checks"`
	Workers     []sankofa.WorkerStatus `json:"workers"`
	Consumers   statusConsumers        `json:"consumers"`
	Outbox      statusOutbox           `json:"outbox"`
	Index       statusIndex            `json:"index"`
	DeadLetters statusDeadLetters      `json:"dead_letters"`
	Erasures    statusErasures         `json:"erasures"`
}

// statusErasures counts the erasures whose background part (event
// stream, index files, other people's notifications) has not finished.
type statusErasures struct {
	Pending int    `json:"pending"`
	Error   string `json:"error,omitempty"`
}

// handleAdminStatus answers, for admins, with everything the status page
// shows: the readiness checks, the workers, the consumers' lag, the
// outbox, the index's age and the dead letters. Each part is read on its
// own, at the same time as the others; a part that cannot be read carries
// an error and the answer is still 200.
func (s *Server) handleAdminStatus() echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx, cancel := context.WithTimeout(c.Request().Context(), statusWait)
		defer cancel()
		now := s.now().UTC()
		src := s.deps.Status
		st := adminStatus{Ready: true, Time: now, Workers: []sankofa.WorkerStatus{},
			Consumers: statusConsumers{Items: []sankofa.ConsumerStatus{}}}

		names := make([]string, 0, len(s.deps.Ready))
		for n := range s.deps.Ready {
			names = append(names, n)
		}
		sort.Strings(names)
		st.Checks = make([]statusCheck, len(names))
		var wg sync.WaitGroup
		for i, n := range names {
			st.Checks[i].Name = n
			if w, ok := s.deps.Ready[n].(WorkerLister); ok {
				st.Workers = w.Workers()
			}
			wg.Go(func() {
				if err := s.deps.Ready[n].Ping(ctx); err != nil {
					st.Checks[i].Error = s.partError(ctx, "check "+n, err)
					return
				}
				st.Checks[i].OK = true
			})
		}
		wg.Go(func() {
			if src.Bus == nil {
				st.Consumers.Error = errUnavailable.Error()
				return
			}
			items, err := src.Bus.Consumers(ctx)
			if err != nil {
				st.Consumers.Error = s.partError(ctx, "consumers", err)
				return
			}
			st.Consumers.Items = items
		})
		wg.Go(func() {
			if src.Bus == nil {
				st.DeadLetters.Error = errUnavailable.Error()
				return
			}
			n, err := src.Bus.DeadLetterCount(ctx)
			if err != nil {
				st.DeadLetters.Error = s.partError(ctx, "dead letters", err)
				return
			}
			st.DeadLetters.Count = n
		})
		wg.Go(func() { st.Index = s.indexStatus(ctx, now) })
		wg.Go(func() {
			n, err := s.flow.ErasuresPending(ctx)
			if err != nil {
				st.Erasures.Error = s.partError(ctx, "erasures", err)
				return
			}
			st.Erasures.Pending = n
		})
		if src.Outbox == nil {
			st.Outbox.Error = errUnavailable.Error()
		} else {
			o := src.Outbox.OutboxStatus()
			st.Outbox.Pending = o.Pending
			if !o.Oldest.IsZero() {
				st.Outbox.OldestAgeSeconds = secondsSince(now, o.Oldest)
			}
		}
		wg.Wait()
		for _, ch := range st.Checks {
			st.Ready = st.Ready && ch.OK
		}
		return c.JSON(http.StatusOK, st)
	}
}

var errUnavailable = errors.New("not available in this process")

// indexStatus counts the index's documents and reads how far this
// replica's indexer consumer is behind: the time of the last event it
// applied, and the age of the oldest it has not (0 when caught up).
func (s *Server) indexStatus(ctx context.Context, now time.Time) statusIndex {
	src := s.deps.Status
	var out statusIndex
	var errs []error
	if src.Index == nil {
		errs = append(errs, errUnavailable)
	} else if n, err := src.Index.Documents(); err != nil {
		errs = append(errs, err)
	} else {
		out.Documents = n
	}
	switch {
	case src.Bus == nil || src.IndexConsumer == "":
		errs = append(errs, errors.New("no indexer consumer in this process"))
	default:
		p, err := src.Bus.ConsumerProgress(ctx, src.IndexConsumer)
		if sankofa.IsCode(err, sankofa.NotFound) {
			errs = append(errs, errors.New("the indexer consumer has not started"))
			break
		}
		if err != nil {
			errs = append(errs, err)
			break
		}
		if !p.AppliedAt.IsZero() {
			at := p.AppliedAt.UTC()
			out.LastAppliedAt = &at
		}
		if !p.OldestPendingAt.IsZero() {
			out.AgeSeconds = secondsSince(now, p.OldestPendingAt)
		}
	}
	if len(errs) > 0 {
		msgs := make([]string, len(errs))
		for i, e := range errs {
			msgs[i] = e.Error()
		}
		out.Error = s.partError(ctx, "index", errors.New(strings.Join(msgs, "; ")))
	}
	return out
}

// partError logs why a part of the status could not be read and returns
// the message the admin sees.
func (s *Server) partError(ctx context.Context, part string, err error) string {
	s.log.WarnContext(ctx, "admin status: part unavailable", "part", part, "err", err)
	return err.Error()
}

// secondsSince is now-t in seconds, never negative.
func secondsSince(now, t time.Time) float64 {
	return max(now.Sub(t).Seconds(), 0)
}
