// Messages through $PUTMSG, from the message section MESSAGE compiled from
// msg/SUPERVISOR.MSG and linked into the image (SUPERVISOR_MSG.OBJ): DCL's format,
// SET MESSAGE's choices, SYS$OUTPUT and SYS$ERROR (tests/vmssim/SPEC.md section 4.10).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "msg/message.hpp"

namespace sup::vms {

// Puts out `condition` through $PUTMSG.  `text` is its message text as already
// formatted (by this image, or by supervisord in a reply, which carries only the text):
// for a SUPERVISOR condition the message vector carries the FAO arguments that make the
// message's FAO control string format as `text` (fao_arguments()), so that $PUTMSG
// formats it from the linked message section itself.  When none do (a supervisord built
// from another version of the .MSG), $PUTMSG gives the prefix only ("%SUPERVISOR-E-
// IDENT", with the process's message flags) to an action routine, and the line is that
// prefix, ", " and `text`, written with LIB$PUT_OUTPUT.  A condition of another facility
// (CLI$_, RMS$_, SS$_) goes out with its own text; `text` is then unused.  Returns the
// status of the service that wrote the line.
std::uint32_t put_message(std::uint32_t condition, const std::string& text);

// The FAO arguments that make `control` format as `text` under msg::fao (its inverse,
// checked by formatting again): !AS and !AZ match any text, !UL !UW !UB !ZL decimal
// digits, !SL a signed number, !XL !XW !XB upper-case hex digits, !%S "s" or nothing,
// !! !/ !_ themselves.  nullopt when no arguments give `text`, or `control` uses a field
// width or another directive.
std::optional<msg::FaoArgs> fao_arguments(std::string_view control, std::string_view text);

}  // namespace sup::vms
