#include "platform/posix/posix_platform.hpp"

#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>

#include "platform/posix/posix_channel.hpp"
#include "platform/posix/posix_epoll.hpp"
#include "platform/posix/posix_fd.hpp"
#include "platform/posix/posix_proc.hpp"
#include "platform/posix/posix_processes.hpp"
#include "platform/posix/posix_secure_dir.hpp"
#include "platform/posix/posix_table.hpp"

namespace sup::posix {
namespace {

using platform::Event;

constexpr int kMaxEvents = 32;

// "dir" -> "/cwd/dir": the daemon may change directory (daemonize chdirs to /).
std::string absolute(const std::string& path) {
  if (path.empty() || path[0] == '/') return path;
  char buf[4096];
  if (!::getcwd(buf, sizeof buf)) return path;
  return std::string(buf) + "/" + path;
}

// The signals the daemon reads from its signalfd.  Blocked, they are queued even when
// the daemon is the first process of a PID namespace: there the kernel drops a signal
// whose disposition is the default one only when it is not blocked
// (ContainerPid1.SignalsReachTheFirstProcess checks it).  SIGCHLD only when orphans
// come to us: otherwise every exit would wake the loop twice (pidfd and signal).
sigset_t daemon_signals(bool reaper) {
  sigset_t set;
  ::sigemptyset(&set);
  for (int s : {SIGTERM, SIGINT, SIGQUIT, SIGHUP, SIGUSR2}) ::sigaddset(&set, s);
  if (reaper) ::sigaddset(&set, SIGCHLD);
  return set;
}

class PosixPlatform final : public platform::Platform {
 public:
  // The table's absolute directory is its identity: the mark of every child.
  PosixPlatform(const std::string& table_dir, Fd lock, std::size_t max_launching)
      : table_id_(table_dir),
        table_(table_dir),
        lock_(std::move(lock)),
        processes_(epoll_, table_id_, max_launching > 0 ? max_launching : 1) {}

  // Signals, the epoll set and the socket.  Returns an error text, empty on success.
  std::string init(const std::string& socket_path) {
    if (!epoll_.open()) return sys_error("epoll_create1");
    reaper_ = orphans_come_to_us();
    const sigset_t set = daemon_signals(reaper_);
    // Blocked, the signals stay pending until read from the signalfd: no handler runs.
    if (::sigprocmask(SIG_BLOCK, &set, &old_mask_) < 0) return sys_error("sigprocmask");
    mask_saved_ = true;
    signals_.reset(::signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC));
    if (!signals_.valid()) return sys_error("signalfd");
    if (!epoll_.add(signals_.get(), EPOLLIN, make_tag(Source::Signal, 0)))
      return sys_error("epoll_ctl");
    // Orphans that ended before SIGCHLD was blocked sent a signal nobody will read.
    if (reaper_) processes_.reap_children(pending_);
    std::string error;
    server_ = ControlServer::open(socket_path, epoll_, error);
    socket_path_ = socket_path;
    return error;
  }

  ~PosixPlatform() override {
    server_.reset();
    if (!mask_saved_) return;
    drain_signals(nullptr);  // consumed here rather than delivered once unblocked
    ::sigprocmask(SIG_SETMASK, &old_mask_, nullptr);
  }

  platform::SpawnId spawn(const platform::ProcessSpec& spec) override {
    return processes_.spawn(spec, pending_);
  }
  std::string request_stop(platform::ProcessId pid, const platform::StopMethod& how) override {
    const int sig = posix_signal(how.signal);
    return how.to_group ? processes_.signal_group(pid, sig) : processes_.signal_process(pid, sig);
  }
  std::string kill(platform::ProcessId pid, bool to_group) override {
    return to_group ? processes_.signal_group(pid, SIGKILL)
                    : processes_.signal_process(pid, SIGKILL);
  }
  std::string send_signal(platform::ProcessId pid, platform::Signal signal) override {
    return processes_.signal_process(pid, posix_signal(signal));
  }
  bool adopt(platform::ProcessId pid, const std::string& identity,
             std::int64_t& started_wall) override {
    return processes_.adopt(pid, identity, started_wall);
  }

  std::vector<platform::MarkedProcess> find_marked() override { return scan_marked(table_id_); }

  void wait(std::optional<platform::TimePoint> deadline, std::vector<Event>& out) override {
    const std::size_t before = out.size();
    take_pending(out);
    while (out.size() == before) {
      // The children still on their way to exec have deadlines of their own.
      const auto creating = processes_.next_deadline();
      const auto until = !creating   ? deadline
                         : !deadline ? creating
                                     : std::min(*deadline, *creating);
      // Without a deadline no clock is read: idle means exactly one epoll_wait(-1).
      const int timeout =
          epoll_timeout_ms(until, until ? platform::Clock::now() : platform::TimePoint{});
      epoll_event events[kMaxEvents];
      const int n = ::epoll_wait(epoll_.fd(), events, kMaxEvents, timeout);
      if (n < 0 && errno == EINTR) continue;
      for (int i = 0; i < n; ++i) dispatch(events[i], out);
      if (creating) processes_.expire(platform::Clock::now());
      take_pending(out);
      if (n <= 0 && deadline && platform::Clock::now() >= *deadline) return;  // it passed
      if (n < 0) return;
    }
  }

