// The small members of the public types.
#include <algorithm>

#include "config/config.hpp"
#include "config/config_text.hpp"

namespace sup::config {

const ProgramConfig* Config::find(std::string_view name) const {
  for (const auto& p : programs) {
    if (detail::iequals(p.name, name)) return &p;
  }
  return nullptr;
}

std::string Diagnostic::to_string() const {
  std::string out = file;
  if (line > 0) out += ":" + std::to_string(line);
  out += ": ";
  if (level == Level::Warning) out += "warning: ";
  if (!section.empty()) out += "[" + section + "] ";
  if (!key.empty()) out += key + ": ";
  return out + text;
}

bool LoadResult::ok() const {
  return config.has_value() && error_count() == 0;
}

namespace {

int count_errors(const std::vector<Diagnostic>& diagnostics) {
  return static_cast<int>(std::count_if(diagnostics.begin(), diagnostics.end(), [](const auto& d) {
    return d.level == Diagnostic::Level::Error;
  }));
}

}  // namespace

int LoadResult::error_count() const {
  return count_errors(diagnostics);
}

int ClientLoadResult::error_count() const {
  return count_errors(diagnostics);
}

}  // namespace sup::config
