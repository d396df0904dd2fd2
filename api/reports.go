package api

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"sankofa"
)

// ReportSearch searches published mission reports and adds up their
// outcomes.
type ReportSearch interface {
	Search(ctx context.Context, q sankofa.ReportQuery) (sankofa.ReportHits, error)
	Outcomes(ctx context.Context, country string) ([]sankofa.MissionOutcome, error)
}

// ReportReader reads reports by id.
type ReportReader interface {
	Report(ctx context.Context, id string) (*sankofa.Report, error)
}

// missionProblem answers a mission's timing or state conflict with 409
// and its own code.
func missionProblem(err error) error {
	var me *sankofa.MissionError
	if errors.As(err, &me) {
		return &httpProblem{status: http.StatusConflict, code: me.Code, detail: me.Message}
	}
	return err
}

// missionOffer loads the offer of the route; the mission operations say
// whether the caller is one of its sides.
func (s *Server) missionOffer(c echo.Context) (*sankofa.Offer, error) {
	if s.deps.Missions == nil {
		return nil, echo.NewHTTPError(http.StatusServiceUnavailable)
	}
	return s.deps.Offers.Offer(c.Request().Context(), c.Param("id"))
}

// handleGetEvaluation tells one side of a mission whether it evaluated,
// whether the other side did, and until when it may.
func (s *Server) handleGetEvaluation() echo.HandlerFunc {
	return func(c echo.Context) error {
		o, err := s.missionOffer(c)
		if err != nil {
			return err
		}
		st, err := s.deps.Missions.Evaluation(c.Request().Context(), o, principal(c).ID)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, st)
	}
}

// handlePostEvaluation records the caller's side's evaluation (201).
func (s *Server) handlePostEvaluation() echo.HandlerFunc {
	return func(c echo.Context) error {
		o, err := s.missionOffer(c)
		if err != nil {
			return err
		}
		var in sankofa.EvaluationInput
		if err := bind(c, &in); err != nil {
			return err
		}
		e, err := s.deps.Missions.Evaluate(c.Request().Context(), o, principal(c).ID, in)
		if err != nil {
			return missionProblem(err)
		}
		return c.JSON(http.StatusCreated, e)
	}
}

// tagView is a taxonomy concept with its label in the reader's language.
type tagView struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

func (s *Server) tagViews(ids []string, lang string) []tagView {
	out := make([]tagView, 0, len(ids))
	for _, id := range ids {
		out = append(out, tagView{ID: id, Label: s.deps.Matcher.Taxonomy().Label(id, baseLang(lang))})
	}
	return out
}

// reportView is a report as its authors see it.
type reportView struct {
	*sankofa.Report
	TagLabels []tagView `json:"tag_labels"`
}

func (s *Server) writeReport(c echo.Context, status int, r *sankofa.Report) error {
	c.Response().Header().Set("ETag", etag(r.Version))
	if status == http.StatusCreated {
		c.Response().Header().Set(echo.HeaderLocation, "/v1/offers/"+r.OfferID+"/report")
	}
	return c.JSON(status, reportView{Report: r, TagLabels: s.tagViews(r.Tags, readerLang(c))})
}

// handleGetMissionReport returns an offer's report to its two sides.
func (s *Server) handleGetMissionReport() echo.HandlerFunc {
	return func(c echo.Context) error {
		o, err := s.missionOffer(c)
		if err != nil {
			return err
		}
		r, err := s.deps.Missions.Report(c.Request().Context(), o, principal(c).ID)
		if err != nil {
			return err
		}
		return s.writeReport(c, http.StatusOK, r)
	}
}

// handlePostMissionReport stores the worker's report (201).
func (s *Server) handlePostMissionReport() echo.HandlerFunc {
	return func(c echo.Context) error {
		o, err := s.missionOffer(c)
		if err != nil {
			return err
		}
		var in sankofa.ReportInput
		if err := bind(c, &in); err != nil {
			return err
		}
		r, err := s.deps.Missions.CreateReport(c.Request().Context(), o, principal(c).ID, in)
		if err != nil {
			return missionProblem(err)
		}
		return s.writeReport(c, http.StatusCreated, r)
	}
}

// handlePutMissionReport replaces an unpublished report (If-Match
// required).
func (s *Server) handlePutMissionReport() echo.HandlerFunc {
	return func(c echo.Context) error {
		var in sankofa.ReportInput
		if err := bind(c, &in); err != nil {
			return err
		}
		return s.editReport(c, func(sankofa.ReportInput) (sankofa.ReportInput, error) { return in, nil })
	}
}

