package search

import (
	"context"
	"strconv"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"

	"sankofa"
)

func accountMapping() mapping.IndexMapping {
	m := newMapping([]string{"role", "status", "country"}, []string{"created"})
	m.DefaultMapping.AddFieldMappingsAt(versionField, sourceFieldMapping())
	return m
}

// Accounts lists account ids, newest first. A bad cursor is invalid.
func (ix *Index) Accounts(ctx context.Context, f sankofa.AccountFilter) (sankofa.Page, error) {
	var qs []query.Query
	if f.Role != "" {
		qs = append(qs, term("role", string(f.Role)))
	}
	if f.Status != "" {
		qs = append(qs, term("status", string(f.Status)))
	}
	req, err := newList(and(qs...), f.Limit, f.Cursor)
	if err != nil {
		return sankofa.Page{}, err
	}
	return runList(ctx, ix.accounts, req)
}

func accountDoc(a *sankofa.Account) map[string]any {
	return map[string]any{
		"role": string(a.Role), "status": string(a.Status), "country": a.Country,
		"created": float64(a.CreatedAt.UnixMilli()), versionField: strconv.FormatInt(a.Version, 10),
	}
}
