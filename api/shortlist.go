package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"sankofa"
	"sankofa/matcher"
)

// shortlistItem is one worker on an assignment's shortlist. Profile is
// null and Gone true when the worker deleted their profile or stopped
// sharing it with the assignment's country; the note stays. Match is null
// when the worker no longer passes the hard constraints.
type shortlistItem struct {
	ProfileID string           `json:"profile_id"`
	Note      string           `json:"note"`
	AddedAt   time.Time        `json:"added_at"`
	Gone      bool             `json:"gone"`
	Profile   *sankofa.Profile `json:"profile"`
	Match     *matchView       `json:"match"`
}

// shortlistView is the answer of GET /v1/assignments/{id}/shortlist.
type shortlistView struct {
	Items []shortlistItem `json:"items"`
}

// handleGetShortlist shows an assignment's shortlist, with each worker as
// ministries see them and their current match, to the ministry that owns
// the assignment and to admins; as CSV on request.
func (s *Server) handleGetShortlist() echo.HandlerFunc {
	return func(c echo.Context) error {
		a, err := s.ownAssignment(c, true)
		if err != nil {
			return err
		}
		ctx := c.Request().Context()
		entries, err := s.deps.Shortlists.Shortlist(ctx, a.ID)
		if err != nil {
			return err
		}
		af := s.deps.Matcher.AssignmentFeatures(&a.AssignmentInput)
		out := shortlistView{Items: make([]shortlistItem, 0, len(entries))}
		for _, e := range entries {
			it := shortlistItem{ProfileID: e.ProfileID, Note: e.Note, AddedAt: e.AddedAt}
			p, err := s.deps.Profiles.Profile(ctx, e.ProfileID)
			switch {
			case sankofa.IsCode(err, sankofa.NotFound):
				it.Gone = true
			case err != nil:
				return err
			case !p.SharedWith(a.Country):
				it.Gone = true // never shown, whatever it holds now
			default:
				mv, ok, err := s.matchOne(c, a, af, p)
				if err != nil {
					return err
				}
				view := p.Redacted()
				it.Profile = &view
				if ok {
					it.Match = &mv
				}
			}
			out.Items = append(out.Items, it)
		}
		if wantsCSV(c) {
			return s.writeShortlistCSV(c, a, af, out.Items)
		}
		return c.JSON(http.StatusOK, out)
	}
}

func (s *Server) writeShortlistCSV(c echo.Context, a *sankofa.Assignment, af matcher.AssignmentFeatures, items []shortlistItem) error {
	rows := make([]csvRow, len(items))
	for i := range items {
		it := &items[i]
		rows[i] = csvRow{rank: i + 1, profile: it.Profile, match: it.Match, note: &it.Note}
		if it.Profile == nil {
			// A gone worker keeps only the id the ministry already had.
			rows[i].profile = &sankofa.Profile{ID: it.ProfileID}
		}
	}
	return s.writeMatchesCSV(c, a, af, rows, true)
}

// handlePutShortlist adds a worker the ministry may see to its
// assignment's shortlist (201), or changes the note of one already on it
// (200). A worker the ministry may not see is not found, as on GET
// /v1/profiles/{id}.
func (s *Server) handlePutShortlist() echo.HandlerFunc {
	return func(c echo.Context) error {
		a, err := s.ownAssignment(c, false)
		if err != nil {
			return err
		}
		var in sankofa.ShortlistNote
		if err := bind(c, &in); err != nil {
			return err
		}
		if err := in.Validate(); err != nil {
			return err
		}
		ctx := c.Request().Context()
		me := principal(c)
		p, err := s.deps.Profiles.Profile(ctx, c.Param("profile_id"))
		if err != nil {
			return err
		}
		if !p.SharedWith(me.Country) || !p.SharedWith(a.Country) {
			return sankofa.Errorf(sankofa.NotFound, "profile not found")
		}
		e := sankofa.ShortlistEntry{ProfileID: p.ID, Note: in.Note, AddedAt: s.now().UTC(), AddedBy: me.ID}
		added, err := s.deps.Shortlists.PutShortlistEntry(ctx, a.ID, e)
		if err != nil {
			return err
		}
		status := http.StatusOK
		if added {
			status = http.StatusCreated
		}
		return c.NoContent(status)
	}
}

// handleDeleteShortlist takes a worker off the shortlist; taking off one
// who is not on it succeeds too.
func (s *Server) handleDeleteShortlist() echo.HandlerFunc {
	return func(c echo.Context) error {
		a, err := s.ownAssignment(c, false)
		if err != nil {
			return err
		}
		if err := s.deps.Shortlists.RemoveShortlistEntry(c.Request().Context(), a.ID, c.Param("profile_id")); err != nil {
			return err
		}
		return c.NoContent(http.StatusNoContent)
	}
}
