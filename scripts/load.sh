#!/usr/bin/env bash
# Bounded, loopback-only load test of the sankofa binary on the embedded
# store (FerretDB + SQLite, embedded NATS, Bleve).
#
#   scripts/load.sh [duration] [workers] [mode]   # defaults: 20s, 8, default
#
# mode: default (GET profile, list assignments, PATCH profile as 4:4:2),
# write-heavy (the same, PATCH 80 %), read-only (the GETs alone), burst (50 assignments published at
# once, until their alerts are delivered) or storm (1,000 workers PATCH at
# once). With SANKOFA_LOAD_PROFILE=dir, the server's CPU profile over the
# run and its lock and blocking profiles (the run's share) are saved
# there, with the server binary, for `go tool pprof`.
#
# It builds the binary, seeds the demo data into a fresh temporary data
# dir (`sankofa seed` runs its own in-process server, so it runs before
# `serve`), starts `sankofa serve` on 127.0.0.1, drives it with
# scripts/loadgen for the given duration and prints per-operation counts,
# throughput and p50/p95/p99. The server is stopped and the data dir
# removed on exit, whatever happens. Nothing listens beyond 127.0.0.1.
set -euo pipefail

duration=${1:-20s}
workers=${2:-8}
mode=${3:-default}
profile_dir=${SANKOFA_LOAD_PROFILE:-}

cd "$(dirname "$0")/.."
bin=/tmp/sankofa-load
data=$(mktemp -d "${TMPDIR:-/tmp}/sankofa-load.XXXXXX")
server_pid=

cleanup() {
	local rc=$?
	if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
		kill -TERM "$server_pid" 2>/dev/null || true
		# Graceful shutdown takes at most ~20s; do not wait longer.
		for _ in $(seq 1 250); do
			kill -0 "$server_pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$server_pid" 2>/dev/null || true
		wait "$server_pid" 2>/dev/null || true
	fi
	rm -rf "$data"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "== build"
go build -o "$bin" ./cmd/sankofa
go build -o "$data/loadgen" ./scripts/loadgen

# A free loopback port: bind port 0, read what the kernel chose, release it.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null ||
	echo $((20000 + RANDOM % 20000)))

mport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null ||
	echo $((40000 + RANDOM % 20000)))

export SANKOFA_ADDR="127.0.0.1:$port"
export SANKOFA_METRICS_ADDR="127.0.0.1:$mport"
export SANKOFA_DATA_DIR="$data/data"
export SANKOFA_ADMIN_EMAIL="admin@load.example.org"
export SANKOFA_ADMIN_PASSWORD="load-admin-password-1"
export SANKOFA_LOG_LEVEL="${SANKOFA_LOG_LEVEL:-warn}"
unset SANKOFA_MONGODB_URI SANKOFA_NATS_URL

echo "== seed ($SANKOFA_DATA_DIR)"
seed_start=$(date +%s)
timeout 15m "$bin" seed | tee "$data/seed.out"
echo "seeded in $(($(date +%s) - seed_start))s"
ministry=$(awk '$1 == "ministry" {print $2}' "$data/seed.out")
pro=$(awk '$1 == "professional" {print $2}' "$data/seed.out")
if [[ -z $ministry || -z $pro ]]; then
	echo "load.sh: could not read the seeded accounts from the seed output" >&2
	exit 1
fi

echo "== serve on $SANKOFA_ADDR"
"$bin" serve >"$data/serve.log" 2>&1 &
server_pid=$!

echo "== load: $mode, $duration, $workers workers"
profiler_pid=
if [[ -n $profile_dir ]]; then
	mkdir -p "$profile_dir"
	cp "$bin" "$profile_dir/sankofa"
	# The CPU profile starts once the server answers and the workers are
	# set up (about the first 5 s of a mixed run), and covers the run's
	# remaining length.
	secs=$(( ${duration%s} > 8 ? ${duration%s} - 3 : 5 ))
	(
		for _ in $(seq 1 600); do curl -sf "http://$SANKOFA_ADDR/readyz" >/dev/null && break; sleep 0.1; done
		curl -sf "http://$SANKOFA_METRICS_ADDR/debug/pprof/mutex" -o "$profile_dir/mutex.before"
		curl -sf "http://$SANKOFA_METRICS_ADDR/debug/pprof/block" -o "$profile_dir/block.before"
		sleep 3
		curl -sf "http://$SANKOFA_METRICS_ADDR/debug/pprof/profile?seconds=$secs" -o "$profile_dir/cpu.pprof"
	) &
	profiler_pid=$!
fi
# loadgen bounds itself (-duration at most 5m, set-up included); timeout is
# a second guard.
timeout 15m "$data/loadgen" -base "http://$SANKOFA_ADDR" -metrics "http://$SANKOFA_METRICS_ADDR" \
	-mode "$mode" -duration "$duration" -workers "$workers" \
	-pro-email "$pro" -ministry-email "$ministry"
if [[ -n $profiler_pid ]]; then
	wait "$profiler_pid" || true
	curl -sf "http://$SANKOFA_METRICS_ADDR/debug/pprof/mutex" -o "$profile_dir/mutex.after"
	curl -sf "http://$SANKOFA_METRICS_ADDR/debug/pprof/block" -o "$profile_dir/block.after"
	echo "== profiles in $profile_dir: go tool pprof -top $profile_dir/sankofa $profile_dir/cpu.pprof;" \
		"waits: go tool pprof -top -diff_base $profile_dir/block.before $profile_dir/sankofa $profile_dir/block.after"
fi

if grep -q 'level=ERROR' "$data/serve.log"; then
	echo "== server errors"
	grep 'level=ERROR' "$data/serve.log" | head -20
fi
