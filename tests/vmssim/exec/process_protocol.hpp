// Requests of the process services (spec 4.1, 4.2, 4.8, 4.9; $WAKE of spec 3.5).  The
// library checks addresses (ACCVIO) and unpacks descriptors; the executive makes every other
// check.  [G]
#pragma once

#include <cstdint>

#include "protocol.hpp"

namespace vmssim::proto {

// $EXIT: the final status, reported before the exit handlers run (spec 2.3).
constexpr std::uint32_t kExit = kProcessBase + 1;
struct ExitReq {
  std::uint32_t code;
};

// $CREPRC.  The strings follow the struct in this order: image, input, output, error,
// prcnam (each len_* bytes; has_* says whether the argument was given at all).
constexpr std::uint32_t kCreprc = kProcessBase + 2;
constexpr unsigned kMaxQuotaEntries = 64;
struct CreprcReq {
  std::uint32_t stsflg;
  std::uint32_t baspri;
  std::uint32_t uic;
  std::uint16_t mbxunt;
  std::uint8_t has_prvadr;
  std::uint8_t quota_overflow;  // the list did not end within kMaxQuotaEntries
  std::uint64_t prvmask;
  std::uint32_t nquota;
  std::uint8_t quota_code[kMaxQuotaEntries];
  std::uint32_t quota_value[kMaxQuotaEntries];
  std::uint32_t len_image, len_input, len_output, len_error, len_prcnam;
  std::uint8_t has_image, has_input, has_output, has_error, has_prcnam;
  std::uint8_t pad[3];
};
struct CreprcRep {
  std::uint32_t pid;
};

// Names a target process: pid (0 = the caller) or, with has_prcnam, a name in the caller's
// group; the name follows the struct.
struct Target {
  std::uint32_t pid;
  std::uint32_t has_prcnam;
  std::uint32_t len_prcnam;
  std::uint32_t pad;
};
struct TargetRep {
  std::uint32_t pid;  // the target's PID (written back to pidadr)
};

// $FORCEX(pidadr, prcnam, code).
constexpr std::uint32_t kForcex = kProcessBase + 3;
struct ForcexReq {
  Target target;
  std::uint32_t code;
};
// $DELPRC(pidadr, prcnam, flags).
constexpr std::uint32_t kDelprc = kProcessBase + 4;
struct DelprcReq {
  Target target;
  std::uint32_t flags;
};
// $WAKE(pidadr, prcnam) of another process.
constexpr std::uint32_t kWake = kProcessBase + 5;
struct WakeReq {
  Target target;
};

// $GETJPI: one process's record.  `target.pid` may be a wildcard context (0xFFFFFFFF, or
// 0xFFFF0000|slot after the first call), in which case the next visible process in slot
// order after that slot is returned, with `context` the value to write back.
constexpr std::uint32_t kGetjpi = kProcessBase + 6;
struct GetjpiReq {
  Target target;
};
struct JpiInfo {
  std::uint32_t pid;
  std::uint32_t context;  // wildcard scans: 0xFFFF0000|slot
  std::uint32_t state;
  std::uint32_t uic;
  std::uint32_t owner;
  std::uint32_t master_pid;
  std::uint32_t mode;     // JPI$K_OTHER 0, NETWORK 1, BATCH 2, INTERACTIVE 3
  std::uint32_t jobtype;  // JPI$K_DETACHED 0, NETWORK 1, BATCH 2, LOCAL 3
  std::uint32_t tmbu;
  std::uint32_t creprc_flags;
  std::uint32_t baspri;
  std::uint32_t slot;
  std::int64_t login_time;
  std::uint64_t curpriv;
  std::uint64_t authpriv;
  std::uint32_t quota[15];  // by PQL code
  std::uint32_t prccnt;     // subprocesses
  char prcnam[16];          // NUL-padded, prcnam_len bytes
  std::uint32_t prcnam_len;
  char username[12];   // blank-padded
  char account[8];     // blank-padded
  char imagname[256];  // NUL-terminated
};

// $SETPRV(enbflg, prvadr, prmflg, prvprv).
constexpr std::uint32_t kSetprv = kProcessBase + 7;
struct SetprvReq {
  std::uint32_t enable;
  std::uint32_t has_mask;
  std::uint64_t mask;
  std::uint32_t prmflg;
};
struct SetprvRep {
  std::uint64_t previous;
};

// $PERSONA_CREATE(persona*, usrnam, flags, ...): the user name follows.
constexpr std::uint32_t kPersonaCreate = kProcessBase + 8;
struct PersonaCreateReq {
  std::uint32_t flags;
  std::uint32_t len_user;
};
struct PersonaRep {
  std::uint32_t handle;  // the new handle, or the previous one for ASSUME
};
constexpr std::uint32_t kPersonaAssume = kProcessBase + 9;
constexpr std::uint32_t kPersonaDelete = kProcessBase + 10;
struct PersonaReq {
  std::uint32_t handle;
  std::uint32_t flags;
};

// $SCHDWK(pidadr, prcnam, daytim, reptim) naming a process (spec 3.6): the executive
// times it and sends kAsyncWake.  daytim < 0 is a delta, else absolute (VMS time).
constexpr std::uint32_t kSchdwk = kProcessBase + 11;
struct SchdwkReq {
  Target target;
  std::int64_t daytim;
  std::int64_t reptim;  // 0: a single wake; else a negative delta
};
// $CANWAK(pidadr, prcnam) naming a process: cancels the wakes scheduled here for it.
constexpr std::uint32_t kCanwak = kProcessBase + 12;
struct CanwakReq {
  Target target;
};

// The next free type of this part.
constexpr std::uint32_t kProcessNext = kProcessBase + 13;

}  // namespace vmssim::proto
