// The process services of the client library (spec 2.3, 3.5, 4.1, 4.8, 4.9): $CREPRC,
// $EXIT / $DCLEXH / exit(), $FORCEX, $DELPRC, $WAKE, $GETJPI(W), $PROCESS_SCAN, $SETPRV,
// $PERSONA_*.  The library checks addresses (spec 5) and unpacks descriptors and lists;
// the executive (exec/process_services.cpp) makes every other check.  Nothing here
// allocates: a service may be called from an AST.
#include <descrip.h>
#include <iledef.h>
#include <jpidef.h>
#include <pscandef.h>
#include <ssdef.h>
#include <starlet.h>

#include <strings.h>
#include <unistd.h>
#include <cctype>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <initializer_list>

#include "../exec/process_protocol.hpp"
#include "ipc.hpp"
#include "kernel.hpp"

extern "C" [[noreturn]] void __real_exit(int status);
extern "C" [[noreturn]] void __wrap_exit(int status);

namespace {

using namespace vmssim;

// A string argument as received: bytes in a fixed buffer, or "absent".
struct Str {
  bool given = false;
  std::uint32_t len = 0;
  const char* data = nullptr;
};

// Reads a descriptor argument (spec 5: the descriptor and its text must be 32-bit
// addresses).  False: SS$_ACCVIO.
bool read_desc(const void* arg, Str& out) {
  out = Str{};
  if (!arg) return true;
  if (!rt::addr32_ok(arg, sizeof(dsc$descriptor))) return false;
  const auto* d = static_cast<const dsc$descriptor*>(arg);
  out.given = true;
  out.len = d->dsc$w_length;
  if (out.len == 0) return true;
  const char* text = d->dsc$a_pointer;
  if (!rt::addr32_ok(text, out.len)) return false;
  out.data = text;
  return true;
}

// A request body with a fixed part and strings after it, in one static buffer (services
// do not nest: rt::ServiceScope).
alignas(16) unsigned char g_extra[8 * 1024];
std::size_t g_extra_len = 0;
void extra_reset() {
  g_extra_len = 0;
}
bool extra_add(const Str& s) {
  if (g_extra_len + s.len > sizeof g_extra) return false;
  if (s.len) std::memcpy(g_extra + g_extra_len, s.data, s.len);
  g_extra_len += s.len;
  return true;
}

// Fills a Target from (pidadr, prcnam); the name goes to g_extra.  Returns 0 or ACCVIO /
// IVLOGNAM.
std::uint32_t make_target(const unsigned int* pidadr, const void* prcnam, proto::Target& t,
                          bool pid_exempt) {
  t = proto::Target{};
  extra_reset();
  if (pidadr) {
    if (!pid_exempt && !rt::addr32_ok(pidadr, 4)) return SS$_ACCVIO;
    t.pid = *pidadr;
  }
  if (t.pid == 0 && prcnam) {
    Str name;
    if (!read_desc(prcnam, name)) return SS$_ACCVIO;
    if (name.len == 0 || name.len > 15) return SS$_IVLOGNAM;
    t.has_prcnam = 1;
    t.len_prcnam = name.len;
    extra_add(name);
  }
  return 0;
}

// --- exit (spec 2.3) ------------------------------------------------------------------

// The exit handler control block [M layout, SSREF]: forward link, handler address,
// argument count (a byte), then the arguments; the first is the address of a longword
// that receives the exit status.
struct ExitBlock {
  std::uint32_t flink;
  std::uint32_t handler;
  std::uint8_t argcount;
  std::uint8_t reserved[3];
  std::uint32_t args[1];
};

constexpr unsigned kMaxHandlers = 64;
ExitBlock* g_handlers[kMaxHandlers];
unsigned g_nhandlers = 0;
bool g_exiting = false;

[[noreturn]] void do_exit(std::uint32_t code, int linux_status) {
  // 1. The full code goes to the executive first (the termination message's FINALSTS),
  // when this process ever registered and this is its main thread.
  // A process that never made a request registers now to report it (while under vmssim).
  if (!g_exiting && rt::on_main_thread() && std::getenv("VMSSIM_SOCKET")) {
    g_exiting = true;
    rt::ServiceScope scope;
    proto::ExitReq req{code};
    (void)ipc::call(proto::kExit, req);
  }
  g_exiting = true;
  // An image run by `vmssim dcl` (tool/dcl.cpp) reports its full status there too ($STATUS).
  if (const char* f = std::getenv("VMSSIM_DCL_EXIT_FILE")) {
    if (FILE* out = std::fopen(f, "w")) {
      std::fprintf(out, "%%X%08X\n", code);
      std::fclose(out);
    }
  }
  // 2. $DCLEXH handlers, last declared first, each removed before it runs (a handler that
  // calls $EXIT continues with the rest). [V HELP]
  while (g_nhandlers > 0) {
    ExitBlock* b = g_handlers[--g_nhandlers];
    if (b->argcount >= 1 && b->args[0]) {
      auto* status = reinterpret_cast<unsigned int*>(static_cast<std::uintptr_t>(b->args[0]));
      *status = code;
      reinterpret_cast<void (*)(unsigned int*)>(static_cast<std::uintptr_t>(b->handler))(status);
    } else {
      reinterpret_cast<void (*)()>(static_cast<std::uintptr_t>(b->handler))();
    }
  }
  // 3. atexit handlers and the C++ runtime.
  __real_exit(linux_status);
}

// The Linux status for a VMS one: success is 0, so that the harness sees what DCL would.
int linux_status_of(std::uint32_t code) {
  if (code & 1) return 0;
  return (code & 0xFF) ? static_cast<int>(code & 0xFF) : 2;
}

// --- $PROCESS_SCAN contexts (spec 4.8) --------------------------------------------------

struct ScanItem {
  std::uint16_t code;
  std::uint32_t flags;
  std::uint32_t value;
  char text[32];
  std::uint32_t text_len;
};
struct Scan {
  bool used;
  unsigned nitems;
  ScanItem items[16];
};
constexpr unsigned kMaxScans = 32;
Scan g_scans[kMaxScans];
constexpr std::uint32_t kScanTag = 0xFE000000u;

bool is_scan_context(std::uint32_t v) {
  return (v & 0xFF000000u) == kScanTag;
}

bool glob_match(const char* p, std::size_t pn, const char* s, std::size_t sn, bool blind) {
  if (pn == 0) return sn == 0;
  if (*p == '*') {
    for (std::size_t k = 0; k <= sn; ++k)
      if (glob_match(p + 1, pn - 1, s + k, sn - k, blind)) return true;
    return false;
  }
  if (sn == 0) return false;
  bool eq = *p == '%' || *p == *s ||
            (blind && std::tolower(static_cast<unsigned char>(*p)) ==
                          std::tolower(static_cast<unsigned char>(*s)));
  return eq && glob_match(p + 1, pn - 1, s + 1, sn - 1, blind);
}

bool text_match(const ScanItem& it, const char* s, std::size_t sn) {
  bool blind = it.flags & PSCAN$M_CASE_BLIND;
  bool r;
  if (it.flags & PSCAN$M_WILDCARD) {
    r = glob_match(it.text, it.text_len, s, sn, blind);
  } else if (it.flags & PSCAN$M_PREFIX_MATCH) {
    r = sn >= it.text_len && (blind ? strncasecmp(s, it.text, it.text_len) == 0
                                    : std::memcmp(s, it.text, it.text_len) == 0);
  } else {
    r = sn == it.text_len && (blind ? strncasecmp(s, it.text, it.text_len) == 0
                                    : std::memcmp(s, it.text, it.text_len) == 0);
  }
  return (it.flags & PSCAN$M_NEQ) ? !r : r;
}

std::size_t trimmed(const char* s, std::size_t n) {
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == 0)) --n;
  return n;
}

