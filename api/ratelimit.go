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
//
// An attempt reserves its place before the password is hashed: attempts in
// flight count as failures until they end, so a burst of parallel guesses
// gets no more tries than the same guesses one after another.
type loginLimiter struct {
	mu      sync.Mutex
	free    int
	ceiling time.Duration
	entries map[string]*limitEntry
	now     func() time.Time
}

type limitEntry struct {
	failures int
	inflight int
	until    time.Time
	last     time.Time
}

// limitKey is one key of an attempt with its number of free failures.
type limitKey struct {
	name string
	free int
}

func newLoginLimiter(free int, ceiling time.Duration, now func() time.Time) *loginLimiter {
	return &loginLimiter{free: free, ceiling: ceiling, entries: map[string]*limitEntry{}, now: now}
}

// account is the key of an account, by its normalized e-mail address.
func (l *loginLimiter) account(email string) limitKey {
	return limitKey{name: "acct:" + email, free: l.free}
}

// address is the key of a client address, which may be shared by many
// people (an office, a carrier's NAT), so it gets four times the failures.
func (l *loginLimiter) address(ip string) limitKey {
	return limitKey{name: "ip:" + ip, free: 4 * l.free}
}

// reserve admits an attempt for every key at once, or none: it returns how
// long to wait when one key must wait. An admitted attempt must be ended
// with end.
func (l *loginLimiter) reserve(keys ...limitKey) (wait time.Duration, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	for _, k := range keys {
		e := l.entries[k.name]
		if e == nil {
			continue
		}
		if d := e.until.Sub(now); d > 0 {
			wait = max(wait, d)
			continue
		}
		// Within the free failures, as many attempts as are left run at
		// once; past them, one at a time.
		if e.failures+e.inflight >= k.free && e.inflight > 0 {
			wait = max(wait, time.Second)
		}
	}
	if wait > 0 {
		return wait, false
	}
	l.sweep(now)
	for _, k := range keys {
		e := l.entries[k.name]
		if e == nil {
			e = &limitEntry{}
			l.entries[k.name] = e
		}
		e.inflight++
		e.last = now
	}
	return 0, true
}

// outcome is how an admitted attempt ended.
type outcome int

const (
	attemptFailed    outcome = iota // a wrong password: counted
	attemptSucceeded                // the right password: clears the first key
	attemptAborted                  // no answer (an error): not counted
)

// end records how an attempt admitted by reserve with the same keys ended.
func (l *loginLimiter) end(o outcome, keys ...limitKey) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	for i, k := range keys {
		e := l.entries[k.name]
		if e == nil {
			continue
		}
		e.inflight = max(0, e.inflight-1)
		e.last = now
		switch {
		case o == attemptFailed:
			e.failures++
			if over := e.failures - k.free; over > 0 {
				d := time.Duration(math.Min(float64(time.Second)*math.Pow(2, float64(min(over-1, 30))), float64(l.ceiling)))
				e.until = now.Add(d)
			}
		case o == attemptSucceeded && i == 0:
			e.failures, e.until = 0, time.Time{}
		}
		if e.failures == 0 && e.inflight == 0 {
			delete(l.entries, k.name)
		}
	}
}

// sweep forgets keys quiet for an hour, so memory stays bounded.
func (l *loginLimiter) sweep(now time.Time) {
	if len(l.entries) < 10000 {
		return
	}
	for k, e := range l.entries {
		if e.inflight == 0 && now.Sub(e.last) > time.Hour && now.After(e.until) {
			delete(l.entries, k)
		}
	}
}
