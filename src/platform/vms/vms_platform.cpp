#include "platform/vms/vms_platform.hpp"

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>

#include "platform/vms/vms_ast.hpp"
#include "platform/vms/vms_command.hpp"
#include "platform/vms/vms_sys.hpp"
#include "platform/vms/vms_table.hpp"

namespace sup::vms {
namespace {

using platform::Event;

// The most of a password file that is read (as on POSIX).
constexpr std::size_t kMaxPasswordFile = 4096;

// How long to wait while a read could not be queued, before trying again.
constexpr auto kRetryInterval = std::chrono::seconds(1);

// A delay as the positive number of 100 ns units $SETIMR's delta counts, at least one.
std::int64_t vms_delta(platform::Clock::duration d) {
  const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(d).count();
  return ns <= 0 ? 1 : (ns + 99) / 100;
}

std::optional<platform::TimePoint> earliest(std::optional<platform::TimePoint> a,
                                            std::optional<platform::TimePoint> b) {
  if (!a) return b;
  if (!b) return a;
  return std::min(*a, *b);
}

bool g_created = false;  // one platform per process: the ASTs share one area

class VmsPlatform final : public platform::Platform {
 public:
  // The main line runs with ASTs disabled; wait() enables them only while it hibernates,
  // so that an AST that does more than record and wake (the forced exit's, ForcedExit)
  // finds the core between two events.  The ASTs that only record lose nothing: they are
  // delivered, in order, as soon as wait() enables them.
  VmsPlatform(const std::string& table, const ProcessInfo& self) : table_(table), self_(self) {
    g_created = true;
    (void)sys$setast(0);
  }
  ~VmsPlatform() override {
    g_created = false;
    (void)sys$setast(1);
  }

  std::string init(const VmsOptions& options) {
    if (std::string e = processes_.open(table_, self_.uic, options.programs); !e.empty()) return e;
    return server_.open(table_, self_.uic);
  }

  platform::SpawnId spawn(const platform::ProcessSpec& spec) override {
    return processes_.spawn(spec, pending_);
  }
  // dropkeys: stopsignal/stopasgroup/killasgroup have no counterpart here (the
  // configuration warns): a stop is $FORCEX, a kill $DELPRC, which takes the
  // subprocesses with it.
  std::string request_stop(platform::ProcessId pid, const platform::StopMethod&) override {
    return processes_.request_stop(pid);
  }
  std::string kill(platform::ProcessId pid, bool) override { return processes_.kill(pid); }
  std::string send_signal(platform::ProcessId, platform::Signal) override {
    return "signals have no counterpart on OpenVMS (a stop is $FORCEX, a kill $DELPRC)";
  }
  bool adopt(platform::ProcessId pid, const std::string& identity,
             std::int64_t& started_wall) override {
    return processes_.adopt(pid, identity, started_wall, pending_);
  }
  std::vector<platform::MarkedProcess> find_marked() override { return processes_.find_marked(); }

  // $HIBER until an AST has recorded something (or the deadline's timer woke us): the
  // one blocking call of the daemon.  With no deadline and nothing to retry, no timer.
  // After a forced exit the loop runs at AST level: Shutdown first, then $WAITFR.
  void wait(std::optional<platform::TimePoint> deadline, std::vector<Event>& out) override {
    processes_.end_startup();  // exits found at start were for adopt() only
    if (ast_area().forced_exit == 1) {
      ast_area().forced_exit = 2;
      Event e;
      e.kind = Event::Kind::Shutdown;
      out.push_back(e);
      return;
    }
    const std::size_t before = out.size();
    bool timer = false;
    for (;;) {
      const bool at_ast_level = ast_area().forced_exit != 0;
      // Before anything is looked at, so that a completion after this sets it again.
      if (at_ast_level) (void)sys$clref(kDaemonEfn);
      for (auto& e : pending_) out.push_back(std::move(e));
      pending_.clear();
      processes_.collect(out);
      server_.collect(out);
      if (out.size() > before) break;
      auto until = earliest(deadline, processes_.next_poll());
      if (server_.needs_poll()) until = earliest(until, platform::Clock::now() + kRetryInterval);
      if (until) {
        const auto now = platform::Clock::now();
        if (deadline && now >= *deadline) break;
        if (*until <= now) continue;  // a poll is due: collect again
        // Without a timer $HIBER would never return: give the core its deadline back.
        if (!ok(arm_timer(vms_delta(*until - now)))) break;
        timer = true;
      }
      if (at_ast_level)
        block_at_ast_level();
      else
        hibernate();
    }
    if (timer) cancel_timer();
  }

