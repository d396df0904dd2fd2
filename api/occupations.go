package api

import (
	"net/http"
	"slices"
	"sort"

	"github.com/labstack/echo/v4"

	"sankofa"
	"sankofa/matcher"
)

// occupation is one entry of GET /v1/occupations.
type occupation struct {
	Code  string            `json:"code"`
	Names map[string]string `json:"names"`
	// DefaultFillers are the codes accepted for a post of this code when
	// the ministry states no accepted_professions: the code itself first.
	DefaultFillers []string `json:"default_fillers"`
}

// handleOccupations lists the ISCO-08 health occupations an assignment
// may name, with their names in every language and the default policy of
// a post of each, so that a client can offer the ministry the choice.
func (s *Server) handleOccupations() echo.HandlerFunc {
	return func(c echo.Context) error {
		return c.JSON(http.StatusOK, newList(occupations(s.deps.Matcher.Taxonomy()), ""))
	}
}

func occupations(t *matcher.Taxonomy) []occupation {
	codes := make([]string, 0, len(sankofa.Occupations))
	for code := range sankofa.Occupations {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	out := make([]occupation, 0, len(codes))
	for _, code := range codes {
		names := make(map[string]string, len(matcher.Languages))
		for _, lang := range matcher.Languages {
			names[lang] = t.Label("isco:"+code, lang)
		}
		out = append(out, occupation{Code: code, Names: names, DefaultFillers: slices.Clone(sankofa.DefaultAcceptedProfessions(code))})
	}
	return out
}
