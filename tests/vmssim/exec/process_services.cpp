// The executive's process services: $CREPRC, $EXIT reports, $FORCEX, $DELPRC, $WAKE of
// another process, $GETJPI, $SETPRV, personas, and the end of a process (termination
// message, subprocesses, the PID's linger).  Spec 2.2, 2.3, 4.1, 4.2, 4.8, 4.9.
#include <accdef.h>
#include <fcntl.h>
#include <jpidef.h>
#include <msgdef.h>
#include <prcdef.h>
#include <rmsdef.h>
#include <signal.h>
#include <ssdef.h>
#include <statedef.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include "exec/process_protocol.hpp"
#include "exec/server.hpp"

namespace vmssim::exec {
namespace {

using proto::Target;

// Reads the name that follows a Target in a request body.
std::string target_name(const Request& req, std::size_t fixed, const Target& t) {
  if (!t.has_prcnam) return {};
  if (req.len < fixed + t.len_prcnam) return {};
  return std::string(reinterpret_cast<const char*>(req.body) + fixed, t.len_prcnam);
}

// True when `caller` may act on `target`: the same UIC, or GROUP in the same group, or
// WORLD (spec 4.8, 4.9). [V HELP $FORCEX/$GETJPI; M]
bool may_access(const Process& caller, const Process& target) {
  if (caller.uic == target.uic) return true;
  if (uic_group(caller.uic) == uic_group(target.uic) && (caller.curpriv & prv::kGroup)) return true;
  return (caller.curpriv & prv::kWorld) != 0;
}

// Resolves a target (pid, or prcnam in the caller's group; both 0 = the caller).  Returns
// the status: NORMAL, NONEXPR, IVLOGNAM, NOPRIV.  [V HELP; C INGRES]
std::uint32_t resolve_target(Server& s, const Request& req, std::size_t fixed, const Target& t,
                             Process** out) {
  Process* caller = s.processes().find(req.caller_pid);
  if (!caller) return SS$_NONEXPR;
  Process* p = nullptr;
  if (t.pid != 0) {
    p = s.processes().find(t.pid);
  } else if (t.has_prcnam) {
    std::string name = target_name(req, fixed, t);
    if (name.empty() || name.size() > 15) return SS$_IVLOGNAM;
    p = s.processes().find_name(uic_group(caller->uic), name);
  } else {
    p = caller;
  }
  if (!p) return SS$_NONEXPR;
  if (!may_access(*caller, *p)) return SS$_NOPRIV;
  *out = p;
  return SS$_NORMAL;
}

void pad_copy(char* dst, std::size_t n, const std::string& src, char fill) {
  std::memset(dst, fill, n);
  std::memcpy(dst, src.data(), std::min(n, src.size()));
}

// JPI$_STATE without the runtime's answer [G, spec 4.8]: from /proc, running is CUR and
// anything else COM; a terminated (lingering) process is COM.  HIB and LEF come from the
// target's runtime (answer_jpi below).
std::uint32_t state_of(const Process& p) {
  if (p.terminated || p.linux_pid <= 0) return SCH$C_COM;
  std::ifstream in("/proc/" + std::to_string(p.linux_pid) + "/stat");
  std::string line;
  std::getline(in, line);
  auto close = line.rfind(')');
  if (close == std::string::npos || close + 2 >= line.size()) return SCH$C_COM;
  return line[close + 2] == 'R' ? SCH$C_CUR : SCH$C_COM;
}

proto::JpiInfo info_of(Server& s, const Process& p) {
  proto::JpiInfo j{};
  j.pid = p.pid;
  j.state = state_of(p);
  j.uic = p.uic;
  j.owner = p.owner;
  // The master process of a job: walk the owners up to a detached / interactive process.
  std::uint32_t master = p.pid;
  for (const Process* q = &p; q && q->owner != 0;) {
    master = q->owner;
    q = s.processes().find(q->owner);
  }
  j.master_pid = master;
  j.mode = p.interactive ? JPI$K_INTERACTIVE : JPI$K_OTHER;
  j.jobtype = p.interactive ? JPI$K_LOCAL : JPI$K_DETACHED;
  j.tmbu = p.mbxunt;
  j.creprc_flags = p.creprc_flags;
  j.baspri = p.baspri;
  j.slot = p.slot;
  j.login_time = p.login_time;
  j.curpriv = p.curpriv;
  j.authpriv = p.authpriv;
  for (unsigned i = 0; i < kPqlCount; ++i) j.quota[i] = p.quota[i];
  j.prccnt = s.processes().count_subprocesses(p.pid);
  pad_copy(j.prcnam, sizeof j.prcnam, p.name, 0);
  j.prcnam_len = static_cast<std::uint32_t>(p.name.size());
  pad_copy(j.username, sizeof j.username, p.username, ' ');
  pad_copy(j.account, sizeof j.account, p.account, ' ');
  std::snprintf(j.imagname, sizeof j.imagname, "%s", p.image.c_str());
  return j;
}

}  // namespace

// CPU time of a Linux process in 10 ms units, read before it is reaped. [G]
std::uint32_t cpu_time_10ms(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(in, line);
  auto close = line.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream rest(line.substr(close + 2));
  std::string field;
  unsigned long long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 14) utime = std::strtoull(field.c_str(), nullptr, 10);
    if (i == 15) stime = std::strtoull(field.c_str(), nullptr, 10);
  }
  long hz = ::sysconf(_SC_CLK_TCK);
  if (hz <= 0) hz = 100;
  return static_cast<std::uint32_t>((utime + stime) * 100 / static_cast<unsigned long>(hz));
}