// handlePatchMissionReport merges a patch into an unpublished report
// (If-Match required).
func (s *Server) handlePatchMissionReport() echo.HandlerFunc {
	return func(c echo.Context) error {
		var pt sankofa.ReportPatch
		if err := bind(c, &pt); err != nil {
			return err
		}
		return s.editReport(c, func(cur sankofa.ReportInput) (sankofa.ReportInput, error) { return pt.Apply(cur), nil })
	}
}

func (s *Server) editReport(c echo.Context, edit func(sankofa.ReportInput) (sankofa.ReportInput, error)) error {
	o, err := s.missionOffer(c)
	if err != nil {
		return err
	}
	if c.Request().Header.Get("If-Match") == "" {
		return errPreconditionRequired
	}
	r, err := s.deps.Missions.EditReport(c.Request().Context(), o, principal(c).ID,
		func(cur *sankofa.Report) error { return checkIfMatch(c, cur.Version, true) }, edit)
	if err != nil {
		return missionProblem(err)
	}
	return s.writeReport(c, http.StatusOK, r)
}

// handleReportConsent records (give) or withdraws the caller's side's
// consent to publish; the report is published once both sides consent.
func (s *Server) handleReportConsent(give bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		o, err := s.missionOffer(c)
		if err != nil {
			return err
		}
		r, err := s.deps.Missions.Consent(c.Request().Context(), o, principal(c).ID, give)
		if err != nil {
			return missionProblem(err)
		}
		return s.writeReport(c, http.StatusOK, r)
	}
}

// publicReport is a published report as everyone sees it: no ids of
// people, and for an anonymous report the worker only by profession and
// origin, the host only by country.
type publicReport struct {
	ID              string                 `json:"id"`
	Mission         publicMission          `json:"mission"`
	Author          publicAuthor           `json:"author"`
	Host            publicHost             `json:"host"`
	Objectives      string                 `json:"objectives"`
	Activities      string                 `json:"activities"`
	Outcomes        sankofa.ReportOutcomes `json:"outcomes"`
	LessonsLearned  string                 `json:"lessons_learned"`
	Recommendations string                 `json:"recommendations"`
	Language        string                 `json:"language"`
	Tags            []tagView              `json:"tags"`
	PublishedAt     *time.Time             `json:"published_at"`
}

type publicMission struct {
	Title string       `json:"title"`
	Mode  sankofa.Mode `json:"mode"`
	Start sankofa.Date `json:"start"`
	End   sankofa.Date `json:"end"`
	Year  int          `json:"year"`
}

type publicAuthor struct {
	Name            string `json:"name,omitempty"`
	Profession      string `json:"profession"`
	ProfessionLabel string `json:"profession_label"`
	OriginCountry   string `json:"origin_country"`
	Anonymous       bool   `json:"anonymous"`
	Erased          bool   `json:"erased,omitempty"`
}

type publicHost struct {
	Country string `json:"country"`
	Name    string `json:"name,omitempty"`
}

func (s *Server) publicReport(r *sankofa.Report, lang string) publicReport {
	v := publicReport{ID: r.ID, Objectives: r.Objectives, Activities: r.Activities, Outcomes: r.Outcomes,
		LessonsLearned: r.LessonsLearned, Recommendations: r.Recommendations, Language: r.Language,
		Tags: s.tagViews(r.Tags, lang), PublishedAt: r.PublishedAt,
		Mission: publicMission{Title: r.Mission.Title, Mode: r.Mission.Mode, Start: r.Mission.Start, End: r.Mission.End, Year: r.Mission.Year()},
		Author:  publicAuthor{Profession: r.Mission.Profession, ProfessionLabel: s.professionLabel(r.Mission.Profession, lang), OriginCountry: r.Mission.OriginCountry, Anonymous: r.Anonymous, Erased: r.AuthorErased},
		Host:    publicHost{Country: r.Mission.Country}}
	if !r.Anonymous && !r.AuthorErased {
		v.Author.Name, v.Host.Name = r.WorkerName, r.HostName
	}
	return v
}

func (s *Server) professionLabel(code, lang string) string {
	return s.deps.Matcher.Taxonomy().Label("isco:"+code, lang)
}

// reportFacets are the values the filters of the report search may take:
// those of the published reports.
type reportFacets struct {
	Countries   []string  `json:"countries"`
	Professions []tagView `json:"professions"`
	Languages   []string  `json:"languages"`
}

