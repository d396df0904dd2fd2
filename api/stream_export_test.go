package api

import "time"

// SetStreamCheck lets tests shorten how often a stream re-reads its
// account and checks its token; it returns the old value. Restore it in a
// t.Cleanup registered before the env, so that it runs after the server
// has stopped.
func SetStreamCheck(d time.Duration) time.Duration {
	old := streamCheck
	streamCheck = d
	return old
}
