// The integration tests of the daemon and its client a second time, against the OpenVMS
// build (build/vms/supervisord, build/vms/supervisor) under vmssim: label vms, each test
// the first process of its own simulated system.  The scenarios are those of the POSIX
// tests that have an OpenVMS meaning, driven through the same fixture
// (tests/support/daemon_fixture.hpp with vms_daemon_fixture.hpp's backend), plus the
// OpenVMS-only ones.  A program is LOGINOUT with a command procedure, which the
// simulator's LOGINOUT runs with sh; `exit 44` is SS$_ABORT.  The programs exit with a
// condition value, of which the simulator gives a POSIX parent the low byte: odd is
// success (vms_ok).  The label runs 9 times in CI; every test here takes seconds.
//
// POSIX scenarios NOT run here, and why:
// - daemon_lifecycle_test: ProgramsSeeTheirProcessNameInTheEnvironment (POSIX's stand-in
//   for PRCNAM; on OpenVMS the process name itself is the mark: vms_backend_test's
//   FindMarked); AHungCreationDelaysOnlyItsOwnProgram and AFifoWhoseReaderComesLater
//   ($CREPRC does not wait for the child: there is no creation to hang);
//   IdleDaemonMakesNoContextSwitches (the simulated daemon has the simulator's receiver
//   thread: its context switches are the simulator's); TwoHundredProgramsStartAndStop
//   (the label runs 9 times in CI; the backend's scale is bounded by the index of 128
//   names, vms_table.hpp); AutorestartUnexpectedHonoursExitcodes (core logic, the same on
//   both builds; its timing would cost every variant run seconds).
// - daemon_protocol_test: malformed, oversized and wrong-version records, packed status
//   lines (the core's protocol code, the same bytes in a mailbox frame: vms_backend_test
//   checks the frames); OtherUidIsRefused and the security_test checks of who owns the
//   table directory (UICs are labels in the simulator, protection is not enforced: the
//   client's check of the mailbox's protection is vms_backend_test's VmsClient test);
//   SilentAndVanishingClients (replaced by the full command mailbox below).
// - daemon_cli_test: daemon mode, stdout_file and the command procedure (the startup
//   procedure detaches the daemon on OpenVMS: here only the refusal is checked); HUP
//   reload and USR2 reopen (no signals; reload is the command channel's, ReopenLogs has no
//   OpenVMS trigger: src/platform/vms/README.md); the POSIX-only checks of --vms.
#include <gtest/gtest.h>

#include <signal.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "platform/vms/vms_command.hpp"
#include "vms/vms_daemon_fixture.hpp"

namespace sup::testing {
namespace {

using namespace std::chrono_literals;

// The command procedures of a test's programs, in a directory of their own.
class Procedures {
 public:
  // Writes NAME.com with `script` and returns its [program:NAME] section, run as `user`.
  std::string program(const std::string& name, const std::string& script,
                      const std::string& extra = "", const std::string& user = "SYSTEM") const {
    const std::string path = dir_.write(name + ".com", script + "\n");
    return "[program:" + name + "]\ncommand = " + path + "\nuser = " + user + "\n" + extra + "\n";
  }
  const std::string& dir() const { return dir_.path(); }

