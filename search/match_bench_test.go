package search

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"sankofa"
	"sankofa/matcher"
	"sankofa/matcher/matchertest"
)

// Speed of matching and profile search on synthetic corpora of 100k and
// 1M profiles (matchertest.GenerateCorpus, the generator of TestMatchQuality).
// Results and the exact commands are in BENCHMARKS.md, "Matching and
// search". In short:
//
//	go test ./search -run '^$' -bench 'BulkIndex|Match|SearchProfiles' -short
//	go test ./search -run '^$' -bench 'BulkIndex/size=1000000' -benchtime 1x -timeout 60m
//	go test ./search -run '^$' -bench '(Match|SearchProfiles)/size=1000000' -benchtime 200x -timeout 60m
//
// -short limits every benchmark to 100k profiles.
//
// The index the query benchmarks read is built once per size and kept
// across runs in os.TempDir()/sankofa-match-bench/size=N-vM-seedS-F, where
// M is MappingVersion and F a fingerprint of the documents the generator
// and the matcher produce (so a change to either rebuilds it). A dir is
// used only when its "bench_complete" marker holds that key; older dirs of
// the same size are deleted when a new one is built. BenchmarkBulkIndex
// always indexes from scratch into a dir of its own and then hands its
// index over as the cached one when none is there yet (otherwise deletes
// it). Remove the cache with: rm -rf "${TMPDIR:-/tmp}/sankofa-match-bench".
//
// Queries are the corpus's assignments (mbAssignments of them). The
// generator renders the assignments before any profile, so
// GenerateCorpus(mbSeed, 0, mbAssignments) yields the very assignments of
// the indexed corpus without generating a million profiles; this is
// checked whenever both are at hand.
const (
	mbSeed        = 20261127
	mbAssignments = 200
	mbPool        = 80
	mbTop         = 20
	// mbWarmUp assignments (times each search kind) run before timing.
	mbWarmUp    = 20
	mbCacheRoot = "sankofa-match-bench"
	mbMarker    = "bench_complete"
)

var mbToday = time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)

func mbSizes() []int {
	if testing.Short() {
		return []int{100_000}
	}
	return []int{100_000, 1_000_000}
}

// mbShared is the per-size cached index, opened once per process.
type mbShared struct {
	once sync.Once
	ix   *Index
	err  error
}

var (
	mbMu      sync.Mutex
	mbIndexes = map[int]*mbShared{}

	mbQueriesOnce sync.Once
	mbQueries     []sankofa.Assignment

	mbKeyOnce sync.Once
	mbKeyFP   string
)

func mbMatcher() *matcher.Matcher { return matcher.New(matcher.Default()) }

// mbAssignmentsFor returns the query assignments.
func mbAssignmentsFor() []sankofa.Assignment {
	mbQueriesOnce.Do(func() {
		mbQueries = matchertest.GenerateCorpus(mbSeed, 0, mbAssignments, mbToday).Assignments
	})
	return mbQueries
}

// mbCheckAssignments fails when a full corpus's assignments differ from
// the query assignments (the generator changed its order of draws).
func mbCheckAssignments(b *testing.B, c *matchertest.Corpus) {
	if !reflect.DeepEqual(c.Assignments, mbAssignmentsFor()) {
		b.Fatal("GenerateCorpus(seed, 0, n) no longer yields the assignments of GenerateCorpus(seed, size, n)")
	}
}

// mbKey names the cached index of a size.
func mbKey(size int) string {
	mbKeyOnce.Do(func() {
		// The documents of a small corpus fingerprint the generator, the
		// taxonomy and profileDoc.
		c := matchertest.GenerateCorpus(mbSeed, 500, 20, mbToday)
		ix := &Index{match: mbMatcher()}
		h := sha256.New()
		for i := range c.Profiles {
			doc, err := ix.profileDoc(&c.Profiles[i], true)
			if err != nil {
				panic(err)
			}
			raw, _ := json.Marshal(doc)
			h.Write(raw)
		}
		mbKeyFP = hex.EncodeToString(h.Sum(nil))[:12]
	})
	return fmt.Sprintf("size=%d-v%d-seed%d-%s", size, MappingVersion, mbSeed, mbKeyFP)
}

func mbRoot() string { return filepath.Join(os.TempDir(), mbCacheRoot) }

func mbCacheDir(size int) string { return filepath.Join(mbRoot(), mbKey(size)) }

func mbCacheComplete(size int) bool {
	raw, err := os.ReadFile(filepath.Join(mbCacheDir(size), mbMarker))
	return err == nil && strings.TrimSpace(string(raw)) == mbKey(size)
}

