package search

import (
	"fmt"

	"github.com/blevesearch/bleve/v2"

	"sankofa"
)

// Bulk indexes many entities in batches, for rebuilds: one batch of 1000
// costs about what a single document does.
type Bulk struct {
	ix      *Index
	batches map[bleve.Index]*bleve.Batch
	Count   int
}

// bulkSize is how many documents a batch holds before it is written.
const bulkSize = 1000

// NewBulk starts a bulk load into ix.
func (ix *Index) NewBulk() *Bulk {
	return &Bulk{ix: ix, batches: map[bleve.Index]*bleve.Batch{}}
}

func (b *Bulk) add(idx bleve.Index, id string, doc any) error {
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
		if err := idx.Batch(batch); err != nil {
			return fmt.Errorf("search: bulk write: %w", err)
		}
		batch.Reset()
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
	return b.add(b.ix.profiles, p.ID, doc)
}

// AddAssignment queues an assignment.
func (b *Bulk) AddAssignment(a *sankofa.Assignment) error {
	doc, err := b.ix.assignmentDoc(a)
	if err != nil {
		return err
	}
	return b.add(b.ix.assignments, a.ID, doc)
}

// Flush writes what is still queued.
func (b *Bulk) Flush() error {
	for idx, batch := range b.batches {
		if batch.Size() == 0 {
			continue
		}
		if err := idx.Batch(batch); err != nil {
			return fmt.Errorf("search: bulk write: %w", err)
		}
		batch.Reset()
	}
	return nil
}
