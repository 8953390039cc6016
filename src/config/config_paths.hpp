// File names in the configuration: the directory of the file (%(here)s), the null
// device, and POSIX paths resolved against the file's directory.
#pragma once

#include <string>
#include <string_view>

#include "config/config.hpp"
#include "config/config_values.hpp"

namespace sup::config::detail {

// `path` made absolute against `cwd` on POSIX (unchanged when already absolute, when
// `cwd` is empty, or on VMS).
std::string absolute_config_path(std::string_view path, std::string_view cwd, Flavor flavor);

// The directory of the configuration file `path` (already made absolute): a POSIX
// dirname, or on VMS the device and directory part ("DISK$APP:[APP]").
std::string config_directory(std::string_view path, std::string_view cwd, Flavor flavor);

// `path` with "." and "dir/.." removed, as Python's os.path.normpath does.
std::string normalize_posix_path(std::string_view path);

// A file-valued key on POSIX: NLA0: (any case) is /dev/null, ~ and ~/... are under
// `home`, and a relative path is taken relative to `here`. OpenVMS file
// specifications are refused.
Parsed<std::string> posix_file(std::string_view value, std::string_view here,
                               std::string_view home);

}  // namespace sup::config::detail
