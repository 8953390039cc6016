// The executive's loop (see server.hpp).  [G]
#include "exec/server.hpp"

#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <random>

namespace vmssim::exec {

struct Server::Conn {
  int id = 0;
  int fd = -1;
  std::uint64_t serial = 0;
  std::uint32_t pid = 0;  // the VMS process it belongs to, once registered / attached
  bool async = false;     // the process's unsolicited-message connection
  pid_t peer = -1;        // SO_PEERCRED
};

namespace {

constexpr std::uint64_t kPidfdTag = 1ull << 40;  // epoll data: pidfds vs connection ids
constexpr std::uint64_t kListenTag = 1ull << 41;
constexpr std::uint64_t kExternalTag = 1ull << 42;

int pidfd_open(pid_t pid) {
  return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
}

}  // namespace

std::int64_t vms_time_now() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return 0x007C95674BEB4000LL + static_cast<std::int64_t>(ts.tv_sec) * 10000000LL +
         ts.tv_nsec / 100;
}

Server::Server(Config config) : config_(std::move(config)), processes_(config_.max_processes) {}

Server::~Server() {
  for (auto& [id, c] : conns_) ::close(c->fd);
  for (auto& [fd, pid] : pidfds_) ::close(fd);
  if (listen_fd_ >= 0) ::close(listen_fd_);
  if (epoll_fd_ >= 0) ::close(epoll_fd_);
  if (trace_) std::fclose(trace_);
}

bool Server::start() {
  if (!config_.trace_file.empty()) trace_ = std::fopen(config_.trace_file.c_str(), "a");
  epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd_ < 0) return false;
  listen_fd_ = ::socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (listen_fd_ < 0) return false;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (config_.socket_path.size() >= sizeof addr.sun_path) {
    errno = ENAMETOOLONG;
    return false;
  }
  std::strcpy(addr.sun_path, config_.socket_path.c_str());
  ::unlink(addr.sun_path);
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return false;
  if (::listen(listen_fd_, 128) != 0) return false;
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = kListenTag;
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, listen_fd_, &ev) != 0) return false;
  if (!translate_filespec) {
    std::string root = config_.root;
    translate_filespec = [root](const std::string& spec, std::uint32_t) {
      return default_filespec(root, spec);
    };
  }
  register_all_services(*this);
  return true;
}

void Server::add_handler(std::uint32_t type, const char* name, Handler handler) {
  if (handlers_.count(type)) {
    std::fprintf(stderr, "vmssim: request type 0x%x registered twice (%s, %s)\n", type,
                 handlers_[type].first.c_str(), name);
    std::abort();
  }
  handlers_[type] = {name, std::move(handler)};
}

void Server::trace(const char* fmt, ...) {
  if (!trace_) return;
  static const auto t0 = std::chrono::steady_clock::now();
  std::fprintf(trace_, "%8.3f ",
               std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  va_list ap;
  va_start(ap, fmt);
  std::vfprintf(trace_, fmt, ap);
  va_end(ap);
  std::fputc('\n', trace_);
  std::fflush(trace_);
}

void Server::watch_fd(int fd, std::function<void()> fn) {
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = kExternalTag | static_cast<std::uint32_t>(fd);
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) == 0) external_[fd] = std::move(fn);
}

void Server::after(std::chrono::milliseconds delay, std::function<void()> fn) {
  timers_.emplace(std::chrono::steady_clock::now() + delay, std::move(fn));
}

int Server::next_timeout_ms() {
  if (timers_.empty()) return -1;
  auto d = timers_.begin()->first - std::chrono::steady_clock::now();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
  return ms < 0 ? 0 : static_cast<int>(ms) + 1;
}

void Server::run_timers() {
  auto now = std::chrono::steady_clock::now();
  while (!timers_.empty() && timers_.begin()->first <= now) {
    auto fn = std::move(timers_.begin()->second);
    timers_.erase(timers_.begin());
    fn();
  }
}

void Server::run(const std::function<bool()>& until) {
  epoll_event events[32];
  while (!stopping_ && !(until && until())) {
    int n = ::epoll_wait(epoll_fd_, events, 32, next_timeout_ms());
    if (n < 0) {
      if (errno == EINTR) continue;
      std::perror("vmssim: epoll_wait");
      return;
    }
    for (int i = 0; i < n; ++i) {
      std::uint64_t tag = events[i].data.u64;
      if (tag == kListenTag) {
        accept_clients();
      } else if (tag & kExternalTag) {
        auto it = external_.find(static_cast<int>(tag & 0xFFFFFFFF));
        if (it != external_.end()) {
          auto fn = it->second;
          fn();
        }
      } else if (tag & kPidfdTag) {
        on_pidfd(static_cast<int>(tag & 0xFFFFFFFF));
      } else {
        auto it = conns_.find(static_cast<int>(tag));
        if (it != conns_.end()) read_conn(*it->second);
      }
    }
    run_timers();
  }
}

