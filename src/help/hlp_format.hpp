// The layout of VMS HELP's "Additional information available:" lists.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace sup::help {

// VMS HELP's list grid: names start every 11 columns (10 characters and a blank); a
// longer name takes as many cells as it needs.
constexpr std::size_t kHelpColumnWidth = 11;
// Lines of the list are indented by two blanks.
constexpr std::size_t kHelpListIndent = 2;
// LBR$OUTPUT_HELP's default output width.
constexpr std::size_t kHelpDefaultWidth = 80;

// Lays `names` out in rows no wider than `width`: each name padded to the next multiple
// of kHelpColumnWidth, kHelpListIndent blanks first, no trailing blanks.  A run of
// qualifier names ("/...") starts and ends on its own line, as VMS HELP lists a
// command's "Parameters Qualifiers", then its qualifiers, then "Examples".
std::vector<std::string> format_columns(const std::vector<std::string>& names,
                                        std::size_t width = kHelpDefaultWidth);

}  // namespace sup::help
