#include "platform/posix/posix_daemon_keys.hpp"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace sup::posix {
namespace {

std::string raise_one(int resource, rlim_t wanted, const char* key, const char* name) {
  rlimit lim{};
  if (::getrlimit(resource, &lim) < 0)
    return std::string("[supervisord] ") + key + ": cannot read " + name + ": " +
           std::strerror(errno);
  if (lim.rlim_cur == RLIM_INFINITY || lim.rlim_cur >= wanted) return "";
  const rlim_t allowed = lim.rlim_max;
  if (lim.rlim_max != RLIM_INFINITY && lim.rlim_max < wanted) lim.rlim_max = wanted;
  lim.rlim_cur = wanted;
  if (::setrlimit(resource, &lim) == 0) return "";
  const std::string hard =
      allowed == RLIM_INFINITY ? std::string("unlimited") : std::to_string(allowed);
  return std::string("[supervisord] ") + key + " = " + std::to_string(wanted) + ": cannot raise " +
         name + " (the hard limit is " + hard + "): " + std::strerror(errno) +
         "; raise the limit for supervisord, or lower " + key;
}

}  // namespace

std::string raise_limits(int minfds, int minprocs) {
  if (auto e = raise_one(RLIMIT_NOFILE, static_cast<rlim_t>(minfds), "minfds", "RLIMIT_NOFILE");
      !e.empty())
    return e;
  return raise_one(RLIMIT_NPROC, static_cast<rlim_t>(minprocs), "minprocs", "RLIMIT_NPROC");
}

void set_daemon_umask(int umask) {
  ::umask(static_cast<mode_t>(umask));
}

std::string change_directory(const std::string& directory) {
  if (::chdir(directory.c_str()) == 0) return "";
  return "[supervisord] directory: cannot change to " + directory + ": " + std::strerror(errno);
}

std::string write_pidfile(const std::string& path, long pid) {
  const std::string tmp = path + ".tmp";
  const std::string text = std::to_string(pid) + "\n";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  bool ok = fd >= 0 && ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  const int err = errno;
  if (fd >= 0 && ::close(fd) < 0) ok = false;
  if (ok && ::rename(tmp.c_str(), path.c_str()) == 0) return "";
  const std::string why = std::strerror(ok ? errno : err);
  ::unlink(tmp.c_str());
  return "[supervisord] pidfile: cannot write " + path + ": " + why;
}

void remove_pidfile(const std::string& path, long pid) {
  std::ifstream in(path);
  long held = 0;
  if (in >> held && held == pid) ::unlink(path.c_str());
}

}  // namespace sup::posix
