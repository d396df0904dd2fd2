package store_test

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"sankofa"
	"sankofa/store"
)

// The corpus sizes of BenchmarkProfiles. The target is the largest:
// at 100k profiles, get-by-id and update-by-id p99 under 5 ms in process.
var benchSizes = []int{1_000, 10_000, 100_000}

// BenchmarkProfiles measures the two hot paths of the system of record on
// the embedded store (FerretDB + SQLite), on corpora of growing size:
//
//   - Get: Profile by a random id;
//   - Update: update-by-id, SaveProfile at version+1 (the version check
//     and one replace carrying the event), timed alone. The loop also does
//     what PATCH /v1/profiles/me does around it, read before and Ack
//     after, and reports those separately: read-p99-ms, ack-p99-ms, and
//     path-p50-ms/path-p99-ms for the three together.
//
// Besides ns/op (which, for Update, covers the whole path) it reports the
// median and 99th percentile of the per-operation latency, as p50-ms and
// p99-ms. Nothing is asserted: these are measurements, not tests.
//
// Each corpus is built once per size through SaveProfile+Ack, under
// os.TempDir, and shared by the sub-benchmarks of that size; building 100k
// takes many minutes (the time is logged). Run with:
//
//	go test ./store/ -run '^$' -bench BenchmarkProfiles -benchtime 2000x -timeout 60m
//
// Set SANKOFA_BENCH_CORPUS to a directory outside the repository to keep
// the corpora there and reuse them in later runs.
func BenchmarkProfiles(b *testing.B) {
	b.Cleanup(dropCorpora)
	for _, size := range benchSizes {
		b.Run(fmt.Sprintf("size=%d", size), func(b *testing.B) {
			s := corpus(b, size)
			ids := make([]string, size)
			for i := range ids {
				ids[i] = newProfile(i).ID
			}
			ctx := context.Background()
			r := rand.New(rand.NewPCG(1, uint64(size)))

			b.Run("Get", func(b *testing.B) {
				logCorpus(b, size)
				b.ReportAllocs()
				lat := newLatencies()
				for b.Loop() {
					id := ids[r.IntN(len(ids))]
					t0 := time.Now()
					p, err := s.Profile(ctx, id)
					lat.add(time.Since(t0))
					if err != nil {
						b.Fatal(err)
					}
					if p.ID != id {
						b.Fatalf("asked for %s, got %s", id, p.ID)
					}
				}
				lat.report(b)
			})

			b.Run("Update", func(b *testing.B) {
				logCorpus(b, size)
				b.ReportAllocs()
				read, save, ack, path := newLatencies(), newLatencies(), newLatencies(), newLatencies()
				for b.Loop() {
					id := ids[r.IntN(len(ids))]
					t0 := time.Now()
					cur, err := s.Profile(ctx, id)
					if err != nil {
						b.Fatal(err)
					}
					t1 := time.Now()
					pe, err := saveNext(ctx, s, cur)
					if err != nil {
						b.Fatal(err)
					}
					t2 := time.Now()
					if err := s.Ack(ctx, pe); err != nil {
						b.Fatal(err)
					}
					t3 := time.Now()
					read.add(t1.Sub(t0))
					save.add(t2.Sub(t1))
					ack.add(t3.Sub(t2))
					path.add(t3.Sub(t0))
				}
				save.report(b)
				b.ReportMetric(read.at(0.99), "read-p99-ms")
				b.ReportMetric(ack.at(0.99), "ack-p99-ms")
				b.ReportMetric(path.at(0.50), "path-p50-ms")
				b.ReportMetric(path.at(0.99), "path-p99-ms")
			})
		})
	}
}

// saveNext changes a profile as a PATCH would and saves it at version+1.
func saveNext(ctx context.Context, s *store.Store, cur *sankofa.Profile) (sankofa.PendingEvent, error) {
	cur.YearsExperience = (cur.YearsExperience + 1) % 40
	cur.Version++
	cur.UpdatedAt = time.Now().UTC().Truncate(time.Millisecond)
	ev, err := sankofa.NewEvent("profile", "updated", cur.ID, cur.Version, cur.AccountID, cur.UpdatedAt, cur)
	if err != nil {
		return sankofa.PendingEvent{}, err
	}
	return s.SaveProfile(ctx, cur, ev)
}

// latencies collects one duration per benchmark iteration.
type latencies []time.Duration

// newLatencies preallocates, so that recording allocates nothing inside
// the timed loop for all but very long runs.
func newLatencies() *latencies {
	l := make(latencies, 0, 1<<16)
	return &l
}

func (l *latencies) add(d time.Duration) { *l = append(*l, d) }

// report adds p50-ms and p99-ms to the benchmark's result.
func (l *latencies) report(b *testing.B) {
	if len(*l) == 0 {
		return
	}
	b.ReportMetric(l.at(0.50), "p50-ms")
	b.ReportMetric(l.at(0.99), "p99-ms")
}

