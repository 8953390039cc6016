#include "platform/vms/vms_command.hpp"

#include <cstring>

#include "platform/vms/vms_ast.hpp"
#include "platform/vms/vms_sys.hpp"

#include <iodef.h>

namespace sup::vms {
namespace {

// Buffer quota of the command mailbox: a few full-size requests at once.
constexpr unsigned kCommandBufQuota = 4 * kCommandMessageMax;
// Requests read in one go before the AST-driven read is queued again (as on POSIX, so
// that one chatty client cannot starve the loop).
constexpr int kRecordsPerWakeup = 16;

constexpr unsigned kReplyWrite = IO$_WRITEVBLK | IO$M_NOW | IO$M_NORSWAIT | IO$M_READERCHECK;
constexpr unsigned kReplyEof = IO$_WRITEOF | IO$M_NOW | IO$M_NORSWAIT | IO$M_READERCHECK;

// Writes `size` bytes of `data` (copied into stack storage first) to a client's mailbox.
// Returns the service's status, else the IOSB's.
std::uint32_t write_message(unsigned short channel, unsigned func, const char* data,
                            std::size_t size) {
  char buf[kReplyMessageMax];
  if (size > sizeof buf) return SS$_MBTOOSML;
  if (size) std::memcpy(buf, data, size);
  IOSB iosb{};
  std::uint32_t status = sys$qiow(EFN$C_ENF, channel, func, &iosb, nullptr, 0, buf,
                                  static_cast<__int64>(size), 0, 0, 0, 0);
  if (ok(status)) status = iosb.iosb$w_status;
  return status;
}

}  // namespace

std::string frame_request(const std::string& reply_mailbox, const std::string& record) {
  if (reply_mailbox.empty() || reply_mailbox.size() > kMaxMailboxName) return "";
  std::string frame;
  frame.reserve(2 + reply_mailbox.size() + record.size());
  frame += static_cast<char>(kFrameVersion);
  frame += static_cast<char>(reply_mailbox.size());
  frame += reply_mailbox;
  frame += record;
  return frame;
}

bool parse_frame(const char* data, std::size_t size, std::string& reply_mailbox,
                 std::string& record) {
  if (size < 2 || static_cast<unsigned char>(data[0]) != kFrameVersion) return false;
  const std::size_t n = static_cast<unsigned char>(data[1]);
  if (n == 0 || n > kMaxMailboxName || size < 2 + n) return false;
  reply_mailbox.assign(data + 2, n);
  record.assign(data + 2 + n, size - 2 - n);
  return true;
}

CommandServer::~CommandServer() {
  for (auto& [id, c] : conversations_) deassign(c.channel);
  if (channel_ == 0) return;
  cancel_command_read();
  (void)sys$delmbx(channel_);  // permanent: it goes once its last channel is deassigned
  deassign(channel_);
}

std::string CommandServer::open(const LnmTable& table, std::uint32_t own_uic) {
  own_uic_ = own_uic;
  if (auto old = table.get("SUPERVISORD_CMD")) {
    unsigned short chan = 0;
    DeviceInfo dev;
    if (ok(assign(*old, chan))) {
      // Left by an earlier daemon of this table (the caller made sure none runs): its
      // requests were for that daemon.  Somebody else's device is left alone.
      if (ok(device_info(chan, dev)) && dev.devclass == kMailboxClass && dev.owner == own_uic)
        (void)sys$delmbx(chan);
      deassign(chan);
    }
  }
  unsigned short chan = 0;
  std::uint32_t status = sys$crembx(1, &chan, kCommandMessageMax, kCommandBufQuota,
                                    kPrivateProtection, 0, nullptr, 0, 0);
  if (!ok(status)) return failure("cannot create the permanent command mailbox", status);
  channel_ = chan;
  DeviceInfo dev;
  status = device_info(chan, dev);
  if (!ok(status)) return failure("cannot read the command mailbox's name", status);
  address_ = dev.name;
  ast_area().command.channel = channel_;
  armed_ = ok(queue_command_read());
  if (!armed_) return "cannot read the command mailbox " + address_;
  return "";
}

void CommandServer::on_message(std::uint32_t iosb_status, std::uint32_t count, std::uint32_t sender,
                               const char* data, std::vector<platform::Event>& out) {
  // SS$_BUFFEROVF is a success: the message was longer than the buffer, and the record
  // cut from it is longer than any valid one, which the core refuses as such.
  if (!ok(iosb_status)) return;
  std::string mailbox, record;
  if (!parse_frame(data, count, mailbox, record)) return;  // nobody to answer
  ProcessInfo caller;
  if (!ok(process_info(sender, caller))) return;  // the client is gone already
  Conversation c;
  if (!ok(assign(mailbox, c.channel))) return;
  DeviceInfo dev;
  if (!ok(device_info(c.channel, dev)) || dev.devclass != kMailboxClass ||
      dev.owner != caller.uic) {
    deassign(c.channel);
    return;
  }
  platform::Event e;
  e.kind = platform::Event::Kind::ControlRequest;
  e.request = next_request_++;
  e.caller.uid = caller.uic;
  e.caller.pid = sender;
  e.caller.privileged = caller.uic == kSystemUic || caller.uic == own_uic_;
  e.payload = std::move(record);
  conversations_.emplace(e.request, std::move(c));
  out.push_back(std::move(e));
}

void CommandServer::collect(std::vector<platform::Event>& out) {
  auto& r = ast_area().command;
  // Completed once the IOSB is written (0: in progress), whether or not its AST has run:
  // at AST level (a forced exit) it never does.
  if (r.pending && r.iosb.iosb$w_status != 0) {
    r.done = 0;
    r.pending = 0;
    on_message(r.iosb.iosb$w_status, r.iosb.iosb$w_bcnt, r.iosb.iosb$l_pid, r.buffer, out);
  }
  if (!r.pending) {
    for (int i = 0; i < kRecordsPerWakeup; ++i) {
      std::uint32_t status =
          sys$qiow(EFN$C_ENF, channel_, IO$_READVBLK | IO$M_NOW, &r.iosb, nullptr, 0, r.buffer,
                   static_cast<__int64>(sizeof r.buffer), 0, 0, 0, 0);
      if (!ok(status) || r.iosb.iosb$w_status == SS$_ENDOFFILE) break;
      on_message(r.iosb.iosb$w_status, r.iosb.iosb$w_bcnt, r.iosb.iosb$l_pid, r.buffer, out);
    }
    // More may be queued: then this read completes at once and its AST wakes us again.
    armed_ = ok(queue_command_read());
  }
  if (ast_area().room) {
    ast_area().room = 0;
    std::vector<platform::RequestId> waiting;
    for (auto& [id, c] : conversations_)
      if (c.waiting) {
        c.waiting = false;
        waiting.push_back(id);
      }
    for (auto id : waiting) settle(id, out);
  }
}

bool CommandServer::flush(Conversation& c) {
  while (!c.queue.empty()) {
    const std::string& record = c.queue.front();
    const std::uint32_t status =
        write_message(c.channel, kReplyWrite, record.data(), record.size());
    if (status == SS$_MBFULL) {
      if (c.waiting) return true;  // the room notification will call us again
      if (!ok(arm_room_notify(c.channel))) return false;
      c.waiting = true;
      continue;  // room may have appeared before the notification was armed
    }
    if (!ok(status)) return false;  // SS$_NOREADER, the device gone...: the client is
    c.queued_bytes -= record.size();
    c.queue.pop_front();
  }
  return true;
}

void CommandServer::settle(platform::RequestId id, std::vector<platform::Event>& out) {
  auto it = conversations_.find(id);
  if (it == conversations_.end()) return;
  Conversation& c = it->second;
  if (!c.waiting && !flush(c)) return drop(id, true, out);
  if (!c.closing || !c.queue.empty() || c.waiting) return;
  const std::uint32_t status = write_message(c.channel, kReplyEof, nullptr, 0);
  if (status == SS$_MBFULL && ok(arm_room_notify(c.channel))) {
    c.waiting = true;
    return;
  }
  drop(id, false, out);  // finished: written, or the client went away after its reply
}

void CommandServer::drop(platform::RequestId id, bool gone, std::vector<platform::Event>& out) {
  auto it = conversations_.find(id);
  if (it == conversations_.end()) return;
  deassign(it->second.channel);
  conversations_.erase(it);
  if (!gone) return;
  platform::Event e;
  e.kind = platform::Event::Kind::ClientGone;
  e.request = id;
  out.push_back(e);
}

void CommandServer::reply(platform::RequestId request, const std::string& record,
                          std::vector<platform::Event>& out) {
  auto it = conversations_.find(request);
  if (it == conversations_.end() || it->second.closing) return;
  Conversation& c = it->second;
  if (c.queued_bytes + record.size() > kMaxQueuedBytes) return drop(request, true, out);
  c.queue.push_back(record);
  c.queued_bytes += record.size();
  settle(request, out);
}

void CommandServer::finish(platform::RequestId request, std::vector<platform::Event>& out) {
  auto it = conversations_.find(request);
  if (it == conversations_.end()) return;
  it->second.closing = true;
  settle(request, out);
}

}  // namespace sup::vms
