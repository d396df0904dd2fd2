// Package search keeps the Bleve indexes that serve every list, filter and
// sort, so that they stay fast on the embedded store (where FerretDB would
// scan). It is the only package that imports Bleve. The indexes are derived
// state: MongoDB is the truth and they can always be rebuilt from it.
package search

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
	zapv17 "github.com/blevesearch/zapx/v17"

	"sankofa"
	"sankofa/matcher"
)

// MappingVersion changes whenever a mapping, or what is extracted into it,
// changes; an index of another version is rebuilt. 4: assignments index
// their accepted_professions. 5: profiles' concepts come from the
// taxonomy's readings of unseen wordings (cognates, abbreviations). 6:
// accounts index their name, organization and e-mail for admins' search.
// 7: profiles index country_of_birth, citizenships and country_of_training
// (observatory).
const MappingVersion = 7

// Index holds one Bleve index per kind of entity.
type Index struct {
	dir         string
	match       *matcher.Matcher
	accounts    bleve.Index
	assignments bleve.Index
	profiles    bleve.Index
	offers      bleve.Index
	// groups group-commits concurrent writes, per Bleve index.
	groupsMu sync.Mutex
	groups   map[bleve.Index]*groupWriter
	// guard orders the writes of one document (see apply.go).
	guard docGuard
	// Rebuilt is true when Open found no usable index and created empty
	// ones, which the caller must fill from the store.
	Rebuilt bool
	// obs is the observatory's table (see observatory.go).
	obs *obsTable
}

// Open opens the indexes under dir, creating them when missing and
// recreating them empty when corrupt or of another mapping version. The
// matcher extracts the concepts that are indexed.
func Open(dir string, m *matcher.Matcher) (*Index, error) {
	ix := &Index{dir: dir, match: m, obs: newObsTable()}
	versionFile := filepath.Join(dir, "mapping_version")
	raw, err := os.ReadFile(versionFile)
	if err != nil || strings.TrimSpace(string(raw)) != fmt.Sprint(MappingVersion) {
		ix.Rebuilt = true
	}
	if !ix.Rebuilt {
		if err := ix.openAll(false); err != nil {
			ix.closeAll()
			ix.Rebuilt = true
		}
	}
	if ix.Rebuilt {
		if err := os.RemoveAll(dir); err != nil {
			return nil, fmt.Errorf("search: clear %s: %w", dir, err)
		}
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("search: create %s: %w", dir, err)
		}
		if err := ix.openAll(true); err != nil {
			ix.closeAll()
			return nil, err
		}
		// No version file until the caller has filled the index and called
		// Built: an index whose rebuild was interrupted is rebuilt again.
	} else if err := ix.loadObservatory(); err != nil {
		ix.closeAll()
		return nil, err
	}
	return ix, nil
}

// Built records that a rebuilt index holds everything in the store, by
// writing its mapping version; until then every Open rebuilds it.
func (ix *Index) Built() error {
	path := filepath.Join(ix.dir, "mapping_version")
	if err := os.WriteFile(path, []byte(fmt.Sprint(MappingVersion)), 0o600); err != nil {
		return fmt.Errorf("search: write mapping version: %w", err)
	}
	return nil
}

// scorchConfig lowers Scorch's floor segment size from 2,000 documents to
// 10. Below the floor every segment counts as floor-sized, so an index of
// fewer than 2,000 documents has a budget of one segment: each write's
// small segment made the merger rewrite the whole index (a third of the
// CPU under scripts/load.sh write-heavy on the demo data). With a floor of
// 10 small segments gather into tiers and merge with each other; large
// indexes keep their large tiers. See BENCHMARKS.md, "The write path".
//
// A new map each time: Bleve writes the index's path into the one it is
// given, so indexes sharing one would open each other's files.
func scorchConfig() map[string]any {
	return map[string]any{"scorchMergePlanOptions": map[string]any{"FloorSegmentSize": 10}}
}

// Zap sizes a new segment's buffer for the batch plus 100 documents of the
// last batch's average size, so a group write of one or a few profiles
// allocated and zeroed about a megabyte (3 % of the CPU under write-heavy
// load). The buffer still grows as it must. Bleve 2 writes zap v17.
func init() { zapv17.NewSegmentBufferNumResultsBump = 0 }

func (ix *Index) openAll(create bool) error {
	var err error
	open := func(name string, m mapping.IndexMapping) bleve.Index {
		if err != nil {
			return nil
		}
		path := filepath.Join(ix.dir, name)
		var (
			idx bleve.Index
			e   error
		)
		if create {
			idx, e = bleve.NewUsing(path, m, scorch.Name, scorch.Name, scorchConfig())
		} else {
			idx, e = bleve.OpenUsing(path, scorchConfig())
		}
		if e != nil {
			// Bleve returns a typed nil on error; keep the interface nil.
			err = fmt.Errorf("search: open %s: %w", name, e)
			return nil
		}
		return idx
	}
	ix.groupsMu.Lock()
	ix.groups = nil // the writers of indexes closed before
	ix.groupsMu.Unlock()
	ix.accounts = open("accounts", accountMapping())
	ix.assignments = open("assignments", assignmentMapping())
	ix.profiles = open("profiles", profileMapping())
	ix.offers = open("offers", offerMapping())
	return err
}

