// Mailboxes (spec 4.3, 4.4, 4.5) as a state machine of the executive: units, channels,
// queued messages, pending reads and writes, the resource wait, attention arms, $CANCEL,
// lifetimes.  Each operation returns what happened as data (Effects): the replies to
// service calls and the I/O completions and attention ASTs to send, each for one process.
// No sockets: the server sends them.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "exec/lnm.hpp"
#include "exec/mbx_codes.hpp"

namespace vmssim::mbx {

// Opaque words of the client's request (IOSB address, efn, AST, astprm, buffer), echoed
// back in its completion so that the client needs no table of pending requests.
using Tag = std::array<std::uint64_t, 5>;

struct Effect {
  enum class Kind { kReply, kCompletion, kAttention };
  Kind kind = Kind::kReply;
  std::uint32_t pid = 0;           // the process it goes to
  std::uint32_t status = 0;        // kReply: the service's status; kCompletion: the IOSB status
  std::uint16_t chan = 0;          // kReply of $CREMBX / $ASSIGN: the new channel
  Tag tag{};                       // kCompletion: the request's tag
  std::uint32_t count = 0;         // kCompletion: the IOSB count
  std::uint32_t iosb_pid = 0;      // kCompletion: the IOSB's second longword
  std::vector<std::uint8_t> data;  // kCompletion of a read: the bytes for its buffer
  std::uint64_t routine = 0;       // kAttention: the AST routine (the arming p1)
  std::uint64_t param = 0;         // kAttention: its parameter (the arming p2)
};
using Effects = std::vector<Effect>;

// $QIO function codes and modifiers [V VSIPY iodef].
constexpr std::uint32_t kIoWritepblk = 11;
constexpr std::uint32_t kIoReadpblk = 12;
constexpr std::uint32_t kIoWritelblk = 32;
constexpr std::uint32_t kIoReadlblk = 33;
constexpr std::uint32_t kIoSetmode = 35;
constexpr std::uint32_t kIoSensemode = 39;
constexpr std::uint32_t kIoWriteof = 40;
constexpr std::uint32_t kIoWritevblk = 48;
constexpr std::uint32_t kIoReadvblk = 49;
constexpr std::uint32_t kIoFcodeMask = 0x3F;
constexpr std::uint32_t kIoMNow = 0x40;
constexpr std::uint32_t kIoMReadercheck = 0x100;
constexpr std::uint32_t kIoMWritercheck = 0x200;
constexpr std::uint32_t kIoMNorswait = 0x400;
constexpr std::uint32_t kIoMRoomNotify = 0x40;  // with IO$_SETMODE
constexpr std::uint32_t kIoMReadattn = 0x80;    // with IO$_SETMODE
constexpr std::uint32_t kIoMWrtattn = 0x100;    // with IO$_SETMODE

// $CREMBX / $ASSIGN flags, CMB$M_* / AGN$M_* [V].
constexpr std::uint32_t kReadonly = 1;
constexpr std::uint32_t kWriteonly = 2;

constexpr std::uint32_t kDevclassMailbox = 160;  // DC$_MAILBOX [P]
constexpr std::uint32_t kTermMsgLen = 84;        // ACC$K_TERMLEN [V]

struct Options {
  std::uint32_t cancel_status = ss::kAbort;  // variant cancel_status (spec 2.5)
  std::uint32_t overhead = 0;                // variant mbx_overhead: bufquo charge per message
  std::uint32_t default_maxmsg = 256;        // SYSGEN DEFMBXMXMSG [M]
  std::uint32_t default_bufquo = 1056;       // SYSGEN DEFMBXBUFQUO [M]
  std::uint32_t max_channels = 1024;         // per process, then NOIOCHAN (a knob) [G]
};

// One $QIO's arguments as the executive needs them.
struct Qio {
  std::uint32_t func = 0;
  Tag tag{};
  std::vector<std::uint8_t> data;  // a write's bytes
  std::uint32_t size = 0;          // a read's buffer size (p2)
  std::uint64_t p1 = 0;            // IO$_SETMODE: the AST routine
  std::uint64_t p2 = 0;            // IO$_SETMODE: its parameter
};

// $GETDVI's answer about one mailbox.
struct DeviceInfo {
  std::uint32_t status = 0;
  std::uint32_t unit = 0;
  std::string devnam;      // "_MBAn:" (the underscore is [M])
  std::string fulldevnam;  // the same: no cluster [G]
  std::uint32_t refcnt = 0;
  std::uint32_t maxmsg = 0;  // DVI$_DEVBUFSIZ
  std::uint32_t devclass = kDevclassMailbox;
  std::uint32_t owner_uic = 0;  // DVI$_OWNUIC: the creator's UIC [M]
  std::uint32_t vprot = 0;      // DVI$_VPROT: the protection mask given to $CREMBX [M]
};

class Mailboxes {
 public:
  explicit Mailboxes(Options options = {});

