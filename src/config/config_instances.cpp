// numprocs: a [program:x] section that runs several copies of a program, as supervisor
// 4.2.5 does.  Each copy (an instance) is a program of its own for supervision: named
// by its expanded process_name, which must therefore hold %(process_num), in the group
// named after the section (or its [group:x]).  README "Groups, instances and includes".
#include "config/config_loader.hpp"
#include "config/config_names.hpp"
#include "config/config_text.hpp"

namespace sup::config::detail {
namespace {

// Enough copies for any machine (supervisor users run up to about 1000, #1511), and a
// bound that keeps process_num + numprocs_start far from overflowing.
constexpr int kMaxNumprocs = 10000;
constexpr int kMaxNumprocsStart = 1000000;

const RawKey* key_named(const RawSection& section, std::string_view name) {
  for (const auto& key : section.keys)
    if (key.name == name) return &key;  // a second one is reported by apply_keys
  return nullptr;
}

}  // namespace

Loader::Instances Loader::read_instances(const RawSection& section, const std::string& name,
                                         const std::string& group) {
  Instances out;
  ExpandContext context = plain_context();
  context.program_name = &name;
  context.group_name = &group;
  auto read = [&](std::string_view key_name, int& into, int min, int max) {
    const RawKey* key = key_named(section, key_name);
    if (key == nullptr || key->broken) return;
    const auto value = expand(key->value, context);
    if (!value.value) return error(key->line, section.name, key->name, value.error);
    const KeyContext c(diagnostics_, at(key->line, section.name, key->name),
                       std::string(trim(*value.value)), flavor_, here_, env_.home);
    c.set_int(into, min, max);
  };
  read("numprocs", out.count, 1, kMaxNumprocs);
  read("numprocs_start", out.start, 0, kMaxNumprocsStart);
  if (out.count > 1) {
    // supervisor's rule: the copies are told apart by their process names.
    const RawKey* key = key_named(section, "process_name");
    if (key == nullptr || key->value.find("%(process_num)") == std::string::npos) {
      error(key ? key->line : section.line, section.name, "process_name",
            "must contain %(process_num) when numprocs is more than 1, e.g. "
            "process_name=%(program_name)s_%(process_num)02d");
      out.count = 1;  // one error, not one per copy
    }
  }
  return out;
}

void Loader::add_instance(ProgramConfig program, const std::string& section,
                          const std::map<std::string, int>& seen) {
  const auto pn = seen.find("process_name");
  const int line = pn == seen.end() ? program.line : pn->second;
  if (program.numprocs > 1) {
    // The copy is named by its process name: the name rules of a program apply to it.
    program.name = program.process_name;
    const std::string instance =
        "instance " + std::to_string(program.process_num) + " of [" + section + "]";
    if (auto problem = program_name_problem(program.name); !problem.empty()) {
      return error(line, section, "process_name",
                   "the process name names the program " + instance + ": " + problem);
    }
    const std::string lower = to_lower(program.name);
    const auto section_owner = program_lines_.find(lower);
    const Origin* owner =
        section_owner != program_lines_.end() && section_owner->first != to_lower(program.program)
            ? &section_owner->second
            : nullptr;
    const auto [named, added] = names_.emplace(lower, Origin{file_, line, instance});
    if (!added) owner = &named->second;
    if (owner != nullptr) {
      return error(line, section, "process_name",
                   "the name " + program.name + " of " + instance + " is also the name of " +
                       owner->what + " (" + where(*owner) + ")");
    }
  } else {
    const auto [named, added] =
        names_.emplace(to_lower(program.name), Origin{file_, program.line, "[" + section + "]"});
    if (!added) {
      return error(program.line, section, "",
                   "the name " + program.name + " is also the name of " + named->second.what +
                       " (" + where(named->second) + ")");
    }
  }
  check_process_name(program, section, line);
  config_.programs.push_back(std::move(program));
}

void Loader::drop_repeats(std::size_t mark, std::set<std::string>& said) {
  std::size_t keep = mark;
  for (std::size_t i = mark; i < diagnostics_.size(); ++i) {
    if (!said.insert(diagnostics_[i].to_string()).second) continue;
    if (keep != i) diagnostics_[keep] = std::move(diagnostics_[i]);
    ++keep;
  }
  diagnostics_.resize(keep, Diagnostic{});
}

}  // namespace sup::config::detail
