// The keys of each section: a table per section, one setter per key.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "config/config_values.hpp"

namespace sup::config::detail {

// One key being applied: its expanded value, and where its problems are reported.
class KeyContext {
 public:
  // `base` carries file, line, section and key; `out` receives the diagnostics.
  KeyContext(std::vector<Diagnostic>& out, Diagnostic base, std::string value, Flavor flavor,
             std::string_view here, std::string_view home)
      : out_(out),
        base_(std::move(base)),
        value_(std::move(value)),
        flavor_(flavor),
        here_(here),
        home_(home) {}

  const std::string& value() const { return value_; }
  Flavor flavor() const { return flavor_; }

  void error(std::string text) const { report(Diagnostic::Level::Error, std::move(text)); }
  void warning(std::string text) const { report(Diagnostic::Level::Warning, std::move(text)); }

  // Stores the parsed value in `out`, or reports its error. True when stored.
  template <class T, class U>
  bool take(Parsed<T> parsed, U& out) const {
    if (!parsed.value) {
      error(std::move(parsed.error));
      return false;
    }
    out = std::move(*parsed.value);
    return true;
  }

  // Typed setters: each parses the value, stores it, or reports what was expected.
  void set_bool(bool& out) const;
  void set_int(int& out, int min, int max) const;
  void set_text(std::string& out) const;  // one line, not empty
  void set_file(std::string& out) const;  // a file: POSIX rules, or kept as written on VMS
  void set_user(std::string& out) const;  // an account name (upper case on VMS)

 private:
  void report(Diagnostic::Level level, std::string text) const;

  std::vector<Diagnostic>& out_;
  Diagnostic base_;
  std::string value_;
  Flavor flavor_;
  std::string_view here_, home_;
};

// Where a key has an effect.
enum class KeyScope { Both, VmsOnly, PosixOnly };

// One key of a section whose settings are a `Target`.
template <class Target>
struct KeySpec {
  std::string_view name;
  KeyScope scope;
  void (*set)(const KeyContext&, Target&);
};

// The keys of [program:x] and of [supervisord], in the order the template documents.
const std::vector<KeySpec<ProgramConfig>>& program_keys();
const std::vector<KeySpec<DaemonConfig>>& daemon_keys();

}  // namespace sup::config::detail
