package api_test

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"testing"
	"time"

	"sankofa"
	"sankofa/matcher"
	"sankofa/search"
)

// BenchmarkWriteToSearchable measures, through the full server on the
// embedded default, how long after an acknowledged write an assignment is
// listed: on the writing replica (the index is updated before the
// response, so it is listed as soon as the response arrives) and on
// another replica that follows the JetStream events.
//
//	go test ./api -run '^$' -bench WriteToSearchable -benchtime 200x
func BenchmarkWriteToSearchable(b *testing.B) {
	e := newEnv(b)
	other, err := search.Open(b.TempDir(), matcher.New(matcher.Default()))
	if err != nil {
		b.Fatal(err)
	}
	defer other.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go e.Bus.Consume(ctx, "indexer-bench", other.Apply)
	_, gh := e.Ministry(b, "GH", false)
	var same, remote []time.Duration
	b.ReportAllocs()
	for b.Loop() {
		in := e.assignmentInput()
		in.Title = fmt.Sprintf("Bench %d", len(same))
		start := time.Now()
		var a sankofa.Assignment
		e.must(b, 201, req{Method: "POST", Path: "/v1/assignments", Token: gh, Body: in}).JSON(b, &a)
		page, err := e.Index.Assignments(ctx, sankofa.AssignmentFilter{All: true, Limit: 1})
		if err != nil || !slices.Contains(page.IDs, a.ID) {
			b.Fatalf("not searchable on the writing replica right after the response: %v", err)
		}
		same = append(same, time.Since(start))
		for {
			page, err := other.Assignments(ctx, sankofa.AssignmentFilter{All: true, Limit: 1})
			if err == nil && slices.Contains(page.IDs, a.ID) {
				break
			}
			if time.Since(start) > 30*time.Second {
				b.Fatal("never reached the other replica")
			}
			time.Sleep(time.Millisecond)
		}
		remote = append(remote, time.Since(start))
	}
	report(b, "same", same)
	report(b, "other", remote)
}

func report(b *testing.B, name string, d []time.Duration) {
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	at := func(q float64) float64 { return float64(d[int(q*float64(len(d)-1))]) / 1e6 }
	b.ReportMetric(at(0.5), name+"-p50-ms")
	b.ReportMetric(at(0.99), name+"-p99-ms")
}
