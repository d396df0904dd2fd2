package search_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"sankofa"
	"sankofa/disclosure"
	"sankofa/matcher"
	"sankofa/search"
)

var obsNow = time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)

// obsProfile is a worker of origin o living in r, trained in t.
func obsProfile(i int, o, r, t string) *sankofa.Profile {
	return &sankofa.Profile{ID: fmt.Sprintf("pro_%04d", i), AccountID: fmt.Sprintf("acc_%04d", i), Version: 1,
		CreatedAt: time.Date(2026, time.Month(1+i%3), 2, 0, 0, 0, 0, time.UTC),
		ProfileInput: sankofa.ProfileInput{FullName: "W " + fmt.Sprint(i), Profession: "2221", OriginCountry: o,
			ResidenceCountry: r, CountryOfTraining: t, CountryOfBirth: o, Citizenships: []string{o},
			Languages: []sankofa.Language{{Code: "en", Level: "C1"}}, Modes: []sankofa.Mode{sankofa.ModeOnsite},
			ShareWith: []string{o}, Timezone: "Europe/London",
			Availability: []sankofa.Window{{From: "2027-01-04", To: "2027-02-28"}}}}
}

func stockCounts(t *testing.T, o *search.Observatory, by ...string) map[string]int {
	t.Helper()
	tb, err := o.Stock(by, obsNow)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{"total": tb.Total.Value()}
	for i, c := range tb.Cells {
		vals := make([]string, len(tb.Dimensions))
		for j := range vals {
			vals[j] = tb.Value(i, j)
		}
		out[fmt.Sprint(vals)] = c.Count.Value()
	}
	return out
}

