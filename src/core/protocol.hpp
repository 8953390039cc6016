// The client/daemon protocol (doc/protocol.md section 1): versioned records, each small
// enough for one OpenVMS mailbox message.
//
// A record is an 8-byte header followed by a payload:
//   bytes 0-1  magic "SV"
//   byte  2    version (kProtocolVersion, 2; version 1 carried the action as text)
//   byte  3    type: 1 Request, 2 Line, 3 Final
//   bytes 4-7  payload length, u32 little-endian; must equal the rest of the record
// The payload is a sequence of fields, each a u16 little-endian length and its bytes.
//
// A request is one Request record; the reply is zero or more Line records and one Final.
//   Request fields: action code (decimal: commands::Action, an action supervisord
//                   carries out), password, flags (decimal; bit 0 = nowait, no other
//                   bit), timeout seconds (decimal, 0 = none), then the program names
//                   ("all" = every program).
//   Line fields:    condition (8 upper-case hex digits), text: one or more complete lines
//                   to show, newline-separated (a message's text, e.g. "web: started",
//                   or status lines: consecutive success lines are packed together).
//   Final fields:   condition, text: the message of the condition when it is not already
//                   shown by a Line (e.g. "2 programs not running"); empty otherwise.
// Decoding never trusts the input: every length is checked, errors are values.
// Line and Final records are laid out alike in versions 1 and 2, so a refusal of an old
// client's request is sent in the client's own version, which it can read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "commands/request.hpp"

namespace sup::core {

inline constexpr std::uint8_t kProtocolVersion = 2;
// The oldest version whose Line and Final records this version can still write.
inline constexpr std::uint8_t kOldestReplyVersion = 1;
inline constexpr std::size_t kHeaderSize = 8;
inline constexpr std::size_t kMaxRecord = 8192;  // header included
inline constexpr std::size_t kMaxFields = 1024;
inline constexpr std::uint32_t kFlagNoWait = 1;  // Request flags bit 0

enum class RecordType : std::uint8_t { Request = 1, Line = 2, Final = 3 };

// The one request type (commands/request.hpp); a record carries its wire part.
using commands::Request;

// One reply record: a Line or the Final.
struct Reply {
  RecordType type = RecordType::Final;
  std::uint32_t condition = 0;
  std::string text;
};

// Why a record was refused.
struct DecodeError {
  enum class Kind { Malformed, Oversized, WrongVersion, UnknownAction };
  Kind kind = Kind::Malformed;
  std::string text;         // what was wrong, for the BADREQ message and the log
  std::uint64_t value = 0;  // Oversized: the record's size; WrongVersion: its version;
                            // UnknownAction: the action code
};

// Either a decoded value or the reason it could not be decoded.
template <class T>
using Decoded = std::variant<T, DecodeError>;

// Encodes the wire part of a request; nullopt when it does not fit a record (too many
// or too long names): the caller reports that, nothing is sent.  The action must be one
// that supervisord carries out (commands::Runs::InDaemon).
[[nodiscard]] std::optional<std::string> encode_request(const Request& request);

// Encodes a Line or Final.  A text too long for one record is cut (never by the
// daemon's own short texts; the limit only guards against surprises).
// `version` is kProtocolVersion except for a refusal of an older client's request
// (kOldestReplyVersion..kProtocolVersion).
std::string encode_reply(const Reply& reply, std::uint8_t version = kProtocolVersion);
std::string encode_line(std::uint32_t condition, std::string_view text);
std::string encode_final(std::uint32_t condition, std::string_view text);

// Decodes a Request record (the daemon's side).  The client-only fields of the result
// are empty.  An action code outside the list, or of an action the client carries out
// itself, is UnknownAction.
[[nodiscard]] Decoded<Request> decode_request(std::string_view record);

// Decodes a Line or Final record (the client's side).
[[nodiscard]] Decoded<Reply> decode_reply(std::string_view record);

// Compares two secrets in time that depends only on their lengths, never on where they
// differ (the password check).
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace sup::core