void Server::accept_clients() {
  for (;;) {
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd < 0) return;
    auto c = std::make_unique<Conn>();
    c->id = next_conn_id_++;
    c->fd = fd;
    c->serial = next_serial_++;
    ucred cred{};
    socklen_t len = sizeof cred;
    if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0) c->peer = cred.pid;
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = static_cast<std::uint64_t>(c->id);
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev);
    conn_by_fd_[fd] = c->id;
    conns_[c->id] = std::move(c);
  }
}

void Server::read_conn(Conn& c) {
  static std::uint8_t buf[proto::kMaxMessage];
  for (;;) {
    ssize_t n = ::recv(c.fd, buf, sizeof buf, MSG_DONTWAIT);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (n <= 0) {
      close_conn(c.id);
      return;
    }
    dispatch(c, buf, static_cast<std::size_t>(n));
    if (!conns_.count(c.id)) return;  // closed by the handler
  }
}

void Server::close_conn(int id) {
  auto it = conns_.find(id);
  if (it == conns_.end()) return;
  Conn& c = *it->second;
  if (Process* p = processes_.find(c.pid)) {
    if (p->request_conn == id) p->request_conn = -1;
    if (p->async_conn == id) p->async_conn = -1;
  }
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, c.fd, nullptr);
  ::close(c.fd);
  conn_by_fd_.erase(c.fd);
  conns_.erase(it);
}

void Server::dispatch(Conn& c, const std::uint8_t* msg, std::size_t n) {
  if (n < sizeof(proto::Header)) return;
  proto::Header h;
  std::memcpy(&h, msg, sizeof h);
  Request req;
  req.type = h.type;
  req.seq = h.seq;
  req.conn = c.id;
  req.caller_pid = c.pid;
  req.body = msg + sizeof h;
  req.len = std::min<std::size_t>(n - sizeof h, h.body_len);
  // An async connection sends only its attach and answers to the executive's queries.
  if (c.async && h.type != proto::kAttach && h.type != proto::kStateReply) return;
  if (c.pid == 0 && h.type != proto::kRegister && h.type != proto::kAttach) {
    reply(req, 20 /* SS$_BADPARAM */);
    return;
  }
  auto it = handlers_.find(h.type);
  if (it == handlers_.end()) {
    trace("UNIMPLEMENTED request type 0x%x from %08X", h.type, c.pid);
    std::fprintf(stderr, "vmssim: UNIMPLEMENTED request type 0x%x\n", h.type);
    reply(req, 20 /* SS$_BADPARAM */);
    return;
  }
  trace("%08X %s", c.pid, it->second.first.c_str());
  it->second.second(*this, req);
}

bool Server::send_raw(Conn& c, std::uint32_t type, std::uint32_t seq, std::uint32_t status,
                      const void* body, std::size_t len, const void* extra, std::size_t extra_len) {
  static std::uint8_t buf[proto::kMaxMessage];
  if (sizeof(proto::Header) + len + extra_len > sizeof buf) return false;
  proto::Header h{type, seq, status, static_cast<std::uint32_t>(len + extra_len)};
  std::memcpy(buf, &h, sizeof h);
  if (len) std::memcpy(buf + sizeof h, body, len);
  if (extra_len) std::memcpy(buf + sizeof h + len, extra, extra_len);
  std::size_t total = sizeof h + len + extra_len;
  // The peer's receive queue is deep enough for everything the simulator sends; a send that
  // would block means the process is stuck or gone, so waiting briefly is all we do.
  for (int tries = 0; tries < 2000; ++tries) {
    ssize_t n = ::send(c.fd, buf, total, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n == static_cast<ssize_t>(total)) return true;
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      ::usleep(1000);
      continue;
    }
    return false;
  }
  return false;
}

void Server::reply(const Request& req, std::uint32_t status, const void* body, std::size_t len,
                   const void* extra, std::size_t extra_len) {
  auto it = conns_.find(req.conn);
  if (it == conns_.end()) return;
  send_raw(*it->second, req.type | proto::kReply, req.seq, status, body, len, extra, extra_len);
}

