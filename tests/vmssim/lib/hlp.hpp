// The simulator's own help library interpreter (.HLP source, which the simulated .HLB maps
// to), for LBR$OUTPUT_HELP (spec 4.10).  Independent of the project's src/help.  Sources:
// VMS-REFERENCE 8 [V MBU, VERB, helpgate renderings; URM73 prompting]; layout details [M].
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace vmssim::hlp {

struct Topic {
  std::string key;  // as written ("SUPERVISOR", "/WAIT")
  int level = 0;    // 1-9; a /NAME key is one below its numbered key
  std::vector<std::string> text;
  std::vector<Topic> subtopics;
};

// Parses .HLP text into its level-1 topics; false with `error` ("line N: ...") when a key
// skips a level.  Lines with `!` in column 1 are comments [M].
bool parse(const std::string& text, std::vector<Topic>& out, std::string& error);

// Keys from a HELP line: separated by blanks, and a '/' starts a new key (COPY/CONFIRM).
std::vector<std::string> split_keys(const std::string& line);

// Does `key` (case-blind) match `pattern`: a leading abbreviation, or with * and %
// wildcards the whole key?
bool matches(const std::string& key, const std::string& pattern);

// The HELP output of `keys` over `topics`, line by line through `out` (false stops: the
// output routine failed).  `width` lays the subtopic names out in columns.  Returns the
// topics reached by the whole key list (several when abbreviations or wildcards match
// several), for the prompting that follows; empty when a key matched nothing ("Sorry, no
// documentation on ..." was written).
struct Output {
  std::function<bool(const std::string&)> line;
  int width = 80;
};
std::vector<const Topic*> show(const std::vector<Topic>& topics,
                               const std::vector<std::string>& keys, const Output& out,
                               bool* stopped);

// "  Additional information available:" and the names of `subtopics` in columns.
bool list(const std::vector<Topic>& subtopics, const char* heading, const Output& out);

}  // namespace vmssim::hlp
