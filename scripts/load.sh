#!/usr/bin/env bash
# Bounded, loopback-only load test of the sankofa binary on the embedded
# store (FerretDB + SQLite, embedded NATS, Bleve).
#
#   scripts/load.sh [duration] [workers]      # defaults: 20s, 8
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

export SANKOFA_ADDR="127.0.0.1:$port"
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

echo "== load: $duration, $workers workers"
# loadgen bounds itself (-duration at most 5m, set-up included); timeout is
# a second guard.
timeout 10m "$data/loadgen" -base "http://$SANKOFA_ADDR" -duration "$duration" -workers "$workers" \
	-pro-email "$pro" -ministry-email "$ministry"

if grep -q 'level=ERROR' "$data/serve.log"; then
	echo "== server errors"
	grep 'level=ERROR' "$data/serve.log" | head -20
fi
