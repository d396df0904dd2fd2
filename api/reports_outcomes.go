package api

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"sankofa"
)

// outcomeCell is one profession's and year's published mission reports:
// how many, and what they add up to.
type outcomeCell struct {
	Profession string `json:"profession"`
	Year       int    `json:"year"`
	// Missions counts reports, not persons; a count below
	// outcomesFewMissions is rounded to a multiple of 5 (never to 0),
	// like the observatory's counts, and Rounded says so.
	Missions            int  `json:"missions"`
	Rounded             bool `json:"rounded"`
	PeopleTrained       int  `json:"people_trained"`
	ProceduresPerformed int  `json:"procedures_performed"`
	ProtocolsWritten    int  `json:"protocols_written"`
}

type outcomesAnswer struct {
	Country  string        `json:"country,omitempty"`
	Rounding int           `json:"rounding"`
	Missions int           `json:"missions"`
	Cells    []outcomeCell `json:"cells"`
}

// outcomesFewMissions: counts of missions below it are rounded.
const outcomesFewMissions = 10

// roundFew rounds n, when it is few (1 to outcomesFewMissions-1), to the
// nearest multiple of 5, at least 5.
func roundFew(n int) (int, bool) {
	if n == 0 || n >= outcomesFewMissions {
		return n, false
	}
	return max(5, (n+2)/5*5), true
}

// handleObservatoryOutcomes gives, from published mission reports, the
// missions reported and the sums of people trained, procedures performed
// and protocols written, by profession and year; public, of one host
// country when country is given.
func (s *Server) handleObservatoryOutcomes() echo.HandlerFunc {
	return func(c echo.Context) error {
		if s.deps.ReportSearch == nil {
			return echo.NewHTTPError(http.StatusServiceUnavailable)
		}
		country := strings.ToUpper(c.QueryParam("country"))
		if country != "" && !sankofa.ValidCountry(country) {
			return invalidField("country", "must be an ISO 3166-1 alpha-2 code such as GH")
		}
		all, err := s.deps.ReportSearch.Outcomes(c.Request().Context(), country)
		if err != nil {
			return err
		}
		type key struct {
			p string
			y int
		}
		cells := map[key]*outcomeCell{}
		for _, o := range all {
			k := key{o.Profession, o.Year}
			cell := cells[k]
			if cell == nil {
				cell = &outcomeCell{Profession: o.Profession, Year: o.Year}
				cells[k] = cell
			}
			cell.Missions++
			cell.PeopleTrained += o.PeopleTrained
			cell.ProceduresPerformed += o.ProceduresPerformed
			cell.ProtocolsWritten += o.ProtocolsWritten
		}
		ans := outcomesAnswer{Country: country, Rounding: 5, Cells: []outcomeCell{}}
		for _, cell := range cells {
			cell.Missions, cell.Rounded = roundFew(cell.Missions)
			ans.Cells = append(ans.Cells, *cell)
		}
		ans.Missions, _ = roundFew(len(all))
		slices.SortFunc(ans.Cells, func(a, b outcomeCell) int {
			return cmp.Or(cmp.Compare(a.Year, b.Year), cmp.Compare(a.Profession, b.Profession))
		})
		body, err := json.Marshal(ans)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		tag := `"` + hex.EncodeToString(sum[:8]) + `"`
		h := c.Response().Header()
		h.Set("Cache-Control", "public, max-age=300")
		h.Set("ETag", tag)
		if c.Request().Header.Get("If-None-Match") == tag {
			return c.NoContent(http.StatusNotModified)
		}
		return c.JSONBlob(http.StatusOK, body)
	}
}
