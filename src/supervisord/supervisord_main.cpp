// supervisord: load and check the configuration, become a daemon (unless -n), open the
// platform (table lock, command socket), then hand over to the portable core's one loop.
// Thin on purpose: everything with behaviour lives in src/core and src/platform/posix.
#include <glob.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>

#include "config/config.hpp"
#include "config/config_report.hpp"
#include "core/activity_log.hpp"
#include "core/supervisor.hpp"
#include "msg/message.hpp"
#include "platform/posix/posix_daemon.hpp"
#include "platform/posix/posix_daemon_keys.hpp"
#include "platform/posix/posix_env.hpp"
#include "platform/posix/posix_platform.hpp"
#include "supervisord/daemon_options.hpp"

using namespace sup;  // the SUP__ condition names live in namespace sup

namespace {

using sup::msg::Condition;

// Prints a condition as DCL does and returns the process exit code for it.
int fail(const Condition& c) {
  std::fprintf(stderr, "%s\n", c.format().c_str());
  return sup::msg::posix_exit_code(c.value);
}

// What the loader needs from this process: posix_environment(), the host's name for
// %(host_node_name)s and glob(3) for [include] files = conf.d/*.conf.
sup::config::Environment environment() {
  sup::config::Environment env = sup::posix::posix_environment();
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) == 0) env.host_node_name = host;
  env.glob = [](const std::string& pattern) {
    std::vector<std::string> out;
    glob_t found{};
    if (::glob(pattern.c_str(), 0, nullptr, &found) == 0)
      for (std::size_t i = 0; i < found.gl_pathc; ++i) out.emplace_back(found.gl_pathv[i]);
    globfree(&found);
    return out;
  };
  return env;
}

// Loads the configuration; every diagnostic goes to `report`.  nullopt on errors, with
// the summary condition in `why`.
std::optional<sup::config::Config> load(const std::string& path, std::string& report,
                                        Condition& why,
                                        sup::config::Flavor flavor = sup::config::Flavor::Posix) {
  auto result = sup::config::load_file(path, flavor, environment());
  for (auto& d : result.diagnostics) report += sup::config::format_diagnostic(d) + "\n";
  if (!result.open_error.empty()) {
    why = {SUP__NOCONFIG, {path, result.open_error}};
    return std::nullopt;
  }
  if (!result.ok()) {
    why = {SUP__CFGINVALID, {path, static_cast<std::uint64_t>(result.error_count())}};
    return std::nullopt;
  }
  return std::move(result.config);
}

// [supervisord] command: the detached process runs this procedure instead of this image
// (the seed's .COM procedure, here a shell script), as the OpenVMS daemon would.
[[noreturn]] void run_command_procedure(const std::string& command) {
  execl("/bin/sh", "sh", command.c_str(), static_cast<char*>(nullptr));
  std::fprintf(stderr, "%s\n", Condition{SUP__SYSERR, {command, "cannot run"}}.format().c_str());
  _exit(1);
}

std::int64_t wall_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