// at returns quantile q (nearest rank) in milliseconds.
func (l *latencies) at(q float64) float64 {
	if len(*l) == 0 {
		return 0
	}
	d := slices.Clone(*l)
	slices.Sort(d)
	i := int(q*float64(len(d))+0.5) - 1
	i = min(max(i, 0), len(d)-1)
	return float64(d[i]) / float64(time.Millisecond)
}

// builtCorpus is a store holding size profiles, built once per process.
type builtCorpus struct {
	once sync.Once
	dir  string
	keep bool // the directory outlives the run (SANKOFA_BENCH_CORPUS)
	s    *store.Store
	err  error
	note string // how the corpus was obtained, logged by the first user
}

var (
	corporaMu sync.Mutex
	corpora   = map[int]*builtCorpus{}
)

// corpusEnv names a directory where corpora are kept between runs. Unset,
// each run builds its corpora in os.TempDir and removes them at the end.
const corpusEnv = "SANKOFA_BENCH_CORPUS"

// corpus returns a store holding profiles newProfile(0..size-1), built on
// first use under os.TempDir (never in the repository) and kept open for
// the other sub-benchmarks of the run. With SANKOFA_BENCH_CORPUS set to a
// directory, a corpus completed by an earlier run is reopened instead.
func corpus(b *testing.B, size int) *store.Store {
	b.Helper()
	corporaMu.Lock()
	c, ok := corpora[size]
	if !ok {
		c = &builtCorpus{}
		corpora[size] = c
	}
	corporaMu.Unlock()
	c.once.Do(func() { c.open(size) })
	if c.err != nil {
		b.Fatalf("corpus of %d profiles: %v", size, c.err)
	}
	return c.s
}

// logCorpus logs, in the first sub-benchmark to ask, how the corpus of
// size was obtained (a parent benchmark's log is shown only with -v).
func logCorpus(b *testing.B, size int) {
	corporaMu.Lock()
	defer corporaMu.Unlock()
	if c := corpora[size]; c != nil && c.note != "" {
		b.Log(c.note)
		c.note = ""
	}
}

func (c *builtCorpus) open(size int) {
	done := ""
	if base := os.Getenv(corpusEnv); base != "" {
		c.dir, c.keep = filepath.Join(base, fmt.Sprintf("profiles-%d", size)), true
		done = filepath.Join(c.dir, "complete")
		if _, err := os.Stat(done); err == nil {
			c.s, c.err = openStore(c.dir)
			c.note = fmt.Sprintf("reused the corpus of %d profiles in %s", size, c.dir)
			return
		}
		if c.err = os.RemoveAll(c.dir); c.err != nil {
			return
		}
	} else if c.dir, c.err = os.MkdirTemp("", fmt.Sprintf("sankofa-bench-profiles-%d-*", size)); c.err != nil {
		return
	}
	start := time.Now()
	if c.s, c.err = buildCorpus(c.dir, size); c.err != nil {
		return
	}
	c.note = fmt.Sprintf("built a corpus of %d profiles through SaveProfile+Ack in %v", size, time.Since(start).Round(time.Millisecond))
	if done != "" {
		c.err = os.WriteFile(done, []byte(fmt.Sprintln(size)), 0o600)
	}
}

func openStore(dir string) (*store.Store, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	return store.Open(ctx, store.Config{DataDir: dir, Logger: slog.New(slog.DiscardHandler)})
}

// buildCorpus saves size profiles through the exported write path,
// SaveProfile then Ack, so that each document is what the API leaves
// behind (no _pending entry, no outbox marker). Writes are serialised by
// the store anyway; a few workers overlap the round trips of Ack.
func buildCorpus(dir string, size int) (*store.Store, error) {
	ctx := context.Background()
	s, err := openStore(dir)
	if err != nil {
		return nil, err
	}
	const workers = 4
	var (
		wg      sync.WaitGroup
		errOnce sync.Once
		first   error
		failed  atomic.Bool
		next    = make(chan int)
	)
	for range workers {
		wg.Go(func() {
			for i := range next {
				p := newProfile(i)
				ev, err := sankofa.NewEvent("profile", "created", p.ID, 1, p.AccountID, p.CreatedAt, p)
				if err == nil {
					var pe sankofa.PendingEvent
					if pe, err = s.SaveProfile(ctx, p, ev); err == nil {
						err = s.Ack(ctx, pe)
					}
				}
				if err != nil {
					errOnce.Do(func() { first = fmt.Errorf("profile %d: %w", i, err) })
					failed.Store(true)
				}
			}
		})
	}
	for i := range size {
		if failed.Load() {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	if first != nil {
		s.Close(ctx)
		return nil, first
	}
	return s, nil
}

// dropCorpora closes the stores and removes their directories (unless
// kept by SANKOFA_BENCH_CORPUS) when BenchmarkProfiles ends; with -count N
// each count opens or builds them again.
func dropCorpora() {
	corporaMu.Lock()
	defer corporaMu.Unlock()
	for size, c := range corpora {
		if c.s != nil {
			c.s.Close(context.Background())
		}
		if c.dir != "" && !c.keep {
			os.RemoveAll(c.dir)
		}
		delete(corpora, size)
	}
}
