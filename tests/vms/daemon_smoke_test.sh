#!/bin/sh
# The OpenVMS daemon and client, run as processes of a simulated OpenVMS system
# (CTest: build/vmssim -- sh THIS BINDIR): the daemon starts on a small configuration,
# its one program runs ($CREPRC of LOGINOUT with a command procedure), `stop` ends it
# ($FORCEX, the termination message), `status` says so, `shutdown` ends the daemon.
# Every wait is for a condition, with a generous limit.
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

# The program: the LOGINOUT shim runs its SYS$INPUT as a shell script.
printf 'sleep 300\n' > "$dir/sleeper.com"
cat > "$dir/supervisord.conf" <<CONF
[supervisord]
nodaemon = true
logfile = $dir/supervisord.log

[program:sleeper]
command = $dir/sleeper.com
user = SYSTEM
startsecs = 1
stopwaitsecs = 5
CONF

ctl() {
  "$bin/supervisor" -c "$dir/supervisord.conf" "$@" 2>&1
}

# Waits up to 60 s until `status sleeper` shows $1.
wait_status() {
  i=0
  while [ $i -lt 600 ]; do
    out=$(ctl status sleeper)
    case "$out" in *"$1"*) return 0 ;; esac
    i=$((i + 1))
    sleep 0.1
  done
  fail "status sleeper never showed $1; last: $out"
}

"$bin/supervisord" -n -c "$dir/supervisord.conf" > "$dir/daemon.out" 2>&1 &
daemon=$!

wait_status RUNNING
# The client exits with a condition value ($STATUS), which a shell cannot judge: the
# outcome is read from what it prints and from the daemon's state.
out=$(ctl stop sleeper)
wait_status STOPPED
out=$(ctl shutdown)
i=0
while kill -0 "$daemon" 2>/dev/null; do
  i=$((i + 1))
  [ $i -lt 600 ] || fail "the daemon did not end after shutdown: $out"
  sleep 0.1
done
wait "$daemon" 2>/dev/null
daemon=
grep -q sleeper "$dir/supervisord.log" || fail "the activity log does not name the program"
echo "PASS"
