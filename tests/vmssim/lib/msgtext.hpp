// The simulator's own message text machinery (never the project's src/msg): the $FAO
// subset message texts use, and the rendering of one message as $GETMSG and $PUTMSG
// produce it.  Pure functions over the registered tables (msgtab.hpp); no service state.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace vmssim::msg {

// $FAO on `ctl` with longword arguments (OpenVMS message vectors hold longwords; string
// arguments are 32-bit addresses of descriptors or text).  `used` receives how many
// arguments the directives consumed.  Directives: !AS !AZ !AD !AC, !UL !SL !XL !ZL and
// the W/B widths, !%S (plural of the last number), !/ !_ !^ !! !- !+, and a decimal
// field width before the directive letter.  An unknown directive is copied unchanged, so
// a missing feature shows in the output [G].  A directive with no argument left prints
// nothing for it [G].
std::string fao(const std::string& ctl, const std::uint32_t* args, std::size_t nargs,
                std::size_t* used = nullptr);

// The severity letter of a condition value: W S E I F (bits 0-2; 5-7 print as '?').
char severity_letter(std::uint32_t code);

// One message as $GETMSG returns it: `flags` 1 text, 2 ident, 4 severity, 8 facility (0
// means all four [M]).  True when the code is known; otherwise `out` is OpenVMS's
// "%NONAME-x-NOMSG, Message number xxxxxxxx" (with the same flags) and the result false.
// `fao_count` receives the message's FAO argument count (0 when unknown).
bool render(std::uint32_t code, unsigned flags, std::string& out, unsigned* fao_count,
            const char* facility_override = nullptr);

// The control text of a known message (for $PUTMSG's FAO pass), or null.
const char* control_text(std::uint32_t code, unsigned* fao_count);

}  // namespace vmssim::msg
