// Helpers shared by MBX's services (svc_mailbox.cpp, svc_lnm.cpp): reading descriptors and
// item lists under the address rules of spec section 5, and the efn rules of spec 3.7.
// Nothing here allocates (services may be called from ASTs).
#pragma once

#include <descrip.h>
#include <iledef.h>
#include <ssdef.h>

#include <cstdint>
#include <cstdio>
#include <string_view>

#include "kernel.hpp"

namespace vmssim::svc {

// Reads a string descriptor.  `by_reference_checked` is false for services whose argument
// is "by 32- or 64-bit reference" (the $TRNLNM family): the descriptor's own address is then
// only required to be non-null; the text's 32-bit address is always checked (spec 5).
// Returns SS$_NORMAL or SS$_ACCVIO.
inline int read_desc(const void* d, bool by_reference_checked, std::string_view* out) {
  if (d == nullptr) return SS$_ACCVIO;
  if (by_reference_checked && !rt::addr32_ok(d, sizeof(struct dsc$descriptor))) return SS$_ACCVIO;
  const auto* desc = static_cast<const struct dsc$descriptor*>(d);
  const unsigned raw = desc->dsc$a_pointer.raw();
  const std::size_t len = desc->dsc$w_length;
  const void* text = reinterpret_cast<const void*>(static_cast<std::uintptr_t>(raw));
  if (len != 0 && !rt::addr32_ok(text, len)) return SS$_ACCVIO;
  *out = std::string_view(static_cast<const char*>(text), len);
  return SS$_NORMAL;
}

// The buffer and return-length addresses of one ILE3 entry, checked (spec 5).
inline bool ile3_ok(const ILE3& e, bool writes) {
  (void)writes;
  const void* buf =
      reinterpret_cast<const void*>(static_cast<std::uintptr_t>(e.ile3$ps_bufaddr.raw()));
  const void* ret =
      reinterpret_cast<const void*>(static_cast<std::uintptr_t>(e.ile3$ps_retlen_addr.raw()));
  if (e.ile3$w_length != 0 && !rt::addr32_ok(buf, e.ile3$w_length)) return false;
  if (e.ile3$ps_retlen_addr.raw() != 0 && !rt::addr32_ok(ret, sizeof(unsigned short))) return false;
  return true;
}

inline void* ile3_buf(const ILE3& e) {
  return reinterpret_cast<void*>(static_cast<std::uintptr_t>(e.ile3$ps_bufaddr.raw()));
}
inline unsigned short* ile3_retlen(const ILE3& e) {
  return reinterpret_cast<unsigned short*>(
      static_cast<std::uintptr_t>(e.ile3$ps_retlen_addr.raw()));
}

// Efn rules (spec 3.7): 0-63 local, 64-127 UNASEFC (no common clusters), 128 EFN$C_ENF,
// others ILLEFC.  SS$_NORMAL when usable.
inline int check_efn(unsigned efn) {
  if (efn < 64 || efn == 128) return SS$_NORMAL;
  if (efn < 128) return SS$_UNASEFC;
  return SS$_ILLEFC;
}

// Spec 1.4: an unimplemented item or flag is logged and refused with SS$_BADPARAM.
inline int unimplemented(const char* service, const char* what, unsigned value) {
  std::fprintf(stderr, "vmssim: UNIMPLEMENTED %s %s %u\n", service, what, value);
  return SS$_BADPARAM;
}

}  // namespace vmssim::svc