bool item_match(const ScanItem& it, const proto::JpiInfo& j) {
  auto num = [&](std::uint32_t v) {
    return (it.flags & PSCAN$M_NEQ) ? v != it.value : v == it.value;
  };
  switch (it.code) {
    case PSCAN$_PRCNAM:
      return text_match(it, j.prcnam, j.prcnam_len);
    case PSCAN$_USERNAME:
      return text_match(it, j.username, trimmed(j.username, 12));
    case PSCAN$_ACCOUNT:
      return text_match(it, j.account, trimmed(j.account, 8));
    case PSCAN$_UIC:
      return num(j.uic);
    case PSCAN$_GRP:
      return num(j.uic >> 16);
    case PSCAN$_OWNER:
      return num(j.owner);
    case PSCAN$_MASTER_PID:
      return num(j.master_pid);
    case PSCAN$_MODE:
      return num(j.mode);
    default:
      return false;
  }
}

// Items are ANDed; an item with PSCAN$M_OR is ORed with the one after it. [V SSREF84; M]
bool scan_match(const Scan& sc, const proto::JpiInfo& j) {
  bool all = true;
  bool group = false;
  for (unsigned i = 0; i < sc.nitems; ++i) {
    group = group || item_match(sc.items[i], j);
    if (sc.items[i].flags & PSCAN$M_OR) continue;
    all = all && group;
    group = false;
  }
  return all;
}