namespace {

// The final status of a process whose Linux process ended (spec 2.3, 4.2).
std::uint32_t final_status(Server& s, const Process& p, int wait_status, bool have_status) {
  if (p.image_missing) return RMS$_FNF;     // [P GOVAX probe 2]
  if (p.exit_reported) return p.exit_code;  // $EXIT's code, unmasked [V HELP]
  if (p.is_shim && !p.exit_file.empty()) {
    // `vmssim-exit VALUE` wrote any 32-bit status (spec 2.3). [G]
    if (FILE* f = std::fopen(p.exit_file.c_str(), "r")) {
      char line[64] = {};
      bool got = std::fgets(line, sizeof line, f) != nullptr;
      std::fclose(f);
      ::unlink(p.exit_file.c_str());
      if (got) return static_cast<std::uint32_t>(std::strtoul(line, nullptr, 0));
    }
  }
  if (p.delprc_marked) return s.variant(proto::kVarDelprcStatus);  // [P GOVAX probe 2]
  if (!have_status) return SS$_NORMAL;  // a harness process that never said [G]
  if (WIFSIGNALED(wait_status)) {
    int sig = WTERMSIG(wait_status);
    if (sig == SIGTERM && p.forcex_signalled) return p.forcex_code;  // spec 4.9 [G]
    if (sig == SIGSEGV || sig == SIGBUS) return SS$_ACCVIO;          // [G]
    return SS$_ABORT;                                                // [G]
  }
  int code = WEXITSTATUS(wait_status);
  // An image without the library, or a library image that returned from main: 0 is
  // NORMAL; the C RTL rule for library images (1 is NORMAL too, 2 an error). [V HELP CRTL]
  if (code == 0) return SS$_NORMAL;
  // The shim: 1-255 pass unchanged, as with `$ EXIT n` (spec 2.3). [G; V HELP EXIT]
  if (p.registered && !p.is_shim && code == 1) return SS$_NORMAL;
  if (p.registered && !p.is_shim && code == 2) return 0x35A012;  // C facility, error [M]
  return static_cast<std::uint32_t>(code);
}

void kill_group(const Process& p, int sig) {
  if (p.linux_pid <= 0) return;
  // Created processes lead their own session; a harness process may not lead a group,
  // so it gets the signal alone.
  // The leader too, by its pid: a child just forked may not have called setsid() yet.
  if (p.our_child) ::kill(-p.linux_pid, sig);
  ::kill(p.linux_pid, sig);
}

// Waits (briefly blocking the loop) for a SIGKILLed child and ends it.
void reap_now(Server& s, Process& p) {
  if (p.terminated) return;
  int status = 0;
  bool have = false;
  if (p.our_child && p.linux_pid > 0) {
    siginfo_t info{};
    (void)::waitid(P_PID, static_cast<id_t>(p.linux_pid), &info, WEXITED | WNOWAIT);
    p.cputim = cpu_time_10ms(p.linux_pid);
    if (::waitid(P_PID, static_cast<id_t>(p.linux_pid), &info, WEXITED) == 0) {
      have = true;
      status = info.si_code == CLD_EXITED ? W_EXITCODE(info.si_status, 0) : info.si_status;
    }
  }
  s.process_ended(p, status, have);
}

// $GETJPI replies waiting for their target's JPI$_STATE.
struct JpiQuery {
  HeldReply held;
  proto::JpiInfo info;
  std::uint32_t target;
};
struct JpiQueries {
  std::uint32_t next = 0;
  std::map<std::uint32_t, JpiQuery> pending;
};

void finish_jpi(Server& s, std::uint32_t id, std::uint32_t state) {
  auto& q = s.state<JpiQueries>();
  auto it = q.pending.find(id);
  if (it == q.pending.end()) return;
  proto::JpiInfo j = it->second.info;
  if (state == SCH$C_HIB || state == SCH$C_LEF) j.state = state;
  s.reply_held(it->second.held, SS$_NORMAL, &j, sizeof j);
  q.pending.erase(it);
}

}  // namespace

