#include "platform/vms/vms_platform.hpp"

#include <chrono>
#include <cstdlib>
#include <ctime>

#include "platform/vms/vms_ast.hpp"
#include "platform/vms/vms_command.hpp"
#include "platform/vms/vms_sys.hpp"
#include "platform/vms/vms_table.hpp"

namespace sup::vms {
namespace {

using platform::Event;

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
  VmsPlatform(const std::string& table, const ProcessInfo& self) : table_(table), self_(self) {
    g_created = true;
  }
  ~VmsPlatform() override { g_created = false; }

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
  void wait(std::optional<platform::TimePoint> deadline, std::vector<Event>& out) override {
    processes_.end_startup();  // exits found at start were for adopt() only
    const std::size_t before = out.size();
    bool timer = false;
    for (;;) {
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
      (void)sys$hiber();  // SS$_NORMAL; a spurious return just goes round again
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

}  // namespace sup::vms
