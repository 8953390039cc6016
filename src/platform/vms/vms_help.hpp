// HELP through LBR$OUTPUT_HELP, as OpenVMS programs give it (tests/vmssim/SPEC.md
// section 4.10): the library is a help library built by LIBRARY/HELP (SUPERVISOR.HLB
// from help/SUPERVISOR.HLP), lines go out through LIB$PUT_OUTPUT.
#pragma once

#include <cstdint>
#include <string>

namespace sup::vms {

// LBR$OUTPUT_HELP of `keys` (the topic words, blank-separated: "SUPERVISOR START") in
// `library` (a file specification: "SUPERVISOR_DIR:SUPERVISOR.HLB").  With `prompt` it
// prompts "Topic?" / "... Subtopic?" through LIB$GET_INPUT (HLP$M_PROMPT) until Return
// at the top or Ctrl/Z.  Returns LBR$OUTPUT_HELP's status: success also when the topic
// is missing (the library then says "Sorry, no documentation on ..."); RMS$_FNF when the
// library is missing; SS$_BADPARAM for a library name or keys longer than 255 bytes.
std::uint32_t output_help(const std::string& library, const std::string& keys, bool prompt);

}  // namespace sup::vms
