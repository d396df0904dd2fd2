package api

import "time"

// SetHeartbeat lets tests shorten the stream's heartbeat; it returns the
// old value.
func SetHeartbeat(d time.Duration) time.Duration {
	old := heartbeat
	heartbeat = d
	return old
}
