// spawn_floor: the physical floor for bench_driver.  A minimal supervisor that starts
// N sleeps with the daemon's OWN spawn method (sup::posix::make_platform, then
// Platform::spawn, Platform::wait and Platform::request_stop: prepare_launch +
// launch_child fork/exec with the close-on-exec report pipe, pidfd in the one epoll
// set, /proc start time), respawns any that dies (kill -> reap -> respawn loop), and on
// SIGTERM stops them all and reaps them before exiting.  It has no configuration, no
// state machine, no table entries, no activity log, no control protocol: what the
// daemon costs above this program is the cost of supervising.
//
//   spawn_floor serve N BASE USER DIR   sleeps "/bin/sleep BASE.2xxxxx" (xxxxx = 1..N);
//                                       DIR holds the platform's lock and socket
//   spawn_floor noop                    exits at once (the cost of starting this image)
#include <cstdio>
#include <cstdlib>
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

// Spawns slot `i`; returns its pid, 0 on failure (reported on stderr).
ProcessId spawn_slot(sup::platform::Platform& platform, const std::string& base,
                     const std::string& user, int i) {
  sup::platform::ProcessSpec spec;
  spec.program = "floor" + std::to_string(i);
  spec.image = "/bin/sleep";
  spec.arguments = {sleep_argument(base, i)};
  spec.user = user;  // as the daemon's [program:x] user: the same lookup and switch
  const auto r = platform.spawn(spec);
  if (!r.ok) std::fprintf(stderr, "spawn_floor: %s\n", r.error.c_str());
  return r.ok ? r.pid : 0;
}

// Stops every live slot and waits until all are reaped.
void stop_all(sup::platform::Platform& platform, std::map<ProcessId, int>& slots) {
  for (const auto& [pid, slot] : slots) {
    if (const std::string err = platform.request_stop(pid); !err.empty())
      std::fprintf(stderr, "spawn_floor: %s\n", err.c_str());
  }
  std::vector<Event> events;
  while (!slots.empty()) {
    events.clear();
    platform.wait(std::nullopt, events);
    for (const auto& e : events)
      if (e.kind == Event::Kind::ChildExited) slots.erase(e.pid);
  }
}

int serve(int n, const std::string& base, const std::string& user, const std::string& dir) {
  std::string error;
  auto platform = sup::posix::make_platform({dir, ""}, error);
  if (!platform) {
    std::fprintf(stderr, "spawn_floor: %s\n", error.c_str());
    return 1;
  }
  std::map<ProcessId, int> slots;  // pid -> slot
  for (int i = 1; i <= n; ++i)
    if (ProcessId pid = spawn_slot(*platform, base, user, i)) slots[pid] = i;
  std::vector<Event> events;
  for (;;) {
    events.clear();
    platform->wait(std::nullopt, events);
    for (const auto& e : events) {
      if (e.kind == Event::Kind::Shutdown) {
        stop_all(*platform, slots);
        return 0;
      }
      if (e.kind != Event::Kind::ChildExited) continue;
      const auto it = slots.find(e.pid);
      if (it == slots.end()) continue;
      const int slot = it->second;
      slots.erase(it);
      if (ProcessId pid = spawn_slot(*platform, base, user, slot)) slots[pid] = slot;
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 1 && args[0] == "noop") return 0;
  if (args.size() == 5 && args[0] == "serve") {
    const int n = std::atoi(args[1].c_str());
    if (n > 0) return serve(n, args[2], args[3], args[4]);
  }
  std::fprintf(stderr, "usage: spawn_floor serve N BASE USER DIR | spawn_floor noop\n");
  return 2;
}
