// vmssim_img_cli_probe: an image for `vmssim dcl` (tests/dcl_test.cpp): reports what its
// CLI$ routines and LIB$GET_FOREIGN see of the command that invoked it, then exits with a
// status chosen by its first value: FAIL -> SS$_ABORT, QUIET -> SS$_ABORT with
// STS$M_INHIB_MSG, anything else -> SS$_NORMAL.
#include <cli$routines.h>
#include <climsgdef.h>
#include <descrip.h>
#include <lib$routines.h>
#include <ssdef.h>
#include <starlet.h>
#include <stsdef.h>

#include <cstdio>
#include <string>

namespace {

const char* present_name(unsigned int s) {
  switch (s) {
    case CLI$_PRESENT:
      return "PRESENT";
    case CLI$_NEGATED:
      return "NEGATED";
    case CLI$_DEFAULTED:
      return "DEFAULTED";
    case CLI$_ABSENT:
      return "ABSENT";
    case CLI$_LOCPRES:
      return "LOCPRES";
    case CLI$_LOCNEG:
      return "LOCNEG";
    default:
      return "OTHER";
  }
}

}  // namespace

int main() {
  static $DESCRIPTOR(loud, "LOUD");
  static $DESCRIPTOR(what, "WHAT");
  static char buf[256];
  struct dsc$descriptor_s value = {sizeof buf, DSC$K_DTYPE_T, DSC$K_CLASS_S, buf};
  unsigned short len = 0;
  std::printf("LOUD=%s\n", present_name(cli$present(&loud)));
  std::string first;
  for (;;) {
    unsigned int st = cli$get_value(&what, &value, &len);
    if (st == CLI$_ABSENT) break;
    std::string v(buf, len);
    if (first.empty()) first = v;
    std::printf("WHAT=%s%s\n", v.c_str(), st == CLI$_COMMA ? "," : st == CLI$_CONCAT ? "+" : "");
    if (st == SS$_NORMAL) break;
  }
  if (lib$get_foreign(&value, nullptr, &len) & 1) std::printf("FOREIGN=%.*s\n", len, buf);
  std::fflush(stdout);
  if (first == "FAIL") sys$exit(SS$_ABORT);
  if (first == "QUIET") sys$exit(SS$_ABORT | STS$M_INHIB_MSG);
  sys$exit(SS$_NORMAL);
}
