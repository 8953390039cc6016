// Another local user against supervisord and its client, with two accounts for real: the
// tests run as root and play the other user with child processes that switch to uid
// 65534 (nobody) or 65533, or set up what that user could have made with chown.
// - the daemon refuses a table directory another user made or can write, and makes a
//   missing one 0700 (so the other user can no longer put anything in it);
// - the client refuses such a table before reading it, and sends nothing (no password)
//   to a socket whose listener is neither root nor the table's owner.
// Without root there is no second account to play: the tests skip and say so.
#include <fcntl.h>
#include <grp.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>

#include "support/daemon_fixture.hpp"

namespace sup::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr uid_t kNobody = 65534;    // has a passwd entry: a daemon can switch to it
constexpr uid_t kIntruder = 65533;  // just a number: the other local user

#define SKIP_UNLESS_ROOT()                                                                \
  if (::geteuid() != 0)                                                                   \
  GTEST_SKIP() << "needs root: a second account is played by switching to uid 65534 and " \
                  "65533 (setuid) and by chown"

// Becomes `uid` (and gid `uid`, no supplementary groups) in a forked child; false if not.
bool become(uid_t uid) {
  return ::setgroups(0, nullptr) == 0 && ::setgid(uid) == 0 && ::setuid(uid) == 0;
}

// Runs `fn` in a child process as `uid`; returns its exit status (fn's result), -1 if
// the switch failed.
int run_as(uid_t uid, const std::function<int()>& fn) {
  const pid_t pid = ::fork();
  if (pid == 0) ::_exit(become(uid) ? fn() : 255);
  int st = 0;
  ::waitpid(pid, &st, 0);
  return WIFEXITED(st) && WEXITSTATUS(st) != 255 ? WEXITSTATUS(st) : -1;
}

// The other user's trap: a process running as `uid` that listens on `path`, accepts one
// connection and records what arrives on it: "L" once it listens (listening() takes
// it), "A" once a client connected, then the bytes of the first record (if one was sent
// before the client closed).
class Impostor {
 public:
  Impostor(const std::string& path, uid_t uid) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    path.copy(addr.sun_path, sizeof addr.sun_path - 1);
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) < 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::close(fds[0]);
      const int out = fds[1];
      const int s = ::socket(AF_UNIX, SOCK_SEQPACKET, 0);
      if (!become(uid) || s < 0 || ::bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr) ||
          ::listen(s, 4))
        ::_exit(1);
      (void)!::write(out, "L", 1);
      const int c = ::accept(s, nullptr, nullptr);
      if (c < 0) ::_exit(1);
      (void)!::write(out, "A", 1);
      char buf[8192];
      const ssize_t n = ::recv(c, buf, sizeof buf, 0);
      if (n > 0) (void)!::write(out, buf, static_cast<size_t>(n));
      ::_exit(0);
    }
    ::close(fds[1]);
    fd_ = fds[0];
  }
  ~Impostor() {
    if (pid_ > 0) ::kill(pid_, SIGKILL);
    reap();
    if (fd_ >= 0) ::close(fd_);
  }

  // Waits until it listens; false if it failed to.
  bool listening() { return read_some(1) == "L"; }

  // What it saw.  `connected`: a client is expected, so wait until the impostor has
  // finished (the client closed or sent a record); otherwise it is stopped first (no
  // client came: nothing can arrive any more).
  std::string seen(bool connected) {
    if (!connected) ::kill(pid_, SIGKILL);
    std::string all;
    for (std::string more; !(more = read_some(8192)).empty();) all += more;
    reap();
    return all;
  }

 private:
  // Up to `max` bytes, waiting up to 60 s; "" at the end of the pipe or on timeout.
  std::string read_some(std::size_t max) {
    pollfd p{fd_, POLLIN, 0};
    if (fd_ < 0 || ::poll(&p, 1, 60000) <= 0) return "";
    std::string buf(max, '\0');
    const ssize_t n = ::read(fd_, buf.data(), max);
    buf.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
    return buf;
  }
  void reap() {
    if (pid_ <= 0) return;
    int st;
    ::waitpid(pid_, &st, 0);
    pid_ = -1;
  }
  pid_t pid_ = -1;
  int fd_ = -1;
};