  // $CREMBX: replies NORMAL with a channel, or BADPARAM, NOPRIV, EXQUOTA, IVLOGNAM,
  // NOIOCHAN.  A lognam naming a mailbox only assigns a channel to it.
  Effects crembx(const Caller& who, lnm::Lnm& names, std::uint32_t prmflg, std::uint32_t maxmsg,
                 std::uint32_t bufquo, std::uint32_t promsk, std::string_view lognam,
                 std::uint32_t flags);
  // $DELMBX: NORMAL, IVCHAN, NOPRIV.
  Effects delmbx(const Caller& who, lnm::Lnm& names, std::uint16_t chan);
  // $ASSIGN: NORMAL with a channel, NOSUCHDEV, IVDEVNAM, NOIOCHAN.
  Effects assign(const Caller& who, const lnm::Lnm& names, std::string_view devnam,
                 std::uint32_t flags);
  // $DASSGN: cancels the channel's I/O, forgets its arms, frees it; IVCHAN.
  Effects dassgn(const Caller& who, lnm::Lnm& names, std::uint16_t chan);
  // $QIO on a mailbox channel.  A write that meets a full mailbox without NORSWAIT gets no
  // reply now: the reply comes in the Effects of the read that makes room (resource wait).
  Effects qio(const Caller& who, std::uint16_t chan, const Qio& q);
  // $CANCEL: every pending request of this process on the channel completes.
  Effects cancel(const Caller& who, std::uint16_t chan);
  // $GETDVI by channel (chan != 0) or by device name.
  DeviceInfo getdvi(const Caller& who, const lnm::Lnm& names, std::uint16_t chan,
                    std::string_view devnam) const;

  // The process is gone (rundown): its channels are deassigned, its waits dropped; the
  // effects for other processes are returned.
  Effects process_gone(std::uint32_t pid, lnm::Lnm& names);

  // The termination message (spec 4.2): an 84-byte IO$M_NOW write into `unit` from `pid`,
  // dropped silently when the unit is gone, the mailbox full, or maxmsg < 84.  Returns the
  // completions and attentions it caused.
  Effects write_termination(std::uint32_t unit, std::uint32_t pid,
                            const std::uint8_t (&msg)[kTermMsgLen]);

  bool exists(std::uint32_t unit) const { return boxes_.count(unit) != 0; }
  // BYTLM bytes charged to `pid` by its temporary mailboxes.
  std::uint32_t bytes_charged(std::uint32_t pid) const;

 private:
  struct Message {
    std::vector<std::uint8_t> data;
    bool eof = false;
    std::uint32_t writer = 0;  // the writer's PID
    bool waiting = false;      // a write without NOW waits for its reader
    std::uint16_t writer_chan = 0;
    Tag writer_tag{};
  };
  struct Read {
    std::uint32_t pid = 0;
    std::uint16_t chan = 0;
    Tag tag{};
    std::uint32_t size = 0;
    bool writercheck = false;
  };
  struct Blocked {  // a write in resource wait
    std::uint32_t pid = 0;
    std::uint16_t chan = 0;
    std::uint32_t func = 0;
    Tag tag{};
    std::vector<std::uint8_t> data;
  };
  struct Arm {
    std::uint32_t pid = 0;
    std::uint16_t chan = 0;
    std::uint32_t kind = 0;  // kIoMWrtattn, kIoMReadattn or kIoMRoomNotify
    std::uint64_t routine = 0;
    std::uint64_t param = 0;
  };
  struct Mailbox {
    std::uint32_t unit = 0;
    bool permanent = false;
    bool delete_pending = false;
    std::uint32_t maxmsg = 0;
    std::uint32_t bufquo = 0;
    std::uint32_t promsk = 0;
    std::uint32_t creator = 0;
    std::uint32_t owner_uic = 0;
    std::uint32_t charged = 0;  // BYTLM charged to the creator
    std::string lognam;
    std::string table;  // the table holding lognam
    std::deque<Message> queue;
    std::uint32_t queued_bytes = 0;
    std::deque<Read> reads;
    std::deque<Blocked> blocked;
    std::vector<Arm> arms;
    std::uint32_t refcnt = 0;
    std::uint32_t readers = 0;
    std::uint32_t writers = 0;
  };
  struct Channel {
    std::uint32_t unit = 0;
    std::uint32_t flags = 0;
  };

  Channel* channel(std::uint32_t pid, std::uint16_t chan);
  const Channel* channel(std::uint32_t pid, std::uint16_t chan) const;
  // Allocates a channel of `pid` to `box`; 0 when the process has none left.
  std::uint16_t open_channel(std::uint32_t pid, Mailbox& box, std::uint32_t flags);
  std::uint32_t cost(const Message& m) const;
  std::uint32_t cost(std::size_t bytes) const;
  bool fits(const Mailbox& box, std::size_t bytes) const;
  void fire(Mailbox& box, std::uint32_t kind, Effects* out);
  // A write or WRITEOF: hands the message to a waiting read or queues it (spec 4.4).
  void deliver(Mailbox& box, Blocked&& w, bool termination, Effects* out);
  static Effect read_completion(const Read& r, const std::vector<std::uint8_t>& data, bool eof,
                                std::uint32_t writer);
  // A read takes the oldest message.
  void take(Mailbox& box, const Read& r, Effects* out);
  void unblock(Mailbox& box, Effects* out);
  void cancel_channel(Mailbox& box, std::uint32_t pid, std::uint16_t chan, Effects* out);
  void close_channel(std::uint32_t pid, std::uint16_t chan, lnm::Lnm& names, Effects* out);
  void maybe_delete(Mailbox& box, lnm::Lnm& names);

  Options options_;
  std::uint32_t next_unit_ = 1;  // never reused within a boot [G]
  std::map<std::uint32_t, Mailbox> boxes_;
  std::map<std::uint32_t, std::map<std::uint16_t, Channel>> channels_;
  std::map<std::uint32_t, std::uint32_t> charged_;  // BYTLM use per process
};

// "MBAn" (no colon, upper case) -> n.
bool parse_mailbox_name(std::string_view dev, std::uint32_t* unit);

}  // namespace vmssim::mbx
