#!/bin/sh
# SUPERVISOR HELP through LBR$OUTPUT_HELP (CTest: build/vmssim -- sh THIS BINDIR): the
# image calls LBR$OUTPUT_HELP on SUPERVISOR_DIR:SUPERVISOR.HLB, the library LIBRARY/HELP
# builds from help/SUPERVISOR.HLP (under vmssim, the .HLP beside it: the simulator's own
# HELP interpreter, not the project's).  Also the conditions without a daemon: a missing
# configuration file, a missing help library, each with $STATUS and $SEVERITY.
set -u
bin=$1
dir=$(mktemp -d)
trap 'code=$?; rm -rf "$dir"; exit $code' EXIT
. "$(dirname "$0")/vms_verb_lib.sh"
install_verb

# The first text line of a topic, as the .HLP has it (indented; HELP shows it as written).
hlp_line() {
  awk -v key="$1" '$0 == key {on = 1; next} on && /^[0-9]/ {exit} on && NF {print; exit}' \
    "$src/help/SUPERVISOR.HLP"
}

dcl "SUPERVISOR HELP"
expect_sev 1
expect_line "$(hlp_line '1 SUPERVISOR')"
expect_text "Additional information available:"
expect_text "START"

dcl "SUPERVISOR HELP START"
expect_sev 1
want=$(hlp_line '2 START')
[ -n "$want" ] || fail "no text under '2 START' in SUPERVISOR.HLP"
expect_line "$want"
case "$out" in *"$(hlp_line '2 STOP')"*) fail "HELP START showed STOP's text" ;; esac

# A subtopic by abbreviation, as HELP matches keys.
dcl "SUPERVISOR HELP STAT QUAL"
expect_sev 1
expect_text "/OUTPUT"

# A topic that does not exist: LBR$OUTPUT_HELP says so and succeeds (as DCL's HELP).
dcl "SUPERVISOR HELP NOSUCHTOPIC"
expect_sev 1
expect_text "Sorry, no documentation on SUPERVISOR NOSUCHTOPIC"

# The image run without DCL's parse (a foreign command): the same library.
line="supervisor help start (foreign command)"
out=$("$bin/supervisor" help start 2>&1 | grep -v '^==[0-9]*==WARNING: ASan')
status="(none: run without DCL)"
expect_line "$want"

# No configuration file: NOCONFIG, an error, shown once.
dcl "SUPERVISOR STATUS /CONFIGURATION=\"$dir/nosuch.conf\""
expect_text "%SUPERVISOR-E-NOCONFIG, cannot open configuration file $dir/nosuch.conf"
expect_status NOCONFIG shown
expect_sev 2

# No help library: the image says which library and why, $SEVERITY 2.
rm "$dir/sup/SUPERVISOR.HLP"
dcl "SUPERVISOR HELP START"
expect_line "%SUPERVISOR-E-SYSERR, SUPERVISOR_DIR:SUPERVISOR.HLB: cannot show help"
expect_text "%RMS-E-FNF"
expect_sev 2
case "$status" in %X1*) ;; *) fail "\$STATUS $status: the message was shown, bit 28 must be set" ;; esac
echo "PASS"
