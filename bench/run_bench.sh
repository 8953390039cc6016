#!/usr/bin/env bash
# The benchmark of the README's Performance section, in one command:
#   bench/run_bench.sh
# builds a release build in build-release/ (-DCMAKE_BUILD_TYPE=Release -DSUP_TESTS=OFF
# -DSUP_BENCH=ON), then measures supervisord and its two floors (bench/spawn_floor: the
# daemon's spawn method, and posix_spawn) for N = 10, 100, 500, 2000 and 10000 programs,
# prints the table and writes build-release/bench.json (the table also goes to
# build-release/bench.txt).  10-20 minutes with the defaults on 2 CPUs: the 30 s idle
# windows (2 per N) and the launches at N=10000.
#
# Environment overrides, for quick runs:
#   BENCH_N="10 100"        the program counts (default "10 100 500 2000 10000")
#   BENCH_IDLE_SECS=5       the idle window per process (default 30)
#   BENCH_LAUNCHES=3        launches per process and N (median reported)
#   BENCH_RESTARTS=100      kill -9 samples per process and N
#   BENCH_STATUS=20         `status` runs per kind and N
#   BENCH_TABLE_ROOT=/tmp   where the SUPERVISORD_TABLE directories go (default /dev/shm,
#                           a tmpfs, as /run would be; see README.md, "Performance")
#   BENCH_NICE=0            do not raise the benchmark's priority (default: nice -20 when
#                           root, so that a busy machine disturbs the figures less)
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=build-release
N_LIST=${BENCH_N:-"10 100 500 2000 10000"}
IDLE=${BENCH_IDLE_SECS:-30}

install_missing() {
  local missing=() p
  for p in strace cmake make g++ pkg-config libboost-dev libinih-dev libfmt-dev; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  echo "run_bench.sh: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

if command -v dpkg-query >/dev/null; then install_missing; fi
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DSUP_TESTS=OFF -DSUP_BENCH=ON >/dev/null
cmake --build "$BUILD" -j"$(nproc)" --target bench_driver

# One pidfd per program in the daemon (and in the floor), and a report socket per child
# until it execs: 10000 programs need far more than the usual soft limit of 1024.  The driver raises the soft limit to the hard one too.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

prio=()
if [ "${BENCH_NICE:-1}" != 0 ] && [ "$(id -u)" -eq 0 ]; then prio=(nice -n -20); fi

args=(--bin "$BUILD" --out "$BUILD/bench.json" --n "$N_LIST" --idle "$IDLE"
      --table-root "${BENCH_TABLE_ROOT:-/dev/shm}")
[ -n "${BENCH_LAUNCHES:-}" ] && args+=(--launches "$BENCH_LAUNCHES")
[ -n "${BENCH_RESTARTS:-}" ] && args+=(--restarts "$BENCH_RESTARTS")
[ -n "${BENCH_STATUS:-}" ] && args+=(--status "$BENCH_STATUS")

# The driver cleans up after itself (even on Ctrl-C) and fails if a sleep it started
# survives; its stdout is the table.
"${prio[@]}" "$BUILD/bench_driver" "${args[@]}" | tee "$BUILD/bench.txt"
exit "${PIPESTATUS[0]}"
