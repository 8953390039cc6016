// The daemon's side of the command channel on OpenVMS: the permanent mailbox whose device
// name the table's SUPERVISORD_CMD gives (control_address()), read by an AST-driven
// $QIO; replies go to the client's own temporary mailbox.
//
// A message on the command mailbox is a frame: a version byte (kFrameVersion), the length
// of the client's reply mailbox device name (1-64), that name, then one protocol record
// (doc/protocol.md).  The caller is who the read's IOSB names as the writer (its PID),
// then $GETJPI for its UIC: privileged when that is SYSTEM's [1,4] or the daemon's own.
// The reply mailbox must belong to the caller's UIC (DVI$_OWNUIC), so that a request
// cannot send its replies into another user's mailbox.  Replies are written with
// IO$M_NOW|IO$M_NORSWAIT (a full mailbox must never put the daemon in resource wait) and
// IO$M_READERCHECK (a client that is gone is noticed); a full mailbox keeps the rest
// queued until a room notification; finish() ends the conversation with an end-of-file.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "platform/platform.hpp"
#include "platform/vms/vms_table.hpp"

namespace sup::vms {

inline constexpr unsigned char kFrameVersion = 1;
inline constexpr std::size_t kMaxMailboxName = 64;
// Unsent reply bytes a slow client may hold before it is dropped (as on POSIX).
inline constexpr std::size_t kMaxQueuedBytes = 1024 * 1024;
// The largest reply record (doc/protocol.md: kMaxRecord) the client's mailbox takes.
inline constexpr std::size_t kReplyMessageMax = 8192;

// Frames a request for the command mailbox; empty when the name does not fit.
std::string frame_request(const std::string& reply_mailbox, const std::string& record);

// Splits a frame; false when it is malformed.
bool parse_frame(const char* data, std::size_t size, std::string& reply_mailbox,
                 std::string& record);

class CommandServer {
 public:
  CommandServer() = default;
  ~CommandServer();  // deletes the mailbox ($DELMBX) and deassigns it
  CommandServer(const CommandServer&) = delete;
  CommandServer& operator=(const CommandServer&) = delete;

  // Deletes the command mailbox an earlier daemon of this table left (when it is ours),
  // creates a permanent one with private protection (PRMMBX) and queues its first read.
  // `own_uic` is the daemon's.  Returns an error text, empty on success.
  [[nodiscard]] std::string open(const LnmTable& table, std::uint32_t own_uic);
  // The mailbox's device name, e.g. "_MBA42:" (what clients $ASSIGN).
  const std::string& address() const { return address_; }

  // The main line's share of a completed read: turns it and what else is queued into
  // ControlRequests (bounded per call), queues the next read; flushes the replies that
  // waited for room.
  void collect(std::vector<platform::Event>& out);
  void reply(platform::RequestId request, const std::string& record,
             std::vector<platform::Event>& out);
  void finish(platform::RequestId request, std::vector<platform::Event>& out);
  // True when the read could not be queued (collect() retries it).
  bool needs_poll() const { return !armed_; }

 private:
  struct Conversation {
    unsigned short channel = 0;
    std::deque<std::string> queue;
    std::size_t queued_bytes = 0;
    bool closing = false;  // finish() was called
    bool waiting = false;  // a room notification is armed
  };
  void on_message(std::uint32_t iosb_status, std::uint32_t count, std::uint32_t sender,
                  const char* data, std::vector<platform::Event>& out);
  // Writes what is queued; false when the client is gone.
  bool flush(Conversation& c);
  // Flushes, ends a finished conversation, or drops a gone client (ClientGone).
  void settle(platform::RequestId id, std::vector<platform::Event>& out);
  void drop(platform::RequestId id, bool gone, std::vector<platform::Event>& out);

  unsigned short channel_ = 0;
  std::string address_;
  std::uint32_t own_uic_ = 0;
  bool armed_ = false;
  std::map<platform::RequestId, Conversation> conversations_;
  platform::RequestId next_request_ = 1;
};

}  // namespace sup::vms
