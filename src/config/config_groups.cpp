// [group:x]: supervisor's heterogeneous groups.  `programs` gathers programs under one
// group name (GROUP:NAME, GROUP:* in requests); `priority` orders the group against the
// others.  A program in no [group:x] is a group of its own, named after it.
#include <limits>

#include "config/config_loader.hpp"
#include "config/config_names.hpp"
#include "config/config_text.hpp"

namespace sup::config::detail {
namespace {

constexpr std::string_view kGroupPrefix = "group:";

// The names of a `programs` list: comma-separated, blanks (and newlines) around them.
std::vector<std::string> split_commas(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = text.find(',', start);
    out.emplace_back(trim(text.substr(start, comma - start)));
    if (comma == std::string_view::npos) return out;
    start = comma + 1;
  }
}

}  // namespace

void Loader::load_group(const RawSection& section) {
  GroupConfig group;
  group.name = std::string(trim(std::string_view(section.name).substr(kGroupPrefix.size())));
  group.file = file_;
  group.line = section.line;
  std::string problem = program_name_problem(group.name);
  if (!problem.empty()) problem = "as a group name: " + problem;
  const auto [first, added] =
      groups_.emplace(to_lower(group.name), Origin{file_, section.line, "[" + section.name + "]"});
  if (problem.empty() && !added)
    problem = "group " + group.name + " is already defined at " + where(first->second);
  if (!problem.empty()) return error(section.line, section.name, "", problem);
  const RawKey* programs = nullptr;
  std::map<std::string, int> seen;
  for (const auto& key : section.keys) {
    if (const auto it = seen.find(key.name); it != seen.end()) {
      error(key.line, section.name, key.name,
            "given twice (first at line " + std::to_string(it->second) + ")");
      continue;
    }
    seen.emplace(key.name, key.line);
    if (key.broken) continue;
    const auto value = expand(key.value, plain_context());
    if (!value.value) {
      error(key.line, section.name, key.name, value.error);
    } else if (key.name == "priority") {
      const auto parsed = parse_signed_int(trim(*value.value), std::numeric_limits<int>::min(),
                                           std::numeric_limits<int>::max());
      if (parsed.value)
        group.priority = *parsed.value;
      else
        error(key.line, section.name, key.name, parsed.error);
    } else if (key.name == "programs") {
      programs = &key;
      group.programs = split_commas(*value.value);
    } else {
      error(key.line, section.name, key.name, "unknown key; expected programs or priority");
    }
  }
  if (programs == nullptr) {
    warning(section.line, section.name, "programs",
            "missing: the group gathers no program and has no effect");
  }
  std::set<std::string> listed;
  for (const auto& name : group.programs) {
    const std::string lower = to_lower(name);
    if (name.empty()) {
      error(programs->line, section.name, "programs", "a program name is empty (two commas?)");
    } else if (!listed.insert(lower).second) {
      error(programs->line, section.name, "programs", "program " + name + " is listed twice");
    } else if (const auto it = members_.find(lower); it != members_.end()) {
      error(programs->line, section.name, "programs",
            "program " + name + " is already in " + it->second.origin.what + " (" +
                where(it->second.origin) + "); a program belongs to one group");
    } else {
      members_.emplace(lower, Member{group.name, group.priority,
                                     Origin{file_, programs->line, "[" + section.name + "]"}});
    }
  }
  config_.groups.push_back(std::move(group));
}

// After every section is read: each listed program exists, and no group name is also the
// name of a program that forms a group of its own.
void Loader::check_groups() {
  for (const auto& group : config_.groups) {
    file_ = group.file;
    const std::string section = "group:" + group.name;
    for (const auto& name : group.programs) {
      const std::string lower = to_lower(name);
      if (name.empty() || program_lines_.count(lower) != 0 || fcgi_programs_.count(lower) != 0)
        continue;
      const auto member = members_.find(lower);
      if (member == members_.end() || member->second.group != group.name) continue;
      error(member->second.origin.line, section, "programs",
            "there is no [program:" + name + "] section");
    }
    const auto own = program_lines_.find(to_lower(group.name));
    if (own == program_lines_.end() || members_.count(own->first) != 0) continue;
    error(group.line, section, "",
          "the group name " + group.name + " is taken: " + own->second.what + " (" +
              where(own->second) + ") is in no [group:x], so it is a group of that name itself");
  }
}

}  // namespace sup::config::detail