func TestObservatory_FromIndex(t *testing.T) {
	dir := t.TempDir()
	ix, err := search.Open(dir, matcher.New(matcher.Default()))
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Built(); err != nil {
		t.Fatal(err)
	}
	a := &sankofa.Assignment{ID: "asg_1", Country: "GH", Status: sankofa.AssignmentOpen, Version: 1,
		AssignmentInput: sankofa.AssignmentInput{Title: "ICU", Profession: "2221", Mode: sankofa.ModeHybrid,
			Start: "2026-01-05", End: "2026-03-01", Positions: 40, VirtualHoursPerWeek: 4}}
	if err := ix.IndexAssignment(a); err != nil {
		t.Fatal(err)
	}
	for i := range 27 {
		p := obsProfile(i, "GH", "GB", "GH")
		if i%2 == 0 {
			p.Languages = append(p.Languages, sankofa.Language{Code: "fr", Level: "B2"})
		}
		if i < 12 {
			p.CountryOfTraining = "GB" // nationals trained abroad
			p.Commitments = []sankofa.Commitment{{OfferID: fmt.Sprint("off_", i), AssignmentID: "asg_1",
				Terms: sankofa.OfferTerms{Mode: sankofa.ModeHybrid, Start: "2026-01-05", End: "2026-03-01"}}}
		}
		if err := ix.IndexProfile(p, true); err != nil {
			t.Fatal(err)
		}
	}
	for i := 100; i < 103; i++ {
		if err := ix.IndexProfile(obsProfile(i, "NG", "US", ""), true); err != nil {
			t.Fatal(err)
		}
	}
	if err := ix.IndexProfile(obsProfile(200, "SN", "FR", "SN"), false); err != nil { // suspended: not counted
		t.Fatal(err)
	}
	o := ix.Observatory(disclosure.DefaultRules(), 0)
	want := map[string]int{"total": 30, "[GH GB]": 25, "[NG US]": -1}
	if diff := cmp.Diff(want, stockCounts(t, o, "origin_country", "residence_country")); diff != "" {
		t.Fatalf("stock by origin and residence (-want +got):\n%s", diff)
	}
	want = map[string]int{"total": 30, "[GH]": 15, "[GB]": 10, "[ZZ]": -1}
	if diff := cmp.Diff(want, stockCounts(t, o, "country_of_training")); diff != "" {
		t.Fatalf("stock by country of training (-want +got):\n%s", diff)
	}
	// Asked in another order, the same cells with their values reordered
	// (from the table kept in the dictionary's order), in the same order.
	if diff := cmp.Diff(map[string]int{"total": 30, "[GB GH]": 25, "[US NG]": -1},
		stockCounts(t, o, "residence_country", "origin_country")); diff != "" {
		t.Fatalf("stock by residence and origin (-want +got):\n%s", diff)
	}
	fwd, _ := o.Stock([]string{"origin_country", "languages", "mode"}, obsNow)
	rev, _ := o.Stock([]string{"mode", "languages", "origin_country"}, obsNow)
	if len(fwd.Cells) == 0 || len(fwd.Cells) != len(rev.Cells) || !slices.Equal(rev.Dimensions, []string{"mode", "languages", "origin_country"}) {
		t.Fatalf("reordered table: %d cells as %v, %d cells as %v", len(fwd.Cells), fwd.Dimensions, len(rev.Cells), rev.Dimensions)
	}
	for i, c := range fwd.Cells {
		if rev.Value(i, 0) != fwd.Value(i, 2) || rev.Value(i, 1) != fwd.Value(i, 1) || rev.Value(i, 2) != fwd.Value(i, 0) || rev.Cells[i].Count != c.Count {
			t.Fatalf("cell %d: %v %v, reordered %s %s %s %v", i, c.Values, c.Count, rev.Value(i, 0), rev.Value(i, 1), rev.Value(i, 2), rev.Cells[i].Count)
		}
	}
	// Languages: a worker counts once per language.
	want = map[string]int{"total": 30, "[GH en]": 25, "[GH fr]": 15, "[NG en]": -1}
	if diff := cmp.Diff(want, stockCounts(t, o, "origin_country", "languages")); diff != "" {
		t.Fatalf("stock by origin and language (-want +got):\n%s", diff)
	}
	sd, err := o.SupplyDemand("GH", obsNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(sd.Rows) != 1 || sd.Rows[0].OpenPositions != 40 || sd.Rows[0].OpenVirtualHours != 160 ||
		sd.Rows[0].WorkersSharing.Value() != 25 || sd.Rows[0].Available3m.Value() != 25 ||
		sd.Rows[0].MissionsCompleted.Value() != 10 || sd.Rows[0].PersonDaysOnsite.Value() != 670 {
		r := sd.Rows[0]
		t.Fatalf("supply and demand in GH: %d %d %d %d %d %d", r.OpenPositions, r.OpenVirtualHours, r.WorkersSharing.Value(),
			r.Available3m.Value(), r.MissionsCompleted.Value(), r.PersonDaysOnsite.Value())
	}
	fl, err := o.Flows(true, obsNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(fl.Cells) != 1 || fl.Cells[0].Year != 2026 || fl.Cells[0].Missions.Value() != 10 || fl.Total.VirtualEngagements.Value() != 0 {
		t.Fatalf("flows: %+v", fl)
	}

	// A deletion counts at once; a reopened index reloads the same table.
	for i := range 3 {
		if err := ix.DeleteProfile(fmt.Sprintf("pro_%04d", 20+i), 2); err != nil {
			t.Fatal(err)
		}
	}
	// 24 and 3 of 27: publishing 25 of a total of 25 would pin the 3 to
	// [1, 4], so the 24 is suppressed too.
	want = map[string]int{"total": 25, "[GH]": -1, "[NG]": -1}
	if diff := cmp.Diff(want, stockCounts(t, o, "origin_country")); diff != "" {
		t.Fatalf("after deletions (-want +got):\n%s", diff)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	again := MustOpenIndex(t, dir)
	if again.Rebuilt {
		t.Fatal("the index was rebuilt")
	}
	if diff := cmp.Diff(want, stockCounts(t, again.Observatory(disclosure.DefaultRules(), 0), "origin_country")); diff != "" {
		t.Fatalf("reopened (-want +got):\n%s", diff)
	}
	sd2, err := again.Observatory(disclosure.DefaultRules(), 0).SupplyDemand("GH", obsNow)
	if err != nil {
		t.Fatal(err)
	}
	if sd2.Total.OpenPositions != 40 || sd2.Total.MissionsCompleted.Value() != 10 {
		t.Fatalf("reopened supply and demand: %+v", sd2.Total)
	}
}

// obsCorpus fills ix's observatory table with n synthetic workers, skewed
// as a diaspora is (a few large origins, many small ones), a tenth of
// them with an accepted offer, and 2,000 assignments.
func obsCorpus(ix *search.Index, n int) {
	r := rand.New(rand.NewPCG(uint64(n), 7))
	origins := []string{"GH", "NG", "SN", "CI", "KE", "UG", "TZ", "RW", "CM", "ET", "ZW", "ZM", "MW", "MZ", "AO",
		"CD", "SD", "SO", "ML", "BF", "NE", "TD", "GN", "SL", "LR", "TG", "BJ", "GA", "CG", "CV"}
	residences := []string{"GB", "US", "FR", "CA", "DE", "BE", "PT", "IE", "NL", "IT", "ES", "SE", "AU", "ZA", "AE"}
	langs := []string{"en", "fr", "pt", "ar", "sw", "ha", "yo", "am", "es", "de"}
	zo := rand.NewZipf(r, 1.2, 1, uint64(len(origins)-1))
	zr := rand.NewZipf(r, 1.1, 1, uint64(len(residences)-1))
	zp := rand.NewZipf(r, 1.3, 1, uint64(len(benchProfessions)-1))
	zl := rand.NewZipf(r, 1.5, 1, uint64(len(langs)-1))
	for i := range 2000 {
		ix.PutObservatoryAssignment(&sankofa.Assignment{ID: fmt.Sprintf("asg_%d", i), Country: origins[zo.Uint64()],
			Status: sankofa.AssignmentOpen, AssignmentInput: sankofa.AssignmentInput{Profession: benchProfessions[zp.Uint64()],
				Mode: benchModes[i%3], Positions: 1 + i%4, VirtualHoursPerWeek: 4}})
	}
	for i := range n {
		o, res := origins[zo.Uint64()], residences[zr.Uint64()]
		t := o
		if r.IntN(4) == 0 {
			t = res
		}
		p := obsProfile(i, o, res, t)
		p.Profession = benchProfessions[zp.Uint64()]
		p.CreatedAt = benchEpoch.AddDate(0, 0, r.IntN(700))
		p.Modes = [][]sankofa.Mode{{sankofa.ModeOnsite}, {sankofa.ModeVirtual}, {sankofa.ModeOnsite, sankofa.ModeVirtual}}[r.IntN(3)]
		p.VirtualHoursPerWeek = 4
		p.Languages = nil
		for _, l := range []string{langs[zl.Uint64()], langs[zl.Uint64()]} {
			if len(p.Languages) == 0 || p.Languages[0].Code != l {
				p.Languages = append(p.Languages, sankofa.Language{Code: l, Level: "C1"})
			}
		}
		if r.IntN(3) == 0 {
			p.ShareWith = append(p.ShareWith, origins[r.IntN(len(origins))])
		}
		if i%10 == 0 {
			start := benchEpoch.AddDate(0, 0, r.IntN(600))
			p.Commitments = []sankofa.Commitment{{AssignmentID: fmt.Sprintf("asg_%d", r.IntN(2000)), Terms: sankofa.OfferTerms{
				Mode: benchModes[r.IntN(3)], Start: sankofa.DateOf(start), End: sankofa.DateOf(start.AddDate(0, 0, 20+r.IntN(70)))}}}
		}
		ix.PutObservatoryProfile(p)
	}
}

// BenchmarkObservatory measures the observatory's queries on n workers:
//
//   - query/*: a request served from the current snapshot, which is what
//     nearly every request costs (the snapshot is rebuilt in the
//     background, once per refresh interval at most, when figures change);
//   - rebuild: tabulating and protecting every table after a change, which
//     a request pays only when no snapshot is fresh enough.
//
// Besides ns/op it reports p50-ms and p99-ms. Run with:
//
//	go test ./search/ -run '^$' -bench Observatory -benchtime 200x -timeout 30m
func BenchmarkObservatory(b *testing.B) {
	sizes := []int{10_000, 100_000}
	if os.Getenv("SANKOFA_BENCH_1M") != "" {
		sizes = append(sizes, 1_000_000) // minutes; see BENCHMARKS.md
	}
	for _, n := range sizes {
		ix := MustOpenIndex(b, b.TempDir())
		obsCorpus(ix, n)
		o := ix.Observatory(disclosure.DefaultRules(), time.Hour)
		reversed := slices.Clone(sankofa.StockDimensions)
		slices.Reverse(reversed)
		if _, err := o.Stock(nil, obsNow); err != nil {
			b.Fatal(err)
		}
		queries := map[string]func() error{
			"stock-total": func() error { _, err := o.Stock(nil, obsNow); return err },
			"stock-origin-residence": func() error {
				_, err := o.Stock([]string{"origin_country", "residence_country"}, obsNow)
				return err
			},
			"stock-all-dimensions": func() error { _, err := o.Stock(sankofa.StockDimensions, obsNow); return err },
			// Out of the dictionary's order: the kept table, each cell's
			// values reordered.
			"stock-all-dimensions-reordered": func() error { _, err := o.Stock(reversed, obsNow); return err },
			"supply-demand":                  func() error { _, err := o.SupplyDemand("GH", obsNow); return err },
			"flows-by-year":                  func() error { _, err := o.Flows(true, obsNow); return err },
		}
		for _, name := range []string{"stock-total", "stock-origin-residence", "stock-all-dimensions",
			"stock-all-dimensions-reordered", "supply-demand", "flows-by-year"} {
			b.Run(fmt.Sprintf("n=%d/query/%s", n, name), func(b *testing.B) {
				b.ReportAllocs()
				var lat []time.Duration
				for b.Loop() {
					t0 := time.Now()
					if err := queries[name](); err != nil {
						b.Fatal(err)
					}
					lat = append(lat, time.Since(t0))
				}
				reportLatency(b, lat)
			})
		}
		b.Run(fmt.Sprintf("n=%d/rebuild", n), func(b *testing.B) {
			b.ReportAllocs()
			fresh := ix.Observatory(disclosure.DefaultRules(), 0)
			var lat []time.Duration
			i := 0
			for b.Loop() {
				i++
				ix.PutObservatoryProfile(obsProfile(n+i, "GH", "GB", "GH")) // a change: the next query rebuilds
				t0 := time.Now()
				if _, err := fresh.Stock([]string{"origin_country"}, obsNow); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(t0))
			}
			reportLatency(b, lat)
		})
	}
}

// BenchmarkObservatory_Load measures what the observatory adds to opening
// an index: the walk of every profile's and assignment's obs doc value
// that fills its table. Run with:
//
//	go test ./search/ -run '^$' -bench Observatory_Load -benchtime 5x
func BenchmarkObservatory_Load(b *testing.B) {
	for _, n := range []int{10_000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			dir := b.TempDir()
			ix, err := search.Open(dir, matcher.New(matcher.Default()))
			if err != nil {
				b.Fatal(err)
			}
			bulk := ix.NewBulk()
			for i := range n {
				p := obsProfile(i, benchCountries[i%len(benchCountries)], "GB", "GH")
				if err := bulk.AddProfile(p, true); err != nil {
					b.Fatal(err)
				}
			}
			if err := bulk.Flush(); err != nil {
				b.Fatal(err)
			}
			if err := ix.Built(); err != nil {
				b.Fatal(err)
			}
			ix.Close()
			for b.Loop() {
				ix, err := search.Open(dir, matcher.New(matcher.Default()))
				if err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				if tb, err := ix.Observatory(disclosure.DefaultRules(), 0).Stock(nil, obsNow); err != nil || tb.Total.Value() != n {
					b.Fatalf("total %v, %v", tb.Total.Value(), err)
				}
				ix.Close()
				b.StartTimer()
			}
		})
	}
}
