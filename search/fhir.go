package search

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// ExportProfileIDs lists up to limit ids of the profiles after the cursor
// after ("" from the start), oldest first: those shared with country's
// ministries (active accounts only, as a ministry's search sees them), or
// every profile when country is "". It returns the cursor of the next
// page, and how many there are in all, for a FHIR Bulk Data export's
// progress. The index holds only live profiles, so an export pages
// through them without reading the store. The order is the creation
// time and id doc value (sortField): sorting on _id instead reads the
// stored fields of every match on every page, which at 100k profiles
// costs minutes and hundreds of megabytes of mapped segments.
func (ix *Index) ExportProfileIDs(ctx context.Context, country, after string, limit int) (ids []string, next string, total uint64, err error) {
	var q query.Query = bleve.NewMatchAllQuery()
	if country != "" {
		q = term("hc", hcTerm("sa", country))
	}
	req := bleve.NewSearchRequestOptions(q, limit, 0, false)
	req.SortBy([]string{sortField})
	if after != "" {
		req.SearchAfter = []string{after}
	}
	res, err := ix.profiles.SearchInContext(ctx, req)
	if err != nil {
		return nil, "", 0, fmt.Errorf("search: export profile ids: %w", err)
	}
	ids = make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	if n := len(res.Hits); n > 0 && len(res.Hits[n-1].Sort) > 0 {
		next = res.Hits[n-1].Sort[0]
	}
	return ids, next, res.Total, nil
}
