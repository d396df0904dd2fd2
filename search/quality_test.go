package search

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"

	"sankofa/matcher"
	"sankofa/matcher/matchertest"
)

// Match quality on a synthetic corpus with known relevance: varied
// phrasing in English, French and Portuguese, abbreviations, typos, near
// misses that break exactly one hard constraint, and (the harder set,
// matchertest.Hard) posts whose ministry accepts a sideways occupation and
// decoys who meet every hard constraint but hold no related skill. It runs
// twice: with the full taxonomy, and with 20 % of the generator's wordings
// held out of it, so that the corpus carries wordings the taxonomy has
// never seen. The seed is fixed so the figures in BENCHMARKS.md can be
// reproduced with
//
//	go test ./search -run TestMatchQuality -v
//
// and other seeds, to see that the figures are not tuned to one corpus, with
//
//	go test ./search -run TestMatchQuality -v -args -quality.seed=2
var qualitySeedFlag = flag.Int64("quality.seed", qualitySeed, "seed of TestMatchQuality's corpus")

const (
	qualitySeed        = 1
	qualityProfiles    = 5000
	qualityAssignments = 60
	qualityHeldOut     = 0.2
	minNDCG            = 0.90
	minP5              = 0.90
)

// qualityFloor is what each run must reach.
type qualityFloor struct{ ndcg, p5 float64 }

func TestMatchQuality(t *testing.T) {
	today := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	corpus := matchertest.GenerateCorpusWith(*qualitySeedFlag, qualityProfiles, qualityAssignments, today, matchertest.Hard)
	heldOut, known, err := matchertest.HeldOutTaxonomy(qualityHeldOut)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("held out %d wordings of the generator from the taxonomy", known)
	for _, run := range []struct {
		name  string
		tax   *matcher.Taxonomy
		floor qualityFloor
	}{
		{"FullTaxonomy", matcher.Default(), qualityFloor{minNDCG, minP5}},
		{"HeldOutWordings", heldOut, qualityFloor{heldOutNDCG, heldOutP5}},
	} {
		t.Run(run.name, func(t *testing.T) {
			matchQuality(t, corpus, matcher.New(run.tax), today, run.floor)
		})
	}
}

// The floors with held-out wordings are the bar too; see
// BENCHMARKS.md for the figures (seed 1: NDCG@10 0.917, P@5 1.000). A
// held-out wording finds its concept through what the taxonomy knows of
// its parts (matcher.Taxonomy.Extract): a cognate phrase, generic words
// such as "gestão" and "prise en charge" read as one, a known phrase
// inside it replaced by its translations, two concepts naming the one
// narrower than both, or an abbreviation read as the initials of a phrase
// (in the plural, or with consonants from inside a word). An abbreviation
// whose long form is held out too (PFA, QC) or a wording with no cognate
// left still names nothing.
const (
	heldOutNDCG = minNDCG
	heldOutP5   = minP5
)

func matchQuality(t *testing.T, corpus *matchertest.Corpus, m *matcher.Matcher, today time.Time, floor qualityFloor) {
	ctx := context.Background()
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

	var ours, baseline, p5 float64
	violations, nearMissesRanked, substitutions, unexplained, decoysTop10 := 0, 0, 0, 0, 0
	for q := range corpus.Assignments {
		a := &corpus.Assignments[q]
		af := m.AssignmentFeatures(&a.AssignmentInput)
		cands, err := ix.MatchCandidates(ctx, a, af, 80)
		if err != nil {
			t.Fatal(err)
		}
		ranked := m.RankProfiles(a, af, cands, today, "en")
		ids := make([]string, 0, len(ranked))
		for i, r := range ranked {
			ids = append(ids, r.Profile.ID)
			if v := corpus.Violations(q, r.Profile); len(v) > 0 {
				violations++
				t.Errorf("assignment %s: %s ranked despite breaking %v", a.ID, r.Profile.ID, v)
			}
			if _, ok := corpus.NearMisses[q][r.Profile.ID]; ok {
				nearMissesRanked++
			}
			if _, ok := corpus.Decoys[q][r.Profile.ID]; ok && i < 10 {
				decoysTop10++
			}
			if r.Profile.Profession != a.Profession {
				substitutions++
				if !explainsSubstitution(a.AcceptsByDefault(r.Profile.Profession), r) {
					unexplained++
					t.Errorf("assignment %s: %s (%s for %s) ranked without its substitution explained: %+v",
						a.ID, r.Profile.ID, r.Profile.Profession, a.Profession, r.Explanation)
				}
			}
		}
		ours += matchertest.NDCG(ids, corpus.Relevance[q], 10)
		p5 += matchertest.Precision(ids, corpus.Relevance[q], 5)
		baseline += matchertest.NDCG(bm25(t, ix, a.Title+" "+strings.Join(append(append(a.RequiredSkills, a.PreferredSkills...), a.Specialties...), " ")), corpus.Relevance[q], 10)
	}
	n := float64(len(corpus.Assignments))
	ours, baseline, p5 = ours/n, baseline/n, p5/n
	t.Logf("over %d assignments and %d profiles (seed %d): NDCG@10 %.3f (plain BM25 %.3f), P@5 %.3f; hard-constraint violations %d; near misses ranked %d; decoys in a top 10 %d; substitutions ranked %d, unexplained %d",
		len(corpus.Assignments), len(corpus.Profiles), *qualitySeedFlag, ours, baseline, p5, violations, nearMissesRanked, decoysTop10, substitutions, unexplained)
	if ours < floor.ndcg {
		t.Errorf("NDCG@10 %.3f, want at least %.2f", ours, floor.ndcg)
	}
	if p5 < floor.p5 {
		t.Errorf("P@5 %.3f, want at least %.2f", p5, floor.p5)
	}
	if ours-baseline < 0.2 {
		t.Errorf("the matcher (%.3f) must clearly beat plain BM25 (%.3f)", ours, baseline)
	}
	if nearMissesRanked > 0 {
		t.Errorf("%d near misses were ranked", nearMissesRanked)
	}
	if substitutions == 0 {
		t.Error("no substitution was ranked: the harder set lost its sideways posts")
	}
}

// explainsSubstitution reports whether r's explanation names the
// substitution it fills the post through, and on whose authority.
func explainsSubstitution(byDefault bool, r matcher.ProfileMatch) bool {
	s := r.Explanation.Substitution
	if s == nil || s.Profession != r.Profile.Profession {
		return false
	}
	want, sentence := matcher.SubstitutionMinistry, "(accepted by the ministry)"
	if byDefault {
		want, sentence = matcher.SubstitutionDefault, "(a higher qualification in the same field)"
	}
	return s.By == want && strings.Contains(strings.Join(r.Explanation.Reasons, "|"),
		fmt.Sprintf("Can fill this post as %s %s", matcher.OccupationAs(r.Profile.Profession, "en"), sentence))
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
