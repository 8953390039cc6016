// Typed setters shared by the key tables.
#include "config/config_keys.hpp"

#include "config/config_paths.hpp"
#include "config/config_text.hpp"

namespace sup::config::detail {
namespace {

// Why a single-line value is not usable, or empty when it is.
std::string line_problem(std::string_view value) {
  if (value.find('\n') != std::string_view::npos) {
    return "the value continues on an indented line, which only lists and arguments may do "
           "(remove the indentation if the next line is a key of its own)";
  }
  for (char c : value) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      return "the value contains a control character";
  }
  return {};
}

bool valid_vms_user(std::string_view name) {
  if (name.empty() || name.size() > 32) return false;
  for (char c : name) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '$';
    if (!ok) return false;
  }
  return true;
}

bool valid_posix_user(std::string_view name) {
  if (name.empty() || name.size() > 256) return false;
  for (char c : name) {
    if (c == ':' || c == '/' || c == ' ' || c == '\t') return false;
  }
  return true;
}

}  // namespace

void KeyContext::report(Diagnostic::Level level, std::string text) const {
  Diagnostic d = base_;
  d.level = level;
  d.text = std::move(text);
  out_.push_back(std::move(d));
}

void KeyContext::set_bool(bool& out) const {
  take(parse_bool(value_), out);
}

void KeyContext::set_int(int& out, int min, int max) const {
  take(parse_int(value_, min, max), out);
}

void KeyContext::set_text(std::string& out) const {
  if (value_.empty()) return error("expected a value, got nothing");
  if (const auto problem = line_problem(value_); !problem.empty()) return error(problem);
  out = value_;
}

void KeyContext::set_file(std::string& out) const {
  if (value_.empty()) return error("expected a file name, got nothing");
  if (const auto problem = line_problem(value_); !problem.empty()) return error(problem);
  if (flavor_ == Flavor::Vms) {
    out = value_;  // OpenVMS file specifications are used as written
    return;
  }
  take(posix_file(value_, here_, home_), out);
}

void KeyContext::set_user(std::string& out) const {
  std::string user;
  if (value_.empty()) return error("expected a user name, got nothing");
  if (const auto problem = line_problem(value_); !problem.empty()) return error(problem);
  if (flavor_ == Flavor::Vms) {
    if (!valid_vms_user(value_)) {
      return error("expected an OpenVMS user name (1 to 32 letters, digits, _ or $), got " +
                   quoted(value_));
    }
    out = to_upper(value_);
    return;
  }
  if (!valid_posix_user(value_)) {
    return error("expected a user name or a numeric uid, got " + quoted(value_));
  }
  out = value_;
}

}  // namespace sup::config::detail
