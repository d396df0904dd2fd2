package search

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// The first pass of matching runs on the index's posting lists, segment by
// segment, rather than through a Bleve search. A Bleve search of the same
// shape spent 35 ms at a million profiles: its unscored filter built the
// whole posting bitmap of every "any of" clause (every month of a window),
// and its scored "should" clauses read each concept's postings one entry
// at a time up to every candidate. Here each clause is intersected with
// the few candidates left, and a candidate's score is added up from the
// intersections.

// weightedTerm is a soft signal of the first pass.
type weightedTerm struct {
	field, term string
	boost       float64
}

// candidate is a document of a segment with its first-pass score.
type candidate struct {
	seg   int
	num   uint32
	score float64
}

// firstPass returns up to pool documents of snap holding a term of lead
// and of every clause of filter, best first by score: the sum of boost ×
// idf of the should terms they hold, times the share of should terms held
// (Bleve's tf-idf "coord", without field norms, which favoured workers who
// list fewer skills). Ties keep index order.
func firstPass(snap *scorch.IndexSnapshot, lead clause, filter []clause, should []weightedTerm, pool int) ([]candidate, error) {
	segs := snap.Segments()
	var total uint64
	for _, ss := range segs {
		total += ss.Count()
	}
	idf := make([]float64, len(should))
	for i, w := range should {
		var df uint64
		for _, ss := range segs {
			dict, err := ss.Segment().Dictionary(w.field)
			if err != nil {
				return nil, fmt.Errorf("search: first pass: %w", err)
			}
			pl, err := dict.PostingsList([]byte(w.term), ss.Deleted(), nil)
			if err != nil {
				return nil, fmt.Errorf("search: first pass: %w", err)
			}
			df += pl.Count()
		}
		idf[i] = 1 + math.Log(float64(total)/float64(df+1))
	}
	// Segments are independent; two cores halve the pass.
	perSeg := make([][]candidate, len(segs))
	errs := make([]error, len(segs))
	workers := min(runtime.GOMAXPROCS(0), len(segs))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for si := w; si < len(segs); si += workers {
				perSeg[si], errs[si] = scoreSegment(segs[si], si, lead, filter, should, idf)
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	docs := slices.Concat(perSeg...)
	slices.SortStableFunc(docs, func(x, y candidate) int { return cmp.Compare(y.score, x.score) })
	return docs[:min(pool, len(docs))], nil
}

// scoreSegment is the first pass over one segment.
func scoreSegment(ss *scorch.SegmentSnapshot, si int, lead clause, filter []clause, should []weightedTerm, idf []float64) ([]candidate, error) {
	seg := ss.Segment()
	cand, err := filterBitmap(seg, ss.Deleted(), []clause{lead})
	if err != nil {
		return nil, err
	}
	for _, c := range filter {
		if cand.IsEmpty() {
			return nil, nil
		}
		if cand, err = intersect(seg, cand, c); err != nil {
			return nil, err
		}
	}
	docs := make([]candidate, 0, cand.GetCardinality())
	it := cand.Iterator()
	for it.HasNext() {
		docs = append(docs, candidate{seg: si, num: it.Next()})
	}
	held := make([]int, len(docs))
	for i, w := range should {
		bm, err := postings(seg, w.field, w.term, nil)
		if err != nil {
			return nil, err
		}
		both := andFew(cand, bm).Iterator()
		for both.HasNext() {
			k := int(cand.Rank(both.Next())) - 1
			docs[k].score += w.boost * idf[i]
			held[k]++
		}
	}
	for k, n := range held {
		docs[k].score *= float64(n) / float64(max(len(should), 1))
	}
	return docs, nil
}

// andFew intersects a few candidates with a posting list. A merge of the
// two costs the length of both; when the candidates are far fewer,
// looking each one up costs far less.
func andFew(cand, bm *roaring.Bitmap) *roaring.Bitmap {
	if cand.GetCardinality()*32 >= bm.GetCardinality() {
		return roaring.And(cand, bm)
	}
	out := roaring.New()
	it := cand.Iterator()
	for it.HasNext() {
		if x := it.Next(); bm.Contains(x) {
			out.Add(x)
		}
	}
	return out
}

// intersect keeps the documents of cand holding any term of c.
func intersect(seg segment.Segment, cand *roaring.Bitmap, c clause) (*roaring.Bitmap, error) {
	any := make([]*roaring.Bitmap, 0, len(c))
	for _, ft := range c {
		bm, err := postings(seg, ft.field, ft.term, nil)
		if err != nil {
			return nil, err
		}
		any = append(any, andFew(cand, bm))
	}
	return roaring.FastOr(any...), nil
}

// loadCandidates decodes the stored snapshots of docs, in order, reading
// them straight from their segments (no id lookups) and sharing the JSON
// decoding, about 30 µs a profile, across cores.
func loadCandidates(snap *scorch.IndexSnapshot, docs []candidate) []profileSource {
	segs := snap.Segments()
	srcs := make([]profileSource, len(docs))
	ok := make([]bool, len(docs))
	workers := min(runtime.GOMAXPROCS(0), max(len(docs)/32, 1))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(docs); i += workers {
				_ = segs[docs[i].seg].Segment().VisitStoredFields(uint64(docs[i].num), func(field string, _ byte, value []byte, _ []uint64) bool {
					if field != sourceField {
						return true
					}
					ok[i] = json.Unmarshal(value, &srcs[i]) == nil && srcs[i].Profile != nil
					return false
				})
			}
		})
	}
	wg.Wait()
	out := srcs[:0]
	for i := range srcs {
		if ok[i] {
			out = append(out, srcs[i])
		}
	}
	return out
}
