// CLI$PRESENT / CLI$GET_VALUE (vms_cli.hpp).  Descriptors on the stack: 32-bit addresses
// (doc/vms_facts.md; vms_sys.hpp's rule).
#include "platform/vms/vms_cli.hpp"

#include "platform/vms/vms_sys.hpp"

#include <climsgdef.h>

#include <cli$routines.h>

namespace sup::vms {
namespace {

// The longest value read: a DCL command is at most 1024 characters with continuations
// (doc/vms_facts.md section 12), so one value is shorter still; the margin is for DCL
// versions with longer command lines.
constexpr unsigned short kValueCapacity = 4096;

}  // namespace

std::optional<CliPresence> cli_present(const std::string& entity, std::uint32_t& status) {
  Text32 name(entity);
  if (!name.fits()) {
    status = SS$_BADPARAM;
    return std::nullopt;
  }
  status = cli$present(name.get());
  switch (status) {
    case CLI$_PRESENT:
      return CliPresence::Present;
    case CLI$_NEGATED:
      return CliPresence::Negated;
    case CLI$_LOCPRES:
      return CliPresence::LocalPresent;
    case CLI$_LOCNEG:
      return CliPresence::LocalNegated;
    case CLI$_DEFAULTED:
      return CliPresence::Defaulted;
    case CLI$_ABSENT:
      return CliPresence::Absent;
    default:
      return std::nullopt;
  }
}

std::uint32_t cli_get_value(const std::string& entity, std::string& value, CliMore& more) {
  Text32 name(entity);
  if (!name.fits()) return SS$_BADPARAM;
  char buf[kValueCapacity];
  struct dsc$descriptor_s d;
  d.dsc$w_length = kValueCapacity;
  d.dsc$b_dtype = DSC$K_DTYPE_T;
  d.dsc$b_class = DSC$K_CLASS_S;
  d.dsc$a_pointer = buf;
  unsigned short len = 0;
  const std::uint32_t status = cli$get_value(name.get(), &d, &len);
  value.clear();
  switch (status) {
    case CLI$_ABSENT:
      more = CliMore::Absent;
      return SS$_NORMAL;
    case CLI$_COMMA:
      more = CliMore::Comma;
      break;
    case CLI$_CONCAT:
      more = CliMore::Concat;
      break;
    default:
      if (!ok(status)) return status;
      more = CliMore::Last;
  }
  if (len >= kValueCapacity) return SS$_IVBUFLEN;  // filled: maybe cut
  value.assign(buf, len);
  return SS$_NORMAL;
}

bool no_cli(std::uint32_t status) {
  return status == CLI$_INVREQTYP;
}

std::uint32_t missing_parameters_status() {
  return CLI$_INSFPRM;
}

}  // namespace sup::vms
