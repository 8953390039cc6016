#include "supervisor/client_config.hpp"

#include <cctype>
#include <fstream>
#include <iostream>
#include <sstream>

#include "config/config_report.hpp"
#include "msg/ascii_text.hpp"
#include "supervisor/client_exec.hpp"

namespace sup::client {
namespace {

// inih's white space (isspace in the C locale).
bool is_space(char c) {
  return c == ' ' || (c >= '\t' && c <= '\r');
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// True for a well-formed "[supervisord]" header (a comment may follow).
bool is_daemon_header(std::string_view body) {
  const auto close = body.find(']');
  return close != std::string_view::npos &&
         text::iequals(trim(body.substr(1, close - 1)), "supervisord");
}

// The key of a "key = value" or "key: value" line, trimmed.
std::string_view key_name(std::string_view body) {
  return trim(body.substr(0, body.find_first_of("=:")));
}

// The placeholder program of the fallback: the loader wants at least one program.
constexpr std::string_view kPlaceholder = "\n[program:placeholder]\nuser = placeholder\n";

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

std::string table_only_config(std::string_view text) {
  std::string out = "[supervisord]\n";
  enum class In { Other, Daemon, Done } section = In::Other;
  bool after_key = false, keeping = false;  // inih's "previous name", and is it table?
  for (std::size_t pos = 0; pos <= text.size();) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    const std::string_view body = trim(line);
    if (body.empty() || body.front() == ';' || body.front() == '#') continue;
    if (after_key && !is_space(line.front())) after_key = keeping = false;
    if (after_key) {  // an indented line after a key continues its value
      if (keeping) out.append(line).append("\n");
      continue;
    }
    if (body.front() == '[') {  // the first [supervisord] ends at the next header
      if (section == In::Daemon)
        section = In::Done;
      else if (section == In::Other && is_daemon_header(body))
        section = In::Daemon;
      continue;
    }
    after_key = true;
    keeping = section == In::Daemon && text::iequals(key_name(body), "table");
    if (keeping) out.append(body).append("\n");
  }
  return out.append(kPlaceholder);
}

TableLookup find_table(const std::string& path, const config::Environment& env) {
  TableLookup r;
  auto loaded = config::load_file(path, config::Flavor::Posix, env);
  if (!loaded.open_error.empty()) {
    r.condition = {SUP__NOCONFIG, {path, loaded.open_error}};
    return r;
  }
  if (loaded.ok()) {
    r.table = loaded.config->daemon.table;
    return r;
  }
  std::cout.flush();
  for (auto& d : loaded.diagnostics) std::cerr << config::format_diagnostic(d) << '\n';
  const auto errors = std::uint64_t(loaded.error_count());
  auto fallback =
      config::load_string(table_only_config(read_text(path)), path, config::Flavor::Posix, env);
  if (!fallback.ok()) {
    r.condition = {SUP__CFGINVALID, {path, errors}};
    return r;
  }
  r.table = fallback.config->daemon.table;
  report(SUP__CFGWARN, msg::text(SUP__CFGINVALID, {path, errors}) +
                           "; reaching supervisord through its table " + r.table + " anyway");
  return r;
}

}  // namespace sup::client