// --- $GETJPI items (spec 4.8) ----------------------------------------------------------

// Writes one item; false for an unknown code (SS$_BADPARAM, logged UNIMPLEMENTED).
bool write_item(const ILE3& e, const proto::JpiInfo& j) {
  void* buf = e.ile3$ps_bufaddr;
  unsigned short* retlen = e.ile3$ps_retlen_addr;
  std::size_t cap = e.ile3$w_length;
  const void* src = nullptr;
  std::size_t n = 0;
  std::uint32_t l = 0;
  std::uint64_t q = 0;
  auto longword = [&](std::uint32_t v) {
    l = v;
    src = &l;
    n = 4;
  };
  auto quadword = [&](std::uint64_t v) {
    q = v;
    src = &q;
    n = 8;
  };
  switch (e.ile3$w_code) {
    case JPI$_PID:
      longword(j.pid);
      break;
    case JPI$_PRCNAM:
      src = j.prcnam;
      n = j.prcnam_len;
      break;
    case JPI$_STATE:
      longword(j.state);
      break;
    case JPI$_UIC:
      longword(j.uic);
      break;
    case JPI$_GRP:
      longword(j.uic >> 16);
      break;
    case JPI$_MEM:
      longword(j.uic & 0xFFFF);
      break;
    case JPI$_USERNAME:
      src = j.username;
      n = 12;
      break;
    case JPI$_ACCOUNT:
      src = j.account;
      n = 8;
      break;
    case JPI$_LOGINTIM:
      quadword(static_cast<std::uint64_t>(j.login_time));
      break;
    case JPI$_IMAGNAME:
      src = j.imagname;
      n = std::strlen(j.imagname);
      break;
    case JPI$_OWNER:
      longword(j.owner);
      break;
    case JPI$_MASTER_PID:
      longword(j.master_pid);
      break;
    case JPI$_MODE:
      longword(j.mode);
      break;
    case JPI$_JOBTYPE:
      longword(j.jobtype);
      break;
    case JPI$_TMBU:
      longword(j.tmbu);
      break;
    case JPI$_PRCCNT:
      longword(j.prccnt);
      break;
    case JPI$_PRIB:
      longword(j.baspri);
      break;
    case JPI$_CREPRC_FLAGS:
      longword(j.creprc_flags);
      break;
    case JPI$_PROC_INDEX:
      longword(j.slot);
      break;
    case JPI$_CURPRIV:
      quadword(j.curpriv);
      break;
    case JPI$_AUTHPRIV:
      quadword(j.authpriv);
      break;
    case JPI$_ASTLM:
      longword(j.quota[1]);
      break;
    case JPI$_BIOLM:
      longword(j.quota[2]);
      break;
    case JPI$_BYTLM:
      longword(j.quota[3]);
      break;
    case JPI$_CPULIM:
      longword(j.quota[4]);
      break;
    case JPI$_DIOLM:
      longword(j.quota[5]);
      break;
    case JPI$_FILLM:
      longword(j.quota[6]);
      break;
    case JPI$_PGFLQUOTA:
      longword(j.quota[7]);
      break;
    case JPI$_PRCLM:
      longword(j.quota[8]);
      break;
    case JPI$_TQLM:
      longword(j.quota[9]);
      break;
    case JPI$_WSQUOTA:
      longword(j.quota[10]);
      break;
    case JPI$_ENQLM:
      longword(j.quota[12]);
      break;
    case JPI$_WSEXTENT:
      longword(j.quota[13]);
      break;
    default:
      return false;
  }
  std::size_t w = n < cap ? n : cap;
  if (w) std::memcpy(buf, src, w);
  if (retlen) *retlen = static_cast<unsigned short>(w);  // a word [V]
  return true;
}

