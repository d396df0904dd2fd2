package api

import (
	"net/http"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"sankofa"
	"sankofa/matcher"
)

// suggestKinds are the kinds of concept GET /v1/taxonomy/suggest filters on.
var suggestKinds = []string{matcher.KindOccupation, matcher.KindSpecialty, matcher.KindSkill}

// handleSuggest completes a skill, specialty or occupation from the
// taxonomy as the caller types, with labels in the caller's language.
func (s *Server) handleSuggest() echo.HandlerFunc {
	return func(c echo.Context) error {
		q := c.QueryParam("q")
		lang := c.QueryParam("lang")
		kind := c.QueryParam("kind")
		var p sankofa.Problems
		if n := utf8.RuneCountInString(q); n < 1 || n > 100 {
			p.Add("q", "must be 1 to 100 characters")
		}
		if lang == "" {
			lang = readerLang(c)
		} else if !slices.Contains(matcher.Languages, lang) {
			p.Add("lang", "must be en, fr or pt")
		}
		if kind != "" && !slices.Contains(suggestKinds, kind) {
			p.Add("kind", "must be occupation, specialty or skill")
		}
		limit := 8
		if v := c.QueryParam("limit"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 20 {
				p.Add("limit", "must be a whole number from 1 to 20")
			}
			limit = n
		}
		if err := p.Err(); err != nil {
			return err
		}
		items := s.deps.Matcher.Taxonomy().Suggest(q, lang, kind, limit)
		return c.JSON(http.StatusOK, map[string][]matcher.Suggestion{"items": items})
	}
}
