package search

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2"

	"sankofa"
)

// What `sankofa check` reads of the indexes. Nothing here writes.

// ErrLocked says another process, a running server, holds the index open.
var ErrLocked = errors.New("search: the index is in use by another process (is the server running?)")

// lockWait is how long OpenReadOnly waits for an index's lock.
const lockWait = "2s"

// OpenReadOnly opens the indexes under dir for reading only, without
// changing anything, as the offline checker needs: an index that Open
// would rebuild (missing, interrupted or of another mapping version) is
// not_found, and an index a running server holds is ErrLocked.
func OpenReadOnly(dir string) (*Index, error) {
	missing := sankofa.Errorf(sankofa.NotFound, "the search index in %s is missing or outdated; the server rebuilds it when it starts", dir)
	ix := &Index{dir: dir}
	for _, f := range []struct {
		name string
		to   *bleve.Index
	}{{"accounts", &ix.accounts}, {"assignments", &ix.assignments}, {"profiles", &ix.profiles}, {"offers", &ix.offers}} {
		path := filepath.Join(dir, f.name)
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			ix.closeAll()
			return nil, missing
		}
		idx, err := bleve.OpenUsing(path, map[string]any{"read_only": true, "bolt_timeout": lockWait})
		if err != nil {
			ix.closeAll()
			// bbolt's lock wait ends in its ErrTimeout, "timeout".
			if strings.Contains(err.Error(), "timeout") {
				return nil, ErrLocked
			}
			return nil, fmt.Errorf("search: open %s: %w", f.name, err)
		}
		*f.to = idx
	}
	// Checked once the locks are known free: a server rebuilding the
	// index has not written the version yet.
	raw, err := os.ReadFile(filepath.Join(dir, "mapping_version"))
	if err != nil || strings.TrimSpace(string(raw)) != strconv.Itoa(MappingVersion) {
		ix.closeAll()
		return nil, missing
	}
	return ix, nil
}

// versionsPage is how many documents one Versions search fetches.
const versionsPage = 1000

// Versions calls fn with the id and indexed version of every document of
// one index: "accounts", "profiles", "assignments" or "offers". Any other
// name is invalid.
func (ix *Index) Versions(ctx context.Context, kind string, fn func(id string, version int64) error) error {
	idx := map[string]bleve.Index{"accounts": ix.accounts, "profiles": ix.profiles, "assignments": ix.assignments, "offers": ix.offers}[kind]
	if idx == nil {
		return sankofa.Errorf(sankofa.Invalid, "no index of %q", kind)
	}
	var after []string
	for {
		req := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), versionsPage, 0, false)
		req.SortBy([]string{"_id"})
		req.Fields = []string{versionField}
		req.SearchAfter = after
		res, err := idx.SearchInContext(ctx, req)
		if err != nil {
			return fmt.Errorf("search: read %s versions: %w", kind, err)
		}
		for _, h := range res.Hits {
			var v int64
			if s, ok := h.Fields[versionField].(string); ok {
				v, _ = strconv.ParseInt(s, 10, 64)
			}
			if err := fn(h.ID, v); err != nil {
				return err
			}
		}
		if len(res.Hits) < versionsPage {
			return nil
		}
		after = []string{res.Hits[len(res.Hits)-1].ID}
	}
}
