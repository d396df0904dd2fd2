package search

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// ExportProfileIDs lists, in id order, up to limit ids of the profiles
// after the id after ("" from the start): those shared with country's
// ministries (active accounts only, as a ministry's search sees them),
// or every profile when country is "". It also returns how many there
// are in all, for a FHIR Bulk Data export's progress. The index holds
// only live profiles, so an export pages through them without reading
// the store.
func (ix *Index) ExportProfileIDs(ctx context.Context, country, after string, limit int) ([]string, uint64, error) {
	var q query.Query = bleve.NewMatchAllQuery()
	if country != "" {
		q = term("hc", hcTerm("sa", country))
	}
	req := bleve.NewSearchRequestOptions(q, limit, 0, false)
	req.SortBy([]string{"_id"})
	if after != "" {
		req.SearchAfter = []string{after}
	}
	res, err := ix.profiles.SearchInContext(ctx, req)
	if err != nil {
		return nil, 0, fmt.Errorf("search: export profile ids: %w", err)
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	return ids, res.Total, nil
}
