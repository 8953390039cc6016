// A help session that behaves like OpenVMS HELP (LBR$OUTPUT_HELP with HLP$M_PROMPT),
// over line-oriented I/O so that tests can script it and each platform can plug in its
// terminal (LIB$PUT_OUTPUT / LIB$GET_INPUT, or stdout / libedit).
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "help/hlp_format.hpp"
#include "help/hlp_parser.hpp"

namespace sup::help {

// Receives one output line at a time, without its line terminator.
using LineSink = std::function<void(std::string_view line)>;
// Shows `prompt` (no newline) and returns the line typed, without its terminator;
// std::nullopt at end of input (Ctrl/Z, Ctrl-D).
using LineSource = std::function<std::optional<std::string>(std::string_view prompt)>;

struct SessionOptions {
  bool interactive = false;               // prompt "Topic?" / "... Subtopic?" after the request
  std::size_t width = kHelpDefaultWidth;  // width of the subtopic lists
};

// Whether the initial request found documentation.
enum class HelpOutcome { kFound, kNotFound };

class HelpSession {
 public:
  // `library` must outlive the session.  `in` is only called when interactive.
  HelpSession(const Library& library, LineSink out, LineSource in, SessionOptions options = {});

  // Displays the help for `keys` (relative to the library's root, e.g. {"SUPERVISOR",
  // "START"}; no keys lists the root topics).  Each key is split at blanks and "/" as a
  // typed line is (split_keys), and each word matches keys by case-insensitive prefix or
  // wildcard ("SEE" reaches "See Also"); every match is shown, duplicates included.  When
  // interactive, then prompts until RETURN at "Topic?" or end of input.  The outcome is that of
  // `keys` alone, so the caller can exit with SUP__NOHELP when nothing matched.
  HelpOutcome run(const std::vector<std::string>& keys);

 private:
  using Path = std::vector<const Topic*>;  // the keys shown, from level 1 down

  struct Resolution {
    std::vector<Path> matches;  // empty when not found
    bool recursive = false;     // "..." was given: show every subtopic too
    Path failed_at;             // where the lookup failed
    std::string failed_key;     // the key nothing matched
  };

  Resolution resolve(const Path& from, const std::vector<std::string>& keys) const;
  void show(const Resolution& r);
  void show_topic(const Path& path, bool recursive);
  void show_headers(const Path& path);
  void show_list(const Topic& topic, std::string_view heading);
  void show_not_found(const Resolution& r);
  Path level_after(const Resolution& r) const;
  void interact();
  std::string prompt() const;
  const Topic& node(const Path& path) const;
  void line(std::string_view text);
  void blank();

  const Library& library_;
  LineSink out_;
  LineSource in_;
  SessionOptions options_;
  Path level_;               // the level the next prompt is at
  Path printed_;             // the headers already shown by the current request
  bool last_blank_ = false;  // so that the first line shown is a blank one, as on VMS
};

}  // namespace sup::help
