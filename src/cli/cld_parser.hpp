// Parser of Command Definition Utility (.CLD) files, the language of `SET COMMAND`, as
// real files use it: MODULE, IDENT, DEFINE VERB/SYNTAX/TYPE, PARAMETER, QUALIFIER,
// KEYWORD, VALUE(...), DISALLOW expressions, `!` comments, case-insensitive keywords,
// clauses separated by commas and/or newlines.  The grammar (Boost.Spirit X3) lives in
// cld_parser.cpp only.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "cli/cld_model.hpp"

namespace sup::cli::cld {

// A syntax or reference error in a .CLD file.  text() is "FILE:LINE:COLUMN: message".
struct CldError {
  std::string file;
  int line = 0;
  int column = 0;  // 0 when the error is about a whole clause (e.g. an undefined TYPE=)
  std::string message;
  std::string text() const;
};

// Either a model or the first error found.
struct [[nodiscard]] CldResult {
  std::optional<Model> model;
  std::optional<CldError> error;
  bool ok() const { return model.has_value(); }
};

// Parses and validates CLD text.  file_name only labels error messages.  Never throws on
// bad input: syntax errors, duplicate definitions and references to undefined syntaxes,
// types or entities (SYNTAX=, TYPE=, DISALLOW) come back as a CldError with the line.
CldResult parse_cld(std::string_view source, std::string_view file_name = "SUPERVISOR.CLD");

}  // namespace sup::cli::cld

namespace sup::cli {

// The project's own cld/SUPERVISOR.CLD, embedded by the build and parsed once (thread-safe
// static).  Should it not parse, the model is empty and supervisor_cld_error() says why;
// a test makes sure that never ships.
const cld::Model& supervisor_cld();

// The error of parsing the embedded CLD, or nullopt when it parsed.
const std::optional<cld::CldError>& supervisor_cld_error();

}  // namespace sup::cli
