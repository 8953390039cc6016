// The verb image's OpenVMS pieces that need no DCL (label vms): $PUTMSG of the
// SUPERVISOR messages from their formatted text (src/platform/vms/vms_putmsg.*) and
// CLI$PRESENT in an image no CLI ran (vms_cli.*).  Each test runs as a process of its own
// simulated system (`vmssim -- vms_verb_tests --gtest_filter=...`); what $PUTMSG writes is
// read back from the file SYS$OUTPUT and SYS$ERROR are redirected to.
#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "msg/message.hpp"
#include "platform/vms/vms_cli.hpp"
#include "platform/vms/vms_putmsg.hpp"

namespace {

using sup::msg::FaoArgs;

// Sample arguments for a message's FAO count: strings with the separators of our
// messages inside them (": ", " -> ", "(") and numbers 1 and 2 (singular and plural).
FaoArgs sample_args(std::string_view control) {
  FaoArgs args;
  int n = 0;
  for (std::size_t i = 0; i + 2 < control.size() + 1; ++i) {
    if (control[i] != '!') continue;
    const std::string d(control.substr(i + 1, 2));
    if (d == "AS") args.emplace_back("name: a -> b (" + std::to_string(n++) + ")");
    if (d == "UL") args.emplace_back(std::uint64_t{n++ % 2 ? 2u : 1u});
    if (d == "!!") ++i;
  }
  return args;
}

// Every SUPERVISOR message: the arguments found for its formatted text format it again.
TEST(VmsPutmsg, EveryMessageTextGivesArgumentsThatFormatIt) {
  for (std::size_t i = 0; i < sup::msg::kMessageCount; ++i) {
    const sup::msg::MessageDef& m = sup::msg::kMessageTable[i];
    const std::string text = sup::msg::fao(m.text, sample_args(m.text));
    const auto args = sup::vms::fao_arguments(m.text, text);
    ASSERT_TRUE(args.has_value()) << m.ident << ": " << text;
    EXPECT_EQ(sup::msg::fao(m.text, *args), text) << m.ident;
  }
}

TEST(VmsPutmsg, TextsNoArgumentsGiveAreRefused) {
  EXPECT_FALSE(sup::vms::fao_arguments("!AS: ERROR (no such process)", "web: stopped"));
  EXPECT_FALSE(sup::vms::fao_arguments("!UL program!%S not running", "x programs not running"));
  // The plural must agree with the number.
  EXPECT_FALSE(sup::vms::fao_arguments("!UL program!%S not running", "1 programs not running"));
  EXPECT_FALSE(sup::vms::fao_arguments("!8AS", "web"));  // a field width: not inverted
  const auto a = sup::vms::fao_arguments("!UL program!%S not running", "2 programs not running");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(std::get<std::uint64_t>(a->at(0)), 2u);
}

// Runs `f` with SYS$OUTPUT and SYS$ERROR going to one file; returns what was written.
template <class F>
std::string captured(F f) {
  char path[] = "/tmp/vmsputmsgXXXXXX";
  const int fd = ::mkstemp(path);
  EXPECT_GE(fd, 0);
  std::fflush(stdout);
  std::fflush(stderr);
  const int out = ::dup(1), err = ::dup(2);
  ::dup2(fd, 1);
  ::dup2(fd, 2);
  f();
  std::fflush(stdout);
  std::fflush(stderr);
  ::dup2(out, 1);
  ::dup2(err, 2);
  ::close(out);
  ::close(err);
  ::close(fd);
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  ::unlink(path);
  return ss.str();
}

// The text is a heap string; $PUTMSG gets the arguments from 32-bit storage (it refuses
// a heap address with SS$_ACCVIO) and formats the message from the message section.
TEST(VmsPutmsg, MessageGoesOutWithItsArguments) {
  std::uint32_t status = 0;
  const std::string text = std::string("web") + ": ERROR (no such process)";
  EXPECT_EQ(captured([&] { status = sup::vms::put_message(sup::SUP__NOSUCHPROC, text); }),
            "%SUPERVISOR-E-NOSUCHPROC, web: ERROR (no such process)\n");
  EXPECT_EQ(status & 1u, 1u);
  EXPECT_EQ(captured([&] {
              status = sup::vms::put_message(sup::SUP__PROGSTOPPED, "1 program not running");
            }),
            "%SUPERVISOR-W-PROGSTOPPED, 1 program not running\n");
  EXPECT_EQ(status & 1u, 1u);
}

// A text the message's control string cannot give: $PUTMSG's prefix, then the text.
TEST(VmsPutmsg, UnmatchedTextKeepsThePrefix) {
  std::uint32_t status = 0;
  EXPECT_EQ(
      captured([&] { status = sup::vms::put_message(sup::SUP__NOSUCHPROC, "from elsewhere"); }),
      "%SUPERVISOR-E-NOSUCHPROC, from elsewhere\n");
  EXPECT_EQ(status & 1u, 1u);
}

// Another facility's condition: its own text.
TEST(VmsPutmsg, OtherFacilitiesUseTheirOwnText) {
  EXPECT_EQ(
      captured([] { (void)sup::vms::put_message(sup::vms::missing_parameters_status(), ""); }),
      "%CLI-W-INSFPRM, missing command parameters - supply all required parameters\n");
}

// An image no CLI ran (these tests): CLI$PRESENT says so, and the client reads argv.
TEST(VmsCli, NoCliParseIsInvreqtyp) {
  std::uint32_t status = 0;
  EXPECT_FALSE(sup::vms::cli_present("ACTION", status).has_value());
  EXPECT_TRUE(sup::vms::no_cli(status));
}

}  // namespace
