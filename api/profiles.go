package api

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"sankofa"
)

// handlePutProfile creates the caller's profile (201) or replaces it
// (200, If-Match required).
func (s *Server) handlePutProfile() echo.HandlerFunc {
	return func(c echo.Context) error {
		var in sankofa.ProfileInput
		if err := bind(c, &in); err != nil {
			return serverOwned(err)
		}
		in.Normalize()
		if err := in.Validate(s.today()); err != nil {
			return err
		}
		ctx := c.Request().Context()
		me := principal(c)
		id := sankofa.ProfileIDFor(me.ID)
		cur, version, err := s.deps.Profiles.ProfileSlot(ctx, id)
		if err != nil {
			return err
		}
		now := s.now().UTC()
		p := &sankofa.Profile{ID: id, AccountID: me.ID, ProfileInput: in, Version: version + 1, CreatedAt: now, UpdatedAt: now}
		action, status := "created", http.StatusCreated
		if cur != nil {
			if c.Request().Header.Get("If-None-Match") == "*" {
				return sankofa.Errorf(sankofa.PreconditionFailed, "a profile already exists")
			}
			if err := checkIfMatch(c, cur.Version, true); err != nil {
				return err
			}
			p.CreatedAt = cur.CreatedAt
			p.Commitments = cur.Commitments
			action, status = "updated", http.StatusOK
		} else if h := c.Request().Header.Get("If-Match"); h != "" {
			return sankofa.Errorf(sankofa.PreconditionFailed, "there is no profile to match; create one without If-Match")
		}
		var old []sankofa.Licence
		var consents []sankofa.Consent
		if cur != nil {
			stored := cur.ProfileInput
			stored.ReviewLicences(s.today())
			old = stored.Licences
			consents = cur.ConsentHistory
		}
		if err := p.KeepVerifications(old); err != nil {
			return err
		}
		p.RecordConsent(consents, now)
		return s.saveProfile(c, p, action, status)
	}
}

// handlePatchProfile applies a JSON merge patch (RFC 7396) to the caller's
// profile; If-Match is required.
func (s *Server) handlePatchProfile() echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		me := principal(c)
		cur, err := s.deps.Profiles.Profile(ctx, sankofa.ProfileIDFor(me.ID))
		if err != nil {
			return err
		}
		if err := checkIfMatch(c, cur.Version, true); err != nil {
			return err
		}
		body, err := readBody(c)
		if err != nil {
			return err
		}
		// Windows that have ended are dropped first, so that they never
		// block an unrelated change.
		base := cur.ProfileInput
		base.DropEndedWindows(s.today())
		base.ReviewLicences(s.today())
		in, err := applyPatch(base, body)
		if err != nil {
			return serverOwned(err)
		}
		in.Normalize()
		if err := in.Validate(s.today()); err != nil {
			return err
		}
		if err := in.KeepVerifications(base.Licences); err != nil {
			return err
		}
		p := *cur
		p.ProfileInput = in
		p.Version++
		p.UpdatedAt = s.now().UTC()
		p.RecordConsent(cur.ConsentHistory, p.UpdatedAt)
		return s.saveProfile(c, &p, "updated", http.StatusOK)
	}
}

// serverOwned rewords the decoder's "is not a known field" for the
// profile's consent_history, which a worker reads in their profile but
// only the server writes, so that the field error says why.
func serverOwned(err error) error {
	var e *sankofa.Error
	if !errors.As(err, &e) {
		return err
	}
	for i, f := range e.Fields {
		if f.Field == "consent_history" {
			e.Fields[i].Message = "is kept by the server, which records each change of share_with; leave it out"
		}
	}
	return err
}

// applyPatch merges patch into base and decodes the result strictly, so
// that a patch cannot smuggle in unknown fields.
func applyPatch[T any](base T, patch []byte) (T, error) {
	var out T
	doc, err := json.Marshal(base)
	if err != nil {
		return out, err
	}
	merged, err := sankofa.MergePatch(doc, patch)
	if err != nil {
		return out, err
	}
	err = sankofa.DecodeJSON(merged, &out)
	return out, err
}

