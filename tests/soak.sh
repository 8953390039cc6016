#!/usr/bin/env bash
# The fault soak: runs the fault tests (FaultEnv, FaultLoad, FaultStorm: real daemons
# killed, starved and fed garbage) N times in a row and stops at the first failure,
# printing the seed to replay it (SUP_FAULT_SEED=...).  CI runs them once, through ctest;
# this is for a machine that can spare the time:
#   N=50 tests/soak.sh            (after ./dev.sh test has built build/)
#   N=5 BUILD=build-asan tests/soak.sh
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-50}
BUILD=${BUILD:-build}
FILTER=${FILTER:-'Fault*'}
binary="$BUILD/supervisor_tests"
if [ ! -x "$binary" ]; then
  echo "soak: $binary not built (run ./dev.sh test first)" >&2
  exit 2
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
start=$(date +%s)
for ((i = 1; i <= N; i++)); do
  if ! "$binary" --gtest_filter="$FILTER" >"$log" 2>&1; then
    grep -E 'SEED|FAILED|Failure|error' "$log" | head -40
    echo "soak: run $i of $N failed after $(($(date +%s) - start)) s (full output above is in the seed lines)" >&2
    exit 1
  fi
  echo "soak: run $i of $N passed ($(grep -c '^\[       OK' "$log") tests, $(($(date +%s) - start)) s so far)"
done
echo "soak: $N of $N runs passed"
