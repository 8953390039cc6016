// Turns the sections and keys of a file (and of the files it includes) into a checked
// Config.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "config/config_expand.hpp"
#include "config/config_ini_reader.hpp"
#include "config/config_keys.hpp"

namespace sup::config::detail {

// Where a name was given: a file, a line, and what gave it ("[program:web]").
struct Origin {
  std::string file;
  int line = 0;
  std::string what;
};

// One load: collects every diagnostic, and builds the Config when there is no error.
class Loader {
 public:
  Loader(std::string file, Flavor flavor, const Environment& env);

  // Checks the whole text; never stops at the first error.
  LoadResult run(std::string_view text);
  // Reads only what the client needs (see ClientSettings), with the same rules.
  ClientLoadResult run_client(std::string_view text);

 private:
  // A section with the file it was read from and that file's %(here)s.
  struct Located {
    RawSection section;
    std::string file, here;
  };
  // The [group:x] that lists a program.
  struct Member {
    std::string group;
    int priority = 999;
    Origin origin;  // the group's `programs` key
  };
  // What numprocs and numprocs_start make of a [program:x] section.
  struct Instances {
    int count = 1, start = 0;
  };

  // config_include.cpp: reading the main file and, through [include], the others.
  void collect(std::string_view text, const std::string& file, std::vector<std::string>& chain);
  void load_include(const RawSection& section, std::vector<std::string>& chain);
  void include_pattern(const std::string& pattern, int line, std::vector<std::string>& chain);
  void include_file(const std::string& path, int line, std::vector<std::string>& chain);

  // config_groups.cpp: [group:x] sections and the groups' checks.
  void load_group(const RawSection& section);
  void check_groups();

  // config_instances.cpp: a [program:x] section's numprocs instances.
  Instances read_instances(const RawSection& section, const std::string& name,
                           const std::string& group);
  void add_instance(ProgramConfig program, const std::string& section,
                    const std::map<std::string, int>& seen);
  // Drops the diagnostics from `mark` on that an earlier instance already gave.
  void drop_repeats(std::size_t mark, std::set<std::string>& said);

  // config_inert_sections.cpp: sections accepted and checked, without effect yet.
  bool load_inert(const RawSection& section);

  void load_section(const RawSection& section);
  void load_daemon(const RawSection& section);
  void load_program(const RawSection& section, std::string name);
  // Checks the process name of `program` (set at `line`) and that no other program has it.
  void check_process_name(const ProgramConfig& program, const std::string& section, int line);

  // Applies every key of `section` to `target`, but those in `handled` (read elsewhere);
  // returns the line of each key seen.  `base` gives the expansions of a [program:x].
  template <class Target>
  std::map<std::string, int> apply_keys(const RawSection& section,
                                        const std::vector<KeySpec<Target>>& keys, Target& target,
                                        const ExpandContext* base,
                                        const std::set<std::string>& handled = {});
  template <class Target>
  void apply_key(const RawSection& section, const RawKey& key, const KeySpec<Target>& spec,
                 Target& target, const ExpandContext* base);

  // The expansions of keys outside a [program:x]: %(here)s, %(ENV_X)s, %(host_node_name)s.
  ExpandContext plain_context() const;
  // "line 12" in the file being read, else "other.conf:12".
  std::string where(const Origin& origin) const;

  DaemonConfig default_daemon() const;
  ProgramConfig default_program(std::string name, int line) const;

  Diagnostic at(int line, std::string_view section, std::string_view key) const;
  void error(int line, std::string_view section, std::string_view key, std::string text);
  void warning(int line, std::string_view section, std::string_view key, std::string text);

  std::string file_;  // the file being read: diagnostics name it
  std::string here_;  // its directory: %(here)s
  Flavor flavor_;
  const Environment& env_;
  Config config_;
  std::vector<Diagnostic> diagnostics_;
  std::vector<Located> sections_;           // of every file, in reading order
  std::map<std::string, int> file_order_;   // file -> its rank in reading order
  std::map<std::string, Origin> included_;  // file read -> the [include] that read it
  int program_sections_ = 0;
  std::map<std::string, Origin> program_lines_;        // lower-case program name -> section
  std::map<std::string, Origin> names_;                // lower-case instance name -> origin
  std::map<std::string, std::string> process_owners_;  // process name -> program name
  std::map<std::string, Member> members_;              // lower-case program name -> its group
  std::map<std::string, Origin> groups_;               // lower-case group name -> section
  std::set<std::string> fcgi_programs_;                // lower-case [fcgi-program:x] names
};

// The text of the configuration file at `path`; nullopt with the reason in `why`.
std::optional<std::string> read_config_text(const std::string& path, std::string& why);

}  // namespace sup::config::detail
