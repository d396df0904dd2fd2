//go:build chaos

package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"sankofa"
	"sankofa/notifier"
)

// chaosHandler makes a consumer panic on chosen events, for the journey
// tests (journey/). It is compiled only with the chaos build tag, so a
// release binary cannot be made to panic by its environment.
//
// SANKOFA_CHAOS_PANIC lists comma-separated rules
// "consumer:subject[:times[:then]]". The handler of that consumer panics on
// every event of that subject, at most times times per event (every time
// when times is absent or -1). After that it runs the real handler
// ("then" absent or "ok"), or gives up with a permanent error ("fail"),
// which sends the event to the dead-letter stream at once. Each panic
// writes one "chaos: panic" line to stderr, so a test can count the
// deliveries.
func chaosHandler(durable string, h notifier.Handler) notifier.Handler {
	type rule struct {
		times int
		fail  bool
	}
	rules := map[string]rule{} // by subject
	for _, spec := range strings.Split(os.Getenv("SANKOFA_CHAOS_PANIC"), ",") {
		f := strings.Split(strings.TrimSpace(spec), ":")
		if len(f) < 2 || f[0] != durable {
			continue
		}
		r := rule{times: -1}
		if len(f) > 2 {
			if n, err := strconv.Atoi(f[2]); err == nil {
				r.times = n
			}
		}
		r.fail = len(f) > 3 && f[3] == "fail"
		rules[f[1]] = r
	}
	if len(rules) == 0 {
		return h
	}
	var mu sync.Mutex
	seen := map[string]int{} // panics by event id
	return func(ctx context.Context, ev sankofa.Event) error {
		r, ok := rules[ev.Subject]
		if !ok {
			return h(ctx, ev)
		}
		mu.Lock()
		n := seen[ev.ID]
		if r.times < 0 || n < r.times {
			seen[ev.ID] = n + 1
		}
		mu.Unlock()
		if r.times < 0 || n < r.times {
			fmt.Fprintf(os.Stderr, "chaos: panic consumer=%s subject=%s event=%s n=%d\n", durable, ev.Subject, ev.ID, n+1)
			panic(fmt.Sprintf("chaos: injected panic in %s on %s", durable, ev.ID))
		}
		if r.fail {
			fmt.Fprintf(os.Stderr, "chaos: give up consumer=%s subject=%s event=%s\n", durable, ev.Subject, ev.ID)
			return fmt.Errorf("chaos: giving up on %s after %d panics: %w", ev.ID, n, notifier.ErrPermanent)
		}
		fmt.Fprintf(os.Stderr, "chaos: handled consumer=%s subject=%s event=%s\n", durable, ev.Subject, ev.ID)
		return h(ctx, ev)
	}
}

// chaosClock returns the clock moved forward by SANKOFA_CHAOS_CLOCK_OFFSET
// (a duration such as 1h), so that a journey can make an offer expire an
// hour early by restarting the server; nil (time.Now) when it is unset.
func chaosClock() func() time.Time {
	d, err := time.ParseDuration(os.Getenv("SANKOFA_CHAOS_CLOCK_OFFSET"))
	if err != nil || d == 0 {
		return nil
	}
	return func() time.Time { return time.Now().Add(d) }
}
