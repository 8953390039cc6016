#include "config/config_paths.hpp"

#include <vector>

#include "config/config_text.hpp"

namespace sup::config::detail {
namespace {

std::string join(std::string_view dir, std::string_view name) {
  std::string out(dir);
  if (!out.empty() && out.back() != '/') out += '/';
  return out + std::string(name);
}

// True for things only OpenVMS understands: "DISK$APP:[APP]RUN.COM", "SYS$OUTPUT:",
// "SYS$MANAGER:X.LOG": a device or logical name and a colon before any '/'. (A POSIX
// file whose name has such a colon can be written "./name".)
bool looks_like_vms(std::string_view value) {
  const std::size_t colon = value.find(':');
  if (colon == 0 || colon == std::string_view::npos) return false;
  for (char c : value.substr(0, colon)) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '$' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::string absolute_config_path(std::string_view path, std::string_view cwd, Flavor flavor) {
  if (flavor == Flavor::Vms || cwd.empty() || (!path.empty() && path.front() == '/')) {
    return std::string(path);
  }
  return normalize_posix_path(join(cwd, path));
}

std::string config_directory(std::string_view path, std::string_view cwd, Flavor flavor) {
  if (flavor == Flavor::Vms) {
    const std::size_t bracket = path.find_last_of("]>");
    if (bracket != std::string_view::npos) return std::string(path.substr(0, bracket + 1));
    if (path.find('/') == std::string_view::npos) {
      const std::size_t colon = path.rfind(':');
      if (colon != std::string_view::npos) return std::string(path.substr(0, colon + 1));
      return std::string(cwd);
    }
  }
  const std::size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return cwd.empty() ? "." : std::string(cwd);
  if (slash == 0) return "/";
  return normalize_posix_path(path.substr(0, slash));
}

std::string normalize_posix_path(std::string_view path) {
  const bool absolute = !path.empty() && path.front() == '/';
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view part = path.substr(start, end - start);
    start = end + 1;
    if (part.empty() || part == ".") continue;
    if (part == ".." && !parts.empty() && parts.back() != "..") {
      parts.pop_back();
    } else if (part != ".." || !absolute) {
      parts.push_back(part);  // ".." above the root is the root itself
    }
  }
  std::string out = absolute ? "/" : "";
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += '/';
    out += parts[i];
  }
  return out.empty() ? "." : out;
}

Parsed<std::string> posix_file(std::string_view value, std::string_view here,
                               std::string_view home) {
  if (value.empty()) return Parsed<std::string>::fail("expected a file name");
  if (iequals(value, "NLA0:")) return Parsed<std::string>::ok("/dev/null");
  if (looks_like_vms(value)) {
    return Parsed<std::string>::fail(
        "an OpenVMS file specification cannot be used on POSIX (only NLA0:, which means "
        "/dev/null); give a path");
  }
  std::string path(value);
  if (path.front() == '~') {
    if (path.size() > 1 && path[1] != '/') {
      return Parsed<std::string>::fail("~user is not supported; give the path");
    }
    if (home.empty())
      return Parsed<std::string>::fail("~ is used but the home directory is unknown");
    path = join(home, path.size() > 2 ? path.substr(2) : "");
  }
  if (path.front() != '/') path = join(here, path);
  return Parsed<std::string>::ok(normalize_posix_path(path));
}

}  // namespace sup::config::detail
