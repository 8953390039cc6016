// Starting a simulated process's Linux process (spec 2.2, 2.3).  [G unless tagged]
#include <fcntl.h>
#include <signal.h>
#include <ssdef.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "exec/server.hpp"

extern char** environ;

namespace vmssim::exec {
namespace {

std::string real(const std::string& path) {
  char buf[PATH_MAX];
  return ::realpath(path.c_str(), buf) ? std::string(buf) : std::string();
}

int open_or_null(const std::string& path, int flags) {
  int fd = path.empty() ? -1 : ::open(path.c_str(), flags | O_CLOEXEC, 0644);
  if (fd < 0) fd = ::open("/dev/null", (flags & O_ACCMODE) | O_CLOEXEC);
  return fd;
}

}  // namespace

std::uint32_t Server::spawn(Process& p) {
  p.image_path = p.image.empty() ? std::string() : translate_filespec(p.image, p.pid);
  struct stat st {};
  // A missing image: $CREPRC succeeds, the process ends with RMS$_FNF. [P GOVAX probe 2]
  p.image_missing = p.image_path.empty() || ::stat(p.image_path.c_str(), &st) != 0 ||
                    !S_ISREG(st.st_mode) || ::access(p.image_path.c_str(), X_OK) != 0;
  std::string shim = real(config_.tool_dir + "/vmssim-loginout");
  p.is_shim = !p.image_missing && !shim.empty() && real(p.image_path) == shim;
  std::string in_path = p.input.empty() ? std::string() : translate_filespec(p.input, p.pid);
  std::string out_path = p.output.empty() ? std::string() : translate_filespec(p.output, p.pid);
  std::string err_path = p.error.empty() ? std::string() : translate_filespec(p.error, p.pid);
  char pidhex[16];
  std::snprintf(pidhex, sizeof pidhex, "%08X", p.pid);
  p.exit_file = config_.root + "/exit/" + pidhex;

  // The environment: ours (the runner's, with its VMSSIM_* switches), plus this process's.
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e)
    if (std::strncmp(*e, "VMSSIM_PROCESS_TOKEN=", 21) != 0 &&
        std::strncmp(*e, "VMSSIM_SYS_", 11) != 0 && std::strncmp(*e, "VMSSIM_PID=", 11) != 0 &&
        std::strncmp(*e, "VMSSIM_EXIT_FILE=", 17) != 0)
      env.emplace_back(*e);
  env.push_back("VMSSIM_SOCKET=" + config_.socket_path);
  env.push_back("VMSSIM_PROCESS_TOKEN=" + p.token);
  env.push_back(std::string("VMSSIM_PID=") + pidhex);
  env.push_back("VMSSIM_TOOL_DIR=" + config_.tool_dir);
  env.push_back("VMSSIM_SYS_INPUT=" + p.input);
  env.push_back("VMSSIM_SYS_OUTPUT=" + p.output);
  env.push_back("VMSSIM_SYS_ERROR=" + p.error);
  env.push_back("VMSSIM_SYS_INPUT_PATH=" + in_path);
  env.push_back("VMSSIM_SYS_OUTPUT_PATH=" + out_path);
  env.push_back("VMSSIM_SYS_ERROR_PATH=" + err_path);
  env.push_back("VMSSIM_EXIT_FILE=" + p.exit_file);
  std::vector<char*> envp;
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::string image = p.image_path;
  char* argv[] = {image.data(), nullptr};

  // SYS$OUTPUT and SYS$ERROR are opened for append (spec 2.3); what cannot be mapped to a
  // file (a mailbox is pumped by the shim) is /dev/null here.
  int fd_in = open_or_null(in_path, O_RDONLY);
  int fd_out = open_or_null(out_path, O_WRONLY | O_CREAT | O_APPEND);
  int fd_err = open_or_null(err_path, O_WRONLY | O_CREAT | O_APPEND);
  int go[2], err[2];
  if (::pipe2(go, O_CLOEXEC) != 0) return SS$_INSFMEM;
  if (::pipe2(err, O_CLOEXEC) != 0) {
    ::close(go[0]);
    ::close(go[1]);
    return SS$_INSFMEM;
  }
  pid_t parent = ::getpid();
  pid_t child = ::fork();
  if (child < 0) {
    for (int fd : {go[0], go[1], err[0], err[1], fd_in, fd_out, fd_err}) ::close(fd);
    return SS$_INSFMEM;
  }
  if (child == 0) {
    // A session of its own: the simulated process is this process group (spec 2.2); it
    // dies with the executive.
    ::close(go[1]);  // or the read below never sees the end of a missing image's pipe
    ::close(err[0]);
    ::setsid();
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    for (int sig = 1; sig < 32; ++sig) ::signal(sig, SIG_DFL);
    ::dup2(fd_in, 0);
    ::dup2(fd_out, 1);
    ::dup2(fd_err, 2);
    char byte = 0;
    ssize_t n;
    do n = ::read(go[0], &byte, 1);
    while (n < 0 && errno == EINTR);
    if (n != 1 || image.empty()) ::_exit(0);
    ::execve(image.c_str(), argv, envp.data());
    int e = errno;
    (void)!::write(err[1], &e, sizeof e);
    ::_exit(127);
  }
  for (int fd : {go[0], err[1], fd_in, fd_out, fd_err}) ::close(fd);
  p.go_fd = go[1];
  p.exec_err_fd = err[0];
  p.linux_pid = child;
  p.our_child = true;
  watch_process(p);
  return SS$_NORMAL;
}

void Server::release(Process& p) {
  if (p.go_fd < 0) return;
  // A missing image: the child exits without an exec (its byte never comes: close it).
  if (!p.image_missing) {
    char byte = 1;
    (void)!::write(p.go_fd, &byte, 1);
  }
  ::close(p.go_fd);
  p.go_fd = -1;
}

}  // namespace vmssim::exec
