// [include] files = ...: the other files a configuration reads, as supervisor 4.2.5 reads
// them (globs relative to the including file's directory, each glob's files in sorted
// order), with two differences: an included file may include others (a cycle is an
// error), and a file named without a wildcard must exist.
#include <algorithm>

#include "config/config_loader.hpp"
#include "config/config_paths.hpp"
#include "config/config_text.hpp"

namespace sup::config::detail {
namespace {

constexpr std::string_view kInclude = "include";

bool is_include_section(const RawSection& section) {
  return section.line != 0 && iequals(trim(section.name), kInclude);
}

// The patterns of a `files` value: separated by blanks (newlines too).
std::vector<std::string> split_blanks(std::string_view text) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && std::string_view(" \t\r\n").find(text[i]) != std::string_view::npos)
      ++i;
    std::size_t end = i;
    while (end < text.size() &&
           std::string_view(" \t\r\n").find(text[end]) == std::string_view::npos)
      ++end;
    if (end > i) out.emplace_back(text.substr(i, end - i));
    i = end;
  }
  return out;
}

// `pattern` made relative to `here`: a POSIX path joined to the directory; on OpenVMS a
// file specification without device or directory gets those of the including file.
std::string resolve(const std::string& pattern, const std::string& here, Flavor flavor) {
  if (flavor == Flavor::Vms) {
    if (pattern.find_first_of(":[<") != std::string::npos) return pattern;
    // "DISK$APP:[APP]" takes the name as it is; a POSIX directory (supervisord --check
    // --vms of a file on Linux) needs its slash.
    if (here.empty() || std::string_view("]>:").find(here.back()) != std::string_view::npos)
      return here + pattern;
    return here + "/" + pattern;
  }
  if (!pattern.empty() && pattern.front() == '/') return normalize_posix_path(pattern);
  return normalize_posix_path(here + "/" + pattern);
}

bool has_wildcard(const std::string& pattern, Flavor flavor) {
  return pattern.find_first_of(flavor == Flavor::Vms ? "*%" : "*?[") != std::string::npos;
}

}  // namespace

void Loader::collect(std::string_view text, const std::string& file,
                     std::vector<std::string>& chain) {
  file_order_.emplace(file, static_cast<int>(file_order_.size()));
  RawFile raw = read_ini(text, file);
  for (auto& d : raw.diagnostics) diagnostics_.push_back(std::move(d));
  const std::string here = here_;
  for (auto& section : raw.sections) {
    if (is_include_section(section)) {
      load_include(section, chain);
      continue;
    }
    sections_.push_back(Located{std::move(section), file, here});
  }
}

void Loader::load_include(const RawSection& section, std::vector<std::string>& chain) {
  const RawKey* files = nullptr;
  for (const auto& key : section.keys) {
    if (key.name != "files") {
      error(key.line, section.name, key.name, "unknown key; expected files");
    } else if (files != nullptr) {
      error(key.line, section.name, key.name,
            "given twice (first at line " + std::to_string(files->line) + ")");
    } else {
      files = &key;
    }
  }
  if (files == nullptr) {
    return error(section.line, section.name, "files",
                 "missing: list the files to include (wildcards allowed, relative to this "
                 "file's directory)");
  }
  if (files->broken) return;
  const auto value = expand(files->value, plain_context());
  if (!value.value) return error(files->line, section.name, "files", value.error);
  const auto patterns = split_blanks(*value.value);
  if (patterns.empty()) return error(files->line, section.name, "files", "expected a file name");
  for (const auto& pattern : patterns) include_pattern(pattern, files->line, chain);
}

void Loader::include_pattern(const std::string& pattern, int line,
                             std::vector<std::string>& chain) {
  const std::string full = resolve(pattern, here_, flavor_);
  if (!has_wildcard(full, flavor_)) return include_file(full, line, chain);
  if (!env_.glob) {
    return error(
        line, std::string(kInclude), "files",
        "cannot expand the wildcard in " + quoted(pattern) + " on this platform: name each file");
  }
  std::vector<std::string> matches = env_.glob(full);
  // supervisor warns too: an empty conf.d directory is a normal thing to have.
  if (matches.empty())
    return warning(line, std::string(kInclude), "files", "no file matches " + full);
  std::sort(matches.begin(), matches.end());
  for (const auto& match : matches) include_file(match, line, chain);
}

void Loader::include_file(const std::string& path, int line, std::vector<std::string>& chain) {
  const std::string section(kInclude);
  if (const auto loop = std::find(chain.begin(), chain.end(), path); loop != chain.end()) {
    std::string cycle;
    for (auto it = loop; it != chain.end(); ++it) cycle += *it + " -> ";
    return error(line, section, "files", "the files include each other: " + cycle + path);
  }
  if (const auto it = included_.find(path); it != included_.end()) {
    return error(line, section, "files", path + " is already included (" + where(it->second) + ")");
  }
  std::string why;
  const auto text = read_config_text(path, why);
  if (!text) return error(line, section, "files", "cannot read " + path + ": " + why);
  included_.emplace(path, Origin{file_, line, "[include]"});
  const std::string outer_file = file_, outer_here = here_;
  file_ = path;
  here_ = config_directory(path, env_.cwd, flavor_);
  chain.push_back(path);
  collect(*text, path, chain);
  chain.pop_back();
  file_ = outer_file;
  here_ = outer_here;
}

}  // namespace sup::config::detail
