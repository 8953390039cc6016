#include "supervisord/daemon_options.hpp"

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string_view>

namespace sup::daemon {
namespace {

// Matches "-x VALUE", "-xVALUE", "--long=VALUE" and "--long VALUE".
bool take_value(int argc, char** argv, int& i, std::string_view shrt, std::string_view lng,
                std::string& value, bool& missing) {
  std::string_view a = argv[i];
  auto next = [&]() {
    if (i + 1 >= argc) return missing = true, false;
    value = argv[++i];
    return true;
  };
  if ((!shrt.empty() && a == shrt) || a == lng) return next() || true;
  if (a.size() > 2 && a.substr(0, 2) == shrt && shrt.size() == 2 && a[1] != '-') {
    value = std::string(a.substr(2));
    return true;
  }
  if (a.size() > lng.size() && a.substr(0, lng.size()) == lng && a[lng.size()] == '=') {
    value = std::string(a.substr(lng.size() + 1));
    return true;
  }
  return false;
}

msg::Condition usage_error(const std::string& text) {
  return {SUP__USAGE, {text + " (supervisord -h for help)"}};
}

}  // namespace

msg::Condition parse_options(int argc, char** argv, PasswordFileReader read_password_file,
                             Options& out) {
  std::string password_file;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    bool missing = false;
    if (a == "-n" || a == "--nodaemon") {
      out.nodaemon = true;
    } else if (a == "-h" || a == "--help") {
      out.help = true;
    } else if (a == "--check") {
      out.check_only = true;
    } else if (a == "--vms") {
      out.vms_rules = true;
    } else if (take_value(argc, argv, i, "-c", "--configuration", out.config_file, missing) ||
               take_value(argc, argv, i, "-p", "--password", out.password, missing) ||
               take_value(argc, argv, i, "", "--password-file", password_file, missing)) {
      if (missing) return usage_error(std::string(a) + " needs a value");
    } else {
      return usage_error("unknown argument " + std::string(a));
    }
  }
  if (out.vms_rules && !out.check_only)
    return usage_error("--vms checks a configuration for OpenVMS: it needs --check");
  if (out.config_file.empty()) {
    std::error_code ec;  // an error is "not there": the next default is taken
    out.config_file = std::filesystem::exists("supervisord.conf", ec) ? "supervisord.conf"
                                                                      : "/etc/supervisord.conf";
  }
  if (out.password.empty() && !password_file.empty()) {
    std::string error;
    if (!read_password_file(password_file, out.password, error))
      return {SUP__USAGE, {"--password-file " + password_file + ": " + error}};
  }
  if (const char* env = std::getenv("SUPERVISOR_PASSWORD"); out.password.empty() && env)
    out.password = env;
  return {SUP__NORMAL, {}};
}

std::string usage() {
  return R"(supervisord -- run a set of programs and keep them running (supervisor-vms)

Usage: supervisord [options]

Options:
  -c/--configuration FILE  configuration file (default ./supervisord.conf, else
                           /etc/supervisord.conf)
  -n/--nodaemon            run in the foreground
  -p/--password PWD        password the clients must present (shows in ps: prefer the
                           next two)
  --password-file FILE     read the password from FILE (must not be readable by group
                           or others)
  --check                  check the configuration, report every error, and exit
  --vms                    with --check: apply OpenVMS's rules (file specifications,
                           defaults, VMS-only keys) to a file meant for OpenVMS
  -h/--help                print this message and exit

Environment: SUPERVISOR_PASSWORD is the password when neither -p nor --password-file
is given.  Signals: TERM/INT stop all programs and exit; HUP re-reads the configuration;
USR2 reopens the log files.  On OpenVMS, $FORCEX of supervisord stops all programs and
exits (STOP/ID cannot be caught: it leaves them running).  The `shutdown` action ends
supervisord and leaves the programs running: the next supervisord re-attaches them.
)";
}

}  // namespace sup::daemon
