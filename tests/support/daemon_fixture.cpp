#include "support/daemon_fixture.hpp"

#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <variant>

#include "core/protocol.hpp"
#include "platform/posix/posix_platform.hpp"
#include "sup_messages.hpp"

extern char** environ;

namespace sup::testing {
namespace fs = std::filesystem;

bool is_root() {
  return geteuid() == 0;
}

void make_unwritable(const std::string& dir) {
  namespace fs = std::filesystem;
  if (!is_root()) {
    fs::create_directories(dir);
    chmod(dir.c_str(), 0555);
    return;
  }
  if (fs::exists(dir)) fs::rename(dir, dir + ".away");
  std::ofstream(dir) << "not a directory\n";
}

void make_writable(const std::string& dir) {
  namespace fs = std::filesystem;
  if (!is_root()) {
    chmod(dir.c_str(), 0700);
    return;
  }
  fs::remove(dir);
  if (fs::exists(dir + ".away"))
    fs::rename(dir + ".away", dir);
  else
    fs::create_directories(dir);
}

std::string moved(const std::string& dir) {
  return is_root() ? dir + ".away" : dir;
}

std::string current_user() {
  if (const passwd* pw = getpwuid(geteuid())) return pw->pw_name;
  const char* u = std::getenv("USER");
  return u ? u : "root";
}

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

// The environment with `extra` ("NAME=value") replacing or adding entries.
std::vector<std::string> with_env(const std::vector<std::string>& extra) {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    std::string entry = *e;
    std::string name = entry.substr(0, entry.find('=') + 1);
    bool replaced = false;
    for (const auto& x : extra) replaced = replaced || x.compare(0, name.size(), name) == 0;
    if (!replaced) env.push_back(entry);
  }
  env.insert(env.end(), extra.begin(), extra.end());
  return env;
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

RunResult spawn_command(const std::vector<std::string>& argv, const std::string& input,
                        const std::vector<std::string>& extra_env) {
  int in[2], out[2], err[2];
  if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC)) return {};
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) env.emplace_back(*e);
  env.insert(env.end(), extra_env.begin(), extra_env.end());
  auto args = c_argv(argv);
  auto envp = c_argv(env);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err[1], 2);
  pid_t pid = -1;
  const int failed = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
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
  if (failed) {
    r.exit_code = 127;
    return r;
  }
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

Daemon::Daemon(const std::string& programs, const std::string& daemon_extra,
               const DaemonBackend* backend)
    : backend_(backend) {
  const std::string header =
      backend_ ? backend_->daemon_section(dir_.path())
               : "[supervisord]\ntable = %(here)s/table\nlogfile = %(here)s/supervisord.log\n";
  config_ = dir_.write("supervisord.conf", header + daemon_extra + "\n" + programs);
}

std::string Daemon::built(const std::string& name) const {
  return backend_ ? backend_->binary(name) : binary(name);
}

