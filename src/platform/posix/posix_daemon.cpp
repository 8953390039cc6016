#include "platform/posix/posix_daemon.hpp"

#include <fcntl.h>
#include <grp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>

#include "platform/posix/posix_fd.hpp"
#include "platform/posix/posix_launch.hpp"
#include "platform/posix/posix_user.hpp"

namespace sup::posix {
namespace {

constexpr std::size_t kMaxPasswordFile = 4096;

std::string octal_mode(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

// Forks; the parent leaves at once with status 0, the child returns.
std::string fork_and_leave() {
  const pid_t pid = ::fork();
  if (pid < 0) return sys_error("cannot fork");
  if (pid > 0) ::_exit(0);
  return "";
}

// The original process: waits for the daemon's word on `fd` and leaves accordingly.
[[noreturn]] void wait_for_startup(int fd) {
  std::string text;
  char buf[512];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    text.append(buf, static_cast<std::size_t>(n));
  }
  if (text == "ok") ::_exit(0);
  if (text.empty()) text = "supervisord ended during start-up (its stdout_file may say why)";
  text = text.substr(text.front() == '!' ? 1 : 0) + "\n";
  [[maybe_unused]] ssize_t w = ::write(2, text.data(), text.size());
  ::_exit(1);
}

}  // namespace

std::string reopen_stdout(const std::string& stdout_file) {
  const std::string path = device_path(stdout_file);
  Fd out(::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640));
  if (!out.valid()) return sys_error("cannot open " + path);
  std::fflush(nullptr);
  if (::dup2(out.get(), 1) < 0 || ::dup2(out.get(), 2) < 0) return sys_error("dup2");
  return "";
}

StartupReport::~StartupReport() {
  if (fd_ >= 0) ::close(fd_);
}

void StartupReport::ready() {
  if (fd_ < 0) return;
  [[maybe_unused]] ssize_t w = ::write(fd_, "ok", 2);
  ::close(fd_);
  fd_ = -1;
}

void StartupReport::failed(const std::string& text) {
  if (fd_ < 0) return;
  const std::string msg = "!" + text;
  [[maybe_unused]] ssize_t w = ::write(fd_, msg.data(), msg.size());
  ::close(fd_);
  fd_ = -1;
}

std::string daemonize(const std::string& stdout_file, StartupReport& report) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) < 0) return sys_error("pipe");
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) return sys_error("cannot fork");
  if (pid > 0) {
    ::close(fds[1]);
    wait_for_startup(fds[0]);
  }
  ::close(fds[0]);
  report.fd_ = fds[1];
  return daemonize(stdout_file);
}

std::string daemonize(const std::string& stdout_file) {
  const std::string path = device_path(stdout_file);
  Fd out(::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640));
  if (!out.valid()) return sys_error("cannot open " + path);
  Fd null(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  if (!null.valid()) return sys_error("cannot open /dev/null");
  // Buffered output would otherwise be written once by each process.
  std::fflush(nullptr);
  if (auto e = fork_and_leave(); !e.empty()) return e;
  if (::setsid() < 0) return sys_error("setsid");
  // The second fork makes sure we are not a session leader: no terminal can come back.
  if (auto e = fork_and_leave(); !e.empty()) return e;
  if (::chdir("/") < 0) return sys_error("chdir /");
  if (::dup2(null.get(), 0) < 0 || ::dup2(out.get(), 1) < 0 || ::dup2(out.get(), 2) < 0) {
    return sys_error("dup2");
  }
  return "";
}

bool is_first_process() {
  return ::getpid() == 1;
}

bool switch_user(const std::string& user, std::string& error) {
  if (user.empty()) return true;
  const auto info = lookup_user(user);
  const std::string what = "cannot switch to user " + user;
  if (!info) {
    error = what + ": no such user";
    return false;
  }
  const uid_t self = ::geteuid();
  if (self != 0) {
    if (info->uid == self) return true;
    error = what + ": supervisord is not running as root";
    return false;
  }
  if (::initgroups(info->name.c_str(), info->gid) < 0 || ::setgid(info->gid) < 0 ||
      ::setuid(info->uid) < 0) {
    error = sys_error(what);
    return false;
  }
  ::setenv("USER", info->name.c_str(), 1);
  ::setenv("LOGNAME", info->name.c_str(), 1);
  ::setenv("HOME", info->home.c_str(), 1);
  return true;
}

bool read_password_file(const std::string& path, std::string& out, std::string& error) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  struct stat st {};
  if (!fd.valid() || ::fstat(fd.get(), &st) < 0) {
    error = sys_error("cannot read password file " + path);
    return false;
  }
  if (!S_ISREG(st.st_mode)) {
    error = "password file " + path + " is not a regular file";
    return false;
  }
  if (st.st_mode & 077) {
    error = "password file " + path + " may be accessed by group or others (mode " +
            octal_mode(st.st_mode) + "): it must be readable only by its owner (chmod 600 " + path +
            ")";
    return false;
  }
  char buf[kMaxPasswordFile];
  const ssize_t n = ::read(fd.get(), buf, sizeof buf);
  if (n < 0) {
    error = sys_error("cannot read password file " + path);
    return false;
  }
  std::string text(buf, static_cast<std::size_t>(n));
  text = text.substr(0, text.find('\n'));
  if (!text.empty() && text.back() == '\r') text.pop_back();
  if (text.empty()) {
    error = "password file " + path + " is empty";
    return false;
  }
  out = text;
  return true;
}

}  // namespace sup::posix
