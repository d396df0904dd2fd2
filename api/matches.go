package api

import (
	"encoding/base64"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"sankofa"
	"sankofa/matcher"
)

// matchView is how well a worker fits an assignment: the score and
// explanation of GET /v1/assignments/{id}/matches, also shown on the
// shortlist.
type matchView struct {
	Score       float64             `json:"score"`
	Explanation matcher.Explanation `json:"explanation"`
}

// profileMatch is one ranked worker in GET /v1/assignments/{id}/matches.
type profileMatch struct {
	Profile sankofa.Profile `json:"profile"`
	matchView
}

// assignmentMatch is one ranked assignment in GET /v1/profiles/me/matches.
type assignmentMatch struct {
	Assignment  *sankofa.Assignment `json:"assignment"`
	Score       float64             `json:"score"`
	Explanation matcher.Explanation `json:"explanation"`
}

// maxMatchPool bounds how deep a ministry can page into the ranking.
const maxMatchPool = 1000

// matchSlack is how many candidates past the page the exact ranking sees:
// the index's first pass orders by shared concepts only, so the page is
// taken from a wider pool. TestMatchQuality gives the same NDCG@10 with a
// pool of 60 as with 200; 60 past the page leaves room, and at 1M
// profiles every candidate costs CPU (about 40 µs).
const matchSlack = 60

// offsetCursor reads a match-list cursor: the position to resume at.
func offsetCursor(c string) (int, error) {
	if c == "" {
		return 0, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(c)
	n, convErr := strconv.Atoi(string(raw))
	if err != nil || convErr != nil || n < 0 || n > maxMatchPool {
		return 0, invalidField("cursor", "is not a cursor this server issued")
	}
	return n, nil
}

// matchPage reads limit and the offset cursor of a match list.
func matchPage(c echo.Context) (limit, offset int, err error) {
	limit, cursor, err := pageParams(c)
	if err != nil {
		return 0, 0, err
	}
	offset, err = offsetCursor(cursor)
	return limit, offset, err
}

func nextOffset(offset, limit, total int) string {
	if offset+limit >= total || offset+limit >= maxMatchPool {
		return ""
	}
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(offset + limit)))
}

// readerLang is the language explanations are written in for the caller:
// the locale of their account (en, fr or pt), English when unset.
func readerLang(c echo.Context) string {
	if me := principal(c); me != nil && me.Locale != "" {
		return me.Locale
	}
	return "en"
}

// handleAssignmentMatches ranks the workers who can do an assignment, for
// the ministry that posted it and for admins. Contact details stay hidden.
func (s *Server) handleAssignmentMatches() echo.HandlerFunc {
	return func(c echo.Context) error {
		a, err := s.ownAssignment(c, true)
		if err != nil {
			return err
		}
		limit, offset, err := matchPage(c)
		if err != nil {
			return err
		}
		csv := wantsCSV(c)
		if csv {
			limit = maxCSVRows
		}
		m := s.deps.Matcher
		af := m.AssignmentFeatures(&a.AssignmentInput)
		pool := min(maxMatchPool, offset+limit+matchSlack)
		cands, err := s.deps.Index.MatchCandidates(c.Request().Context(), a, af, pool)
		if err != nil {
			return err
		}
		ranked := m.RankProfiles(a, af, cands, s.now(), readerLang(c))
		items := make([]profileMatch, 0, min(limit, len(ranked)))
		for i := offset; i < len(ranked) && i < offset+limit; i++ {
			items = append(items, profileMatch{Profile: ranked[i].Profile.Redacted(), matchView: matchView{Score: ranked[i].Score, Explanation: ranked[i].Explanation}})
		}
		if csv {
			rows := make([]csvRow, len(items))
			for i := range items {
				rows[i] = csvRow{rank: offset + i + 1, profile: &items[i].Profile, match: &items[i].matchView}
			}
			return s.writeMatchesCSV(c, a, af, rows, false)
		}
		return c.JSON(http.StatusOK, newList(items, nextOffset(offset, limit, len(ranked))))
	}
}

// matchOne is the match of one worker for an assignment, computed the way
// the ranking computes it; ok is false when the worker breaks a hard
// constraint.
func (s *Server) matchOne(c echo.Context, a *sankofa.Assignment, af matcher.AssignmentFeatures, p *sankofa.Profile) (mv matchView, ok bool, err error) {
	acc, err := s.deps.Accounts.Account(c.Request().Context(), p.AccountID)
	if err != nil && !sankofa.IsCode(err, sankofa.NotFound) {
		return matchView{}, false, err
	}
	active := err == nil && acc.Status == sankofa.StatusActive
	m := s.deps.Matcher
	cand := matcher.ProfileCandidate{Profile: p, Features: m.ProfileFeatures(&p.ProfileInput), Active: active}
	ranked := m.RankProfiles(a, af, []matcher.ProfileCandidate{cand}, s.now(), readerLang(c))
	if len(ranked) == 0 {
		return matchView{}, false, nil
	}
	return matchView{Score: ranked[0].Score, Explanation: ranked[0].Explanation}, true, nil
}

