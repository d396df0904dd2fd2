package search

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"

	"sankofa"
	"sankofa/matcher"
)

// sourceField holds a JSON snapshot of the entity, stored and not indexed,
// so that ranking needs no database read per candidate.
const sourceField = "_source"

// Fields of the profile index. Hard constraints are encoded as terms so
// that every filter is a term lookup, fast at a million documents:
// "lang_at" holds "fr:B2" for every level up to the one spoken, "exp_at"
// every whole year up to the worker's experience, "vhours_at" every hour up
// to the weekly offer, "avail_month" every month an on-site window touches.
var profileKeywords = []string{
	"profession", "origin_country", "residence_country", "share_with", "modes", "languages",
	"account_id", "active", "concepts", "lang_at", "exp_at", "vhours_at", "avail_month", "licence_month",
}

const textAnalyzer = "sankofa_text"

func profileMapping() mapping.IndexMapping {
	m := newMapping(profileKeywords, []string{"created", "updated"})
	// Free text folds case and accents, so "infirmiere" finds "infirmière".
	if err := m.AddCustomAnalyzer(textAnalyzer, map[string]any{
		"type":          custom.Name,
		"char_filters":  []string{asciifolding.Name},
		"tokenizer":     unicode.Name,
		"token_filters": []string{lowercase.Name},
	}); err != nil {
		panic(err) // a static definition; TestIndex_Open exercises it
	}
	text := bleve.NewTextFieldMapping()
	text.Analyzer = textAnalyzer
	text.IncludeInAll = false
	text.Store = false
	m.DefaultMapping.AddFieldMappingsAt("text", text)
	m.DefaultMapping.AddFieldMappingsAt(sourceField, sourceFieldMapping())
	m.DefaultMapping.AddFieldMappingsAt(versionField, sourceFieldMapping())
	return m
}

// sourceFieldMapping stores a value without indexing it.
func sourceFieldMapping() *mapping.FieldMapping {
	f := bleve.NewTextFieldMapping()
	f.Index = false
	f.Store = true
	f.IncludeInAll = false
	f.IncludeTermVectors = false
	f.DocValues = false
	return f
}

// profileSource is the snapshot kept in the index.
type profileSource struct {
	Profile  *sankofa.Profile `json:"p"`
	Features matcher.Features `json:"f"`
	Active   bool             `json:"a"`
}

func (ix *Index) profileDoc(p *sankofa.Profile, active bool) (map[string]any, error) {
	f := ix.match.ProfileFeatures(&p.ProfileInput)
	src, err := json.Marshal(profileSource{Profile: p, Features: f, Active: active})
	if err != nil {
		return nil, fmt.Errorf("search: encode profile %s: %w", p.ID, err)
	}
	var langs, langAt, modes, expAt, vhours, months, licence []string
	for _, l := range p.Languages {
		langs = append(langs, l.Code)
		for lv := 1; lv <= sankofa.CEFRRank(l.Level); lv++ {
			langAt = append(langAt, l.Code+":"+sankofa.CEFRLevels[lv-1])
		}
	}
	for _, m := range p.Modes {
		modes = append(modes, string(m))
	}
	for y := 0; y <= p.YearsExperience; y++ {
		expAt = append(expAt, strconv.Itoa(y))
	}
	for h := 1; h <= p.VirtualHoursPerWeek; h++ {
		vhours = append(vhours, strconv.Itoa(h))
	}
	for _, w := range p.Availability {
		months = append(months, monthsBetween(w.From, w.To)...)
	}
	for _, l := range p.Licences {
		if len(l.Expires) >= 7 {
			licence = append(licence, string(l.Expires[:7]))
		}
	}
	concepts := append(append([]string{}, f.Skills...), f.Specialties...)
	text := p.FullName + " " + p.Bio
	for _, s := range append(append([]string{}, p.Skills...), p.Specialties...) {
		text += " " + s
	}
	return map[string]any{
		"profession": p.Profession, "origin_country": p.OriginCountry, "residence_country": p.ResidenceCountry,
		"share_with": p.ShareWith, "modes": modes, "languages": langs, "account_id": p.AccountID,
		"active": strconv.FormatBool(active), "concepts": concepts, "lang_at": langAt, "exp_at": expAt,
		"vhours_at": vhours, "avail_month": months, "licence_month": licence, "text": text,
		"created": float64(p.CreatedAt.UnixMilli()), "updated": float64(p.UpdatedAt.UnixMilli()),
		sourceField: string(src), versionField: strconv.FormatInt(p.Version, 10),
	}, nil
}