std::uint32_t check_items(const void* itmlst) {
  if (!itmlst) return 0;
  for (const auto* e = static_cast<const ILE3*>(itmlst);; ++e) {
    if (!rt::addr32_ok(e, 4)) return SS$_ACCVIO;
    std::uint32_t head;
    std::memcpy(&head, e, 4);
    if (head == 0) return 0;  // the list ends with a zero longword
    if (!rt::addr32_ok(e, sizeof(ILE3))) return SS$_ACCVIO;
    if (e->ile3$ps_bufaddr.raw() == 0 && e->ile3$w_length != 0) return SS$_ACCVIO;
    if (e->ile3$w_length &&
        !rt::addr32_ok(static_cast<void*>(e->ile3$ps_bufaddr), e->ile3$w_length))
      return SS$_ACCVIO;
    if (e->ile3$ps_retlen_addr.raw() != 0 &&
        !rt::addr32_ok(static_cast<unsigned short*>(e->ile3$ps_retlen_addr), 2))
      return SS$_ACCVIO;
  }
}

std::uint32_t write_items(const void* itmlst, const proto::JpiInfo& j) {
  if (!itmlst) return SS$_NORMAL;
  for (const auto* e = static_cast<const ILE3*>(itmlst);; ++e) {
    std::uint32_t head;
    std::memcpy(&head, e, 4);
    if (head == 0) return SS$_NORMAL;
    if (!write_item(*e, j)) {
      char line[96];
      int len = std::snprintf(line, sizeof line, "vmssim: $GETJPI item %u UNIMPLEMENTED\n",
                              e->ile3$w_code);
      if (len > 0) (void)!::write(2, line, static_cast<std::size_t>(len));
      return SS$_BADPARAM;
    }
  }
}

// One $GETJPI request to the executive for `pid` (a PID, 0, or a wildcard context).
ipc::Reply jpi_request(std::uint32_t pid, const proto::Target* named) {
  proto::GetjpiReq req{};
  if (named) {
    req.target = *named;
    return ipc::call(proto::kGetjpi, &req, sizeof req, g_extra, g_extra_len);
  }
  req.target.pid = pid;
  return ipc::call(proto::kGetjpi, req);
}

// $WAKE naming a process (spec 3.5), called by the runtime's sys$wake inside its scope:
// the caller itself is woken locally, any other process through the executive.  pidadr is
// "by 32- or 64-bit reference" (spec 5): exempt from the 2 GiB rule.
int remote_wake(unsigned* pidadr, const void* prcnam) {
  rt::ServiceScope scope;
  proto::WakeReq req{};
  if (std::uint32_t st = make_target(pidadr, prcnam, req.target, true)) return static_cast<int>(st);
  if (!req.target.has_prcnam && (req.target.pid == 0 || req.target.pid == ipc::self_pid())) {
    rt::wake();
    if (pidadr && *pidadr == 0) *pidadr = ipc::self_pid();
    return SS$_NORMAL;
  }
  ipc::Reply rep = ipc::call(proto::kWake, &req, sizeof req, g_extra, g_extra_len);
  if ((rep.status & 1) && pidadr && *pidadr == 0) *pidadr = rep.as<proto::TargetRep>().pid;
  return static_cast<int>(rep.status);
}

