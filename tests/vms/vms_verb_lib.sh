# Shared by the vms_verb_*_test.sh scripts (sourced, not a test itself): the verb
# SUPERVISOR as DCL runs it under vmssim.  `vmssim set-command` registers
# cld/SUPERVISOR.CLD; its IMAGE, SUPERVISOR_DIR:SUPERVISOR.EXE, and the help library
# SUPERVISOR_DIR:SUPERVISOR.HLB are found through the simulated system's device table
# (ROOT/devices), which stands in here for the logical name SUPERVISOR_DIR that the
# startup procedure defines (tests/vmssim/DESIGN.md: `vmssim dcl` and LBR$OUTPUT_HELP do
# not translate logical names); the .HLB is the .HLP beside it (tests/vmssim/SPEC.md 4.10).
# Needs: bin (build/vms), dir (a scratch directory).
src=$(cd "$(dirname "$0")/../.." && pwd)
bin=$(cd "$bin" && pwd)
vmssim=${VMSSIM_TOOL_DIR:?run under vmssim}/vmssim
gen=$bin/../gen/sup_messages.hpp

fail() {
  echo "FAIL: $*"
  echo "--- last command: $line"
  echo "--- its output:"; printf '%s\n' "$out"
  echo "--- its \$STATUS: $status"
  [ -f "$dir/daemon.out" ] && { echo "--- daemon output"; cat "$dir/daemon.out"; }
  [ -f "$dir/supervisord.log" ] && { echo "--- activity log"; cat "$dir/supervisord.log"; }
  exit 1
}

# Installs the verb as the startup procedure does, in the simulated system.
install_verb() {
  mkdir -p "$dir/sup"
  ln -s "$bin/supervisor" "$dir/sup/supervisor.exe"
  cp "$src/help/SUPERVISOR.HLP" "$dir/sup/SUPERVISOR.HLP"
  echo "SUPERVISOR_DIR $dir/sup" >> "${VMSSIM_ROOT:?}/devices"
  "$vmssim" set-command "$src/cld/SUPERVISOR.CLD" || fail "SET COMMAND of SUPERVISOR.CLD"
}

# dcl LINE: LINE through the simulated DCL.  Sets out (what it printed, without the
# sanitizer build's makecontext notes), status ($STATUS, "%Xnnnnnnnn"), sev ($SEVERITY)
# and rc (DCL's exit code: 0 for an odd $STATUS).
dcl() {
  line=$1
  rm -f "$dir/status"
  VMSSIM_DCL_STATUS=$dir/status "$vmssim" dcl "$line" > "$dir/out" 2>&1
  rc=$?
  out=$(grep -v '^==[0-9]*==WARNING: ASan' "$dir/out")
  status=$(cat "$dir/status" 2>/dev/null)
  [ -n "$status" ] || fail "DCL set no \$STATUS"
  sev=$(( 0x${status#%X} & 7 ))
}

# The condition value of SUPERVISOR message IDENT ("%X0CB18009"), from the generated
# header; with a second argument "shown", with STS$M_INHIB_MSG (bit 28) set.
cond() {
  v=$(sed -n "s/.* SUP__$1 = 0x\([0-9A-F]*\)u;.*/\1/p" "$gen")
  [ -n "$v" ] || fail "no condition $1 in $gen"
  [ "${2:-}" = shown ] && v=$(printf '%08X' $(( 0x$v | 0x10000000 )))
  echo "%X$v"
}

# expect_status IDENT [shown]: $STATUS is that condition.
expect_status() {
  want=$(cond "$@")
  [ "$status" = "$want" ] || fail "\$STATUS $status, expected $want ($*)"
}

# expect_line TEXT: the output has exactly one line TEXT (DCL did not show it again).
expect_line() {
  n=$(printf '%s\n' "$out" | grep -cxF -- "$1")
  [ "$n" = 1 ] || fail "expected the line '$1' once, found it $n times"
}

# expect_text TEXT: the output contains TEXT.
expect_text() {
  case "$out" in *"$1"*) ;; *) fail "expected '$1' in the output" ;; esac
}

# expect_sev N: $SEVERITY is N (and DCL's exit code agrees: 0 only for success).
expect_sev() {
  [ "$sev" = "$1" ] || fail "\$SEVERITY $sev, expected $1"
  if [ $(( 0x${status#%X} & 1 )) = 1 ]; then
    [ "$rc" = 0 ] || fail "exit code $rc for a success"
  else
    [ "$rc" != 0 ] || fail "exit code 0 for a failure"
  fi
}
