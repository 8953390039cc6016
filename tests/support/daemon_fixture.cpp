#include "support/daemon_fixture.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace sup::testing {
namespace fs = std::filesystem;

std::string binary(const std::string& name) {
  return std::string(SUP_BINARY_DIR) + "/" + name;
}

bool wait_for(const std::function<bool()>& cond, std::chrono::milliseconds timeout) {
  auto end = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < end) {
    if (cond()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return cond();
}

namespace {

// Reads both pipes until EOF without deadlocking on a full one.
void drain(int out_fd, int err_fd, std::string& out, std::string& err) {
  pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  int open_count = 2;
  char buf[4096];
  while (open_count > 0) {
    if (poll(fds, 2, -1) < 0) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n <= 0) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_count;
      } else {
        (i == 0 ? out : err).append(buf, static_cast<size_t>(n));
      }
    }
  }
}

std::vector<char*> c_argv(const std::vector<std::string>& v) {
  std::vector<char*> r;
  for (auto& s : v) r.push_back(const_cast<char*>(s.c_str()));
  r.push_back(nullptr);
  return r;
}

int decode_status(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

RunResult run_command(const std::vector<std::string>& argv, const std::string& input,
                      const std::vector<std::string>& extra_env) {
  int in[2], out[2], err[2];
  if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC)) return {};
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) env.emplace_back(*e);
  env.insert(env.end(), extra_env.begin(), extra_env.end());
  auto args = c_argv(argv);
  auto envp = c_argv(env);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    dup2(err[1], 2);
    execve(args[0], args.data(), envp.data());
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  close(err[1]);
  std::thread feeder([fd = in[1], input] {
    signal(SIGPIPE, SIG_IGN);
    if (!input.empty()) (void)!write(fd, input.data(), input.size());
    close(fd);
  });
  RunResult r;
  drain(out[0], err[0], r.out, r.err);
  feeder.join();
  int status = 0;
  waitpid(pid, &status, 0);
  r.exit_code = decode_status(status);
  return r;
}

TempDir::TempDir() {
  std::string tmpl = (fs::temp_directory_path() / "supvms_XXXXXX").string();
  path_ = mkdtemp(tmpl.data()) ? tmpl : std::string();
}

TempDir::~TempDir() {
  std::error_code ec;
  if (!path_.empty()) fs::remove_all(path_, ec);
}

std::string TempDir::write(const std::string& name, const std::string& text) const {
  std::string p = path_ + "/" + name;
  std::ofstream(p) << text;
  return p;
}

bool process_alive(long pid) {
  if (pid <= 0 || kill(static_cast<pid_t>(pid), 0) != 0) return false;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(stat, line);
  auto close_paren = line.rfind(')');
  return close_paren != std::string::npos && close_paren + 2 < line.size() &&
         line[close_paren + 2] != 'Z';
}

Daemon::Daemon(const std::string& programs, const std::string& daemon_extra) {
  const char* user = std::getenv("USER");
  std::string text = "[supervisord]\ntable = %(here)s/table\nlogfile = %(here)s/supervisord.log\n" +
                     daemon_extra + "\n" + programs;
  (void)user;
  config_ = dir_.write("supervisord.conf", text);
}

Daemon::~Daemon() {
  // Kill every recorded program first (the table survives the daemon), then the daemon.
  if (pid_ > 0 && !reaped_) {
    kill(static_cast<pid_t>(pid_), SIGKILL);
    int st;
    waitpid(static_cast<pid_t>(pid_), &st, 0);
  }
  std::error_code ec;
  for (auto& e : fs::directory_iterator(table(), ec)) {
    std::ifstream in(e.path());
    long pid = 0;
    if (e.path().filename().string().rfind("SUPERVISORD_PRG_", 0) == 0 && (in >> pid) && pid > 1)
      kill(static_cast<pid_t>(-pid), SIGKILL), kill(static_cast<pid_t>(pid), SIGKILL);
  }
}

bool Daemon::start(const std::vector<std::string>& extra_args) {
  std::vector<std::string> argv = {binary("supervisord"), "-n", "-c", config_};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  auto args = c_argv(argv);
  std::string log_path = dir_.path() + "/daemon.out";
  pid_t pid = fork();
  if (pid == 0) {
    int fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    dup2(fd, 1);
    dup2(fd, 2);
    setpgid(0, 0);
    execv(args[0], args.data());
    _exit(127);
  }
  pid_ = pid;
  reaped_ = false;
  return wait_for([&] {
           if (!running()) return true;
           std::ifstream cmd(table() + "/SUPERVISORD_CMD");
           std::string sock;
           return std::getline(cmd, sock) && fs::exists(sock);
         }) &&
         running();
}

void Daemon::signal(int signo) const {
  kill(static_cast<pid_t>(pid_), signo);
}

bool Daemon::running() const {
  if (reaped_ || pid_ <= 0) return false;
  int st;
  pid_t r = waitpid(static_cast<pid_t>(pid_), &st, WNOHANG);
  if (r == static_cast<pid_t>(pid_)) {
    auto* self = const_cast<Daemon*>(this);
    self->reaped_ = true;
    self->exit_code_ = decode_status(st);
    return false;
  }
  return true;
}

int Daemon::wait_exit(std::chrono::milliseconds timeout) {
  if (!wait_for([&] { return !running(); }, timeout)) return -1;
  return exit_code_;
}

RunResult Daemon::ctl(const std::vector<std::string>& args,
                      const std::vector<std::string>& extra_env) const {
  std::vector<std::string> argv = {binary("supervisor"), "-c", config_};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command(argv, "", extra_env);
}

RunResult Daemon::dcl(const std::string& line) const {
  std::vector<std::string> argv = {binary("supervisor")};
  std::istringstream words(line);
  for (std::string w; words >> w;) argv.push_back(w);
  argv.push_back("/CONFIGURATION=" + config_);
  return run_command(argv);
}

long Daemon::pid_of(const std::string& name) const {
  auto r = ctl({"pid", name});
  return r.exit_code == 0 ? std::atol(r.out.c_str()) : 0;
}

std::string Daemon::state_of(const std::string& name) const {
  auto r = ctl({"status", name});
  std::istringstream line(r.out);
  std::string n, state;
  line >> n >> state;
  return state;
}

bool Daemon::wait_state(const std::string& name, const std::string& state,
                        std::chrono::milliseconds timeout) const {
  return wait_for([&] { return state_of(name) == state; }, timeout);
}

std::string Daemon::log() const {
  std::ifstream in(dir_.path() + "/supervisord.log");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace sup::testing
