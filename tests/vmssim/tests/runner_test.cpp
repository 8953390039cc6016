// build/vmssim itself (spec 2.4): COMMAND's status or 128+signal, the root and --keep, leaks
// killed and logged at teardown, --user, --variant and --trace.  Each case runs a nested
// vmssim (its own simulated system) from this simulated process.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <vector>

#include "proc_test_util.hpp"

extern char** environ;

using namespace proc_test;

namespace {

struct RunResult {
  int status = -1;  // the exit code, or -1
  std::string err;
};

// Runs `vmssim ARGS...` with stdin from `input` (a file path, or empty for /dev/null).
RunResult vmssim(const std::vector<std::string>& args, const std::string& input = "") {
  std::string exe = env("VMSSIM_TOOL_DIR") + "/vmssim";
  std::vector<std::string> a = {exe};
  a.insert(a.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& s : a) argv.push_back(s.data());
  argv.push_back(nullptr);
  std::string errfile = scratch("err");
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, input.empty() ? "/dev/null" : input.c_str(), O_RDONLY,
                                   0);
  posix_spawn_file_actions_addopen(&fa, 2, errfile.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = -1;
  RunResult r;
  int rc = posix_spawn(&pid, exe.c_str(), &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) return r;
  int ws = 0;
  if (waitpid(pid, &ws, 0) == pid && WIFEXITED(ws)) r.status = WEXITSTATUS(ws);
  r.err = read_file(errfile);
  return r;
}

bool exists(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

}  // namespace

// The runner returns COMMAND's status, or 128+signal.
TEST(Runner, ReturnsCommandStatus) {
  EXPECT_EQ(vmssim({"--", "sh", "-c", "exit 3"}).status, 3);
  EXPECT_EQ(vmssim({"--", "true"}).status, 0);
  EXPECT_EQ(vmssim({"--", "sh", "-c", "kill -TERM $$"}).status, 128 + SIGTERM);
  EXPECT_EQ(vmssim({"--", "/no/such/command"}).status, 127);
}

// The root is removed unless --keep; it holds the socket and SYS$SYSTEM:LOGINOUT.EXE.
TEST(Runner, RootAndKeep) {
  std::string kept = scratch("root-kept");
  ASSERT_EQ(vmssim({"--root", kept, "--keep", "--", "true"}).status, 0);
  EXPECT_TRUE(exists(kept + "/disk/system/loginout.exe"));
  std::string gone = scratch("root-gone");
  ASSERT_EQ(vmssim({"--root", gone, "--", "sh", "-c", "test -S \"$VMSSIM_SOCKET\""}).status, 0);
  EXPECT_FALSE(exists(gone));
}

// Leftover processes are killed and each is logged as a leak.
TEST(Runner, TeardownKillsAndLogsLeaks) {
  std::string in = scratch("leak-in");
  std::string sleep_in = scratch("leak-sleep");
  write_file(sleep_in, "sleep\n");
  write_file(in, "creprc " + image("child") + " " + sleep_in + " PROC_LEAKY 0x200\nexit 1\n");
  auto t0 = Clock::now();
  RunResult r = vmssim({"--", image("child")}, in);
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.err.find("leak: process"), std::string::npos) << r.err;
  RunResult bg = vmssim({"--", "sh", "-c", "sleep 600 & exit 0"});
  EXPECT_EQ(bg.status, 0);
  EXPECT_NE(bg.err.find("leak"), std::string::npos) << bg.err;
  EXPECT_LT(std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - t0).count(), 120);
}

// --user runs COMMAND as that user; --variant and --user are checked; --trace logs calls.
TEST(Runner, UserVariantTrace) {
  std::string in = scratch("who-in");
  write_file(in, "whoami\n");
  std::string out = scratch("who-out");
  std::string trace = scratch("trace");
  RunResult r = vmssim({"--user", "bob", "--trace", trace, "--variant", "pid_linger_ms=10", "--",
                        "sh", "-c", image("child") + " > " + out},
                       in);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(read_file(out).find("user BOB          uic 00C00001"), std::string::npos)
      << read_file(out);
  EXPECT_NE(read_file(trace).find("$GETJPI"), std::string::npos);
  EXPECT_NE(read_file(trace).find("pid_linger_ms=10"), std::string::npos);
  EXPECT_EQ(vmssim({"--variant", "no_such=1", "--", "true"}).status, 2);
  EXPECT_EQ(vmssim({"--variant", "pid_linger_ms=5000", "--", "true"}).status, 2);
  EXPECT_EQ(vmssim({"--user", "NOBODY", "--", "true"}).status, 2);
}

// --variant reaches the executive: delprc_status is FINALSTS after $DELPRC (spec 2.5, 4.2).
TEST(Runner, DelprcStatusVariant) {
  std::string sleep_in = scratch("dv-sleep");
  write_file(sleep_in, "sleep\n");
  std::string in = scratch("dv-in");
  write_file(in, "tmpmbx\ncreprc " + image("child") + " " + sleep_in +
                     " PROC_DV 0x200 last\ndelprc\nreadterm\nexit 1\n");
  for (const char* value : {"0", "0x2C", "0x10000"}) {
    std::string out = scratch("dv-out");
    RunResult r = vmssim({"--variant", std::string("delprc_status=") + value, "--", "sh", "-c",
                          image("child") + " > " + out},
                         in);
    EXPECT_EQ(r.status, 0) << r.err;
    char want[64];
    std::snprintf(want, sizeof want, "FINALSTS %08lX status 1", std::strtoul(value, nullptr, 0));
    EXPECT_NE(read_file(out).find(want), std::string::npos) << read_file(out);
  }
}