// handleMyMatches ranks open assignments for the calling worker.
func (s *Server) handleMyMatches() echo.HandlerFunc {
	return func(c echo.Context) error {
		limit, offset, err := matchPage(c)
		if err != nil {
			return err
		}
		ctx := c.Request().Context()
		me := principal(c)
		p, err := s.deps.Profiles.Profile(ctx, sankofa.ProfileIDFor(me.ID))
		if err != nil {
			return err
		}
		cands, err := s.deps.Index.OpenAssignmentsFor(ctx, p)
		if err != nil {
			return err
		}
		m := s.deps.Matcher
		ranked := m.RankAssignments(p, m.ProfileFeatures(&p.ProfileInput), true, cands, s.now(), readerLang(c))
		items := make([]assignmentMatch, 0, limit)
		for i := offset; i < len(ranked) && i < offset+limit; i++ {
			items = append(items, assignmentMatch{Assignment: ranked[i].Assignment, Score: ranked[i].Score, Explanation: ranked[i].Explanation})
		}
		return c.JSON(http.StatusOK, newList(items, nextOffset(offset, limit, len(ranked))))
	}
}

// profileSearch is the answer of GET /v1/profiles.
type profileSearch struct {
	Items      []sankofa.Profile         `json:"items"`
	NextCursor *string                   `json:"next_cursor"`
	Total      uint64                    `json:"total"`
	Facets     map[string]map[string]int `json:"facets"`
}

// handleSearchProfiles is the faceted search of the worker pool: a
// ministry sees only profiles shared with its country, never contact
// details; admins see every profile.
func (s *Server) handleSearchProfiles() echo.HandlerFunc {
	return func(c echo.Context) error {
		limit, cursor, err := pageParams(c)
		if err != nil {
			return err
		}
		q := c.QueryParams()
		pq := sankofa.ProfileQuery{
			Q: q.Get("q"), Profession: q.Get("profession"), Language: q.Get("language"),
			OriginCountry: q.Get("origin_country"), ResidenceCountry: q.Get("residence_country"),
			Mode: sankofa.Mode(q.Get("mode")), AvailableFrom: sankofa.Date(q.Get("available_from")),
			AvailableTo: sankofa.Date(q.Get("available_to")), Limit: limit, Cursor: cursor,
		}
		var p sankofa.Problems
		if len(pq.Q) > 200 {
			p.Add("q", "must be at most 200 characters")
		}
		if _, ok := sankofa.Occupations[pq.Profession]; pq.Profession != "" && !ok {
			p.Add("profession", "must be an ISCO-08 health occupation code")
		}
		if pq.Language != "" && !sankofa.ValidLanguage(pq.Language) {
			p.Add("language", "must be an ISO 639-1 code")
		}
		for field, v := range map[string]string{"origin_country": pq.OriginCountry, "residence_country": pq.ResidenceCountry} {
			if v != "" && !sankofa.ValidCountry(v) {
				p.Add(field, "must be an ISO 3166-1 alpha-2 country code")
			}
		}
		if pq.Mode != "" && pq.Mode != sankofa.ModeOnsite && pq.Mode != sankofa.ModeVirtual {
			p.Add("mode", "must be onsite or virtual")
		}
		for field, d := range map[string]sankofa.Date{"available_from": pq.AvailableFrom, "available_to": pq.AvailableTo} {
			if _, ok := d.Time(); d != "" && !ok {
				p.Add(field, "must be a date as YYYY-MM-DD")
			}
		}
		if err := p.Err(); err != nil {
			return err
		}
		me := principal(c)
		if me.Role == sankofa.RoleMinistry {
			pq.Country = me.Country
		}
		res, err := s.deps.Index.SearchProfiles(c.Request().Context(), pq)
		if err != nil {
			return err
		}
		out := profileSearch{Items: make([]sankofa.Profile, 0, len(res.Profiles)), Total: res.Total, Facets: res.Facets}
		for _, pr := range res.Profiles {
			view := *pr
			if me.Role == sankofa.RoleMinistry {
				view = pr.Redacted()
			}
			out.Items = append(out.Items, view)
		}
		if res.NextCursor != "" {
			out.NextCursor = &res.NextCursor
		}
		return c.JSON(http.StatusOK, out)
	}
}
