#include "config/config_names.hpp"

#include "config/config_text.hpp"

namespace sup::config::detail {

std::string program_name_problem(std::string_view name) {
  if (name.empty()) return "the program name is missing: write [program:name]";
  if (name.size() > kMaxProgramName) {
    return "the program name is " + std::to_string(name.size()) + " characters long; at most " +
           std::to_string(kMaxProgramName) + " are allowed";
  }
  for (char c : name) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '$' || c == '-' || c == '.';
    if (!ok) {
      return "the program name " + quoted(name) +
             " may only contain letters, digits, _, $, - and .";
    }
  }
  if (iequals(name, "all")) return "ALL cannot name a program: it means every program";
  return {};
}

std::string process_name_problem(std::string_view name, Flavor flavor) {
  if (name.empty()) return "the process name is empty";
  for (char c : name) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return "the process name contains a control character";
    }
  }
  if (flavor == Flavor::Vms && name.size() > kMaxProcessName) {
    return "process name " + quoted(name) + " is " + std::to_string(name.size()) +
           " characters long; at most " + std::to_string(kMaxProcessName) +
           " are allowed on OpenVMS (set process_name to a shorter name)";
  }
  return {};
}

}  // namespace sup::config::detail
