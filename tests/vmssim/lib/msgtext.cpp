// $FAO and message rendering for $GETMSG/$PUTMSG.  Sources: HELP $FAO directives [V],
// the %FAC-S-IDENT, text form [M standard, VMS-REFERENCE 9.3], INGRES/CDCPP callers of
// $GETMSG [C]; the NOMSG fallback text [C INGRES, spec 4.10].
#include "msgtext.hpp"

#include <cctype>
#include <cstdio>
#include <cstring>

#include "msgtab.hpp"

namespace vmssim::msg {
namespace {

// A 32-bit address from a message vector as a pointer (below 2 GiB in a simulated image;
// 0 stays null).
const unsigned char* at(std::uint32_t addr) {
  return reinterpret_cast<const unsigned char*>(static_cast<std::uintptr_t>(addr));
}

void pad(std::string& out, const std::string& field, int width, bool right) {
  if (width <= 0) {
    out += field;
    return;
  }
  std::size_t w = static_cast<std::size_t>(width);
  if (field.size() >= w) {
    out += field.substr(0, w);  // $FAO truncates to the field width
    return;
  }
  if (right) out.append(w - field.size(), ' ');
  out += field;
  if (!right) out.append(w - field.size(), ' ');
}

}  // namespace

std::string fao(const std::string& ctl, const std::uint32_t* args, std::size_t nargs,
                std::size_t* used) {
  std::string out;
  std::size_t next = 0;
  std::uint32_t last_number = 0;
  auto take = [&](std::uint32_t& v) {
    if (next >= nargs) return false;
    v = args[next++];
    return true;
  };
  for (std::size_t i = 0; i < ctl.size(); ++i) {
    char c = ctl[i];
    if (c != '!') {
      out += c;
      continue;
    }
    std::size_t start = i;
    ++i;
    if (i >= ctl.size()) {
      out += '!';
      break;
    }
    int width = -1;
    while (i < ctl.size() && std::isdigit(static_cast<unsigned char>(ctl[i]))) {
      width = (width < 0 ? 0 : width * 10) + (ctl[i] - '0');
      ++i;
    }
    if (i >= ctl.size()) {
      out += ctl.substr(start);
      break;
    }
    char d = static_cast<char>(std::toupper(static_cast<unsigned char>(ctl[i])));
    if (d == '!' && width < 0) {
      out += '!';
      continue;
    }
    if (d == '/') {
      out += '\n';
      continue;
    }
    if (d == '_') {
      out += '\t';
      continue;
    }
    if (d == '^') {
      out += '\f';
      continue;
    }
    if (d == '-') {
      if (next > 0) --next;
      continue;
    }
    if (d == '+') {
      if (next < nargs) ++next;
      continue;
    }
    if (i + 1 >= ctl.size()) {
      out += ctl.substr(start);
      break;
    }
    char e = static_cast<char>(std::toupper(static_cast<unsigned char>(ctl[i + 1])));
    std::uint32_t v = 0;
    if (d == '%' && e == 'S') {  // plural: "s" unless the last number was 1
      ++i;
      if (last_number != 1) out += 's';
      continue;
    }
    if (d == 'A' && (e == 'S' || e == 'Z' || e == 'D' || e == 'C')) {
      ++i;
      std::string s;
      if (e == 'D') {
        std::uint32_t len = 0, addr = 0;
        if (take(len) && take(addr) && addr) s.assign(reinterpret_cast<const char*>(at(addr)), len);
      } else if (take(v) && v) {
        const unsigned char* p = at(v);
        if (e == 'S') {  // a descriptor: length word, dtype, class, 32-bit address
          std::uint16_t len;
          std::uint32_t addr;
          std::memcpy(&len, p, 2);
          std::memcpy(&addr, p + 4, 4);
          if (addr) s.assign(reinterpret_cast<const char*>(at(addr)), len);
        } else if (e == 'Z') {
          s = reinterpret_cast<const char*>(p);
        } else {  // counted ASCII: a length byte, then the text
          s.assign(reinterpret_cast<const char*>(p + 1), p[0]);
        }
      }
      pad(out, s, width, false);
      continue;
    }
    if ((d == 'U' || d == 'S' || d == 'X' || d == 'Z' || d == 'O') &&
        (e == 'L' || e == 'W' || e == 'B')) {
      ++i;
      if (!take(v)) continue;
      std::uint32_t mask = e == 'L' ? 0xFFFFFFFFu : e == 'W' ? 0xFFFFu : 0xFFu;
      v &= mask;
      last_number = v;
      char buf[32];
      if (d == 'U') {
        std::snprintf(buf, sizeof buf, "%u", v);
      } else if (d == 'S') {
        long long sv = e == 'L'   ? static_cast<std::int32_t>(v)
                       : e == 'W' ? static_cast<std::int16_t>(v)
                                  : static_cast<std::int8_t>(v);
        std::snprintf(buf, sizeof buf, "%lld", sv);
      } else if (d == 'X') {
        // Hex fields are zero-filled to the size of the datum [V HELP $FAO].
        std::snprintf(buf, sizeof buf, "%0*X", e == 'L' ? 8 : e == 'W' ? 4 : 2, v);
      } else if (d == 'O') {
        std::snprintf(buf, sizeof buf, "%0*o", e == 'L' ? 11 : e == 'W' ? 6 : 3, v);
      } else {  // Z: zero-filled decimal to the field width
        std::snprintf(buf, sizeof buf, "%0*u", width > 0 ? width : 1, v);
      }
      pad(out, buf, d == 'Z' ? -1 : width, true);
      continue;
    }
    // Not a directive this simulator knows: copied as it is [G].
    out += ctl.substr(start, i + 1 - start);
  }
  if (used) *used = next;
  return out;
}

char severity_letter(std::uint32_t code) {
  static const char letters[] = "WSEIF???";
  return letters[code & 7u];
}

const char* control_text(std::uint32_t code, unsigned* fao_count) {
  const vmssim_message_table* table = nullptr;
  const vmssim_message* m = find(code, &table);
  if (fao_count) *fao_count = m ? m->fao_count : 0;
  return m ? m->text : nullptr;
}

bool render(std::uint32_t code, unsigned flags, std::string& out, unsigned* fao_count,
            const char* facility_override) {
  if ((flags & 0xF) == 0) flags = 0xF;
  const vmssim_message_table* table = nullptr;
  const vmssim_message* m = find(code, &table);
  std::string facility, ident, text;
  unsigned count = 0;
  bool known = m != nullptr;
  if (known) {
    facility = table->name;
    ident = m->ident;
    text = m->text;
    count = m->fao_count;
  } else {
    char buf[64];
    std::snprintf(buf, sizeof buf, "Message number %08X", code);
    facility = "NONAME";
    ident = "NOMSG";
    text = buf;
  }
  if (facility_override) facility = facility_override;
  std::string prefix;
  auto add = [&](const std::string& part) {
    prefix += prefix.empty() ? "%" : "-";
    prefix += part;
  };
  if (flags & 8) add(facility);
  if (flags & 4) add(std::string(1, severity_letter(code)));
  if (flags & 2) add(ident);
  out = prefix;
  if (flags & 1) {
    if (!out.empty()) out += ", ";
    out += text;
  }
  if (fao_count) *fao_count = count;
  return known;
}

}  // namespace vmssim::msg