// $SCHDWK and $CANWAK naming a process (spec 3.6), called by the runtime inside its scope:
// the executive keeps these timers, whoever the target is.
int remote_schdwk(unsigned* pidadr, const void* prcnam, const long long* daytim,
                  const long long* reptim) {
  rt::ServiceScope scope;
  proto::SchdwkReq req{};
  if (std::uint32_t st = make_target(pidadr, prcnam, req.target, false))
    return static_cast<int>(st);
  if (!req.target.has_prcnam && req.target.pid == 0) req.target.pid = ipc::self_pid();
  req.daytim = daytim ? *daytim : 0;
  req.reptim = reptim ? *reptim : 0;
  ipc::Reply rep = ipc::call(proto::kSchdwk, &req, sizeof req, g_extra, g_extra_len);
  if ((rep.status & 1) && pidadr && *pidadr == 0) *pidadr = rep.as<proto::TargetRep>().pid;
  return static_cast<int>(rep.status);
}

int remote_canwak(unsigned* pidadr, const void* prcnam) {
  rt::ServiceScope scope;
  proto::CanwakReq req{};
  if (std::uint32_t st = make_target(pidadr, prcnam, req.target, false))
    return static_cast<int>(st);
  if (!req.target.has_prcnam && req.target.pid == 0) req.target.pid = ipc::self_pid();
  ipc::Reply rep = ipc::call(proto::kCanwak, &req, sizeof req, g_extra, g_extra_len);
  if ((rep.status & 1) && pidadr && *pidadr == 0) *pidadr = rep.as<proto::TargetRep>().pid;
  return static_cast<int>(rep.status);
}

// Installed before main (this object is always linked: -u __wrap_exit, CMakeLists.txt).  A
// process the executive created also registers at once: $WAKE, $FORCEX and the rest can
// reach it before its first request (it may only ever call $HIBER).
struct RegisterEarly {
  RegisterEarly() {
    rt::set_remote_wake(rt::RemoteWake{&remote_wake, &remote_schdwk, &remote_canwak});
    const char* token = std::getenv("VMSSIM_PROCESS_TOKEN");
    if (token && *token && std::getenv("VMSSIM_SOCKET")) ipc::ensure_registered();
  }
} g_register_early;

}  // namespace

namespace vmssim::ipc {
void forced_exit_ast(long long code) {
  sys$exit(static_cast<unsigned int>(code));
}
}  // namespace vmssim::ipc

