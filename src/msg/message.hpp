// Conditions of the SUPERVISOR facility: lookup, FAO formatting as OpenVMS prints it,
// and the POSIX exit status derived from a condition (the one place that mapping lives).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "msg/message_table.hpp"
#include "sup_messages.hpp"

namespace sup::msg {

// An FAO argument: a string (!AS, !AZ, !AD) or a number (!UL, !SL, !XL, !ZL, !%S).
using FaoArg = std::variant<std::string, std::uint64_t>;
using FaoArgs = std::vector<FaoArg>;

// The definition of a condition (control bits 28-31 ignored), or nullptr.
const MessageDef* lookup(std::uint32_t condition);

// Severity from the low three bits.
inline Severity severity_of(std::uint32_t condition) {
  return static_cast<Severity>(condition & 7u);
}

// OpenVMS success test: the low bit, never equality with a particular value.
inline bool is_success(std::uint32_t condition) {
  return (condition & 1u) != 0;
}

// Substitutes FAO directives: !AS !AZ !AD (string), !UL !SL !ZL (decimal), !XL (8 hex
// digits), !XW !XB, !UW !UB, optional field width (!8AS), !%S (plural of the last
// number), !! !/ !_ (literal, newline, tab).  Missing arguments print as "???".
std::string fao(std::string_view control, const FaoArgs& args);

// The message text alone, FAO applied ("web: started").
std::string text(std::uint32_t condition, const FaoArgs& args = {});

// As DCL prints it: "%SUPERVISOR-E-NOSUCHPROC, web: ERROR (no such process)".
// An unknown condition prints as "%NONAME-E-NOMSG, Message number 0801C012".
std::string format(std::uint32_t condition, const FaoArgs& args = {});

// The POSIX exit code of the client for a condition (supervisorctl 4.x conventions):
// 0 success/informational, 3 programs not running, 4 daemon unreachable or unknown name,
// 7 start/stop fault, 2 usage, 1 anything else.
int posix_exit_code(std::uint32_t condition);

// A condition with its arguments: what functions return and what the client prints.
struct [[nodiscard]] Condition {
  std::uint32_t value = SUP__NORMAL;
  FaoArgs args;
  bool ok() const { return is_success(value); }
  std::string text() const { return msg::text(value, args); }
  std::string format() const { return msg::format(value, args); }
};

}  // namespace sup::msg
