// The integration-test fixture (tests/support/daemon_fixture.hpp) for the OpenVMS build:
// build/vms/supervisord and build/vms/supervisor, started by a test that is itself the
// first process of a simulated OpenVMS system (vmssim), so that they join that system.
// Each Daemon gets its own logical name table (SUPT_ and its directory's name), and its
// clean-up deletes ($DELPRC) every program the table records and the mailboxes the
// daemon left, so that a test can be repeated in the same system (--gtest_repeat).
//
// Also the OpenVMS calls the tests make themselves: $FORCEX of the daemon, $GETJPI of a
// program, a mailbox written until it is full, a table created with a quota, a process
// that takes a program's name first.  Every buffer handed to a service is on the stack
// (32-bit addressable under the simulator, as on OpenVMS).
#pragma once

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>

#include "core/table_entry.hpp"
#include "platform/vms/vms_platform.hpp"
#include "platform/vms/vms_sys.hpp"
#include "support/daemon_fixture.hpp"

#include <iodef.h>
#include <prcdef.h>

namespace sup::testing {

// SS$_FORCEDEXIT, the code the tests $FORCEX with (as the backend stops a program).
inline constexpr unsigned kForcedExit = 0x217C;

// Whether an OpenVMS program succeeded, from the exit status its POSIX parent sees: the
// image exits with a condition value and the simulator passes its low byte on, so an odd
// status is a success (the low bit of a condition value, doc/vms_facts.md section 1).
inline bool vms_ok(int exit_code) {
  return exit_code >= 0 && exit_code < 128 && (exit_code & 1) != 0;
}

// The table of the Daemon whose directory is `dir`.
inline std::string vms_table_of(const std::string& dir) {
  std::string name = "SUPT_" + std::filesystem::path(dir).filename().string();
  for (char& c : name) c = std::isalnum(static_cast<unsigned char>(c)) ? std::toupper(c) : '_';
  return name.substr(0, 31);
}

// True while the OpenVMS process `pid` exists ($GETJPI: only SS$_NONEXPR means gone).
inline bool vms_alive(long pid) {
  vms::ProcessInfo info;
  return pid > 0 && vms::process_info(static_cast<std::uint32_t>(pid), info) != SS$_NONEXPR;
}

// $FORCEX / $DELPRC of `pid`; the service's status.
inline std::uint32_t vms_forcex(long pid, unsigned code = kForcedExit) {
  unsigned int p = static_cast<unsigned int>(pid);
  return sys$forcex(&p, nullptr, code);
}
inline std::uint32_t vms_delprc(long pid) {
  unsigned int p = static_cast<unsigned int>(pid);
  return sys$delprc(&p, nullptr);
}

// Writes `text` into the mailbox `device` (IO$M_NOW|IO$M_NORSWAIT, as the client does)
// until it is full, then one-byte messages until not even those fit, so that no message
// of any size fits any more; returns how many messages went in, or -1 when a write failed
// otherwise.
inline int vms_fill_mailbox(const std::string& device, const std::string& text) {
  unsigned short chan = 0;
  if (!vms::ok(vms::assign(device, chan))) return -1;
  char buf[512];
  const std::size_t n = std::min(text.size(), sizeof buf);
  std::memcpy(buf, text.data(), n);
  int written = 0;
  std::size_t size = n;
  for (int i = 0; i < 100000; ++i) {
    IOSB iosb{};
    std::uint32_t s = sys$qiow(EFN$C_ENF, chan, IO$_WRITEVBLK | IO$M_NOW | IO$M_NORSWAIT, &iosb,
                               nullptr, 0, buf, static_cast<__int64>(size), 0, 0, 0, 0);
    if (vms::ok(s)) s = iosb.iosb$w_status;
    if (s == SS$_MBFULL && size > 1) {
      size = 1;
      continue;
    }
    if (s == SS$_MBFULL) break;
    if (!vms::ok(s)) {
      written = -1;
      break;
    }
    ++written;
  }
  vms::deassign(chan);
  return written;
}

// $CRELNT of `table` under LNM$SYSTEM_DIRECTORY in supervisor mode, as the daemon makes
// it, but with a quota of `quota` bytes; the service's status.
inline std::uint32_t vms_create_table(const std::string& table, unsigned int quota) {
  vms::Text32 tab(table), parent("LNM$SYSTEM_DIRECTORY");
  unsigned int attr = LNM$M_CREATE_IF;
  unsigned short promsk = vms::kPrivateProtection;
  unsigned char mode = 2;  // PSL$C_SUPER
  return sys$crelnt(&attr, nullptr, nullptr, &quota, &promsk, tab.get(), parent.get(), &mode);
}

// A detached process named `name` running the command procedure `procedure` (the
// simulator's LOGINOUT runs it with sh); its pid, or 0 and the status in `status`.
inline long vms_create_process(const std::string& name, const std::string& procedure,
                               std::uint32_t& status) {
  vms::Text32 image("SYS$SYSTEM:LOGINOUT.EXE"), input(procedure), null_device("NLA0:"),
      prcnam(name);
  unsigned int pid = 0;
  status = sys$creprc(&pid, image.get(), input.get(), null_device.get(), null_device.get(), nullptr,
                      nullptr, prcnam.get(), 4, 0, 0, PRC$M_DETACH);
  return vms::ok(status) ? static_cast<long>(pid) : 0;
}

// The DaemonBackend of the OpenVMS build under vmssim.
class VmsBuild final : public DaemonBackend {
 public:
  std::string binary(const std::string& name) const override {
    return std::string(SUP_BINARY_DIR) + "/vms/" + name;
  }
  std::string daemon_section(const std::string& dir) const override {
    return "[supervisord]\nnodaemon = true\ntable = " + vms_table_of(dir) + "\nlogfile = " + dir +
           "/supervisord.log\n";
  }
  // The daemon answers `pid` (a daemon with a password answers with its refusal).  Only a
  // live daemon reads the table's mailbox: one killed before leaves no reader.
  bool answers(const Daemon& daemon) const override {
    const RunResult r = daemon.ctl({"pid"});
    return (vms_ok(r.exit_code) && parse_pid(r.out) != 0) ||
           r.err.find("%SUPERVISOR-E-BADPASSWORD") != std::string::npos;
  }
  long parse_pid(const std::string& out) const override {
    return std::strtol(out.c_str(), nullptr, 16);  // OpenVMS shows a PID in hex
  }
  void clean_up(const Daemon& daemon) const override {
    auto table = vms::open_table(vms_table_of(daemon.dir()));
    for (const auto& name : table->names()) {
      const auto value = table->get(name);
      if (name.rfind(std::string(core::kProgramKeyPrefix), 0) == 0 && value) {
        if (const auto entry = core::parse_table_entry(*value)) {
          const long pid = static_cast<long>(entry->pid);
          (void)vms_delprc(pid);
          // Gone before the next test reuses its process name.
          (void)wait_for([&] { return !vms_alive(pid); });
        }
      }
      if ((name == "SUPERVISORD_TERM" || name == "SUPERVISORD_CMD") && value) {
        unsigned short chan = 0;
        if (vms::ok(vms::assign(*value, chan))) {
          (void)sys$delmbx(chan);
          vms::deassign(chan);
        }
      }
      (void)table->remove(name);
    }
  }
};

// The one instance the tests pass to their Daemons.
inline const VmsBuild& vms_build() {
  static const VmsBuild build;
  return build;
}

// The daemon's OpenVMS PID (from `pid`), 0 when it does not answer.
inline long vms_daemon_pid(const Daemon& d) {
  const RunResult r = d.ctl({"pid"});
  return vms_ok(r.exit_code) ? vms_build().parse_pid(r.out) : 0;
}

}  // namespace sup::testing
