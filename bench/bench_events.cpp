#include "bench_events.hpp"

#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "bench_proc.hpp"

namespace sup::bench {
namespace {

constexpr int kReceiveBuffer = 32 << 20;  // 2000 forks, execs and exits, and the others'

// The subscription message: a netlink header, a connector header, the operation.
constexpr std::size_t kSubscribeSize = sizeof(nlmsghdr) + sizeof(cn_msg) + sizeof(proc_cn_mcast_op);

}  // namespace

std::int64_t monotonic_ns() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

ProcEvents::~ProcEvents() {
  if (fd_ >= 0) ::close(fd_);
}

bool ProcEvents::open(std::string& error) {
  fd_ = ::socket(PF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_CONNECTOR);
  if (fd_ < 0) {
    error = std::string("netlink connector socket: ") + std::strerror(errno);
    return false;
  }
  const int size = kReceiveBuffer;
  if (::setsockopt(fd_, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) < 0)
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  sockaddr_nl addr{};
  addr.nl_family = AF_NETLINK;
  addr.nl_groups = CN_IDX_PROC;
  addr.nl_pid = 0;  // the kernel assigns one
  alignas(nlmsghdr) char msg[kSubscribeSize] = {};
  nlmsghdr header{};
  header.nlmsg_len = kSubscribeSize;
  header.nlmsg_type = NLMSG_DONE;
  cn_msg connector{};
  connector.id.idx = CN_IDX_PROC;
  connector.id.val = CN_VAL_PROC;
  connector.len = sizeof(proc_cn_mcast_op);
  const proc_cn_mcast_op op = PROC_CN_MCAST_LISTEN;
  std::memcpy(msg, &header, sizeof header);
  std::memcpy(msg + sizeof header, &connector, sizeof connector);
  std::memcpy(msg + sizeof header + sizeof connector, &op, sizeof op);
  if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0 ||
      ::send(fd_, msg, sizeof msg, 0) < 0) {
    error = std::string("proc connector: ") + std::strerror(errno);
    ::close(fd_);
    fd_ = -1;
    return false;
  }
  return true;
}

std::optional<ProcEvent> ProcEvents::decode(const char* data, std::size_t size) const {
  const auto* h = reinterpret_cast<const nlmsghdr*>(data);
  if (size < sizeof(nlmsghdr) || !NLMSG_OK(h, size)) return std::nullopt;
  const auto* cn = static_cast<const cn_msg*>(NLMSG_DATA(h));
  if (cn->id.idx != CN_IDX_PROC || cn->len < sizeof(proc_event)) return std::nullopt;
  proc_event e;
  std::memcpy(&e, cn->data, sizeof e);
  ProcEvent out;
  out.ns = static_cast<std::int64_t>(e.timestamp_ns);
  switch (e.what) {
    case proc_event::PROC_EVENT_FORK:
      if (e.event_data.fork.child_pid != e.event_data.fork.child_tgid) return std::nullopt;
      out.kind = ProcEvent::Kind::Fork;
      out.pid = e.event_data.fork.child_tgid;
      out.parent = e.event_data.fork.parent_tgid;
      return out;
    case proc_event::PROC_EVENT_EXEC:
      out.kind = ProcEvent::Kind::Exec;
      out.pid = e.event_data.exec.process_tgid;
      return out;
    case proc_event::PROC_EVENT_EXIT:
      if (e.event_data.exit.process_pid != e.event_data.exit.process_tgid) return std::nullopt;
      out.kind = ProcEvent::Kind::Exit;
      out.pid = e.event_data.exit.process_tgid;
      return out;
    default:
      return std::nullopt;
  }
}

std::optional<ProcEvent> ProcEvents::next(std::int64_t deadline_ns) {
  alignas(nlmsghdr) char buf[4096];
  for (;;) {
    check_interrupt();
    const std::int64_t left = deadline_ns - monotonic_ns();
    if (left <= 0) return std::nullopt;
    pollfd p{fd_, POLLIN, 0};
    const int ready =
        ::poll(&p, 1, static_cast<int>(std::min<std::int64_t>(left / 1000000 + 1, 100)));
    if (ready <= 0) continue;
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n < 0 && errno == ENOBUFS) return ProcEvent{};  // Lost
    if (n <= 0) continue;
    if (auto e = decode(buf, static_cast<std::size_t>(n))) return e;
  }
}

void ProcEvents::drain() {
  alignas(nlmsghdr) char buf[4096];
  while (::recv(fd_, buf, sizeof buf, MSG_DONTWAIT) > 0 || errno == ENOBUFS) {
  }
}

}  // namespace sup::bench
