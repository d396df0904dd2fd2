//go:build !chaos

package main

import (
	"time"

	"sankofa/notifier"
)

// chaosHandler returns h unchanged: fault injection exists only in binaries
// built with the chaos tag (see chaos_hook.go).
func chaosHandler(_ string, h notifier.Handler) notifier.Handler { return h }

// chaosClock returns nil, which means time.Now: only the chaos build can
// move the clock.
func chaosClock() func() time.Time { return nil }
