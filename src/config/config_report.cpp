#include "config/config_report.hpp"

#include "msg/message.hpp"

namespace sup::config {

std::string format_diagnostic(const Diagnostic& d) {
  bool error = d.level == Diagnostic::Level::Error;
  return msg::format(error ? SUP__CFGERR : SUP__CFGWARN, {d.to_string()});
}

}  // namespace sup::config
