// What supervisord does to itself on POSIX: detach, change account, read its password.
#pragma once

#include <string>

namespace sup::posix {

// Detaches from the terminal: opens `stdout_file` for appending first (so that an error
// still reaches the caller: the text is returned and nothing else happens), then double
// fork + setsid, chdir("/"), stdin = /dev/null, stdout and stderr appended to the file
// ("" or NLA0: = /dev/null).  Returns "" in the grandchild; the two parents _exit(0).
[[nodiscard]] std::string daemonize(const std::string& stdout_file);

// Reopens stdout_file ("" or NLA0: = /dev/null) for appending onto stdout and stderr,
// after a rotation (SIGUSR2).  Returns "" or the error; on error nothing changes.
[[nodiscard]] std::string reopen_stdout(const std::string& stdout_file);

// The detached daemon's word to the command that started it: that command waits until
// the daemon is ready (exit 0) or has failed (it prints the reason and exits 1), so an
// error after the forks (the table in use, a bad user) is not lost in stdout_file.
class StartupReport {
 public:
  StartupReport() = default;
  ~StartupReport();
  StartupReport(const StartupReport&) = delete;
  StartupReport& operator=(const StartupReport&) = delete;
  // Called in the daemon: start-up is complete.
  void ready();
  // Called in the daemon: start-up failed; `text` is printed by the waiting command.
  void failed(const std::string& text);

 private:
  friend std::string daemonize(const std::string&, StartupReport&);
  int fd_ = -1;  // write end of the pipe to the waiting command; -1 once used
};

// daemonize(), with the original process waiting for `report` (see StartupReport).
[[nodiscard]] std::string daemonize(const std::string& stdout_file, StartupReport& report);

// True when supervisord is the first process (pid 1) of its PID namespace, a container's
// init.  There it must not detach: the first process leaving ends the namespace, and
// the kernel then kills every process in it, the daemon's detached copy included.
[[nodiscard]] bool is_first_process();

// Becomes `user` ("" = stay) with initgroups/setgid/setuid, and sets USER, LOGNAME and
// HOME.  Not running as root, only the current account is accepted.  False with e.g.
// "cannot switch to user bob: supervisord is not running as root".
[[nodiscard]] bool switch_user(const std::string& user, std::string& error);

// Reads the password from the first line of `path` (line end removed).  Refuses a file
// that is not a regular file, is empty, or that its group or others may access.
[[nodiscard]] bool read_password_file(const std::string& path, std::string& out,
                                      std::string& error);

}  // namespace sup::posix
