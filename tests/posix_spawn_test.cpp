// spawn() on Linux with real processes: exit codes, errors, redirection, user, limits.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "platform/posix/posix_platform.hpp"
#include "platform/posix/posix_proc.hpp"
#include "support/posix_fixture.hpp"

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using sup::platform::Event;
using sup::platform::ExitStatus;
using sup::platform::ProcessSpec;

class PosixSpawn : public sup::testing::PosixPlatformFixture {
 protected:
  ProcessSpec shell(const std::string& script) {
    ProcessSpec spec;
    spec.program = "test";
    spec.image = "/bin/sh";
    spec.arguments = {"-c", script};
    spec.output = dir_ + "/out";
    spec.error = dir_ + "/err";
    return spec;
  }

  // The exit of `pid`, waited for up to 10 s.
  std::optional<ExitStatus> wait_exit(sup::platform::ProcessId pid) {
    const auto deadline = sup::platform::Clock::now() + 10s;
    while (sup::platform::Clock::now() < deadline) {
      std::vector<Event> events;
      wait_events(deadline, events);
      for (const auto& e : events) {
        if (e.kind == Event::Kind::ChildExited && e.pid == pid) return e.status;
      }
    }
    return std::nullopt;
  }

  // Runs `spec` to its end; expects exit status 0.
  void run_ok(const ProcessSpec& spec) {
    const auto r = spawn_now(spec);
    ASSERT_TRUE(r.ok) << r.error;
    const auto st = wait_exit(r.pid);
    ASSERT_TRUE(st);
    EXPECT_EQ(platform_->describe_exit(*st), "exit status 0");
  }

