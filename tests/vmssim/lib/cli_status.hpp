// CLI$ statuses the simulator's command parser returns beyond climsgdef.h.  No
// trustworthy published value was found for these (look-alike headers have made-up ones,
// VMS-REFERENCE "Warning"), so they are simulator codes in the CLI facility with warning
// severity, as DCL's parse errors are [G]; DCL prints them as %DCL-W-<ident>.  They are
// deliberately not in climsgdef.h: the backend must not depend on their numbers.
#pragma once

#include <cstdint>

namespace vmssim::cli {

constexpr std::uint32_t kIvqual = 0x0003BF80;   // unrecognized qualifier
constexpr std::uint32_t kIvkeyw = 0x0003BF88;   // unrecognized keyword
constexpr std::uint32_t kMaxparm = 0x0003BF90;  // too many parameters
constexpr std::uint32_t kNotneg = 0x0003BF98;   // qualifier or keyword not negatable
constexpr std::uint32_t kOneval = 0x0003BFA0;   // list given where one value is allowed
constexpr std::uint32_t kAbverb = 0x0003BFA8;   // ambiguous verb
constexpr std::uint32_t kAbkeyw = 0x0003BFB0;   // ambiguous qualifier or keyword
constexpr std::uint32_t kNovalu = 0x0003BFB8;   // value given where none is allowed
constexpr std::uint32_t kIvvalu = 0x0003BFC0;   // invalid value (e.g. $NUMBER)

}  // namespace vmssim::cli
