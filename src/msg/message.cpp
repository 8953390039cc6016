#include "msg/message.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace sup::msg {
namespace {

// The widest FAO field: $FAO's output length is a word.
constexpr int kMaxFaoWidth = 65535;

std::uint64_t as_number(const FaoArg* a) {
  if (!a) return 0;
  if (auto* n = std::get_if<std::uint64_t>(a)) return *n;
  return 0;
}

std::string as_string(const FaoArg* a) {
  if (!a) return "???";
  if (auto* s = std::get_if<std::string>(a)) return *s;
  return std::to_string(std::get<std::uint64_t>(*a));
}

// Pads or cuts to the FAO field width: strings left-justified, numbers right-justified.
std::string fit(std::string s, int width, bool numeric) {
  if (width <= 0) return s;
  auto w = static_cast<std::size_t>(width);
  if (s.size() > w) return numeric ? std::string(w, '*') : s.substr(0, w);
  return numeric ? std::string(w - s.size(), ' ') + s : s + std::string(w - s.size(), ' ');
}

}  // namespace

const MessageDef* lookup(std::uint32_t condition) {
  std::uint32_t id = condition & 0x0FFFFFFFu;
  for (std::size_t i = 0; i < kMessageCount; ++i)
    if (kMessageTable[i].value == id) return &kMessageTable[i];
  return nullptr;
}

std::string fao(std::string_view control, const FaoArgs& args) {
  std::string out;
  std::size_t next = 0;
  std::uint64_t last_number = 0;
  auto take = [&]() -> const FaoArg* { return next < args.size() ? &args[next++] : nullptr; };
  for (std::size_t i = 0; i < control.size(); ++i) {
    if (control[i] != '!' || i + 1 >= control.size()) {
      out += control[i];
      continue;
    }
    std::size_t j = i + 1;
    int width = 0;
    // FAO's field width is a word; a longer run of digits saturates instead of
    // overflowing (the .MSG fuzz target found "!<many digits>AS").
    while (j < control.size() && std::isdigit(static_cast<unsigned char>(control[j]))) {
      width = std::min(kMaxFaoWidth, width * 10 + (control[j++] - '0'));
    }
    std::string_view d = control.substr(j, 2);
    auto upper2 = [](std::string_view s) {
      std::string r(s);
      for (auto& c : r) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      return r;
    };
    std::string dir = upper2(d);
    if (!d.empty() && (d[0] == '!' || d[0] == '/' || d[0] == '_')) {
      out += d[0] == '!' ? "!" : d[0] == '/' ? "\n" : "\t";
      i = j;
      continue;
    }
    if (dir == "AS" || dir == "AZ" || dir == "AD") {
      out += fit(as_string(take()), width, false);
    } else if (dir == "UL" || dir == "UW" || dir == "UB" || dir == "ZL" || dir == "SL") {
      last_number = as_number(take());
      std::string n = dir == "SL" ? std::to_string(static_cast<std::int64_t>(last_number))
                                  : std::to_string(last_number);
      if (dir == "ZL" && width > 0 && n.size() < static_cast<std::size_t>(width))
        n = std::string(static_cast<std::size_t>(width) - n.size(), '0') + n;
      out += fit(n, width, true);
    } else if (dir == "XL" || dir == "XW" || dir == "XB") {
      last_number = as_number(take());
      int digits = dir == "XL" ? 8 : dir == "XW" ? 4 : 2;
      out += fit(fmt::format("{:0{}X}", last_number, digits), width, true);
    } else if (dir == "%S") {
      if (last_number != 1) out += 's';
    } else {
      out += control.substr(i, j + 2 - i);  // unknown directive: shown as written
    }
    i = j + 1;
  }
  return out;
}

std::string text(std::uint32_t condition, const FaoArgs& args) {
  const MessageDef* def = lookup(condition);
  if (!def) return fmt::format("Message number {:08X}", condition);
  return fao(def->text, args);
}

std::string format(std::uint32_t condition, const FaoArgs& args) {
  const MessageDef* def = lookup(condition);
  char sev = severity_letter(severity_of(condition));
  if (!def) return fmt::format("%NONAME-{}-NOMSG, Message number {:08X}", sev, condition);
  return fmt::format("%{}-{}-{}, {}", kFacilityName, sev, def->ident, fao(def->text, args));
}

int posix_exit_code(std::uint32_t condition) {
  std::uint32_t id = condition & 0x0FFFFFF8u;  // without severity and control bits
  if (is_success(condition)) return 0;
  if (id == (SUP__PROGSTOPPED & ~7u)) return 3;
  if (id == (SUP__NODAEMON & ~7u) || id == (SUP__NOSUCHPROC & ~7u)) return 4;
  if (id == (SUP__SPAWNERR & ~7u) || id == (SUP__ABNORMAL & ~7u) || id == (SUP__TIMEOUT & ~7u))
    return 7;
  if (id == (SUP__USAGE & ~7u) || id == (SUP__IVACTION & ~7u) || id == (SUP__NOHELP & ~7u))
    return 2;
  return 1;
}

}  // namespace sup::msg
