package search

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"

	"sankofa"
)

// Bulk indexes many entities in batches, for rebuilds: one batch of
// thousands costs far less than as many single documents. A full batch is
// written in the background while the next one fills, so that building
// documents and indexing them use two cores.
type Bulk struct {
	ix      *Index
	batches map[bleve.Index]*bleve.Batch
	Count   int

	queue   chan bulkWrite
	done    chan struct{}
	mu      sync.Mutex
	err     error
	flushed bool
}

type bulkWrite struct {
	idx   bleve.Index
	batch *bleve.Batch
}

// bulkSize is how many documents a batch holds before it is written.
// Each batch becomes a segment that is merged later, so fewer, larger
// batches mean less merging; 5,000 profiles take about 60 MB to analyse.
const bulkSize = 5000

// NewBulk starts a bulk load into ix; Flush must end it.
func (ix *Index) NewBulk() *Bulk {
	b := &Bulk{ix: ix, batches: map[bleve.Index]*bleve.Batch{}, queue: make(chan bulkWrite, 1), done: make(chan struct{})}
	go b.write()
	return b
}

// write indexes queued batches in order; after an error it drops the rest.
func (b *Bulk) write() {
	defer close(b.done)
	for w := range b.queue {
		if b.failed() != nil {
			continue
		}
		if err := w.idx.Batch(w.batch); err != nil {
			b.mu.Lock()
			b.err = fmt.Errorf("search: bulk write: %w", err)
			b.mu.Unlock()
		}
	}
}

func (b *Bulk) failed() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.err
}

func (b *Bulk) add(idx bleve.Index, id string, doc any) error {
	if b.flushed {
		return errors.New("search: bulk already flushed")
	}
	if err := b.failed(); err != nil {
		return err
	}
	batch, ok := b.batches[idx]
	if !ok {
		batch = idx.NewBatch()
		b.batches[idx] = batch
	}
	if err := batch.Index(id, doc); err != nil {
		return fmt.Errorf("search: bulk %s: %w", id, err)
	}
	b.Count++
	if batch.Size() >= bulkSize {
		b.queue <- bulkWrite{idx, batch}
		delete(b.batches, idx)
	}
	return nil
}

// AddAccount queues an account.
func (b *Bulk) AddAccount(a *sankofa.Account) error {
	return b.add(b.ix.accounts, a.ID, accountDoc(a))
}

// AddProfile queues a profile; active is its account's state.
func (b *Bulk) AddProfile(p *sankofa.Profile, active bool) error {
	doc, err := b.ix.profileDoc(p, active)
	if err != nil {
		return err
	}
	if err := b.add(b.ix.profiles, p.ID, doc); err != nil {
		return err
	}
	b.ix.obs.putProfile(p, active)
	return nil
}

// AddAssignment queues an assignment.
func (b *Bulk) AddAssignment(a *sankofa.Assignment) error {
	doc, err := b.ix.assignmentDoc(a)
	if err != nil {
		return err
	}
	if err := b.add(b.ix.assignments, a.ID, doc); err != nil {
		return err
	}
	b.ix.obs.putAssignment(a.ID, assignmentObs(a))
	return nil
}

// Flush writes what is still queued, waits for every write and ends the
// load.
func (b *Bulk) Flush() error {
	if b.flushed {
		return b.failed()
	}
	b.flushed = true
	for idx, batch := range b.batches {
		if batch.Size() > 0 {
			b.queue <- bulkWrite{idx, batch}
		}
	}
	b.batches = nil
	close(b.queue)
	<-b.done
	if err := b.failed(); err != nil {
		return err
	}
	return compact(b.ix.profiles)
}

// compact merges a freshly loaded index into very few segments (one at
// 1M profiles). A bulk load leaves about twenty, and matching pays a
// dictionary lookup and a posting read per term and segment: at 1M
// profiles, compacting halved the allocations of a match and took its p50
// from 12–14 to 9–10 ms, for about 25 s more on a 2.5-minute rebuild.
func compact(idx bleve.Index) error {
	adv, err := idx.Advanced()
	if err != nil {
		return fmt.Errorf("search: compact: %w", err)
	}
	s, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil
	}
	mo := mergeplan.SingleSegmentMergePlanOptions
	mo.MaxSegmentsPerTier = max(runtime.GOMAXPROCS(0), 1)
	mo.SegmentsPerMergeTask = 1000 // merge all the rest in one task
	if err := s.ForceMerge(context.Background(), &mo); err != nil {
		return fmt.Errorf("search: compact: %w", err)
	}
	return nil
}
