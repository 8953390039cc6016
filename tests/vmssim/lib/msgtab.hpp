// The message tables $GETMSG and $PUTMSG read: the SYSTEM (SS$), RMS and CLI texts built
// into the library, and those a compiled .MSG registers (vmssim.h,
// vmssim_register_messages).  See ../DESIGN.md, "Text utilities".
#pragma once

#include <vmssim.h>

namespace vmssim::msg {

// Registers the built-in tables (SYSTEM, RMS, CLI, and the .MSG files compiled into the
// library) once; find() calls it.
void register_builtin();

// The message whose condition value matches `code` (severity and control bits ignored,
// as $GETMSG does [M]), and the table it belongs to; null when none is known.
const vmssim_message* find(unsigned int code, const vmssim_message_table** table);

}  // namespace vmssim::msg
