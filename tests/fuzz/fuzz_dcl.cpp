// libFuzzer target: the DCL line parser must never crash, whatever the line, against the
// project's CLD and a CLD using local placement and keyword values; the parsed command
// is then queried like CLI$PRESENT / CLI$GET_VALUE would be.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "cli/cld_parser.hpp"
#include "cli/dcl_parser.hpp"

namespace {

constexpr const char* kTestCld = R"(
DEFINE VERB PRINT
    PARAMETER P1, LABEL=FILES, PROMPT="File", VALUE(REQUIRED, LIST, TYPE=$FILE)
    QUALIFIER COPIES, PLACEMENT=POSITIONAL, VALUE(REQUIRED, TYPE=$NUMBER)
    QUALIFIER FLAG, PLACEMENT=LOCAL
    QUALIFIER PRIORITY, VALUE(LIST, TYPE=LEVELS)
DEFINE VERB CHECK
    QUALIFIER A
    QUALIFIER B
    QUALIFIER D, DEFAULT
    QUALIFIER E, VALUE(TYPE=LEVELS)
    DISALLOW ANY2(A, B, E) OR NEG D AND NOT E OR (A AND E.HIGH)
DEFINE TYPE LEVELS
    KEYWORD LOW
    KEYWORD HIGH, NEGATABLE
    KEYWORD LEVEL, VALUE(REQUIRED, TYPE=LEVELS)
)";

void query(sup::cli::ParsedCommand& command) {
  for (const auto& name : command.entity_names()) {
    (void)command.present(name);
    for (int i = 0; i < 64 && command.get_value(name).more(); ++i) {
      for (const auto& other : command.entity_names()) (void)command.present(other);
    }
  }
}

void parse(const sup::cli::cld::Model& model, std::string_view line) {
  sup::cli::DclOptions options;
  int asked = 0;
  options.prompt = [&](std::string_view) -> std::optional<std::string> {
    return ++asked < 3 ? std::optional<std::string>("x /all") : std::nullopt;
  };
  for (bool posix : {true, false}) {
    options.posix_file_values = posix;
    auto result = sup::cli::parse_dcl_command(model, line, options);
    if (result.command) query(*result.command);
    if (result.error) (void)result.error->message();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto test_model = *sup::cli::cld::parse_cld(kTestCld).model;
  std::string_view line(reinterpret_cast<const char*>(data), size);
  parse(sup::cli::supervisor_cld(), line);
  parse(test_model, line);
  (void)sup::cli::parse_dcl_verb(sup::cli::supervisor_cld(), "SUPERVISOR", line);
  return 0;
}
