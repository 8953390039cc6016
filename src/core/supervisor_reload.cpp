// Reload (SIGHUP): apply a new configuration touching only what changed (upstream
// supervisor #888, #720, #214).
#include <algorithm>
#include <cctype>
#include <tuple>

#include "core/supervisor.hpp"
#include "msg/ascii_text.hpp"
#include "msg/message.hpp"

namespace sup::core {
namespace {

auto quota_key(const config::Quota& q) {
  return std::tie(q.name, q.value);
}

bool same_quotas(const std::vector<config::Quota>& a, const std::vector<config::Quota>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](const auto& x, const auto& y) { return quota_key(x) == quota_key(y); });
}

// Everything that makes a program run differently; the section's line number does not.
// Keep in step with config::ProgramConfig.
bool same_program(const config::ProgramConfig& a, const config::ProgramConfig& b) {
  auto key = [](const config::ProgramConfig& c) {
    return std::tie(c.name, c.image, c.command, c.process_name, c.user, c.arguments, c.autostart,
                    c.stdout_file, c.stderr_file, c.startsecs, c.startretries, c.stopwaitsecs,
                    c.kt_limit, c.baspri, c.nouaf, c.privileges, c.privilege_mask, c.autorestart,
                    c.exitcodes);
  };
  // dropkeys: supervisor's process keys.
  auto dropin = [](const config::ProgramConfig& c) {
    return std::tie(c.directory, c.umask, c.serverurl, c.stopsignal, c.stopasgroup, c.killasgroup);
  };
  auto env = [](const config::ProgramConfig& c) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& v : c.environment) out.emplace_back(v.name, v.value);
    return out;
  };
  return key(a) == key(b) && same_quotas(a.quotas, b.quotas) && dropin(a) == dropin(b) &&
         env(a) == env(b);
}

}  // namespace

bool Supervisor::reload(const config::Config& fresh, std::vector<std::string>& changes) {
  if (shutting_down_ || done_) {
    log_.log(SUP__SHUTTING);
    return false;
  }
  std::size_t before = changes.size();
  std::vector<std::unique_ptr<Program>> next;
  std::vector<Program*> added;
  for (const auto& pc : fresh.programs) {
    auto it = std::find_if(programs_.begin(), programs_.end(), [&](const auto& p) {
      return p && text::iequals(p->config.name, pc.name);
    });
    if (it == programs_.end()) {
      auto fresh_program = std::make_unique<Program>();
      fresh_program->config = pc;
      added.push_back(&adopt_program(std::move(fresh_program), next));
      changes.push_back(pc.name + ": added");
      log_.log(SUP__ADDED, {pc.name});
      continue;
    }
    Program& p = **it;
    if (p.goal == Goal::Removed) {
      // Deleted by an earlier reload and still stopping: it comes back, wanted or not.
      p.config = pc;
      changes.push_back(pc.name + ": added");
      log_.log(SUP__ADDED, {pc.name});
      dispatch(p, ProgramEvent::Kept);
    } else if (!same_program(p.config, pc)) {
      p.config = pc;
      changes.push_back(pc.name + ": changed");
      log_.log(SUP__CHANGED, {pc.name});
      // A running program picks up its new settings by a restart; a stopped one
      // simply uses them at its next start.
      dispatch(p, ProgramEvent::Changed);
    }
    next.push_back(std::move(*it));
  }
  // What is left was deleted from the file: stopped, then forgotten (settle()).
  for (auto& p : programs_) {
    if (!p) continue;
    if (p->goal != Goal::Removed) {
      changes.push_back(p->config.name + ": removed");
      log_.log(SUP__REMOVED, {p->config.name});
      dispatch(*p, ProgramEvent::Remove);
    }
    next.push_back(std::move(p));
  }
  programs_ = std::move(next);
  config_path_ = fresh.path;
  for (Program* p : added)
    if (p->config.autostart) dispatch(*p, ProgramEvent::Start);
  log_.log(SUP__RELOADED, {config_path_, std::uint64_t{changes.size() - before}});
  settle();
  return changes.size() > before;
}

}  // namespace sup::core
