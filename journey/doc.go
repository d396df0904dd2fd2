// Package journey holds no code: its tests build cmd/sankofa (with the
// chaos build tag), start it on a temp data dir and drive it over HTTP
// only, as a user and an operator would: offers accepted and raced, the
// process killed mid-burst, NATS restarted under load, a webhook receiver
// down, a consumer panicking. Each journey ends with the invariants read
// through the API and `sankofa check`.
//
//	go test -count=1 -v ./journey/
package journey
