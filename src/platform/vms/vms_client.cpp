// The client's side of the command channel on OpenVMS (see vms_platform.hpp).
#include <cstdlib>
#include <cstring>

#include "platform/vms/vms_ast.hpp"
#include "platform/vms/vms_command.hpp"
#include "platform/vms/vms_platform.hpp"
#include "platform/vms/vms_sys.hpp"
#include "platform/vms/vms_table.hpp"

#include <iodef.h>

namespace sup::vms {
namespace {

// The reply mailbox: replies of up to kReplyMessageMax bytes.  Its buffer quota is
// charged to our BYTLM (a temporary mailbox's is), so it holds one full-size reply: the
// daemon waits for room (a room notification) when we fall behind.
constexpr unsigned kReplyBufQuota = kReplyMessageMax;
constexpr unsigned long long kClientTimerId = 0x53555043;  // "SUPC"

// The client's one outstanding read and its timer: static, as an asynchronous read's
// IOSB and buffer must be (see vms_ast.hpp); one channel per process.
struct ClientArea {
  IOSB iosb;
  volatile int done;
  volatile int timed_out;
  char buffer[kReplyMessageMax + 1];
};
ClientArea g_client;

void read_ast(__int64) {
  g_client.done = 1;
  (void)sys$wake(nullptr, nullptr);
}

void timer_ast(__int64) {
  g_client.timed_out = 1;
  (void)sys$wake(nullptr, nullptr);
}

using StarletAst = void (*)(__unknown_params);
StarletAst starlet_ast(void (*routine)(__int64)) {
  return reinterpret_cast<StarletAst>(reinterpret_cast<void (*)(void)>(routine));
}

class MailboxChannel final : public platform::ClientChannel {
 public:
  MailboxChannel(unsigned short command, unsigned short reply, std::string reply_name,
                 std::uint32_t daemon_pid, std::string address)
      : command_(command),
        reply_(reply),
        reply_name_(std::move(reply_name)),
        daemon_pid_(daemon_pid),
        address_(std::move(address)) {}
  ~MailboxChannel() override {
    deassign(command_);
    deassign(reply_);  // a temporary mailbox goes with its last channel
  }

  std::string send(const std::string& record) override {
    const std::string frame = frame_request(reply_name_, record);
    char buf[kCommandMessageMax];
    if (frame.empty() || frame.size() > sizeof buf)
      return "request too large for the mailbox " + address_;
    std::memcpy(buf, frame.data(), frame.size());
    IOSB iosb{};
    std::uint32_t status =
        sys$qiow(EFN$C_ENF, command_, IO$_WRITEVBLK | IO$M_NOW | IO$M_NORSWAIT | IO$M_READERCHECK,
                 &iosb, nullptr, 0, buf, static_cast<__int64>(frame.size()), 0, 0, 0, 0);
    if (ok(status)) status = iosb.iosb$w_status;
    if (status == SS$_NOREADER) return "no supervisord reads the mailbox " + address_;
    if (!ok(status)) return failure("send to supervisord (" + address_ + ")", status);
    return "";
  }

  std::optional<std::string> receive(int timeout_ms, std::string& error) override {
    error.clear();
    for (;;) {
      const std::uint32_t status = read_once(timeout_ms);
      if (g_client.timed_out && (status == SS$_ABORT || status == SS$_CANCEL)) {
        error = "timed out waiting for supervisord";
        return std::nullopt;
      }
      if (!ok(status) && status != SS$_ENDOFFILE) {
        error = failure("receive from supervisord", status);
        return std::nullopt;
      }
      // Only the daemon's messages are believed: anybody else who could write into our
      // mailbox is ignored (the IOSB names the writer).
      if (g_client.iosb.iosb$l_pid != daemon_pid_) continue;
      if (status == SS$_ENDOFFILE) return std::nullopt;  // the daemon closed the channel
      const std::size_t n = g_client.iosb.iosb$w_bcnt;
      if (n > kReplyMessageMax) {
        error = "reply record too large (" + std::to_string(n) + " bytes)";
        return std::nullopt;
      }
      return std::string(g_client.buffer, n);
    }
  }

