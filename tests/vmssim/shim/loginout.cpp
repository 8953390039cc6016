// SYS$SYSTEM:LOGINOUT.EXE of the simulator (spec 2.3): runs the SYS$INPUT file as a POSIX
// sh script, a documented approximation of a DCL command procedure.  [G; V HELP EXIT]
//
// The executive started this program with SYS$OUTPUT and SYS$ERROR as stdout and stderr
// (opened for append) and told it SYS$INPUT in VMSSIM_SYS_INPUT(_PATH).  Its status rule
// (0 is SS$_NORMAL, 1-255 pass unchanged) and `vmssim-exit VALUE` (any 32-bit status,
// through VMSSIM_EXIT_FILE) are applied by the executive when the process ends.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

int main() {
  const char* input = std::getenv("VMSSIM_SYS_INPUT");
  const char* path = std::getenv("VMSSIM_SYS_INPUT_PATH");
  // Input NL: (or none): LOGINOUT exits at once with SS$_NORMAL.
  if (!input || !*input || (path && std::strcmp(path, "/dev/null") == 0)) return 0;
  if (!path || !*path) {
    // A mailbox (or another device) as SYS$INPUT is pumped line by line once the mailbox
    // services exist; until then this is loud, never silent.
    std::fprintf(stderr, "vmssim LOGINOUT: UNIMPLEMENTED: SYS$INPUT %s is not a file\n", input);
    return 20;  // SS$_BADPARAM
  }
  const char* output = std::getenv("VMSSIM_SYS_OUTPUT");
  const char* out_path = std::getenv("VMSSIM_SYS_OUTPUT_PATH");
  if (output && *output && (!out_path || !*out_path)) {
    std::fprintf(stderr, "vmssim LOGINOUT: UNIMPLEMENTED: SYS$OUTPUT %s is not a file\n", output);
    return 20;
  }
  // `vmssim-exit VALUE` ends the procedure with any 32-bit status, as `$ EXIT 'status'`.
  static const char prologue[] =
      "vmssim_exit() { printf '%s\\n' \"$1\" > \"$VMSSIM_EXIT_FILE\"; exit 0; }\n"
      "alias vmssim-exit=vmssim_exit\n"  // a POSIX sh function name cannot hold a '-'
      ". \"$1\"\n";
  ::execl("/bin/sh", "sh", "-c", prologue, "LOGINOUT", path, static_cast<char*>(nullptr));
  std::perror("vmssim LOGINOUT: /bin/sh");
  return 44;  // SS$_ABORT
}
