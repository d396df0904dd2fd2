package search_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"sankofa"
)

// The corpus sizes of the list benchmarks.
var benchSizes = []int{1_000, 10_000, 100_000}

// benchCountries, benchProfessions and benchMinistries spread the corpora
// over realistic numbers of distinct filter values.
var (
	benchCountries   = []string{"GH", "NG", "SN", "CI", "KE", "UG", "TZ", "RW", "CM", "ET"}
	benchProfessions = []string{"2211", "2212", "2221", "2222", "2261", "2262", "2264", "3221"}
	benchModes       = []sankofa.Mode{sankofa.ModeOnsite, sankofa.ModeVirtual, sankofa.ModeHybrid}
)

// BenchmarkAssignments_List measures the Bleve list behind
// GET /v1/assignments on corpora of growing size, for the first page and
// for a page reached through a cursor, with two filters:
//
//   - open: what a professional sees by default (status open), which
//     matches most of the corpus and so is the costliest sort;
//   - owner+country+profession: a ministry's view (open or its own) narrowed
//     by country and profession.
//
// Besides ns/op it reports p50-ms and p99-ms per list. Run with:
//
//	go test ./search/ -run '^$' -bench List -benchtime 500x -timeout 30m
func BenchmarkAssignments_List(b *testing.B) {
	filters := []struct {
		name string
		f    sankofa.AssignmentFilter
	}{
		{"open", sankofa.AssignmentFilter{Limit: 20}},
		{"owner+country+profession", sankofa.AssignmentFilter{OwnerID: "acc_min_10", Country: "GH", Profession: "2222", Limit: 20}},
	}
	for _, size := range benchSizes {
		b.Run(fmt.Sprintf("size=%d", size), func(b *testing.B) {
			ix := MustOpenIndex(b, b.TempDir())
			start := time.Now()
			bulk := ix.NewBulk()
			for i := range size {
				if err := bulk.AddAssignment(benchAssignment(i)); err != nil {
					b.Fatal(err)
				}
			}
			if err := bulk.Flush(); err != nil {
				b.Fatal(err)
			}
			note := fmt.Sprintf("bulk-indexed %d assignments in %v", size, time.Since(start).Round(time.Millisecond))
			for _, tc := range filters {
				list := func(ctx context.Context, f sankofa.AssignmentFilter) (sankofa.Page, error) {
					return ix.Assignments(ctx, f)
				}
				benchList(b, tc.name, note, tc.f, list, func(f *sankofa.AssignmentFilter, c string) { f.Cursor = c })
				note = ""
			}
		})
	}
}

// BenchmarkAccounts_List measures the Bleve list behind the admin's
// GET /v1/admin/accounts with role and status filters, first page and a
// page through a cursor, on corpora of growing size:
//
//   - professional+active: most accounts;
//   - ministry+pending: the approval queue, a small share.
func BenchmarkAccounts_List(b *testing.B) {
	filters := []struct {
		name string
		f    sankofa.AccountFilter
	}{
		{"professional+active", sankofa.AccountFilter{Role: sankofa.RoleProfessional, Status: sankofa.StatusActive, Limit: 20}},
		{"ministry+pending", sankofa.AccountFilter{Role: sankofa.RoleMinistry, Status: sankofa.StatusPending, Limit: 20}},
	}
	for _, size := range benchSizes {
		b.Run(fmt.Sprintf("size=%d", size), func(b *testing.B) {
			ix := MustOpenIndex(b, b.TempDir())
			start := time.Now()
			bulk := ix.NewBulk()
			for i := range size {
				if err := bulk.AddAccount(benchAccount(i)); err != nil {
					b.Fatal(err)
				}
			}
			if err := bulk.Flush(); err != nil {
				b.Fatal(err)
			}
			note := fmt.Sprintf("bulk-indexed %d accounts in %v", size, time.Since(start).Round(time.Millisecond))
			for _, tc := range filters {
				list := func(ctx context.Context, f sankofa.AccountFilter) (sankofa.Page, error) {
					return ix.Accounts(ctx, f)
				}
				benchList(b, tc.name, note, tc.f, list, func(f *sankofa.AccountFilter, c string) { f.Cursor = c })
				note = ""
			}
		})
	}
}

// benchList runs two sub-benchmarks of one filter: name/FirstPage and
// name/Cursor, the latter fetching the page that follows the middle of the
// result list. A short list that fits on one page skips Cursor. note, if
// any, is logged by the first (a parent benchmark's log shows only with
// -v). Each starts with a few untimed lists, to warm caches and let
// Bleve's background merging after the bulk load make progress.
func benchList[F any](b *testing.B, name, note string, f F,
	list func(context.Context, F) (sankofa.Page, error), withCursor func(*F, string)) {
	ctx := context.Background()
	b.Run(name+"/FirstPage", func(b *testing.B) {
		if note != "" {
			b.Log(note)
		}
		warmUp(b, ctx, f, list)
		b.ReportAllocs()
		lat := make([]time.Duration, 0, 1<<16)
		var page sankofa.Page
		for b.Loop() {
			t0 := time.Now()
			p, err := list(ctx, f)
			lat = append(lat, time.Since(t0))
			if err != nil {
				b.Fatal(err)
			}
			page = p
		}
		if len(page.IDs) == 0 {
			b.Fatal("the filter matched nothing")
		}
		reportLatency(b, lat)
	})
	b.Run(name+"/Cursor", func(b *testing.B) {
		cur, depth, err := midCursor(ctx, f, list, withCursor)
		if err != nil {
			b.Fatal(err)
		}
		if cur == "" {
			b.Skip("the filter fits on one page")
		}
		g := f
		withCursor(&g, cur)
		warmUp(b, ctx, g, list)
		b.ReportAllocs()
		lat := make([]time.Duration, 0, 1<<16)
		for b.Loop() {
			t0 := time.Now()
			_, err := list(ctx, g)
			lat = append(lat, time.Since(t0))
			if err != nil {
				b.Fatal(err)
			}
		}
		reportLatency(b, lat)
		b.ReportMetric(float64(depth), "page")
	})
}

