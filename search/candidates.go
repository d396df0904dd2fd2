package search

import (
	"context"
	"fmt"
	"math"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	index "github.com/blevesearch/bleve_index_api"
)

// candidateQuery matches, unscored, the documents holding a term of lead
// and of every clause of filter. Bleve's own unscored filter first builds
// the whole posting bitmap of each "any of" clause (every month of a
// window, every level above B1), which grows with the index; here each
// clause is intersected with the few lead documents left, term by term,
// so the cost follows the lead, not the index.
type candidateQuery struct {
	lead   clause
	filter []clause
}

// Searcher implements query.Query.
func (q *candidateQuery) Searcher(_ context.Context, r index.IndexReader, _ mapping.IndexMapping, _ search.SearcherOptions) (search.Searcher, error) {
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil, fmt.Errorf("search: candidates: index reader is a %T, not a scorch snapshot", r)
	}
	docs := roaring.New()
	// Global document numbers are segment offsets plus local numbers, the
	// offsets adding up every segment's documents, deleted or not.
	var offset uint64
	for _, ss := range snap.Segments() {
		seg := ss.Segment()
		cand, err := filterBitmap(seg, ss.Deleted(), []clause{q.lead})
		if err != nil {
			return nil, err
		}
		for _, c := range q.filter {
			if cand.IsEmpty() {
				break
			}
			var any []*roaring.Bitmap
			for _, ft := range c {
				bm, err := postings(seg, ft.field, ft.term, nil)
				if err != nil {
					return nil, err
				}
				any = append(any, roaring.And(cand, bm))
			}
			cand = roaring.FastOr(any...)
		}
		if offset+seg.Count() > math.MaxUint32 {
			return nil, fmt.Errorf("search: candidates: more than %d documents", uint64(math.MaxUint32))
		}
		it := cand.Iterator()
		for it.HasNext() {
			docs.Add(uint32(offset) + it.Next())
		}
		offset += seg.Count()
	}
	return &bitmapSearcher{docs: docs, it: docs.Iterator()}, nil
}

// bitmapSearcher walks a set of global document numbers with score 0.
type bitmapSearcher struct {
	docs *roaring.Bitmap
	it   roaring.IntPeekable
}

func (s *bitmapSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	if !s.it.HasNext() {
		return nil, nil
	}
	dm := ctx.DocumentMatchPool.Get()
	dm.IndexInternalID = index.NewIndexInternalID(dm.IndexInternalID, uint64(s.it.Next()))
	dm.Score = 0
	return dm, nil
}

func (s *bitmapSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	s.it.AdvanceIfNeeded(uint32(id.Value()))
	return s.Next(ctx)
}

func (s *bitmapSearcher) Close() error               { return nil }
func (s *bitmapSearcher) Weight() float64            { return 0 }
func (s *bitmapSearcher) SetQueryNorm(float64)       {}
func (s *bitmapSearcher) Count() uint64              { return s.docs.GetCardinality() }
func (s *bitmapSearcher) Min() int                   { return 0 }
func (s *bitmapSearcher) Size() int                  { return int(s.docs.GetSizeInBytes()) }
func (s *bitmapSearcher) DocumentMatchPoolSize() int { return 1 }