func (s *Server) saveProfile(c echo.Context, p *sankofa.Profile, action string, status int) error {
	ctx := c.Request().Context()
	p.Completeness = p.Score()
	ev, err := s.event(c, "profile", action, p.ID, p.Version, p)
	if err != nil {
		return err
	}
	pe, err := s.deps.Profiles.SaveProfile(ctx, p, ev)
	if err != nil {
		return err
	}
	s.dispatcher.After(ctx, pe)
	c.Response().Header().Set("ETag", etag(p.Version))
	if status == http.StatusCreated {
		c.Response().Header().Set(echo.HeaderLocation, "/v1/profiles/"+p.ID)
	}
	return c.JSON(status, p)
}

// handleGetMyProfile returns the caller's profile.
func (s *Server) handleGetMyProfile() echo.HandlerFunc {
	return func(c echo.Context) error {
		p, err := s.deps.Profiles.Profile(c.Request().Context(), sankofa.ProfileIDFor(principal(c).ID))
		if err != nil {
			return err
		}
		view := *p
		view.ReviewLicences(s.today())
		c.Response().Header().Set("ETag", etag(p.Version))
		return c.JSON(http.StatusOK, &view)
	}
}

// handleDeleteMyProfile deletes the caller's profile (If-Match optional).
func (s *Server) handleDeleteMyProfile() echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		p, err := s.deps.Profiles.Profile(ctx, sankofa.ProfileIDFor(principal(c).ID))
		if err != nil {
			return err
		}
		if err := checkIfMatch(c, p.Version, false); err != nil {
			return err
		}
		ev, err := s.event(c, "profile", "deleted", p.ID, p.Version+1, map[string]string{"id": p.ID, "account_id": p.AccountID})
		if err != nil {
			return err
		}
		pe, err := s.deps.Profiles.DeleteProfile(ctx, p, ev)
		if err != nil {
			return err
		}
		s.dispatcher.After(ctx, pe)
		return c.NoContent(http.StatusNoContent)
	}
}

// handleGetProfile shows a profile to admins, and to approved ministries
// whose country it is shared with, always without contact details for
// ministries. A profile not shared with the caller is reported as not
// found, so that its existence does not leak.
func (s *Server) handleGetProfile() echo.HandlerFunc {
	return func(c echo.Context) error {
		p, view, err := s.readProfile(c, c.Param("id"))
		if err != nil {
			return err
		}
		c.Response().Header().Set("ETag", etag(p.Version))
		return c.JSON(http.StatusOK, view)
	}
}

// readProfile applies the rules of a profile read, for the REST API and
// FHIR alike: it returns the stored profile and the caller's view of it
// (redacted for a ministry, licences reviewed as of today). A ministry
// whose country the profile is not shared with gets not_found; an admin's
// read is audited first.
func (s *Server) readProfile(c echo.Context, id string) (*sankofa.Profile, sankofa.Profile, error) {
	p, err := s.deps.Profiles.Profile(c.Request().Context(), id)
	if err != nil {
		return nil, sankofa.Profile{}, err
	}
	me := principal(c)
	view := *p
	if me.Role == sankofa.RoleMinistry {
		if !p.SharedWith(me.Country) {
			return nil, sankofa.Profile{}, sankofa.Errorf(sankofa.NotFound, "profile not found")
		}
		view = p.Redacted()
	}
	view.ReviewLicences(s.today())
	if me.Role == sankofa.RoleAdmin {
		if err := s.audit(c, sankofa.AuditEntry{Action: sankofa.AuditProfileRead, ActorID: me.ID,
			SubjectID: p.AccountID, ObjectID: p.ID}); err != nil {
			return nil, sankofa.Profile{}, err
		}
	}
	return p, view, nil
}
