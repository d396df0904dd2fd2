package search

import (
	"context"
	"fmt"
	"strconv"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"

	"sankofa"
)

func offerMapping() mapping.IndexMapping {
	m := newMapping([]string{"status", "ministry_id", "professional_id", "assignment_id"}, []string{"created", "expires"})
	m.DefaultMapping.AddFieldMappingsAt(versionField, sourceFieldMapping())
	return m
}

func offerDoc(o *sankofa.Offer) map[string]any {
	return map[string]any{
		"status": string(o.Status), "ministry_id": o.MinistryID, "professional_id": o.ProfessionalID,
		"assignment_id": o.AssignmentID, "created": float64(o.CreatedAt.UnixMilli()),
		"expires": float64(o.ExpiresAt.UnixMilli()), versionField: strconv.FormatInt(o.Version, 10),
	}
}

// Offers lists offer ids, newest first. A bad cursor is invalid.
func (ix *Index) Offers(ctx context.Context, f sankofa.OfferFilter) (sankofa.Page, error) {
	var qs []query.Query
	for field, v := range map[string]string{"professional_id": f.ProfessionalID, "ministry_id": f.MinistryID,
		"assignment_id": f.AssignmentID, "status": string(f.Status)} {
		if v != "" {
			qs = append(qs, term(field, v))
		}
	}
	req, err := newList(and(qs...), f.Limit, f.Cursor)
	if err != nil {
		return sankofa.Page{}, err
	}
	return runList(ctx, ix.offers, req)
}

// ExpiredOffers returns up to limit ids of pending offers whose expiry is
// at or before at, for the sweeper that expires them.
func (ix *Index) ExpiredOffers(ctx context.Context, at int64, limit int) ([]string, error) {
	hi := float64(at)
	r := bleve.NewNumericRangeInclusiveQuery(nil, &hi, nil, new(true))
	r.SetField("expires")
	req := bleve.NewSearchRequestOptions(and(term("status", string(sankofa.OfferPending)), r), limit, 0, false)
	req.SortBy([]string{"expires"})
	res, err := ix.offers.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("search: expired offers: %w", err)
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	return ids, nil
}

// AddOffer queues an offer.
func (b *Bulk) AddOffer(o *sankofa.Offer) error {
	return b.add(b.ix.offers, o.ID, offerDoc(o))
}
