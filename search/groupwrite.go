package search

import (
	"errors"
	"fmt"
	"sync"

	"github.com/blevesearch/bleve/v2"
)

// groupWriter group-commits concurrent writes of single documents to one
// Bleve index. Each Bleve batch, however small, makes a segment that
// Scorch must introduce and later merge, so a batch per write makes
// concurrent writes queue behind each other's segments. Here one writer
// at a time leads: it writes everything queued as one batch, releases
// every writer in it, and hands the lead to the first writer queued
// meanwhile. Under load batches grow by themselves, a lone writer waits
// for no timer, and a writer returns as soon as its own batch is in.
type groupWriter struct {
	idx     bleve.Index
	mu      sync.Mutex // guards queue, writing and each op's result
	queue   []*groupOp
	writing bool // a leader is writing a batch
}

type groupOp struct {
	id   string
	doc  any
	err  error
	done bool
	// wake is closed when the op is done, or when its writer is to lead.
	wake chan struct{}
}

// Index writes doc as id, in a batch with whatever else is queued, and
// returns once that batch is in the index (searchable).
func (g *groupWriter) Index(id string, doc any) error {
	op := &groupOp{id: id, doc: doc, wake: make(chan struct{})}
	g.mu.Lock()
	g.queue = append(g.queue, op)
	lead := !g.writing
	g.writing = true
	g.mu.Unlock()
	if !lead {
		<-op.wake
		g.mu.Lock()
		done := op.done
		g.mu.Unlock()
		if done {
			return op.err
		}
	}
	g.mu.Lock()
	ops := g.queue // op among them: only a leader takes the queue
	g.queue = nil
	g.mu.Unlock()
	err := errBatchUnfinished // until Batch returns
	defer func() { g.finish(ops, op, err) }()
	b := g.idx.NewBatch()
	for _, o := range ops {
		if e := b.Index(o.id, o.doc); e != nil {
			o.err = fmt.Errorf("search: index %s: %w", o.id, e)
		}
	}
	err = g.idx.Batch(b)
	return errors.Join(op.err, err)
}

var errBatchUnfinished = errors.New("search: the index batch did not finish")

// finish releases the writers of a batch and hands the lead on; deferred,
// so that a panic in Bleve cannot leave the others waiting.
func (g *groupWriter) finish(ops []*groupOp, leader *groupOp, err error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, o := range ops {
		if o.err == nil {
			o.err = err
		}
		o.done = true
		if o != leader {
			close(o.wake)
		}
	}
	if len(g.queue) > 0 {
		close(g.queue[0].wake) // not done: its writer leads next
		return
	}
	g.writing = false
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
