// Parser of OpenVMS MESSAGE-utility source files (.MSG), the one list of conditions.
// The build runs it (src/msg/sup_gen.cpp) to produce the message table; tests and the
// fuzz target call it directly; the two programs do not link it (library sup_msg_parser).
// It computes condition values exactly as MESSAGE does.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "msg/condition.hpp"

namespace sup::msg {

// One message of a .MSG file, with its computed condition value.
struct MessageSource {
  std::string ident;  // e.g. "NOSUCHPROC"
  std::string text;   // FAO control string, delimiters removed
  Severity severity = Severity::Warning;
  int fao_count = 0;        // /FAO_COUNT=n (!AD counts as two)
  std::uint32_t code = 0;   // message number, from 1 in source order (or .BASE)
  std::uint32_t value = 0;  // full condition value
  int line = 0;             // source line
};

// The parsed file.
struct MessageFile {
  std::string title, ident;           // .TITLE (name and free text) and .IDENT
  std::string facility;               // .FACILITY name, e.g. "SUPERVISOR"
  std::uint32_t facility_number = 0;  // as written (1-2047); bit 27 is added to values
  std::string prefix;                 // /PREFIX=, default "<facility>$_"
  bool system = false;                // /SYSTEM: bit 27 (customer facility) clear
  bool shared = false;                // /SHARED: bit 15 (FAC_SP) clear
  std::vector<MessageSource> messages;
};

// A parse failure: "FILE:LINE: text".
struct MsgError {
  int line = 0;
  std::string text;
};

// Parses .MSG text.  On failure returns nullopt and appends every error found to errors.
// A file of only comments and blank lines parses to an empty MessageFile (no facility,
// no messages); a NUL byte (a binary record file) is one error naming its line.
[[nodiscard]] std::optional<MessageFile> parse_message_file(std::string_view source,
                                                            std::vector<MsgError>& errors);

}  // namespace sup::msg
