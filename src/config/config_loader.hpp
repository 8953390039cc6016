// Turns the sections and keys of a file into a checked Config.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "config/config.hpp"
#include "config/config_expand.hpp"
#include "config/config_ini_reader.hpp"
#include "config/config_keys.hpp"

namespace sup::config::detail {

// One load: collects every diagnostic, and builds the Config when there is no error.
class Loader {
 public:
  Loader(std::string file, Flavor flavor, const Environment& env);

  // Checks the whole text; never stops at the first error.
  LoadResult run(std::string_view text);
  // Reads only what the client needs (see ClientSettings), with the same rules.
  ClientLoadResult run_client(std::string_view text);

 private:
  void load_section(const RawSection& section);
  void load_daemon(const RawSection& section);
  void load_program(const RawSection& section, std::string name);
  // Checks the process name of `program` (set at `line`) and that no other program has it.
  void check_process_name(const ProgramConfig& program, const std::string& section, int line);

  // Applies every key of `section` to `target`; returns the line of each key seen.
  template <class Target>
  std::map<std::string, int> apply_keys(const RawSection& section,
                                        const std::vector<KeySpec<Target>>& keys, Target& target,
                                        const std::string* program_name);
  template <class Target>
  void apply_key(const RawSection& section, const RawKey& key, const KeySpec<Target>& spec,
                 Target& target, const std::string* program_name);

  DaemonConfig default_daemon() const;
  ProgramConfig default_program(std::string name, int line) const;

  Diagnostic at(int line, std::string_view section, std::string_view key) const;
  void error(int line, std::string_view section, std::string_view key, std::string text);

  std::string file_;
  Flavor flavor_;
  const Environment& env_;
  Config config_;
  std::vector<Diagnostic> diagnostics_;
  int program_sections_ = 0;
  std::map<std::string, int> program_lines_;           // lower-case program name -> header line
  std::map<std::string, std::string> process_owners_;  // process name -> program name
};

}  // namespace sup::config::detail
