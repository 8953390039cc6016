// The one epoll set of the daemon, and how wait() turns a deadline into its timeout.
#pragma once

#include <sys/epoll.h>

#include <chrono>
#include <climits>
#include <cstdint>
#include <optional>

#include "platform/platform.hpp"
#include "platform/posix/posix_fd.hpp"

namespace sup::posix {

// What an epoll registration stands for: the tag's top byte, the id in the rest.
// What a ready descriptor is: the tag's top byte; the rest is a pid or connection id.
enum class Source : std::uint8_t { Signal = 1, Listen = 2, Child = 3, Connection = 4, Report = 5 };

inline std::uint64_t make_tag(Source source, std::uint64_t id) {
  return (static_cast<std::uint64_t>(source) << 56) | (id & ((std::uint64_t{1} << 56) - 1));
}
inline Source tag_source(std::uint64_t tag) {
  return static_cast<Source>(tag >> 56);
}
inline std::uint64_t tag_id(std::uint64_t tag) {
  return tag & ((std::uint64_t{1} << 56) - 1);
}

// The epoll_wait timeout for `deadline` seen at `now`: -1 without a deadline (block for
// ever), 0 when it has passed, else the remaining time rounded UP to whole milliseconds
// (rounding down would wake just before the deadline and spin once more), capped at INT_MAX.
inline int epoll_timeout_ms(std::optional<platform::TimePoint> deadline, platform::TimePoint now) {
  if (!deadline) return -1;
  if (*deadline <= now) return 0;
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(*deadline - now).count();
  return left > INT_MAX ? INT_MAX : static_cast<int>(left);
}

// Owns an epoll instance.  Registrations carry a tag built by make_tag().
class Epoll {
 public:
  // Creates the instance (close-on-exec); false with errno set on failure.
  [[nodiscard]] bool open() {
    fd_.reset(::epoll_create1(EPOLL_CLOEXEC));
    return fd_.valid();
  }
  int fd() const { return fd_.get(); }
  // Registers `fd` for `events`; false with errno set on failure.
  [[nodiscard]] bool add(int fd, std::uint32_t events, std::uint64_t tag) {
    return ctl(EPOLL_CTL_ADD, fd, events, tag);
  }
  // Changes the events of a registered `fd`.
  [[nodiscard]] bool modify(int fd, std::uint32_t events, std::uint64_t tag) {
    return ctl(EPOLL_CTL_MOD, fd, events, tag);
  }
  // Unregisters `fd` explicitly: a forked child may still hold a copy of it until its
  // exec, and the registration would outlive our close() until then.
  void remove(int fd) { ::epoll_ctl(fd_.get(), EPOLL_CTL_DEL, fd, nullptr); }

 private:
  bool ctl(int op, int fd, std::uint32_t events, std::uint64_t tag) {
    epoll_event ev{};
    ev.events = events;
    ev.data.u64 = tag;
    return ::epoll_ctl(fd_.get(), op, fd, &ev) == 0;
  }
  Fd fd_;
};

}  // namespace sup::posix
