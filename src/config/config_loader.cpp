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

bool is_group_section(const RawSection& section) {
  return section.line != 0 && to_lower(section.name).rfind("group:", 0) == 0;
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
  here_ = config_.here;
  config_.daemon = default_daemon();
}

LoadResult Loader::run(std::string_view text) {
  const std::string main_file = file_;
  std::vector<std::string> chain{config_.path};
  collect(text, main_file, chain);
  // The groups first, wherever they are: reading a program needs its group's name.
  for (const auto& s : sections_) {
    if (!is_group_section(s.section)) continue;
    file_ = s.file;
    here_ = s.here;
    load_group(s.section);
  }
  // dropkeys: the first [supervisord] first, wherever it is: its environment is seen by
  // every program's %(ENV_X)s, as in supervisor 4.2.5 (diagnostics are sorted below).
  const auto daemon = std::find_if(sections_.begin(), sections_.end(), [](const auto& s) {
    return s.section.line != 0 && iequals(s.section.name, "supervisord");
  });
  if (daemon != sections_.end()) {
    file_ = daemon->file;
    here_ = daemon->here;
    load_section(daemon->section);
  }
  for (auto it = sections_.begin(); it != sections_.end(); ++it) {
    const auto& s = *it;
    if (is_group_section(s.section) || it == daemon) continue;
    file_ = s.file;
    here_ = s.here;
    load_section(s.section);
  }
  check_groups();
  file_ = main_file;
  here_ = config_.here;
  // supervisor runs without programs (a main file whose conf.d is empty yet), and so
  // does this supervisord; but it is worth a word.
  if (program_sections_ == 0) {
    warning(0, "", "", "no [program:name] section: supervisord has no program to run");
  }
  // Reading order (file by file, line by line); problems of a whole file (line 0) last.
  std::stable_sort(diagnostics_.begin(), diagnostics_.end(), [this](const auto& a, const auto& b) {
    constexpr int kLast = std::numeric_limits<int>::max();
    auto key = [&](const Diagnostic& d) {
      const auto rank = file_order_.find(d.file);
      return std::pair(d.line == 0 || rank == file_order_.end() ? kLast : rank->second,
                       d.line == 0 ? kLast : d.line);
    };
    return key(a) < key(b);
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
  if (load_inert(section)) return;
  error(section.line, section.name, "",
        "unknown section; expected [supervisord], [program:name], [group:name], [include] or one "
        "of supervisor's other sections");
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
  const Origin origin{file_, section.line, "[program:" + name + "]"};
  const auto [first, added] = program_lines_.emplace(to_lower(name), origin);
  if (problem.empty() && !added) {
    problem = "program " + name + " is already defined at " + where(first->second) +
              " (program names are compared without regard to case)";
  }
  if (!problem.empty()) error(section.line, section.name, "", problem);
  const auto member = members_.find(to_lower(name));
  const std::string group = member == members_.end() ? name : member->second.group;
  const Instances instances = read_instances(section, name, group);
  std::set<std::string> said;  // what an instance reported: the next ones need not repeat it
  for (int n = 0; n < instances.count; ++n) {
    ProgramConfig program = default_program(name, section.line);
    program.group = group;
    program.program = name;
    program.file = file_;
    program.process_num = instances.start + n;
    program.numprocs = instances.count;
    ExpandContext context = plain_context();
    context.program_name = &name;
    context.group_name = &group;
    context.process_num = program.process_num;
    context.numprocs = program.numprocs;
    const std::size_t mark = diagnostics_.size();
    const auto seen =
        apply_keys(section, program_keys(), program, &context, {"numprocs", "numprocs_start"});
    if (n == 0 && seen.count("user") == 0) {
      error(section.line, section.name, "user",
            "missing: it names the account that runs the program");
    }
    // dropkeys: the rules that need the whole section (the command rule, killasgroup).
    for (auto& k : finish_program(program, seen, flavor_, here_, env_.home))
      error(k.line, section.name, k.key, std::move(k.text));
    drop_repeats(mark, said);
    // A bad or duplicate program name makes a bad default process name: one error is enough.
    if (!problem.empty()) return;
    program.group_priority = member == members_.end() ? program.priority : member->second.priority;
    add_instance(std::move(program), section.name, seen);
  }
}

void Loader::check_process_name(const ProgramConfig& program, const std::string& section,
                                int line) {
  const std::string instance =
      program.numprocs > 1 ? " (instance " + std::to_string(program.process_num) + ")" : "";
  if (const auto problem = process_name_problem(program.process_name, flavor_); !problem.empty()) {
    error(line, section, "process_name", problem + instance);
    return;
  }
  const auto [owner, added] = process_owners_.emplace(program.process_name, program.name);
  if (!added) {
    const auto other = program_lines_.find(to_lower(owner->second));
    const auto named = names_.find(to_lower(owner->second));
    const Origin& o = named != names_.end()           ? named->second
                      : other != program_lines_.end() ? other->second
                                                      : Origin{file_, line, ""};
    error(line, section, "process_name",
          "process name " + program.process_name + instance + " is also used by " + o.what + " (" +
              where(o) + ")");
  }
}

template <class Target>
std::map<std::string, int> Loader::apply_keys(const RawSection& section,
                                              const std::vector<KeySpec<Target>>& keys,
                                              Target& target, const ExpandContext* base,
                                              const std::set<std::string>& handled) {
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
    if (handled.count(key.name) != 0) continue;
    const auto* spec = find_key(keys, key.name);
    if (spec == nullptr) {
      error(key.line, section.name, key.name, unknown_key(keys, key.name));
    } else if (!key.broken) {
      apply_key(section, key, *spec, target, base);
    }
  }
  return seen;
}

template <class Target>
void Loader::apply_key(const RawSection& section, const RawKey& key, const KeySpec<Target>& spec,
                       Target& target, const ExpandContext* base) {
  ExpandContext expansions = base ? *base : plain_context();
  if (const auto* own = own_environment(target))  // dropkeys: ENV_X sees `environment`
    expansions.getenv = chained_getenv(own, &config_.daemon.environment, expansions.getenv);
  auto value = expand(key.value, expansions);
  if (!value.value) return error(key.line, section.name, key.name, value.error);
  const KeyContext context(diagnostics_, at(key.line, section.name, key.name),
                           std::string(trim(*value.value)), flavor_, here_, env_.home);
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

ExpandContext Loader::plain_context() const {
  ExpandContext context;
  context.here = here_;
  context.getenv = env_.getenv;
  context.host_node_name = env_.host_node_name;
  return context;
}

std::string Loader::where(const Origin& origin) const {
  if (origin.file == file_) return "line " + std::to_string(origin.line);
  return origin.file + ":" + std::to_string(origin.line);
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

void Loader::warning(int line, std::string_view section, std::string_view key, std::string text) {
  Diagnostic d = at(line, section, key);
  d.level = Diagnostic::Level::Warning;
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

}  // namespace

namespace detail {

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

}  // namespace detail

using detail::read_config_text;

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
