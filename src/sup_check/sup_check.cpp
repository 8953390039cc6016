// sup_check: runs the project's CLD, HLP or MSG parser on any file and prints what it
// understood, or the first error as FILE:LINE: text.  For someone porting a command
// definition, help library or message file, to check it on Linux before OpenVMS sees it;
// the build runs it with --quiet on the project's own three files.
//
//   sup_check [--quiet] [cld|hlp|msg] FILE...
//
// Without cld/hlp/msg the format comes from each file's extension.  Exit status: 0 when
// every file parsed, 1 when one did not, 2 on a usage error.
#include <fmt/format.h>

#include <cctype>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/cld_parser.hpp"
#include "help/hlp_parser.hpp"
#include "msg/msg_parser.hpp"

namespace {

enum class Format { Unknown, Cld, Hlp, Msg };

Format format_named(std::string word) {
  for (auto& c : word) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (word == "cld") return Format::Cld;
  if (word == "hlp") return Format::Hlp;
  if (word == "msg") return Format::Msg;
  return Format::Unknown;
}

Format format_of_path(const std::string& path) {
  const auto dot = path.rfind('.');
  if (dot == std::string::npos || path.find('/', dot) != std::string::npos) return Format::Unknown;
  return format_named(path.substr(dot + 1));
}

bool read_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return static_cast<bool>(in) || in.eof();
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : " ") + item;
  return out;
}

void print_definition(const sup::cli::cld::Definition& def, const char* what) {
  std::cout << fmt::format("  {} {}", what, def.name);
  if (!def.synonyms.empty()) std::cout << " (synonyms " << join(def.synonyms) << ")";
  if (!def.image.empty()) std::cout << " image " << def.image;
  if (!def.routine.empty()) std::cout << " routine " << def.routine;
  if (!def.cli_routine.empty()) std::cout << " cliroutine " << def.cli_routine;
  std::cout << "\n";
  for (const auto& p : def.parameters) {
    std::cout << fmt::format("    parameter {}{}{}\n", p.name,
                             p.label.empty() ? "" : " label " + p.label,
                             p.value.type.empty() ? "" : " type " + p.value.type);
  }
  for (const auto& q : def.qualifiers) {
    std::cout << fmt::format("    qualifier /{}{}{}\n", q.name,
                             q.value.allowed ? (q.value.required ? "=value" : "[=value]") : "",
                             q.value.type.empty() ? "" : " type " + q.value.type);
  }
  if (!def.disallows.empty()) std::cout << fmt::format("    {} DISALLOW\n", def.disallows.size());
}

bool check_cld(const std::string& path, const std::string& text, bool quiet) {
  const auto result = sup::cli::cld::parse_cld(text, path);
  if (!result.ok()) {
    std::cerr << result.error->text() << "\n";
    return false;
  }
  if (quiet) return true;
  const auto& m = *result.model;
  std::cout << fmt::format("{}: command definitions: module {}, {} verbs, {} syntaxes, {} types\n",
                           path, m.module.empty() ? "(none)" : m.module, m.verbs.size(),
                           m.syntaxes.size(), m.types.size());
  for (const auto& v : m.verbs) print_definition(v, "verb");
  for (const auto& s : m.syntaxes) print_definition(s, "syntax");
  for (const auto& t : m.types) {
    std::vector<std::string> names;
    for (const auto& k : t.keywords) names.push_back(k.name);
    std::cout << fmt::format("  type {}: {}\n", t.name, join(names));
  }
  return true;
}

void print_topic(const sup::help::Topic& topic) {
  for (const auto& sub : topic.subtopics) {
    std::cout << fmt::format("  {}{} {}  ({} lines of text, line {})\n",
                             std::string(2 * (sub.level - 1), ' '), sub.level, sub.key,
                             sub.text.size(), sub.line);
    print_topic(sub);
  }
}

bool check_hlp(const std::string& path, const std::string& text, bool quiet) {
  const auto result = sup::help::parse_hlp(text);
  if (!result.ok()) {
    std::cerr << fmt::format("{}:{}: {}\n", path, result.error->line, result.error->message);
    return false;
  }
  if (quiet) return true;
  std::cout << path << ": help library, keys:\n";
  print_topic(result.library.root);
  return true;
}

bool check_msg(const std::string& path, const std::string& text, bool quiet) {
  std::vector<sup::msg::MsgError> errors;
  const auto file = sup::msg::parse_message_file(text, errors);
  if (!file) {
    for (const auto& e : errors) std::cerr << fmt::format("{}:{}: {}\n", path, e.line, e.text);
    return false;
  }
  if (quiet) return true;
  if (file->facility.empty()) {
    std::cout << path << ": message file without a .FACILITY: defines no messages\n";
    return true;
  }
  std::cout << fmt::format("{}: messages of facility {} ({}), prefix {}, {} messages\n", path,
                           file->facility, file->facility_number, file->prefix,
                           file->messages.size());
  for (const auto& m : file->messages) {
    std::cout << fmt::format("  {}{} = %X{:08X} -{}- <{}>{}\n", file->prefix, m.ident, m.value,
                             sup::msg::severity_letter(m.severity), m.text,
                             m.fao_count ? fmt::format(" /FAO_COUNT={}", m.fao_count) : "");
  }
  return true;
}

int usage() {
  std::cerr << "usage: sup_check [--quiet] [cld|hlp|msg] FILE...\n"
               "  Parses each .CLD, .HLP or .MSG file as SET COMMAND, LIBRARY/HELP or MESSAGE\n"
               "  would, and prints what it understood or FILE:LINE: error.\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  bool quiet = false;
  Format forced = Format::Unknown;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--quiet" || arg == "-q") {
      quiet = true;
    } else if (arg == "--help" || arg == "-h") {
      usage();
      return 0;
    } else if (files.empty() && forced == Format::Unknown && format_named(arg) != Format::Unknown) {
      forced = format_named(arg);
    } else {
      files.push_back(arg);
    }
  }
  if (files.empty()) return usage();
  bool all_ok = true;
  for (const auto& path : files) {
    const Format format = forced != Format::Unknown ? forced : format_of_path(path);
    if (format == Format::Unknown) {
      std::cerr << path << ": not .CLD, .HLP or .MSG: say which (sup_check cld|hlp|msg FILE)\n";
      all_ok = false;
      continue;
    }
    std::string text;
    if (!read_file(path, text)) {
      std::cerr << path << ": cannot read the file\n";
      all_ok = false;
      continue;
    }
    bool ok = format == Format::Cld   ? check_cld(path, text, quiet)
              : format == Format::Hlp ? check_hlp(path, text, quiet)
                                      : check_msg(path, text, quiet);
    all_ok = all_ok && ok;
  }
  return all_ok ? 0 : 1;
}
