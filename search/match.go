package search

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"sankofa"
	"sankofa/matcher"
)

// MatchCandidates returns up to pool workers who pass the hard constraints
// of assignment a as far as terms can tell, best first by a first-pass
// score on shared concepts. The matcher then checks and ranks them
// exactly.
func (ix *Index) MatchCandidates(ctx context.Context, a *sankofa.Assignment, af matcher.AssignmentFeatures, pool int) ([]matcher.ProfileCandidate, error) {
	// The search walks the few active profiles shared with the country in
	// a profession that can fill the post; boost 0 keeps that walk out of
	// the score.
	var lead []query.Query
	for _, code := range ix.match.Taxonomy().Fillers(a.Profession) {
		lead = append(lead, term("hc", hcTerm("sp", a.Country, code)))
	}
	if len(lead) == 0 {
		return []matcher.ProfileCandidate{}, nil
	}
	leadQ := or(lead...).(*query.DisjunctionQuery)
	leadQ.SetBoost(0)

	bq := bleve.NewBooleanQuery()
	bq.AddMust(leadQ)
	// The other hard constraints are an unscored filter: unscored postings
	// skip ahead instead of being read entry by entry, and field norms no
	// longer favour workers with fewer levels, years or months.
	if f := matchFilter(a); len(f) > 0 {
		bq.AddFilter(and(f...))
	}
	// Soft signals for the first pass: shared concepts and the diaspora tie.
	var should []query.Query
	for _, c := range af.Required {
		should = append(should, boosted(term("concepts", conceptTerm(c)), 3))
	}
	for _, c := range af.Specialties {
		should = append(should, boosted(term("concepts", conceptTerm(c)), 2))
	}
	for _, c := range af.Preferred {
		should = append(should, boosted(term("concepts", conceptTerm(c)), 1))
	}
	should = append(should, boosted(term("origin_country", a.Country), 0.5))
	bq.AddShould(should...)
	bq.Should.(*query.DisjunctionQuery).SetMin(0)

	// Sorting on the score alone avoids reading every hit's external id
	// for a tie-break; RankProfiles orders ties by id.
	req := bleve.NewSearchRequestOptions(bq, pool, 0, false)
	req.Fields = []string{sourceField}
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

// matchFilter lists the hard constraints of a other than country,
// profession and activity, which the lead terms already carry.
func matchFilter(a *sankofa.Assignment) []query.Query {
	var must []query.Query
	for _, l := range a.Languages {
		var levels []query.Query
		for _, lv := range sankofa.CEFRLevels[max(sankofa.CEFRRank(l.Level), 1)-1:] {
			levels = append(levels, term("hc", hcTerm("l", l.Code, lv)))
		}
		must = append(must, or(levels...))
	}
	onsite := a.Mode == sankofa.ModeOnsite || a.Mode == sankofa.ModeHybrid
	virtual := a.Mode == sankofa.ModeVirtual || a.Mode == sankofa.ModeHybrid
	if onsite {
		must = append(must, term("modes", string(sankofa.ModeOnsite)))
		var months []query.Query
		for _, m := range monthsBetween(a.Start, a.End) {
			months = append(months, term("hc", hcTerm("m", m)))
		}
		if len(months) > 0 {
			must = append(must, or(months...))
		}
	}
	if virtual {
		must = append(must, term("modes", string(sankofa.ModeVirtual)))
		if a.VirtualHoursPerWeek > 0 {
			must = append(must, atLeast("h", a.VirtualHoursPerWeek, sankofa.MaxHoursPerWeek))
		}
	}
	if a.MinYearsExperience > 0 {
		must = append(must, atLeast("e", a.MinYearsExperience, sankofa.MaxYearsExperience))
	}
	if a.LicenceRequired && len(a.End) >= 7 {
		r := bleve.NewTermRangeInclusiveQuery(hcTerm("lic", string(a.End[:7])), hcTerm("lic", "9999"), new(true), new(true))
		r.SetField("hc")
		must = append(must, r)
	}
	return must
}

func boosted(q query.Query, b float64) query.Query {
	if bq, ok := q.(query.BoostableQuery); ok {
		bq.SetBoost(b)
	}
	return q
}
