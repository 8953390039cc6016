#include "config/config_loader.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <limits>
#include <set>

#include "config/config_dropin.hpp"
#include "config/config_names.hpp"
#include "config/config_paths.hpp"
#include "config/config_text.hpp"

namespace sup::config {
namespace detail {
namespace {

constexpr std::string_view kProgramPrefix = "program:";

// The POSIX default location of SUPERVISORD_TABLE (a directory).
std::string default_posix_table(const Environment& env) {
  if (env.uid == 0) return "/run/supervisord";
  if (!env.runtime_dir.empty()) return normalize_posix_path(env.runtime_dir + "/supervisord");
  return "/tmp/supervisord-" + std::to_string(env.uid);
}

// dropkeys: the `environment` entries a section's own %(ENV_X)s sees (none for
// [supervisord]: as in 4.2.5, its environment is seen by the programs).
const std::vector<EnvVar>* own_environment(const ProgramConfig& p) {
  return &p.environment;
}
const std::vector<EnvVar>* own_environment(const DaemonConfig&) {
  return nullptr;
}

template <class Target>
const KeySpec<Target>* find_key(const std::vector<KeySpec<Target>>& keys, std::string_view name) {
  for (const auto& k : keys) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

// "unknown key; did you mean startsecs?" or the list of the section's keys.
template <class Target>
std::string unknown_key(const std::vector<KeySpec<Target>>& keys, std::string_view name) {
  std::string list;
  for (const auto& k : keys) {
    if (edit_distance(name, k.name) <= 2)
      return "unknown key; did you mean " + std::string(k.name) + "?";
    list += (list.empty() ? "" : ", ") + std::string(k.name);
  }
  return "unknown key; expected one of " + list;
}

}  // namespace

Loader::Loader(std::string file, Flavor flavor, const Environment& env)
    : file_(std::move(file)), flavor_(flavor), env_(env) {
  config_.flavor = flavor;
  config_.path = absolute_config_path(file_, env.cwd, flavor);
  config_.here = config_directory(config_.path, env.cwd, flavor);
  config_.daemon = default_daemon();
}

LoadResult Loader::run(std::string_view text) {
  RawFile raw = read_ini(text, file_);
  diagnostics_ = std::move(raw.diagnostics);
  // dropkeys: the first [supervisord] first, wherever it is: its environment is seen by
  // every program's %(ENV_X)s, as in supervisor 4.2.5 (diagnostics are sorted below).
  const auto daemon = std::find_if(raw.sections.begin(), raw.sections.end(), [](const auto& s) {
    return s.line != 0 && iequals(s.name, "supervisord");
  });
  if (daemon != raw.sections.end()) load_section(*daemon);
  for (auto it = raw.sections.begin(); it != raw.sections.end(); ++it)
    if (it != daemon) load_section(*it);
  if (program_sections_ == 0) {
    error(0, "", "", "no [program:name] section: at least one program is needed");
  }
  // File order; problems of the whole file (line 0) last.
  std::stable_sort(diagnostics_.begin(), diagnostics_.end(), [](const auto& a, const auto& b) {
    constexpr int kLast = std::numeric_limits<int>::max();
    return (a.line == 0 ? kLast : a.line) < (b.line == 0 ? kLast : b.line);
  });
  LoadResult result;
  result.diagnostics = std::move(diagnostics_);
  if (result.error_count() == 0) result.config = std::move(config_);
  return result;
}

ClientLoadResult Loader::run_client(std::string_view text) {
  // Only the first [supervisord] is read (the daemon uses the first too): the keys of the
  // other sections, and whatever follows it, cost the client nothing.
  const RawFile raw = read_ini(
      text, file_, [](std::string_view name) { return iequals(name, "supervisord"); }, true);
  const auto daemon = std::find_if(raw.sections.begin(), raw.sections.end(), [](const auto& s) {
    return s.line != 0 && iequals(s.name, "supervisord");
  });
  if (daemon != raw.sections.end()) {
    // The section ends at the next header, broken or not.
    const auto next = std::next(daemon);
    int end = next == raw.sections.end() ? std::numeric_limits<int>::max() : next->line;
    for (int line : raw.broken_headers)
      if (line > daemon->line && line < end) end = line;
    RawSection wanted{daemon->name, daemon->line, {}};
    std::set<int> other_keys;  // lines of the section's other keys: their errors are not ours
    for (const auto& key : daemon->keys) {
      if (key.name == "table" || key.name == "user")
        wanted.keys.push_back(key);
      else
        other_keys.insert(key.line);
    }
    // A syntax error in the section may be the table key, written wrongly: the client
    // cannot tell which daemon is meant, so it is an error here too.
    for (const auto& d : raw.diagnostics)
      if (d.line > daemon->line && d.line < end && other_keys.count(d.line) == 0)
        diagnostics_.push_back(d);
    apply_keys(wanted, daemon_keys(), config_.daemon, nullptr);
  }
  std::stable_sort(diagnostics_.begin(), diagnostics_.end(),
                   [](const auto& a, const auto& b) { return a.line < b.line; });
  ClientLoadResult result;
  result.diagnostics = std::move(diagnostics_);
  if (result.error_count() == 0)
    result.settings = ClientSettings{config_.daemon.table, config_.daemon.user};
  return result;
}

void Loader::load_section(const RawSection& section) {
  if (section.line == 0) {  // keys written before the first header
    for (const auto& k : section.keys) {
      error(k.line, "", k.name,
            "key outside any section; put it under [supervisord] or [program:name]");
    }
    return;
  }
  if (iequals(section.name, "supervisord")) return load_daemon(section);
  const std::string lower = to_lower(section.name);
  if (lower.rfind(kProgramPrefix, 0) == 0) {
    return load_program(
        section, std::string(trim(std::string_view(section.name).substr(kProgramPrefix.size()))));
  }
  error(section.line, section.name, "",
        "unknown section; expected [supervisord] or [program:name]");
}

void Loader::load_daemon(const RawSection& section) {
  if (config_.daemon.line != 0) {
    error(section.line, section.name, "",
          "only one [supervisord] section is allowed (the first is at line " +
              std::to_string(config_.daemon.line) + ")");
    return;
  }
  config_.daemon.line = section.line;
  apply_keys(section, daemon_keys(), config_.daemon, nullptr);
}

void Loader::load_program(const RawSection& section, std::string name) {
  ++program_sections_;
  std::string problem = program_name_problem(name);
  const auto [first, added] = program_lines_.emplace(to_lower(name), section.line);
  if (problem.empty() && !added) {
    problem = "program " + name + " is already defined at line " + std::to_string(first->second) +
              " (program names are compared without regard to case)";
  }
  if (!problem.empty()) error(section.line, section.name, "", problem);
  ProgramConfig program = default_program(name, section.line);
  const auto seen = apply_keys(section, program_keys(), program, &name);
  // dropkeys: the rules that need the whole section (the command rule, killasgroup).
  for (auto& k : finish_program(program, seen, flavor_, config_.here, env_.home))
    error(k.line, section.name, k.key, std::move(k.text));
  if (seen.count("user") == 0) {
    error(section.line, section.name, "user",
          "missing: it names the account that runs the program");
  }
  // A bad or duplicate program name makes a bad default process name: one error is enough.
  if (!problem.empty()) return;
  const auto pn = seen.find("process_name");
  check_process_name(program, section.name, pn == seen.end() ? section.line : pn->second);
  config_.programs.push_back(std::move(program));
}

void Loader::check_process_name(const ProgramConfig& program, const std::string& section,
                                int line) {
  if (const auto problem = process_name_problem(program.process_name); !problem.empty()) {
    error(line, section, "process_name", problem);
    return;
  }
  const auto [owner, added] = process_owners_.emplace(program.process_name, program.name);
  if (!added) {
    error(line, section, "process_name",
          "process name " + program.process_name + " is also used by [program:" + owner->second +
              "] (line " + std::to_string(program_lines_[to_lower(owner->second)]) + ")");
  }
}

template <class Target>
std::map<std::string, int> Loader::apply_keys(const RawSection& section,
                                              const std::vector<KeySpec<Target>>& keys,
                                              Target& target, const std::string* program_name) {
  std::map<std::string, int> seen;
  // dropkeys: `environment` first, so that %(ENV_X)s in every other key sees its entries
  // wherever it is written (as in supervisor 4.2.5).
  std::vector<RawKey> ordered(section.keys.begin(), section.keys.end());
  std::stable_partition(ordered.begin(), ordered.end(),
                        [](const RawKey& k) { return k.name == "environment"; });
  for (const auto& key : ordered) {
    if (const auto it = seen.find(key.name); it != seen.end()) {
      error(key.line, section.name, key.name,
            "given twice (first at line " + std::to_string(it->second) + ")");
      continue;
    }
    seen.emplace(key.name, key.line);
    const auto* spec = find_key(keys, key.name);
    if (spec == nullptr) {
      error(key.line, section.name, key.name, unknown_key(keys, key.name));
    } else if (!key.broken) {
      apply_key(section, key, *spec, target, program_name);
    }
  }
  return seen;
}

template <class Target>
void Loader::apply_key(const RawSection& section, const RawKey& key, const KeySpec<Target>& spec,
                       Target& target, const std::string* program_name) {
  ExpandContext expansions{program_name, config_.here, env_.getenv};
  if (const auto* own = own_environment(target))  // dropkeys: ENV_X sees `environment`
    expansions.getenv = chained_getenv(own, &config_.daemon.environment, env_.getenv);
  auto value = expand(key.value, expansions);
  if (!value.value) return error(key.line, section.name, key.name, value.error);
  const KeyContext context(diagnostics_, at(key.line, section.name, key.name),
                           std::string(trim(*value.value)), flavor_, config_.here, env_.home);
  if (spec.scope == KeyScope::VmsOnly && flavor_ == Flavor::Posix) {
    context.warning("has no effect on POSIX (OpenVMS only)");
  } else if (spec.scope == KeyScope::PosixOnly && flavor_ == Flavor::Vms) {
    context.warning("has no effect on OpenVMS (POSIX only)");
  }
  spec.set(context, target);
}

DaemonConfig Loader::default_daemon() const {
  DaemonConfig d;
  if (flavor_ == Flavor::Vms) {
    d.user = "SYSTEM";
    d.stdout_file = "NLA0:";
    d.logfile = "supervisord.log";
    d.table = "SUPERVISORD_TABLE";
  } else {
    d.stdout_file = "/dev/null";
    d.logfile = normalize_posix_path(config_.here + "/supervisord.log");
    d.table = default_posix_table(env_);
  }
  return d;
}

ProgramConfig Loader::default_program(std::string name, int line) const {
  const bool vms = flavor_ == Flavor::Vms;
  ProgramConfig p;
  p.process_name = name;  // %(program_name)s
  p.group = name;         // a program in no [group:x] is its own group
  p.name = std::move(name);
  p.line = line;
  p.image = vms ? "SYS$SYSTEM:LOGINOUT.EXE" : "/bin/sh";
  p.command = p.stdout_file = p.stderr_file = vms ? "NLA0:" : "/dev/null";
  p.exitcodes = {vms ? 1u : 0u};
  return p;
}

Diagnostic Loader::at(int line, std::string_view section, std::string_view key) const {
  Diagnostic d;
  d.file = file_;
  d.line = line;
  d.section = std::string(section);
  d.key = std::string(key);
  return d;
}

void Loader::error(int line, std::string_view section, std::string_view key, std::string text) {
  Diagnostic d = at(line, section, key);
  d.level = Diagnostic::Level::Error;
  d.text = std::move(text);
  diagnostics_.push_back(std::move(d));
}

}  // namespace detail

LoadResult load_string(std::string_view text, const std::string& path, Flavor flavor,
                       const Environment& env) {
  return detail::Loader(path, flavor, env).run(text);
}

namespace {

// A configuration is a few kilobytes; this only stops a wrong file (/dev/zero) early.
constexpr std::size_t kMaxFileSize = 16 * 1024 * 1024;

// A LoadResult or ClientLoadResult for a file that cannot be read (`why`).
template <class Result>
Result unreadable(const std::string& path, std::string why) {
  Result result;
  result.open_error = std::move(why);
  result.diagnostics.push_back(Diagnostic{});
  Diagnostic& d = result.diagnostics.back();
  d.file = path;
  d.text = "cannot open the configuration file: " + result.open_error;
  return result;
}

// The text of the file at `path`; nullopt with the reason in `why`.
std::optional<std::string> read_config_text(const std::string& path, std::string& why) {
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  std::string text;
  char buffer[16384];
  while (in && text.size() <= kMaxFileSize && (in.read(buffer, sizeof buffer), in.gcount() > 0)) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
  }
  if (!in.is_open() || in.bad()) {
    // The C++ library does not promise errno, but when it is set it says why.
    why = errno != 0 ? std::strerror(errno) : "cannot read it";
    return std::nullopt;
  }
  if (text.size() > kMaxFileSize) {
    why = "it is larger than 16 MiB";
    return std::nullopt;
  }
  return text;
}

}  // namespace

LoadResult load_file(const std::string& path, Flavor flavor, const Environment& env) {
  std::string why;
  const auto text = read_config_text(path, why);
  if (!text) return unreadable<LoadResult>(path, why);
  return load_string(*text, path, flavor, env);
}

ClientLoadResult load_client_string(std::string_view text, const std::string& path, Flavor flavor,
                                    const Environment& env) {
  return detail::Loader(path, flavor, env).run_client(text);
}

ClientLoadResult load_client_file(const std::string& path, Flavor flavor, const Environment& env) {
  std::string why;
  const auto text = read_config_text(path, why);
  if (!text) return unreadable<ClientLoadResult>(path, why);
  return load_client_string(*text, path, flavor, env);
}

}  // namespace sup::config