HeldReply Server::hold(const Request& req) {
  HeldReply h;
  h.conn = req.conn;
  auto it = conns_.find(req.conn);
  h.conn_serial = it == conns_.end() ? 0 : it->second->serial;
  h.type = req.type;
  h.seq = req.seq;
  return h;
}

bool Server::reply_held(const HeldReply& held, std::uint32_t status, const void* body,
                        std::size_t len, const void* extra, std::size_t extra_len) {
  auto it = conns_.find(held.conn);
  if (it == conns_.end() || it->second->serial != held.conn_serial) return false;
  return send_raw(*it->second, held.type | proto::kReply, held.seq, status, body, len, extra,
                  extra_len);
}

bool Server::send_async(std::uint32_t pid, std::uint32_t type, const void* body, std::size_t len,
                        const void* extra, std::size_t extra_len) {
  Process* p = processes_.find(pid);
  if (p && p->registered && p->async_conn < 0 && !p->terminated) {
    pending_async_[pid].push_back(
        {type, std::string(static_cast<const char*>(body), len),
         std::string(static_cast<const char*>(extra), extra ? extra_len : 0)});
    return true;
  }
  if (!p || p->async_conn < 0) return false;
  auto it = conns_.find(p->async_conn);
  if (it == conns_.end()) return false;
  return send_raw(*it->second, type, 0, 0, body, len, extra, extra_len);
}

bool Server::send_completion(std::uint32_t pid, const proto::Completion& c,
                             const std::vector<Copy>& copies) {
  std::string extra;
  proto::Completion head = c;
  head.nsegments = static_cast<std::uint32_t>(copies.size());
  for (const Copy& copy : copies) {
    proto::Segment s{copy.addr, static_cast<std::uint32_t>(copy.bytes.size()), 0};
    extra.append(reinterpret_cast<const char*>(&s), sizeof s);
    extra += copy.bytes;
  }
  return send_async(pid, proto::kAsyncComplete, &head, sizeof head, extra.data(), extra.size());
}

void Server::watch_process(Process& p) {
  if (p.pidfd < 0 && p.linux_pid > 0) p.pidfd = pidfd_open(p.linux_pid);
  if (p.pidfd < 0) return;
  ::fcntl(p.pidfd, F_SETFD, FD_CLOEXEC);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = kPidfdTag | static_cast<std::uint32_t>(p.pidfd);
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, p.pidfd, &ev);
  pidfds_[p.pidfd] = p.pid;
}

void Server::on_pidfd(int fd) {
  auto it = pidfds_.find(fd);
  if (it == pidfds_.end()) return;
  std::uint32_t pid = it->second;
  pidfds_.erase(it);
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
  Process* p = processes_.find(pid);
  int status = 0;
  bool have = false;
  if (p && p->our_child) {
    siginfo_t info{};
    (void)::waitid(static_cast<idtype_t>(3) /* P_PIDFD */, static_cast<id_t>(fd), &info,
                   WEXITED | WNOWAIT);
    p->cputim = cpu_time_10ms(p->linux_pid);
    if (::waitid(static_cast<idtype_t>(3) /* P_PIDFD */, static_cast<id_t>(fd), &info, WEXITED) ==
        0) {
      have = true;
      status = info.si_code == CLD_EXITED ? W_EXITCODE(info.si_status, 0) : info.si_status;
    }
  }
  ::close(fd);
  if (p) {
    p->pidfd = -1;
    process_ended(*p, status, have);
  }
}

// --- core services ----------------------------------------------------------------------

