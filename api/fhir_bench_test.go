package api_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"sankofa"
	"sankofa/api"
	"sankofa/fhir"
	"sankofa/matcher"
	"sankofa/search"
	"sankofa/store"
)

// BenchmarkFHIRExport measures a FHIR Bulk Data system export of size
// profiles (every one shared with GH, with two licences, three languages,
// two windows and a booking, both modes): how long it takes and the peak
// resident memory (VmHWM) of a fresh process that opens the data dir and
// runs it, which is what a small VM must hold. The corpus is built once
// through SaveProfile+Ack and the index's Bulk (the 100k corpus takes many
// minutes); SANKOFA_BENCH_CORPUS keeps it between runs. Run with:
//
//	go test ./api/ -run '^$' -bench 'BenchmarkFHIRExport/size=100000' -benchtime 1x -timeout 60m
func BenchmarkFHIRExport(b *testing.B) {
	for _, size := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprintf("size=%d", size), func(b *testing.B) {
			dir := fhirCorpus(b, size)
			var rss, lines int64
			var took time.Duration
			for b.Loop() {
				cmd := exec.Command(os.Args[0], "-test.run", "^TestFHIRExport_RSSChild$", "-test.v")
				cmd.Env = append(os.Environ(), "SANKOFA_FHIR_RSS_DIR="+dir)
				out, err := cmd.CombinedOutput()
				if err != nil {
					b.Fatalf("child: %v\n%s", err, out)
				}
				i := bytes.Index(out, []byte("FHIR-RSS "))
				if i < 0 {
					b.Fatalf("child said nothing:\n%s", out)
				}
				var d string
				if _, err := fmt.Sscanf(string(out[i:]), "FHIR-RSS vmhwm_kb=%d practitioners=%d took=%s", &rss, &lines, &d); err != nil {
					b.Fatalf("%v: %s", err, out[i:])
				}
				if took, err = time.ParseDuration(d); err != nil {
					b.Fatal(err)
				}
				if lines != int64(size) {
					b.Fatalf("%d Practitioners exported, want %d", lines, size)
				}
			}
			b.ReportMetric(float64(rss)/1024, "peak-rss-MB")
			b.ReportMetric(took.Seconds(), "export-s")
			b.ReportMetric(float64(size)/took.Seconds(), "profiles/s")
		})
	}
}

// TestFHIRExport_RSSChild runs one export for BenchmarkFHIRExport in a
// process of its own; without SANKOFA_FHIR_RSS_DIR it does nothing.
func TestFHIRExport_RSSChild(t *testing.T) {
	dir := os.Getenv("SANKOFA_FHIR_RSS_DIR")
	if dir == "" {
		t.Skip("run by BenchmarkFHIRExport")
	}
	ctx := context.Background()
	s, err := store.Open(ctx, store.Config{DataDir: dir, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	ix, err := search.Open(filepath.Join(dir, "search"), matcher.New(matcher.Default()))
	if err != nil || ix.Rebuilt {
		t.Fatalf("index: %v (rebuilt %v)", err, ix != nil && ix.Rebuilt)
	}
	defer ix.Close()
	opened := vmHWM(t)
	out := t.TempDir()
	x := api.NewFHIRExports(api.FHIRExportConfig{Jobs: s, Profiles: s, Index: ix, Dir: out})
	j := &fhir.ExportJob{ID: sankofa.NewID("exp"), OwnerID: "acc_bench", Country: "GH", Types: fhir.ExportTypes, Request: "bench",
		Status: fhir.JobRunning, TransactionTime: time.Now().UTC(), Counts: map[string]int{}, Bytes: map[string]int64{}}
	if err := s.SaveExportJob(ctx, j); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := x.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	got, err := s.ExportJob(ctx, j.ID)
	if err != nil || got.Status != fhir.JobDone {
		t.Fatalf("job %+v %v", got, err)
	}
	_ = x.Cancel(ctx, j.ID)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Printf("FHIR-RSS vmhwm_kb=%d practitioners=%d took=%s opened_kb=%d heap_sys_kb=%d\n", vmHWM(t), got.Counts["Practitioner"], took, opened, ms.HeapSys/1024)
}

// vmHWM is this process's peak resident set, in kB (Linux).
func vmHWM(t *testing.T) int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		t.Skip("no /proc: ", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n
		}
	}
	t.Fatal("no VmHWM")
	return 0
}

var fhirCorpora sync.Map // size -> dir

