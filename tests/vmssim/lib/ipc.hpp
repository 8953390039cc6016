// The process side of the IPC with the executive (see ../DESIGN.md, "How to add a service").
//
// The first service call connects to $VMSSIM_SOCKET and registers the process; a second
// connection carries the executive's unsolicited messages to a receiver thread, which
// copies data into the caller's buffers and calls rt::complete() / rt::queue_ast() /
// rt::wake().  Requests are synchronous, on the main thread, inside the caller's
// rt::ServiceScope; no function here allocates after registration (services may be called
// from ASTs, spec 2.1).
#pragma once

#include <cstddef>
#include <cstdint>

#include "../exec/protocol.hpp"

namespace vmssim::ipc {

// A reply as received: `body` points into the library's one reply buffer and stays valid
// until the next call().
struct Reply {
  std::uint32_t status;
  const std::uint8_t* body;
  std::size_t len;

  // The reply's fixed struct (zero-filled where the body is shorter).
  template <class T>
  T as() const {
    return proto::body_as<T>(body, len);
  }
};

// [main] Connects and registers on the first call; later calls return at once.  Aborts
// with a message when VMSSIM_SOCKET is unset or the executive refuses the process: a
// program that calls services must run under `vmssim --` (spec 2.4).
void ensure_registered();

// [any] True once this process has registered (its first service call is behind it).
bool registered();

// [main] This process's VMS PID (registers first).
std::uint32_t self_pid();

// [main] The value of a variant switch (spec 2.5) as the executive announced it.
std::uint32_t variant(proto::Variant which);

// [main] Sends request `type` with body `req` (then `extra`, `extra_len` variable bytes) and
// waits for its reply.  The executive may hold the reply back (a blocking service); signals
// interrupting the wait are retried.  Aborts when the executive is gone.
Reply call(std::uint32_t type, const void* req, std::size_t req_len, const void* extra = nullptr,
           std::size_t extra_len = 0);

// Convenience: call() with a fixed request struct.
template <class Req>
Reply call(std::uint32_t type, const Req& req, const void* extra = nullptr,
           std::size_t extra_len = 0) {
  return call(type, &req, sizeof req, extra, extra_len);
}

// [receiver thread] A handler of one async message type (kAsyncBase..kAsyncLimit): never
// allocates, never blocks on a main-thread lock.
using AsyncHandler = void (*)(const proto::Header& header, const std::uint8_t* body,
                              std::size_t len);

// [any] Installs the handler of an async type (kAsyncFirstFree and above are free; the
// built-in ones are kAsyncComplete, kAsyncWake, kAsyncForcex).  False when out of range.
bool set_async_handler(std::uint32_t type, AsyncHandler handler);

// [main] The library's $EXIT path, for the $FORCEX AST (defined in svc_process.cpp).
void forced_exit_ast(long long code);

}  // namespace vmssim::ipc
