package search

import (
	"fmt"

	"github.com/blevesearch/bleve/v2"
)

// Documents counts the documents of every index (accounts, profiles,
// assignments and offers), read from the indexes' metadata without a
// search.
func (ix *Index) Documents() (uint64, error) {
	var n uint64
	for _, idx := range []bleve.Index{ix.accounts, ix.profiles, ix.assignments, ix.offers} {
		c, err := idx.DocCount()
		if err != nil {
			return 0, fmt.Errorf("search: count documents: %w", err)
		}
		n += c
	}
	return n, nil
}
