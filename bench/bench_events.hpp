// The kernel's process events (the netlink proc connector, CONFIG_PROC_EVENTS): every
// fork, exec and exit on the machine, each stamped by the kernel with CLOCK_MONOTONIC.
//
// Why not poll /proc: on a 2-CPU machine a driver that polls keeps one CPU busy, and the
// scheduler then leaves the process it just killed (or the daemon it just woke) queued
// behind whatever runs on the other CPU until the next tick: kill -> exit measured 3.9 ms
// with a polling killer against 0.13 ms with a blocked one (HZ=250).  Blocking on these
// events costs nothing while the subject works, and the stamps are the kernel's own.
// Needs CAP_NET_ADMIN; without it the driver falls back to polling /proc.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>

namespace sup::bench {

struct ProcEvent {
  enum class Kind { Fork, Exec, Exit, Lost };  // Lost: the socket overflowed
  Kind kind = Kind::Lost;
  pid_t pid = 0;        // the new process (Fork), the process (Exec, Exit)
  pid_t parent = 0;     // Fork: the parent
  std::int64_t ns = 0;  // kernel CLOCK_MONOTONIC
};

// Nanoseconds of CLOCK_MONOTONIC now (the clock of the event stamps).
std::int64_t monotonic_ns();

class ProcEvents {
 public:
  ProcEvents() = default;
  ~ProcEvents();
  ProcEvents(const ProcEvents&) = delete;
  ProcEvents& operator=(const ProcEvents&) = delete;

  // Subscribes; false with the reason in `error` (not root, no CONFIG_PROC_EVENTS).
  bool open(std::string& error);
  bool is_open() const { return fd_ >= 0; }

  // The next process-level event (thread creation is skipped), waiting until
  // `deadline_ns` (CLOCK_MONOTONIC); nullopt on timeout.  Checks for interrupts.
  std::optional<ProcEvent> next(std::int64_t deadline_ns);

  // Discards everything queued.
  void drain();

 private:
  std::optional<ProcEvent> decode(const char* data, std::size_t size) const;
  int fd_ = -1;
};

}  // namespace sup::bench
