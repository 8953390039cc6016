#include "platform/posix/posix_launch.hpp"

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>

#include "config/config.hpp"
#include "platform/posix/posix_proc.hpp"
#include "platform/posix/posix_user.hpp"

extern char** environ;

namespace sup::posix {
namespace {

bool is_executable_file(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

// execve does not search $PATH, so a bare name ("sleep") is resolved here, as execvp would.
std::optional<std::string> resolve_image(const std::string& image) {
  if (image.find('/') != std::string::npos) return image;
  const char* path_var = std::getenv("PATH");
  const std::string search = path_var && *path_var ? path_var : "/usr/local/bin:/usr/bin:/bin";
  std::size_t start = 0;
  for (;;) {
    const auto end = search.find(':', start);
    std::string dir =
        search.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (dir.empty()) dir = ".";
    const std::string candidate = dir + "/" + image;
    if (is_executable_file(candidate)) return candidate;
    if (end == std::string::npos) return std::nullopt;
    start = end + 1;
  }
}

void unset_env(std::vector<std::string>& env, const std::string& name) {
  const std::string prefix = name + "=";
  env.erase(std::remove_if(
                env.begin(), env.end(),
                [&](const std::string& e) { return e.compare(0, prefix.size(), prefix) == 0; }),
            env.end());
}

void set_env(std::vector<std::string>& env, const std::string& name, const std::string& value) {
  unset_env(env, name);
  env.push_back(name + "=" + value);
}

// `user` as the daemon may apply it: as root anything known; otherwise only itself.
bool plan_user(const std::string& user, LaunchPlan& plan, std::string& error) {
  if (user.empty()) return true;
  const auto info = lookup_user(user);
  if (!info) {
    error = "cannot run as user " + user + ": no such user";
    return false;
  }
  const uid_t self = ::geteuid();
  if (self != 0) {
    if (info->uid == self) return true;  // already that account: nothing to switch
    error = "cannot run as user " + user + ": supervisord is not running as root";
    return false;
  }
  plan.switch_user = true;
  plan.user = info->name;
  plan.uid = info->uid;
  plan.gid = info->gid;
  plan.groups = user_groups(*info);
  set_env(plan.env, "LOGNAME", info->name);
  set_env(plan.env, "USER", info->name);
  set_env(plan.env, "HOME", info->home);
  return true;
}

int rlimit_resource(config::PosixResource r) {
  switch (r) {
    case config::PosixResource::Nofile:
      return RLIMIT_NOFILE;
    case config::PosixResource::Cpu:
      return RLIMIT_CPU;
    case config::PosixResource::AddressSpace:
      return RLIMIT_AS;
    case config::PosixResource::Nproc:
      return RLIMIT_NPROC;
  }
  return -1;
}

// Quotas without a POSIX counterpart are skipped: the config layer already warned.
void plan_limits(const std::vector<platform::QuotaSpec>& quotas, LaunchPlan& plan) {
  for (const auto& q : quotas) {
    const auto limit = config::posix_limit(config::Quota{q.name, q.value});
    if (!limit) continue;
    plan.limits.push_back(
        LaunchLimit{rlimit_resource(limit->resource), limit->value, q.name, q.value});
  }
}

}  // namespace

// VMS base priority -> nice.  VMS's default interactive/batch base priority is 4 and maps
// to nice 0; each VMS step is 2.5 nice steps (higher priority = lower nice), truncated
// toward zero and clamped to -20..19:
//
//   baspri  0   1   2   3   4   5   6   7   8   9  10  11  12..31
//   nice   10   7   5   2   0  -2  -5  -7 -10 -12 -15 -17  -20
int baspri_to_nice(int baspri) {
  const int nice = ((4 - baspri) * 5) / 2;
  return std::clamp(nice, -20, 19);
}

std::string device_path(const std::string& name) {
  std::string upper = name;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (upper.empty() || upper == "NLA0:" || upper == "NLA0" || upper == "_NLA0:") return "/dev/null";
  return name;
}

void LaunchPlan::bind() {
  argv.clear();
  envp.clear();
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
}

std::optional<LaunchPlan> prepare_launch(const platform::ProcessSpec& spec, std::string& error,
                                         const std::string& table_id) {
  if (spec.image.empty()) {
    error = "no image to execute";
    return std::nullopt;
  }
  LaunchPlan plan;
  const auto path = resolve_image(spec.image);
  if (!path) {
    error = "cannot execute " + spec.image + ": No such file or directory (not found on $PATH)";
    return std::nullopt;
  }
  plan.path = *path;
  plan.args.push_back(spec.image);
  plan.args.insert(plan.args.end(), spec.arguments.begin(), spec.arguments.end());
  for (char** e = environ; e && *e; ++e) plan.env.emplace_back(*e);
  // As Python supervisor does: a program can tell it runs supervised, and under which
  // name.  This is where process_name (PRCNAM on OpenVMS) shows on POSIX.
  set_env(plan.env, "SUPERVISOR_ENABLED", "1");
  set_env(plan.env, "SUPERVISOR_PROCESS_NAME", spec.process_name);
  set_env(plan.env, "SUPERVISOR_GROUP_NAME", spec.program);
  if (!spec.server_url.empty()) set_env(plan.env, "SUPERVISOR_SERVER_URL", spec.server_url);
  plan.input = device_path(spec.input);
  plan.output = device_path(spec.output);
  plan.error = device_path(spec.error);
  if (!plan_user(spec.user, plan, error)) return std::nullopt;
  // dropkeys: [supervisord] then the program's environment, over everything above (as
  // supervisor's env.update), but under the mark.
  for (const auto& [name, value] : spec.environment) set_env(plan.env, name, value);
  plan.directory = spec.directory;
  plan.umask = spec.umask;
  // Set last, so that nothing the daemon inherited or configured can forge or hide it.
  if (!table_id.empty()) {
    set_env(plan.env, kMarkTableVar, table_id);
    set_env(plan.env, kMarkProgramVar, spec.program);
  } else {
    unset_env(plan.env, kMarkTableVar);
    unset_env(plan.env, kMarkProgramVar);
  }
  // The default base priority keeps the daemon's own nice value (a non-root daemon
  // started at nice 5 could not go back to 0).
  plan.set_nice = spec.baspri != 4;
  plan.nice = baspri_to_nice(spec.baspri);
  plan_limits(spec.quotas, plan);
  return plan;
}

}  // namespace sup::posix