extern "C" {

// exit(n), through --wrap=exit: the C RTL non-POSIX rule, 0 or 1 is NORMAL, 2 an error,
// others pass unchanged [V HELP CRTL]; the Linux status stays n, for the harness.
void __wrap_exit(int n) {
  std::uint32_t code = static_cast<std::uint32_t>(n);
  if (n == 0 || n == 1) code = SS$_NORMAL;
  if (n == 2) code = 0x35A012;  // C facility, message 2, error severity [M]
  do_exit(code, n);
}

int sys$exit(unsigned int code) {
  do_exit(code, linux_status_of(code));
}

int sys$dclexh(void* desblk) {
  rt::ServiceScope scope;
  if (!rt::addr32_ok(desblk, sizeof(ExitBlock) - 4)) return SS$_ACCVIO;
  auto* b = static_cast<ExitBlock*>(desblk);
  for (unsigned i = 0; i < g_nhandlers; ++i)
    if (g_handlers[i] == b) return SS$_NORMAL;
  if (g_nhandlers >= kMaxHandlers || b->handler == 0) return SS$_BADPARAM;
  g_handlers[g_nhandlers++] = b;
  return SS$_NORMAL;
}

int sys$creprc(unsigned int* pidadr, void* image, void* input, void* output, void* error,
               struct _generic_64* prvadr, unsigned int* quota, void* prcnam, unsigned int baspri,
               unsigned int uic, unsigned short int mbxunt, unsigned int stsflg, void* /*itmlst*/,
               void* /*node*/) {
  rt::ServiceScope scope;
  // ACCVIO first: every argument readable, descriptors and by-reference arguments at
  // 32-bit addresses (spec 4.1, 5).  itmlst and node are ignored (spec 4.1).
  if (pidadr && !rt::addr32_ok(pidadr, 4)) return SS$_ACCVIO;
  Str s_image, s_input, s_output, s_error, s_prcnam;
  if (!read_desc(image, s_image) || !read_desc(input, s_input) || !read_desc(output, s_output) ||
      !read_desc(error, s_error) || !read_desc(prcnam, s_prcnam))
    return SS$_ACCVIO;
  proto::CreprcReq req{};
  if (prvadr) {
    if (!rt::addr32_ok(prvadr, 8)) return SS$_ACCVIO;
    req.has_prvadr = 1;
    std::memcpy(&req.prvmask, prvadr, 8);
  }
  if (quota) {
    // 5-byte unaligned entries, a code byte then a longword; code 0 ends. [V layout]
    const auto* q = reinterpret_cast<const unsigned char*>(quota);
    for (unsigned i = 0;; ++i, q += 5) {
      if (!rt::addr32_ok(q, 1)) return SS$_ACCVIO;
      if (*q == 0) break;
      if (!rt::addr32_ok(q, 5)) return SS$_ACCVIO;
      if (i >= proto::kMaxQuotaEntries) {
        req.quota_overflow = 1;
        break;
      }
      req.quota_code[i] = *q;
      std::memcpy(&req.quota_value[i], q + 1, 4);
      req.nquota = i + 1;
    }
  }
  req.stsflg = stsflg;
  req.baspri = baspri;
  req.uic = uic;
  req.mbxunt = mbxunt;
  req.has_image = s_image.given;
  req.has_input = s_input.given;
  req.has_output = s_output.given;
  req.has_error = s_error.given;
  req.has_prcnam = s_prcnam.given;
  req.len_image = s_image.len;
  req.len_input = s_input.len;
  req.len_output = s_output.len;
  req.len_error = s_error.len;
  req.len_prcnam = s_prcnam.len;
  extra_reset();
  for (const Str* s : {&s_image, &s_input, &s_output, &s_error, &s_prcnam})
    if (!extra_add(*s)) return SS$_IVLOGNAM;  // far beyond 255 bytes
  ipc::Reply rep = ipc::call(proto::kCreprc, &req, sizeof req, g_extra, g_extra_len);
  if ((rep.status & 1) && pidadr) *pidadr = rep.as<proto::CreprcRep>().pid;
  return static_cast<int>(rep.status);
}

int sys$forcex(unsigned int* pidadr, void* prcnam, unsigned int code) {
  rt::ServiceScope scope;
  proto::ForcexReq req{};
  if (std::uint32_t st = make_target(pidadr, prcnam, req.target, false))
    return static_cast<int>(st);
  req.code = code;
  ipc::Reply rep = ipc::call(proto::kForcex, &req, sizeof req, g_extra, g_extra_len);
  if ((rep.status & 1) && pidadr && *pidadr == 0) *pidadr = rep.as<proto::TargetRep>().pid;
  return static_cast<int>(rep.status);
}

int sys$delprc(unsigned int* pidadr, void* prcnam, unsigned int /*flags*/) {
  rt::ServiceScope scope;
  proto::DelprcReq req{};
  if (std::uint32_t st = make_target(pidadr, prcnam, req.target, false))
    return static_cast<int>(st);
  // The third argument (flags, DELPRC$M_NOEXIT) changes nothing here: SIGKILL runs no
  // handler of any mode (spec 4.9).
  ipc::Reply rep = ipc::call(proto::kDelprc, &req, sizeof req, g_extra, g_extra_len);
  if ((rep.status & 1) && pidadr && *pidadr == 0) *pidadr = rep.as<proto::TargetRep>().pid;
  return static_cast<int>(rep.status);
}

int sys$getjpi(unsigned int efn, unsigned int* pidadr, void* prcnam, void* itmlst,
               struct _iosb* iosb, void (*astadr)(__unknown_params), unsigned __int64 astprm) {
  rt::ServiceScope scope;
  if (efn != 128 && efn > 63) return efn < 128 ? SS$_UNASEFC : SS$_ILLEFC;
  if (std::uint32_t st = check_items(itmlst)) return static_cast<int>(st);
  proto::Target named{};
  if (std::uint32_t st = make_target(pidadr, prcnam, named, true)) return static_cast<int>(st);
  if (astadr && !rt::astlm_take()) return SS$_EXQUOTA;
  // The request clears its flag and zeroes its IOSB (spec 3.8).
  if (efn != 128) rt::clear_flag(efn);
  if (iosb) std::memset(iosb, 0, 8);
  ipc::Reply rep{};
  std::uint32_t ctx = pidadr ? *pidadr : 0;
  proto::JpiInfo info{};
  if (!named.has_prcnam && is_scan_context(ctx)) {
    // A $PROCESS_SCAN context: walk the wildcard scan, keeping what matches.
    unsigned id = (ctx >> 12) & 0xFFF;
    unsigned slot = ctx & 0xFFF;
    if (id == 0 || id > kMaxScans || !g_scans[id - 1].used) {
      if (astadr) rt::astlm_give();
      return SS$_BADPARAM;
    }
    for (;;) {
      rep = jpi_request(slot == 0 ? 0xFFFFFFFFu : (0xFFFF0000u | slot), nullptr);
      if (!(rep.status & 1)) break;
      info = rep.as<proto::JpiInfo>();
      slot = info.slot;
      if (scan_match(g_scans[id - 1], info)) {
        *pidadr = kScanTag | (id << 12) | slot;
        break;
      }
    }
  } else {
    rep = jpi_request(ctx, named.has_prcnam ? &named : nullptr);
    if (rep.status & 1) {
      info = rep.as<proto::JpiInfo>();
      // A wildcard scan writes back 0xFFFF0000|slot, a context, not a PID. [P GOVAX 2]
      if (pidadr && !named.has_prcnam && (ctx & 0xFFFF0000u) == 0xFFFF0000u) *pidadr = info.context;
    }
  }
  if (!(rep.status & 1)) {
    // Refused: no IOSB, no AST (spec 3.8); NOMOREPROC leaves *pidadr unchanged.
    if (astadr) rt::astlm_give();
    return static_cast<int>(rep.status);
  }
  std::uint32_t st = write_items(itmlst, info);
  if (!(st & 1)) {
    if (astadr) rt::astlm_give();
    return static_cast<int>(st);
  }
  // The status goes in iosb$l_getxxi_status (spec 4.8); then the flag, then the AST.
  unsigned char value[8] = {};
  std::memcpy(value, &st, 4);
  rt::complete(iosb, value, efn, reinterpret_cast<rt::AstRoutine>(astadr),
               static_cast<long long>(astprm));
  return SS$_NORMAL;
}

int sys$getjpiw(unsigned int efn, unsigned int* pidadr, void* prcnam, void* itmlst,
                struct _iosb* iosb, void (*astadr)(__unknown_params), unsigned __int64 astprm) {
  // $GETJPI completes before it returns here, so the $SYNCH of $GETJPIW has nothing to
  // wait for (spec 3.9).
  return sys$getjpi(efn, pidadr, prcnam, itmlst, iosb, astadr, astprm);
}

int sys$process_scan(unsigned int* pidctx, void* itmlst) {
  rt::ServiceScope scope;
  if (!pidctx || !rt::addr32_ok(pidctx, 4)) return SS$_ACCVIO;
  unsigned id = 0;
  for (unsigned i = 0; i < kMaxScans; ++i)
    if (!g_scans[i].used) {
      id = i + 1;
      break;
    }
  if (id == 0) return SS$_INSFMEM;
  Scan& sc = g_scans[id - 1];
  sc = Scan{};
  // Entries are 12 bytes: length word, code word, value or address, flags. [M layout]
  struct Entry {
    std::uint16_t length;
    std::uint16_t code;
    std::uint32_t value;
    std::uint32_t flags;
  };
  if (itmlst) {
    for (const auto* e = static_cast<const Entry*>(itmlst);; ++e) {
      if (!rt::addr32_ok(e, 4)) return SS$_ACCVIO;
      std::uint32_t head;
      std::memcpy(&head, e, 4);
      if (head == 0) break;
      if (!rt::addr32_ok(e, sizeof(Entry))) return SS$_ACCVIO;
      if (sc.nitems >= 16) return SS$_BADPARAM;
      ScanItem& it = sc.items[sc.nitems];
      it.code = e->code;
      it.flags = e->flags;
      it.value = e->value;
      std::size_t max = 0;
      switch (e->code) {
        case PSCAN$_PRCNAM:
          max = 15;
          break;
        case PSCAN$_USERNAME:
          max = 12;
          break;
        case PSCAN$_ACCOUNT:
          max = 8;
          break;
        case PSCAN$_UIC:
        case PSCAN$_GRP:
        case PSCAN$_OWNER:
        case PSCAN$_MASTER_PID:
        case PSCAN$_MODE:
          break;
        default: {
          char line[96];
          int len = std::snprintf(line, sizeof line,
                                  "vmssim: $PROCESS_SCAN item %u UNIMPLEMENTED\n", e->code);
          if (len > 0) (void)!::write(2, line, static_cast<std::size_t>(len));
          return SS$_BADPARAM;
        }
      }
      if (max) {
        // A string item: 1..max bytes at a 32-bit address, else IVBUFLEN (spec 4.8).
        if (e->length == 0 || e->length > max) return SS$_IVBUFLEN;
        const void* text = reinterpret_cast<const void*>(static_cast<std::uintptr_t>(e->value));
        if (!rt::addr32_ok(text, e->length)) return SS$_ACCVIO;
        std::memcpy(it.text, text, e->length);
        it.text_len = e->length;
      }
      ++sc.nitems;
    }
  }
  sc.used = true;
  *pidctx = kScanTag | (id << 12);
  return SS$_NORMAL;
}

int sys$setprv(char enbflg, struct _generic_64* prvadr, char prmflg, struct _generic_64* prvprv) {
  rt::ServiceScope scope;
  proto::SetprvReq req{};
  if (prvadr) {
    if (!rt::addr32_ok(prvadr, 8)) return SS$_ACCVIO;
    req.has_mask = 1;
    std::memcpy(&req.mask, prvadr, 8);
  }
  if (prvprv && !rt::addr32_ok(prvprv, 8)) return SS$_ACCVIO;
  req.enable = enbflg != 0;
  req.prmflg = static_cast<unsigned char>(prmflg);
  ipc::Reply rep = ipc::call(proto::kSetprv, req);
  if (prvprv && rep.len >= sizeof(proto::SetprvRep)) {
    auto r = rep.as<proto::SetprvRep>();
    std::memcpy(prvprv, &r.previous, 8);
  }
  return static_cast<int>(rep.status);
}

int sys$persona_create(unsigned int* persona, void* usrnam, unsigned int flags, void* /*usrpro*/,
                       void* /*itmlst*/) {
  rt::ServiceScope scope;
  if (!persona || !rt::addr32_ok(persona, 4)) return SS$_ACCVIO;
  Str name;
  if (!read_desc(usrnam, name)) return SS$_ACCVIO;
  if (!name.given || name.len == 0 || name.len > 32) return SS$_NOSUCHUSER;
  proto::PersonaCreateReq req{flags, name.len};
  extra_reset();
  extra_add(name);
  ipc::Reply rep = ipc::call(proto::kPersonaCreate, &req, sizeof req, g_extra, g_extra_len);
  if (rep.status & 1) *persona = rep.as<proto::PersonaRep>().handle;
  return static_cast<int>(rep.status);
}

int sys$persona_assume(unsigned int* persona, unsigned int flags, unsigned int* /*previous*/,
                       void* /*reserved*/) {
  rt::ServiceScope scope;
  if (!persona || !rt::addr32_ok(persona, 4)) return SS$_ACCVIO;
  proto::PersonaReq req{*persona, flags};
  ipc::Reply rep = ipc::call(proto::kPersonaAssume, req);
  return static_cast<int>(rep.status);
}

int sys$persona_delete(unsigned int* persona) {
  rt::ServiceScope scope;
  if (!persona || !rt::addr32_ok(persona, 4)) return SS$_ACCVIO;
  proto::PersonaReq req{*persona, 0};
  ipc::Reply rep = ipc::call(proto::kPersonaDelete, req);
  return static_cast<int>(rep.status);
}

}  // extern "C"
