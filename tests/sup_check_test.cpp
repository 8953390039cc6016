// sup_check, the command that runs the CLD, HLP and MSG parsers on any file: what it
// prints for files that parse, FILE:LINE: text for those that do not, and its exit status.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

namespace fs = std::filesystem;

struct CheckRun {
  int status = -1;     // exit status
  std::string output;  // stdout and stderr together
};

// Runs sup_check with `args` (already quoted for the shell).
CheckRun sup_check(const std::string& args) {
  const std::string command = std::string(SUP_BINARY_DIR) + "/sup_check " + args + " 2>&1";
  CheckRun run;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return run;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) {
    run.output.append(buffer, n);
  }
  const int raw = ::pclose(pipe);
  run.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return run;
}

std::string source(const char* relative) {
  return "'" + std::string(SUP_SOURCE_DIR) + "/" + relative + "'";
}

class SupCheck : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("sup_check_test." + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name, std::ios::binary) << text;
    return (dir_ / name).string();
  }

  fs::path dir_;
};

TEST_F(SupCheck, TheProjectsOwnFilesPassQuietly) {
  const CheckRun run =
      sup_check("--quiet " + source("cld/SUPERVISOR.CLD") + " " + source("help/SUPERVISOR.HLP") +
                " " + source("msg/SUPERVISOR.MSG"));
  EXPECT_EQ(run.status, 0) << run.output;
  EXPECT_EQ(run.output, "");
}

TEST_F(SupCheck, PrintsWhatItUnderstood) {
  const CheckRun cld = sup_check(source("cld/SUPERVISOR.CLD"));
  EXPECT_EQ(cld.status, 0) << cld.output;
  EXPECT_NE(cld.output.find("command definitions:"), std::string::npos) << cld.output;
  EXPECT_NE(cld.output.find("  verb SUPERVISOR"), std::string::npos) << cld.output;
  const CheckRun hlp = sup_check(source("help/SUPERVISOR.HLP"));
  EXPECT_EQ(hlp.status, 0) << hlp.output;
  EXPECT_NE(hlp.output.find("  1 SUPERVISOR"), std::string::npos) << hlp.output;
  const CheckRun msg = sup_check(source("msg/SUPERVISOR.MSG"));
  EXPECT_EQ(msg.status, 0) << msg.output;
  EXPECT_NE(msg.output.find("SUP__NORMAL = %X0CB18009 -S-"), std::string::npos) << msg.output;
  // The format may be named when the extension does not say it.
  const CheckRun named = sup_check("hlp " + write("lynx.txt", "1 LYNX\n2 See Also\n  text\n"));
  EXPECT_EQ(named.status, 0) << named.output;
  EXPECT_NE(named.output.find("    2 See Also"), std::string::npos) << named.output;
  const CheckRun empty = sup_check(write("EMPTY.MSG", "! nothing here\n"));
  EXPECT_EQ(empty.status, 0) << empty.output;
  EXPECT_NE(empty.output.find("defines no messages"), std::string::npos) << empty.output;
}

TEST_F(SupCheck, ErrorsNameTheFileAndLine) {
  const std::string cld = write("ZIP.CLD", "DEFINE VERB ZIP\n#ifdef X\n");
  const CheckRun c = sup_check(cld);
  EXPECT_EQ(c.status, 1);
  EXPECT_EQ(c.output.rfind(cld + ":2:", 0), 0u) << c.output;
  EXPECT_NE(c.output.find("C-preprocessor"), std::string::npos) << c.output;
  const std::string hlp = write("EDT.HLP", "You can get help by typing:\n1 EDT\n");
  const CheckRun h = sup_check(hlp);
  EXPECT_EQ(h.status, 1);
  EXPECT_EQ(h.output.rfind(hlp + ":1: text before the first key", 0), 0u) << h.output;
  const std::string msg = write("bad.msg", ".FACILITY X,5\n.SEVERITY W\nA <a> /NOPE\n");
  const CheckRun m = sup_check(msg);
  EXPECT_EQ(m.status, 1);
  EXPECT_EQ(m.output.rfind(msg + ":3: unknown message qualifier /NOPE", 0), 0u) << m.output;
  // One bad file among good ones: each is checked, the status says one failed.
  const CheckRun mixed = sup_check("--quiet " + source("cld/SUPERVISOR.CLD") + " " + hlp);
  EXPECT_EQ(mixed.status, 1);
  EXPECT_EQ(mixed.output.rfind(hlp + ":1:", 0), 0u) << mixed.output;
}

TEST_F(SupCheck, UsageErrors) {
  EXPECT_EQ(sup_check("").status, 2);
  const CheckRun unknown = sup_check(write("notes.txt", "1 A\n"));
  EXPECT_EQ(unknown.status, 1);
  EXPECT_NE(unknown.output.find("not .CLD, .HLP or .MSG"), std::string::npos) << unknown.output;
  const CheckRun missing = sup_check((dir_ / "NONE.CLD").string());
  EXPECT_EQ(missing.status, 1);
  EXPECT_NE(missing.output.find("cannot read"), std::string::npos) << missing.output;
}

}  // namespace
