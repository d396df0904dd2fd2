package search

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// EraseAccount removes an erased person from the index for good: their
// account and profile documents go, with markers that keep an old event
// replayed later from bringing either back, and the account and profile
// indexes are merged into fresh segments. Deleting a document only marks
// it deleted in the segment that holds it; the name and texts stay in the
// segment's files until a merge rewrites them, so the erasure forces that
// merge and waits until the old files are gone.
//
// The merge rewrites the whole index (about 1.5 GB at 1M profiles; see
// BENCHMARKS.md), which is why erasures run in the background.
func (ix *Index) EraseAccount(ctx context.Context, accountID, profileID string) error {
	if err := ix.markAccountErased(accountID); err != nil {
		return err
	}
	if profileID != "" {
		if err := ix.DeleteProfile(profileID, math.MaxInt64); err != nil {
			return err
		}
	}
	// Index writes go on during the merge: what they add never holds the
	// person (the marker turns their documents away), so the merge only
	// has to outlast the segments that held them.
	gone := map[string]bool{accountID: true}
	if profileID != "" {
		gone[profileID] = true
	}
	for _, name := range []string{"accounts", "profiles"} {
		idx := map[string]bleve.Index{"accounts": ix.accounts, "profiles": ix.profiles}[name]
		// Scorch keeps its segment files in <index>/store.
		if err := rewriteSegments(ctx, idx, filepath.Join(ix.dir, name, "store"), gone); err != nil {
			return fmt.Errorf("search: erase %s from %s: %w", accountID, name, err)
		}
	}
	if err := ix.accounts.SetInternal(erasureDoneKey(accountID), []byte("1")); err != nil {
		return fmt.Errorf("search: erase %s: %w", accountID, err)
	}
	return nil
}

// RemoveAccount takes an erased account out of the account list at once,
// before EraseAccount rewrites the segments.
func (ix *Index) RemoveAccount(accountID string) error { return ix.markAccountErased(accountID) }

// erasureDoneKey marks an erasure whose segments were rewritten, so that
// the erasure's event, when it reaches this replica's consumer after its
// own erasure ran, does not merge the index a second time.
func erasureDoneKey(id string) []byte { return []byte("erasure-done:" + id) }

func (ix *Index) erasureDone(id string) bool {
	v, err := ix.accounts.GetInternal(erasureDoneKey(id))
	return err == nil && v != nil
}

// erasedKey marks an erased account in the account index.
func erasedKey(id string) []byte { return []byte("erased:" + id) }

func (ix *Index) markAccountErased(id string) error {
	defer ix.guard.lock(id)()
	ix.guard.passed(id)
	if err := ix.accounts.SetInternal(erasedKey(id), []byte("1")); err != nil {
		return fmt.Errorf("search: erase account %s: %w", id, err)
	}
	if err := ix.accounts.Delete(id); err != nil {
		return fmt.Errorf("search: erase account %s: %w", id, err)
	}
	return nil
}

// accountErased reports whether id was erased.
func (ix *Index) accountErased(id string) bool {
	v, err := ix.accounts.GetInternal(erasedKey(id))
	return err == nil && v != nil
}

// fillerID names a document with no fields. Bleve never merges an index
// of one segment, so a segment whose deletions are the person's is given
// the filler's segment to merge with; the filler is deleted afterwards,
// which leaves a deletion that names nobody.
const fillerID = "\x00erasure-filler"

// rewriteSegments merges idx into one segment, until no segment holds a
// deleted document of the ids in gone and no file of an older segment is
// left in dir.
func rewriteSegments(ctx context.Context, idx bleve.Index, dir string, gone map[string]bool) error {
	adv, err := idx.Advanced()
	if err != nil {
		return err
	}
	s, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil
	}
	// Files that may hold the person: those on disk now, and any segment
	// later seen holding their deleted documents (a merge under way).
	suspects := map[string]bool{}
	files, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, f := range files {
		suspects[f.Name()] = true
	}
	const patience = 30 * time.Minute
	deadline := time.Now().Add(patience)
	filler := false
	for {
		state, err := segmentsState(idx, dir, gone, suspects)
		if err != nil {
			return err
		}
		if state == segmentsClean {
			// Also a filler a crash left behind in an earlier run.
			if d, _ := idx.Document(fillerID); filler || d != nil {
				return idx.Delete(fillerID)
			}
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("old segments still on disk after %s", patience)
		}
		if state == segmentsAlone && !filler {
			if err := idx.Index(fillerID, map[string]any{}); err != nil {
				return err
			}
			filler = true
		}
		if state == segmentsStray {
			// Scorch removes the files of older snapshots only after it has
			// persisted a newer one: give it one.
			if err := idx.SetInternal([]byte("erasure-nudge"), []byte(time.Now().UTC().Format(time.RFC3339Nano))); err != nil {
				return err
			}
		} else if state != segmentsInMemory {
			mo := mergeplan.SingleSegmentMergePlanOptions
			if err := s.ForceMerge(ctx, &mo); err != nil && !strings.Contains(err.Error(), "already in progress") {
				return err
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

type segmentState int

const (
	segmentsClean segmentState = iota
	// segmentsInMemory: a segment that held the person waits for the
	// persister.
	segmentsInMemory
	// segmentsDeleted: segments hold the person's deleted documents; a
	// merge drops them.
	segmentsDeleted
	// segmentsAlone: the only segment holds them, and Bleve never merges an
	// index of one segment.
	segmentsAlone
	// segmentsStray: the files of merged segments are not removed yet.
	segmentsStray
)

// segmentsState tells whether every segment of idx's current snapshot is
// on disk with no deleted document of the ids in gone, and no file of
// suspects is left in dir but live ones. Segments found holding such
// documents join suspects. Files written since the erasure began are not
// waited for: other writes go on, and they never hold the person.
func segmentsState(idx bleve.Index, dir string, gone, suspects map[string]bool) (segmentState, error) {
	r, snap, err := snapshot(idx)
	if err != nil {
		return 0, err
	}
	defer r.Close()
	live := map[string]bool{}
	segs := snap.Segments()
	for _, ss := range segs {
		p, persisted := ss.Segment().(segment.PersistedSegment)
		if persisted {
			live[filepath.Base(p.Path())] = true
		}
		held, err := holds(ss, gone)
		if err != nil || !held {
			if err != nil {
				return 0, err
			}
			continue
		}
		switch {
		case !persisted:
			return segmentsInMemory, nil // merged once the persister wrote it
		case len(segs) == 1:
			suspects[filepath.Base(p.Path())] = true
			return segmentsAlone, nil
		default:
			suspects[filepath.Base(p.Path())] = true
			return segmentsDeleted, nil
		}
	}
	files, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	for _, f := range files {
		if suspects[f.Name()] && strings.HasSuffix(f.Name(), ".zap") && !live[f.Name()] {
			return segmentsStray, nil
		}
	}
	return segmentsClean, nil
}

// holds reports whether one of the deleted documents of ss is in gone.
func holds(ss *scorch.SegmentSnapshot, gone map[string]bool) (bool, error) {
	d := ss.Deleted()
	if d == nil {
		return false, nil
	}
	for it := d.Iterator(); it.HasNext(); {
		id, err := ss.Segment().DocID(uint64(it.Next()))
		if err != nil {
			return false, err
		}
		if gone[string(id)] {
			return true, nil
		}
	}
	return false, nil
}
