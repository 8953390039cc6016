#include "msgfile.hpp"

#include <cctype>
#include <cstdlib>
#include <sstream>

namespace vmssim::msgfile {
namespace {

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string trim(const std::string& s) {
  std::size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  std::size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

// Strips a `!` comment that is outside <...> and "...".
std::string strip_comment(const std::string& line) {
  char close = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (close) {
      if (c == close) close = 0;
    } else if (c == '<') {
      close = '>';
    } else if (c == '"') {
      close = '"';
    } else if (c == '!') {
      return line.substr(0, i);
    }
  }
  return line;
}

// Severity keywords, by unique abbreviation [V MESSAGE: SUCCESS INFORMATIONAL WARNING ERROR
// SEVERE FATAL].  -1 when unknown.
int severity(const std::string& word) {
  static const struct {
    const char* name;
    int value;
  } k[] = {{"SUCCESS", 1}, {"INFORMATIONAL", 3}, {"WARNING", 0},
           {"ERROR", 2},   {"SEVERE", 4},        {"FATAL", 4}};
  std::string w = upper(word);
  if (w.empty()) return -1;
  int found = -1, matches = 0;
  for (const auto& s : k) {
    std::string n = s.name;
    if (n == w) return s.value;
    if (n.compare(0, w.size(), w) == 0) {
      found = s.value;
      ++matches;
    }
  }
  return matches == 1 ? found : -1;
}

// "/A=B/C" qualifiers as (name, value) pairs.
std::vector<std::pair<std::string, std::string>> qualifiers(const std::string& s) {
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t i = 0;
  while ((i = s.find('/', i)) != std::string::npos) {
    std::size_t j = s.find('/', i + 1);
    std::string q = trim(s.substr(i + 1, j == std::string::npos ? std::string::npos : j - i - 1));
    std::size_t eq = q.find('=');
    if (eq == std::string::npos) {
      out.emplace_back(upper(q), "");
    } else {
      out.emplace_back(upper(trim(q.substr(0, eq))), trim(q.substr(eq + 1)));
    }
    i = j == std::string::npos ? s.size() : j;
  }
  return out;
}

bool is_prefix_of(const std::string& abbrev, const char* full, std::size_t min) {
  std::string f = full;
  return abbrev.size() >= min && abbrev.size() <= f.size() &&
         f.compare(0, abbrev.size(), abbrev) == 0;
}

}  // namespace

bool parse(const std::string& text, std::vector<Facility>& out, std::string& error) {
  std::istringstream in(text);
  std::string raw;
  int lineno = 0;
  int sev = -1;
  unsigned next_number = 1;
  Facility* fac = nullptr;
  auto fail = [&](const std::string& why) {
    error = "line " + std::to_string(lineno) + ": " + why;
    return false;
  };
  while (std::getline(in, raw)) {
    ++lineno;
    std::string line = trim(strip_comment(raw));
    if (line.empty()) continue;
    if (line[0] == '.') {
      std::size_t sp = line.find_first_of(" \t/");
      std::string dir = upper(line.substr(0, sp));
      std::string rest = sp == std::string::npos ? "" : trim(line.substr(sp));
      if (dir == ".TITLE" || dir == ".IDENT" || dir == ".PAGE") continue;
      if (dir == ".END") break;
      if (dir == ".FACILITY") {
        // .FACILITY [/qual] name, number [/qual...]
        std::string body = rest;
        std::size_t slash = body.find('/');
        std::string head = trim(body.substr(0, slash));
        auto quals = qualifiers(slash == std::string::npos ? "" : body.substr(slash));
        std::size_t comma = head.find_first_of(", \t");
        if (comma == std::string::npos) return fail(".FACILITY needs a name and a number");
        Facility f;
        f.name = upper(trim(head.substr(0, comma)));
        std::string num = trim(head.substr(comma + 1));
        if (!num.empty() && num[0] == ',') num = trim(num.substr(1));
        char* end = nullptr;
        unsigned long n = std::strtoul(num.c_str(), &end, 10);
        if (num.empty() || *end != 0 || n == 0 || n > 4095)
          return fail("bad facility number '" + num + "'");
        f.number = static_cast<unsigned>(n);
        f.prefix = f.name + "$_";
        bool& system = f.system;
        for (auto& q : quals) {
          if (is_prefix_of(q.first, "PREFIX", 2)) {
            f.prefix = q.second;
          } else if (is_prefix_of(q.first, "SYSTEM", 2)) {
            system = true;
          } else if (!is_prefix_of(q.first, "SHARED", 2)) {
            return fail("unknown .FACILITY qualifier /" + q.first);
          }
        }
        if (!system && f.number < 2048) f.number += 2048;  // STS$M_CUST_DEF [V 9.2]
        out.push_back(f);
        fac = &out.back();
        next_number = 1;
        continue;
      }
      if (dir == ".SEVERITY") {
        sev = severity(rest);
        if (sev < 0) return fail("unknown severity '" + rest + "'");
        continue;
      }
      if (dir == ".BASE") {
        char* end = nullptr;
        unsigned long n = std::strtoul(rest.c_str(), &end, 10);
        if (rest.empty() || *end != 0 || n > 4095) return fail("bad .BASE '" + rest + "'");
        next_number = static_cast<unsigned>(n);
        continue;
      }
      return fail("directive " + dir + " not implemented by this reader");
    }
    // NAME <text>[/qual...]   or   NAME "text"[/qual...]
    if (!fac) return fail("message before .FACILITY");
    std::size_t sp = line.find_first_of(" \t<\"/");
    if (sp == std::string::npos) return fail("message without text");
    Message m;
    m.ident = upper(line.substr(0, sp));
    std::string rest = trim(line.substr(sp));
    auto quals_before = std::string();
    while (!rest.empty() && rest[0] == '/') {  // qualifiers may precede the text
      std::size_t t = rest.find_first_of("<\"");
      if (t == std::string::npos) break;
      quals_before += rest.substr(0, t);
      rest = trim(rest.substr(t));
    }
    if (rest.empty() || (rest[0] != '<' && rest[0] != '"'))
      return fail("message " + m.ident + " has no <text>");
    char close = rest[0] == '<' ? '>' : '"';
    std::size_t endt = rest.find(close, 1);
    if (endt == std::string::npos) return fail("unterminated text of " + m.ident);
    m.text = rest.substr(1, endt - 1);
    int msev = sev;
    for (auto& q : qualifiers(quals_before + rest.substr(endt + 1))) {
      int s = severity(q.first);
      if (q.first == "FAO" || is_prefix_of(q.first, "FAO_COUNT", 3)) {
        m.fao = static_cast<unsigned>(std::strtoul(q.second.c_str(), nullptr, 10));
      } else if (s >= 0 && q.second.empty()) {
        msev = s;
      } else if (!is_prefix_of(q.first, "IDENTIFICATION", 2) &&
                 !is_prefix_of(q.first, "USER_VALUE", 2)) {
        return fail("unknown message qualifier /" + q.first);
      }
    }
    if (msev < 0) return fail("message " + m.ident + " has no severity");
    if (next_number > 4095) return fail("more than 4095 messages");
    m.code = (static_cast<std::uint32_t>(fac->number) << 16) | (fac->system ? 0u : 0x8000u) |
             (static_cast<std::uint32_t>(next_number) << 3) | static_cast<std::uint32_t>(msev);
    ++next_number;
    fac->messages.push_back(m);
  }
  if (out.empty()) return fail("no .FACILITY");
  return true;
}

}  // namespace vmssim::msgfile
