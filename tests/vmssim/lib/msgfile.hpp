// The simulator's own reader of MESSAGE utility source (.MSG), for the build-time
// compiler (../msgc/msgc.cpp) and its tests.  Never the project's src/msg parser: the two
// readings cross-check.  Syntax [V MBU mbumsg.msg, MMK mmk_msg.msg, VMS-REFERENCE 9.3];
// code numbering [V 9.2: from 1 in source order across .SEVERITY changes, FAC_SP and the
// customer bit set]; .BASE [M].
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace vmssim::msgfile {

struct Message {
  std::string ident;   // e.g. "STARTED"
  std::string text;    // the FAO control string
  unsigned fao = 0;    // /FAO_COUNT
  std::uint32_t code;  // the full condition value
};

struct Facility {
  std::string name;     // e.g. "SUPERVISOR"
  unsigned number = 0;  // as written (1-2047); the code's field adds 2048 unless /SYSTEM
  std::string prefix;   // /PREFIX, default "<name>$_"
  bool system = false;  // /SYSTEM: no customer bit, no FAC_SP
  std::vector<Message> messages;
};

// Parses `text`; false with `error` ("line N: ...") on the first error.
bool parse(const std::string& text, std::vector<Facility>& out, std::string& error);

}  // namespace vmssim::msgfile
