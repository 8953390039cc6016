// The client/daemon protocol (doc/protocol.md section 1): versioned records, each small
// enough for one OpenVMS mailbox message.
//
// A record is an 8-byte header followed by a payload:
//   bytes 0-1  magic "SV"
//   byte  2    version (kProtocolVersion)
//   byte  3    type: 1 Request, 2 Line, 3 Final
//   bytes 4-7  payload length, u32 little-endian; must equal the rest of the record
// The payload is a sequence of fields, each a u16 little-endian length and its bytes.
//
// A request is one Request record; the reply is zero or more Line records and one Final.
//   Request fields: action, password, flags (decimal; bit 0 = nowait), timeout seconds
//                   (decimal, 0 = none), then the program names.
//   Line fields:    condition (8 upper-case hex digits), text: one or more complete lines
//                   to show, newline-separated (a message's text, e.g. "web: started",
//                   or status lines: consecutive success lines are packed together).
//   Final fields:   condition, text: the message of the condition when it is not already
//                   shown by a Line (e.g. "2 programs not running"); empty otherwise.
// Decoding never trusts the input: every length is checked, errors are values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace sup::core {

inline constexpr std::uint8_t kProtocolVersion = 1;
inline constexpr std::size_t kHeaderSize = 8;
inline constexpr std::size_t kMaxRecord = 8192;  // header included
inline constexpr std::size_t kMaxFields = 1024;
inline constexpr std::uint32_t kFlagNoWait = 1;  // Request flags bit 0

enum class RecordType : std::uint8_t { Request = 1, Line = 2, Final = 3 };

// A client's request.
struct Request {
  std::string action;    // "start", "stop", "restart", "status", "pid", "version", "shutdown"
  std::string password;  // empty when the client has none
  std::uint32_t flags = 0;
  std::uint32_t timeout = 0;       // seconds to wait for an outcome; 0 = no limit
  std::vector<std::string> names;  // program names; "all" means every program
  bool nowait() const { return (flags & kFlagNoWait) != 0; }
};

// One reply record: a Line or the Final.
struct Reply {
  RecordType type = RecordType::Final;
  std::uint32_t condition = 0;
  std::string text;
};

// Why a record was refused.
struct DecodeError {
  enum class Kind { Malformed, Oversized, WrongVersion };
  Kind kind = Kind::Malformed;
  std::string text;         // what was wrong, for the BADREQ message and the log
  std::uint64_t value = 0;  // Oversized: the record's size; WrongVersion: its version
};

// Either a decoded value or the reason it could not be decoded.
template <class T>
using Decoded = std::variant<T, DecodeError>;

// Encodes a request; nullopt when it does not fit a record (too many or too long
// names): the caller reports that, nothing is sent.
[[nodiscard]] std::optional<std::string> encode_request(const Request& request);

// Encodes a Line or Final.  A text too long for one record is cut (never by the
// daemon's own short texts; the limit only guards against surprises).
std::string encode_reply(const Reply& reply);
std::string encode_line(std::uint32_t condition, std::string_view text);
std::string encode_final(std::uint32_t condition, std::string_view text);

// Decodes a Request record (the daemon's side).
[[nodiscard]] Decoded<Request> decode_request(std::string_view record);

// Decodes a Line or Final record (the client's side).
[[nodiscard]] Decoded<Reply> decode_reply(std::string_view record);

// Compares two secrets in time that depends only on their lengths, never on where they
// differ (the password check).
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace sup::core
