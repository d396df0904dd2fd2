package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"sankofa"
)

// handleListAccounts lists accounts for admins, newest first, filtered by
// role, status and a search q of their name, e-mail or organization
// (through the search index, see sankofa.AccountFilter).
func (s *Server) handleListAccounts() echo.HandlerFunc {
	return func(c echo.Context) error {
		limit, cursor, err := pageParams(c)
		if err != nil {
			return err
		}
		f := sankofa.AccountFilter{Role: sankofa.Role(c.QueryParam("role")), Status: sankofa.AccountStatus(c.QueryParam("status")),
			Query: c.QueryParam("q"), Limit: limit, Cursor: cursor}
		if !utf8.ValidString(f.Query) {
			return invalidField("q", "must be valid UTF-8")
		}
		switch f.Role {
		case "", sankofa.RoleProfessional, sankofa.RoleMinistry, sankofa.RoleAdmin:
		default:
			return invalidField("role", "must be professional, ministry or admin")
		}
		switch f.Status {
		case "", sankofa.StatusActive, sankofa.StatusPending, sankofa.StatusSuspended:
		default:
			return invalidField("status", "must be active, pending or suspended")
		}
		ctx := c.Request().Context()
		page, err := s.deps.Index.Accounts(ctx, f)
		if err != nil {
			return err
		}
		items := make([]*sankofa.Account, 0, len(page.IDs))
		for _, id := range page.IDs {
			a, err := s.deps.Accounts.Account(ctx, id)
			if sankofa.IsCode(err, sankofa.NotFound) {
				continue // the index is a moment behind; skip, do not fail
			}
			if err != nil {
				return err
			}
			items = append(items, a)
		}
		return c.JSON(http.StatusOK, newList(items, page.NextCursor))
	}
}

// auditOf is the audit action of a change of status.
var auditOf = map[sankofa.AccountStatus]sankofa.AuditAction{
	sankofa.StatusActive: sankofa.AuditAccountApproved, sankofa.StatusSuspended: sankofa.AuditAccountSuspended,
}

// handleSetAccountStatus approves (to active) or suspends an account. A
// repeated request changes nothing and answers with the account.
func (s *Server) handleSetAccountStatus(to sankofa.AccountStatus) echo.HandlerFunc {
	action := map[sankofa.AccountStatus]string{sankofa.StatusActive: "approved", sankofa.StatusSuspended: "suspended"}[to]
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		a, err := s.deps.Accounts.Account(ctx, c.Param("id"))
		if err != nil {
			return err
		}
		if a.ID == principal(c).ID {
			return sankofa.Errorf(sankofa.Conflict, "administrators cannot change their own status")
		}
		if a.Status != to {
			if err := s.audit(c, sankofa.AuditEntry{Action: auditOf[to], ActorID: principal(c).ID, SubjectID: a.ID}); err != nil {
				return err
			}
			a.Status = to
			a.Version++
			a.UpdatedAt = s.now().UTC()
			ev, err := s.event(c, "account", action, a.ID, a.Version, a)
			if err != nil {
				return err
			}
			p, err := s.deps.Accounts.UpdateAccount(ctx, a, ev)
			if err != nil {
				return err
			}
			s.dispatcher.After(ctx, p)
		}
		c.Response().Header().Set("ETag", etag(a.Version))
		return c.JSON(http.StatusOK, a)
	}
}

// deadLetter is a dead letter as the console shows it: the event's
// subject, type, entity and id are lifted out of the event, so that a list
// needs not read into it.
type deadLetter struct {
	sankofa.DeadLetter
	Subject string `json:"subject"`
	// EventType is the subject without its "sankofa." prefix, such as
	// "offer.created".
	EventType string `json:"event_type"`
	EntityID  string `json:"entity_id"`
	EventID   string `json:"event_id"`
}

// handleDeadLetters lists the events consumers gave up on, newest first,
// for admins.
func (s *Server) handleDeadLetters() echo.HandlerFunc {
	return func(c echo.Context) error {
		limit, _, err := pageParams(c)
		if err != nil {
			return err
		}
		letters, err := s.deps.DeadLetters.DeadLetters(c.Request().Context(), limit)
		if err != nil {
			return err
		}
		items := make([]deadLetter, len(letters))
		for i, d := range letters {
			items[i].DeadLetter = d
			var ev sankofa.Event
			if json.Unmarshal(d.Event, &ev) == nil { // an event that was not JSON keeps empty fields
				items[i].Subject, items[i].EntityID, items[i].EventID = ev.Subject, ev.EntityID, ev.ID
				items[i].EventType = strings.TrimPrefix(ev.Subject, "sankofa.")
			}
		}
		return c.JSON(http.StatusOK, newList(items, ""))
	}
}
