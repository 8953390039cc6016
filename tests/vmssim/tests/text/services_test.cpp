// The text services called as a simulated image calls them ($GETMSG, $PUTMSG, CLI$,
// LIB$GET_FOREIGN; checklist 36 and the CLI$ statuses of spec 4.10), over the runtime
// stand-in tests/text/rt_double.cpp; descriptors point into 32-bit memory, as in a
// simulated image.  `vmssim dcl` (checklist 37) is run as a function in a child process.
#include <cli$routines.h>
#include <climsgdef.h>
#include <descrip.h>
#include <lib$routines.h>
#include <rmsdef.h>
#include <ssdef.h>
#include <starlet.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vmssim.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cli_status.hpp"
#include "corpus.hpp"
#include "msgfile.hpp"

extern "C" void* _malloc32(std::size_t size);
extern "C" const vmssim_cld_table SUPERVISOR_CLD;

namespace {

// A class S descriptor of `s`, both in 32-bit memory.
dsc$descriptor_s* low_desc(const std::string& s) {
  char* text = static_cast<char*>(_malloc32(s.size() + 1));
  std::memcpy(text, s.c_str(), s.size() + 1);
  auto* d = static_cast<dsc$descriptor_s*>(_malloc32(sizeof(dsc$descriptor_s)));
  *d = {static_cast<unsigned short>(s.size()), DSC$K_DTYPE_T, DSC$K_CLASS_S, text};
  return d;
}
// A class S buffer of `n` bytes.
dsc$descriptor_s* low_buffer(unsigned short n) {
  auto* d = static_cast<dsc$descriptor_s*>(_malloc32(sizeof(dsc$descriptor_s)));
  *d = {n, DSC$K_DTYPE_T, DSC$K_CLASS_S, static_cast<char*>(_malloc32(n))};
  return d;
}
std::string text(const dsc$descriptor_s* d, unsigned short len) {
  return std::string(static_cast<char*>(d->dsc$a_pointer), len);
}

std::uint32_t sup(const std::string& ident) {
  std::vector<vmssim::msgfile::Facility> f;
  std::string error;
  vmssim::msgfile::parse(vmssim_test::slurp(VMSSIM_SOURCE_DIR "/msg/SUPERVISOR.MSG"), f, error);
  for (const auto& m : f.at(0).messages)
    if (m.ident == ident) return m.code;
  return 0;
}

// Runs `fn` with stdout and stderr going to a file; returns what was written.
template <typename Fn>
std::string captured(Fn fn) {
  std::fflush(stdout);
  std::fflush(stderr);
  char path[] = "/tmp/vmssim-text-XXXXXX";
  int fd = mkstemp(path);
  int out = dup(1), err = dup(2);
  dup2(fd, 1);
  dup2(fd, 2);
  fn();
  std::fflush(stdout);
  std::fflush(stderr);
  dup2(out, 1);
  dup2(err, 2);
  close(out);
  close(err);
  close(fd);
  std::string s = vmssim_test::slurp(path);
  unlink(path);
  return s;
}

// Checklist 36: $GETMSG 0x0F gives %SUPERVISOR-E-IDENT, text; an unknown code gives NOMSG
// and MSGNOTFND.
TEST(VmsGetmsg, SupervisorMessageAndUnknownCode) {
  dsc$descriptor_s* buf = low_buffer(256);
  auto* len = static_cast<unsigned short*>(_malloc32(2));
  auto* out = static_cast<unsigned char*>(_malloc32(4));
  ASSERT_EQ(sys$getmsg(sup("NOSUCHPROC"), len, buf, 0x0F, out), SS$_NORMAL);
  EXPECT_EQ(text(buf, *len), "%SUPERVISOR-E-NOSUCHPROC, !AS: ERROR (no such process)");
  EXPECT_EQ(out[1], 1);  // the FAO count
  ASSERT_EQ(sys$getmsg(sup("NORMAL"), len, buf, 1, out), SS$_NORMAL);
  EXPECT_EQ(text(buf, *len), "normal successful completion");

  EXPECT_EQ(sys$getmsg(0x0ABC0012u, len, buf, 0x0F, out), SS$_MSGNOTFND);
  EXPECT_EQ(text(buf, *len), "%NONAME-E-NOMSG, Message number 0ABC0012");

  dsc$descriptor_s* small = low_buffer(10);
  EXPECT_EQ(sys$getmsg(SS$_ABORT, len, small, 0x0F, out), SS$_BUFFEROVF);
  EXPECT_EQ(*len, 10);
  EXPECT_EQ(text(small, *len), "%SYSTEM-F-");

  // A descriptor on the (high) stack of this test binary: ACCVIO (spec 5).
  char local[64];
  dsc$descriptor_s high = {64, DSC$K_DTYPE_T, DSC$K_CLASS_S, local};
  EXPECT_EQ(sys$getmsg(SS$_ABORT, len, &high, 0x0F, out), SS$_ACCVIO);
}

int g_actions = 0;
extern "C" int suppress_all(dsc$descriptor_s*, unsigned long long prm) {
  g_actions += static_cast<int>(prm);
  return 0;
}

TEST(VmsPutmsg, VectorFaoAndContinuation) {
  dsc$descriptor_s* web = low_desc("web");
  auto* v = static_cast<std::uint32_t*>(_malloc32(8 * 4));
  // STARTED with one FAO argument, then a SYSTEM message (no FAO count), then a message
  // whose FAO count is 2.
  std::uint32_t vec[] = {
      6,         sup("STARTED"),
      1,         static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(web)),
      SS$_ABORT, sup("SPAWNED"),
      2};
  std::memcpy(v, vec, sizeof vec);
  v[7] = 0;
  v[0] = 8;
  v[7] = static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(web));
  // SPAWNED "!AS: spawned, pid !UL": args web, 1234 -> append the pid.
  auto* v2 = static_cast<std::uint32_t*>(_malloc32(10 * 4));
  std::memcpy(v2, v, 8 * 4);
  v2[8] = 1234;
  v2[0] = 8;
  std::string out = captured([&] { EXPECT_EQ(sys$putmsg(v2, nullptr, nullptr, 0), SS$_NORMAL); });
  EXPECT_EQ(out,
            "%SUPERVISOR-S-STARTED, web: started\n"
            "-SYSTEM-F-ABORT, abort\n"
            "-SUPERVISOR-I-SPAWNED, web: spawned, pid 1234\n");

  // An action routine that returns 0 suppresses each line; it gets actprm.
  g_actions = 0;
  out = captured([&] {
    EXPECT_EQ(sys$putmsg(v2, reinterpret_cast<int (*)(...)>(suppress_all), nullptr, 5), SS$_NORMAL);
  });
  EXPECT_EQ(out, "");
  EXPECT_EQ(g_actions, 15);
  // facnam replaces the first message's facility.
  std::uint32_t* v3 = static_cast<std::uint32_t*>(_malloc32(8));
  v3[0] = 1;
  v3[1] = SS$_ABORT;
  out = captured([&] { sys$putmsg(v3, nullptr, low_desc("SUPERVISORD"), 0); });
  EXPECT_EQ(out, "%SUPERVISORD-F-ABORT, abort\n");
}

