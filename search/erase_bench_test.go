package search

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"testing"
)

// BenchmarkEraseAccount measures an erasure's index part (EraseAccount:
// the person's documents deleted, then the accounts and profiles indexes
// force-merged until no segment keeps them), on the match benchmarks'
// corpus built into a fresh index. Each op erases the next profile. It
// reports the index size and how long index writes waited.
//
//	go test ./search -run '^$' -bench 'EraseAccount' -short -benchtime 3x -timeout 30m
//	go test ./search -run '^$' -bench 'EraseAccount/size=1000000' -benchtime 2x -timeout 60m
func BenchmarkEraseAccount(b *testing.B) {
	for _, size := range mbSizes() {
		b.Run(fmt.Sprintf("size=%d", size), func(b *testing.B) {
			c := mbGenerate(b, size)
			dir := filepath.Join(mbRoot(), fmt.Sprintf("erase-%d-size=%d", os.Getpid(), size))
			defer os.RemoveAll(dir)
			ix, took, err := mbBuild(dir, c)
			if err != nil {
				b.Fatal(err)
			}
			defer ix.Close()
			segs, _ := mbSettle(ix)
			b.Logf("built %d profiles in %v; %d file segments, profile index %.0f MB",
				size, took.Round(time.Second), segs, mbDirMB(filepath.Join(dir, "profiles")))
			ctx := context.Background()
			i := 0
			var worst time.Duration
			for b.Loop() {
				p := &c.Profiles[i*7919%len(c.Profiles)]
				i++
				start := time.Now()
				if err := ix.EraseAccount(ctx, p.AccountID, p.ID); err != nil {
					b.Fatal(err)
				}
				worst = max(worst, time.Since(start))
			}
			b.ReportMetric(mbDirMB(filepath.Join(dir, "profiles")), "index-MB")
			b.ReportMetric(worst.Seconds(), "s-max")
		})
	}
}
