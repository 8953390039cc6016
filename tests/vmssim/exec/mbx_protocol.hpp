// The wire format of MBX's requests (mailboxes from proto::kMailboxBase, logical names from
// proto::kLnmBase) and of its one unsolicited message, the attention AST.  Each request is a
// fixed, trivially copyable struct followed by its variable bytes (names, a write's data);
// addresses in the caller travel as 64-bit values the executive only echoes.  [G]
#pragma once

#include <cstdint>

#include "protocol.hpp"

namespace vmssim::proto {

// --- mailboxes (spec 4.3-4.5) -----------------------------------------------------------

// $CREMBX; extra: lognam.  Reply: ChanRep.
constexpr std::uint32_t kCrembx = kMailboxBase + 1;
struct CrembxReq {
  std::uint32_t prmflg;
  std::uint32_t maxmsg;
  std::uint32_t bufquo;
  std::uint32_t promsk;
  std::uint32_t acmode;
  std::uint32_t flags;
};
struct ChanRep {
  std::uint16_t chan;
};

// $DELMBX, $DASSGN, $CANCEL: a channel.
constexpr std::uint32_t kDelmbx = kMailboxBase + 2;
constexpr std::uint32_t kDassgn = kMailboxBase + 3;
constexpr std::uint32_t kCancel = kMailboxBase + 4;
struct ChanReq {
  std::uint16_t chan;
};

// $ASSIGN; extra: devnam.  Reply: ChanRep.
constexpr std::uint32_t kAssign = kMailboxBase + 5;
struct AssignReq {
  std::uint32_t acmode;
  std::uint32_t flags;
};

// $QIO on a mailbox channel; extra: a write's bytes.  The reply is the service status; the
// I/O ends with a kAsyncComplete carrying `iosb`, `efn`, `ast`, `astprm` back, and for a
// read a segment at `buf`.  A write in resource wait gets its reply late (spec 4.4).
constexpr std::uint32_t kQio = kMailboxBase + 6;
struct QioReq {
  std::uint32_t func;
  std::uint16_t chan;
  std::uint16_t pad;
  std::uint32_t size;  // p2 of a read
  std::uint32_t efn;
  std::uint64_t iosb;
  std::uint64_t ast;
  std::int64_t astprm;
  std::uint64_t buf;  // p1 of a read
  std::uint64_t p1;   // IO$_SETMODE: the attention AST routine
  std::int64_t p2;    // IO$_SETMODE: its parameter
};

// $GETDVI: by channel, or by name (extra) when chan is 0.  Reply: DviRep; the status is the
// device's (IVCHAN, NOSUCHDEV...).
constexpr std::uint32_t kGetdvi = kMailboxBase + 7;
struct DviRep {
  std::uint32_t unit;
  std::uint32_t refcnt;
  std::uint32_t devbufsiz;
  std::uint32_t devclass;
  std::uint16_t devnam_len;
  char devnam[30];
  std::uint32_t ownuic;
  std::uint32_t vprot;
};

// An attention AST (spec 4.4): the receiver queues `routine(param)`.
constexpr std::uint32_t kAsyncAttention = kAsyncFirstFree + 8;
struct AttentionMsg {
  std::uint64_t routine;
  std::int64_t param;
};

// --- logical names (spec 4.7) -----------------------------------------------------------

// $CRELNT; extra: tabnam then partab.  Reply: CrelntRep.
constexpr std::uint32_t kCrelnt = kLnmBase + 1;
struct CrelntReq {
  std::uint32_t attr;
  std::uint32_t quota;
  std::uint32_t acmode;
  std::uint16_t tabnam_len;
  std::uint16_t partab_len;
};
struct CrelntRep {
  std::uint16_t resnam_len;
  char resnam[32];
};

// $CRELNM; extra: tabnam, lognam, then `neqv` of (EqvHeader, bytes).
constexpr std::uint32_t kCrelnm = kLnmBase + 2;
struct CrelnmReq {
  std::uint32_t attr;
  std::uint32_t acmode;
  std::uint32_t name_attr;  // LNM$_ATTRIBUTES of the name (CONFINE, NO_ALIAS)
  std::uint16_t tabnam_len;
  std::uint16_t lognam_len;
  std::uint32_t neqv;
};
struct EqvHeader {
  std::uint32_t attributes;  // CONCEALED, TERMINAL
  std::uint16_t len;
  std::uint16_t pad;
};

// $TRNLNM; extra: tabnam, lognam.  Reply: TrnlnmRep, then the table's name, then `neqv` of
// (EqvHeader, bytes).
constexpr std::uint32_t kTrnlnm = kLnmBase + 3;
struct TrnlnmReq {
  std::uint32_t attr;
  std::int32_t acmode;  // -1: any
  std::uint16_t tabnam_len;
  std::uint16_t lognam_len;
};
struct TrnlnmRep {
  std::uint32_t name_attr;
  std::uint32_t acmode;
  std::uint32_t neqv;
  std::uint16_t table_len;
  std::uint16_t pad;
};

// $DELLNM; extra: tabnam, lognam.
constexpr std::uint32_t kDellnm = kLnmBase + 4;
struct DellnmReq {
  std::int32_t acmode;  // -1: user mode
  std::uint16_t tabnam_len;
  std::uint16_t lognam_len;
};

}  // namespace vmssim::proto
