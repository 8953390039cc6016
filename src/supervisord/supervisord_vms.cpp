// supervisord on OpenVMS (SUPERVISORD.EXE): load and check the configuration with the
// OpenVMS rules, open the OpenVMS platform (the table, the termination and command
// mailboxes), then hand over to the portable core's one loop.  The counterpart of
// supervisord_main.cpp, as thin; the image exits with a condition value.
//
// Detaching is the startup procedure's job on OpenVMS (RUN/DETACHED of this image as the
// [supervisord] user, or $CREPRC): this image runs in the process it was started in, so
// it asks to be told so (-n, or nodaemon=true) rather than pretending to detach.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "config/config.hpp"
#include "config/config_report.hpp"
#include "core/activity_log.hpp"
#include "core/supervisor.hpp"
#include "msg/message.hpp"
#include "platform/vms/vms_platform.hpp"
#include "supervisord/daemon_options.hpp"

using namespace sup;  // the SUP__ condition names live in namespace sup

namespace {

using sup::msg::Condition;

// STS$M_INHIB_MSG: the message was printed already, DCL need not print it again.
constexpr std::uint32_t kMessageShown = 0x10000000u;

// Prints a condition as DCL does and returns the image's exit status for it.
int fail(const Condition& c) {
  std::fprintf(stderr, "%s\n", c.format().c_str());
  return static_cast<int>(c.value | kMessageShown);
}

// What the loader needs: OpenVMS file specifications are used as written, and
// %(ENV_X)s reads the C RTL's getenv (logical names and symbols).
config::Environment vms_environment() {
  config::Environment env;
  env.getenv = [](const std::string& name) -> std::optional<std::string> {
    if (const char* v = std::getenv(name.c_str())) return std::string(v);
    return std::nullopt;
  };
  // %(host_node_name)s: the DECnet/cluster node name, SYS$NODE without its "::".  No
  // glob: [include] names its files one by one on OpenVMS for now.
  if (const char* node = std::getenv("SYS$NODE")) {
    std::string name(node);
    while (!name.empty() && (name.back() == ':' || name.back() == ' ')) name.pop_back();
    if (!name.empty() && name.front() == '_') name.erase(0, 1);
    env.host_node_name = name;
  }
  return env;
}

std::optional<config::Config> load(const std::string& path, std::string& report, Condition& why) {
  auto result = config::load_file(path, config::Flavor::Vms, vms_environment());
  for (auto& d : result.diagnostics) report += config::format_diagnostic(d) + "\n";
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

std::int64_t wall_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

int run_daemon(int argc, char** argv) {
  daemon::Options opts;
  if (Condition c = daemon::parse_options(argc, argv, vms::read_password_file, opts); !c.ok())
    return fail(c);
  if (opts.help) {
    std::fputs(daemon::usage().c_str(), stdout);
    return 1;  // SS$_NORMAL
  }
  std::string diagnostics;
  Condition why;
  auto config = load(opts.config_file, diagnostics, why);
  std::fputs(diagnostics.c_str(), stderr);
  if (!config) return fail(why);
  if (opts.check_only) {
    std::printf("%s\n",
                Condition{SUP__CFGVALID, {config->path, std::uint64_t(config->programs.size())}}
                    .format()
                    .c_str());
    return 1;
  }
  if (!opts.nodaemon && !config->daemon.nodaemon)
    return fail({SUP__SYSERR,
                 {"daemon mode",
                  "on OpenVMS the startup procedure runs supervisord detached "
                  "(RUN/DETACHED); run this image with -n"}});
  std::string error;
  const std::string user = vms::current_user(error);
  if (!error.empty()) return fail({SUP__SYSERR, {"[supervisord] user", error}});
  if (!config->daemon.user.empty() && config->daemon.user != user)
    return fail(
        {SUP__SYSERR,
         {"[supervisord] user", "supervisord runs as " + user + ", not as " + config->daemon.user +
                                    ": start it as that user (RUN/DETACHED/UIC)"}});
  vms::VmsOptions vopts;
  vopts.table = config->daemon.table;
  for (const auto& p : config->programs) vopts.programs.push_back({p.name, p.process_name});
  auto platform = vms::make_platform(vopts, error);
  if (!platform) return fail({SUP__TABLEERR, {config->daemon.table, error}});

  core::ActivityLog log(config->daemon.logfile, config->daemon.silent ? nullptr : &std::cerr,
                        wall_ms);                                   // dropkeys: silent
  log.set_threshold(core::threshold_for(config->daemon.loglevel));  // dropkeys
  core::Options sopts;
  sopts.password = opts.password;
  sopts.reread = [path = config->path](std::string& error) {
    Condition c;
    auto fresh = load(path, error, c);
    if (!fresh) error += c.text();
    return fresh;
  };
  core::Supervisor supervisor(*platform, *config, sopts, log);
  // $FORCEX of this process: every program is stopped, then the image ends with the
  // $FORCEX code (vms_platform.hpp, ForcedExit); this frame is never returned to.
  vms::ForcedExit forced_exit([&supervisor, &platform] {
    supervisor.run();
    platform.reset();  // deletes the command mailbox, as the normal end below does
  });
  if (!forced_exit.error().empty())
    log.log(SUP__SYSERR, {"$FORCEX as a shutdown", forced_exit.error()});
  supervisor.start();
  supervisor.run();
  return 1;  // SS$_NORMAL
}

int main(int argc, char** argv) {
  try {
    return run_daemon(argc, argv);
  } catch (const std::exception& e) {
    return fail({SUP__BUG, {e.what()}});
  }
}
