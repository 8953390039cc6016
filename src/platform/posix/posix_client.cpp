// The client's side of the command channel (see posix_platform.hpp).
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <vector>

#include "platform/posix/posix_fd.hpp"
#include "platform/posix/posix_platform.hpp"
#include "platform/posix/posix_secure_dir.hpp"

namespace sup::posix {
namespace {

// Replies are kept well under 64 KiB by the protocol; anything larger is refused.
constexpr std::size_t kReplyLimit = 65536;

class SocketChannel final : public platform::ClientChannel {
 public:
  explicit SocketChannel(Fd fd) : fd_(std::move(fd)) {}

  std::string send(const std::string& record) override {
    for (;;) {
      if (::send(fd_.get(), record.data(), record.size(), MSG_NOSIGNAL) >= 0) return "";
      if (errno != EINTR) return sys_error("send to supervisord");
    }
  }

  std::optional<std::string> receive(int timeout_ms, std::string& error) override {
    error.clear();
    // A status reply is one record per program: take what is already queued without a
    // poll() first, and reuse one buffer (a fresh 64 KiB per record costs more than the
    // record itself).
    buf_.resize(kReplyLimit);
    for (;;) {
      // MSG_TRUNC makes recv return the record's real length even when it did not fit.
      const ssize_t n = ::recv(fd_.get(), buf_.data(), buf_.size(), MSG_TRUNC | MSG_DONTWAIT);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        // Nothing queued yet: readable, closed or failed after the wait, recv tells which.
        if (!wait_readable(timeout_ms, error)) return std::nullopt;
        continue;
      }
      if (n < 0) {
        error = sys_error("receive from supervisord");
        return std::nullopt;
      }
      if (n == 0) return std::nullopt;  // the daemon closed the channel
      if (static_cast<std::size_t>(n) > buf_.size()) {
        error = "reply record too large (" + std::to_string(n) + " bytes)";
        return std::nullopt;
      }
      return std::string(buf_.data(), static_cast<std::size_t>(n));
    }
  }

 private:
  bool wait_readable(int timeout_ms, std::string& error) {
    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms < 0 ? 0 : timeout_ms);
    for (;;) {
      int left = -1;
      if (timeout_ms >= 0) {
        const auto ms =
            std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
        left = ms < 0 ? 0 : static_cast<int>(ms);
      }
      pollfd p{fd_.get(), POLLIN, 0};
      const int n = ::poll(&p, 1, left);
      if (n > 0) return true;  // readable, closed or failed: recv tells which
      if (n < 0 && errno == EINTR) continue;
      error = n == 0 ? "timed out waiting for supervisord" : sys_error("poll");
      return false;
    }
  }

  Fd fd_;
  std::vector<char> buf_;
};

// Who listens at the other end (the credentials it had when it called listen()): root or
// `owner`, else an error text.  Nothing has been sent yet when this is asked.
std::string check_peer(int fd, const std::string& socket_path, unsigned owner) {
  ucred cred{};
  socklen_t len = sizeof cred;
  if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
    return sys_error("cannot tell who listens on " + socket_path);
  if (cred.uid == 0 || cred.uid == owner) return "";
  const std::string expected = owner == 0 ? "root" : "root or " + describe_uid(owner);
  return "the process listening on " + socket_path + " (pid " + std::to_string(cred.pid) +
         ") runs as " + describe_uid(cred.uid) + ", not as " + expected +
         ": nothing was sent to it";
}

}  // namespace

std::unique_ptr<platform::ClientChannel> connect_channel(const std::string& socket_path,
                                                         std::string& error) {
  return connect_channel(socket_path, static_cast<unsigned>(::geteuid()), error);
}

std::unique_ptr<platform::ClientChannel> connect_channel(const std::string& socket_path,
                                                         unsigned owner, std::string& error) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (socket_path.empty() || socket_path.size() >= sizeof addr.sun_path) {
    error = "connect " + socket_path + ": socket path empty or too long";
    return nullptr;
  }
  socket_path.copy(addr.sun_path, socket_path.size());
  Fd fd(::socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0));
  if (!fd.valid()) {
    error = sys_error("socket");
    return nullptr;
  }
  if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) < 0) {
    error = sys_error("connect " + socket_path);
    return nullptr;
  }
  error = check_peer(fd.get(), socket_path, owner);
  if (!error.empty()) return nullptr;
  return std::make_unique<SocketChannel>(std::move(fd));
}

}  // namespace sup::posix
