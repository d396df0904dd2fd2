package search

import (
	"fmt"
	"slices"

	"github.com/blevesearch/bleve/v2/index/scorch"

	"sankofa"
)

// The WHO safeguards list is a hard constraint of matching (see
// sankofa.SafeguardList.Check). The matcher checks it exactly on every
// candidate; the clauses here keep restricted workers out of the first
// pass of a match, so they do not take the places of workers who can be
// ranked, and out of a ministry's pool search and its facet counts.
//
// The clause is the complement of the restricted residences: the values
// of residence_country the index holds, less the restricted ones, plus
// the exceptions as terms. Its length is the number of countries workers
// reside in, not the ~250 codes of ISO 3166.

// safeguardMatchClause is the clause that keeps from the first pass of an
// on-site or hybrid assignment the workers the list restricts: those who
// reside in a listed country other than a's, unless they come from a's
// country, expressed interest in a, or an agreement in force covers their
// country of residence. It is nil when the list restricts nobody.
func (ix *Index) safeguardMatchClause(snap *scorch.IndexSnapshot, a *sankofa.Assignment) (clause, error) {
	if a.Mode == sankofa.ModeVirtual {
		return nil, nil
	}
	c, err := ix.safeguardClause(snap, a.Country)
	if err != nil || c == nil {
		return nil, err
	}
	for _, in := range a.Interested {
		c = append(c, fieldTerm{"account_id", in.AccountID})
	}
	return c, nil
}

// safeguardPoolClause is the clause that keeps from the pool search of
// the ministry of country the workers the list restricts for on-site
// work. A search for virtual work needs none; a search without a mode
// keeps a restricted worker only if they offer virtual work, since the
// ministry may approach them for that alone.
func (ix *Index) safeguardPoolClause(snap *scorch.IndexSnapshot, country string, mode sankofa.Mode) (clause, error) {
	if country == "" || mode == sankofa.ModeVirtual {
		return nil, nil
	}
	c, err := ix.safeguardClause(snap, country)
	if err != nil || c == nil {
		return nil, err
	}
	if mode == "" {
		c = append(c, fieldTerm{"modes", string(sankofa.ModeVirtual)})
	}
	return c, nil
}

// safeguardClause matches the workers the ministry of country may
// approach for on-site work whatever the assignment: those residing in a
// country the list does not restrict for it, and those from country.
func (ix *Index) safeguardClause(snap *scorch.IndexSnapshot, country string) (clause, error) {
	s := ix.match.Safeguards()
	if s == nil {
		return nil, nil
	}
	restricted := s.RestrictedResidences(country, ix.match.Today())
	held, err := fieldTerms(snap, "residence_country")
	if err != nil {
		return nil, err
	}
	var c clause
	hit := false
	for _, r := range held {
		if slices.Contains(restricted, r) {
			hit = true
			continue
		}
		c = append(c, fieldTerm{"residence_country", r})
	}
	if !hit {
		return nil, nil // nobody in the index resides where the list restricts
	}
	return append(c, fieldTerm{"origin_country", country}), nil
}

// fieldTerms lists the terms of field in every segment of snap, once each.
func fieldTerms(snap *scorch.IndexSnapshot, field string) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	for _, ss := range snap.Segments() {
		dict, err := ss.Segment().Dictionary(field)
		if err != nil {
			return nil, fmt.Errorf("search: terms of %s: %w", field, err)
		}
		it := dict.AutomatonIterator(nil, nil, nil)
		for {
			e, err := it.Next()
			if err != nil || e == nil {
				break // the iterator ends with ErrIteratorDone or nil
			}
			if !seen[e.Term] {
				seen[e.Term] = true
				out = append(out, e.Term)
			}
		}
	}
	return out, nil
}