  void reply(platform::RequestId request, const std::string& record) override {
    if (server_) server_->reply(request, record, pending_);
  }
  void finish(platform::RequestId request) override {
    if (server_) server_->finish(request, pending_);
  }

  platform::TimePoint now() const override { return platform::Clock::now(); }
  std::int64_t wall_now() const override { return static_cast<std::int64_t>(std::time(nullptr)); }
  platform::LogicalTable& table() override { return table_; }
  platform::ProcessId self_pid() const override {
    return static_cast<platform::ProcessId>(::getpid());
  }
  std::string describe_exit(const platform::ExitStatus& status) const override {
    return describe_exit_status(status);
  }
  std::string format_pid(platform::ProcessId pid) const override { return std::to_string(pid); }
  std::string control_address() const override { return socket_path_; }

 private:
  void dispatch(const epoll_event& ev, std::vector<Event>& out) {
    const std::uint64_t id = tag_id(ev.data.u64);
    switch (tag_source(ev.data.u64)) {
      case Source::Signal:
        return drain_signals(&out);
      case Source::Listen:
        return server_->on_listen_ready();
      case Source::Connection:
        return server_->on_connection_ready(id, ev.events, out);
      case Source::Child:
        return processes_.on_ready(id, out);
      case Source::Report:
        return processes_.on_report(id, out);
    }
  }

  // Reads every pending signal; SIGTERM/SIGINT/SIGQUIT ask for shutdown, SIGHUP for a
  // reload, SIGUSR2 for reopening the logs, SIGCHLD for reaping (after the reads, so
  // that an exit after the last read raises a fresh one).  `out` null: discard.
  void drain_signals(std::vector<Event>* out) {
    signalfd_siginfo info;
    bool reap = false;
    while (::read(signals_.get(), &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
      if (!out) continue;
      if (info.ssi_signo == SIGCHLD) {
        reap = true;
        continue;
      }
      Event e;
      switch (info.ssi_signo) {
        case SIGHUP:
          e.kind = Event::Kind::Reload;
          break;
        case SIGUSR2:
          e.kind = Event::Kind::ReopenLogs;
          break;
        default:
          e.kind = Event::Kind::Shutdown;
          break;
      }
      out->push_back(e);
    }
    if (reap) processes_.reap_children(*out);
  }

  // Events produced outside wait() (a client dropped by reply or finish).
  void take_pending(std::vector<Event>& out) {
    for (auto& e : pending_) out.push_back(std::move(e));
    pending_.clear();
  }

  std::string table_id_;
  DirTable table_;
  Fd lock_;      // held for the lifetime: the table belongs to this daemon
  Epoll epoll_;  // declared before its users, so destroyed after them
  Fd signals_;
  bool reaper_ = false;  // orphans come to us (orphans_come_to_us): SIGCHLD is read
  sigset_t old_mask_{};
  bool mask_saved_ = false;
  ProcessSet processes_;
  std::unique_ptr<ControlServer> server_;
  std::string socket_path_;
  std::vector<Event> pending_;
};

}  // namespace

std::unique_ptr<platform::Platform> make_platform(const PosixOptions& options, std::string& error) {
  const std::string dir = absolute(options.table_dir);
  error = make_directories(dir);
  if (!error.empty()) return nullptr;
  Fd lock = lock_table(dir, error);
  if (!lock.valid()) return nullptr;
  auto platform = std::make_unique<PosixPlatform>(dir, std::move(lock), options.max_launching);
  error = platform->init(options.socket_path.empty() ? dir + "/supervisord.sock"
                                                     : absolute(options.socket_path));
  if (!error.empty()) return nullptr;
  return platform;
}

void hold_daemon_signals() {
  const sigset_t set = daemon_signals(orphans_come_to_us());
  ::sigprocmask(SIG_BLOCK, &set, nullptr);
}

std::unique_ptr<platform::LogicalTable> open_table(const std::string& dir) {
  return std::make_unique<DirTable>(dir);
}

TrustedTable open_trusted_table(const std::string& dir, std::optional<unsigned> daemon_uid) {
  std::vector<uid_t> trusted = {::geteuid()};
  if (daemon_uid) trusted.push_back(static_cast<uid_t>(*daemon_uid));
  const DirCheck check = secure_directory(absolute(dir), trusted, false);
  TrustedTable out;
  out.error = check.error;
  out.missing = check.missing;
  if (!check.error.empty()) return out;
  out.owner = static_cast<unsigned>(check.owner);
  out.table = std::make_unique<DirTable>(dir, out.owner);
  return out;
}

}  // namespace sup::posix
