// The command channel of a real supervisord: authorization (peer uid, password) and
// strictness (malformed, oversized, wrong-version records), and that no client can
// block the others.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>

#include "core/protocol.hpp"
#include "platform/posix/posix_platform.hpp"
#include "sup_messages.hpp"
#include "support/daemon_fixture.hpp"

namespace sup::testing {
namespace {

std::string user() {
  return current_user();
}

const std::string kOne =
    "[program:one]\nimage = /bin/sleep\narguments = 300\nstartsecs = 0\nuser = ";

std::string socket_of(const Daemon& d) {
  std::ifstream in(d.table() + "/SUPERVISORD_CMD");
  std::string s;
  std::getline(in, s);
  return s;
}

// Sends one raw record and returns the replies up to the Final (or what came).
std::vector<core::Reply> roundtrip(const std::string& socket, const std::string& record) {
  std::string error;
  auto ch = posix::connect_channel(socket, error);
  EXPECT_TRUE(ch) << error;
  if (!ch) return {};
  EXPECT_EQ(ch->send(record), "");
  std::vector<core::Reply> replies;
  while (auto r = ch->receive(30000, error)) {
    auto decoded = core::decode_reply(*r);
    if (!std::holds_alternative<core::Reply>(decoded)) break;
    replies.push_back(std::get<core::Reply>(decoded));
    if (replies.back().type == core::RecordType::Final) break;
  }
  return replies;
}

std::uint32_t final_condition(const std::vector<core::Reply>& replies) {
  return replies.empty() ? 0 : replies.back().condition;
}

std::string request(const std::string& action, const std::string& password = "") {
  core::Request r;
  r.action = commands::find_keyword(action).value();
  r.password = password;
  return *core::encode_request(r);
}

// The record a version-1 client sent for `status`: the action as text.
std::string version1_status() {
  using namespace std::string_literals;
  return "SV\x01\x01\x10\x00\x00\x00"s + "\x06\x00"s + "status" + "\x00\x00"s + "\x01\x00"s + "0" +
         "\x01\x00"s + "0";
}

TEST(DaemonProtocol, MalformedOversizedAndWrongVersionRecordsGetErrors) {
  Daemon d(kOne + user() + "\n");
  ASSERT_TRUE(d.start());
  std::string sock = socket_of(d);
  EXPECT_EQ(final_condition(roundtrip(sock, "garbage")) & ~7u, SUP__BADREQ & ~7u);
  std::string big = request("status");
  big.resize(core::kMaxRecord + 100, 'x');
  EXPECT_EQ(final_condition(roundtrip(sock, big)) & ~7u, SUP__TOOBIG & ~7u);
  std::string v9 = request("status");
  v9[2] = 9;
  EXPECT_EQ(final_condition(roundtrip(sock, v9)) & ~7u, SUP__BADVERSION & ~7u);
  // The daemon is still there and answers properly.
  EXPECT_EQ(final_condition(roundtrip(sock, request("version"))), SUP__VERSION);
  EXPECT_NE(d.log().find("malformed request"), std::string::npos) << d.log();
}

// A client of the previous protocol version gets a refusal it can read: one Final record
// in its own version 1, whose condition and text say why.
TEST(DaemonProtocol, AnOldClientIsToldItIsOfAnotherVersion) {
  Daemon d(kOne + user() + "\n");
  ASSERT_TRUE(d.start());
  std::string error;
  auto ch = posix::connect_channel(socket_of(d), error);
  ASSERT_TRUE(ch) << error;
  ASSERT_EQ(ch->send(version1_status()), "");
  auto record = ch->receive(30000, error);
  ASSERT_TRUE(record) << error;
  ASSERT_GE(record->size(), core::kHeaderSize);
  EXPECT_EQ((*record)[2], '\x01') << "the reply is in the client's version";
  EXPECT_EQ((*record)[3], static_cast<char>(core::RecordType::Final));
  // Version 1 lays out a Final as version 2 does: read it as such.
  std::string as_current = *record;
  as_current[2] = static_cast<char>(core::kProtocolVersion);
  auto decoded = core::decode_reply(as_current);
  ASSERT_TRUE(std::holds_alternative<core::Reply>(decoded));
  const auto& reply = std::get<core::Reply>(decoded);
  EXPECT_EQ(reply.condition, SUP__BADVERSION);
  EXPECT_EQ(reply.text,
            "protocol version 1 not supported (expected 2): client and supervisord are of "
            "different versions");
  EXPECT_FALSE(ch->receive(30000, error)) << "nothing follows the Final";
  EXPECT_TRUE(d.running());
  EXPECT_NE(d.log().find("protocol version 1 not supported"), std::string::npos) << d.log();
  // And the daemon answers current clients as before.
  EXPECT_EQ(d.ctl({"status", "one"}).exit_code, 0);
}

TEST(DaemonProtocol, StatusLinesArePackedIntoFewRecords) {
  std::string programs;
  for (int i = 0; i < 300; ++i)
    programs += "[program:p" + std::to_string(i) +
                "]\nimage = /bin/true\nautostart = false\nuser = " + user() + "\n";
  Daemon d(programs);
  ASSERT_TRUE(d.start());
  auto replies = roundtrip(socket_of(d), request("status"));
  ASSERT_GE(replies.size(), 2u);
  std::size_t lines = 0;
  for (std::size_t i = 0; i + 1 < replies.size(); ++i) {
    EXPECT_LE(replies[i].text.size() + 64, core::kMaxRecord);
    lines += 1 + static_cast<std::size_t>(
                     std::count(replies[i].text.begin(), replies[i].text.end(), '\n'));
  }
  EXPECT_EQ(lines, 300u);
  EXPECT_LE(replies.size(), 10u);  // 300 lines of ~50 bytes: a few 8 KiB records, not 300
  EXPECT_EQ(final_condition(replies), SUP__PROGSTOPPED);
  // The client prints them as lines all the same.
  auto r = d.ctl({"status"});
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 300);
}

TEST(DaemonProtocol, WrongPasswordIsRefusedAndLogged) {
  Daemon d(kOne + user() + "\n");
  ASSERT_TRUE(d.start({"-p", "s3cret"}));
  std::string sock = socket_of(d);
  EXPECT_EQ(final_condition(roundtrip(sock, request("status", "wrong"))), SUP__BADPASSWORD);
  EXPECT_EQ(final_condition(roundtrip(sock, request("status"))), SUP__BADPASSWORD);
  EXPECT_EQ(final_condition(roundtrip(sock, request("version", "s3cret"))), SUP__VERSION);
  // Through the client: -p, and the environment variable.
  EXPECT_EQ(d.ctl({"-p", "s3cret", "version"}).exit_code, 0);
  EXPECT_EQ(d.ctl({"version"}, {"SUPERVISOR_PASSWORD=s3cret"}).exit_code, 0);
  auto bad = d.ctl({"-p", "nope", "version"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("%SUPERVISOR-E-BADPASSWORD"), std::string::npos) << bad.err;
  EXPECT_NE(d.log().find("password does not match (uid "), std::string::npos);
}

TEST(DaemonProtocol, PasswordFileMustBePrivate) {
  Daemon d(kOne + user() + "\n");
  TempDir t;
  std::string file = t.write("pw", "fromfile\n");
  chmod(file.c_str(), 0644);
  auto r = run_command({binary("supervisord"), "-n", "-c", d.config(), "--password-file", file});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find(file), std::string::npos) << r.err;
  chmod(file.c_str(), 0600);
  ASSERT_TRUE(d.start({"--password-file", file}));
  EXPECT_EQ(d.ctl({"-p", "fromfile", "version"}).exit_code, 0);
  EXPECT_NE(d.ctl({"version"}).exit_code, 0);
}

TEST(DaemonProtocol, OtherUidIsRefused) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to act as another uid";
  Daemon d(kOne + user() + "\n");
  ASSERT_TRUE(d.start());
  std::string sock = socket_of(d);
  // Open the way to the socket so that only the daemon's own check stands.
  chmod(d.dir().c_str(), 0755);
  chmod(d.table().c_str(), 0755);
  chmod(sock.c_str(), 0666);
  int pipefd[2];
  ASSERT_EQ(pipe(pipefd), 0);
  pid_t pid = fork();
  if (pid == 0) {
    if (setgid(65534) != 0 || setuid(65534) != 0) _exit(10);
    auto replies = roundtrip(sock, request("status"));
    std::uint32_t c = final_condition(replies);
    (void)!write(pipefd[1], &c, sizeof c);
    _exit(0);
  }
  int st = 0;
  waitpid(pid, &st, 0);
  std::uint32_t c = 0;
  ASSERT_EQ(read(pipefd[0], &c, sizeof c), static_cast<ssize_t>(sizeof c));
  EXPECT_EQ(c, SUP__NOPRIV);
  EXPECT_NE(d.log().find("uid 65534"), std::string::npos) << d.log();
}

TEST(DaemonProtocol, SilentAndVanishingClientsCostTheOthersNothing) {
  Daemon d(kOne + user() + "\n");
  ASSERT_TRUE(d.start());
  std::string sock = socket_of(d), error;
  // A client that connects and never sends.
  auto silent = posix::connect_channel(sock, error);
  ASSERT_TRUE(silent) << error;
  // A client that sends and disappears before reading its reply.
  {
    auto gone = posix::connect_channel(sock, error);
    ASSERT_TRUE(gone);
    ASSERT_EQ(gone->send(request("status")), "");
  }
  for (int i = 0; i < 20; ++i) EXPECT_EQ(d.ctl({"status", "one"}).exit_code, 0);
  EXPECT_TRUE(d.running());
}

}  // namespace
}  // namespace sup::testing
