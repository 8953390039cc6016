// supervisord's own POSIX chores: detaching, changing account, the password file, and
// the environment handed to the configuration loader.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "platform/posix/posix_daemon.hpp"
#include "platform/posix/posix_env.hpp"

namespace {

namespace fs = std::filesystem;

class PosixDaemon : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/sup-posix-daemon-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text, mode_t mode) {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path) << text;
    ::chmod(path.c_str(), mode);
    return path;
  }
  std::string dir_;
};

TEST_F(PosixDaemon, PasswordFileReadableOnlyByItsOwner) {
  std::string pwd, error;
  EXPECT_TRUE(sup::posix::read_password_file(write("ok", "s3cret\nignored\n", 0600), pwd, error))
      << error;
  EXPECT_EQ(pwd, "s3cret");
  EXPECT_TRUE(sup::posix::read_password_file(write("crlf", "p w\r\n", 0400), pwd, error)) << error;
  EXPECT_EQ(pwd, "p w");
  const std::string open = write("open", "x\n", 0644);
  EXPECT_FALSE(sup::posix::read_password_file(open, pwd, error));
  EXPECT_EQ(error,
            "password file " + open +
                " may be accessed by group or others (mode 0644): it must be readable only by its "
                "owner (chmod 600 " +
                open + ")");
  EXPECT_FALSE(sup::posix::read_password_file(write("group", "x\n", 0640), pwd, error));
  EXPECT_NE(error.find("mode 0640"), std::string::npos);
  EXPECT_FALSE(sup::posix::read_password_file(write("empty", "\n", 0600), pwd, error));
  EXPECT_NE(error.find("is empty"), std::string::npos);
  EXPECT_FALSE(sup::posix::read_password_file(dir_ + "/absent", pwd, error));
  EXPECT_NE(error.find("No such file or directory"), std::string::npos);
  EXPECT_FALSE(sup::posix::read_password_file(dir_, pwd, error));
  EXPECT_NE(error.find("not a regular file"), std::string::npos);
}

TEST_F(PosixDaemon, SwitchUser) {
  std::string error;
  EXPECT_TRUE(sup::posix::switch_user("", error));
  EXPECT_FALSE(sup::posix::switch_user("no_such_user_sup", error));
  EXPECT_EQ(error, "cannot switch to user no_such_user_sup: no such user");
  if (::geteuid() != 0) GTEST_SKIP() << "needs root";
  const pid_t pid = ::fork();  // the switch is for good: do it in a child
  if (pid == 0) {
    std::string e;
    const bool ok = sup::posix::switch_user("nobody", e) && ::geteuid() == 65534 &&
                    ::getegid() == 65534 && std::string(::getenv("USER")) == "nobody";
    // Not root any more: only its own account is accepted now.
    const bool refused = !sup::posix::switch_user("root", e) &&
                         e == "cannot switch to user root: supervisord is not running as root";
    ::_exit(ok && refused && sup::posix::switch_user("nobody", e) ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

TEST_F(PosixDaemon, DaemonizeDetachesAndRedirects) {
  int report[2];
  ASSERT_EQ(::pipe(report), 0);  // inherited by the grandchild: it tells us what it sees
  const std::string log = dir_ + "/daemon.log";
  // Compared with the test's own session: the grandchild's parent may still be alive
  // (and share the new session) when it looks, so its parent is no reference.
  const pid_t original_sid = ::getsid(0);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(report[0]);
    if (!sup::posix::daemonize(log).empty()) ::_exit(3);
    std::printf("to the log\n");
    std::fflush(stdout);
    char cwd[64] = "?";
    char byte = 0;
    const std::string line = std::string(::getcwd(cwd, sizeof cwd) ? cwd : "?") +
                             (::getsid(0) != ::getpid() ? " not-leader" : " leader") +
                             (::getsid(0) != original_sid ? " own-session" : " shared") +
                             (::read(0, &byte, 1) == 0 ? " null-stdin\n" : " stdin?\n");
    [[maybe_unused]] const ssize_t n = ::write(report[1], line.data(), line.size());
    ::_exit(0);
  }
  ::close(report[1]);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);  // the first parent leaves with 0
  pollfd p{report[0], POLLIN, 0};
  ASSERT_EQ(::poll(&p, 1, 10000), 1);
  char buf[256] = "";
  const ssize_t n = ::read(report[0], buf, sizeof buf - 1);
  ::close(report[0]);
  ASSERT_GT(n, 0);
  EXPECT_EQ(std::string(buf, static_cast<std::size_t>(n)), "/ not-leader own-session null-stdin\n");
  std::ifstream in(log);
  std::string logged;
  std::getline(in, logged);
  EXPECT_EQ(logged, "to the log");
}

TEST_F(PosixDaemon, DaemonizeReportsAnUnopenableLogFirst) {
  EXPECT_EQ(sup::posix::daemonize("/no/such/dir/x.log"),
            "cannot open /no/such/dir/x.log: No such file or directory");
}

TEST(PosixEnv, EnvironmentFromTheProcess) {
  ::setenv("SUP_POSIX_ENV_TEST", "value", 1);
  const auto env = sup::posix::posix_environment();
  EXPECT_EQ(env.uid, static_cast<unsigned>(::geteuid()));
  EXPECT_EQ(env.cwd, fs::current_path().string());
  EXPECT_FALSE(env.home.empty());
  ASSERT_TRUE(env.getenv);
  EXPECT_EQ(env.getenv("SUP_POSIX_ENV_TEST"), "value");
  EXPECT_EQ(env.getenv("SUP_POSIX_ENV_TEST_ABSENT"), std::nullopt);
  ::unsetenv("SUP_POSIX_ENV_TEST");
}

}  // namespace
