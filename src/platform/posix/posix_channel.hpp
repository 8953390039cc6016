// The daemon's side of the command channel: an AF_UNIX SOCK_SEQPACKET socket, one record
// per datagram.  Each received record becomes a ControlRequest with a fresh RequestId
// bound to its connection; replies are queued per connection and flushed on EPOLLOUT.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "platform/platform.hpp"
#include "platform/posix/posix_epoll.hpp"
#include "platform/posix/posix_fd.hpp"

namespace sup::posix {

// Largest request record accepted; one byte more is received so the core sees "too big".
constexpr std::size_t kRecordLimit = 8192;
// Connections beyond this are accepted and closed at once.
constexpr std::size_t kMaxConnections = 256;
// Unsent reply bytes a slow client may hold before it is dropped.
constexpr std::size_t kMaxQueuedBytes = 1024 * 1024;

class ControlServer {
 public:
  // Removes a stale socket file at `path` (the caller holds the table lock, so no live
  // daemon uses it), binds with mode 0600, listens and registers with `epoll`.
  // nullptr with `error` on failure.
  [[nodiscard]] static std::unique_ptr<ControlServer> open(const std::string& path, Epoll& epoll,
                                                           std::string& error);
  ~ControlServer();  // unlinks the socket file

  // The listening socket is readable: accepts every pending connection.
  void on_listen_ready();
  // A connection is ready: reads its records, flushes its queue, notices hang-ups.
  void on_connection_ready(std::uint64_t id, std::uint32_t events,
                           std::vector<platform::Event>& out);
  // Sends (or queues) one record to the client of `request`; a client that is gone or
  // too slow is dropped and a ClientGone event is appended to `out`.
  void reply(platform::RequestId request, const std::string& record,
             std::vector<platform::Event>& out);
  // Ends `request`: its connection closes once its queued records are sent.
  void finish(platform::RequestId request, std::vector<platform::Event>& out);

 private:
  struct Connection {
    Fd fd;
    platform::Caller caller;
    std::deque<std::string> queue;
    std::size_t queued_bytes = 0;
    std::set<platform::RequestId> requests;  // received and not finished
    bool closing = false;                    // finish() was called: no more reading
    std::uint32_t interest = 0;              // the epoll events registered now
  };

  ControlServer(std::string path, Fd fd, Epoll& epoll)
      : path_(std::move(path)), fd_(std::move(fd)), epoll_(epoll) {}
  void accept_one(Fd fd);
  // True when a new connection may be kept, after closing an idle one if needed.
  bool make_room();
  // Turns received records into ControlRequests; false when the peer is gone.
  bool read_records(std::uint64_t id, Connection& c, std::vector<platform::Event>& out);
  // Sends queued records until the socket is full; false when the peer is gone.
  bool flush(Connection& c);
  // Closes a finished, flushed connection, or adjusts its epoll interest to its state.
  void settle(std::uint64_t id, Connection& c, std::vector<platform::Event>& out);
  // Closes a connection; ClientGone for each request still open on it.
  void drop(std::uint64_t id, std::vector<platform::Event>& out);
  Connection* find_request(platform::RequestId request, std::uint64_t& id);

  std::string path_;
  Fd fd_;
  Epoll& epoll_;
  std::map<std::uint64_t, Connection> connections_;
  std::map<platform::RequestId, std::uint64_t> request_connection_;
  std::uint64_t next_connection_ = 1;
  platform::RequestId next_request_ = 1;
};

}  // namespace sup::posix
