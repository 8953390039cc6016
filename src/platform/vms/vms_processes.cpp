#include "platform/vms/vms_processes.hpp"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <limits>
#include <utility>

#include "platform/vms/vms_ast.hpp"
#include "platform/vms/vms_sys.hpp"

#include <accdef.h>
#include <cmbdef.h>
#include <iodef.h>
#include <issdef.h>
#include <msgdef.h>
#include <pqldef.h>
#include <prcdef.h>
#include <prvdef.h>
#include <pscandef.h>

namespace sup::vms {
namespace {

// The termination mailbox: messages of 84 bytes (and room for a longer one to be seen
// as such), and enough buffer for the exits of many programs while no daemon reads it:
// a message that does not fit is lost silently (SSREF83, quoted by GOVAX).
constexpr unsigned kTerminationMaxMsg = kTerminationBuffer;
constexpr unsigned kTerminationBufQuota = 84 * 240;
// Messages read in one go before the AST-driven read is queued again.
constexpr int kDrainLimit = 256;
// How often processes that cannot be watched through the mailbox are polled.
constexpr auto kPollInterval = std::chrono::seconds(1);
// At most this many processes are looked at by one scan (a bound, not a system limit).
constexpr int kScanLimit = 65536;
// Process names ORed in one $PROCESS_SCAN filter (the simulator takes 16 items; how many
// a real system takes is not documented).
constexpr std::size_t kScanNames = 16;

// Offsets in the termination message ($ACCDEF, doc/vms_facts.md section 8).
constexpr std::size_t kMsgTypeOffset = 0;
constexpr std::size_t kFinalStatusOffset = 4;
constexpr std::size_t kPidOffset = 8;
constexpr std::size_t kLoginOffset = 72;

template <class T>
T read_le(const char* data, std::size_t offset) {
  T v;
  std::memcpy(&v, data + offset, sizeof v);  // unaligned; OpenVMS x86 is little-endian
  return v;
}

// One entry of the $CREPRC quota list: a byte code and a longword value, unaligned (5
// bytes per entry, doc/vms_facts.md section 6; HOFF's unpacked example is wrong).
#pragma pack(push, 1)
struct PqlEntry {
  unsigned char code;
  std::uint32_t value;
};
#pragma pack(pop)
static_assert(sizeof(PqlEntry) == 5, "PQL entries are 5 bytes, unaligned");

struct QuotaCode {
  const char* name;
  unsigned char code;
};
constexpr QuotaCode kQuotaCodes[] = {
    {"ASTLM", PQL$_ASTLM},         {"BIOLM", PQL$_BIOLM},         {"BYTLM", PQL$_BYTLM},
    {"CPULM", PQL$_CPULM},         {"DIOLM", PQL$_DIOLM},         {"FILLM", PQL$_FILLM},
    {"PGFLQUOTA", PQL$_PGFLQUOTA}, {"PRCLM", PQL$_PRCLM},         {"TQELM", PQL$_TQELM},
    {"WSQUOTA", PQL$_WSQUOTA},     {"WSDEFAULT", PQL$_WSDEFAULT}, {"ENQLM", PQL$_ENQLM},
    {"WSEXTENT", PQL$_WSEXTENT},   {"JTQUOTA", PQL$_JTQUOTA},
};
constexpr std::size_t kMaxQuotas = sizeof kQuotaCodes / sizeof kQuotaCodes[0];

// One $PROCESS_SCAN item: length, code, value or 32-bit address, flags (12 bytes).
#pragma pack(push, 1)
struct PscanItem {
  unsigned short length;
  unsigned short code;
  std::uint32_t value;
  std::uint32_t flags;
};
#pragma pack(pop)
static_assert(sizeof(PscanItem) == 12, "$PROCESS_SCAN items are 12 bytes");

// A 32-bit address for an item list, or 0 when `p` is not in the low 2 GiB (the stack
// and static storage are, on OpenVMS x86 as under the simulator).
std::uint32_t address32(const void* p) {
  const auto a = reinterpret_cast<std::uintptr_t>(p);
  return a < 0x80000000u ? static_cast<std::uint32_t>(a) : 0;
}

// The privileges the persona services need, enabled around them and then put back as
// they were (WASD, CRINOID: IMPERSONATE, alias DETACH; SYSPRV).
constexpr std::uint64_t kPersonaPrivileges = PRV$M_IMPERSONATE | PRV$M_SYSPRV;

// Runs $CREPRC as `user`: enables the privileges, creates and assumes the persona, runs
// `create`, then assumes the natural persona again, deletes the persona and restores the
// privileges (CSWS, WASD-DIB; VMS-REAL-USAGE 1.6: uic 0, no INHERIT_PERSONA, flags 0).
// Returns the status of the first step that failed, else create()'s.
template <class Create>
std::uint32_t as_user(const std::string& user, Create create, std::string& step) {
  Text32 name(user);
  if (!name.fits()) {
    step = "user name";
    return SS$_IVLOGNAM;
  }
  GENERIC_64 want, before;
  want.gen64$q_quadword = kPersonaPrivileges;
  before.gen64$q_quadword = 0;
  std::uint32_t status = sys$setprv(1, &want, 0, &before);
  if (!ok(status)) {
    step = "$SETPRV";
    return status;
  }
  // Only what this call enabled is disabled again.
  GENERIC_64 added;
  added.gen64$q_quadword = kPersonaPrivileges & ~before.gen64$q_quadword;
  auto restore = [&] {
    if (added.gen64$q_quadword != 0) (void)sys$setprv(0, &added, 0, nullptr);
  };
  unsigned int persona = 0;
  status = sys$persona_create(&persona, name.get(), ISS$M_CREATE_AUTHPRIV, 0, 0);
  if (!ok(status)) {
    restore();
    step = "$PERSONA_CREATE";
    return status;
  }
  status = sys$persona_assume(&persona, 0, 0, 0);
  if (!ok(status)) {
    (void)sys$persona_delete(&persona);
    restore();
    step = "$PERSONA_ASSUME";
    return status;
  }
  const std::uint32_t created = create();
  unsigned int natural = ISS$C_ID_NATURAL;
  const std::uint32_t back = sys$persona_assume(&natural, 0, 0, 0);
  if (!ok(back)) {
    // Going on as another account would run every later request with its rights: the
    // daemon ends here (its programs run on; the next daemon re-attaches them), and not
    // through the forced exit's orderly stop, which would run as that account.
    ast_area().exit_armed = 0;
    (void)sys$exit(back);
  }
  (void)sys$persona_delete(&persona);
  restore();
  step = "$CREPRC";
  return created;
}

}  // namespace

std::string describe_exit_status(const platform::ExitStatus& status) {
  if (status.kind != platform::ExitStatus::Kind::Exited) return "status unknown";
  return message_text(status.code & kConditionMask);
}

ProcessSet::~ProcessSet() {
  if (channel_ == 0) return;
  cancel_termination_read();
  deassign(channel_);  // not $DELMBX: the mailbox keeps the exits for the next daemon
}

std::string ProcessSet::open(LnmTable& table, std::uint32_t own_uic,
                             std::vector<ProgramName> programs) {
  own_uic_ = own_uic;
  for (auto& p : programs) names_[p.process_name] = p.program;
  DeviceInfo dev;
  if (auto recorded = table.get(kTerminationKey)) {
    unsigned short chan = 0;
    if (ok(assign(*recorded, chan))) {
      // The table is ours, but a device name can be reused after a reboot: only a
      // mailbox of our UIC, closed to others, is the one we made.
      if (ok(device_info(chan, dev)) && dev.devclass == kMailboxClass && dev.owner == own_uic &&
          private_protection(dev.vprot)) {
        channel_ = chan;
      } else {
        deassign(chan);
      }
    }
  }
  if (channel_ == 0) {
    unsigned short chan = 0;
    const std::uint32_t status = sys$crembx(1, &chan, kTerminationMaxMsg, kTerminationBufQuota,
                                            kPrivateProtection, 0, nullptr, 0, 0);
    if (!ok(status)) return failure("cannot create the permanent termination mailbox", status);
    channel_ = chan;
    const std::uint32_t info = device_info(chan, dev);
    if (!ok(info)) return failure("cannot read the termination mailbox's unit", info);
    if (std::string e = table.set(kTerminationKey, dev.name); !e.empty()) {
      (void)sys$delmbx(chan);  // nobody could find it again: do not leave it behind
      return e;
    }
  }
  unit_ = dev.unit;
  ast_area().termination.channel = channel_;
  drain(nullptr);
  rearm();
  if (!armed_) return "cannot read the termination mailbox " + dev.name;
  return "";
}

void ProcessSet::rearm() {
  armed_ = ok(queue_termination_read());
}

void ProcessSet::on_message(std::uint32_t iosb_status, std::uint32_t count, std::uint32_t sender,
                            const char* data, std::vector<platform::Event>* out) {
  // A child can write into its termination mailbox (Ingres, GT.M do): only a message of
  // the right length and type, sent by the process it names, is a termination.
  if (!ok(iosb_status) || count != kTerminationLength) return;
  if (read_le<std::uint16_t>(data, kMsgTypeOffset) != MSG$_DELPROC) return;
  const auto pid = read_le<std::uint32_t>(data, kPidOffset);
  if (pid != sender) return;
  // The system clears the name before it sends the message (SSREF83): a process still
  // running under a name did not end, whatever it wrote.
  ProcessInfo info;
  if (ok(process_info(pid, info)) && !info.name.empty()) return;
  const auto status = read_le<std::uint32_t>(data, kFinalStatusOffset);
  if (!out) {
    early_exits_[pid] = Exit{status, read_le<std::uint64_t>(data, kLoginOffset)};
    return;
  }
  if (watched_.erase(pid) == 0) return;  // not ours (or already reported)
  platform::Event e;
  e.kind = platform::Event::Kind::ChildExited;
  e.pid = pid;
  e.status.kind = platform::ExitStatus::Kind::Exited;
  e.status.code = status & kConditionMask;
  out->push_back(e);
}

void ProcessSet::drain(std::vector<platform::Event>* out) {
  auto& r = ast_area().termination;
  for (int i = 0; i < kDrainLimit; ++i) {
    std::uint32_t status = sys$qiow(EFN$C_ENF, channel_, IO$_READVBLK | IO$M_NOW, &r.iosb, nullptr,
                                    0, r.buffer, static_cast<__int64>(sizeof r.buffer), 0, 0, 0, 0);
    if (!ok(status)) return;
    status = r.iosb.iosb$w_status;
    if (status == SS$_ENDOFFILE) return;  // empty
    on_message(status, r.iosb.iosb$w_bcnt, r.iosb.iosb$l_pid, r.buffer, out);
  }
}

void ProcessSet::collect(std::vector<platform::Event>& out) {
  auto& r = ast_area().termination;
  // Completed once the IOSB is written (0: in progress), whether or not its AST has run:
  // at AST level (a forced exit) it never does.
  if (r.pending && r.iosb.iosb$w_status != 0) {
    r.done = 0;
    r.pending = 0;
    on_message(r.iosb.iosb$w_status, r.iosb.iosb$w_bcnt, r.iosb.iosb$l_pid, r.buffer, &out);
  }
  if (!r.pending) {
    drain(&out);
    rearm();
  }
  for (auto it = polled_.begin(); it != polled_.end();) {
    ProcessInfo info;
    if (process_info(*it, info) != SS$_NONEXPR) {
      ++it;
      continue;
    }
    platform::Event e;  // not our mailbox's: its final status is not ours to read
    e.kind = platform::Event::Kind::ChildExited;
    e.pid = *it;
    out.push_back(e);
    it = polled_.erase(it);
  }
}

std::optional<platform::TimePoint> ProcessSet::next_poll() const {
  if (armed_ && polled_.empty()) return std::nullopt;
  return platform::Clock::now() + kPollInterval;
}

platform::SpawnId ProcessSet::spawn(const platform::ProcessSpec& spec,
                                    std::vector<platform::Event>& out) {
  const platform::SpawnId id = next_spawn_++;
  auto fail = [&](std::string why) {
    platform::Event e;
    e.kind = platform::Event::Kind::SpawnFailed;
    e.spawn = id;
    e.text = std::move(why);
    out.push_back(std::move(e));
    return id;
  };
  if (spec.process_name.empty() || spec.process_name.size() > 15)
    return fail("invalid process name \"" + spec.process_name + "\" (1 to 15 characters)");
  const std::string null_device = "NLA0:";
  Text32 image(spec.image), input(spec.input.empty() ? null_device : spec.input),
      output(spec.output.empty() ? null_device : spec.output),
      error(spec.error.empty() ? null_device : spec.error), prcnam(spec.process_name);
  if (!image.fits() || !input.fits() || !output.fits() || !error.fits())
    return fail("a file specification is longer than 255 characters");
  PqlEntry quotas[kMaxQuotas + 1];
  std::size_t n = 0;
  for (const auto& q : spec.quotas) {
    const QuotaCode* found = nullptr;
    for (const auto& c : kQuotaCodes)
      if (q.name == c.name) found = &c;
    if (!found) return fail("unknown quota " + q.name);
    if (n == kMaxQuotas) return fail("quota " + q.name + " given twice");
    quotas[n++] = PqlEntry{found->code, q.value};
  }
  quotas[n] = PqlEntry{PQL$_LISTEND, 0};
  GENERIC_64 privileges;
  privileges.gen64$q_quadword = spec.privileges;
  unsigned int flags = PRC$M_DETACH;
  if (spec.nouaf) flags |= PRC$M_NOUAF;
  // How the limit's value reaches $CREPRC is not documented (doc/vms_facts.md section 5):
  // the flag is set, the value is not passed anywhere.
  if (spec.kt_limit > 0) flags |= PRC$M_KT_LIMIT;
  if (spec.baspri < 0 || spec.baspri > 31) return fail("base priority out of range 0-31");
  unsigned int pid = 0;
  auto create = [&]() -> std::uint32_t {
    return sys$creprc(&pid, image.get(), input.get(), output.get(), error.get(), &privileges,
                      reinterpret_cast<unsigned int*>(quotas), prcnam.get(),
                      static_cast<unsigned int>(spec.baspri), 0, static_cast<unsigned short>(unit_),
                      flags);
  };
  std::string step = "$CREPRC";
  const std::uint32_t status = spec.user.empty() ? create() : as_user(spec.user, create, step);
  if (!ok(status)) {
    std::string what = "cannot create process " + spec.process_name + " (" + spec.image + ")";
    if (!spec.user.empty()) what += " as " + spec.user + " (" + step + ")";
    return fail(failure(what, status));
  }
  watched_.insert(pid);
  names_[spec.process_name] = spec.program;
  platform::Event e;
  e.kind = platform::Event::Kind::Created;
  e.spawn = id;
  e.pid = pid;
  ProcessInfo info;
  if (ok(process_info(pid, info))) {
    e.identity = make_identity(info.login, info.name);
    e.started_wall = unix_seconds(info.login);
  } else {  // already gone (an image that failed at once): its exit follows
    GENERIC_64 now;
    now.gen64$q_quadword = 0;
    (void)sys$gettim(&now);
    e.identity = make_identity(now.gen64$q_quadword, spec.process_name);
    e.started_wall = unix_seconds(now.gen64$q_quadword);
  }
  out.push_back(e);
  // The image's activation is part of the process: a failure is its final status.
  platform::Event started;
  started.kind = platform::Event::Kind::Started;
  started.pid = pid;
  out.push_back(started);
  return id;
}

std::string ProcessSet::request_stop(platform::ProcessId pid) {
  if (pid == 0 || pid > std::numeric_limits<std::uint32_t>::max())
    return "invalid process id " + std::to_string(pid);
  unsigned int p = static_cast<unsigned int>(pid);
  const std::uint32_t status = sys$forcex(&p, nullptr, SS$_FORCEDEXIT);
  if (ok(status)) return "";
  if (status == SS$_NONEXPR && (watched_.count(p) || polled_.count(p))) return "";
  return failure("cannot stop process " + format_pid(p) + " ($FORCEX)", status);
}

std::string ProcessSet::kill(platform::ProcessId pid) {
  if (pid == 0 || pid > std::numeric_limits<std::uint32_t>::max())
    return "invalid process id " + std::to_string(pid);
  unsigned int p = static_cast<unsigned int>(pid);
  const std::uint32_t status = sys$delprc(&p, nullptr);
  if (ok(status)) return "";
  if (status == SS$_NONEXPR && (watched_.count(p) || polled_.count(p))) return "";
  return failure("cannot delete process " + format_pid(p) + " ($DELPRC)", status);
}

bool ProcessSet::adopt(platform::ProcessId pid, const std::string& identity,
                       std::int64_t& started_wall, std::vector<platform::Event>& out) {
  if (pid == 0 || pid > std::numeric_limits<std::uint32_t>::max() || identity.size() < 17)
    return false;
  const auto p = static_cast<std::uint32_t>(pid);
  const std::string login_part = identity.substr(0, 16);
  if (auto early = early_exits_.find(p); early != early_exits_.end()) {
    // It ended while no daemon ran: its termination message says how.
    if (make_identity(early->second.login, "").substr(0, 16) != login_part) return false;
    started_wall = unix_seconds(early->second.login);
    platform::Event e;
    e.kind = platform::Event::Kind::ChildExited;
    e.pid = p;
    e.status.kind = platform::ExitStatus::Kind::Exited;
    e.status.code = early->second.status & kConditionMask;
    out.push_back(e);
    early_exits_.erase(early);
    return true;
  }
  ProcessInfo info;
  // Only SS$_NONEXPR means gone; but without the login time and name (SS$_NOPRIV) the
  // process cannot be told from a later one with its PID either.
  if (!ok(process_info(p, info))) return false;
  // An ending process has its name cleared already: its login time still tells.
  const bool same = info.name.empty() ? make_identity(info.login, "").substr(0, 16) == login_part
                                      : make_identity(info.login, info.name) == identity;
  if (!same) return false;
  started_wall = unix_seconds(info.login);
  if (info.tmbu == unit_)
    watched_.insert(p);
  else
    polled_.insert(p);  // another mailbox gets its termination message: poll it
  return true;
}

std::vector<platform::MarkedProcess> ProcessSet::find_marked() {
  std::vector<platform::MarkedProcess> out;
  std::vector<const std::string*> names;
  for (const auto& [name, program] : names_) names.push_back(&name);
  // One scan per kScanNames names, ORed together in its filter.
  for (std::size_t first = 0; first < names.size(); first += kScanNames) {
    const std::size_t count = std::min(kScanNames, names.size() - first);
    scan(names.data() + first, count, out);
  }
  return out;
}

void ProcessSet::scan(const std::string* const* names, std::size_t count,
                      std::vector<platform::MarkedProcess>& out) {
  // The names in 32-bit (stack) storage.
  char buf[kScanNames][16];
  PscanItem items[kScanNames + 1];
  for (std::size_t i = 0; i < count; ++i) {
    const std::string& name = *names[i];
    name.copy(buf[i], name.size());
    const std::uint32_t address = address32(buf[i]);
    if (address == 0) return;  // not on a 32-bit stack: nothing can be scanned
    items[i] = PscanItem{static_cast<unsigned short>(name.size()), PSCAN$_PRCNAM, address,
                         i + 1 < count ? std::uint32_t{PSCAN$M_OR} : 0u};
  }
  items[count] = PscanItem{0, 0, 0, 0};
  unsigned int context = 0;
  if (!ok(sys$process_scan(&context, items))) return;
  std::uint32_t ctx = context;
  for (int i = 0; i < kScanLimit; ++i) {
    ProcessInfo info;
    const std::uint32_t status = next_process(ctx, info);
    if (status == SS$_NOMOREPROC) break;
    // A process that cannot be read is skipped; any other failure ends the walk.
    if (status == SS$_SUSPENDED || status == SS$_NOPRIV || status == SS$_NONEXPR) continue;
    if (!ok(status)) break;
    // Ours: detached (no owner process) and ending into our termination mailbox.
    if (info.owner != 0 || info.tmbu != unit_ || unit_ == 0) continue;
    const auto program = names_.find(info.name);
    if (program == names_.end()) continue;
    out.push_back(platform::MarkedProcess{
        program->second, info.pid, make_identity(info.login, info.name), unix_seconds(info.login)});
  }
}

}  // namespace sup::vms