int run_daemon(int argc, char** argv) {
  // As a container's first process, a signal that came before the platform would be lost.
  if (sup::posix::is_first_process()) sup::posix::hold_daemon_signals();
  sup::daemon::Options opts;
  if (Condition c = sup::daemon::parse_options(argc, argv, sup::posix::read_password_file, opts);
      !c.ok())
    return fail(c);
  if (opts.help) {
    std::fputs(sup::daemon::usage().c_str(), stdout);
    return 0;
  }
  std::string diagnostics;
  Condition why;
  auto config = load(opts.config_file, diagnostics, why,
                     opts.vms_rules ? sup::config::Flavor::Vms : sup::config::Flavor::Posix);
  std::fputs(diagnostics.c_str(), stderr);
  if (!config) return fail(why);
  if (opts.check_only) {
    std::printf("%s\n",
                Condition{SUP__CFGVALID, {config->path, std::uint64_t(config->programs.size())}}
                    .format()
                    .c_str());
    return 0;
  }
  bool foreground = opts.nodaemon || config->daemon.nodaemon;
  if (!foreground && sup::posix::is_first_process()) {
    // supervisor 4.2.5 would detach here, and the container would end at once.
    std::fprintf(stderr, "%s\n",
                 Condition{SUP__CFGWARN,
                           {std::string("supervisord is process 1 (a container's "
                                        "first process): it stays in the "
                                        "foreground, as with nodaemon = true")}}
                     .format()
                     .c_str());
    foreground = true;
  }
  sup::posix::StartupReport report;  // unused in the foreground
  // After the forks stderr is stdout_file: failures also go to the waiting command.
  auto startup_fail = [&](const Condition& c) {
    report.failed(c.format());
    return fail(c);
  };
  if (!foreground) {
    if (std::string e = sup::posix::daemonize(config->daemon.stdout_file, report); !e.empty())
      return startup_fail({SUP__SYSERR, {"daemonize", e}});
    if (!config->daemon.command.empty()) {
      report.ready();
      run_command_procedure(config->daemon.command);
    }
    // dropkeys: supervisor's [supervisord] directory, where it too only acts: detached.
    if (!config->daemon.directory.empty()) {
      if (std::string e = sup::posix::change_directory(config->daemon.directory); !e.empty())
        return startup_fail({SUP__SYSERR, {"daemonize", e}});
    }
  }
  std::string error;
  if (!sup::posix::switch_user(config->daemon.user, error))
    return startup_fail({SUP__SYSERR, {"[supervisord] user", error}});
  // dropkeys: supervisor's umask, minfds and minprocs, after the user switch as there.
  sup::posix::set_daemon_umask(config->daemon.umask);
  if (std::string e = sup::posix::raise_limits(config->daemon.minfds, config->daemon.minprocs);
      !e.empty())
    return startup_fail({SUP__SYSERR, {"supervisord", e}});
  auto platform = sup::posix::make_platform({config->daemon.table, ""}, error);
  if (!platform) return startup_fail({SUP__TABLEERR, {config->daemon.table, error}});
  // dropkeys: the pidfile, once this daemon holds the table (no other one can clobber it)
  // and before it starts anything.
  const auto self = static_cast<long>(platform->self_pid());
  const std::string& pidfile = config->daemon.pidfile;
  if (!pidfile.empty()) {
    if (std::string e = sup::posix::write_pidfile(pidfile, self); !e.empty())
      return startup_fail({SUP__SYSERR, {"supervisord", e}});
  }

  // dropkeys: silent keeps the foreground daemon's stderr free of the log.
  sup::core::ActivityLog log(config->daemon.logfile,
                             foreground && !config->daemon.silent ? &std::cerr : nullptr, wall_ms);
  log.set_threshold(sup::core::threshold_for(config->daemon.loglevel));  // dropkeys
  sup::core::Options sopts;
  sopts.password = opts.password;
  // The absolute path: a detached daemon has changed its directory to /.
  sopts.reread = [path = config->path](std::string& error) {
    Condition c;
    auto fresh = load(path, error, c);
    if (!fresh) error += c.text();
    return fresh;
  };
  if (!foreground)
    sopts.reopen_logs = [file = config->daemon.stdout_file] {
      return sup::posix::reopen_stdout(file);
    };
  sup::core::Supervisor supervisor(*platform, *config, sopts, log);
  supervisor.start();
  report.ready();
  supervisor.run();
  if (!pidfile.empty()) sup::posix::remove_pidfile(pidfile, self);
  return 0;
}

int main(int argc, char** argv) {
  try {
    return run_daemon(argc, argv);
  } catch (const std::exception& e) {
    // Nothing is expected to throw; if something does, say so plainly rather than abort.
    return fail({SUP__BUG, {e.what()}});
  }
}
