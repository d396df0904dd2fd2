package search

import "github.com/blevesearch/bleve/v2"

// SetCheckedHook makes ix call hook after a write's version check passed
// and before the write, to play a race out on purpose.
func SetCheckedHook(ix *Index, hook func(id string)) { ix.guard.checked = hook }

// IndexedVersion returns the version the index holds of a document of
// kind ("account", "profile", "assignment" or "offer"), and whether it
// holds it.
func IndexedVersion(ix *Index, kind, id string) (int64, bool) {
	idx := map[string]bleve.Index{"account": ix.accounts, "profile": ix.profiles, "assignment": ix.assignments, "offer": ix.offers}[kind]
	return storedVersion(idx, id)
}

// ProfileActive reports whether the index holds a profile as matchable
// (its account active).
func ProfileActive(ix *Index, id string) bool {
	src, _ := ix.profileSource(id)
	return src.Active
}
