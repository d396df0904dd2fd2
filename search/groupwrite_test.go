package search

import (
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
)

// Concurrent writers of single documents share batches, and each returns
// only once its own document is in the index.
func TestGroupWriter_ReadYourWrites(t *testing.T) {
	idx, err := bleve.NewUsing(filepath.Join(t.TempDir(), "g"), bleve.NewIndexMapping(), scorch.Name, scorch.Name, scorchConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	g := &groupWriter{idx: idx}
	const writers, each = 16, 25
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				id := fmt.Sprintf("doc-%d-%d", w, i)
				if err := g.Index(id, map[string]any{"name": id}); err != nil {
					errs <- err
					return
				}
				doc, err := idx.Document(id)
				if err != nil || doc == nil {
					errs <- fmt.Errorf("%s not in the index when its write returned (err %v)", id, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	n, err := idx.DocCount()
	if err != nil || n != writers*each {
		t.Errorf("%d documents in the index (err %v), want %d", n, err, writers*each)
	}
	batches, _ := idx.StatsMap()["index"].(map[string]any)["TotBatches"].(uint64)
	t.Logf("%d writes in %d batches", writers*each, batches)
	if batches == 0 || batches >= writers*each {
		t.Errorf("%d batches for %d concurrent writes: nothing was grouped", batches, writers*each)
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.writing || len(g.queue) > 0 {
		t.Errorf("after the last write: writing %v, %d queued", g.writing, len(g.queue))
	}
}
