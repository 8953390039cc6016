// The message table generated from msg/SUPERVISOR.MSG (sup_messages_table.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "msg/condition.hpp"

namespace sup::msg {

// One condition of the SUPERVISOR facility.
struct MessageDef {
  std::uint32_t value;     // condition value, control bits clear
  std::string_view ident;  // "NOSUCHPROC"
  Severity severity;
  std::string_view text;  // FAO control string
  int fao_count;
};

extern const std::string_view kFacilityName;  // "SUPERVISOR"
extern const MessageDef kMessageTable[];
extern const std::size_t kMessageCount;

}  // namespace sup::msg
