package search

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
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
	limit := q.Limit
	if limit <= 0 {
		limit = 20
	}
	limit = min(limit, sankofa.MaxPageSize)
	sortBy := []string{"-" + sortField}
	if text != nil {
		sortBy = []string{"-_score", "-" + sortField}
	}
	var after []string
	if q.Cursor != "" {
		if after, err = decodeCursor(q.Cursor, len(sortBy)); err != nil {
			return sankofa.ProfileResults{}, err
		}
	}
	r, snap, err := snapshot(ix.profiles)
	if err != nil {
		return sankofa.ProfileResults{}, err
	}
	defer r.Close()
	// A ministry's search leaves out whom the safeguards list keeps it
	// from approaching; the facets count without them too.
	if sc, err := ix.safeguardPoolClause(snap, q.Country, q.Mode); err != nil {
		return sankofa.ProfileResults{}, err
	} else if sc != nil {
		filter = append(slices.Clip(filter), sc)
	}
	all := filter
	if text != nil {
		all = append(slices.Clone(filter), text)
	}
	sets, total, err := matching(snap, all)
	if err != nil {
		return sankofa.ProfileResults{}, err
	}
	facets, err := countFacets(sets, facetFields)
	if err != nil {
		return sankofa.ProfileResults{}, err
	}

	var must []query.Query
	for _, c := range filter {
		must = append(must, c.query())
	}
	req := bleve.NewSearchRequestOptions(and(must...), limit+1, 0, false)
	if text != nil {
		// Only the free text is scored; the rest is an unscored filter.
		bq := bleve.NewBooleanQuery()
		bq.AddMust(text.query())
		if len(must) > 0 {
			bq.AddFilter(and(must...))
		}
		req.Query = bq
	} else {
		// Sorting reads every hit's sort key: 124k of them for a country
		// at a million profiles. The newest page lies in the newest months
		// of creation, so only those are searched.
		months, err := newestMonths(snap, sets, after, limit+1)
		if err != nil {
			return sankofa.ProfileResults{}, err
		}
		if months != nil {
			req.Query = and(append(must, months.query())...)
		}
		// Unscored term queries are resolved as bitmaps.
		req.Score = "none"
	}
	req.SortBy(sortBy)
	req.Fields = []string{sourceField}
	req.SearchAfter = after
	res, err := ix.profiles.SearchInContext(ctx, req)
	if err != nil {
		return sankofa.ProfileResults{}, fmt.Errorf("search: profiles: %w", err)
	}
	out := sankofa.ProfileResults{Profiles: []*sankofa.Profile{}, Total: total, Facets: facets}
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

// newestMonths picks the months of creation, newest first, that hold at
// least n hits older than the cursor after (a "-cid" sort key); nil means
// every month is needed.
func newestMonths(snap *scorch.IndexSnapshot, sets []segmentHits, after []string, n int) (clause, error) {
	last := "9999_99"
	if len(after) == 1 && len(after[0]) >= 13 {
		ms, err := strconv.ParseInt(after[0][:13], 10, 64)
		if err != nil {
			return nil, nil
		}
		last = time.UnixMilli(ms).UTC().Format(createdMonthLayout)
	}
	prefix := hcTerm("c", "")
	d, err := snap.FieldDictPrefix("hc", []byte(prefix))
	if err != nil {
		return nil, fmt.Errorf("search: months: %w", err)
	}
	var months []string
	for {
		e, err := d.Next()
		if err != nil || e == nil {
			break
		}
		months = append(months, e.Term)
	}
	d.Close()
	var picked clause
	count := uint64(0)
	for i := len(months) - 1; i >= 0; i-- {
		m := strings.TrimPrefix(months[i], prefix)
		if m > last {
			continue
		}
		picked = append(picked, fieldTerm{"hc", months[i]})
		// The cursor's own month counts for nothing: some of its hits may
		// lie before the cursor.
		if m == last {
			continue
		}
		k, err := hitsWith(sets, "hc", months[i])
		if err != nil {
			return nil, err
		}
		if count += k; count >= uint64(n) {
			return picked, nil
		}
	}
	return nil, nil
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
