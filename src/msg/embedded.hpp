// The project's single-source texts, embedded by the build (sup_gen embed) so that the
// binaries need no file at run time.  On OpenVMS the native tools use the files instead
// (SET COMMAND, LIBRARY/HELP, MESSAGE).
#pragma once

#include <string_view>

namespace sup::embedded {
extern const std::string_view cld_source;  // cld/SUPERVISOR.CLD
extern const std::string_view hlp_source;  // help/SUPERVISOR.HLP
extern const std::string_view msg_source;  // msg/SUPERVISOR.MSG
}  // namespace sup::embedded
