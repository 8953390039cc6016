#include "config/config_expand.hpp"

#include <cstdio>
#include <variant>

#include "config/config_text.hpp"

namespace sup::config::detail {
namespace {

constexpr std::string_view kKnown =
    "%(program_name)s, %(group_name)s, %(process_num)d, %(numprocs)d, %(host_node_name)s, "
    "%(here)s or %(ENV_name)s";

// An expansion's value: a text, or a number (process_num, numprocs).
using Value = std::variant<std::string, int>;

Parsed<Value> ok(Value v) {
  return Parsed<Value>::ok(std::move(v));
}

Parsed<Value> only_in_program(const std::string& name, char conversion) {
  return Parsed<Value>::fail("%(" + name + ")" + conversion +
                             " can only be used in a [program:x] section");
}

// The value of the expansion called `name`, or the error.
Parsed<Value> lookup(const std::string& name, const ExpandContext& context) {
  const std::string lower = to_lower(name);
  if (lower == "here") return ok(std::string(context.here));
  if (lower == "program_name")
    return context.program_name ? ok(*context.program_name) : only_in_program(name, 's');
  if (lower == "group_name")
    return context.group_name ? ok(*context.group_name) : only_in_program(name, 's');
  if (lower == "process_num" || lower == "numprocs") {
    const auto& number = lower == "process_num" ? context.process_num : context.numprocs;
    if (number) return ok(*number);
    if (!context.program_name) return only_in_program(name, 'd');
    return Parsed<Value>::fail("%(" + name + ") cannot be used in numprocs or numprocs_start");
  }
  if (lower == "host_node_name") {
    if (!context.host_node_name.empty()) return ok(std::string(context.host_node_name));
    return Parsed<Value>::fail("%(host_node_name)s: the host's name is not known to this program");
  }
  if (lower.rfind("env_", 0) == 0 && name.size() > 4) {
    const std::string variable = name.substr(4);
    std::optional<std::string> value;
    if (context.getenv) value = context.getenv(variable);
    if (value) return ok(*value);
    return Parsed<Value>::fail("%(" + name + ")s: the environment variable " + variable +
                               " is not set");
  }
  return Parsed<Value>::fail("unknown expansion %(" + name + "); expected " + std::string(kKnown));
}

// A printf conversion after "%(name)": flags, width, precision and the conversion letter.
struct Conversion {
  std::string spec;  // "02" in %(process_num)02d
  char letter = 0;
  std::size_t end = 0;  // the index after the letter
};

// Reads the conversion that starts at `at` (just after the ')').
std::optional<Conversion> read_conversion(std::string_view value, std::size_t at) {
  Conversion c;
  std::size_t i = at;
  while (i < value.size() && std::string_view("-+ 0#").find(value[i]) != std::string_view::npos)
    ++i;
  std::size_t digits = 0;
  while (i < value.size() && value[i] >= '0' && value[i] <= '9' && digits < 3) ++i, ++digits;
  if (i < value.size() && value[i] == '.') {
    ++i;
    digits = 0;
    while (i < value.size() && value[i] >= '0' && value[i] <= '9' && digits < 3) ++i, ++digits;
  }
  if (i >= value.size()) return std::nullopt;
  c.spec = std::string(value.substr(at, i - at));
  c.letter = value[i];
  c.end = i + 1;
  return c;
}

// `v` formatted as Python's % operator formats it with this conversion.
Parsed<std::string> format(const std::string& name, const Value& v, const Conversion& c) {
  const bool number = std::holds_alternative<int>(v);
  const bool letter_ok = c.letter == 's' || (number && (c.letter == 'd' || c.letter == 'i'));
  if (!letter_ok) {
    return Parsed<std::string>::fail(
        "%(" + name + ")" + c.spec + c.letter + ": " +
        (number ? "a number is shown with d, i or s"
                : "this expansion is a text: write %(" + name + ")" + c.spec + "s"));
  }
  char buffer[64];
  const std::string spec = "%" + c.spec;
  if (number && c.letter != 's') {
    std::snprintf(buffer, sizeof buffer, (spec + "d").c_str(), std::get<int>(v));
    return Parsed<std::string>::ok(buffer);
  }
  const std::string text = number ? std::to_string(std::get<int>(v)) : std::get<std::string>(v);
  if (c.spec.empty()) return Parsed<std::string>::ok(text);
  // A width pads a text too (%(program_name)10s); the text itself may be long.
  const int width = std::snprintf(nullptr, 0, (spec + "s").c_str(), text.c_str());
  std::string out(static_cast<std::size_t>(width < 0 ? 0 : width) + 1, '\0');
  std::snprintf(out.data(), out.size(), (spec + "s").c_str(), text.c_str());
  out.pop_back();
  return Parsed<std::string>::ok(std::move(out));
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
      return Parsed<std::string>::fail("\"%(\" is not closed by \")\"");
    }
    const std::string name(value.substr(i + 2, close - i - 2));
    const auto conversion = read_conversion(value, close + 1);
    if (!conversion) {
      return Parsed<std::string>::fail("%(" + name +
                                       ") must be followed by a conversion: s (or d for a number)");
    }
    auto replacement = lookup(name, context);
    if (!replacement.value) return Parsed<std::string>::fail(std::move(replacement.error));
    auto text = format(name, *replacement.value, *conversion);
    if (!text.value) return text;
    out += *text.value;
    i = conversion->end;
  }
  return Parsed<std::string>::ok(std::move(out));
}

}  // namespace sup::config::detail