void register_core_services(Server& server) {
  server.add_handler(proto::kRegister, "REGISTER", [](Server& s, const Request& req) {
    auto r = req.as<proto::RegisterReq>();
    r.token[sizeof r.token - 1] = 0;
    std::string token = r.token;
    // The connection's peer, from SO_PEERCRED.
    pid_t peer = -1;
    int fd = -1;
    (void)fd;
    Process* p = nullptr;
    if (!token.empty()) {
      for (Process* q : s.processes().in_slot_order())
        if (!q->terminated && q->token == token) p = q;
      if (!p) {
        s.reply(req, 20 /* SS$_BADPARAM */);
        return;
      }
      p->token.clear();
    } else {
      // A program the harness started: an interactive process with owner 0 (spec 2.2).
      const User* u = find_user(s.config().user);
      p = s.processes().allocate();
      if (!u || !p) {
        s.reply(req, u ? 924 /* SS$_NOSLOT */ : 8324 /* SS$_NOSUCHUSER */);
        return;
      }
      p->interactive = true;
      p->detached = true;
      p->owner = 0;
      p->uic = u->uic;
      p->username = u->name;
      p->account = u->account;
      p->authpriv = u->authpriv;
      p->curpriv = u->defpriv;
      p->quota = pql_defaults();
      p->login_time = vms_time_now();
      p->personas[1] = Persona{u->name, u->uic, u->account, u->authpriv};
    }
    s.bind_request_conn(req, *p, peer);
    proto::RegisterRep rep{};
    rep.pid = p->pid;
    rep.astlm = p->quota[1];
    std::random_device rd;
    p->cookie = (static_cast<std::uint64_t>(rd()) << 32) | rd();
    rep.cookie = p->cookie;
    for (unsigned i = 0; i < 8; ++i) rep.variants[i] = s.config().variants[i];
    s.reply(req, 1, &rep, sizeof rep);
    for (auto& hook : s.on_process_created)
      if (p->interactive) hook(*p);
  });
  server.add_handler(proto::kAttach, "ATTACH", [](Server& s, const Request& req) {
    auto a = req.as<proto::AttachReq>();
    Process* p = s.processes().find(a.pid);
    if (!p || p->cookie != a.cookie || p->cookie == 0) {
      s.reply(req, 20 /* SS$_BADPARAM */);
      return;
    }
    s.bind_async_conn(req, *p);
    s.reply(req, 1);  // the process waits for this before it goes on
  });
  server.add_handler(proto::kPing, "PING", [](Server& s, const Request& req) {
    auto r = req.as<proto::PingReq>();
    proto::PingRep rep{r.value, req.caller_pid};
    s.reply(req, 1, &rep, sizeof rep);
  });
}

void Server::bind_request_conn(const Request& req, Process& p, pid_t) {
  auto it = conns_.find(req.conn);
  if (it == conns_.end()) return;
  Conn& c = *it->second;
  c.pid = p.pid;
  p.request_conn = c.id;
  p.registered = true;
  if (p.interactive && p.linux_pid < 0) {
    p.linux_pid = c.peer;
    watch_process(p);
  }
}

void Server::bind_async_conn(const Request& req, Process& p) {
  auto it = conns_.find(req.conn);
  if (it == conns_.end()) return;
  it->second->pid = p.pid;
  it->second->async = true;
  p.async_conn = it->second->id;
  auto pending = pending_async_.find(p.pid);
  if (pending == pending_async_.end()) return;
  std::vector<PendingAsync> msgs = std::move(pending->second);
  pending_async_.erase(pending);
  for (const PendingAsync& m : msgs) {
    send_raw(*it->second, m.type, 0, 0, m.body.data(), m.body.size(), m.extra.data(),
             m.extra.size());
  }
}

std::string default_filespec(const std::string& root, const std::string& spec) {
  if (spec.empty()) return {};
  if (spec[0] == '/') return spec;
  std::string up;
  for (char ch : spec) up += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  if (up == "NL:" || up == "_NL:" || up == "NLA0:" || up == "_NLA0:") return "/dev/null";
  std::string rest;
  std::string dir;
  auto colon = up.find(':');
  if (colon == std::string::npos) return {};
  std::string dev = up.substr(0, colon);
  if (!dev.empty() && dev[0] == '_') dev.erase(0, 1);
  rest = spec.substr(colon + 1);
  if (dev == "SYS$SYSTEM")
    dir = root + "/disk/system";
  else if (dev == "SYS$HELP")
    dir = root + "/disk/help";
  else if (dev == "SIM$DISK" || dev == "DKA0")
    dir = root + "/disk";
  else
    return {};
  // [A.B]NAME.TYP;n -> a/b/name.typ, case-blind (lower case on disk), version ignored.
  std::string path = dir;
  if (!rest.empty() && (rest[0] == '[' || rest[0] == '<')) {
    auto close = rest.find_first_of("]>");
    if (close == std::string::npos) return {};
    std::string dirs = rest.substr(1, close - 1);
    rest = rest.substr(close + 1);
    std::string part;
    for (char ch : dirs + ".") {
      if (ch == '.') {
        if (!part.empty()) path += "/" + part;
        part.clear();
      } else {
        part += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      }
    }
  }
  auto semi = rest.find(';');
  if (semi != std::string::npos) rest.erase(semi);
  std::string name;
  for (char ch : rest) name += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return name.empty() ? path : path + "/" + name;
}

}  // namespace vmssim::exec
