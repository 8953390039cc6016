#include "config/config_expand.hpp"

#include "config/config_text.hpp"

namespace sup::config::detail {
namespace {

constexpr std::string_view kKnown = "%(program_name)s, %(here)s or %(ENV_name)s";

// The value of the expansion called `name`, or the error.
Parsed<std::string> lookup(const std::string& name, const ExpandContext& context) {
  const std::string lower = to_lower(name);
  if (lower == "here") return Parsed<std::string>::ok(std::string(context.here));
  if (lower == "program_name") {
    if (context.program_name) return Parsed<std::string>::ok(*context.program_name);
    return Parsed<std::string>::fail("%(program_name)s can only be used in a [program:x] section");
  }
  if (lower.rfind("env_", 0) == 0 && name.size() > 4) {
    const std::string variable = name.substr(4);
    std::optional<std::string> value;
    if (context.getenv) value = context.getenv(variable);
    if (value) return Parsed<std::string>::ok(*value);
    return Parsed<std::string>::fail("%(" + name + ")s: the environment variable " + variable +
                                     " is not set");
  }
  return Parsed<std::string>::fail("unknown expansion %(" + name + ")s; expected " +
                                   std::string(kKnown));
}

}  // namespace

Parsed<std::string> expand(std::string_view value, const ExpandContext& context) {
  std::string out;
  std::size_t i = 0;
  while (i < value.size()) {
    const char c = value[i];
    const char next = i + 1 < value.size() ? value[i + 1] : '\0';
    if (c != '%' || (next != '%' && next != '(')) {
      out += c;
      ++i;
      continue;
    }
    if (next == '%') {
      out += '%';
      i += 2;
      continue;
    }
    const std::size_t close = value.find(')', i + 2);
    if (close == std::string_view::npos) {
      return Parsed<std::string>::fail("\"%(\" is not closed by \")s\"");
    }
    const std::string name(value.substr(i + 2, close - i - 2));
    if (close + 1 >= value.size() || value[close + 1] != 's') {
      return Parsed<std::string>::fail("%(" + name +
                                       ") must be followed by s: only %(name)s is supported");
    }
    auto replacement = lookup(name, context);
    if (!replacement.value) return replacement;
    out += *replacement.value;
    i = close + 2;
  }
  return Parsed<std::string>::ok(std::move(out));
}

}  // namespace sup::config::detail
