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
    if (const std::string err = platform.request_stop(pid); !err.empty())
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
  for (int i = 1; i <= n; ++i) spawn_slot(*platform, slots, base, user, i);
  std::vector<Event> events;
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
