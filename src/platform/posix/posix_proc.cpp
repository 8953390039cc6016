#include "platform/posix/posix_proc.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <sstream>

#include "platform/posix/posix_fd.hpp"

namespace sup::posix {

std::optional<std::string> read_small_file(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return std::nullopt;
  return read_whole(fd.get());
}

std::optional<std::string> read_whole(int fd) {
  std::string text;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return std::nullopt;
    if (n == 0) return text;
    text.append(buf, static_cast<std::size_t>(n));
  }
}

namespace {

bool all_digits(const std::string& word) {
  return !word.empty() && word.find_first_not_of("0123456789") == std::string::npos;
}

}  // namespace

std::optional<ProcStat> parse_stat(const std::string& stat_text) {
  const auto close = stat_text.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  // After ")" come field 3 (state), 4, ... so field 22 is the 20th word.
  std::istringstream in(stat_text.substr(close + 1));
  std::string word;
  ProcStat st;
  for (int field = 3; field <= 22; ++field) {
    if (!(in >> word)) return std::nullopt;
    if (field == 3) st.state = word[0];
    if (field != 6 && field != 14 && field != 15 && field != 22) continue;
    if (!all_digits(word)) return std::nullopt;
    const std::uint64_t value = std::strtoull(word.c_str(), nullptr, 10);
    if (field == 6) st.session = value;
    if (field == 14 || field == 15) st.cpu_ticks += value;
    if (field == 22) st.start_ticks = value;
  }
  return st;
}

std::optional<std::uint64_t> parse_start_ticks(const std::string& stat_text) {
  const auto st = parse_stat(stat_text);
  if (!st) return std::nullopt;
  return st->start_ticks;
}

std::optional<std::string> environ_value(const std::string& environ_text, const std::string& name) {
  const std::string prefix = name + "=";
  std::size_t start = 0;
  while (start < environ_text.size()) {
    std::size_t end = environ_text.find('\0', start);
    if (end == std::string::npos) end = environ_text.size();
    if (environ_text.compare(start, prefix.size(), prefix) == 0 && end - start >= prefix.size())
      return environ_text.substr(start + prefix.size(), end - start - prefix.size());
    start = end + 1;
  }
  return std::nullopt;
}

std::optional<std::uint64_t> read_start_ticks(std::uint64_t pid) {
  const auto text = read_small_file("/proc/" + std::to_string(pid) + "/stat");
  if (!text) return std::nullopt;
  return parse_start_ticks(*text);
}

std::int64_t wall_from_ticks(std::uint64_t ticks) {
  const auto text = read_small_file("/proc/stat");
  const long hz = ::sysconf(_SC_CLK_TCK);
  if (!text || hz <= 0) return 0;
  const auto at = text->find("\nbtime ");
  if (at == std::string::npos) return 0;
  const std::int64_t boot = std::strtoll(text->c_str() + at + 7, nullptr, 10);
  return boot + static_cast<std::int64_t>(ticks / static_cast<std::uint64_t>(hz));
}

std::vector<platform::MarkedProcess> scan_marked(const std::string& table_id) {
  std::vector<platform::MarkedProcess> found;
  DIR* proc = ::opendir("/proc");
  if (!proc) return found;
  const std::string self = std::to_string(::getpid());
  while (const dirent* e = ::readdir(proc)) {
    const std::string name = e->d_name;
    if (!all_digits(name) || name == self) continue;
    const std::string dir = "/proc/" + name;
    // The cheap test first: only session leaders can be children we spawned.
    const auto stat_text = read_small_file(dir + "/stat");
    const auto st = stat_text ? parse_stat(*stat_text) : std::nullopt;
    const std::uint64_t pid = std::strtoull(name.c_str(), nullptr, 10);
    if (!st || st->session != pid || st->state == 'Z') continue;
    const auto env = read_small_file(dir + "/environ");
    if (!env || environ_value(*env, kMarkTableVar) != table_id) continue;
    const auto program = environ_value(*env, kMarkProgramVar);
    if (!program) continue;
    // Read again: the pid may have been reused while we looked (the identity tells).
    const auto again = read_start_ticks(pid);
    if (!again || *again != st->start_ticks) continue;
    found.push_back(platform::MarkedProcess{*program, pid, std::to_string(st->start_ticks),
                                            wall_from_ticks(st->start_ticks)});
  }
  ::closedir(proc);
  return found;
}

bool is_zombie(std::uint64_t pid) {
  const auto text = read_small_file("/proc/" + std::to_string(pid) + "/stat");
  if (!text) return false;
  const auto close_paren = text->rfind(')');
  return close_paren != std::string::npos && close_paren + 2 < text->size() &&
         (*text)[close_paren + 2] == 'Z';
}

}  // namespace sup::posix