  void reply(platform::RequestId request, const std::string& record) override {
    server_.reply(request, record, pending_);
  }
  void finish(platform::RequestId request) override { server_.finish(request, pending_); }

  platform::TimePoint now() const override { return platform::Clock::now(); }
  std::int64_t wall_now() const override { return static_cast<std::int64_t>(std::time(nullptr)); }
  platform::LogicalTable& table() override { return table_; }
  platform::ProcessId self_pid() const override { return self_.pid; }
  std::string describe_exit(const platform::ExitStatus& status) const override {
    return describe_exit_status(status);
  }
  std::string format_pid(platform::ProcessId pid) const override {
    return vms::format_pid(static_cast<std::uint32_t>(pid));
  }
  std::string control_address() const override { return server_.address(); }

 private:
  // $HIBER with ASTs enabled: those that came while they were disabled run first, and
  // their $WAKE makes $HIBER return at once (the wake-pending bit).  A spurious return
  // just goes round wait()'s loop again.
  static void hibernate() {
    (void)sys$setast(1);
    (void)sys$hiber();  // SS$_NORMAL
    (void)sys$setast(0);
  }

  // At AST level no AST is delivered, but every request still sets kDaemonEfn when it
  // completes: wait for the flag unless a read completed since it was cleared (the $QIO
  // that queued the next read cleared it too).
  static void block_at_ast_level() {
    const auto& a = ast_area();
    const bool completed = (a.termination.pending && a.termination.iosb.iosb$w_status != 0) ||
                           (a.command.pending && a.command.iosb.iosb$w_status != 0);
    if (!completed) (void)sys$waitfr(kDaemonEfn);
  }