// monthsBetween lists the months ("2027-03") a date span touches.
func monthsBetween(from, to sankofa.Date) []string {
	f, ok1 := from.Time()
	t, ok2 := to.Time()
	if !ok1 || !ok2 || t.Before(f) {
		return nil
	}
	var out []string
	for m := time.Date(f.Year(), f.Month(), 1, 0, 0, 0, 0, time.UTC); !m.After(t); m = m.AddDate(0, 1, 0) {
		out = append(out, m.Format("2006-01"))
	}
	return out
}

// IndexProfile adds or replaces a profile; active is its account's state.
func (ix *Index) IndexProfile(p *sankofa.Profile, active bool) error {
	doc, err := ix.profileDoc(p, active)
	if err != nil {
		return err
	}
	if err := ix.profiles.Index(p.ID, doc); err != nil {
		return fmt.Errorf("search: index profile %s: %w", p.ID, err)
	}
	return nil
}

// DeleteProfile removes a profile deleted at version; a missing one is
// fine. The version is remembered so that an older event replayed later
// cannot bring the profile back.
func (ix *Index) DeleteProfile(id string, version int64) error {
	if err := ix.profiles.SetInternal(deletedKey(id), []byte(strconv.FormatInt(version, 10))); err != nil {
		return fmt.Errorf("search: delete profile %s: %w", id, err)
	}
	if err := ix.profiles.Delete(id); err != nil {
		return fmt.Errorf("search: delete profile %s: %w", id, err)
	}
	return nil
}

// MatchCandidates returns up to pool workers who pass the hard constraints
// of assignment a as far as terms can tell, best first by a first-pass
// score on shared concepts. The matcher then checks and ranks them
// exactly.
func (ix *Index) MatchCandidates(ctx context.Context, a *sankofa.Assignment, af matcher.AssignmentFeatures, pool int) ([]matcher.ProfileCandidate, error) {
	must := []query.Query{term("active", "true"), term("share_with", a.Country)}
	var profs []query.Query
	for _, code := range ix.match.Taxonomy().Fillers(a.Profession) {
		profs = append(profs, term("profession", code))
	}
	must = append(must, or(profs...))
	for _, l := range a.Languages {
		must = append(must, term("lang_at", l.Code+":"+l.Level))
	}
	onsite := a.Mode == sankofa.ModeOnsite || a.Mode == sankofa.ModeHybrid
	virtual := a.Mode == sankofa.ModeVirtual || a.Mode == sankofa.ModeHybrid
	if onsite {
		must = append(must, term("modes", string(sankofa.ModeOnsite)))
		var months []query.Query
		for _, m := range monthsBetween(a.Start, a.End) {
			months = append(months, term("avail_month", m))
		}
		if len(months) > 0 {
			must = append(must, or(months...))
		}
	}
	if virtual {
		must = append(must, term("modes", string(sankofa.ModeVirtual)))
		if a.VirtualHoursPerWeek > 0 {
			must = append(must, term("vhours_at", strconv.Itoa(a.VirtualHoursPerWeek)))
		}
	}
	if a.MinYearsExperience > 0 {
		must = append(must, term("exp_at", strconv.Itoa(a.MinYearsExperience)))
	}
	if a.LicenceRequired && len(a.End) >= 7 {
		r := bleve.NewTermRangeInclusiveQuery(string(a.End[:7]), "", new(true), nil)
		r.SetField("licence_month")
		must = append(must, r)
	}
	// Soft signals for the first pass: shared concepts and the diaspora tie.
	var should []query.Query
	boost := func(q query.Query, b float64) query.Query {
		if bq, ok := q.(query.BoostableQuery); ok {
			bq.SetBoost(b)
		}
		return q
	}
	for _, c := range af.Required {
		should = append(should, boost(term("concepts", c), 3))
	}
	for _, c := range af.Specialties {
		should = append(should, boost(term("concepts", c), 2))
	}
	for _, c := range af.Preferred {
		should = append(should, boost(term("concepts", c), 1))
	}
	should = append(should, boost(term("origin_country", a.Country), 0.5))
	bq := bleve.NewBooleanQuery()
	bq.AddMust(must...)
	bq.AddShould(should...)
	if len(should) > 0 {
		bq.Should.(*query.DisjunctionQuery).SetMin(0)
	}
	req := bleve.NewSearchRequestOptions(bq, pool, 0, false)
	req.Fields = []string{sourceField}
	req.SortBy([]string{"-_score", "_id"})
	res, err := ix.profiles.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("search: match candidates: %w", err)
	}
	out := make([]matcher.ProfileCandidate, 0, len(res.Hits))
	for _, h := range res.Hits {
		var src profileSource
		if s, ok := h.Fields[sourceField].(string); ok && json.Unmarshal([]byte(s), &src) == nil && src.Profile != nil {
			out = append(out, matcher.ProfileCandidate{Profile: src.Profile, Features: src.Features, Active: src.Active})
		}
	}
	return out, nil
}

