// supervisor's `command` rule and the checks that need a whole [program:x] section.
#include <optional>

#include "config/config_dropin.hpp"
#include "config/config_paths.hpp"
#include "config/config_text.hpp"

namespace sup::config::detail {
namespace {

bool blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// One step of shlex's POSIX-mode state machine.
struct Splitter {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;  // a word has started (possibly empty: "")
  char quote = 0;        // the open quote, or 0

  void end_word() {
    if (in_word) words.push_back(std::move(word));
    word.clear();
    in_word = false;
  }
};

}  // namespace

Parsed<std::vector<std::string>> split_command(std::string_view text) {
  Splitter s;
  std::size_t quote_column = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\\' && s.quote != '\'') {
      if (i + 1 >= text.size())
        return Parsed<std::vector<std::string>>::fail("a backslash at the end escapes nothing");
      const char next = text[++i];
      // Inside "...", a backslash escapes only " and itself; elsewhere it is kept.
      if (s.quote == '"' && next != '"' && next != '\\') s.word += '\\';
      s.word += next;
      s.in_word = true;
    } else if (s.quote != 0) {
      if (c == s.quote) {
        s.quote = 0;
      } else {
        s.word += c;
      }
    } else if (c == '"' || c == '\'') {
      s.quote = c;
      s.in_word = true;
      quote_column = i + 1;
    } else if (blank(c)) {
      s.end_word();
    } else {
      s.word += c;
      s.in_word = true;
    }
  }
  if (s.quote != 0) {
    return Parsed<std::vector<std::string>>::fail("the " + std::string(1, s.quote) +
                                                  " quote at column " +
                                                  std::to_string(quote_column) + " is not closed");
  }
  s.end_word();
  return Parsed<std::vector<std::string>>::ok(std::move(s.words));
}

namespace {

// The program word of a POSIX `command`: a bare name stays for PATH lookup at each start
// (as supervisor looks it up); a path is resolved against `directory`, else %(here)s.
// An OpenVMS file specification is refused either way, with posix_file's message.
Parsed<std::string> program_path(const std::string& word, const ProgramConfig& p,
                                 std::string_view here, std::string_view home) {
  const std::string_view base = p.directory.empty() ? here : std::string_view(p.directory);
  auto resolved = posix_file(word, base, home);
  if (resolved.value && *resolved.value == "/dev/null" && word.find('/') == std::string::npos) {
    return Parsed<std::string>::fail(
        word +
        " is the null device, not a program: without image, command is the program to "
        "run and its arguments (supervisor's meaning); give image to make command the "
        "standard input");
  }
  if (!resolved.value || word.find('/') != std::string::npos) return resolved;
  return Parsed<std::string>::ok(word);
}

void apply_command_rule(ProgramConfig& p, const std::map<std::string, int>& seen, Flavor flavor,
                        std::string_view here, std::string_view home,
                        std::vector<KeyProblem>& out) {
  const auto command = seen.find("command");
  if (command == seen.end()) return;  // the default input file, already set
  const int line = command->second;
  auto problem = [&](std::string text) { out.push_back(KeyProblem{line, "command", text}); };
  if (flavor == Flavor::Vms || seen.count("image") != 0) {
    // The seed's meaning: the input file (SYS$INPUT / stdin).
    if (flavor == Flavor::Vms) return;  // kept as written by the setter
    auto file = posix_file(p.command, here, home);
    if (!file.value) return problem(file.error);
    p.command = *file.value;
    return;
  }
  // POSIX without image: supervisor's meaning.
  auto words = split_command(p.command);
  if (!words.value) return problem("cannot split the command: " + words.error);
  if (words.value->empty() || words.value->front().empty())
    return problem("the command is empty: give the program to run");
  if (const auto args = seen.find("arguments"); args != seen.end()) {
    out.push_back(KeyProblem{args->second, "arguments",
                             "cannot be used with command when there is no image: command "
                             "already holds the program and its arguments (supervisor's meaning)"});
    return;
  }
  auto path = program_path(words.value->front(), p, here, home);
  if (!path.value) return problem(path.error);
  p.image = *path.value;
  p.arguments.assign(words.value->begin() + 1, words.value->end());
  p.command = "/dev/null";  // stdin, as supervisor gives it
}

}  // namespace

std::vector<KeyProblem> finish_program(ProgramConfig& p, const std::map<std::string, int>& seen,
                                       Flavor flavor, std::string_view here,
                                       std::string_view home) {
  std::vector<KeyProblem> out;
  apply_command_rule(p, seen, flavor, here, home, out);
  const auto kill = seen.find("killasgroup");
  if (kill == seen.end()) {
    p.killasgroup = p.stopasgroup;  // 4.2.5's default
  } else if (p.stopasgroup && !p.killasgroup) {
    out.push_back(KeyProblem{kill->second, "killasgroup",
                             "cannot be false when stopasgroup is true (the group that got the "
                             "stop signal must also get SIGKILL), as in supervisor"});
  }
  return out;
}

}  // namespace sup::config::detail
