#include "platform/posix/posix_channel.hpp"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>

namespace sup::posix {
namespace {

constexpr int kListenBacklog = 64;
constexpr int kAcceptsPerWakeup = 64;
constexpr int kRecordsPerWakeup = 16;  // bounded so one chatty client cannot starve the loop

// Binds `fd` at `path` with mode 0600: the umask covers the window before chmod.
std::string bind_private(int fd, const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path) {
    return "socket path too long (" + std::to_string(path.size()) + " bytes, at most " +
           std::to_string(sizeof addr.sun_path - 1) + "): " + path;
  }
  path.copy(addr.sun_path, path.size());
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) {
    if (!S_ISSOCK(st.st_mode)) return "cannot bind " + path + ": it exists and is not a socket";
    ::unlink(path.c_str());  // stale: we hold the table lock, so no daemon owns it
  }
  const mode_t old_mask = ::umask(077);
  const int rc = ::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
  const int bind_errno = errno;
  ::umask(old_mask);
  if (rc < 0) return "bind " + path + ": " + errno_text(bind_errno);
  if (::chmod(path.c_str(), 0600) < 0) return sys_error("chmod " + path);
  return "";
}

}  // namespace

std::unique_ptr<ControlServer> ControlServer::open(const std::string& path, Epoll& epoll,
                                                   std::string& error) {
  Fd fd(::socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd.valid()) {
    error = sys_error("socket");
    return nullptr;
  }
  error = bind_private(fd.get(), path);
  if (!error.empty()) return nullptr;
  std::unique_ptr<ControlServer> server(new ControlServer(path, std::move(fd), epoll));
  if (::listen(server->fd_.get(), kListenBacklog) < 0) {
    error = sys_error("listen " + path);
    return nullptr;
  }
  if (!epoll.add(server->fd_.get(), EPOLLIN, make_tag(Source::Listen, 0))) {
    error = sys_error("epoll_ctl");
    return nullptr;
  }
  return server;
}

ControlServer::~ControlServer() {
  for (auto& [id, c] : connections_) epoll_.remove(c.fd.get());
  epoll_.remove(fd_.get());
  ::unlink(path_.c_str());
}

