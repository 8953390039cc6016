// The portable CLI$DCL_PARSE: parses a DCL command line against a CLD model with DCL's
// rules, into a ParsedCommand, or into the %CLI-W-... error DCL would print.
//
// Rules: case-insensitive; verbs, keywords and qualifiers abbreviate to any unique
// prefix; qualifiers go before or after parameters (PLACEMENT: global by default, local
// and positional ones attach to the parameter value they follow); /NOxxx only where
// negatable; "=" or ":" before a value; value lists in parentheses, parameter lists with
// commas; quoted strings keep case and "" is a quote; unquoted values are upcased, except
// $FILE values on POSIX, which keep case and run to the end of the word, slashes included
// (/CONFIGURATION=/etc/supervisord.conf); "!" starts a comment; $NUMBER accepts decimal,
// %X hex, %O octal and %D decimal; $QUOTED_STRING keeps the quotes of a quoted value;
// $REST_OF_LINE takes the rest of the line as typed; a keyword with SYNTAX= switches to
// that syntax (the whole line is then read again against it, so qualifiers of the new
// syntax may come before the keyword).  A required parameter that is missing is asked
// for through DclOptions::prompt with its PROMPT text, else it is %CLI-W-INSFPRM.
// In DISALLOW, an entity present by DEFAULT counts as present.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/cld_model.hpp"
#include "cli/parsed_command.hpp"

namespace sup::cli {

// A DCL error: the CLI message ident ("IVQUAL"), its text, and the offending word, which
// DCL shows upper case between backslashes on a second line.  The client prints
// message() and exits with status 2 (bad usage).
struct CliError {
  std::string ident;
  std::string text;
  std::string word;
  // "%CLI-W-IVQUAL, unrecognized qualifier - check validity, spelling, and placement"
  // followed by "\n \PROG\" when there is a word.
  std::string message() const;
};

// The CLI error of `ident` ("IVQUAL", "INSFPRM", ...) with DCL's text for it.
CliError make_cli_error(std::string_view ident, std::string word = {});

// Asked for a missing required parameter with its PROMPT text ("Action"); returns the
// answer, or nullopt to give up (end of file, Ctrl/Z).  An empty answer asks again.
using PromptFn = std::function<std::optional<std::string>(std::string_view prompt_text)>;

struct DclOptions {
  PromptFn prompt;  // unset: a missing required parameter is %CLI-W-INSFPRM
  // $FILE values keep case and may contain "/" (POSIX paths).  False gives DCL's own
  // behaviour (upcased, "/" starts a qualifier), as on OpenVMS.
  bool posix_file_values = true;
};

// Either the parsed command or the error.
struct [[nodiscard]] DclResult {
  std::optional<ParsedCommand> command;
  std::optional<CliError> error;
  bool ok() const { return command.has_value(); }
};

// Parses a whole command line that starts with the verb ("SUPERVISOR STATUS /ALL").
DclResult parse_dcl_command(const cld::Model& model, std::string_view line,
                            const DclOptions& options = {});

// Parses what follows the verb `verb` (an exact verb name of the model), e.g. a line typed
// at the SUPERVISOR> prompt.
DclResult parse_dcl_verb(const cld::Model& model, std::string_view verb, std::string_view rest,
                         const DclOptions& options = {});

// Parses words the POSIX shell already split (argv after the program name), joined with
// join_argv().
DclResult parse_dcl_argv(const cld::Model& model, std::string_view verb,
                         const std::vector<std::string>& args, const DclOptions& options = {});

// Joins argv words with spaces.  A word holding white space or "!" (which the shell
// quoted) is quoted again for DCL, inner quotes doubled; for "/QUAL=value" words only the
// value is quoted.
std::string join_argv(const std::vector<std::string>& args);

// A $NUMBER value: [+|-] then decimal digits, or %X hex, %O octal, %D decimal digits,
// within 32 bits.  nullopt when invalid.
[[nodiscard]] std::optional<long long> parse_dcl_number(std::string_view text);

}  // namespace sup::cli