  LnmTable table_;
  ProcessInfo self_;
  ProcessSet processes_;
  CommandServer server_;  // after processes_: destroyed first
  std::vector<Event> pending_;
};

}  // namespace

// True while the daemon recorded as SUPERVISORD_PID still exists.  A process that ends
// keeps its PID for a moment after its name is cleared and its termination message is
// written ($CREPRC: "after the process name has been set to null but before rundown",
// SSREF83; tests/vmssim/SPEC.md 4.2, variant pid_linger_ms): a daemon that was just stopped
// or killed is given up to 5 seconds to go before its table is called taken.
static bool holder_alive(std::uint32_t pid) {
  for (int tries = 0;; ++tries) {
    ProcessInfo holder;
    if (process_info(pid, holder) == SS$_NONEXPR) return false;
    if (!holder.name.empty() || tries >= 50) return true;
    GENERIC_64 delta;  // on the stack: 32-bit addressable
    delta.gen64$q_quadword = static_cast<std::uint64_t>(-1000000LL);  // 100 ms
    if (!ok(sys$schdwk(nullptr, nullptr, &delta, nullptr))) return true;
    (void)sys$hiber();  // an earlier wake returns at once: that only shortens one try
  }
}

std::unique_ptr<platform::Platform> make_platform(const VmsOptions& options, std::string& error) {
  if (g_created) {
    error = "the OpenVMS platform exists already in this process";
    return nullptr;
  }
  ProcessInfo self;
  if (std::uint32_t s = process_info(0, self); !ok(s)) {
    error = failure("$GETJPI of this process", s);
    return nullptr;
  }
  error = create_table(options.table);
  if (!error.empty()) return nullptr;
  LnmTable table(options.table);
  // The table belongs to one daemon at a time (the POSIX backend's lock file): a live
  // process named by SUPERVISORD_PID, other than us, holds it.
  if (auto recorded = table.get("SUPERVISORD_PID")) {
    char* end = nullptr;
    const unsigned long long pid = std::strtoull(recorded->c_str(), &end, 16);
    if (end && *end == '\0' && pid != 0 && pid != self.pid &&
        holder_alive(static_cast<std::uint32_t>(pid))) {
      error = "another supervisord (pid " + *recorded + ") already uses table " + options.table;
      return nullptr;
    }
  }
  auto platform = std::make_unique<VmsPlatform>(options.table, self);
  error = platform->init(options);
  if (!error.empty()) return nullptr;
  return platform;
}

std::string current_user(std::string& error) {
  ProcessInfo self;
  if (std::uint32_t s = process_info(0, self); !ok(s)) {
    error = failure("$GETJPI of this process", s);
    return "";
  }
  return self.username;
}

std::unique_ptr<platform::LogicalTable> open_table(const std::string& table) {
  return std::make_unique<LnmTable>(table);
}

bool read_password_file(const std::string& path, std::string& out, std::string& error) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (ec) {
    error = "cannot read password file " + path + ": " + ec.message();
    return false;
  }
  if (!fs::is_regular_file(st)) {
    error = "password file " + path + " is not a regular file";
    return false;
  }
  constexpr fs::perms kOthers = fs::perms::group_all | fs::perms::others_all;
  if ((st.permissions() & kOthers) != fs::perms::none) {
    error = "password file " + path +
            " may be accessed by GROUP or WORLD: it must be readable only by its owner "
            "(SET SECURITY/PROTECTION=(G,W) " +
            path + ")";
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  char buf[kMaxPasswordFile];
  if (in.is_open()) in.read(buf, sizeof buf);  // a shorter file sets eof: not an error
  if (!in.is_open() || in.bad()) {
    error = "cannot read password file " + path;
    return false;
  }
  std::string text(buf, static_cast<std::size_t>(in.gcount()));
  text = text.substr(0, text.find('\n'));
  if (!text.empty() && text.back() == '\r') text.pop_back();
  if (text.empty()) {
    error = "password file " + path + " is empty";
    return false;
  }
  out = text;
  return true;
}

namespace {

// The exit handler control block of $DCLEXH: forward link, handler, argument count, then
// the arguments, the first the address of the longword that receives the exit status
// (tests/vmssim/SPEC.md section 2.3; doc/vms_facts.md section 13).  Static: 32-bit
// addresses, and it must outlive the handler's declaration.
struct ExitBlock {
  std::uint32_t flink;
  std::uint32_t handler;
  std::uint8_t argcount;
  std::uint8_t reserved[3];
  std::uint32_t status_address;
};
ExitBlock g_exit_block;
unsigned int g_exit_status;
std::function<void()>* g_stop_all = nullptr;

// A 32-bit address for the block, or 0 when `a` is not in the low 2 GiB (static storage
// and code are, on OpenVMS as under the simulator).
std::uint32_t address32(std::uintptr_t a) {
  return a < 0x80000000u ? static_cast<std::uint32_t>(a) : 0;
}

// Called by $EXIT.  Disarmed (the main line returned, or the daemon ends itself): nothing.
// Otherwise a forced exit: record it and wake, as every AST of the daemon does; then, as
// the main line will never run again, hand over to the core's loop (ForcedExit's comment).
void exit_handler(unsigned int* /*status*/) {
  if (!ast_area().exit_armed || !g_stop_all) return;
  ast_area().exit_armed = 0;
  ast_area().forced_exit = 1;
  (void)sys$wake(nullptr, nullptr);
  (*g_stop_all)();
}

}  // namespace

ForcedExit::ForcedExit(std::function<void()> stop_all) {
  static std::function<void()> stored;  // one per process, like the handler's block
  stored = std::move(stop_all);
  g_stop_all = &stored;
  g_exit_block = ExitBlock{};
  g_exit_block.handler = address32(reinterpret_cast<std::uintptr_t>(&exit_handler));
  g_exit_block.argcount = 1;
  g_exit_block.status_address = address32(reinterpret_cast<std::uintptr_t>(&g_exit_status));
  if (g_exit_block.handler == 0 || g_exit_block.status_address == 0) {
    error_ = "the exit handler is not at a 32-bit address";
    return;
  }
  ast_area().exit_armed = 1;
  if (const std::uint32_t s = sys$dclexh(&g_exit_block); !ok(s)) {
    ast_area().exit_armed = 0;
    error_ = failure("$DCLEXH", s);
  }
}

ForcedExit::~ForcedExit() {
  // $CANEXH would remove the block; disarming is enough, and cannot fail.
  ast_area().exit_armed = 0;
}

}  // namespace sup::vms