// Runs supervisord -n -c `conf`, which is to refuse to start: should it start after
// all, it is ended after 60 s (exit 124, from timeout) instead of blocking the test.
RunResult refused_daemon(const std::string& conf) {
  return run_command({"/usr/bin/timeout", "60", binary("supervisord"), "-n", "-c", conf});
}

// A directory owned by `uid` with `mode`.
std::string make_dir(const std::string& path, uid_t uid, mode_t mode) {
  EXPECT_EQ(::mkdir(path.c_str(), 0700), 0) << path;
  EXPECT_EQ(::chown(path.c_str(), uid, uid), 0) << path;
  EXPECT_EQ(::chmod(path.c_str(), mode), 0) << path;
  return path;
}

std::string sleeper(const std::string& user) {
  return "[program:p]\nimage = /bin/sleep\narguments = 300\nautostart = false\nuser = " + user +
         "\n";
}

// A test's private directory that other accounts may pass through (not list).
struct Scratch {
  Scratch() { ::chmod(t.path().c_str(), 0711); }
  TempDir t;
  const std::string& path() const { return t.path(); }
};

TEST(Security, DaemonRefusesATableDirectoryAnotherUserMadeOrCanWrite) {
  SKIP_UNLESS_ROOT();
  Scratch s;
  // As the other user would have left it before the daemon's first start.
  const std::string table = make_dir(s.path() + "/table", kNobody, 0777);
  const std::string conf = s.t.write(
      "s.conf", "[supervisord]\ntable = " + table + "\nlogfile = %(here)s/log\n" + sleeper("root"));
  auto r = refused_daemon(conf);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("%SUPERVISOR-E-TABLEERR, table " + table + ": the table directory " + table +
                       " is owned by "),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("uid 65534) with mode 0777"), std::string::npos) << r.err;
  EXPECT_TRUE(fs::is_empty(table));  // no lock, no socket, no entry written there
  // Owned by root but writable by a group: refused as well.
  ASSERT_EQ(::chown(table.c_str(), 0, 0), 0);
  ASSERT_EQ(::chmod(table.c_str(), 0770), 0);
  r = refused_daemon(conf);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("is owned by root (uid 0) with mode 0770"), std::string::npos) << r.err;
  EXPECT_TRUE(fs::is_empty(table));
}

