package search

import (
	"fmt"
	"sync"

	"github.com/blevesearch/bleve/v2"
)

// groupWriter group-commits concurrent writes of single documents to one
// Bleve index. Each Bleve batch, however small, makes a segment that
// Scorch must introduce and later merge, so a batch per write makes
// concurrent writes queue behind each other's segments. Here a writer
// that finds a batch in flight waits for it, and the first one to get
// its turn next writes everything queued meanwhile in one batch: under
// load batches grow by themselves, and a lone writer waits for no timer.
type groupWriter struct {
	idx    bleve.Index
	commit sync.Mutex // one batch at a time
	mu     sync.Mutex // guards queue and each op's result
	queue  []*groupOp
}

type groupOp struct {
	id   string
	doc  any
	done bool
	err  error
}

// Index writes doc as id, in a batch with whatever else is queued, and
// returns once that batch is in the index (searchable).
func (g *groupWriter) Index(id string, doc any) error {
	op := &groupOp{id: id, doc: doc}
	g.mu.Lock()
	g.queue = append(g.queue, op)
	g.mu.Unlock()

	g.commit.Lock()
	defer g.commit.Unlock()
	g.mu.Lock()
	if op.done { // an earlier writer took it into its batch
		g.mu.Unlock()
		return op.err
	}
	ops := g.queue
	g.queue = nil
	g.mu.Unlock()

	b := g.idx.NewBatch()
	for _, o := range ops {
		if err := b.Index(o.id, o.doc); err != nil {
			o.err = fmt.Errorf("search: index %s: %w", o.id, err)
		}
	}
	err := g.idx.Batch(b)
	g.mu.Lock()
	for _, o := range ops {
		if o.err == nil && err != nil {
			o.err = err
		}
		o.done = true
	}
	g.mu.Unlock()
	return op.err
}

// group returns the group writer of one of the index's Bleve indexes.
func (ix *Index) group(idx bleve.Index) *groupWriter {
	ix.groupsMu.Lock()
	defer ix.groupsMu.Unlock()
	if ix.groups == nil {
		ix.groups = map[bleve.Index]*groupWriter{}
	}
	g, ok := ix.groups[idx]
	if !ok {
		g = &groupWriter{idx: idx}
		ix.groups[idx] = g
	}
	return g
}
