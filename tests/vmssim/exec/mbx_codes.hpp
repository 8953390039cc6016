// The OpenVMS condition values, access modes and privilege bits the executive's mailbox and
// logical-name state machines return or test.  Decimal values from VSIPY `_ssdef.c`
// (generated from the real STARLET) as listed in VMS-REFERENCE 3.4 and VMS-SIMULATOR 4.0 [V].
// They are restated here, not taken from include/ssdef.h, so that the executive does not
// depend on the client's headers.
#pragma once

#include <cstdint>

namespace vmssim::mbx::ss {
constexpr std::uint32_t kNormal = 1;
constexpr std::uint32_t kAccvio = 12;
constexpr std::uint32_t kBadparam = 20;
constexpr std::uint32_t kExquota = 28;
constexpr std::uint32_t kNopriv = 36;
constexpr std::uint32_t kAbort = 44;
constexpr std::uint32_t kDevnotmbx = 116;
constexpr std::uint32_t kIllefc = 236;
constexpr std::uint32_t kIlliofunc = 244;
constexpr std::uint32_t kIvchan = 316;
constexpr std::uint32_t kIvdevnam = 324;
constexpr std::uint32_t kIvlognam = 340;
constexpr std::uint32_t kIvlogtab = 348;
constexpr std::uint32_t kMbtoosml = 412;
constexpr std::uint32_t kNoiochan = 436;
constexpr std::uint32_t kNologname = 444;
constexpr std::uint32_t kBufferovf = 1537;
constexpr std::uint32_t kSupersede = 1585;
constexpr std::uint32_t kLnmcreated = 1713;
constexpr std::uint32_t kCancel = 2096;
constexpr std::uint32_t kEndoffile = 2160;
constexpr std::uint32_t kMbfull = 2264;
constexpr std::uint32_t kNosuchdev = 2312;
constexpr std::uint32_t kExlnmquota = 8780;
constexpr std::uint32_t kNologtab = 8852;
constexpr std::uint32_t kNoreader = 9412;
constexpr std::uint32_t kNowriter = 9420;
}  // namespace vmssim::mbx::ss

namespace vmssim::mbx {
// Access modes, PSL$C_* [V VSIPY psldef].
constexpr std::uint8_t kKernelMode = 0;
constexpr std::uint8_t kExecMode = 1;
constexpr std::uint8_t kSuperMode = 2;
constexpr std::uint8_t kUserMode = 3;

// Privilege mask bits, PRV$M_* = 1 << bit [V VSIPY prvdef].
constexpr std::uint64_t kPrvSysnam = 1ull << 2;
constexpr std::uint64_t kPrvPrmmbx = 1ull << 11;
constexpr std::uint64_t kPrvTmpmbx = 1ull << 15;
constexpr std::uint64_t kPrvSysprv = 1ull << 28;

// Who makes a request: the executive fills this from its process table.
struct Caller {
  std::uint32_t pid = 0;
  std::uint32_t job = 0;       // job id: a detached process's own, a subprocess's creator's
  std::uint64_t privs = 0;     // current privileges, PRV$M_* bits
  std::uint32_t bytlm = 8192;  // the process's BYTLM quota (spec 4.1 default)
  std::uint32_t uic = 0;       // the process's UIC: a mailbox's owner (DVI$_OWNUIC)
};
}  // namespace vmssim::mbx