func (s *Server) reportFacets(ctx context.Context, lang string) (reportFacets, error) {
	all, err := s.deps.ReportSearch.Outcomes(ctx, "")
	if err != nil {
		return reportFacets{}, err
	}
	f := reportFacets{Countries: []string{}, Professions: []tagView{}, Languages: []string{}}
	for _, o := range all {
		if !slices.Contains(f.Countries, o.Country) {
			f.Countries = append(f.Countries, o.Country)
		}
		if !slices.ContainsFunc(f.Professions, func(v tagView) bool { return v.ID == o.Profession }) {
			f.Professions = append(f.Professions, tagView{ID: o.Profession, Label: s.professionLabel(o.Profession, lang)})
		}
		if !slices.Contains(f.Languages, o.Language) {
			f.Languages = append(f.Languages, o.Language)
		}
	}
	slices.Sort(f.Countries)
	slices.Sort(f.Languages)
	slices.SortFunc(f.Professions, func(a, b tagView) int { return strings.Compare(a.Label, b.Label) })
	return f, nil
}

// publicLang is the reader's language for labels: their account's, else
// the first of Accept-Language Sankofa speaks, else English.
func publicLang(c echo.Context) string {
	if me := principal(c); me != nil && me.Locale != "" {
		return baseLang(me.Locale)
	}
	for _, part := range strings.Split(c.Request().Header.Get("Accept-Language"), ",") {
		l := baseLang(strings.TrimSpace(strings.Split(part, ";")[0]))
		if slices.Contains(sankofa.Locales, l) {
			return l
		}
	}
	return "en"
}

func baseLang(locale string) string {
	if i := strings.IndexAny(locale, "-_"); i >= 0 {
		locale = locale[:i]
	}
	return strings.ToLower(locale)
}

// handleSearchReports is the public, ranked search of published reports.
func (s *Server) handleSearchReports() echo.HandlerFunc {
	return func(c echo.Context) error {
		if s.deps.ReportSearch == nil || s.deps.ReportStore == nil {
			return echo.NewHTTPError(http.StatusServiceUnavailable)
		}
		ctx := c.Request().Context()
		limit, cursor, err := pageParams(c)
		if err != nil {
			return err
		}
		q := sankofa.ReportQuery{Q: c.QueryParam("q"), Country: strings.ToUpper(c.QueryParam("country")),
			Profession: c.QueryParam("profession"), Language: strings.ToLower(c.QueryParam("lang")), Cursor: cursor, Limit: limit}
		if err := q.Validate(); err != nil {
			return err
		}
		hits, err := s.deps.ReportSearch.Search(ctx, q)
		if err != nil {
			return err
		}
		lang := publicLang(c)
		items := make([]publicReport, 0, len(hits.IDs))
		for _, id := range hits.IDs {
			r, err := s.deps.ReportStore.Report(ctx, id)
			if sankofa.IsCode(err, sankofa.NotFound) {
				continue // deleted since it was indexed
			}
			if err != nil {
				return err
			}
			if r.Status == sankofa.ReportPublished {
				items = append(items, s.publicReport(r, lang))
			}
		}
		facets, err := s.reportFacets(ctx, lang)
		if err != nil {
			return err
		}
		c.Response().Header().Set("Cache-Control", "public, max-age=60")
		return c.JSON(http.StatusOK, struct {
			list[publicReport]
			Total  uint64       `json:"total"`
			Facets reportFacets `json:"facets"`
		}{newList(items, hits.NextCursor), hits.Total, facets})
	}
}

// handleGetPublicReport returns one published report; an unpublished one
// is not found.
func (s *Server) handleGetPublicReport() echo.HandlerFunc {
	return func(c echo.Context) error {
		if s.deps.ReportStore == nil {
			return echo.NewHTTPError(http.StatusServiceUnavailable)
		}
		id := c.Param("id")
		if len(id) > 64 {
			return sankofa.Errorf(sankofa.NotFound, "report not found")
		}
		r, err := s.deps.ReportStore.Report(c.Request().Context(), id)
		if err != nil {
			return err
		}
		if r.Status != sankofa.ReportPublished {
			return sankofa.Errorf(sankofa.NotFound, "report not found")
		}
		c.Response().Header().Set("Cache-Control", "public, max-age=60")
		return c.JSON(http.StatusOK, s.publicReport(r, publicLang(c)))
	}
}
