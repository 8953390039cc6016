#!/bin/sh
# The verb SUPERVISOR through DCL and CLI$ (CTest: build/vmssim -- sh THIS BINDIR): DCL
# parses each command against cld/SUPERVISOR.CLD and runs SUPERVISOR.EXE, which reads the
# parse with CLI$PRESENT / CLI$GET_VALUE, talks to a real daemon (build/vms/supervisord),
# puts its messages out through $PUTMSG and exits with the condition value: $STATUS and
# $SEVERITY are checked as a command procedure would test them.  Every kind of parameter
# and qualifier of the .CLD: the action keyword, names (P2, P3, a comma list, ALL),
# /PROGRAM, /ALL, /NOWAIT, /TIMEOUT, /OUTPUT, /PASSWORD (quoted and not), /CONFIGURATION,
# and DCL's own errors (an unknown qualifier, a DISALLOW) before the image runs.  Every
# wait is for a condition, with a generous limit.
set -u
bin=$1
dir=$(mktemp -d)
daemon=
finish() {
  code=$?
  [ -n "$daemon" ] && kill "$daemon" 2>/dev/null
  rm -rf "$dir"
  exit $code
}
trap finish EXIT
. "$(dirname "$0")/vms_verb_lib.sh"
install_verb

# sleeper starts at once; slow stays STARTING for an hour (startsecs), so a command that
# waits for it can only end by /NOWAIT or /TIMEOUT, never by the clock of this machine.
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

[program:slow]
command = $dir/sleeper.com
user = SYSTEM
autostart = false
startsecs = 3600
stopwaitsecs = 5
CONF
# The password is mixed-case: DCL upcases an unquoted value, so only the quoted one is
# right.  The file name must be quoted too (case, and "/" starts a qualifier in DCL).
Q="/CONFIGURATION=\"$dir/supervisord.conf\" /PASSWORD=\"Secret\""

"$bin/supervisord" -n -c "$dir/supervisord.conf" -p Secret > "$dir/daemon.out" 2>&1 &
daemon=$!

# wait_state NAME STATE: up to 60 s until STATUS NAME shows STATE.
wait_state() {
  i=0
  while [ $i -lt 600 ]; do
    dcl "SUPERVISOR STATUS $1 $Q"
    case "$out" in *"$2"*) return 0 ;; esac
    i=$((i + 1))
    sleep 0.1
  done
  fail "STATUS $1 never showed $2"
}

wait_state SLEEPER RUNNING
expect_sev 1

# STATUS of everything: slow is not running, a warning whose message the image showed.
dcl "SUPERVISOR STATUS $Q"
expect_text "sleeper"
expect_line "%SUPERVISOR-W-PROGSTOPPED, 1 program not running"
expect_status PROGSTOPPED shown
expect_sev 0

# /OUTPUT: the report goes to the file, not to SYS$OUTPUT.
dcl "SUPERVISOR STATUS SLEEPER /OUTPUT=\"$dir/report.txt\" $Q"
expect_sev 1
case "$out" in *sleeper*) fail "/OUTPUT: the report went to SYS\$OUTPUT" ;; esac
grep -q "sleeper *RUNNING" "$dir/report.txt" || fail "/OUTPUT: no report in the file"

# /PASSWORD unquoted is SECRET: refused by the daemon.
dcl "SUPERVISOR STATUS /CONFIGURATION=\"$dir/supervisord.conf\" /PASSWORD=Secret"
expect_text "%SUPERVISOR-E-BADPASSWORD, password does not match"
expect_status BADPASSWORD shown
expect_sev 2

# An unknown name: the daemon's message, shown once, $SEVERITY 2.
dcl "SUPERVISOR STATUS NOSUCH $Q"
expect_line "%SUPERVISOR-E-NOSUCHPROC, NOSUCH: ERROR (no such process)"
expect_status NOSUCHPROC shown
expect_sev 2

# STOP by name with /TIMEOUT; then START by /PROGRAM (waits for RUNNING).
dcl "SUPERVISOR STOP SLEEPER /TIMEOUT=60 $Q"
expect_line "sleeper: stopped"
expect_sev 1
dcl "SUPERVISOR START /PROGRAM=SLEEPER $Q"
expect_line "sleeper: started"
expect_sev 1

# /NOWAIT: START of slow returns while it is STARTING.
dcl "SUPERVISOR START SLOW /NOWAIT $Q"
expect_sev 1
dcl "SUPERVISOR STATUS SLOW $Q"
expect_text "STARTING"
# /TIMEOUT=1 on a program that cannot be RUNNING for an hour: TIMEOUT, an error.
dcl "SUPERVISOR RESTART SLOW /TIMEOUT=1 $Q"
expect_line "%SUPERVISOR-E-TIMEOUT, slow: no outcome within 1 second"
expect_status TIMEOUT shown
expect_sev 2

# Names in P2 as a comma list and in P3: both programs stop.
dcl "SUPERVISOR STOP SLEEPER,SLOW $Q"
expect_line "sleeper: stopped"
expect_line "slow: stopped"
expect_sev 1
dcl "SUPERVISOR START SLEEPER SLOW /NOWAIT $Q"
expect_sev 1
# ALL as a name, and /ALL.
dcl "SUPERVISOR STOP ALL $Q"
expect_line "sleeper: stopped"
expect_line "slow: stopped"
dcl "SUPERVISOR START /ALL /NOWAIT $Q"
expect_sev 1
wait_state SLEEPER RUNNING

# PID of a program and of the daemon; VERSION.
dcl "SUPERVISOR PID SLEEPER $Q"
expect_sev 1
printf '%s\n' "$out" | grep -qx '[0-9A-F][0-9A-F]*' || fail "PID SLEEPER printed no pid"
dcl "SUPERVISOR VERSION $Q"
expect_text "supervisor-vms version"
expect_sev 1

# No name where one is needed: DCL's INSFPRM, from the image, and the usage condition.
dcl "SUPERVISOR STOP $Q"
expect_line "%CLI-W-INSFPRM, missing command parameters - supply all required parameters"
expect_status USAGE shown
expect_sev 2

# DCL's own errors: the image does not run, $STATUS is the CLI condition (a warning).
dcl "SUPERVISOR STATUS /BOGUS $Q"
expect_text "%DCL-W-IVQUAL, unrecognized qualifier"
expect_line ' \BOGUS\'
expect_sev 0
dcl "SUPERVISOR STOP SLEEPER /ALL $Q"
expect_text "%DCL-W-CONFLICT"
expect_sev 0

# /ALL stops what runs (SHUTDOWN leaves programs running), then SHUTDOWN; then the daemon
# is gone: NODAEMON, an error.
dcl "SUPERVISOR STOP /ALL $Q"
expect_line "sleeper: stopped"
expect_line "slow: stopped"
expect_sev 1
dcl "SUPERVISOR SHUTDOWN $Q"
expect_sev 1
i=0
while kill -0 "$daemon" 2>/dev/null; do
  i=$((i + 1))
  [ $i -lt 600 ] || fail "the daemon did not end after SHUTDOWN"
  sleep 0.1
done
wait "$daemon" 2>/dev/null
daemon=
dcl "SUPERVISOR STATUS $Q"
expect_text "%SUPERVISOR-E-NODAEMON, cannot reach supervisord"
expect_status NODAEMON shown
expect_sev 2
echo "PASS"