// No CLI: CLI$ routines give CLI$_INVREQTYP (in a fresh process: the state is per process).
TEST(VmsCli, NoCliGivesInvreqtyp) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        unsetenv("VMSSIM_CLI_CLD");
        unsetenv("VMSSIM_CLI_COMMAND");
        std::exit(cli$present(low_desc("ACTION")) == CLI$_INVREQTYP &&
                          cli$get_value(low_desc("ACTION"), low_buffer(10)) == CLI$_INVREQTYP
                      ? 0
                      : 1);
      },
      ::testing::ExitedWithCode(0), "");
}

TEST(VmsCli, DclParsePresentGetValue) {
  lib$establish(lib$sig_to_ret);
  ASSERT_EQ(cli$dcl_parse(low_desc("SUPERVISOR START web,worker+x /NOWAIT"),
                          const_cast<vmssim_cld_table*>(&SUPERVISOR_CLD)),
            static_cast<unsigned>(CLI$_NORMAL));
  EXPECT_EQ(cli$present(low_desc("ACTION.START")), static_cast<unsigned>(CLI$_PRESENT));
  EXPECT_EQ(cli$present(low_desc("action.stop")), static_cast<unsigned>(CLI$_ABSENT));
  EXPECT_EQ(cli$present(low_desc("WAIT")), static_cast<unsigned>(CLI$_NEGATED));
  EXPECT_EQ(cli$present(low_desc("ALL")), static_cast<unsigned>(CLI$_ABSENT));
  dsc$descriptor_s* buf = low_buffer(32);
  auto* len = static_cast<unsigned short*>(_malloc32(2));
  EXPECT_EQ(cli$get_value(low_desc("PROGRAM_NAME"), buf, len), static_cast<unsigned>(CLI$_COMMA));
  EXPECT_EQ(text(buf, *len), "WEB");
  EXPECT_EQ(cli$get_value(low_desc("PROGRAM_NAME"), buf, len), static_cast<unsigned>(CLI$_CONCAT));
  EXPECT_EQ(text(buf, *len), "WORKER");
  EXPECT_EQ(cli$get_value(low_desc("PROGRAM_NAME"), buf, len), static_cast<unsigned>(SS$_NORMAL));
  EXPECT_EQ(text(buf, *len), "X");
  EXPECT_EQ(cli$get_value(low_desc("PROGRAM_NAME"), buf, len), static_cast<unsigned>(CLI$_ABSENT));
  // A class D descriptor grows to the value.
  auto* dyn = static_cast<dsc$descriptor_s*>(_malloc32(sizeof(dsc$descriptor_s)));
  *dyn = {0, DSC$K_DTYPE_T, DSC$K_CLASS_D, nullptr};
  EXPECT_EQ(cli$get_value(low_desc("ACTION"), dyn), static_cast<unsigned>(SS$_NORMAL));
  EXPECT_EQ(text(dyn, dyn->dsc$w_length), "START");

  // WAIT is DEFAULT: defaulted when not given.
  ASSERT_EQ(cli$dcl_parse(low_desc("SUPERVISOR STOP ALL"),
                          const_cast<vmssim_cld_table*>(&SUPERVISOR_CLD)),
            static_cast<unsigned>(CLI$_NORMAL));
  EXPECT_EQ(cli$present(low_desc("WAIT")), static_cast<unsigned>(CLI$_DEFAULTED));
  EXPECT_EQ(cli$present(low_desc("ACTION.STOP")), static_cast<unsigned>(CLI$_PRESENT));
  lib$revert();
}

