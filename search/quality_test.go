package search

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"

	"sankofa/matcher"
	"sankofa/matcher/matchertest"
)

// Match quality on a synthetic corpus with known relevance: varied
// phrasing in English, French and Portuguese, abbreviations, typos, and
// near misses that break exactly one hard constraint. The seed is fixed so
// the figures in BENCHMARKS.md can be reproduced with
//
//	go test ./search -run TestMatchQuality -v
const (
	qualitySeed        = 1
	qualityProfiles    = 5000
	qualityAssignments = 60
	minNDCG            = 0.85
)

func TestMatchQuality(t *testing.T) {
	ctx := context.Background()
	today := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	corpus := matchertest.GenerateCorpus(qualitySeed, qualityProfiles, qualityAssignments, today)
	m := matcher.New(matcher.Default())
	ix, err := Open(t.TempDir(), m)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	b := ix.NewBulk()
	for i := range corpus.Profiles {
		if err := b.AddProfile(&corpus.Profiles[i], true); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Flush(); err != nil {
		t.Fatal(err)
	}

	var ours, baseline float64
	violations, nearMissesRanked := 0, 0
	for q := range corpus.Assignments {
		a := &corpus.Assignments[q]
		af := m.AssignmentFeatures(&a.AssignmentInput)
		cands, err := ix.MatchCandidates(ctx, a, af, 80)
		if err != nil {
			t.Fatal(err)
		}
		ranked := m.RankProfiles(a, af, cands, today, "en")
		ids := make([]string, 0, len(ranked))
		for _, r := range ranked {
			ids = append(ids, r.Profile.ID)
			if v := corpus.Violations(q, r.Profile); len(v) > 0 {
				violations++
				t.Errorf("assignment %s: %s ranked despite breaking %v", a.ID, r.Profile.ID, v)
			}
			if _, ok := corpus.NearMisses[q][r.Profile.ID]; ok {
				nearMissesRanked++
			}
		}
		ours += matchertest.NDCG(ids, corpus.Relevance[q], 10)
		baseline += matchertest.NDCG(bm25(t, ix, a.Title+" "+strings.Join(append(append(a.RequiredSkills, a.PreferredSkills...), a.Specialties...), " ")), corpus.Relevance[q], 10)
	}
	n := float64(len(corpus.Assignments))
	ours, baseline = ours/n, baseline/n
	t.Logf("NDCG@10 over %d assignments and %d profiles (seed %d): matcher %.3f, plain BM25 %.3f; hard-constraint violations %d; near misses ranked %d",
		len(corpus.Assignments), len(corpus.Profiles), qualitySeed, ours, baseline, violations, nearMissesRanked)
	if ours < minNDCG {
		t.Errorf("NDCG@10 %.3f, want at least %.2f", ours, minNDCG)
	}
	if ours-baseline < 0.2 {
		t.Errorf("the matcher (%.3f) must clearly beat plain BM25 (%.3f)", ours, baseline)
	}
	if nearMissesRanked > 0 {
		t.Errorf("%d near misses were ranked", nearMissesRanked)
	}
}

// bm25 is the baseline: the assignment's words matched against profiles'
// free text by Bleve's default scoring, with no taxonomy and no filters.
func bm25(t *testing.T, ix *Index, text string) []string {
	t.Helper()
	mq := bleve.NewMatchQuery(text)
	mq.SetField("text")
	mq.Analyzer = textAnalyzer
	req := bleve.NewSearchRequestOptions(mq, 10, 0, false)
	res, err := ix.profiles.Search(req)
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	return ids
}
