// The executive's process table and user table (spec 2.2, 4.1).  Plain data and lookups;
// the services that change them are in process_services.cpp.  [G unless tagged]
#pragma once

#include <sys/types.h>

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace vmssim::exec {

// Privilege bits used by the checks ($PRVDEF bit numbers, VMS-REFERENCE section 6). [V]
namespace prv {
constexpr std::uint64_t kSysnam = 1ull << 2;
constexpr std::uint64_t kImpersonate = 1ull << 5;
constexpr std::uint64_t kGroup = 1ull << 8;
constexpr std::uint64_t kNoacnt = 1ull << 9;
constexpr std::uint64_t kPrmmbx = 1ull << 11;
constexpr std::uint64_t kPswapm = 1ull << 12;
constexpr std::uint64_t kAltpri = 1ull << 13;
constexpr std::uint64_t kSetprv = 1ull << 14;
constexpr std::uint64_t kTmpmbx = 1ull << 15;
constexpr std::uint64_t kWorld = 1ull << 16;
constexpr std::uint64_t kNetmbx = 1ull << 20;
constexpr std::uint64_t kSysprv = 1ull << 28;
constexpr std::uint64_t kAll = (1ull << 39) - 1;  // PRV$K_NUMBER_OF_PRIVS = 39
}  // namespace prv

// One SYSUAF record.  UICs are labels: group in the high word, member in the low.
struct User {
  std::string name;  // upper case, at most 12
  std::uint32_t uic;
  std::string account;  // at most 8
  std::uint64_t authpriv;
  std::uint64_t defpriv;
};

// The fixed user table (spec 2.2): SYSTEM [1,4], which may enable every privilege, and two
// users in other groups.
const std::vector<User>& users();
const User* find_user(const std::string& name);  // case-blind

inline std::uint16_t uic_group(std::uint32_t uic) {
  return static_cast<std::uint16_t>(uic >> 16);
}

// PQL codes 1..14 (VMS-REFERENCE 1.3); index 0 unused.
constexpr unsigned kPqlCount = 15;
using Quotas = std::array<std::uint32_t, kPqlCount>;
// The VAX V7.1 PQL_D (defaults) and PQL_M (minimums) [P GOVAX probe 2; M for those the
// probe does not show].
const Quotas& pql_defaults();
const Quotas& pql_minimums();

struct Persona {
  std::string username;
  std::uint32_t uic;
  std::string account;
  std::uint64_t authpriv;
};

struct Process {
  std::uint32_t pid = 0;
  std::uint16_t slot = 0;
  std::string name;  // empty when unset, and cleared at termination (spec 4.2)
  std::uint32_t uic = 0;
  std::string username;
  std::string account;
  std::uint32_t owner = 0;  // creator's PID for a subprocess, 0 when detached
  bool detached = true;
  bool interactive = false;  // registered by a program the harness started
  std::uint64_t curpriv = 0;
  std::uint64_t authpriv = 0;
  std::uint32_t baspri = 4;
  Quotas quota{};
  std::uint16_t mbxunt = 0;
  std::uint32_t creprc_flags = 0;
  std::string image, input, output, error;  // as given to $CREPRC
  std::string image_path;                   // the Linux file run
  std::int64_t login_time = 0;              // VMS time

  // Linux side.
  pid_t linux_pid = -1;
  int pidfd = -1;
  bool our_child = false;   // waitid works
  std::string token;        // VMSSIM_PROCESS_TOKEN, until claimed
  bool registered = false;  // the library connected (a library image)
  int request_conn = -1;    // connection ids
  int async_conn = -1;
  std::uint64_t cookie = 0;

  // Exit.
  bool exit_reported = false;  // the library reported $EXIT's code
  std::uint32_t exit_code = 0;
  bool image_missing = false;  // activation failed: FINALSTS RMS$_FNF
  bool delprc_marked = false;
  bool forcex_signalled = false;  // SIGTERM sent in place of the exit AST
  std::uint32_t forcex_code = 0;
  bool terminated = false;   // the termination work is done; lingering until removal
  std::uint32_t cputim = 0;  // 10 ms units, read from /proc before the reap

  // The LOGINOUT shim (spec 2.3): its status rule, $FORCEX as SIGTERM, vmssim-exit's file.
  bool is_shim = false;
  std::string exit_file;
  int go_fd = -1;        // written once the creator has its PID; the child then execs
  int exec_err_fd = -1;  // the child's exec errno, if its exec failed

  // Personas ($PERSONA_*): handle -> persona; 1 is the natural one.
  std::map<std::uint32_t, Persona> personas;
  std::uint32_t next_persona = 2;
  std::uint32_t current_persona = 1;
};

// CPU time of a Linux process (user + system) in 10 ms units, from /proc; 0 when gone.
std::uint32_t cpu_time_10ms(pid_t pid);

// Slot-indexed table; PID = 0x20400000 | seq<<12 | slot, slot 1..4095, the 9-bit sequence
// growing at each reuse of a slot (spec 2.2).
class ProcessTable {
 public:
  explicit ProcessTable(unsigned max_slots = 4095);

  // A new entry with a fresh PID, or null when the table is full (SS$_NOSLOT).
  Process* allocate();
  Process* find(std::uint32_t pid);
  Process* find_linux(pid_t linux_pid);
  // By name in a UIC group, skipping terminated entries (spec 2.2).
  Process* find_name(std::uint16_t group, const std::string& name);
  void remove(std::uint32_t pid);
  // Live and lingering entries in slot order.
  std::vector<Process*> in_slot_order();
  // The first entry at or after `slot`.
  Process* next_from_slot(unsigned slot);
  unsigned count_subprocesses(std::uint32_t owner);
  unsigned count_detached_of(const std::string& username);

 private:
  unsigned max_slots_;
  std::vector<std::unique_ptr<Process>> slots_;  // index = slot
  std::vector<std::uint16_t> seq_;               // per slot
  unsigned next_slot_ = 1;
};

}  // namespace vmssim::exec
