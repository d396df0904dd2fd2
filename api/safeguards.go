package api

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"sankofa"
	"sankofa/matcher"
)

// SafeguardStore keeps the WHO health workforce support and safeguards
// list and the government-to-government agreements recorded under it.
// Safeguards answers from memory; the other methods replace that copy.
type SafeguardStore interface {
	Safeguards() *sankofa.Safeguards
	// UpdateSafeguardList returns precondition_failed when ifVersion is
	// not negative and the list is no longer at that version.
	UpdateSafeguardList(ctx context.Context, in sankofa.SafeguardListInput, by string, ifVersion int64) (*sankofa.Safeguards, error)
	// AddSafeguardAgreement returns invalid when in does not fit the list.
	AddSafeguardAgreement(ctx context.Context, in sankofa.SafeguardAgreementInput, by string) (sankofa.SafeguardAgreement, *sankofa.Safeguards, error)
	// DeleteSafeguardAgreement returns not_found for an unknown id.
	DeleteSafeguardAgreement(ctx context.Context, id string) (*sankofa.Safeguards, error)
}

// safeguardsView is the list in force as GET /v1/safeguards shows it.
type safeguardsView struct {
	Edition    string                       `json:"edition"`
	Title      string                       `json:"title"`
	Source     string                       `json:"source"`
	ISBN       string                       `json:"isbn"`
	Countries  []string                     `json:"countries"`
	UpdatedAt  time.Time                    `json:"updated_at"`
	Agreements []sankofa.SafeguardAgreement `json:"agreements"`
}

func viewSafeguards(s *sankofa.Safeguards) safeguardsView {
	ag := s.Agreements
	if ag == nil {
		ag = []sankofa.SafeguardAgreement{}
	}
	return safeguardsView{Edition: s.List.Edition, Title: s.List.Title, Source: s.List.Source, ISBN: s.List.ISBN,
		Countries: s.List.Countries, UpdatedAt: s.List.UpdatedAt, Agreements: ag}
}

// errNoSafeguards answers when the server runs without the list (only
// partial servers in tests do).
var errNoSafeguards = &httpProblem{status: http.StatusServiceUnavailable, code: "unavailable",
	detail: "the safeguards list is not available in this process"}

// safeguards returns the store, or unavailable when the server runs
// without one.
func (s *Server) safeguards() (SafeguardStore, error) {
	if s.deps.Safeguards == nil {
		return nil, errNoSafeguards
	}
	return s.deps.Safeguards, nil
}

// writeSafeguards answers with the list and its version as ETag.
func writeSafeguards(c echo.Context, status int, st *sankofa.Safeguards) error {
	c.Response().Header().Set("ETag", etag(st.List.Version))
	return c.JSON(status, viewSafeguards(st))
}

// handleGetSafeguards shows the list in force and its agreements to
// anyone, signed in or not. It may be cached, revalidated by its ETag:
// any change (of the list or of an agreement) gives a new version.
func (s *Server) handleGetSafeguards() echo.HandlerFunc {
	return func(c echo.Context) error {
		store, err := s.safeguards()
		if err != nil {
			return err
		}
		st := store.Safeguards()
		c.Response().Header().Set(echo.HeaderCacheControl, "public, no-cache")
		tag := etag(st.List.Version)
		for _, t := range strings.Split(c.Request().Header.Get("If-None-Match"), ",") {
			if t = strings.TrimPrefix(strings.TrimSpace(t), "W/"); t == tag || t == "*" {
				c.Response().Header().Set("ETag", tag)
				return c.NoContent(http.StatusNotModified)
			}
		}
		return writeSafeguards(c, http.StatusOK, st)
	}
}

// handlePutSafeguards replaces the list's edition, title, source and
// countries (admins). If-Match is optional; when sent, it must name the
// current version.
func (s *Server) handlePutSafeguards() echo.HandlerFunc {
	return func(c echo.Context) error {
		store, err := s.safeguards()
		if err != nil {
			return err
		}
		var in sankofa.SafeguardListInput
		if err := bind(c, &in); err != nil {
			return err
		}
		if err := in.Validate(); err != nil {
			return err
		}
		ifVersion := int64(-1)
		if c.Request().Header.Get("If-Match") != "" {
			cur := store.Safeguards().List.Version
			if err := checkIfMatch(c, cur, false); err != nil {
				return err
			}
			ifVersion = cur
		}
		me := principal(c)
		st, err := store.UpdateSafeguardList(c.Request().Context(), in, me.ID, ifVersion)
		if err != nil {
			return err
		}
		if err := s.audit(c, sankofa.AuditEntry{Action: sankofa.AuditSafeguards, ActorID: me.ID, ObjectID: "list"}); err != nil {
			return err
		}
		return writeSafeguards(c, http.StatusOK, st)
	}
}

// handleAddSafeguardAgreement records a government-to-government
// agreement (admins).
func (s *Server) handleAddSafeguardAgreement() echo.HandlerFunc {
	return func(c echo.Context) error {
		store, err := s.safeguards()
		if err != nil {
			return err
		}
		var in sankofa.SafeguardAgreementInput
		if err := bind(c, &in); err != nil {
			return err
		}
		if err := in.Validate(&store.Safeguards().List); err != nil {
			return err
		}
		me := principal(c)
		ag, st, err := store.AddSafeguardAgreement(c.Request().Context(), in, me.ID)
		if err != nil {
			return err
		}
		if err := s.audit(c, sankofa.AuditEntry{Action: sankofa.AuditSafeguards, ActorID: me.ID, ObjectID: ag.ID}); err != nil {
			return err
		}
		c.Response().Header().Set("ETag", etag(st.List.Version))
		return c.JSON(http.StatusCreated, ag)
	}
}

// handleDeleteSafeguardAgreement removes an agreement (admins).
func (s *Server) handleDeleteSafeguardAgreement() echo.HandlerFunc {
	return func(c echo.Context) error {
		store, err := s.safeguards()
		if err != nil {
			return err
		}
		me := principal(c)
		if _, err := store.DeleteSafeguardAgreement(c.Request().Context(), c.Param("id")); err != nil {
			return err
		}
		if err := s.audit(c, sankofa.AuditEntry{Action: sankofa.AuditSafeguards, ActorID: me.ID, ObjectID: c.Param("id")}); err != nil {
			return err
		}
		return c.NoContent(http.StatusNoContent)
	}
}

// safeguardProblem is the answer to an approach the safeguards list
// forbids: 409 with code safeguarded_recruitment, the reason in the
// reader's language and the list's address as list_url.
func safeguardProblem(se *sankofa.SafeguardError, lang string) Problem {
	p := newProblem(http.StatusConflict, "safeguarded_recruitment", matcher.SafeguardRefusal(se, lang), nil)
	p.ListURL = se.ListURL
	return p
}
