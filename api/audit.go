package api

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"sankofa"
)

// AuditLog keeps the append-only audit trail.
type AuditLog interface {
	AddAudit(ctx context.Context, e *sankofa.AuditEntry) error
	Audit(ctx context.Context, f sankofa.AuditFilter) (sankofa.AuditPage, error)
	// AuditAbout lists the entries a person made or that are about them,
	// for their data export.
	AuditAbout(ctx context.Context, accountID string) ([]sankofa.AuditEntry, error)
}

// audit records a security event of the request c: sign-ins, failed
// sign-ins, approvals, suspensions, contact details revealed, admins'
// reads of a profile, verification decisions, exports and erasures. Every
// one is written before the response shows anything or the change is
// made, and a failed write fails the
// request (500, logged with its cause): an action that cannot be recorded
// does not happen. At worst an entry records an action whose own write
// then failed; an auditor prefers that to an action without an entry.
// The entry holds ids, the client's address, its user agent (cut to 256
// bytes) and the request id, never a password, a token or a typed e-mail.
func (s *Server) audit(c echo.Context, e sankofa.AuditEntry) error {
	if s.deps.Audit == nil {
		return nil
	}
	// Milliseconds, as the database keeps times, so that the id and the
	// time of an entry agree.
	e.At = s.now().UTC().Truncate(time.Millisecond)
	e.ID = sankofa.NewAuditID(e.At)
	e.IP = c.RealIP()
	e.UserAgent = sankofa.TruncateUserAgent(c.Request().UserAgent())
	e.RequestID = c.Response().Header().Get(echo.HeaderXRequestID)
	if e.RequestID == "" {
		e.RequestID = c.Request().Header.Get(echo.HeaderXRequestID)
	}
	return s.deps.Audit.AddAudit(c.Request().Context(), &e)
}

// handleListAudit lists the audit trail for admins, newest first, with
// filters on actor, subject, action and time.
func (s *Server) handleListAudit() echo.HandlerFunc {
	return func(c echo.Context) error {
		limit, cursor, err := pageParams(c)
		if err != nil {
			return err
		}
		if cursor != "" && (!strings.HasPrefix(cursor, "aud_") || len(cursor) > 64) {
			return invalidField("cursor", "must be a cursor from a previous page")
		}
		f := sankofa.AuditFilter{ActorID: c.QueryParam("actor"), SubjectID: c.QueryParam("subject"),
			Action: sankofa.AuditAction(c.QueryParam("action")), Cursor: cursor, Limit: limit}
		if f.Action != "" && !sankofa.ValidAuditAction(f.Action) {
			return invalidField("action", "must be one of the audited actions")
		}
		for _, q := range []struct {
			name string
			to   *time.Time
		}{{"since", &f.Since}, {"until", &f.Until}} {
			v := c.QueryParam(q.name)
			if v == "" {
				continue
			}
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				return invalidField(q.name, "must be a date and time such as 2026-12-04T09:00:00Z")
			}
			*q.to = t
		}
		if !f.Since.IsZero() && !f.Until.IsZero() && !f.Until.After(f.Since) {
			return invalidField("until", "must be after since")
		}
		page, err := s.deps.Audit.Audit(c.Request().Context(), f)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, newList(page.Items, page.NextCursor))
	}
}
