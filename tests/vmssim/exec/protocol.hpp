// The wire format between a simulated process (lib/ipc.cpp) and the executive
// (exec/server.cpp).  One SOCK_SEQPACKET message is a Header followed by `body_len` bytes:
// a fixed struct for its type, then optional variable data.  See ../DESIGN.md, "How to add
// a service".  [G]
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace vmssim::proto {

// Upper bound of one message (a 65535-byte mailbox message plus its struct).
constexpr std::size_t kMaxMessage = 72 * 1024;

// Every message starts with this.  In a reply, `type` is the request's type with kReply set,
// `seq` the request's, and `status` the service's condition value.
struct Header {
  std::uint32_t type;
  std::uint32_t seq;
  std::uint32_t status;
  std::uint32_t body_len;
};
static_assert(sizeof(Header) == 16, "wire layout");

constexpr std::uint32_t kReply = 0x80000000u;

// Type ranges, one per part, so that each part numbers its own requests in its own header
// without touching this one.
constexpr std::uint32_t kCoreBase = 0x0100;     // registration (this file)
constexpr std::uint32_t kProcessBase = 0x0200;  // exec/process_protocol.hpp (PROC)
constexpr std::uint32_t kMailboxBase = 0x0300;  // MBX's mailbox requests
constexpr std::uint32_t kLnmBase = 0x0400;      // MBX's logical-name requests
constexpr std::uint32_t kSpareBase = 0x0500;    // free for a new part
constexpr std::uint32_t kAsyncBase = 0x4000;    // executive -> process, unsolicited
constexpr std::uint32_t kAsyncLimit = 0x4040;   // the library's table of async handlers

// --- core requests --------------------------------------------------------------------

// First message of the request connection.  `token` is the value of VMSSIM_PROCESS_TOKEN
// that the executive set for a process it created, or empty for a program the harness
// started (registered as an interactive process with owner 0, spec 2.2).
constexpr std::uint32_t kRegister = kCoreBase + 1;
struct RegisterReq {
  char token[64];
};
struct RegisterRep {
  std::uint32_t pid;          // the VMS PID
  std::uint32_t astlm;        // the process's ASTLM (for rt::set_astlm)
  std::uint64_t cookie;       // proves the async connection belongs to this process
  std::uint32_t variants[8];  // see Variant below
};

// First (and only) message of the async connection: attaches it to a registered process.
constexpr std::uint32_t kAttach = kCoreBase + 2;
struct AttachReq {
  std::uint32_t pid;
  std::uint32_t pad;
  std::uint64_t cookie;
};

// Round trip with no effect; for tests of the framework.
constexpr std::uint32_t kPing = kCoreBase + 3;
struct PingReq {
  std::uint32_t value;
};
struct PingRep {
  std::uint32_t value;
  std::uint32_t caller_pid;
};

// The answer of a process's receiver thread to kAsyncStateQuery, sent back on the async
// connection: the runtime's wait state (7 HIB, 5 LEF, 0 neither) for JPI$_STATE.
constexpr std::uint32_t kStateReply = kCoreBase + 4;
struct StateReplyMsg {
  std::uint32_t query;
  std::uint32_t state;
};

// Indexes of RegisterRep::variants (spec 2.5); the executive fills them from --variant.
enum Variant : unsigned {
  kVarDelprcStatus = 0,  // delprc_status, default 0
  kVarCancelStatus = 1,  // cancel_status: SS$_ABORT (default) or SS$_CANCEL, as a value
  kVarTrnlnmNotab = 2,   // trnlnm_notab: SS$_NOLOGNAM (default) or SS$_NOLOGTAB
  kVarPidLingerMs = 3,   // pid_linger_ms, default 50
  kVarMbxOverhead = 4,   // mbx_overhead, default 0
  kVarAstJitterUs = 5,   // ast_jitter_us, default 0
  kVarSpuriousWake = 6,  // spurious_wake: 0 off, else a rate per thousand
  kVarStrictAst = 7,     // --strict-ast: 1 on
};

// --- async messages (executive -> process) -----------------------------------------------

// Completion of a request: the receiver thread copies each segment to its address in the
// process, then calls rt::complete(iosb, iosb_value, efn, ast, astprm).  Followed by
// `nsegments` of (Segment, `len` bytes).  The addresses are the ones the process sent with
// its request; the executive only echoes them.
constexpr std::uint32_t kAsyncComplete = kAsyncBase + 1;
struct Completion {
  std::uint64_t iosb;  // address, 0 for none
  std::uint8_t iosb_value[8];
  std::uint32_t efn;
  std::uint32_t nsegments;
  std::uint64_t ast;  // address of the AST routine, 0 for none
  std::int64_t astprm;
};
struct Segment {
  std::uint64_t addr;
  std::uint32_t len;
  std::uint32_t pad;
};

// $WAKE aimed at this process (spec 3.5): rt::wake().
constexpr std::uint32_t kAsyncWake = kAsyncBase + 2;

// $FORCEX aimed at this process (spec 4.9): queue a user-mode AST calling $EXIT(code).
constexpr std::uint32_t kAsyncForcex = kAsyncBase + 3;
struct ForcexMsg {
  std::uint32_t code;
};

// $GETJPI's JPI$_STATE of this process: answer with kStateReply (rt::wait_state()).
constexpr std::uint32_t kAsyncStateQuery = kAsyncBase + 4;
struct StateQueryMsg {
  std::uint32_t query;
};

// First free async type for other parts.
constexpr std::uint32_t kAsyncFirstFree = kAsyncBase + 0x10;

// --- helpers ------------------------------------------------------------------------------

// Reads a T from the body, zero-filling what the body lacks (a shorter, older sender).
template <class T>
T body_as(const void* body, std::size_t len) {
  T value{};
  std::memcpy(&value, body, len < sizeof(T) ? len : sizeof(T));
  return value;
}

}  // namespace vmssim::proto
