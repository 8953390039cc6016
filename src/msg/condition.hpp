// The layout of an OpenVMS condition value (doc/vms_facts.md, "Condition values"): what
// the message table, the runtime formatting and the build-time .MSG parser share.  It is
// header-only so that the programs need no part of the parser (sup_gen links that).
#pragma once

#include <cstdint>

namespace sup::msg {

// STS$K_* severity codes, the low three bits of a condition value.
enum class Severity : std::uint8_t {
  Warning = 0,
  Success = 1,
  Error = 2,
  Informational = 3,
  Fatal = 4
};

// Condition value as MESSAGE computes it: customer bit 27, the facility number, bit 15
// (FAC_SP), the message code in bits 3-14, the severity in bits 0-2.
constexpr std::uint32_t make_condition(std::uint32_t facility, std::uint32_t code, Severity sev) {
  return 0x08000000u | ((facility & 0x7FFu) << 16) | 0x8000u | ((code & 0xFFFu) << 3) |
         static_cast<std::uint32_t>(sev);
}

// "S", "I", "W", "E" or "F", as DCL prints the severity; '?' for a value outside STS$K_.
constexpr char severity_letter(Severity sev) {
  switch (sev) {
    case Severity::Warning:
      return 'W';
    case Severity::Success:
      return 'S';
    case Severity::Error:
      return 'E';
    case Severity::Informational:
      return 'I';
    case Severity::Fatal:
      return 'F';
  }
  return '?';
}

}  // namespace sup::msg
