package api

import (
	"math"
	"sync"
	"time"
)

// loginLimiter slows down password guessing. After `free` failures for a
// key (an account or an IP address) each further attempt must wait, twice
// as long each time up to `ceiling`; a success clears the account's count.
// Nothing is locked for good: waits end, and counts are forgotten after a
// quiet hour.
type loginLimiter struct {
	mu      sync.Mutex
	free    int
	ceiling time.Duration
	entries map[string]*limitEntry
	now     func() time.Time
}

type limitEntry struct {
	failures int
	until    time.Time
	last     time.Time
}

func newLoginLimiter(free int, ceiling time.Duration, now func() time.Time) *loginLimiter {
	return &loginLimiter{free: free, ceiling: ceiling, entries: map[string]*limitEntry{}, now: now}
}

// wait returns how long key must still wait before another attempt.
func (l *loginLimiter) wait(key string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	e, ok := l.entries[key]
	if !ok {
		return 0
	}
	return max(0, e.until.Sub(l.now()))
}

// fail records a failed attempt for key.
func (l *loginLimiter) fail(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.sweep(now)
	e, ok := l.entries[key]
	if !ok {
		e = &limitEntry{}
		l.entries[key] = e
	}
	e.failures++
	e.last = now
	if over := e.failures - l.free; over > 0 {
		d := time.Duration(math.Min(float64(time.Second)*math.Pow(2, float64(over-1)), float64(l.ceiling)))
		e.until = now.Add(d)
	}
}

// succeed forgets key's failures.
func (l *loginLimiter) succeed(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.entries, key)
}

// sweep forgets keys quiet for an hour, so memory stays bounded.
func (l *loginLimiter) sweep(now time.Time) {
	if len(l.entries) < 10000 {
		return
	}
	for k, e := range l.entries {
		if now.Sub(e.last) > time.Hour && now.After(e.until) {
			delete(l.entries, k)
		}
	}
}