 private:
  TempDir dir_;
};

int count(const std::string& text, const std::string& needle) {
  int n = 0;
  for (std::size_t p = 0; (p = text.find(needle, p)) != std::string::npos; p += needle.size()) ++n;
  return n;
}

const DaemonBackend* vms() {
  return &vms_build();
}

// --- the POSIX scenarios ------------------------------------------------------------

TEST(VmsDaemon, StartsecsSuccessGoesRunning) {
  Procedures p;
  Daemon d(p.program("ok", "sleep 300", "startsecs = 1"), "", vms());
  ASSERT_TRUE(d.start()) << d.output();
  ASSERT_TRUE(d.wait_state("ok", "RUNNING")) << d.log();
  const auto r = d.ctl({"status", "ok"});
  EXPECT_TRUE(vms_ok(r.exit_code)) << r.exit_code << r.err;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(^ok +RUNNING +pid [0-9A-F]{8}, uptime)")))
      << r.out;
  EXPECT_TRUE(vms_alive(d.pid_of("ok")));
}

TEST(VmsDaemon, BackoffThenFatalAfterStartretries) {
  Procedures p;
  Daemon d(p.program("quick", "exit 44", "startsecs = 1\nstartretries = 2"), "", vms());
  ASSERT_TRUE(d.start()) << d.output();
  ASSERT_TRUE(d.wait_state("quick", "FATAL", 60s)) << d.log();
  const std::string log = d.log();
  EXPECT_EQ(count(log, "quick: spawned"), 3) << log;  // 1 + startretries
  EXPECT_NE(log.find("BACKOFF"), std::string::npos) << log;
  const auto r = d.ctl({"status", "quick"});
  EXPECT_NE(r.out.find("Exited too quickly"), std::string::npos) << r.out;
}

TEST(VmsDaemon, ProgramIgnoringForcexIsDeletedAfterStopwaitsecs) {
  Procedures p;
  // The simulator's LOGINOUT turns $FORCEX into SIGTERM: a procedure that traps it is one
  // whose exit handler does not let it end (tests/vmssim/SPEC.md 4.9).
  Daemon d(p.program("stubborn", "trap '' TERM; while :; do sleep 1; done",
                     "startsecs = 0\nstopwaitsecs = 1"),
           "", vms());
  ASSERT_TRUE(d.start()) << d.output();
  ASSERT_TRUE(d.wait_state("stubborn", "RUNNING")) << d.log();
  const long pid = d.pid_of("stubborn");
  ASSERT_GT(pid, 0);
  const auto r = d.ctl({"stop", "stubborn"});
  EXPECT_NE(r.out.find("stubborn: stopped"), std::string::npos) << r.out << r.err;
  EXPECT_TRUE(wait_for([&] { return !vms_alive(pid); }));
  EXPECT_NE(d.log().find("sending kill"), std::string::npos) << d.log();
}

TEST(VmsDaemon, SpawnErrorsShowTheirReason) {
  Procedures p;
  // An image that does not exist: $CREPRC succeeds, the process ends with RMS$_FNF.
  Daemon d(
      "[program:noimage]\nimage = SYS$SYSTEM:NOSUCH.EXE\nuser = SYSTEM\nstartsecs = 1\n"
      "startretries = 0\n\n" +
          p.program("nouser", "sleep 300", "startretries = 0", "NOBODY"),
      "", vms());
  ASSERT_TRUE(d.start()) << d.output();
  for (auto name : {"noimage", "nouser"}) EXPECT_TRUE(d.wait_state(name, "FATAL")) << name;
  const auto r = d.ctl({"status"});
  EXPECT_NE(r.out.find("Exited too quickly"), std::string::npos) << r.out;
  EXPECT_NE(d.log().find("%RMS-E-FNF"), std::string::npos) << d.log();
  // An unknown user: the persona cannot be made, and the status says so.
  EXPECT_NE(r.out.find("NOBODY"), std::string::npos) << r.out;
  const auto s = d.ctl({"start", "nouser"});
  EXPECT_NE((s.out + s.err).find("spawn error"), std::string::npos) << s.out << s.err;
}

TEST(VmsDaemon, ShutdownLeavesProgramsAndNextDaemonReattaches) {
  Procedures p;
  Daemon d(p.program("keep", "sleep 300", "startsecs = 0") +
               p.program("ends", "sleep 300", "startsecs = 0\nautorestart = true"),
           "", vms());
  ASSERT_TRUE(d.start()) << d.output();
  ASSERT_TRUE(d.wait_state("keep", "RUNNING")) << d.log();
  ASSERT_TRUE(d.wait_state("ends", "RUNNING")) << d.log();
  const long keep = d.pid_of("keep"), ends = d.pid_of("ends");
  const auto r = d.ctl({"shutdown"});
  EXPECT_TRUE(vms_ok(r.exit_code)) << r.exit_code << r.err;
  EXPECT_GE(d.wait_exit(), 0) << d.output();  // ended (SS$_NORMAL: the simulator says 1)
  EXPECT_TRUE(vms_alive(keep));
  EXPECT_TRUE(vms_alive(ends));
  // One program is deleted while no daemon runs.
  ASSERT_TRUE(vms::ok(vms_delprc(ends)));
  ASSERT_TRUE(wait_for([&] { return !vms_alive(ends); }));
  ASSERT_TRUE(d.start()) << d.output();
  EXPECT_TRUE(d.wait_state("keep", "RUNNING"));
  EXPECT_EQ(d.pid_of("keep"), keep);  // the same process, not a new one
  EXPECT_TRUE(wait_for([&] {
    const long pid = d.pid_of("ends");
    return pid > 0 && pid != ends;
  })) << d.log();
  EXPECT_EQ(count(d.log(), "keep: spawned"), 1) << d.log();
}

TEST(VmsDaemon, SecondDaemonOnTheSameTableRefuses) {
  Procedures p;
  Daemon d(p.program("a", "sleep 300", "startsecs = 0"), "", vms());
  ASSERT_TRUE(d.start()) << d.output();
  const auto r = spawn_command({vms_build().binary("supervisord"), "-n", "-c", d.config()});
  EXPECT_FALSE(vms_ok(r.exit_code)) << r.exit_code;
  EXPECT_NE(r.err.find("another supervisord"), std::string::npos) << r.err;
  EXPECT_TRUE(d.running());
}

// POSIX's TermStopsAllProgramsAndExits: $FORCEX of the daemon is its SIGTERM.  One program
// ignores the forced exit, so the daemon's deadline (stopwaitsecs, then $DELPRC) must also
// work in the loop the exit handler runs at AST level.
TEST(VmsDaemon, ForcexStopsAllProgramsAndExits) {
  Procedures p;
  Daemon d(p.program("a", "sleep 300", "startsecs = 0") +
               p.program("stubborn", "trap '' TERM; while :; do sleep 1; done",
                         "startsecs = 0\nstopwaitsecs = 1"),
           "", vms());
  ASSERT_TRUE(d.start()) << d.output();
  ASSERT_TRUE(d.wait_state("a", "RUNNING")) << d.log();
  ASSERT_TRUE(d.wait_state("stubborn", "RUNNING")) << d.log();
  const long a = d.pid_of("a"), stubborn = d.pid_of("stubborn");
  const long daemon = vms_daemon_pid(d);
  ASSERT_GT(daemon, 0);
  ASSERT_TRUE(vms::ok(vms_forcex(daemon)));
  // The image ends with the $FORCEX code (SS$_FORCEDEXIT: the simulator gives its POSIX
  // parent the low byte), after its programs.
  EXPECT_EQ(d.wait_exit(), static_cast<int>(kForcedExit & 0xFF)) << d.output();
  // A PID outlives its termination message for a moment (variant pid_linger_ms).
  EXPECT_TRUE(wait_for([&] { return !vms_alive(a) && !vms_alive(stubborn); }));
  const std::string log = d.log();
  EXPECT_NE(log.find("stopping all programs (2 with a process)"), std::string::npos) << log;
  EXPECT_NE(log.find("stubborn: still running after 1 second, sending kill"), std::string::npos)
      << log;
  // What a stop-all leaves: no program entries, no command mailbox named.
  auto table = vms::open_table(vms_table_of(d.dir()));
  for (const auto& name : table->names())
    EXPECT_TRUE(name.rfind(std::string(core::kProgramKeyPrefix), 0) != 0 &&
                name != "SUPERVISORD_CMD")
        << name;
}

TEST(VmsDaemon, WrongPasswordIsRefusedAndLogged) {
  Procedures p;
  Daemon d(p.program("a", "sleep 300", "autostart = false"), "", vms());
  ASSERT_TRUE(d.start({"-p", "s3cret"})) << d.output();
  auto bad = d.ctl({"-p", "nope", "version"});
  EXPECT_NE(bad.err.find("%SUPERVISOR-E-BADPASSWORD"), std::string::npos) << bad.out << bad.err;
  EXPECT_NE(d.ctl({"version"}).err.find("BADPASSWORD"), std::string::npos);
  EXPECT_TRUE(vms_ok(d.ctl({"-p", "s3cret", "version"}).exit_code));
  EXPECT_TRUE(vms_ok(d.ctl({"version"}, {"SUPERVISOR_PASSWORD=s3cret"}).exit_code));
  EXPECT_FALSE(vms_ok(bad.exit_code));
  EXPECT_NE(d.log().find("password does not match"), std::string::npos) << d.log();
}

TEST(VmsDaemon, PasswordFileMustBePrivate) {
  Procedures p;
  Daemon d(p.program("a", "sleep 300", "autostart = false"), "", vms());
  TempDir t;
  const std::string file = t.write("pw", "fromfile\n");
  std::filesystem::permissions(file, std::filesystem::perms(0644));
  const auto r = spawn_command(
      {vms_build().binary("supervisord"), "-n", "-c", d.config(), "--password-file", file});
  EXPECT_FALSE(vms_ok(r.exit_code)) << r.exit_code;
  EXPECT_NE(r.err.find(file + " may be accessed by GROUP or WORLD"), std::string::npos) << r.err;
  std::filesystem::permissions(file, std::filesystem::perms(0600));
  ASSERT_TRUE(d.start({"--password-file", file})) << d.output();
  EXPECT_TRUE(vms_ok(d.ctl({"-p", "fromfile", "version"}).exit_code));
  EXPECT_NE(d.ctl({"version"}).err.find("BADPASSWORD"), std::string::npos);
}

// --- the command line (no daemon runs) ----------------------------------------------

TEST(VmsDaemonCli, BadAndMissingConfigurationAndDaemonMode) {
  TempDir t;
  const std::string bad = t.write("bad.conf",
                                  "[supervisord]\n"        // 1
                                  "table = not/a/table\n"  // 2
                                  "[program:a]\n"          // 3
                                  "startsecs = soon\n"     // 4
                                  "user = SYSTEM\n");      // 5
  const std::string supervisord = vms_build().binary("supervisord");
  auto r = spawn_command({supervisord, "-n", "-c", bad});
  EXPECT_FALSE(vms_ok(r.exit_code)) << r.exit_code;
  for (auto where : {"bad.conf:2:", "bad.conf:4:"})
    EXPECT_NE(r.err.find(where), std::string::npos) << where << "\n" << r.err;
  EXPECT_NE(r.err.find("%SUPERVISOR-E-CFGINVALID"), std::string::npos) << r.err;
  auto missing = spawn_command({supervisord, "-n", "-c", "/no/such/file.conf"});
  EXPECT_NE(missing.err.find("%SUPERVISOR-E-NOCONFIG"), std::string::npos) << missing.err;
  auto args = spawn_command({supervisord, "--frobnicate"});
  EXPECT_NE(args.err.find("--frobnicate"), std::string::npos) << args.err;
  const std::string ok = t.write("ok.conf",
                                 "[supervisord]\ntable = SUPT_CHECK\n[program:a]\n"
                                 "user = SYSTEM\n");
  auto check = spawn_command({supervisord, "--check", "-c", ok});
  EXPECT_TRUE(vms_ok(check.exit_code)) << check.exit_code << check.err;
  EXPECT_NE(check.out.find("%SUPERVISOR-S-CFGVALID"), std::string::npos) << check.out;
  EXPECT_FALSE(vms::open_table("SUPT_CHECK")->get("SUPERVISORD_PID"));
  // The startup procedure detaches the daemon on OpenVMS: without -n it says so.
  auto detach = spawn_command({supervisord, "-c", ok});
  EXPECT_FALSE(vms_ok(detach.exit_code));
  EXPECT_NE(detach.err.find("RUN/DETACHED"), std::string::npos) << detach.err;
}

// --- the OpenVMS-only scenarios -----------------------------------------------------

// A process outside the daemon holds the program's process name (unique in the UIC
// group): $CREPRC fails with SS$_DUPLNAM, shown as a spawn error that names it.
TEST(VmsDaemon, DuplicateProcessNameIsAClearSpawnError) {
  Procedures p;
  std::uint32_t status = 0;
  std::ofstream(p.dir() + "/squat.com") << "sleep 300\n";
  const long squatter = vms_create_process("TAKEN", p.dir() + "/squat.com", status);
  ASSERT_GT(squatter, 0) << vms::message_text(status);
  Daemon d(p.program("dup", "sleep 300", "process_name = TAKEN\nstartretries = 0"), "", vms());
  ASSERT_TRUE(d.start()) << d.output();
  EXPECT_TRUE(d.wait_state("dup", "FATAL")) << d.log();
  const auto s = d.ctl({"start", "dup"});
  const std::string out = s.out + s.err;
  EXPECT_NE(out.find("dup: ERROR (spawn error)"), std::string::npos) << out;
  const auto shown = d.ctl({"status", "dup"});
  EXPECT_NE(shown.out.find("%SYSTEM-F-DUPLNAM"), std::string::npos) << shown.out;
  EXPECT_TRUE(vms_alive(squatter));  // not ours: left alone
  (void)vms_delprc(squatter);
}

// The command mailbox full (the daemon does not read: stopped): the client says so at
// once instead of waiting; once the daemon reads again it answers as before.
TEST(VmsDaemon, AFullCommandMailboxIsReportedAndThenDrained) {
  Procedures p;
  Daemon d(p.program("a", "sleep 300", "startsecs = 0"), "", vms());
  ASSERT_TRUE(d.start()) << d.output();
  const auto cmd = vms::open_table(vms_table_of(d.dir()))->get("SUPERVISORD_CMD");
  ASSERT_TRUE(cmd);
  ::kill(static_cast<pid_t>(d.daemon_pid()), SIGSTOP);
  // Frames whose reply mailbox does not exist: the daemon drops them when it reads them.
  const std::string junk = vms::frame_request("_NOSUCH0:", std::string(400, 'x'));
  const int queued = vms_fill_mailbox(*cmd, junk);
  EXPECT_GT(queued, 0);
  const auto full = d.ctl({"status"});
  ::kill(static_cast<pid_t>(d.daemon_pid()), SIGCONT);
  EXPECT_NE(full.err.find("MBFULL"), std::string::npos) << full.out << full.err;
  EXPECT_TRUE(d.wait_state("a", "RUNNING")) << d.log();
}

// The termination mailbox full while no daemon reads it: the exit's message is lost
// (a message that does not fit is dropped without an error, doc/vms_facts.md), yet the
// next daemon notices that the program ended (status unknown), and ignores the junk.
TEST(VmsDaemon, AFullTerminationMailboxLosesTheStatusNotTheExit) {
  Procedures p;
  Daemon d(p.program("waiter", "while [ ! -e " + p.dir() + "/go ]; do sleep 0.1; done\nexit 44",
                     "startsecs = 0\nautorestart = false"),
           "", vms());
  ASSERT_TRUE(d.start()) << d.output();
  ASSERT_TRUE(d.wait_state("waiter", "RUNNING")) << d.log();
  const long pid = d.pid_of("waiter");
  const auto term = vms::open_table(vms_table_of(d.dir()))->get("SUPERVISORD_TERM");
  ASSERT_TRUE(term);
  d.signal(SIGKILL);  // as STOP/ID: no exit handler runs
  ASSERT_EQ(d.wait_exit(), 128 + SIGKILL);
  EXPECT_GT(vms_fill_mailbox(*term, std::string(200, 'j')), 0);
  std::ofstream(p.dir() + "/go") << "go\n";
  ASSERT_TRUE(wait_for([&] { return !vms_alive(pid); }));
  ASSERT_TRUE(d.start()) << d.output();
  EXPECT_TRUE(d.wait_state("waiter", "EXITED")) << d.log();
  EXPECT_NE(d.log().find("ended while no supervisord ran (status unknown)"), std::string::npos)
      << d.log();
}

// SUPERVISORD_TABLE out of quota (made with /QUOTA by someone else): the daemon cannot
// record its mailbox and says so, naming the table and the status, and ends.
TEST(VmsDaemon, ATableOutOfQuotaIsAClearStartupError) {
  Procedures p;
  Daemon d(p.program("a", "sleep 300"), "", vms());
  const std::string table = vms_table_of(d.dir());
  ASSERT_TRUE(vms::ok(vms_create_table(table, 8)));
  const auto r = spawn_command({vms_build().binary("supervisord"), "-n", "-c", d.config()});
  EXPECT_FALSE(vms_ok(r.exit_code)) << r.exit_code;
  EXPECT_NE(r.err.find("%SUPERVISOR-E-TABLEERR"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(table), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("EXLNMQUOTA"), std::string::npos) << r.err;
}

// --- the pieces the scenarios rest on --------------------------------------------------

TEST(VmsPasswordFile, ReadsTheFirstLineOfAPrivateFileOnly) {
  TempDir t;
  namespace fs = std::filesystem;
  std::string pwd, error;
  const std::string ok = t.write("ok", "s3cret\r\nignored\n");
  fs::permissions(ok, fs::perms(0600));
  EXPECT_TRUE(vms::read_password_file(ok, pwd, error)) << error;
  EXPECT_EQ(pwd, "s3cret");
  const std::string world = t.write("world", "x\n");
  fs::permissions(world, fs::perms(0604));
  EXPECT_FALSE(vms::read_password_file(world, pwd, error));
  EXPECT_NE(error.find("GROUP or WORLD"), std::string::npos) << error;
  const std::string empty = t.write("empty", "\n");
  fs::permissions(empty, fs::perms(0600));
  EXPECT_FALSE(vms::read_password_file(empty, pwd, error));
  EXPECT_NE(error.find("is empty"), std::string::npos) << error;
  EXPECT_FALSE(vms::read_password_file(t.path() + "/absent", pwd, error));
  EXPECT_NE(error.find("absent"), std::string::npos) << error;
  EXPECT_FALSE(vms::read_password_file(t.path(), pwd, error));
  EXPECT_NE(error.find("not a regular file"), std::string::npos) << error;
}

// The startup procedure and the daemon create SUPERVISORD_TABLE, whichever comes first,
// with the same protection: SYSTEM and owner everything, GROUP and WORLD nothing.
TEST(VmsTableProtection, TheStartupProcedureAgreesWithTheDaemon) {
  std::ifstream in(std::string(SUP_SOURCE_DIR) + "/com/SUPERVISOR_STARTUP.COM");
  std::stringstream text;
  text << in.rdbuf();
  std::smatch m;
  const std::string s = text.str();
  ASSERT_TRUE(std::regex_search(s, m, std::regex(R"(/PROTECTION=\(([^)]*)\) SUPERVISORD_TABLE)")));
  // DCL's categories and access letters as a $CRELNT mask: set bits deny (R, W, C, D).
  std::uint32_t deny = 0xFFFF;
  std::stringstream cats(m[1].str());
  for (std::string cat; std::getline(cats, cat, ',');) {
    const int shift = std::string("SOGW").find(cat[0]) * 4;
    const std::string access = cat.size() > 2 ? cat.substr(2) : "";
    for (char a : access) deny &= ~(1u << (shift + std::string("RWCD").find(a)));
  }
  EXPECT_EQ(deny, vms::kPrivateProtection) << m[1];
}

}  // namespace
}  // namespace sup::testing