TEST(VmsCli, ParseErrorsSignal) {
  // Under LIB$SIG_TO_RET: the status comes back and nothing is printed.
  lib$establish(lib$sig_to_ret);
  std::string out = captured([] {
    EXPECT_EQ(cli$dcl_parse(low_desc("FROBNICATE"), const_cast<vmssim_cld_table*>(&SUPERVISOR_CLD)),
              static_cast<unsigned>(CLI$_IVVERB));
    EXPECT_EQ(cli$dcl_parse(low_desc(""), const_cast<vmssim_cld_table*>(&SUPERVISOR_CLD)),
              static_cast<unsigned>(CLI$_NOCOMD));
    EXPECT_EQ(cli$dcl_parse(low_desc("SUPERVISOR START/ALL WEB"),
                            const_cast<vmssim_cld_table*>(&SUPERVISOR_CLD)),
              static_cast<unsigned>(CLI$_CONFLICT));
  });
  EXPECT_EQ(out, "");
  lib$revert();
  // With no handler the default handler prints the W-level message (and goes on).
  out = captured([] {
    EXPECT_EQ(cli$dcl_parse(low_desc("FROBNICATE"), const_cast<vmssim_cld_table*>(&SUPERVISOR_CLD)),
              static_cast<unsigned>(CLI$_IVVERB));
  });
  EXPECT_NE(out.find("%CLI-W-IVVERB, unrecognized command verb - check validity and spelling\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("\\FROBNICATE\\"), std::string::npos) << out;
}

// The invoking command (as `vmssim dcl` passes it): CLI$ routines without CLI$DCL_PARSE,
// and LIB$GET_FOREIGN's text after the verb.  In a fresh process.
TEST(VmsCli, InvokingCommandAndGetForeign) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        setenv("VMSSIM_CLI_CLD", VMSSIM_SOURCE_DIR "/cld/SUPERVISOR.CLD", 1);
        setenv("VMSSIM_CLI_COMMAND", "SUPERVISOR STATUS web", 1);
        dsc$descriptor_s* buf = low_buffer(64);
        auto* len = static_cast<unsigned short*>(_malloc32(2));
        bool ok = cli$present(low_desc("ACTION.STATUS")) == CLI$_PRESENT;
        ok = ok && cli$get_value(low_desc("PROGRAM_NAME"), buf, len) == SS$_NORMAL &&
             text(buf, *len) == "WEB";
        ok = ok && lib$get_foreign(buf, nullptr, len) == SS$_NORMAL &&
             text(buf, *len) == "STATUS web";
        ok = ok && cli$dcl_parse(nullptr, nullptr) == CLI$_NORMAL;  // restores it
        std::exit(ok ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
}

// Checklist 37: simulated DCL prints an even status's message, but not when bit 28 is set.
class VmsDcl : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/vmssim-dcl-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    root_ = tmpl;
  }
  void TearDown() override { std::system(("rm -rf " + root_).c_str()); }
  // Writes an image (a shell script) and a CLD whose verb TESTV runs it.
  void image(const std::string& body) {
    std::string img = root_ + "/testv.sh";
    std::ofstream(img) << "#!/bin/sh\n" << body << "\n";
    chmod(img.c_str(), 0755);
    std::ofstream(root_ + "/testv.cld")
        << "MODULE TESTV_CLD\nDEFINE VERB TESTV\n  IMAGE \"" << img
        << "\"\n  PARAMETER P1, LABEL=WHAT, VALUE(LIST)\n  QUALIFIER LOUD\n";
  }
  // `vmssim ARGS...` in a child; returns its exit code, output in out_.
  int run(std::vector<std::string> args) {
    out_ = captured([&] {
      pid_t pid = fork();
      if (pid == 0) {
        setenv("VMSSIM_ROOT", root_.c_str(), 1);
        setenv("VMSSIM_DCL_STATUS", (root_ + "/status").c_str(), 1);
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(&a[0]);
        argv.push_back(nullptr);
        _exit(vmssim_dcl_command(static_cast<int>(args.size()), argv.data()));
      }
      int ws = 0;
      waitpid(pid, &ws, 0);
      code_ = WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
    });
    return code_;
  }
  std::string status() { return vmssim_test::slurp(root_ + "/status"); }
  std::string root_, out_;
  int code_ = 0;
};