 private:
  // One read of the reply mailbox, waited for in $HIBER with a $SETIMR for the timeout
  // (-1: none).  Returns the read's status (SS$_ABORT or SS$_CANCEL when the timer
  // cancelled it), or the failing service's.
  std::uint32_t read_once(int timeout_ms) {
    g_client.done = 0;
    g_client.timed_out = 0;
    std::uint32_t status =
        sys$qio(EFN$C_ENF, reply_, IO$_READVBLK, &g_client.iosb, starlet_ast(read_ast), 0,
                g_client.buffer, static_cast<__int64>(sizeof g_client.buffer), 0, 0, 0, 0);
    if (!ok(status)) return status;
    bool timer = false;
    if (timeout_ms >= 0) {
      GENERIC_64 delta;
      const std::int64_t ticks = std::int64_t{timeout_ms} * 10000 + 1;  // 100 ns units
      delta.gen64$q_quadword = static_cast<std::uint64_t>(-ticks);
      status = sys$setimr(EFN$C_ENF, &delta, starlet_ast(timer_ast), kClientTimerId, 0);
      if (!ok(status)) {
        (void)sys$cancel(reply_);
        while (!g_client.done) (void)sys$hiber();
        return status;
      }
      timer = true;
    }
    bool cancelled = false;
    while (!g_client.done) {
      if (g_client.timed_out && !cancelled) {
        (void)sys$cancel(reply_);  // the read completes with SS$_ABORT
        cancelled = true;
        continue;
      }
      (void)sys$hiber();
    }
    if (timer) (void)sys$cantim(kClientTimerId, 0);
    return g_client.iosb.iosb$w_status;
  }

  unsigned short command_;
  unsigned short reply_;
  std::string reply_name_;
  std::uint32_t daemon_pid_;
  std::string address_;
};

}  // namespace

std::unique_ptr<platform::ClientChannel> connect_channel(const std::string& table,
                                                         const std::string& daemon_user,
                                                         std::string& error) {
  LnmTable t(table);
  const auto address = t.get("SUPERVISORD_CMD");
  if (!address) {
    error = "SUPERVISORD_CMD is not defined in " + table;
    return nullptr;
  }
  const auto pid_text = t.get("SUPERVISORD_PID");
  char* end = nullptr;
  const unsigned long long pid = pid_text ? std::strtoull(pid_text->c_str(), &end, 16) : 0;
  if (!pid_text || pid == 0 || !end || *end != '\0') {
    error = "SUPERVISORD_PID is not defined in " + table;
    return nullptr;
  }
  ProcessInfo self, daemon;
  std::uint32_t status = process_info(0, self);
  if (!ok(status)) {
    error = failure("$GETJPI of this process", status);
    return nullptr;
  }
  status = process_info(static_cast<std::uint32_t>(pid), daemon);
  if (!ok(status)) {
    error = failure("supervisord (pid " + *pid_text + ")", status);
    return nullptr;
  }
  // The daemon must run as its configured account, or as ourselves: else whoever put
  // their process's PID there would get the request and its password.
  const std::string expected = daemon_user.empty() ? "SYSTEM" : daemon_user;
  if (daemon.username != expected && daemon.uic != self.uic) {
    error = "supervisord (pid " + *pid_text + ") runs as " + daemon.username + " " +
            format_uic(daemon.uic) + ", not as " + expected + ": nothing was sent to it";
    return nullptr;
  }
  unsigned short command = 0;
  status = assign(*address, command);
  if (!ok(status)) {
    error = failure("cannot assign a channel to " + *address, status);
    return nullptr;
  }
  DeviceInfo dev;
  status = device_info(command, dev);
  if (!ok(status) || dev.devclass != kMailboxClass ||
      (dev.owner != kSystemUic && dev.owner != daemon.uic) || !private_protection(dev.vprot)) {
    deassign(command);
    error = ok(status) ? "the mailbox " + *address + " is owned by " + format_uic(dev.owner) +
                             " with protection %X" + format_pid(dev.vprot) +
                             ": it must be a mailbox of SYSTEM or " + format_uic(daemon.uic) +
                             " without GROUP and WORLD access; nothing was sent to it"
                       : failure("$GETDVI of " + *address, status);
    return nullptr;
  }
  unsigned short reply = 0;
  status =
      sys$crembx(0, &reply, kReplyMessageMax, kReplyBufQuota, kPrivateProtection, 0, nullptr, 0, 0);
  if (!ok(status)) {
    deassign(command);
    error = failure("cannot create the reply mailbox", status);
    return nullptr;
  }
  DeviceInfo mine;
  status = device_info(reply, mine);
  if (!ok(status)) {
    deassign(command);
    deassign(reply);
    error = failure("$GETDVI of the reply mailbox", status);
    return nullptr;
  }
  return std::make_unique<MailboxChannel>(command, reply, mine.name,
                                          static_cast<std::uint32_t>(pid), *address);
}

}  // namespace sup::vms