// warmUp runs a list a few times before the timed loop.
func warmUp[F any](b *testing.B, ctx context.Context, f F, list func(context.Context, F) (sankofa.Page, error)) {
	for range 20 {
		if _, err := list(ctx, f); err != nil {
			b.Fatal(err)
		}
	}
}

// midCursor pages through a filter's results, following cursors, up to the
// middle of the list, and returns the cursor found there and the number of
// the page it opens. Jumping pages with a larger limit is faster than
// walking 20 at a time through 50k hits, and yields the same kind of cursor.
func midCursor[F any](ctx context.Context, f F, list func(context.Context, F) (sankofa.Page, error),
	withCursor func(*F, string)) (string, int, error) {
	first, err := list(ctx, f)
	if err != nil || first.NextCursor == "" {
		return "", 0, err
	}
	const jump = sankofa.MaxPageSize
	cursor, seen := first.NextCursor, uint64(len(first.IDs))
	for seen+jump < first.Total/2 {
		g := f
		withCursor(&g, cursor)
		setLimit(&g, jump)
		p, err := list(ctx, g)
		if err != nil {
			return "", 0, err
		}
		if p.NextCursor == "" {
			break
		}
		cursor, seen = p.NextCursor, seen+uint64(len(p.IDs))
	}
	return cursor, int(seen/uint64(len(first.IDs))) + 1, nil
}

func setLimit(f any, n int) {
	switch f := f.(type) {
	case *sankofa.AssignmentFilter:
		f.Limit = n
	case *sankofa.AccountFilter:
		f.Limit = n
	}
}

// reportLatency adds p50-ms and p99-ms (nearest rank) to the result.
func reportLatency(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	d := slices.Clone(lat)
	slices.Sort(d)
	at := func(q float64) float64 {
		i := min(max(int(q*float64(len(d))+0.5)-1, 0), len(d)-1)
		return float64(d[i]) / float64(time.Millisecond)
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
}

// benchEpoch is when the synthetic corpora start; items are a minute
// apart, with every seventh sharing its neighbour's time so that the id
// tie-break is exercised.
var benchEpoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func benchCreated(i int) time.Time {
	return benchEpoch.Add(time.Duration(i-i%7/6) * time.Minute)
}

// benchAssignment is the i-th synthetic assignment: 60% open, 15% drafts,
// the rest filled, closed or cancelled, posted by one of 50 ministries.
func benchAssignment(i int) *sankofa.Assignment {
	status := sankofa.AssignmentOpen
	switch i % 20 {
	case 12, 13, 14:
		status = sankofa.AssignmentDraft
	case 15, 16:
		status = sankofa.AssignmentFilled
	case 17, 18:
		status = sankofa.AssignmentClosed
	case 19:
		status = sankofa.AssignmentCancelled
	}
	start := benchEpoch.AddDate(0, 0, 30+i%365)
	return &sankofa.Assignment{
		ID:         fmt.Sprintf("asg_%07d", i),
		MinistryID: fmt.Sprintf("acc_min_%d", i%50),
		Country:    benchCountries[i%len(benchCountries)],
		AssignmentInput: sankofa.AssignmentInput{
			Profession: benchProfessions[(i/3)%len(benchProfessions)],
			Mode:       benchModes[(i/7)%len(benchModes)],
			Start:      sankofa.DateOf(start),
		},
		Status:    status,
		Version:   1,
		CreatedAt: benchCreated(i),
	}
}

// benchAccount is the i-th synthetic account: 90% professionals (95% of
// them active), 9% ministries (a third of them pending), 1% admins.
func benchAccount(i int) *sankofa.Account {
	a := &sankofa.Account{
		ID:        fmt.Sprintf("acc_%07d", i),
		Role:      sankofa.RoleProfessional,
		Status:    sankofa.StatusActive,
		Country:   benchCountries[i%len(benchCountries)],
		Version:   1,
		CreatedAt: benchCreated(i),
	}
	switch {
	case i%100 == 0:
		a.Role = sankofa.RoleAdmin
	case i%100 < 10:
		a.Role = sankofa.RoleMinistry
		if i%3 == 0 {
			a.Status = sankofa.StatusPending
		}
	case i%20 == 1:
		a.Status = sankofa.StatusSuspended
	}
	return a
}
