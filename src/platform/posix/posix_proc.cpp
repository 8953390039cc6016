#include "platform/posix/posix_proc.hpp"

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
  std::string text;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return std::nullopt;
    if (n == 0) return text;
    text.append(buf, static_cast<std::size_t>(n));
  }
}

std::optional<std::uint64_t> parse_start_ticks(const std::string& stat_text) {
  const auto close = stat_text.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  // After ")" come field 3 (state), 4, ... so field 22 is the 20th word.
  std::istringstream in(stat_text.substr(close + 1));
  std::string word;
  for (int field = 3; field <= 22; ++field) {
    if (!(in >> word)) return std::nullopt;
  }
  if (word.empty() || word.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  return std::strtoull(word.c_str(), nullptr, 10);
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

bool is_zombie(std::uint64_t pid) {
  const auto text = read_small_file("/proc/" + std::to_string(pid) + "/stat");
  if (!text) return false;
  const auto close_paren = text->rfind(')');
  return close_paren != std::string::npos && close_paren + 2 < text->size() &&
         (*text)[close_paren + 2] == 'Z';
}

}  // namespace sup::posix
