// Internal to the CLD parser: checks of a parsed model that the grammar cannot make, and
// a guard that keeps pathological input from recursing deeply in the grammar.
#pragma once

#include <optional>
#include <string_view>

#include "cli/cld_builder.hpp"
#include "cli/cld_model.hpp"

namespace sup::cli::cld::detail {

// The first semantic error of a model: duplicate definitions, entities or keywords;
// parameters not named P1, P2, ... in order; TYPE=, SYNTAX= or DISALLOW naming nothing
// defined (a DISALLOW entity is a parameter or qualifier name or label, a path of
// keywords below one, or a keyword's name or label on its own); IMAGE together with
// ROUTINE.  nullopt when the model is sound.
[[nodiscard]] std::optional<BuildError> validate(const Model& model);

// An error at the first byte outside the ASCII range that is not inside a quoted string
// or a comment (CLD names and keywords are ASCII; X3's character classes must not see
// other bytes).
[[nodiscard]] std::optional<BuildError> check_ascii(std::string_view source);

// An error at the first line whose first non-blank character is "#": C-preprocessor
// input (Info-ZIP's .CLD goes through CC/PREPROCESS_ONLY before SET COMMAND sees it),
// which CDU would reject.
[[nodiscard]] std::optional<BuildError> check_preprocessor(std::string_view source);

// An error when parentheses or NOT/NEG nest deeper than any real CLD needs (the grammar
// is recursive, so fuzzed input must not be able to exhaust the stack).
[[nodiscard]] std::optional<BuildError> check_nesting(std::string_view source);

}  // namespace sup::cli::cld::detail