void ControlServer::on_listen_ready() {
  for (int i = 0; i < kAcceptsPerWakeup; ++i) {
    Fd fd(::accept4(fd_.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
    if (fd.valid()) {
      accept_one(std::move(fd));
    } else if (errno != EINTR && errno != ECONNABORTED) {
      return;  // EAGAIN: none left
    }
  }
}

// At the cap, the oldest connection with nothing under way (no request, nothing to send)
// makes room: clients that connect and stay silent cannot lock the others out.  Only
// when every connection is busy is the new one refused (closed at once).
bool ControlServer::make_room() {
  if (connections_.size() < kMaxConnections) return true;
  for (auto it = connections_.begin(); it != connections_.end(); ++it) {
    const Connection& c = it->second;
    if (c.requests.empty() && c.queue.empty() && !c.closing) {
      epoll_.remove(c.fd.get());
      connections_.erase(it);
      return true;
    }
  }
  return false;
}

void ControlServer::accept_one(Fd fd) {
  if (!make_room()) return;  // refused: closed at once
  ucred cred{};
  socklen_t len = sizeof cred;
  if (::getsockopt(fd.get(), SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0) return;
  const std::uint64_t id = next_connection_++;
  Connection c;
  c.caller.uid = cred.uid;
  c.caller.pid = static_cast<std::uint64_t>(cred.pid);
  c.caller.privileged = cred.uid == 0 || cred.uid == ::geteuid();
  if (!epoll_.add(fd.get(), EPOLLIN, make_tag(Source::Connection, id))) return;
  c.fd = std::move(fd);
  c.interest = EPOLLIN;
  connections_.emplace(id, std::move(c));
}

void ControlServer::on_connection_ready(std::uint64_t id, std::uint32_t events,
                                        std::vector<platform::Event>& out) {
  auto it = connections_.find(id);
  if (it == connections_.end()) return;
  Connection& c = it->second;
  if ((events & EPOLLOUT) && !flush(c)) return drop(id, out);
  if ((events & EPOLLIN) && !c.closing) {
    if (!read_records(id, c, out)) return drop(id, out);
  }
  if (events & (EPOLLHUP | EPOLLERR)) return drop(id, out);
  settle(id, c, out);
}

bool ControlServer::read_records(std::uint64_t id, Connection& c,
                                 std::vector<platform::Event>& out) {
  // One byte more than the limit: an oversized record reaches the core as such.
  char buf[kRecordLimit + 1];
  for (int i = 0; i < kRecordsPerWakeup; ++i) {
    const ssize_t n = ::recv(c.fd.get(), buf, sizeof buf, MSG_DONTWAIT);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK;
    if (n == 0) return false;  // the client closed its end
    platform::Event e;
    e.kind = platform::Event::Kind::ControlRequest;
    e.request = next_request_++;
    e.caller = c.caller;
    e.payload.assign(buf, static_cast<std::size_t>(n));
    c.requests.insert(e.request);
    request_connection_[e.request] = id;
    out.push_back(std::move(e));
  }
  return true;
}

bool ControlServer::flush(Connection& c) {
  while (!c.queue.empty()) {
    const std::string& record = c.queue.front();
    const ssize_t n = ::send(c.fd.get(), record.data(), record.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK;  // full: wait for EPOLLOUT
    c.queued_bytes -= record.size();
    c.queue.pop_front();
  }
  return true;
}

void ControlServer::settle(std::uint64_t id, Connection& c, std::vector<platform::Event>& out) {
  if (c.closing && c.queue.empty()) return drop(id, out);
  const std::uint32_t want =
      (c.closing ? 0u : std::uint32_t{EPOLLIN}) | (c.queue.empty() ? 0u : std::uint32_t{EPOLLOUT});
  if (want == c.interest) return;  // no system call when nothing changes
  if (!epoll_.modify(c.fd.get(), want, make_tag(Source::Connection, id))) return drop(id, out);
  c.interest = want;
}

void ControlServer::drop(std::uint64_t id, std::vector<platform::Event>& out) {
  auto it = connections_.find(id);
  if (it == connections_.end()) return;
  for (platform::RequestId r : it->second.requests) {
    platform::Event e;
    e.kind = platform::Event::Kind::ClientGone;
    e.request = r;
    out.push_back(e);
    request_connection_.erase(r);
  }
  epoll_.remove(it->second.fd.get());
  connections_.erase(it);
}

ControlServer::Connection* ControlServer::find_request(platform::RequestId request,
                                                       std::uint64_t& id) {
  const auto r = request_connection_.find(request);
  if (r == request_connection_.end()) return nullptr;
  const auto c = connections_.find(r->second);
  if (c == connections_.end()) return nullptr;
  id = r->second;
  return &c->second;
}

void ControlServer::reply(platform::RequestId request, const std::string& record,
                          std::vector<platform::Event>& out) {
  std::uint64_t id = 0;
  Connection* c = find_request(request, id);
  if (!c) return;  // unknown, finished or gone: ignored
  if (c->queued_bytes + record.size() > kMaxQueuedBytes) return drop(id, out);  // too slow a reader
  c->queue.push_back(record);
  c->queued_bytes += record.size();
  if (!flush(*c)) return drop(id, out);
  settle(id, *c, out);
}

void ControlServer::finish(platform::RequestId request, std::vector<platform::Event>& out) {
  std::uint64_t id = 0;
  Connection* c = find_request(request, id);
  if (!c) return;
  c->requests.erase(request);
  request_connection_.erase(request);
  c->closing = true;
  settle(id, *c, out);
}

}  // namespace sup::posix