// The scenario as found: a non-root daemon (here nobody, switched to by [supervisord]
// user) whose table directory, in a directory everybody may write (like /tmp), another
// local user made first.
TEST(Security, ANonRootDaemonRefusesItsTableMadeFirstByAnotherUserAndMakesItPrivate) {
  SKIP_UNLESS_ROOT();
  Scratch s;
  const std::string shared = make_dir(s.path() + "/shared", 0, 01777);  // as /tmp
  const std::string table = shared + "/supervisord-65534";
  ASSERT_EQ(run_as(kIntruder,
                   [&] {
                     ::umask(0);
                     return ::mkdir(table.c_str(), 0777) == 0 ? 0 : 1;
                   }),
            0);
  const std::string conf =
      s.t.write("s.conf", "[supervisord]\nuser = nobody\ntable = " + table +
                              "\nlogfile = " + shared + "/log\n" + sleeper("nobody"));
  auto refused = refused_daemon(conf);
  EXPECT_EQ(refused.exit_code, 1) << refused.err;
  EXPECT_NE(refused.err.find("the table directory " + table +
                             " is owned by uid 65533 with mode "
                             "0777: it must be owned by root or "
                             "nobody (uid 65534)"),
            std::string::npos)
      << refused.err;
  EXPECT_TRUE(fs::is_empty(table));

  // Once it is gone, the daemon makes it itself, 0700, and serves.
  ASSERT_EQ(::rmdir(table.c_str()), 0);
  const std::string out = s.path() + "/daemon.out";
  const pid_t daemon = ::fork();
  if (daemon == 0) {
    const int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    ::execl(binary("supervisord").c_str(), "supervisord", "-n", "-c", conf.c_str(), nullptr);
    ::_exit(127);
  }
  // The root client trusts the table because the configuration says the daemon runs as
  // nobody; status exits 3 (p is STOPPED) once the daemon answers.
  RunResult status;
  EXPECT_TRUE(wait_for([&] {
    status = run_command({binary("supervisor"), "-c", conf, "status"});
    return status.exit_code == 3;
  })) << status.err;
  EXPECT_NE(status.out.find("STOPPED"), std::string::npos) << status.out;
  struct stat st {};
  ASSERT_EQ(::stat(table.c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, kNobody);
  EXPECT_EQ(st.st_mode & 07777, 0700u);
  // The other user can no longer put a socket or an entry there.
  EXPECT_EQ(run_as(kIntruder,
                   [&] {
                     const std::string f = table + "/SUPERVISORD_PRG_P";
                     return ::open(f.c_str(), O_WRONLY | O_CREAT, 0644) < 0 && errno == EACCES ? 0
                                                                                               : 1;
                   }),
            0);
  ::kill(daemon, SIGTERM);
  int st_daemon = 0;
  ::waitpid(daemon, &st_daemon, 0);
  EXPECT_TRUE(WIFEXITED(st_daemon) && WEXITSTATUS(st_daemon) == 0) << st_daemon;
}

TEST(Security, ClientRefusesATableAnotherUserCouldHaveWritten) {
  SKIP_UNLESS_ROOT();
  Scratch s;
  const std::string lair = make_dir(s.path() + "/lair", kNobody, 0700);
  const std::string table = make_dir(s.path() + "/table", 0, 0700);
  Impostor impostor(lair + "/sock", kNobody);
  ASSERT_TRUE(impostor.listening());
  std::ofstream(table + "/SUPERVISORD_CMD") << lair + "/sock";
  ASSERT_EQ(::chown(table.c_str(), kNobody, kNobody), 0);  // the other user's table now
  const std::string conf = s.t.write("s.conf", "[supervisord]\ntable = " + table + "\n");
  auto r = run_command({binary("supervisor"), "-c", conf, "-p", "Secret", "status"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("%SUPERVISOR-E-TABLEERR, table " + table + ": the table directory " + table +
                       " is owned by nobody (uid 65534) with mode 0700: it must be owned by root"),
            std::string::npos)
      << r.err;
  // Root's own table, but others may write it: refused as well.
  ASSERT_EQ(::chown(table.c_str(), 0, 0), 0);
  ASSERT_EQ(::chmod(table.c_str(), 0703), 0);
  r = run_command({binary("supervisor"), "-c", conf, "-p", "Secret", "status"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("is owned by root (uid 0) with mode 0703"), std::string::npos) << r.err;
  EXPECT_EQ(impostor.seen(false), "");  // nobody connected
}

TEST(Security, ClientIgnoresAnEntryAnotherUserLeftInTheTable) {
  // The table is root's and private now, but SUPERVISORD_CMD was written by the other
  // user while the directory was open: it is not believed.
  SKIP_UNLESS_ROOT();
  Scratch s;
  const std::string lair = make_dir(s.path() + "/lair", kNobody, 0700);
  const std::string table = make_dir(s.path() + "/table", 0, 0700);
  Impostor impostor(lair + "/sock", kNobody);
  ASSERT_TRUE(impostor.listening());
  std::ofstream(table + "/SUPERVISORD_CMD") << lair + "/sock";
  ASSERT_EQ(::chown((table + "/SUPERVISORD_CMD").c_str(), kNobody, kNobody), 0);
  const std::string conf = s.t.write("s.conf", "[supervisord]\ntable = " + table + "\n");
  auto r = run_command({binary("supervisor"), "-c", conf, "-p", "Secret", "status"});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_NE(r.err.find("%SUPERVISOR-E-NODAEMON, cannot reach supervisord at " + table +
                       ": SUPERVISORD_CMD is not defined"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(impostor.seen(false), "");
}

TEST(Security, ClientTrustsTheConfiguredDaemonUserAndTheImpostorSeesThePassword) {
  // The control of the tests around it: when the client does trust the listener (the
  // configuration says the daemon runs as nobody), the impostor receives the request and
  // its password.  So an impostor that saw nothing above really was refused.
  SKIP_UNLESS_ROOT();
  Scratch s;
  const std::string lair = make_dir(s.path() + "/lair", kNobody, 0700);
  const std::string table = make_dir(s.path() + "/table", 0, 0700);
  Impostor impostor(lair + "/sock", kNobody);
  ASSERT_TRUE(impostor.listening());
  std::ofstream(table + "/SUPERVISORD_CMD") << lair + "/sock";
  ASSERT_EQ(::chown(table.c_str(), kNobody, kNobody), 0);
  const std::string conf =
      s.t.write("s.conf", "[supervisord]\nuser = nobody\ntable = " + table + "\n");
  auto r = run_command({binary("supervisor"), "-c", conf, "-p", "Secret", "status"});
  EXPECT_EQ(r.exit_code, 4) << r.err;  // the impostor closed without a reply
  const std::string seen = impostor.seen(true);
  EXPECT_EQ(seen.rfind("A", 0), 0u) << seen;
  EXPECT_NE(seen.find("Secret"), std::string::npos) << seen;
}

TEST(Security, ClientChecksWhoListensBeforeSendingAnything) {
  SKIP_UNLESS_ROOT();
  Scratch s;
  const std::string lair = make_dir(s.path() + "/lair", kNobody, 0700);
  const std::string table = make_dir(s.path() + "/table", 0, 0700);  // root's, in order
  const std::string conf = s.t.write("s.conf", "[supervisord]\ntable = " + table + "\n");
  std::ofstream(table + "/SUPERVISORD_CMD") << lair + "/sock";
  {
    // The socket the table names is served by the other user (it replaced it).
    Impostor impostor(lair + "/sock", kNobody);
    ASSERT_TRUE(impostor.listening());
    auto r = run_command({binary("supervisor"), "-c", conf, "-p", "Secret", "status"});
    EXPECT_EQ(r.exit_code, 4) << r.err;
    EXPECT_NE(r.err.find("%SUPERVISOR-E-NODAEMON, cannot reach supervisord at " + lair +
                         "/sock: the process listening on " + lair + "/sock (pid "),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("runs as nobody (uid 65534), not as root: nothing was sent to it"),
              std::string::npos)
        << r.err;
    EXPECT_EQ(impostor.seen(true), "A");  // connected, then closed with nothing sent
  }
  ::unlink((lair + "/sock").c_str());
  {
    // A socket given by SUPERVISORD_CMD: the listener must be root or the client's uid.
    Impostor impostor(lair + "/sock", kNobody);
    ASSERT_TRUE(impostor.listening());
    auto r = run_command({binary("supervisor"), "-p", "Secret", "status"}, "",
                         {"SUPERVISORD_CMD=" + lair + "/sock"});
    EXPECT_EQ(r.exit_code, 4) << r.err;
    EXPECT_NE(r.err.find("runs as nobody (uid 65534), not as root: nothing was sent to it"),
              std::string::npos)
        << r.err;
    EXPECT_EQ(impostor.seen(true), "A");
  }
}

}  // namespace
}  // namespace sup::testing
