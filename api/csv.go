package api

import (
	"bytes"
	"encoding/csv"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"sankofa"
	"sankofa/matcher"
)

// maxCSVRows bounds a CSV export of matches.
const maxCSVRows = 500

// mimeCSV is the media type of exports.
const mimeCSV = "text/csv; charset=utf-8"

// wantsCSV reports whether the caller asked for CSV, with ?format=csv or
// Accept: text/csv.
func wantsCSV(c echo.Context) bool {
	if c.QueryParam("format") == "csv" {
		return true
	}
	for part := range strings.SplitSeq(c.Request().Header.Get(echo.HeaderAccept), ",") {
		if mt, _, err := mime.ParseMediaType(strings.TrimSpace(part)); err == nil && mt == "text/csv" {
			return true
		}
	}
	return false
}

// csvRow is one worker of an export: match is nil when the worker no
// longer passes the hard constraints, profile nil when they are gone.
type csvRow struct {
	rank    int
	profile *sankofa.Profile
	match   *matchView
	note    *string // shortlist exports only
}

// csvColumns are the columns of an export. Contact details are never
// among them: exports leave the system, contact details stay in it until
// an offer is accepted.
var csvColumns = []string{"rank", "profile_id", "full_name", "profession", "specialties", "years_experience",
	"residence_country", "origin_country", "languages", "modes", "score", "matched_skills", "related_skills",
	"missing_skills", "availability_overlap", "licence"}

// writeMatchesCSV answers with rows as a CSV attachment; withNote adds the
// shortlist's note column.
func (s *Server) writeMatchesCSV(c echo.Context, a *sankofa.Assignment, af matcher.AssignmentFeatures, rows []csvRow, withNote bool) error {
	exact := s.exactSkills(af, readerLang(c))
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	head := csvColumns
	if withNote {
		head = append(head[:len(head):len(head)], "note")
	}
	w.Write(head)
	for _, r := range rows {
		rec := make([]string, 0, len(head))
		rec = append(rec, strconv.Itoa(r.rank))
		if p := r.profile; p != nil {
			langs := make([]string, len(p.Languages))
			for i, l := range p.Languages {
				langs[i] = l.Code + ":" + l.Level
			}
			modes := make([]string, len(p.Modes))
			for i, m := range p.Modes {
				modes[i] = string(m)
			}
			lic := make([]string, len(p.Licences))
			for i, l := range p.Licences {
				lic[i] = l.Country + ":" + l.Body + ":" + string(l.Expires)
			}
			rec = append(rec, p.ID, p.FullName, p.Profession, strings.Join(p.Specialties, "; "),
				strconv.Itoa(p.YearsExperience), p.ResidenceCountry, p.OriginCountry, strings.Join(langs, ";"),
				strings.Join(modes, ";"))
			if m := r.match; m != nil {
				var matched, related []string
				for _, sk := range m.Explanation.MatchedSkills {
					if exact[sk] {
						matched = append(matched, sk)
					} else {
						related = append(related, sk)
					}
				}
				rec = append(rec, strconv.FormatFloat(m.Score, 'f', 4, 64), strings.Join(matched, "; "),
					strings.Join(related, "; "), strings.Join(m.Explanation.MissingSkills, "; "),
					strconv.Itoa(m.Explanation.AvailabilityOverlapDays))
			} else {
				rec = append(rec, "", "", "", "", "")
			}
			rec = append(rec, strings.Join(lic, ";"))
		}
		for len(rec) < len(csvColumns) {
			rec = append(rec, "")
		}
		if withNote {
			note := ""
			if r.note != nil {
				note = *r.note
			}
			rec = append(rec, note)
		}
		for i := range rec {
			rec[i] = csvCell(rec[i])
		}
		w.Write(rec)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	kind := "matches"
	if withNote {
		kind = "shortlist"
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="assignment-`+a.ID+`-`+kind+`.csv"`)
	return c.Blob(http.StatusOK, mimeCSV, buf.Bytes())
}

// exactSkills are the explanation's wordings of the required skills met
// exactly; the other matched entries were met through a related skill.
func (s *Server) exactSkills(af matcher.AssignmentFeatures, lang string) map[string]bool {
	tax := s.deps.Matcher.Taxonomy()
	out := make(map[string]bool, len(af.Required)+len(af.RequiredTerms))
	for _, c := range af.Required {
		out[tax.Label(c, lang)] = true
	}
	for _, t := range af.RequiredTerms {
		out[t] = true
	}
	return out
}

// csvCell defuses a cell a spreadsheet would run as a formula (CSV
// injection): one starting with = + - @, a tab or a carriage return gets
// a leading single quote.
func csvCell(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}