// facetFields maps the facets of a profile search to index fields.
var facetFields = map[string]string{
	"profession": "profession", "language": "languages", "origin_country": "origin_country",
	"residence_country": "residence_country", "mode": "modes",
}

// SearchProfiles runs a faceted search of active profiles. Free text is
// understood through the taxonomy: named concepts match workers who have
// them whatever the wording, the rest matches words. Availability filters
// work at month resolution.
func (ix *Index) SearchProfiles(ctx context.Context, q sankofa.ProfileQuery) (sankofa.ProfileResults, error) {
	must := []query.Query{term("active", "true")}
	if q.Country != "" {
		must = append(must, term("share_with", q.Country))
	}
	for field, v := range map[string]string{"profession": q.Profession, "languages": q.Language,
		"origin_country": q.OriginCountry, "residence_country": q.ResidenceCountry, "modes": string(q.Mode)} {
		if v != "" {
			must = append(must, term(field, v))
		}
	}
	if q.AvailableFrom != "" || q.AvailableTo != "" {
		from, to := q.AvailableFrom, q.AvailableTo
		if from == "" {
			from = to
		}
		if to == "" {
			to = from
		}
		var months []query.Query
		for _, m := range monthsBetween(from, to) {
			months = append(months, term("avail_month", m))
		}
		if len(months) == 0 || len(months) > 36 {
			return sankofa.ProfileResults{}, &sankofa.Error{Code: sankofa.Invalid, Message: "the request has invalid fields",
				Fields: []sankofa.FieldError{{Field: "available_to", Message: "must be on or after available_from, within 3 years"}}}
		}
		must = append(must, or(months...))
	}
	sortBy := []string{"-created", "-_id"}
	if q.Q != "" {
		concepts, words := ix.match.Taxonomy().Expand(q.Q)
		var any []query.Query
		for _, c := range concepts {
			any = append(any, term("concepts", c))
		}
		for _, w := range words {
			mq := bleve.NewMatchQuery(w)
			mq.SetField("text")
			mq.Analyzer = textAnalyzer
			any = append(any, mq)
		}
		if len(any) > 0 {
			must = append(must, or(any...))
			sortBy = []string{"-_score", "-_id"}
		}
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 20
	}
	limit = min(limit, sankofa.MaxPageSize)
	req := bleve.NewSearchRequestOptions(and(must...), limit+1, 0, false)
	req.SortBy(sortBy)
	req.Fields = []string{sourceField}
	if q.Cursor != "" {
		after, err := decodeCursor(q.Cursor)
		if err != nil {
			return sankofa.ProfileResults{}, err
		}
		req.SearchAfter = after
	}
	for name, field := range facetFields {
		req.AddFacet(name, bleve.NewFacetRequest(field, 60))
	}
	res, err := ix.profiles.SearchInContext(ctx, req)
	if err != nil {
		return sankofa.ProfileResults{}, fmt.Errorf("search: profiles: %w", err)
	}
	out := sankofa.ProfileResults{Profiles: []*sankofa.Profile{}, Total: res.Total, Facets: map[string]map[string]int{}}
	for i, h := range res.Hits {
		if i == limit {
			out.NextCursor = encodeCursor(res.Hits[i-1].Sort)
			break
		}
		var src profileSource
		if s, ok := h.Fields[sourceField].(string); ok && json.Unmarshal([]byte(s), &src) == nil && src.Profile != nil {
			out.Profiles = append(out.Profiles, src.Profile)
		}
	}
	for name, fr := range res.Facets {
		counts := map[string]int{}
		if fr.Terms != nil {
			for _, t := range fr.Terms.Terms() {
				counts[t.Term] = t.Count
			}
		}
		out.Facets[name] = counts
	}
	return out, nil
}
