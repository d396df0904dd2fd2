//go:build !chaos

package main

import "sankofa/notifier"

// chaosHandler returns h unchanged: fault injection exists only in binaries
// built with the chaos tag (see chaos_hook.go).
func chaosHandler(_ string, h notifier.Handler) notifier.Handler { return h }