// mbClearStale deletes the cached indexes of size under other keys.
func mbClearStale(size int) {
	entries, _ := os.ReadDir(mbRoot())
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), fmt.Sprintf("size=%d-", size)) && e.Name() != mbKey(size) {
			os.RemoveAll(filepath.Join(mbRoot(), e.Name()))
		}
	}
}

// mbBuild indexes the corpus's profiles into a new index at dir.
func mbBuild(dir string, c *matchertest.Corpus) (*Index, time.Duration, error) {
	if err := os.RemoveAll(dir); err != nil {
		return nil, 0, err
	}
	ix, err := Open(dir, mbMatcher())
	if err != nil {
		return nil, 0, err
	}
	start := time.Now()
	bulk := ix.NewBulk()
	for i := range c.Profiles {
		if err := bulk.AddProfile(&c.Profiles[i], true); err != nil {
			ix.Close()
			return nil, 0, err
		}
	}
	if err := bulk.Flush(); err != nil {
		ix.Close()
		return nil, 0, err
	}
	if err := ix.Built(); err != nil {
		ix.Close()
		return nil, 0, err
	}
	return ix, time.Since(start), nil
}

// mbGenerate builds the full corpus of a size and logs what it cost.
func mbGenerate(b *testing.B, size int) *matchertest.Corpus {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	c := matchertest.GenerateCorpus(mbSeed, size, mbAssignments, mbToday)
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.Logf("generated %d profiles and %d assignments in %v (corpus heap ≈ %d MB)",
		len(c.Profiles), len(c.Assignments), time.Since(start).Round(time.Millisecond),
		(int64(after.HeapAlloc)-int64(before.HeapAlloc))>>20)
	mbCheckAssignments(b, c)
	return c
}

// mbIndex returns the cached index of a size, building it when missing,
// with its merges settled so queries see the steady-state segment layout.
func mbIndex(b *testing.B, size int) *Index {
	mbMu.Lock()
	s, ok := mbIndexes[size]
	if !ok {
		s = &mbShared{}
		mbIndexes[size] = s
	}
	mbMu.Unlock()
	s.once.Do(func() {
		dir := mbCacheDir(size)
		if mbCacheComplete(size) {
			b.Logf("reusing the cached index %s", dir)
			s.ix, s.err = Open(dir, mbMatcher())
			if s.err == nil && s.ix.Rebuilt {
				s.ix.Close()
				s.ix, s.err = nil, fmt.Errorf("cached index %s was rebuilt by Open; delete it", dir)
			}
		} else {
			b.Logf("building the cached index %s", dir)
			mbClearStale(size)
			c := mbGenerate(b, size)
			var took time.Duration
			s.ix, took, s.err = mbBuild(dir, c)
			if s.err == nil {
				b.Logf("indexed %d profiles in %v", size, took.Round(time.Millisecond))
				s.err = os.WriteFile(filepath.Join(dir, mbMarker), []byte(mbKey(size)), 0o600)
			}
		}
		if s.err == nil {
			segs, waited := mbSettle(s.ix)
			b.Logf("index %s: %d file segments after waiting %v for merges; %.0f MB on disk; RSS %s",
				dir, segs, waited.Round(time.Millisecond), mbDirMB(filepath.Join(dir, "profiles")), mbRSS())
		}
	})
	if s.err != nil {
		b.Fatal(s.err)
	}
	return s.ix
}

// mbSettle waits (up to 15 minutes) until the profile index has no
// in-memory segment, no merge running and the same number of file segments
// over two seconds; it returns that number.
func mbSettle(ix *Index) (int, time.Duration) {
	start := time.Now()
	stat := func() (mem, files, zapBeg, zapEnd uint64) {
		m, _ := ix.profiles.StatsMap()["index"].(map[string]any)
		u := func(k string) uint64 { v, _ := m[k].(uint64); return v }
		return u("num_root_memorysegments"), u("num_root_filesegments"), u("TotFileMergeZapBeg"), u("TotFileMergeZapEnd")
	}
	last, stable := uint64(0), 0
	for time.Since(start) < 15*time.Minute {
		mem, files, beg, end := stat()
		if mem == 0 && beg == end && files == last {
			stable++
		} else {
			stable = 0
		}
		last = files
		if stable >= 4 {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	return int(last), time.Since(start)
}

// mbDirMB is the size of the files under dir in MB.
func mbDirMB(dir string) float64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return float64(n) / (1 << 20)
}

// mbProcStatus reads a "kB" line of /proc/self/status in MB.
func mbProcStatus(key string) float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return -1
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), key+":"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			if err == nil {
				return kb / 1024
			}
		}
	}
	return -1
}

