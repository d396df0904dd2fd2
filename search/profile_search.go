package search

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"sankofa"
)

// facetFields maps the facets of a profile search to index fields.
var facetFields = map[string]string{
	"profession": "profession", "language": "languages", "origin_country": "origin_country",
	"residence_country": "residence_country", "mode": "modes",
}

// SearchProfiles runs a faceted search of active profiles. Free text is
// understood through the taxonomy: named concepts match workers who have
// them whatever the wording, the rest matches words. Availability filters
// work at month resolution. It returns invalid for a bad cursor or date
// range.
func (ix *Index) SearchProfiles(ctx context.Context, q sankofa.ProfileQuery) (sankofa.ProfileResults, error) {
	filter, text, err := ix.profileFilter(q)
	if err != nil {
		return sankofa.ProfileResults{}, err
	}
	var must []query.Query
	for _, c := range filter {
		must = append(must, c.query())
	}
	var search query.Query = and(must...)
	if text != nil {
		// Only the free text is scored; the rest is an unscored filter.
		bq := bleve.NewBooleanQuery()
		bq.AddMust(text.query())
		if len(must) > 0 {
			bq.AddFilter(and(must...))
		}
		search = bq
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 20
	}
	limit = min(limit, sankofa.MaxPageSize)
	req := bleve.NewSearchRequestOptions(search, limit+1, 0, false)
	// The sort key holds the creation time and the id, so ties are broken
	// without reading each hit's external id.
	sortBy := []string{"-" + sortField}
	if text != nil {
		sortBy = []string{"-_score", "-" + sortField}
	} else {
		// Unscored term queries are resolved as bitmaps.
		req.Score = "none"
	}
	req.SortBy(sortBy)
	req.Fields = []string{sourceField}
	if q.Cursor != "" {
		after, err := decodeCursor(q.Cursor, len(sortBy))
		if err != nil {
			return sankofa.ProfileResults{}, err
		}
		req.SearchAfter = after
	}
	res, err := ix.profiles.SearchInContext(ctx, req)
	if err != nil {
		return sankofa.ProfileResults{}, fmt.Errorf("search: profiles: %w", err)
	}
	if text != nil {
		filter = append(filter, text)
	}
	facets, err := countFacets(ix.profiles, filter, facetFields)
	if err != nil {
		return sankofa.ProfileResults{}, err
	}
	out := sankofa.ProfileResults{Profiles: []*sankofa.Profile{}, Total: res.Total, Facets: facets}
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
	return out, nil
}

// profileFilter turns a query into a conjunction of term clauses, and its
// free text into one more clause (nil when it names nothing), which both
// the search and the facet counts use, so they agree.
func (ix *Index) profileFilter(q sankofa.ProfileQuery) ([]clause, clause, error) {
	var filter []clause
	one := func(field, v string) {
		if v != "" {
			filter = append(filter, clause{{field, v}})
		}
	}
	// "sa_" terms exist only for active profiles.
	if q.Country != "" {
		one("hc", hcTerm("sa", q.Country))
	} else {
		one("active", "true")
	}
	one("profession", q.Profession)
	one("languages", q.Language)
	one("origin_country", q.OriginCountry)
	one("residence_country", q.ResidenceCountry)
	one("modes", string(q.Mode))
	if q.AvailableFrom != "" || q.AvailableTo != "" {
		from, to := q.AvailableFrom, q.AvailableTo
		if from == "" {
			from = to
		}
		if to == "" {
			to = from
		}
		months := monthsBetween(from, to)
		if len(months) == 0 || len(months) > 36 {
			return nil, nil, &sankofa.Error{Code: sankofa.Invalid, Message: "the request has invalid fields",
				Fields: []sankofa.FieldError{{Field: "available_to", Message: "must be on or after available_from, within 3 years"}}}
		}
		var c clause
		for _, m := range months {
			c = append(c, fieldTerm{"hc", hcTerm("m", m)})
		}
		filter = append(filter, c)
	}
	if q.Q == "" {
		return filter, nil, nil
	}
	text, err := ix.textClause(q.Q)
	if err != nil || len(text) == 0 {
		return filter, nil, err
	}
	return filter, text, nil
}

// textClause is free text as terms: the taxonomy's concepts, and the other
// words as the text analyzer splits them (what a match query on "text"
// with the default "or" operator looks for).
func (ix *Index) textClause(text string) (clause, error) {
	concepts, words := ix.match.Taxonomy().Expand(text)
	var c clause
	for _, id := range concepts {
		c = append(c, fieldTerm{"concepts", conceptTerm(id)})
	}
	an := ix.profiles.Mapping().AnalyzerNamed(textAnalyzer)
	if an == nil {
		return nil, fmt.Errorf("search: analyzer %s missing", textAnalyzer)
	}
	for _, w := range words {
		for _, tok := range an.Analyze([]byte(w)) {
			c = append(c, fieldTerm{"text", string(tok.Term)})
		}
	}
	return c, nil
}