func (ix *Index) closeAll() {
	for _, idx := range []bleve.Index{ix.accounts, ix.assignments, ix.profiles, ix.offers} {
		if idx != nil {
			idx.Close()
		}
	}
}

// Close closes the indexes.
func (ix *Index) Close() error {
	var errs []error
	for _, idx := range []bleve.Index{ix.accounts, ix.assignments, ix.profiles, ix.offers} {
		if idx != nil {
			errs = append(errs, idx.Close())
		}
	}
	return errors.Join(errs...)
}

// newList builds a sorted, paginated search over q. Lists sort newest
// first with the id as tie-breaker, so the order is stable and a cursor
// (the last hit's sort key) resumes exactly where the page ended.
func newList(q query.Query, limit int, cursor string) (*bleve.SearchRequest, error) {
	if limit <= 0 {
		limit = 20
	}
	limit = min(limit, sankofa.MaxPageSize)
	req := bleve.NewSearchRequestOptions(q, limit+1, 0, false)
	req.SortBy([]string{"-created", "-_id"})
	if cursor != "" {
		after, err := decodeCursor(cursor, 2)
		if err != nil {
			return nil, err
		}
		req.SearchAfter = after
	}
	return req, nil
}

func runList(ctx context.Context, idx bleve.Index, req *bleve.SearchRequest) (sankofa.Page, error) {
	res, err := idx.SearchInContext(ctx, req)
	if err != nil {
		return sankofa.Page{}, fmt.Errorf("search: %w", err)
	}
	limit := req.Size - 1
	p := sankofa.Page{IDs: make([]string, 0, min(len(res.Hits), limit)), Total: res.Total}
	for i, h := range res.Hits {
		if i == limit {
			p.NextCursor = encodeCursor(res.Hits[i-1].Sort)
			break
		}
		p.IDs = append(p.IDs, h.ID)
	}
	return p, nil
}

func encodeCursor(sort []string) string {
	b, _ := json.Marshal(sort)
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor reads a cursor of n sort values.
func decodeCursor(c string, n int) ([]string, error) {
	bad := &sankofa.Error{Code: sankofa.Invalid, Message: "the cursor is not valid; start again without it",
		Fields: []sankofa.FieldError{{Field: "cursor", Message: "is not a cursor this server issued"}}}
	if len(c) > 512 {
		return nil, bad
	}
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return nil, bad
	}
	var sort []string
	if err := json.Unmarshal(raw, &sort); err != nil || len(sort) != n {
		return nil, bad
	}
	return sort, nil
}

func term(field, value string) query.Query {
	q := bleve.NewTermQuery(value)
	q.SetField(field)
	return q
}

func and(qs ...query.Query) query.Query {
	if len(qs) == 0 {
		return bleve.NewMatchAllQuery()
	}
	return bleve.NewConjunctionQuery(qs...)
}

func or(qs ...query.Query) query.Query { return bleve.NewDisjunctionQuery(qs...) }

func keywordField() *mapping.FieldMapping {
	f := bleve.NewKeywordFieldMapping()
	f.IncludeInAll = false
	f.IncludeTermVectors = false
	return f
}

func numericField() *mapping.FieldMapping {
	f := bleve.NewNumericFieldMapping()
	f.IncludeInAll = false
	return f
}

// newMapping maps only the listed fields; anything else is not indexed.
func newMapping(keywords, numbers []string) *mapping.IndexMappingImpl {
	doc := bleve.NewDocumentStaticMapping()
	for _, k := range keywords {
		doc.AddFieldMappingsAt(k, keywordField())
	}
	for _, n := range numbers {
		doc.AddFieldMappingsAt(n, numericField())
	}
	m := bleve.NewIndexMapping()
	m.DefaultMapping = doc
	m.DefaultAnalyzer = "keyword"
	m.StoreDynamic = false
	m.IndexDynamic = false
	m.DocValuesDynamic = false
	return m
}

// Clear empties every index, for a full rebuild.
func (ix *Index) Clear() error {
	ix.closeAll()
	if err := os.RemoveAll(ix.dir); err != nil {
		return fmt.Errorf("search: clear: %w", err)
	}
	if err := os.MkdirAll(ix.dir, 0o700); err != nil {
		return fmt.Errorf("search: clear: %w", err)
	}
	ix.obs.clear()
	return ix.openAll(true) // Built marks the end of the rebuild
}
