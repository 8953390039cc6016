// Owner types for Linux file descriptors (pidfds, epoll, sockets, signalfd, pipes).
#pragma once

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace sup::posix {

// Owns one file descriptor and closes it when destroyed.  Move-only; never throws.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) noexcept : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(other.release()) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) reset(other.release());
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }

  // The descriptor, or -1 when empty.
  int get() const noexcept { return fd_; }
  bool valid() const noexcept { return fd_ >= 0; }
  // Gives up ownership without closing.
  int release() noexcept {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }
  // Closes the owned descriptor (if any) and takes `fd`.  close() errors are ignored:
  // the descriptor is gone either way on Linux, and a destructor must not fail.
  void reset(int fd = -1) noexcept {
    if (fd_ >= 0) {
      const int saved = errno;  // keep the caller's errno intact
      ::close(fd_);
      errno = saved;
    }
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

// The text of an errno value ("No such file or directory").
inline std::string errno_text(int err) {
  return std::strerror(err);
}

// "what: <errno text>" for the current errno.
inline std::string sys_error(const std::string& what) {
  return what + ": " + errno_text(errno);
}

}  // namespace sup::posix
