// LBR$OUTPUT_HELP (vms_help.hpp).  The routines are LIB$PUT_OUTPUT and LIB$GET_INPUT
// themselves, as HELP's usual callers pass them; the width and flags are by reference,
// on the stack (32-bit addresses, vms_sys.hpp's rule).
#include "platform/vms/vms_help.hpp"

#include "platform/vms/vms_sys.hpp"

#include <hlpdef.h>

#include <lbr$routines.h>
#include <lib$routines.h>

namespace sup::vms {
namespace {

using HelpRoutine = int (*)(__unknown_params);

// A LIB$ routine as LBR$OUTPUT_HELP's routine argument (through void (*)(void), the
// function type that converts to any other without a warning).
template <class F>
HelpRoutine as_routine(F* routine) {
  return reinterpret_cast<HelpRoutine>(reinterpret_cast<void (*)(void)>(routine));
}

}  // namespace

std::uint32_t output_help(const std::string& library, const std::string& keys, bool prompt) {
  Text32 lib(library);
  Text32 line(keys);
  if (!lib.fits() || !line.fits()) return SS$_BADPARAM;
  unsigned int width = 0;  // 0: the default, 80 columns
  unsigned int flags = prompt ? HLP$M_PROMPT : 0u;
  return lbr$output_help(as_routine(lib$put_output), &width, line.get(), lib.get(), &flags,
                         prompt ? as_routine(lib$get_input) : nullptr);
}

}  // namespace sup::vms
