// The process side of the IPC (see ipc.hpp).  [G]
#include "ipc.hpp"

#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "kernel.hpp"

namespace vmssim::ipc {
namespace {

int g_request_fd = -1;  // main thread only
int g_async_fd = -1;    // the receiver thread's
std::uint32_t g_pid = 0;
std::uint32_t g_seq = 0;
std::uint32_t g_variants[8] = {};
pthread_t g_receiver;

// One buffer each way: requests are synchronous and only the main thread makes them, and a
// service is never interrupted by an AST that calls another (rt::ServiceScope).
alignas(16) std::uint8_t g_send[proto::kMaxMessage];
alignas(16) std::uint8_t g_recv[proto::kMaxMessage];
alignas(16) std::uint8_t g_async[proto::kMaxMessage];  // receiver thread only

std::atomic<AsyncHandler> g_handlers[proto::kAsyncLimit - proto::kAsyncBase];

[[noreturn]] void fatal(const char* what) {
  // Not stdio: this may run with the heap or stdio locks in any state.
  char line[256];
  int n = std::snprintf(line, sizeof line, "vmssim client: %s (errno %d)\n", what, errno);
  if (n > 0) (void)!::write(2, line, static_cast<std::size_t>(n));
  std::abort();
}

int connect_socket(const char* path) {
  int fd = ::socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
  if (fd < 0) fatal("socket");
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (std::strlen(path) >= sizeof addr.sun_path) fatal("VMSSIM_SOCKET path too long");
  std::strcpy(addr.sun_path, path);
  while (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    if (errno != EINTR) fatal("cannot connect to the executive at VMSSIM_SOCKET");
  }
  return fd;
}

void send_message(int fd, std::uint32_t type, std::uint32_t seq, const void* body, std::size_t len,
                  const void* extra, std::size_t extra_len) {
  if (sizeof(proto::Header) + len + extra_len > sizeof g_send) fatal("request too large");
  proto::Header h{type, seq, 0, static_cast<std::uint32_t>(len + extra_len)};
  std::memcpy(g_send, &h, sizeof h);
  if (len) std::memcpy(g_send + sizeof h, body, len);
  if (extra_len) std::memcpy(g_send + sizeof h + len, extra, extra_len);
  std::size_t total = sizeof h + len + extra_len;
  for (;;) {
    ssize_t n = ::send(fd, g_send, total, MSG_NOSIGNAL);
    if (n == static_cast<ssize_t>(total)) return;
    if (n < 0 && errno == EINTR) continue;
    fatal("the executive is gone (send)");
  }
}

// Receives one message into `buf`; returns its length, 0 at end of stream.
std::size_t receive_message(int fd, std::uint8_t* buf, std::size_t cap) {
  for (;;) {
    ssize_t n = ::recv(fd, buf, cap, 0);
    if (n >= 0) return static_cast<std::size_t>(n);
    if (errno != EINTR) return 0;
  }
}

// --- the built-in async handlers (receiver thread) ---

void on_complete(const proto::Header&, const std::uint8_t* body, std::size_t len) {
  if (len < sizeof(proto::Completion)) return;
  proto::Completion c;
  std::memcpy(&c, body, sizeof c);
  std::size_t off = sizeof c;
  for (std::uint32_t i = 0; i < c.nsegments; ++i) {
    if (off + sizeof(proto::Segment) > len) return;
    proto::Segment s;
    std::memcpy(&s, body + off, sizeof s);
    off += sizeof s;
    if (off + s.len > len) return;
    if (s.addr && s.len) std::memcpy(reinterpret_cast<void*>(s.addr), body + off, s.len);
    off += s.len;
  }
  rt::complete(reinterpret_cast<void*>(c.iosb), c.iosb_value, c.efn,
               reinterpret_cast<rt::AstRoutine>(c.ast), c.astprm);
}

void on_wake(const proto::Header&, const std::uint8_t*, std::size_t) {
  rt::wake();
}

void on_forcex(const proto::Header&, const std::uint8_t* body, std::size_t len) {
  auto m = proto::body_as<proto::ForcexMsg>(body, len);
  // $FORCEX queues a user-mode AST that calls $EXIT(code); no ASTLM check on VMS's side is
  // documented, so an exhausted ASTLM is the only way it is lost here.  [V HELP; G]
  (void)rt::queue_ast(&forced_exit_ast, static_cast<long long>(m.code));
}

void on_state_query(const proto::Header&, const std::uint8_t* body, std::size_t len) {
  auto q = proto::body_as<proto::StateQueryMsg>(body, len);
  // Built on this thread's stack: g_send belongs to the main thread.
  struct {
    proto::Header h;
    proto::StateReplyMsg m;
  } msg{{proto::kStateReply, 0, 0, sizeof(proto::StateReplyMsg)},
        {q.query, static_cast<std::uint32_t>(rt::wait_state())}};
  (void)::send(g_async_fd, &msg, sizeof msg, MSG_NOSIGNAL);
}

void* receiver_main(void*) {
  for (;;) {
    std::size_t n = receive_message(g_async_fd, g_async, sizeof g_async);
    if (n < sizeof(proto::Header)) return nullptr;  // executive gone: teardown kills us
    proto::Header h;
    std::memcpy(&h, g_async, sizeof h);
    if (h.type < proto::kAsyncBase || h.type >= proto::kAsyncLimit) continue;
    std::size_t blen = n - sizeof h;
    if (h.body_len < blen) blen = h.body_len;
    AsyncHandler handler = g_handlers[h.type - proto::kAsyncBase].load();
    if (handler) handler(h, g_async + sizeof h, blen);
  }
}

void on_fork_child() {
  static const char msg[] =
      "vmssim client: fork() in a simulated process (it does not link on VMS, spec 2.2)\n";
  (void)!::write(2, msg, sizeof msg - 1);
  std::abort();
}

}  // namespace

void ensure_registered() {
  if (g_request_fd >= 0) return;
  rt::init();
  const char* path = std::getenv("VMSSIM_SOCKET");
  if (!path || !*path) fatal("VMSSIM_SOCKET is not set: run the program under `vmssim --`");
  g_handlers[proto::kAsyncComplete - proto::kAsyncBase].store(&on_complete);
  g_handlers[proto::kAsyncWake - proto::kAsyncBase].store(&on_wake);
  g_handlers[proto::kAsyncForcex - proto::kAsyncBase].store(&on_forcex);
  g_handlers[proto::kAsyncStateQuery - proto::kAsyncBase].store(&on_state_query);

  g_request_fd = connect_socket(path);
  proto::RegisterReq req{};
  if (const char* token = std::getenv("VMSSIM_PROCESS_TOKEN")) {
    std::snprintf(req.token, sizeof req.token, "%s", token);
    // Claimed once: a program this process starts is not this VMS process.
    ::unsetenv("VMSSIM_PROCESS_TOKEN");
  }
  Reply rep = call(proto::kRegister, req);
  if (rep.status != 1) fatal("the executive refused the registration");
  auto r = rep.as<proto::RegisterRep>();
  g_pid = r.pid;
  std::memcpy(g_variants, r.variants, sizeof g_variants);
  rt::set_astlm(r.astlm);

  g_async_fd = connect_socket(path);
  proto::AttachReq attach{g_pid, 0, r.cookie};
  send_message(g_async_fd, proto::kAttach, 0, &attach, sizeof attach, nullptr, 0);
  // Waited for: until the executive has tied this connection to the process, a $WAKE or
  // $FORCEX aimed at it would find no way in (and $FORCEX would fall back to SIGTERM).
  std::size_t n = receive_message(g_async_fd, g_async, sizeof g_async);
  proto::Header ack{};
  if (n >= sizeof ack) std::memcpy(&ack, g_async, sizeof ack);
  if (ack.type != (proto::kAttach | proto::kReply) || ack.status != 1)
    fatal("the executive refused the async connection");

  // The receiver takes no signals: the runtime's delivery signal is aimed at main.
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  int err = pthread_create(&g_receiver, nullptr, &receiver_main, nullptr);
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  if (err != 0) fatal("pthread_create of the receiver thread");
  pthread_detach(g_receiver);
  pthread_atfork(nullptr, nullptr, &on_fork_child);
}

bool registered() {
  return g_pid != 0;
}

std::uint32_t self_pid() {
  ensure_registered();
  return g_pid;
}

std::uint32_t variant(proto::Variant which) {
  ensure_registered();
  return which < 8 ? g_variants[which] : 0;
}

Reply call(std::uint32_t type, const void* req, std::size_t req_len, const void* extra,
           std::size_t extra_len) {
  if (type != proto::kRegister) ensure_registered();
  std::uint32_t seq = ++g_seq;
  send_message(g_request_fd, type, seq, req, req_len, extra, extra_len);
  for (;;) {
    std::size_t n = receive_message(g_request_fd, g_recv, sizeof g_recv);
    if (n < sizeof(proto::Header)) fatal("the executive is gone (no reply)");
    proto::Header h;
    std::memcpy(&h, g_recv, sizeof h);
    if (h.seq != seq || h.type != (type | proto::kReply)) continue;  // a stale reply
    std::size_t blen = n - sizeof h;
    if (h.body_len < blen) blen = h.body_len;
    return Reply{h.status, g_recv + sizeof h, blen};
  }
}

bool set_async_handler(std::uint32_t type, AsyncHandler handler) {
  if (type < proto::kAsyncBase || type >= proto::kAsyncLimit) return false;
  g_handlers[type - proto::kAsyncBase].store(handler);
  return true;
}

}  // namespace vmssim::ipc