void Server::process_ended(Process& p, int wait_status, bool have_status) {
  if (p.terminated) return;
  if (p.pidfd >= 0) {
    // The end came from elsewhere (a synchronous reap): drop the watch.
    auto it = pidfds_.find(p.pidfd);
    if (it != pidfds_.end()) pidfds_.erase(it);
    ::close(p.pidfd);
    p.pidfd = -1;
  }
  // Subprocesses die before their owner (spec 4.1). [C INGRES; T GOVAX; M]
  for (Process* q : processes_.in_slot_order()) {
    if (q->terminated || q->owner != p.pid || q->pid == p.pid) continue;
    kill_group(*q, SIGKILL);
    q->delprc_marked = true;
    reap_now(*this, *q);
  }
  if (p.exec_err_fd >= 0) {
    // The child's exec failed after all (not an executable format): RMS$_FNF as for a
    // missing image. [P GOVAX probe 2; G]
    int e = 0;
    if (::read(p.exec_err_fd, &e, sizeof e) == static_cast<ssize_t>(sizeof e))
      p.image_missing = true;
    ::close(p.exec_err_fd);
    p.exec_err_fd = -1;
  }
  if (p.go_fd >= 0) {
    ::close(p.go_fd);
    p.go_fd = -1;
  }
  // $GETJPI replies waiting for this process's state get the one they have.
  std::vector<std::uint32_t> waiting;
  for (auto& [id, query] : state<JpiQueries>().pending)
    if (query.target == p.pid) waiting.push_back(id);
  for (std::uint32_t id : waiting) finish_jpi(*this, id, 0);
  std::uint32_t finalsts = final_status(*this, p, wait_status, have_status);
  trace("%08X ended, FINALSTS %08X", p.pid, finalsts);
  // 1. The name goes first, so that it is free at once. [V SSREF83]
  p.name.clear();
  p.terminated = true;
  // 2. The termination message, an IO$M_NOW write from the dying process. [V SSREF83]
  if (p.mbxunt != 0) {
    accdef a;
    std::memset(&a, 0, sizeof a);
    a.acc$w_msgtyp = MSG$_DELPROC;  // followed by a zero word [P GOVAX probe 1]
    a.acc$l_finalsts = finalsts;    // unmasked: bit 28 kept [V HELP; C CSWS]
    a.acc$l_pid = p.pid;
    a.acc$q_termtime = vms_time_now();
    pad_copy(a.acc$t_account, sizeof a.acc$t_account, p.account, ' ');
    pad_copy(a.acc$t_username, sizeof a.acc$t_username, p.username, ' ');
    a.acc$l_cputim = p.cputim;  // [G] from /proc before the reap
    a.acc$q_login = p.login_time;
    a.acc$l_owner = p.owner;  // 0 when detached [V SSREF83]
    std::string msg(reinterpret_cast<const char*>(&a), ACC$K_TERMLEN);
    if (write_termination_message)
      write_termination_message(p.mbxunt, msg, p.pid);
    else
      trace("%08X termination message to MBA%u lost: no mailbox part", p.pid, p.mbxunt);
  }
  for (auto& hook : on_process_gone) hook(p);
  pending_async_.erase(p.pid);
  if (p.request_conn >= 0) close_conn(p.request_conn);
  if (p.async_conn >= 0) close_conn(p.async_conn);
  // 3./4. The PID lingers, nameless, then goes. [V SSREF83; G for the time, a variant]
  std::uint32_t pid = p.pid;
  after(std::chrono::milliseconds(variant(proto::kVarPidLingerMs)),
        [this, pid] { processes_.remove(pid); });
}

