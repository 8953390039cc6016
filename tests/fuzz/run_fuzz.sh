#!/usr/bin/env bash
# Builds the libFuzzer targets (in the clang sanitizer build, build-asan/, the same one
# ./dev.sh test uses) and runs each one.
#   tests/fuzz/run_fuzz.sh smoke        each target for a short bounded time (CI)
#   tests/fuzz/run_fuzz.sh long [SECS]  each target for SECS seconds (default 600)
#   tests/fuzz/run_fuzz.sh TARGET SECS  one target
# Crashes are written to $B/crashes/; add each to the target's corpus directory
# (tests/fuzz/<name>/) once fixed, so it stays a regression test.
# Every run also seeds the cld, hlp, msg and config targets with the real files of
# $SUP_CORPUS_DIR (default ../shared/corpus, see tests/corpus_test.cpp) when it exists, so
# that the fuzzers start from real input rather than only from our own tidy files.
set -euo pipefail
cd "$(dirname "$0")/../.."
mode=${1:-smoke}
secs=${2:-}
case "$mode" in
  smoke) secs=${secs:-10} ;;
  long) secs=${secs:-600} ;;
  *) secs=${secs:-60} ;;
esac
B=build-asan
if [ ! -f $B/CMakeCache.txt ]; then
  CC=clang CXX=clang++ cmake -S . -B $B -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSUP_SANITIZE=ON \
    -DSUP_FUZZ=ON >/dev/null
fi
cmake --build $B -j"$(nproc)" --target fuzz_all
mkdir -p $B/crashes $B/fuzzwork
corpus=${SUP_CORPUS_DIR:-../shared/corpus}
# The real files matching a target, as a seed directory ("" when there are none).
real_seeds() {
  local name=$1 dir
  case "$name" in
    cld | msg) dir=$corpus/$name ;;
    config) dir=$corpus/conf ;;
    hlp)
      # The hlp target reads a HELP request on the first line, then the library.
      [ -d "$corpus/hlp" ] || return 0
      dir=$B/fuzzseeds/hlp
      mkdir -p "$dir"
      for f in "$corpus"/hlp/*; do
        { printf '* ...\n'; cat "$f"; } >"$dir/$(basename "$f")"
      done
      ;;
    *) return 0 ;;
  esac
  [ -d "$dir" ] && echo "$dir"
  return 0
}
for exe in $B/fuzz_*; do
  name=$(basename "$exe")
  name=${name#fuzz_}
  case "$mode" in smoke|long) ;; *) [ "$name" = "$mode" ] || continue ;; esac
  work=$B/fuzzwork/$name
  mkdir -p "$work"
  seeds=$(real_seeds "$name")
  echo "fuzz: $name for ${secs}s${seeds:+ (seeded with $seeds)}"
  # shellcheck disable=SC2086  # $seeds is one directory or nothing
  "$exe" -max_total_time="$secs" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix=$B/crashes/"$name"- -print_final_stats=0 \
    "$work" "tests/fuzz/$name" $seeds 2>$B/fuzzwork/"$name".log || {
      tail -40 $B/fuzzwork/"$name".log
      echo "fuzz: $name FAILED (artifacts in $B/crashes/)"
      exit 1
    }
  # Every corpus file must still pass (the regression part).
  "$exe" -runs=0 "tests/fuzz/$name" >/dev/null 2>&1
done
echo "fuzz: all targets ran clean"
