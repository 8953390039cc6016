#!/bin/sh
# A program that ends while no daemon runs (CTest: build/vmssim -- sh THIS BINDIR): the
# daemon is killed, its program ends with SS$_ABORT meanwhile, and the next daemon reports
# that exit with its real final status, read from the permanent termination mailbox
# (POSIX can only say "status unknown").  Every wait is for a condition, with a limit.
set -u
bin=$1
dir=$(mktemp -d)
daemon=
finish() {
  status=$?
  [ -n "$daemon" ] && kill "$daemon" 2>/dev/null
  rm -rf "$dir"
  exit $status
}
trap finish EXIT

fail() {
  echo "FAIL: $*"
  echo "--- daemon output"; cat "$dir/daemon.out" 2>/dev/null
  echo "--- activity log"; cat "$dir/supervisord.log" 2>/dev/null
  exit 1
}

# Runs until the file "go" appears, then ends with SS$_ABORT (44).
printf 'while [ ! -e %s/go ]; do sleep 0.1; done\nexit 44\n' "$dir" > "$dir/waiter.com"
cat > "$dir/supervisord.conf" <<CONF
[supervisord]
nodaemon = true
logfile = $dir/supervisord.log

[program:waiter]
command = $dir/waiter.com
user = SYSTEM
startsecs = 1
autorestart = false
CONF

ctl() {
  "$bin/supervisor" -c "$dir/supervisord.conf" "$@" 2>&1
}

# Waits up to 60 s until `status waiter` shows $1.
wait_status() {
  i=0
  while [ $i -lt 600 ]; do
    out=$(ctl status waiter)
    case "$out" in *"$1"*) return 0 ;; esac
    i=$((i + 1))
    sleep 0.1
  done
  fail "status waiter never showed $1; last: $out"
}

"$bin/supervisord" -n -c "$dir/supervisord.conf" > "$dir/daemon.out" 2>&1 &
daemon=$!
wait_status RUNNING
# The daemon dies without a word; the program runs on, then ends.
kill -9 "$daemon"
wait "$daemon" 2>/dev/null
daemon=
: > "$dir/go"
# Gone before the next daemon starts, so that its exit can only come from the mailbox
# (the simulated process is the shell running the procedure).
i=0
while pgrep -f "$dir/waiter.com" > /dev/null; do
  i=$((i + 1))
  [ $i -lt 600 ] || fail "the program did not end"
  sleep 0.1
done

"$bin/supervisord" -n -c "$dir/supervisord.conf" >> "$dir/daemon.out" 2>&1 &
daemon=$!
wait_status EXITED
i=0
until grep -q "waiter: exited, %SYSTEM-F-ABORT" "$dir/supervisord.log"; do
  i=$((i + 1))
  [ $i -lt 600 ] || fail "the exit during the downtime was not reported with SS\$_ABORT"
  sleep 0.1
done
out=$(ctl shutdown)
echo "PASS"