func mbRSS() string {
	return fmt.Sprintf("%.0f MB (peak %.0f MB)", mbProcStatus("VmRSS"), mbProcStatus("VmHWM"))
}

// mbPercentiles reports p50-ms and p99-ms (nearest rank) of lat.
func mbPercentiles(lat []time.Duration) (p50, p99 float64) {
	if len(lat) == 0 {
		return 0, 0
	}
	s := slices.Clone(lat)
	slices.Sort(s)
	at := func(p int) float64 {
		i := (p*len(s)+99)/100 - 1
		return float64(s[max(i, 0)]) / float64(time.Millisecond)
	}
	return at(50), at(99)
}

func mbReportLatency(b *testing.B, lat []time.Duration) {
	p50, p99 := mbPercentiles(lat)
	b.ReportMetric(p50, "p50-ms")
	b.ReportMetric(p99, "p99-ms")
}

// BenchmarkBulkIndex measures rebuild throughput: one op indexes the whole
// corpus through Bulk (AddProfile for every profile, then Flush) into a new
// index. It reports profiles/s, the profile index's size on disk once its
// merges have settled (index-MB) and the process RSS right after Flush
// (rss-MB, which includes the generated corpus held in memory).
func BenchmarkBulkIndex(b *testing.B) {
	for _, size := range mbSizes() {
		b.Run(fmt.Sprintf("size=%d", size), func(b *testing.B) {
			b.ReportAllocs()
			c := mbGenerate(b, size)
			dir := filepath.Join(mbRoot(), fmt.Sprintf("bulk-%d-size=%d", os.Getpid(), size))
			defer os.RemoveAll(dir)
			var (
				ix    *Index
				total time.Duration
				ops   int
				rss   float64
			)
			for b.Loop() {
				if ix != nil {
					ix.Close()
				}
				var (
					took time.Duration
					err  error
				)
				ix, took, err = mbBuild(dir, c)
				if err != nil {
					b.Fatal(err)
				}
				total += took
				ops++
				rss = mbProcStatus("VmRSS")
			}
			b.ReportMetric(float64(size*ops)/total.Seconds(), "profiles/s")
			b.ReportMetric(rss, "rss-MB")
			b.Logf("after Flush: RSS %s", mbRSS())
			segs, waited := mbSettle(ix)
			mb := mbDirMB(filepath.Join(dir, "profiles"))
			b.ReportMetric(mb, "index-MB")
			b.Logf("indexed %d profiles %d time(s) in %v, %.0f profiles/s; merges settled %v after Flush with %d file segments; profile index %.0f MB on disk",
				size, ops, total.Round(time.Millisecond), float64(size*ops)/total.Seconds(), waited.Round(time.Millisecond), segs, mb)
			if err := ix.Close(); err != nil {
				b.Fatal(err)
			}
			// Hand the index over to the query benchmarks when their cache
			// is empty; it is the same corpus they would build.
			mbMu.Lock()
			_, opened := mbIndexes[size]
			mbMu.Unlock()
			if !opened && !mbCacheComplete(size) {
				mbClearStale(size)
				cache := mbCacheDir(size)
				os.RemoveAll(cache)
				if err := os.Rename(dir, cache); err == nil {
					if err := os.WriteFile(filepath.Join(cache, mbMarker), []byte(mbKey(size)), 0o600); err != nil {
						b.Fatal(err)
					}
					b.Logf("kept as the cached index %s", cache)
				}
			}
		})
	}
}