TEST_F(VmsDcl, PrintsEvenStatusUnlessInhibited) {
  image("exit 44");
  ASSERT_EQ(run({"set-command", root_ + "/testv.cld"}), 0) << out_;
  EXPECT_EQ(run({"dcl", "TESTV", "x"}), 44);
  EXPECT_EQ(out_, "%SYSTEM-F-ABORT, abort\n");
  EXPECT_EQ(status(), "%X0000002C\n");

  image("printf '%s\\n' '%X1000002C' > \"$VMSSIM_DCL_EXIT_FILE\"");
  EXPECT_EQ(run({"dcl", "TESTV"}), 44);
  EXPECT_EQ(out_, "");  // bit 28: DCL prints nothing
  EXPECT_EQ(status(), "%X1000002C\n");

  image("exit 0");
  EXPECT_EQ(run({"dcl", "TESTV"}), 0);
  EXPECT_EQ(out_, "");
  EXPECT_EQ(status(), "%X00000001\n");
}

TEST_F(VmsDcl, ImageSeesTheParseState) {
  image("printf '%s|%s\\n' \"$VMSSIM_CLI_COMMAND\" \"$(basename \"$VMSSIM_CLI_CLD\")\" > " + root_ +
        "/seen");
  ASSERT_EQ(run({"set-command", root_ + "/testv.cld"}), 0) << out_;
  EXPECT_EQ(run({"dcl", "test a,b/LOUD"}), 0) << out_;
  EXPECT_EQ(vmssim_test::slurp(root_ + "/seen"), "test a,b/LOUD|TESTV.cld\n");
}

TEST_F(VmsDcl, ParseErrorsAndMissingImage) {
  image("exit 0");
  ASSERT_EQ(run({"set-command", root_ + "/testv.cld"}), 0);
  EXPECT_EQ(run({"dcl", "FROBNICATE"}), 0x90);
  EXPECT_EQ(out_,
            "%DCL-W-IVVERB, unrecognized command verb - check validity and spelling\n"
            " \\FROBNICATE\\\n");
  EXPECT_EQ(run({"dcl", "TESTV/BOGUS"}), static_cast<int>(vmssim::cli::kIvqual & 0xFF));
  EXPECT_NE(out_.find("%DCL-W-IVQUAL"), std::string::npos);
  unlink((root_ + "/testv.sh").c_str());
  EXPECT_EQ(run({"dcl", "TESTV"}), static_cast<int>(RMS$_FNF & 0xFF));
  EXPECT_EQ(out_, "%RMS-E-FNF, file not found\n");
}

}  // namespace