  std::string file(const std::string& name) {
    std::ifstream in(dir_ + "/" + name);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
};

TEST_F(PosixSpawn, ExitCodeIsReported) {
  const auto r = spawn_now(shell("exit 3"));
  ASSERT_TRUE(r.ok) << r.error;
  const auto st = wait_exit(r.pid);
  ASSERT_TRUE(st);
  EXPECT_EQ(st->kind, ExitStatus::Kind::Exited);
  EXPECT_EQ(st->code, 3u);
  EXPECT_EQ(platform_->describe_exit(*st), "exit status 3");
}

TEST_F(PosixSpawn, DeathBySignalIsReported) {
  const auto r = spawn_now(shell("kill -KILL $$"));
  ASSERT_TRUE(r.ok) << r.error;
  const auto st = wait_exit(r.pid);
  ASSERT_TRUE(st);
  EXPECT_EQ(st->kind, ExitStatus::Kind::Signaled);
  EXPECT_EQ(st->code, 9u);
  EXPECT_EQ(platform_->describe_exit(*st), "terminated by SIGKILL");
}

TEST_F(PosixSpawn, IdentityIsTheStartTimeAndGivesTheStartDate) {
  // It must still exist when we look: an exit that came with Started has been reaped.
  const auto r = spawn_now(shell("exec sleep 300"));
  ASSERT_TRUE(r.ok) << r.error;
  const auto ticks = sup::posix::read_start_ticks(r.pid);
  ASSERT_TRUE(ticks);
  EXPECT_EQ(r.identity, std::to_string(*ticks));
  EXPECT_LE(std::llabs(r.started_wall - platform_->wall_now()), 60);
  EXPECT_EQ(platform_->kill(r.pid, true), "");
  EXPECT_TRUE(wait_exit(r.pid));
}

TEST_F(PosixSpawn, SpawnErrorsSayWhy) {
  auto missing = shell("");
  missing.image = "/no/such";
  missing.arguments.clear();
  EXPECT_EQ(spawn_now(missing).error, "cannot execute /no/such: No such file or directory");

  std::ofstream(dir_ + "/plain") << "#!/bin/sh\n";
  ::chmod((dir_ + "/plain").c_str(), 0644);
  auto plain = missing;
  plain.image = dir_ + "/plain";
  EXPECT_EQ(spawn_now(plain).error, "cannot execute " + dir_ + "/plain: Permission denied");

  auto bad_user = shell("exit 0");
  bad_user.user = "no_such_user_sup";
  EXPECT_EQ(spawn_now(bad_user).error, "cannot run as user no_such_user_sup: no such user");

  auto bad_output = shell("exit 0");
  bad_output.output = "/no/such/dir/out.log";
  EXPECT_EQ(spawn_now(bad_output).error,
            "cannot open output /no/such/dir/out.log: No such file or directory");

  auto bad_input = shell("exit 0");
  bad_input.input = dir_ + "/absent";
  EXPECT_EQ(spawn_now(bad_input).error,
            "cannot open input " + dir_ + "/absent: No such file or directory");

  auto not_on_path = missing;
  not_on_path.image = "no-such-command-sup";
  EXPECT_NE(spawn_now(not_on_path).error.find("cannot execute no-such-command-sup"),
            std::string::npos);
}

TEST_F(PosixSpawn, BareImageIsFoundOnPath) {
  ProcessSpec spec;
  spec.image = "true";
  run_ok(spec);
}

TEST_F(PosixSpawn, StandardFilesAreRedirectedAndAppended) {
  std::ofstream(dir_ + "/in") << "hello\n";
  std::ofstream(dir_ + "/out") << "old\n";
  const mode_t old_mask = ::umask(022);
  auto spec = shell("cat; echo oops >&2");
  spec.input = dir_ + "/in";
  run_ok(spec);
  run_ok(spec);
  ::umask(old_mask);
  EXPECT_EQ(file("out"), "old\nhello\nhello\n");
  EXPECT_EQ(file("err"), "oops\noops\n");
  struct stat st {};
  ASSERT_EQ(::stat((dir_ + "/err").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0640u);
}

TEST_F(PosixSpawn, NullDeviceNamesMeanDevNull) {
  auto spec = shell("cat; echo done");
  spec.input = "NLA0:";
  run_ok(spec);
  spec.input = "nla0:";
  spec.error = "NLA0:";
  run_ok(spec);
  spec.input = "";
  run_ok(spec);
  EXPECT_EQ(file("out"), "done\ndone\ndone\n");
  EXPECT_FALSE(fs::exists(dir_ + "/NLA0:"));
}

TEST_F(PosixSpawn, ArgumentsAndEnvironmentArePassed) {
  ::setenv("SUP_POSIX_TEST_VAR", "kept", 1);
  auto spec = shell("echo \"$0|$1|$SUP_POSIX_TEST_VAR\"");
  spec.arguments.push_back("one two");
  run_ok(spec);
  ::unsetenv("SUP_POSIX_TEST_VAR");
  EXPECT_EQ(file("out"), "one two||kept\n");
}

TEST_F(PosixSpawn, ChildGetsNoInheritedDescriptorsNorBlockedSignals) {
  // Only 0, 1, 2 (and the directory fd of ls itself) may be open in the child; the
  // signal mask line of /proc must be all zero although the daemon blocks its signals.
  run_ok(shell("ls /proc/self/fd | wc -l; grep SigBlk /proc/self/status"));
  EXPECT_EQ(file("out"), "4\nSigBlk:\t0000000000000000\n");
}

TEST_F(PosixSpawn, ChildIsItsOwnSessionAndGroup) {
  run_ok(shell("cut -d' ' -f1,5,6 /proc/$$/stat"));
  std::istringstream in(file("out"));
  long pid = 0, pgid = 0, sid = 0;
  in >> pid >> pgid >> sid;
  EXPECT_EQ(pid, pgid);
  EXPECT_EQ(pid, sid);
}

TEST_F(PosixSpawn, QuotasBecomeResourceLimits) {
  auto spec = shell("ulimit -n; ulimit -t");
  spec.quotas = {{"FILLM", 64}, {"CPULM", 250}, {"ASTLM", 5}};
  run_ok(spec);
  EXPECT_EQ(file("out"), "64\n3\n");
}

TEST_F(PosixSpawn, RefusedLimitIsASpawnError) {
  // Beyond fs.nr_open even root may not raise RLIMIT_NOFILE.
  const auto nr_open =
      std::stoul(sup::posix::read_small_file("/proc/sys/fs/nr_open").value_or("1048576"));
  const auto too_many = static_cast<std::uint32_t>(nr_open + 1);
  auto spec = shell("exit 0");
  spec.quotas = {{"FILLM", too_many}};
  EXPECT_EQ(spawn_now(spec).error, "cannot apply quota FILLM=" + std::to_string(too_many) +
                                       " (limit " + std::to_string(too_many) +
                                       "): Operation not permitted");
}

TEST_F(PosixSpawn, BasePriorityBecomesNice) {
  auto spec = shell("cut -d' ' -f19 /proc/self/stat");
  spec.baspri = 2;
  run_ok(spec);
  if (::geteuid() == 0) {
    spec.baspri = 6;
    run_ok(spec);
    EXPECT_EQ(file("out"), "5\n-5\n");
  } else {
    EXPECT_EQ(file("out"), "5\n");
  }
}

TEST_F(PosixSpawn, UserIsAppliedWhenRoot) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root";
  const std::string pub = dir_ + "/pub";
  fs::create_directory(pub);
  ::chmod(dir_.c_str(), 0755);
  ::chmod(pub.c_str(), 0777);
  auto spec = shell("id -u; echo $USER $LOGNAME $HOME");
  spec.user = "nobody";
  spec.output = pub + "/out";
  spec.error = pub + "/err";
  run_ok(spec);
  EXPECT_EQ(file("pub/out"), "65534\nnobody nobody /nonexistent\n");
  struct stat st {};
  ASSERT_EQ(::stat(spec.output.c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, 65534u);  // opened as the program's account
}

}  // namespace