// fhirCorpus returns a data dir holding size exportable profiles, built on
// first use (under SANKOFA_BENCH_CORPUS when set, kept; else in a
// temporary dir).
func fhirCorpus(b *testing.B, size int) string {
	b.Helper()
	if d, ok := fhirCorpora.Load(size); ok {
		return d.(string)
	}
	var dir string
	if root := os.Getenv("SANKOFA_BENCH_CORPUS"); root != "" {
		dir = filepath.Join(root, fmt.Sprintf("fhir-%d", size))
		if _, err := os.Stat(filepath.Join(dir, "complete")); err == nil {
			fhirCorpora.Store(size, dir)
			return dir
		}
		_ = os.RemoveAll(dir)
	} else {
		var err error
		if dir, err = os.MkdirTemp("", "sankofa-bench-fhir-*"); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { os.RemoveAll(dir) })
	}
	start := time.Now()
	if err := buildFHIRCorpus(dir, size); err != nil {
		b.Fatal(err)
	}
	b.Logf("built a corpus of %d profiles in %v", size, time.Since(start).Round(time.Second))
	if err := os.WriteFile(filepath.Join(dir, "complete"), nil, 0o600); err != nil {
		b.Fatal(err)
	}
	fhirCorpora.Store(size, dir)
	return dir
}

// benchProfile is a full profile, of the size a real one has.
func benchProfile(i int) *sankofa.Profile {
	now := time.Now().UTC().Truncate(time.Millisecond)
	at := now.Add(-time.Hour)
	d := func(n int) sankofa.Date { return sankofa.DateOf(now.AddDate(0, 0, n)) }
	p := &sankofa.Profile{
		ID: sankofa.ProfileIDFor(fmt.Sprintf("acc_%08d", i)), AccountID: fmt.Sprintf("acc_%08d", i),
		ProfileInput: sankofa.ProfileInput{
			FullName: fmt.Sprintf("Ama Mensah %d", i), Profession: "2222", Specialties: []string{"obstetrics", "neonatal care"},
			Skills:        []string{"caesarean section", "neonatal resuscitation", "ultrasound"},
			Languages:     []sankofa.Language{{Code: "en", Level: "C2"}, {Code: "fr", Level: "B1"}, {Code: "tw", Level: "C1"}},
			OriginCountry: "GH", ResidenceCountry: "GB", Timezone: "Europe/London", YearsExperience: i % 30,
			Citizenships: []string{"GH", "GB"}, CountryOfBirth: "GH",
			Licences: []sankofa.Licence{
				{ID: "lic_a", Country: "GB", Body: "Nursing and Midwifery Council", Number: fmt.Sprintf("12A%05dE", i), Expires: d(700),
					Verification: &sankofa.Verification{Status: sankofa.VerificationValidated, Method: sankofa.MethodPrimarySource, Source: "NMC register", VerifiedAt: &at}},
				{ID: "lic_b", Country: "GH", Body: "Nursing and Midwifery Council of Ghana", Number: fmt.Sprintf("GH-%d", i), Expires: d(400)},
			},
			Availability:        []sankofa.Window{{From: d(30), To: d(90)}, {From: d(150), To: d(200)}},
			VirtualHoursPerWeek: 4, Modes: []sankofa.Mode{sankofa.ModeOnsite, sankofa.ModeVirtual},
			ShareWith: []string{"GH"}, Bio: strings.Repeat("Midwife in Leeds. ", 20),
			Contact: &sankofa.Contact{Email: fmt.Sprintf("ama%d@example.org", i), Phone: "+447700900123"},
		},
		Commitments: []sankofa.Commitment{{OfferID: "off_x", AssignmentID: "asg_x", Terms: sankofa.OfferTerms{Mode: sankofa.ModeOnsite, Start: d(40), End: d(60)}}},
		Version:     1, CreatedAt: now, UpdatedAt: now,
	}
	p.Completeness = p.Score()
	return p
}

// buildFHIRCorpus saves size profiles through SaveProfile+Ack and indexes
// them with the index's Bulk, as a rebuild does.
func buildFHIRCorpus(dir string, size int) error {
	ctx := context.Background()
	s, err := store.Open(ctx, store.Config{DataDir: dir, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return err
	}
	defer s.Close(ctx)
	ix, err := search.Open(filepath.Join(dir, "search"), matcher.New(matcher.Default()))
	if err != nil {
		return err
	}
	defer ix.Close()
	bulk := ix.NewBulk()
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
		next  = make(chan int)
	)
	for range 4 {
		wg.Go(func() {
			for i := range next {
				p := benchProfile(i)
				ev, err := sankofa.NewEvent("profile", "created", p.ID, 1, p.AccountID, p.CreatedAt, p)
				if err == nil {
					var pe sankofa.PendingEvent
					if pe, err = s.SaveProfile(ctx, p, ev); err == nil {
						err = s.Ack(ctx, pe)
					}
				}
				mu.Lock()
				if err == nil {
					err = bulk.AddProfile(p, true)
				}
				if err != nil && first == nil {
					first = fmt.Errorf("profile %d: %w", i, err)
				}
				mu.Unlock()
			}
		})
	}
	for i := range size {
		next <- i
	}
	close(next)
	wg.Wait()
	if first != nil {
		return first
	}
	if err := bulk.Flush(); err != nil {
		return err
	}
	return ix.Built()
}
