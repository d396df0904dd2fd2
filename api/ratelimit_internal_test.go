package api

import (
	"sync"
	"testing"
	"time"
)

// TestLoginLimiter_ReserveBeforeHashing runs 100 attempts that reserve at
// once and all fail: no more are admitted than one after another would be.
func TestLoginLimiter_ReserveBeforeHashing(t *testing.T) {
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	l := newLoginLimiter(5, 15*time.Minute, func() time.Time { return now })
	keys := []limitKey{l.account("ama@example.org"), l.address("192.0.2.1")}
	var (
		mu       sync.Mutex
		admitted int
		start    = make(chan struct{})
		reserved sync.WaitGroup
		wg       sync.WaitGroup
	)
	release := make(chan struct{})
	reserved.Add(100)
	for range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, ok := l.reserve(keys...)
			reserved.Done()
			if !ok {
				return
			}
			mu.Lock()
			admitted++
			mu.Unlock()
			<-release // every attempt is still "hashing" while the others reserve
			l.end(attemptFailed, keys...)
		}()
	}
	close(start)
	reserved.Wait()
	close(release)
	wg.Wait()
	if admitted != 5 {
		t.Fatalf("%d attempts admitted at once, want the 5 free ones", admitted)
	}
	// One more is admitted now (as the 6th sequential attempt would be);
	// once it fails, the back-off holds every other.
	if _, ok := l.reserve(keys...); !ok {
		t.Fatal("the 6th attempt must be checked")
	}
	if _, ok := l.reserve(keys...); ok {
		t.Fatal("a 7th attempt must not run while the 6th is in flight")
	}
	l.end(attemptFailed, keys...)
	if wait, ok := l.reserve(keys...); ok || wait <= 0 {
		t.Fatalf("after 6 failures: admitted %v, wait %v", ok, wait)
	}
}

func TestLoginLimiter_AbortedNotCounted(t *testing.T) {
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	l := newLoginLimiter(1, 15*time.Minute, func() time.Time { return now })
	k := l.account("ama@example.org")
	for range 10 {
		if _, ok := l.reserve(k); !ok {
			t.Fatal("an aborted attempt must not count")
		}
		l.end(attemptAborted, k)
	}
	if len(l.entries) != 0 {
		t.Errorf("%d entries left after aborted attempts", len(l.entries))
	}
}