// BenchmarkMatch measures ranking workers for one assignment, as
// GET /v1/assignments/{id}/matches does: AssignmentFeatures,
// MatchCandidates (pool 200) and RankProfiles, top 20. Each op takes the
// next of the corpus's assignments in turn. mbWarmUp assignments run
// before timing, so the figures are warm (index pages in the page cache).
func BenchmarkMatch(b *testing.B) {
	for _, size := range mbSizes() {
		b.Run(fmt.Sprintf("size=%d", size), func(b *testing.B) {
			ix := mbIndex(b, size)
			qs := mbAssignmentsFor()
			m := ix.match
			ctx := context.Background()
			match := func(a *sankofa.Assignment) (int, []matcher.ProfileMatch) {
				af := m.AssignmentFeatures(&a.AssignmentInput)
				cands, err := ix.MatchCandidates(ctx, a, af, mbPool)
				if err != nil {
					b.Fatal(err)
				}
				ranked := m.RankProfiles(a, af, cands, mbToday, "en")
				return len(cands), ranked[:min(mbTop, len(ranked))]
			}
			start := time.Now()
			cands, full, empty := 0, 0, 0
			warm := qs[:min(len(qs), mbWarmUp)]
			for i := range warm {
				n, top := match(&warm[i])
				cands += n
				if n == mbPool {
					full++
				}
				if len(top) == 0 {
					empty++
				}
			}
			b.Logf("warm-up over %d assignments: %v; candidates per assignment %.1f (pool full for %d), no match for %d",
				len(warm), time.Since(start).Round(time.Millisecond), float64(cands)/float64(len(warm)), full, empty)
			b.ReportAllocs()
			lat := make([]time.Duration, 0, 1024)
			i := 0
			for b.Loop() {
				t0 := time.Now()
				match(&qs[i%len(qs)])
				lat = append(lat, time.Since(t0))
				i++
			}
			mbReportLatency(b, lat)
		})
	}
}

// mbSearchKinds are the kinds of profile search BenchmarkSearchProfiles
// cycles through, all limited to profiles shared with the assignment's
// country as a ministry's search is.
var mbSearchKinds = []string{"country", "profession", "language", "q", "available"}

var mbConcepts = []string{"césarienne", "PCR", "paludisme", "échographie obstétricale", "soins intensifs néonatals"}

func mbSearchQuery(kind string, a *sankofa.Assignment, i int) sankofa.ProfileQuery {
	q := sankofa.ProfileQuery{Country: a.Country, Limit: 20}
	switch kind {
	case "profession":
		q.Profession = a.Profession
	case "language":
		q.Language = "fr"
		if len(a.Languages) > 0 {
			q.Language = a.Languages[i%len(a.Languages)].Code
		}
	case "q":
		q.Q = mbConcepts[i%len(mbConcepts)]
	case "available":
		q.AvailableFrom, q.AvailableTo = a.Start, a.End
		if q.AvailableFrom == "" || q.AvailableTo == "" {
			q.AvailableFrom = sankofa.DateOf(mbToday.AddDate(0, 1, 0))
			q.AvailableTo = sankofa.DateOf(mbToday.AddDate(0, 3, 0))
		}
	}
	return q
}

// BenchmarkSearchProfiles measures the faceted profile search behind
// GET /v1/profiles (first page of 20, five facets), cycling through the
// kinds of mbSearchKinds and the corpus's assignments. It reports p50/p99
// over the mix and logs them per kind.
func BenchmarkSearchProfiles(b *testing.B) {
	for _, size := range mbSizes() {
		b.Run(fmt.Sprintf("size=%d", size), func(b *testing.B) {
			ix := mbIndex(b, size)
			qs := mbAssignmentsFor()
			ctx := context.Background()
			search := func(i int) (string, sankofa.ProfileResults) {
				kind := mbSearchKinds[i%len(mbSearchKinds)]
				a := &qs[(i/len(mbSearchKinds))%len(qs)]
				res, err := ix.SearchProfiles(ctx, mbSearchQuery(kind, a, i/len(mbSearchKinds)))
				if err != nil {
					b.Fatal(err)
				}
				return kind, res
			}
			totals := map[string]uint64{}
			start := time.Now()
			for i := range len(mbSearchKinds) * mbWarmUp {
				kind, res := search(i)
				totals[kind] += res.Total
			}
			var sb strings.Builder
			for _, k := range mbSearchKinds {
				fmt.Fprintf(&sb, " %s %d;", k, totals[k]/mbWarmUp)
			}
			b.Logf("warm-up of %d searches: %v; mean hits per kind:%s", len(mbSearchKinds)*mbWarmUp, time.Since(start).Round(time.Millisecond), sb.String())
			b.ReportAllocs()
			lat := make([]time.Duration, 0, 1024)
			byKind := map[string][]time.Duration{}
			i := 0
			for b.Loop() {
				t0 := time.Now()
				kind, _ := search(i)
				d := time.Since(t0)
				lat = append(lat, d)
				byKind[kind] = append(byKind[kind], d)
				i++
			}
			mbReportLatency(b, lat)
			sb.Reset()
			for _, k := range mbSearchKinds {
				p50, p99 := mbPercentiles(byKind[k])
				fmt.Fprintf(&sb, " %s p50 %.1f ms p99 %.1f ms (n=%d);", k, p50, p99, len(byKind[k]))
			}
			b.Logf("per kind:%s", sb.String())
		})
	}
}
