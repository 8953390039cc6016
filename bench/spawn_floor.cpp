// spawn_floor: the physical floor for bench_driver.  A minimal supervisor that starts
// N sleeps with the daemon's OWN spawn method (sup::posix::make_platform, then
// Platform::spawn, Platform::wait and Platform::request_stop: prepare_launch +
// start_child fork/exec with the close-on-exec report socket, pidfd in the one epoll
// set, /proc start time), respawns any that dies (kill -> reap -> respawn loop), and on
// SIGTERM stops them all and reaps them before exiting.  It has no configuration, no
// state machine, no table entries, no activity log, no control protocol: what the
// daemon costs above this program is the cost of supervising.
//
//   spawn_floor serve N BASE USER DIR   sleeps "/bin/sleep BASE.2xxxxx" (xxxxx = 1..N);
//                                       DIR holds the platform's lock and socket
//   spawn_floor posix_spawn N BASE      the same sleeps, supervised the same way, but
//                                       spawned with posix_spawn(3) (the C library's
//                                       vfork-style clone; see serve_posix_spawn)
//   spawn_floor noop                    exits at once (the cost of starting this image)
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "platform/posix/posix_platform.hpp"

namespace {

using sup::platform::Event;
using sup::platform::ProcessId;

// The argument of slot `i`: distinct per program, recognisable by the driver's BASE.
std::string sleep_argument(const std::string& base, int i) {
  return base + "." + std::to_string(200000 + i);
}

// The slots: pid -> slot once Created; spawn id -> slot until then.
struct Slots {
  std::map<ProcessId, int> by_pid;
  std::map<sup::platform::SpawnId, int> creating;
};

// Starts spawning slot `i`; its pid comes with the Created event (see on_event).
void spawn_slot(sup::platform::Platform& platform, Slots& slots, const std::string& base,
                const std::string& user, int i) {
  sup::platform::ProcessSpec spec;
  spec.program = "floor" + std::to_string(i);
  spec.image = "/bin/sleep";
  spec.arguments = {sleep_argument(base, i)};
  spec.user = user;  // as the daemon's [program:x] user: the same lookup and switch
  slots.creating[platform.spawn(spec)] = i;
}

// Books a spawn outcome; returns the slot of a process that exited (0: none).
int on_event(const Event& e, Slots& slots) {
  if (e.kind == Event::Kind::Created) {
    slots.by_pid[e.pid] = slots.creating[e.spawn];
    slots.creating.erase(e.spawn);
  } else if (e.kind == Event::Kind::SpawnFailed) {
    std::fprintf(stderr, "spawn_floor: %s\n", e.text.c_str());
    slots.creating.erase(e.spawn);
    if (e.pid != 0) slots.by_pid.erase(e.pid);
  } else if (e.kind == Event::Kind::ChildExited) {
    const auto it = slots.by_pid.find(e.pid);
    if (it == slots.by_pid.end()) return 0;
    const int slot = it->second;
    slots.by_pid.erase(it);
    return slot;
  }
  return 0;
}

// Stops every live slot and waits until all are reaped.
void stop_all(sup::platform::Platform& platform, Slots& slots) {
  std::vector<Event> events;
  while (!slots.creating.empty()) {  // wait for their pids first
    events.clear();
    platform.wait(std::nullopt, events);
    for (const auto& e : events) on_event(e, slots);
  }
  for (const auto& [pid, slot] : slots.by_pid) {
    if (const std::string err = platform.request_stop(pid, {sup::platform::Signal::Term, true});
        !err.empty())
      std::fprintf(stderr, "spawn_floor: %s\n", err.c_str());
  }
  while (!slots.by_pid.empty()) {
    events.clear();
    platform.wait(std::nullopt, events);
    for (const auto& e : events) on_event(e, slots);
  }
}

int serve(int n, const std::string& base, const std::string& user, const std::string& dir) {
  std::string error;
  auto platform = sup::posix::make_platform({dir, ""}, error);
  if (!platform) {
    std::fprintf(stderr, "spawn_floor: %s\n", error.c_str());
    return 1;
  }
  Slots slots;
  std::vector<Event> events;
  for (int i = 1; i <= n; ++i) {
    spawn_slot(*platform, slots, base, user, i);
    // Each child holds a report socket until its exec is seen: with 10,000 programs,
    // not reading them as they come would exceed the descriptor limit.
    events.clear();
    platform->wait(sup::platform::Clock::now(), events);
    for (const auto& e : events)
      if (const int slot = on_event(e, slots)) spawn_slot(*platform, slots, base, user, slot);
  }
  for (;;) {
    events.clear();
    platform->wait(std::nullopt, events);
    for (const auto& e : events) {
      if (e.kind == Event::Kind::Shutdown) {
        stop_all(*platform, slots);
        return 0;
      }
      if (const int slot = on_event(e, slots)) spawn_slot(*platform, slots, base, user, slot);
    }
  }
}

// The posix_spawn floor: the cheapest spawn the C library offers, with what every
// supervisor needs around it and nothing else: a new session, default signals and an
// empty mask, 0-2 on /dev/null, a pidfd per child in one epoll set, a respawn on exit
// and, on SIGTERM, SIGTERM to every group and a reap of all.  It has none of the
// daemon's per-program options (posix_spawn has no resource limits, priority, user
// switch or death signal), no report socket and no /proc read for the identity, and
// the C library suspends it until each child has exec'd (CLONE_VFORK), which the
// daemon must not do (a child may block before exec).  USER is ignored: the bench runs
// as root with user = root, which the daemon applies as a (no-op) switch.
int serve_posix_spawn(int n, const std::string& base) {
  sigset_t mask;
  ::sigemptyset(&mask);
  ::sigaddset(&mask, SIGTERM);
  ::sigprocmask(SIG_BLOCK, &mask, nullptr);
  const int sfd = ::signalfd(-1, &mask, SFD_CLOEXEC);
  const int ep = ::epoll_create1(EPOLL_CLOEXEC);
  if (sfd < 0 || ep < 0) {
    std::perror("spawn_floor: signalfd/epoll");
    return 1;
  }
  epoll_event sev{};
  sev.events = EPOLLIN;
  sev.data.u64 = 0;  // slot 0: the signal
  ::epoll_ctl(ep, EPOLL_CTL_ADD, sfd, &sev);

  posix_spawnattr_t attr;
  ::posix_spawnattr_init(&attr);
  sigset_t none, dfl;
  ::sigemptyset(&none);
  ::sigemptyset(&dfl);
  for (int sig : {SIGTERM, SIGINT, SIGQUIT, SIGHUP, SIGUSR2, SIGPIPE, SIGCHLD})
    ::sigaddset(&dfl, sig);
  ::posix_spawnattr_setsigmask(&attr, &none);
  ::posix_spawnattr_setsigdefault(&attr, &dfl);
  ::posix_spawnattr_setflags(&attr,
                             POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  posix_spawn_file_actions_t files;
  ::posix_spawn_file_actions_init(&files);
  ::posix_spawn_file_actions_addopen(&files, 0, "/dev/null", O_RDONLY, 0);
  ::posix_spawn_file_actions_addopen(&files, 1, "/dev/null", O_WRONLY | O_APPEND, 0);
  ::posix_spawn_file_actions_addopen(&files, 2, "/dev/null", O_WRONLY | O_APPEND, 0);

  std::vector<std::string> args(static_cast<std::size_t>(n) + 1);
  std::vector<pid_t> pids(static_cast<std::size_t>(n) + 1, 0);
  std::vector<int> pidfds(static_cast<std::size_t>(n) + 1, -1);
  auto spawn = [&](int i) {
    char* argv[] = {const_cast<char*>("/bin/sleep"), args[static_cast<std::size_t>(i)].data(),
                    nullptr};
    pid_t pid;
    const int rc = ::posix_spawn(&pid, "/bin/sleep", &files, &attr, argv, environ);
    if (rc != 0) {
      std::fprintf(stderr, "spawn_floor: posix_spawn: %s\n", std::strerror(rc));
      return;
    }
    const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
    if (pidfd >= 0) ::fcntl(pidfd, F_SETFD, FD_CLOEXEC);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = static_cast<std::uint64_t>(i);
    ::epoll_ctl(ep, EPOLL_CTL_ADD, pidfd, &ev);
    pids[static_cast<std::size_t>(i)] = pid;
    pidfds[static_cast<std::size_t>(i)] = pidfd;
  };
  // Reaps slot i if it ended; true when it did.
  auto reap = [&](int i) {
    siginfo_t info{};
    const auto k = static_cast<std::size_t>(i);
    if (::waitid(static_cast<idtype_t>(3) /* P_PIDFD */, static_cast<id_t>(pidfds[k]), &info,
                 WEXITED | WNOHANG) < 0 ||
        info.si_pid == 0)
      return false;
    ::epoll_ctl(ep, EPOLL_CTL_DEL, pidfds[k], nullptr);
    ::close(pidfds[k]);
    pidfds[k] = -1;
    pids[k] = 0;
    return true;
  };
  for (int i = 1; i <= n; ++i) {
    args[static_cast<std::size_t>(i)] = sleep_argument(base, i);
    spawn(i);
  }
  std::vector<epoll_event> ready(256);
  bool stopping = false;
  int live = n;
  while (!stopping || live > 0) {
    const int k = ::epoll_wait(ep, ready.data(), static_cast<int>(ready.size()), -1);
    for (int j = 0; j < k; ++j) {
      const int i = static_cast<int>(ready[static_cast<std::size_t>(j)].data.u64);
      if (i == 0) {
        signalfd_siginfo si;
        [[maybe_unused]] const ssize_t got = ::read(sfd, &si, sizeof si);
        stopping = true;
        live = 0;
        for (int s = 1; s <= n; ++s) {
          if (pids[static_cast<std::size_t>(s)] <= 0) continue;
          ::kill(-pids[static_cast<std::size_t>(s)], SIGTERM);
          ++live;
        }
        continue;
      }
      if (!reap(i)) continue;
      if (stopping)
        --live;
      else
        spawn(i);
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 1 && args[0] == "noop") return 0;
  if (args.size() == 5 && args[0] == "serve") {
    const int n = std::atoi(args[1].c_str());
    if (n > 0) return serve(n, args[2], args[3], args[4]);
  }
  if (args.size() == 3 && args[0] == "posix_spawn") {
    const int n = std::atoi(args[1].c_str());
    if (n > 0) return serve_posix_spawn(n, args[2]);
  }
  std::fprintf(stderr,
               "usage: spawn_floor serve N BASE USER DIR | spawn_floor posix_spawn N BASE | "
               "spawn_floor noop\n");
  return 2;
}