unsigned Server::kill_all_leftovers() {
  unsigned n = 0;
  for (Process* p : processes_.in_slot_order()) {
    if (p->terminated || p->linux_pid <= 0) continue;
    if (::kill(p->linux_pid, 0) != 0) continue;
    std::fprintf(stderr, "vmssim: leak: process %08X (%s, Linux pid %d) killed at teardown\n",
                 p->pid, p->name.c_str(), static_cast<int>(p->linux_pid));
    ++n;
    kill_group(*p, SIGKILL);
    if (p->our_child) {
      siginfo_t info{};
      (void)::waitid(P_PID, static_cast<id_t>(p->linux_pid), &info, WEXITED);
    }
  }
  return n;
}

namespace {

// --- $CREPRC ---------------------------------------------------------------------------

struct CreprcArgs {
  proto::CreprcReq r;
  std::string image, input, output, error, prcnam;
};

bool unpack_creprc(const Request& req, CreprcArgs& a) {
  if (req.len < sizeof(proto::CreprcReq)) return false;
  a.r = req.as<proto::CreprcReq>();
  std::size_t off = sizeof(proto::CreprcReq);
  auto take = [&](std::uint32_t n, std::string& out) {
    if (off + n > req.len) return false;
    out.assign(reinterpret_cast<const char*>(req.body) + off, n);
    off += n;
    return true;
  };
  return take(a.r.len_image, a.image) && take(a.r.len_input, a.input) &&
         take(a.r.len_output, a.output) && take(a.r.len_error, a.error) &&
         take(a.r.len_prcnam, a.prcnam);
}

// Bits of stsflg up to and including KT_LIMIT are defined (VMS-REFERENCE 1.2).
constexpr std::uint32_t kStsflgDefined = (PRC$M_KT_LIMIT << 1) - 1;

void handle_creprc(Server& s, const Request& req) {
  Process* caller = s.processes().find(req.caller_pid);
  CreprcArgs a;
  if (!caller || !unpack_creprc(req, a)) {
    s.reply(req, SS$_BADPARAM);
    return;
  }
  const auto& r = a.r;
  // Every failure is checked before anything is created (spec 4.1).
  // IVLOGNAM: prcnam of 0 or >15 characters; any string >255. [V SSREF via GOVAX; P 0x154]
  if (r.has_prcnam && (a.prcnam.empty() || a.prcnam.size() > 15)) {
    s.reply(req, SS$_IVLOGNAM);
    return;
  }
  for (const std::string* str : {&a.image, &a.input, &a.output, &a.error})
    if (str->size() > 255) {
      s.reply(req, SS$_IVLOGNAM);
      return;
    }
  // IVSTSFLG: a bit above KT_LIMIT. [V; P 0x17C]
  if (r.stsflg & ~kStsflgDefined) {
    s.reply(req, SS$_IVSTSFLG);
    return;
  }
  // IVQUOTAL: a PQL code above 14 (PQL$_LENGTH). [V]
  if (r.quota_overflow || r.nquota > proto::kMaxQuotaEntries) {
    s.reply(req, SS$_IVQUOTAL);
    return;
  }
  for (std::uint32_t i = 0; i < r.nquota; ++i)
    if (r.quota_code[i] >= kPqlCount) {
      s.reply(req, SS$_IVQUOTAL);
      return;
    }
  // The identity: a persona assumed by the caller, or the caller's, or a foreign uic.
  const Persona& persona = caller->personas.count(caller->current_persona)
                               ? caller->personas.at(caller->current_persona)
                               : caller->personas.at(1);
  std::uint32_t uic = r.uic ? r.uic : persona.uic;
  // NOPRIV: a foreign uic without IMPERSONATE; PSWAPM / NOACNT without that privilege;
  // BATCH; NETWRK. [V SSREF; M]
  if (r.uic != 0 && r.uic != caller->uic && !(caller->curpriv & prv::kImpersonate)) {
    s.reply(req, SS$_NOPRIV);
    return;
  }
  if (((r.stsflg & PRC$M_PSWAPM) && !(caller->curpriv & prv::kPswapm)) ||
      ((r.stsflg & PRC$M_NOACNT) && !(caller->curpriv & prv::kNoacnt)) ||
      (r.stsflg & (PRC$M_BATCH | PRC$M_NETWRK))) {
    s.reply(req, SS$_NOPRIV);
    return;
  }
  // DUPLNAM: the name is taken in the new process's group. [V; P 0x94]
  if (r.has_prcnam && s.processes().find_name(uic_group(uic), a.prcnam)) {
    s.reply(req, SS$_DUPLNAM);
    return;
  }
  bool detached = (r.stsflg & PRC$M_DETACH) || r.uic != 0;
  // EXQUOTA: PRCLM (subprocesses only). [V]
  if (!detached && s.processes().count_subprocesses(caller->pid) >= caller->quota[8]) {
    s.reply(req, SS$_EXQUOTA);
    return;
  }
  // EXPRCLM: MAXDETACH of the user (0 = unlimited; a knob). [V]
  if (detached && s.config().max_detach != 0 &&
      s.processes().count_detached_of(persona.username) >= s.config().max_detach) {
    s.reply(req, SS$_EXPRCLM);
    return;
  }
  Process* p = s.processes().allocate();
  if (!p) {
    s.reply(req, SS$_NOSLOT);
    return;
  }
  p->name = r.has_prcnam ? a.prcnam : std::string();
  p->uic = uic;
  // A foreign uic keeps the caller's user name and account (a label only) [G]; a persona
  // gives its own (spec 4.1).
  p->username = persona.username;
  p->account = persona.account;
  if (r.uic != 0)
    for (const User& u : users())
      if (u.uic == r.uic) {
        p->username = u.name;
        p->account = u.account;
      }
  const User* u = find_user(p->username);
  p->authpriv = u ? u->authpriv : persona.authpriv;
  // prvadr: the caller's current privileges when omitted; without SETPRV, ANDed with the
  // caller's authorised ones. [T GOVAX; M]
  std::uint64_t priv = r.has_prvadr ? r.prvmask : caller->curpriv;
  if (!(caller->curpriv & prv::kSetprv)) priv &= caller->authpriv;
  p->curpriv = priv;
  // baspri: recorded, capped at the creator's without ALTPRI. [T]
  p->baspri = r.baspri;
  if (!(caller->curpriv & prv::kAltpri) && p->baspri > caller->baspri) p->baspri = caller->baspri;
  // Quotas: defaults, the list's values, each raised to its minimum. [V layout; P]
  p->quota = pql_defaults();
  if (detached) p->quota[4] = 0;  // CPULM of a detached process given none [V SSREF73]
  for (std::uint32_t i = 0; i < r.nquota; ++i)
    if (r.quota_code[i] != 0) p->quota[r.quota_code[i]] = r.quota_value[i];
  for (unsigned i = 1; i < kPqlCount; ++i)
    if (p->quota[i] < pql_minimums()[i]) p->quota[i] = pql_minimums()[i];
  p->mbxunt = r.mbxunt;
  p->creprc_flags = r.stsflg;
  p->detached = detached;
  p->owner = detached ? 0 : caller->pid;
  p->image = a.image;
  p->input = a.input;
  p->output = a.output;
  p->error = a.error;
  p->login_time = vms_time_now();
  p->personas[1] = Persona{p->username, p->uic, p->account, p->authpriv};
  std::random_device rd;
  char token[40];
  std::snprintf(token, sizeof token, "%08X-%08x%08x", p->pid, rd(), rd());
  p->token = token;
  for (auto& hook : s.on_process_created) hook(*p);
  std::uint32_t status = s.spawn(*p);
  if (!(status & 1)) {
    s.processes().remove(p->pid);
    s.reply(req, status);
    return;
  }
  proto::CreprcRep rep{p->pid};
  s.trace("%08X created %08X '%s' image '%s' -> %s%s", caller->pid, p->pid, p->name.c_str(),
          p->image.c_str(), p->image_path.c_str(), p->image_missing ? " (missing)" : "");
  s.reply(req, SS$_NORMAL, &rep, sizeof rep);
  // The PID is stored before the image runs (spec 4.1) [P, T GOVAX]: the child waits for
  // this byte before its exec.
  s.release(*p);
}

void handle_exit(Server& s, const Request& req) {
  Process* p = s.processes().find(req.caller_pid);
  if (p && !p->exit_reported) {
    p->exit_reported = true;
    p->exit_code = req.as<proto::ExitReq>().code;
  }
  s.reply(req, SS$_NORMAL);
}

void handle_forcex(Server& s, const Request& req) {
  auto r = req.as<proto::ForcexReq>();
  Process* p = nullptr;
  std::uint32_t st = resolve_target(s, req, sizeof r, r.target, &p);
  proto::TargetRep rep{p ? p->pid : 0};
  if (st == SS$_NORMAL && !p->terminated) {
    if (p->is_shim || p->async_conn < 0) {
      // A shim script or an image without the library: SIGTERM to its group; FINALSTS is
      // the code if the leader dies of it (spec 4.9). [G]
      p->forcex_signalled = true;
      p->forcex_code = r.code;
      kill_group(*p, SIGTERM);
    } else {
      // A user-mode AST in the target calling $EXIT(code); a repeat also succeeds. [V]
      proto::ForcexMsg m{r.code};
      s.send_async(p->pid, proto::kAsyncForcex, &m, sizeof m);
    }
  }
  s.reply(req, st, &rep, sizeof rep);
}

void handle_delprc(Server& s, const Request& req) {
  auto r = req.as<proto::DelprcReq>();
  Process* p = nullptr;
  std::uint32_t st = resolve_target(s, req, sizeof r, r.target, &p);
  proto::TargetRep rep{p ? p->pid : 0};
  if (st == SS$_NORMAL && !p->terminated) {
    // Marks the target and returns at once; SIGKILL runs no exit handler, whatever the
    // target's AST state (spec 4.9). [V; T/P GOVAX]
    p->delprc_marked = true;
    kill_group(*p, SIGKILL);
  }
  s.reply(req, st, &rep, sizeof rep);
}

void handle_wake(Server& s, const Request& req) {
  auto r = req.as<proto::WakeReq>();
  Process* p = nullptr;
  std::uint32_t st = resolve_target(s, req, sizeof r, r.target, &p);
  proto::TargetRep rep{p ? p->pid : 0};
  // A process without the library never hibernates: the wake has nothing to end. [G]
  if (st == SS$_NORMAL && !p->terminated) s.send_async(p->pid, proto::kAsyncWake, nullptr, 0);
  s.reply(req, st, &rep, sizeof rep);
}

// Replies with `j`, after asking a library process's receiver thread whether its main
// thread is in $HIBER (HIB 7) or a flag wait (LEF 5) (spec 4.8).  The caller itself is in
// this service, and a process without the library never waits that way. [G]
void answer_jpi(Server& s, const Request& req, const Process& p, const proto::JpiInfo& j) {
  if (p.terminated || p.async_conn < 0 || p.pid == req.caller_pid) {
    s.reply(req, SS$_NORMAL, &j, sizeof j);
    return;
  }
  auto& q = s.state<JpiQueries>();
  std::uint32_t id = ++q.next;
  proto::StateQueryMsg m{id};
  if (!s.send_async(p.pid, proto::kAsyncStateQuery, &m, sizeof m)) {
    s.reply(req, SS$_NORMAL, &j, sizeof j);
    return;
  }
  q.pending[id] = JpiQuery{s.hold(req), j, p.pid};
  // A process that does not answer (stopped, dying) keeps the /proc state.
  s.after(std::chrono::milliseconds(500), [&s, id] { finish_jpi(s, id, 0); });
}

void handle_state_reply(Server& s, const Request& req) {
  auto m = req.as<proto::StateReplyMsg>();
  finish_jpi(s, m.query, m.state);
}

// Wakes scheduled by $SCHDWK for a process, cancelled together by $CANWAK (a new
// generation makes the armed timers no-ops).
struct ScheduledWakes {
  std::map<std::uint32_t, std::uint64_t> generation;  // by target PID
};

void arm_wake(Server& s, std::uint32_t pid, std::uint64_t gen, std::int64_t delay_ms,
              std::int64_t repeat_ms) {
  s.after(std::chrono::milliseconds(delay_ms), [&s, pid, gen, repeat_ms] {
    auto& w = s.state<ScheduledWakes>();
    auto it = w.generation.find(pid);
    Process* p = s.processes().find(pid);
    if (it == w.generation.end() || it->second != gen || !p || p->terminated) return;
    s.send_async(pid, proto::kAsyncWake, nullptr, 0);
    if (repeat_ms > 0) arm_wake(s, pid, gen, repeat_ms, repeat_ms);
  });
}

// 100-ns units to milliseconds, rounded up: a wake never comes early. [C HOFF; M tick]
std::int64_t to_ms(std::int64_t units) {
  return (units + 9999) / 10000;
}

void handle_schdwk(Server& s, const Request& req) {
  auto r = req.as<proto::SchdwkReq>();
  Process* p = nullptr;
  std::uint32_t st = resolve_target(s, req, sizeof r, r.target, &p);
  proto::TargetRep rep{p ? p->pid : 0};
  if (st == SS$_NORMAL && r.reptim > 0) st = SS$_IVTIME;  // reptim is a delta [C HOFF]
  if (st == SS$_NORMAL && !p->terminated) {
    std::int64_t delay = r.daytim < 0 ? to_ms(-r.daytim) : to_ms(r.daytim - vms_time_now());
    if (delay < 0) delay = 0;
    std::uint64_t gen = s.state<ScheduledWakes>().generation[p->pid];
    arm_wake(s, p->pid, gen, delay, r.reptim < 0 ? to_ms(-r.reptim) : 0);
  }
  s.reply(req, st, &rep, sizeof rep);
}

void handle_canwak(Server& s, const Request& req) {
  auto r = req.as<proto::CanwakReq>();
  Process* p = nullptr;
  std::uint32_t st = resolve_target(s, req, sizeof r, r.target, &p);
  proto::TargetRep rep{p ? p->pid : 0};
  if (st == SS$_NORMAL) ++s.state<ScheduledWakes>().generation[p->pid];
  s.reply(req, st, &rep, sizeof rep);
}

void handle_getjpi(Server& s, const Request& req) {
  auto r = req.as<proto::GetjpiReq>();
  Process* caller = s.processes().find(req.caller_pid);
  if (!caller) {
    s.reply(req, SS$_NONEXPR);
    return;
  }
  if (!r.target.has_prcnam && (r.target.pid & 0xFFFF0000u) == 0xFFFF0000u) {
    // A wildcard scan: the next visible process after the context's slot, in slot order.
    // [P GOVAX probe 2; C OSSLRAND]
    unsigned slot = r.target.pid == 0xFFFFFFFFu ? 1 : (r.target.pid & 0xFFF) + 1;
    for (Process* p = s.processes().next_from_slot(slot); p;
         p = s.processes().next_from_slot(p->slot + 1u)) {
      if (!may_access(*caller, *p)) continue;
      proto::JpiInfo j = info_of(s, *p);
      j.context = 0xFFFF0000u | p->slot;
      answer_jpi(s, req, *p, j);
      return;
    }
    s.reply(req, SS$_NOMOREPROC);
    return;
  }
  Process* p = nullptr;
  std::uint32_t st = resolve_target(s, req, sizeof r, r.target, &p);
  if (st != SS$_NORMAL) {
    s.reply(req, st);
    return;
  }
  proto::JpiInfo j = info_of(s, *p);
  j.context = p->pid;
  answer_jpi(s, req, *p, j);
}

void handle_setprv(Server& s, const Request& req) {
  auto r = req.as<proto::SetprvReq>();
  Process* p = s.processes().find(req.caller_pid);
  if (!p) {
    s.reply(req, SS$_NONEXPR);
    return;
  }
  proto::SetprvRep rep{p->curpriv};
  std::uint32_t st = SS$_NORMAL;
  if (r.has_mask) {
    if (r.enable) {
      // Only authorised privileges are enabled, else NOTALLPRIV (spec 4.1). [C CSWS, LWW]
      std::uint64_t allowed = r.mask & p->authpriv;
      if (allowed != r.mask) st = SS$_NOTALLPRIV;
      p->curpriv |= allowed;
    } else {
      p->curpriv &= ~r.mask;
    }
  }
  s.reply(req, st, &rep, sizeof rep);
}

void handle_persona_create(Server& s, const Request& req) {
  auto r = req.as<proto::PersonaCreateReq>();
  Process* p = s.processes().find(req.caller_pid);
  std::string name = req.extra<proto::PersonaCreateReq>();
  if (name.size() > r.len_user) name.resize(r.len_user);
  while (!name.empty() && name.back() == ' ') name.pop_back();
  const User* u = find_user(name);
  if (!p) {
    s.reply(req, SS$_NONEXPR);
    return;
  }
  if (!u) {
    s.reply(req, SS$_NOSUCHUSER);  // [M]
    return;
  }
  if (!(p->curpriv & prv::kImpersonate)) {
    s.reply(req, SS$_NOPRIV);  // [C CSWS]
    return;
  }
  std::uint32_t handle = p->next_persona++;
  p->personas[handle] = Persona{u->name, u->uic, u->account, u->authpriv};
  proto::PersonaRep rep{handle};
  s.reply(req, SS$_NORMAL, &rep, sizeof rep);
}

void handle_persona_assume(Server& s, const Request& req) {
  auto r = req.as<proto::PersonaReq>();
  Process* p = s.processes().find(req.caller_pid);
  if (!p || !p->personas.count(r.handle)) {
    s.reply(req, SS$_BADPARAM);  // an unknown handle [M]
    return;
  }
  proto::PersonaRep rep{p->current_persona};
  p->current_persona = r.handle;  // handle 1 (ISS$C_ID_NATURAL) reverts [V HELP]
  s.reply(req, SS$_NORMAL, &rep, sizeof rep);
}

void handle_persona_delete(Server& s, const Request& req) {
  auto r = req.as<proto::PersonaReq>();
  Process* p = s.processes().find(req.caller_pid);
  if (!p || r.handle == 1 || !p->personas.count(r.handle)) {
    s.reply(req, SS$_BADPARAM);  // [M]
    return;
  }
  p->personas.erase(r.handle);
  if (p->current_persona == r.handle) p->current_persona = 1;
  s.reply(req, SS$_NORMAL);
}

}  // namespace

void register_process_services(Server& server) {
  server.add_handler(proto::kExit, "$EXIT", handle_exit);
  server.add_handler(proto::kCreprc, "$CREPRC", handle_creprc);
  server.add_handler(proto::kForcex, "$FORCEX", handle_forcex);
  server.add_handler(proto::kDelprc, "$DELPRC", handle_delprc);
  server.add_handler(proto::kWake, "$WAKE", handle_wake);
  server.add_handler(proto::kSchdwk, "$SCHDWK", handle_schdwk);
  server.add_handler(proto::kCanwak, "$CANWAK", handle_canwak);
  server.add_handler(proto::kGetjpi, "$GETJPI", handle_getjpi);
  server.add_handler(proto::kStateReply, "JPI$_STATE answer", handle_state_reply);
  server.add_handler(proto::kSetprv, "$SETPRV", handle_setprv);
  server.add_handler(proto::kPersonaCreate, "$PERSONA_CREATE", handle_persona_create);
  server.add_handler(proto::kPersonaAssume, "$PERSONA_ASSUME", handle_persona_assume);
  server.add_handler(proto::kPersonaDelete, "$PERSONA_DELETE", handle_persona_delete);
}

}  // namespace vmssim::exec
