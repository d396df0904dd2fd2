package api

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"sankofa"
	"sankofa/consistency"
)

// MaxCheckWait bounds how long GET /v1/admin/consistency waits for the
// outbox and the consumers to settle.
const MaxCheckWait = time.Minute

// checkTimeout bounds the check itself, which reads every document.
const checkTimeout = 10 * time.Minute

// checkSource reads what the consistency checker needs from the adapters
// the server runs on. The store, the index and the event bus serve it
// besides their API interfaces (cmd/sankofa asserts that they fit); an
// adapter that does not leaves the check unavailable.
func (s *Server) checkSource() (consistency.Source, bool) {
	st, ok := s.deps.Outbox.(consistency.Store)
	if !ok {
		return consistency.Source{}, false
	}
	src := consistency.Source{Store: st}
	src.Inboxes, _ = s.deps.Inbox.(consistency.Inboxes)
	src.Index, _ = s.deps.Index.(consistency.Index)
	src.Bus, _ = s.deps.DeadLetters.(consistency.Bus)
	return src, true
}

// handleConsistency runs the consistency checker over the whole store,
// this replica's index and the inboxes, after waiting up to `wait` (a Go
// duration, at most MaxCheckWait) for the events to be handled, and
// returns the report. Violations are part of a successful report, not an
// error. A bad wait is invalid.
func (s *Server) handleConsistency() echo.HandlerFunc {
	return func(c echo.Context) error {
		var wait time.Duration
		if raw := c.QueryParam("wait"); raw != "" {
			d, err := time.ParseDuration(raw)
			if err != nil || d < 0 || d > MaxCheckWait {
				return &sankofa.Error{Code: sankofa.Invalid, Message: "the request has invalid fields",
					Fields: []sankofa.FieldError{{Field: "wait", Message: fmt.Sprintf("must be a duration such as 30s, at most %s", MaxCheckWait)}}}
			}
			wait = d
		}
		src, ok := s.checkSource()
		if !ok {
			return sankofa.Errorf(sankofa.Internal, "the consistency check is not available on this server")
		}
		// A full scan outlives a client that hangs up only up to its own
		// deadline.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(c.Request().Context()), wait+checkTimeout)
		defer cancel()
		// Settling and then checking are two moments: a timer or a
		// late handler can write between them. The report is a settled
		// one whenever the wait allows it.
		deadline := time.Now().Add(wait)
		for {
			if _, err := consistency.Settle(ctx, src, time.Until(deadline)); err != nil {
				return err
			}
			r, err := consistency.Check(ctx, src)
			if err != nil {
				return err
			}
			if r.Settled || !time.Now().Before(deadline) {
				return c.JSON(http.StatusOK, r)
			}
		}
	}
}