Daemon::~Daemon() {
  // Kill every recorded program first (the table survives the daemon), then the daemon.
  if (pid_ > 0 && !reaped_) {
    kill(static_cast<pid_t>(pid_), SIGKILL);
    int st;
    waitpid(static_cast<pid_t>(pid_), &st, 0);
  }
  if (backend_) {
    backend_->clean_up(*this);
    return;
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
  return start_with_env({}, extra_args);
}

bool Daemon::start_with_env(const std::vector<std::string>& extra_env,
                            const std::vector<std::string>& extra_args) {
  std::vector<std::string> argv = {built("supervisord"), "-n", "-c", config_};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  auto args = c_argv(argv);
  auto envp_text = with_env(extra_env);
  auto envp = c_argv(envp_text);
  std::string log_path = dir_.path() + "/daemon.out";
  if (backend_) {  // a simulated OpenVMS process may not fork: see spawn_command
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                     0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    pid_t child = -1;
    const int failed = posix_spawn(&child, args[0], &actions, &attr, args.data(), envp.data());
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&actions);
    if (failed) return false;
    pid_ = child;
    reaped_ = false;
    return wait_for([&] { return !running() || backend_->answers(*this); }) && running();
  }
  pid_t pid = fork();
  if (pid == 0) {
    int fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    dup2(fd, 1);
    dup2(fd, 2);
    setpgid(0, 0);
    execve(args[0], args.data(), envp.data());
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
  std::vector<std::string> argv = {built("supervisor"), "-c", config_};
  argv.insert(argv.end(), args.begin(), args.end());
  return backend_ ? spawn_command(argv, "", extra_env) : run_command(argv, "", extra_env);
}

RunResult Daemon::dcl(const std::string& line) const {
  std::vector<std::string> argv = {built("supervisor")};
  std::istringstream words(line);
  for (std::string w; words >> w;) argv.push_back(w);
  argv.push_back("/CONFIGURATION=" + config_);
  return backend_ ? spawn_command(argv) : run_command(argv);
}

long Daemon::pid_of(const std::string& name) const {
  auto r = ctl({"pid", name});
  if (backend_) return backend_->parse_pid(r.out);  // it judges the output, not the status
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

bool Daemon::wait_ready(std::chrono::milliseconds timeout) const {
  const std::string me = std::to_string(pid_);
  return wait_for(
             [&] {
               if (!running()) return true;
               if (backend_) return backend_->answers(*this);
               std::ifstream in(table() + "/SUPERVISORD_PID");
               std::string pid;
               if (!std::getline(in, pid) || pid != me) return false;
               return raw_request(socket(), "version", {}, 0, 5000).condition == SUP__VERSION;
             },
             timeout) &&
         running();
}

std::string Daemon::socket() const {
  std::ifstream in(table() + "/SUPERVISORD_CMD");
  std::string sock;
  std::getline(in, sock);
  return sock;
}

std::string Daemon::output() const {
  std::ifstream in(dir_.path() + "/daemon.out");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

namespace {

std::string read_proc(long pid, const char* what) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/" + what, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

std::vector<ProcessInfo> processes_with_argv0(const std::string& argv0) {
  std::vector<ProcessInfo> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/proc", ec)) {
    const std::string name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    const long pid = std::atol(name.c_str());
    std::string cmdline = read_proc(pid, "cmdline");
    if (cmdline.compare(0, argv0.size() + 1, argv0 + '\0') != 0 || !process_alive(pid)) continue;
    ProcessInfo info{pid, {}};
    for (std::size_t at = 0; at < cmdline.size();) {
      std::size_t end = cmdline.find('\0', at);
      if (end == std::string::npos) end = cmdline.size();
      info.argv.push_back(cmdline.substr(at, end - at));
      at = end + 1;
    }
    out.push_back(std::move(info));
  }
  return out;
}

long cpu_ticks(long pid) {
  const std::string stat = read_proc(pid, "stat");
  const auto close_paren = stat.rfind(')');
  if (close_paren == std::string::npos) return -1;
  // After ")" come field 3 (state) onwards: utime and stime are fields 14 and 15.
  std::istringstream in(stat.substr(close_paren + 1));
  std::string word;
  long utime = -1, stime = -1;
  for (int field = 3; field <= 15 && in >> word; ++field) {
    if (field == 14) utime = std::atol(word.c_str());
    if (field == 15) stime = std::atol(word.c_str());
  }
  return utime < 0 || stime < 0 ? -1 : utime + stime;
}

long ticks_per_second() {
  return sysconf(_SC_CLK_TCK);
}

long rss_kib(long pid) {
  std::istringstream in(read_proc(pid, "status"));
  for (std::string line; std::getline(in, line);)
    if (line.compare(0, 6, "VmRSS:") == 0) return std::atol(line.c_str() + 6);
  return -1;
}

RawReply raw_request(const std::string& socket, const std::string& action,
                     const std::vector<std::string>& names, std::uint32_t flags, int timeout_ms) {
  RawReply out;
  core::Request request;
  auto known = commands::find_keyword(action);
  if (!known) {
    out.error = "no action " + action;
    return out;
  }
  request.action = *known;
  request.wait = (flags & core::kFlagNoWait) == 0;
  request.names = names;
  auto record = core::encode_request(request);
  if (!record) {
    out.error = "the request does not fit one record";
    return out;
  }
  std::string error;
  auto channel = posix::connect_channel(socket, error);
  if (!channel || !(error = channel->send(*record)).empty()) {
    out.error = error;
    return out;
  }
  for (;;) {
    auto bytes = channel->receive(timeout_ms, error);
    if (!bytes) {
      out.error = error.empty() ? "closed before the final record" : error;
      return out;
    }
    auto decoded = core::decode_reply(*bytes);
    if (auto* bad = std::get_if<core::DecodeError>(&decoded)) {
      out.error = "undecodable reply: " + bad->text;
      return out;
    }
    auto& reply = std::get<core::Reply>(decoded);
    if (reply.type == core::RecordType::Final) {
      out.complete = true;
      out.condition = reply.condition;
      out.text = reply.text;
      return out;
    }
    // A Line record may pack several lines (status): count them one by one.
    std::size_t start = 0, nl;
    while ((nl = reply.text.find('\n', start)) != std::string::npos) {
      out.lines.emplace_back(reply.condition, reply.text.substr(start, nl - start));
      start = nl + 1;
    }
    out.lines.emplace_back(reply.condition, reply.text.substr(start));
  }
}

}  // namespace sup::testing
