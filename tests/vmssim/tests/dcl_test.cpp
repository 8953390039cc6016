// Messages and the simulated DCL, in simulated processes (spec 4.10):
// checklist 36 ($GETMSG of a SUPERVISOR message and of an unknown code) and checklist 37
// (`vmssim dcl` prints an even status's message, but not when bit 28 is set), with a real
// image (tests/images/cli_probe.cpp) reading its command through CLI$ routines.
#include <descrip.h>
#include <fcntl.h>
#include <spawn.h>
#include <ssdef.h>
#include <starlet.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

extern char** environ;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Checklist 36.
TEST(VmsMessages, GetmsgSupervisorMessageAndUnknownCode) {
  static char buf[256];
  static struct dsc$descriptor_s d = {sizeof buf, DSC$K_DTYPE_T, DSC$K_CLASS_S, buf};
  static unsigned short len;
  static unsigned char out[4];
  // SUPERVISOR's facility is 1201 (+ the customer bit): find NOSUCHPROC's code by its
  // ident, so that the test does not depend on the message's position in the file.
  unsigned int code = 0;
  for (unsigned n = 1; n < 256 && code == 0; ++n) {
    unsigned int c = ((1201u + 2048u) << 16) | 0x8000u | (n << 3) | 2u;
    if (sys$getmsg(c, &len, &d, 2, out) == SS$_NORMAL && std::string(buf, len) == "%NOSUCHPROC")
      code = c;
  }
  ASSERT_NE(code, 0u);
  ASSERT_EQ(sys$getmsg(code, &len, &d, 0x0F, out), SS$_NORMAL);
  EXPECT_EQ(std::string(buf, len), "%SUPERVISOR-E-NOSUCHPROC, !AS: ERROR (no such process)");
  EXPECT_EQ(sys$getmsg(0x0ABC0012u, &len, &d, 0x0F, out), SS$_MSGNOTFND);
  EXPECT_EQ(std::string(buf, len), "%NONAME-E-NOMSG, Message number 0ABC0012");
}

// Checklist 37.
class VmsDclImage : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* root = std::getenv("VMSSIM_ROOT");
    const char* tool = std::getenv("VMSSIM_TOOL_DIR");
    ASSERT_TRUE(root && tool) << "run under vmssim";
    root_ = root;
    tool_ = tool;
    std::ofstream(root_ + "/probe.cld")
        << "MODULE PROBE_CLD\nDEFINE VERB PROBE\n  IMAGE \"" << tool_
        << "/vmssim_img_cli_probe\"\n  PARAMETER P1, LABEL=WHAT, VALUE(LIST)\n"
        << "  QUALIFIER LOUD, NEGATABLE\n";
    ASSERT_EQ(vmssim({"set-command", root_ + "/probe.cld"}), 0) << out_;
  }
  // `vmssim ARGS...` as a child (posix_spawn: no fork() in a simulated process); its output
  // in out_, its exit code returned, $STATUS in status_.
  int vmssim(std::vector<std::string> args) {
    std::string out = root_ + "/dcl.out", status = root_ + "/dcl.status";
    std::remove(status.c_str());
    args.insert(args.begin(), tool_ + "/vmssim");
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(&a[0]);
    argv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    setenv("VMSSIM_DCL_STATUS", status.c_str(), 1);
    pid_t pid = 0;
    int rc = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    unsetenv("VMSSIM_DCL_STATUS");
    if (rc != 0) return -1;
    int ws = 0;
    while (waitpid(pid, &ws, 0) < 0) {
    }
    out_ = without_sanitizer_notes(slurp(out));
    status_ = slurp(status);
    return WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
  }
  std::string root_, tool_, out_, status_;

  // The output without the lines AddressSanitizer adds in the sanitizer build ("==PID==
  // WARNING: ASan doesn't fully support makecontext/swapcontext...", printed once by each
  // image the runtime moves onto its 32-bit stack): the images' own lines are compared.
  static std::string without_sanitizer_notes(const std::string& text) {
    std::string kept;
    std::size_t pos = 0;
    while (pos < text.size()) {
      std::size_t end = text.find('\n', pos);
      end = end == std::string::npos ? text.size() : end + 1;
      const std::string line = text.substr(pos, end - pos);
      if (line.rfind("==", 0) != 0 || line.find("==WARNING: ASan") == std::string::npos)
        kept += line;
      pos = end;
    }
    return kept;
  }
};

TEST_F(VmsDclImage, ImageReadsItsCommandAndDclPrintsEvenStatuses) {
  EXPECT_EQ(vmssim({"dcl", "PROBE a,b+c /LOUD"}), 0) << out_;
  EXPECT_EQ(out_, "LOUD=PRESENT\nWHAT=A,\nWHAT=B+\nWHAT=C\nFOREIGN=a,b+c /LOUD\n");
  EXPECT_EQ(status_, "%X00000001\n");

  EXPECT_EQ(vmssim({"dcl", "PROBE FAIL /NOLOUD"}), 44) << out_;
  EXPECT_EQ(out_, "LOUD=NEGATED\nWHAT=FAIL\nFOREIGN=FAIL /NOLOUD\n%SYSTEM-F-ABORT, abort\n");
  EXPECT_EQ(status_, "%X0000002C\n");

  // Bit 28 set: the same even status, no message.
  EXPECT_EQ(vmssim({"dcl", "PROBE QUIET"}), 44) << out_;
  EXPECT_EQ(out_, "LOUD=ABSENT\nWHAT=QUIET\nFOREIGN=QUIET\n");
  EXPECT_EQ(status_, "%X1000002C\n");

  // DCL's own parse error: %DCL-W-IVVERB and the verb.
  vmssim({"dcl", "FROBNICATE"});
  EXPECT_EQ(out_,
            "%DCL-W-IVVERB, unrecognized command verb - check validity and spelling\n"
            " \\FROBNICATE\\\n");
}

}  // namespace
