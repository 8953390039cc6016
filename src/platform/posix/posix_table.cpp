#include "platform/posix/posix_table.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "platform/posix/posix_proc.hpp"
#include "platform/posix/posix_secure_dir.hpp"

namespace sup::posix {
namespace {

constexpr std::size_t kMaxNameLength = 255;

bool write_all(int fd, const std::string& data) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

}  // namespace

bool valid_table_name(const std::string& name) {
  if (name.empty() || name.size() > kMaxNameLength) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$';
  });
}

std::string DirTable::set(const std::string& name, const std::string& value) {
  if (!valid_table_name(name)) {
    return "invalid logical name \"" + name + "\" (expected A-Z, 0-9, _ or $, at most 255)";
  }
  // Not NAME.tmp: a 255-character name would then exceed the file system's NAME_MAX.
  // A dotfile, so names() never lists it; the pid keeps two writers apart.
  const std::string tmp = dir_ + "/.tmp." + std::to_string(::getpid());
  Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
  if (!fd.valid()) return sys_error("cannot create " + tmp);
  if (!write_all(fd.get(), value)) {
    const std::string error = sys_error("cannot write " + tmp);
    ::unlink(tmp.c_str());
    return error;
  }
  fd.reset();
  if (::rename(tmp.c_str(), path(name).c_str()) < 0) {
    const std::string error = sys_error("cannot rename " + tmp + " to " + path(name));
    ::unlink(tmp.c_str());
    return error;
  }
  return "";
}

DirTable::DirTable(std::string dir) : DirTable(std::move(dir), ::geteuid()) {}

std::optional<std::string> DirTable::get(const std::string& name) const {
  if (!valid_table_name(name)) return std::nullopt;
  // No link is followed and nothing blocks (a FIFO): entries are files we renamed there.
  Fd fd(::open(path(name).c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
  struct stat st {};
  if (!fd.valid() || ::fstat(fd.get(), &st) < 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  if (st.st_uid != 0 && st.st_uid != owner_) return std::nullopt;
  return read_whole(fd.get());
}

std::string DirTable::remove(const std::string& name) {
  if (!valid_table_name(name)) return "invalid logical name " + name;
  if (::unlink(path(name).c_str()) < 0 && errno != ENOENT)
    return sys_error("cannot remove " + name);
  return "";
}

std::vector<std::string> DirTable::names() const {
  std::vector<std::string> out;
  DIR* d = ::opendir(dir_.c_str());
  if (!d) return out;
  while (const dirent* e = ::readdir(d)) {
    const std::string name = e->d_name;
    if (name.empty() || name[0] == '.' || ends_with(name, ".tmp")) continue;
    if (valid_table_name(name)) out.push_back(name);
  }
  ::closedir(d);
  std::sort(out.begin(), out.end());
  return out;
}

std::string make_directories(const std::string& dir) {
  if (dir.empty()) return "no table directory given";
  return secure_directory(dir, {::geteuid()}, true).error;
}

Fd lock_table(const std::string& dir, std::string& error) {
  const std::string lock_path = dir + "/.lock";
  Fd fd(::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
  if (!fd.valid()) {
    error = sys_error("cannot open " + lock_path);
    return Fd();
  }
  if (::flock(fd.get(), LOCK_EX | LOCK_NB) < 0) {
    if (errno != EWOULDBLOCK) {
      error = sys_error("cannot lock " + lock_path);
      return Fd();
    }
    auto holder = read_small_file(lock_path).value_or("");
    while (!holder.empty() && (holder.back() == '\n' || holder.back() == ' ')) holder.pop_back();
    error = "another supervisord (pid " + (holder.empty() ? std::string("?") : holder) +
            ") already uses table " + dir;
    return Fd();
  }
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd.get(), 0) < 0 || !write_all(fd.get(), pid)) {
    error = sys_error("cannot write " + lock_path);
    return Fd();
  }
  return fd;
}

}  // namespace sup::posix
