// $GETMSG, $PUTMSG, LIB$PUT_OUTPUT, LIB$GET_INPUT (spec 4.10).  Sources: HELP $GETMSG /
// $PUTMSG [V]; INGRES, VSIPY, CDCPP, GTM, MBU callers [C]; the texts [M] (msg_system.cpp).
#include <descrip.h>
#include <lib$routines.h>
#include <rmsdef.h>
#include <ssdef.h>
#include <starlet.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "kernel.hpp"
#include "msgtab.hpp"
#include "msgtext.hpp"
#include "text_util.hpp"

extern "C" void* _malloc32(std::size_t size);  // lib/mem32.cpp (no simulated header has it)

namespace {

using vmssim::rt::ServiceScope;

// The action routine as $PUTMSG calls it: the message's descriptor and actprm [V HELP].
using ActionRoutine = int (*)(struct dsc$descriptor_s*, unsigned long long);

// Facilities whose messages carry no FAO count in a message vector [V HELP $PUTMSG:
// system and RMS messages].
bool no_fao_count(std::uint32_t code) {
  unsigned facility = (code >> 16) & 0xFFFu;
  return facility == 0 || facility == 1;
}

}  // namespace

extern "C" int sys$getmsg(unsigned int msgid, unsigned short int* msglen, void* bufadr,
                          unsigned int flags, unsigned char outadr[4]) {
  ServiceScope scope;
  using vmssim::rt::addr32_ok;
  if (bufadr == nullptr || !addr32_ok(bufadr, 8)) return SS$_ACCVIO;
  if (msglen != nullptr && !addr32_ok(msglen, sizeof *msglen)) return SS$_ACCVIO;
  if (outadr != nullptr && !addr32_ok(outadr, 4)) return SS$_ACCVIO;
  std::string text;
  unsigned fao_count = 0;
  bool known = vmssim::msg::render(msgid, flags, text, &fao_count);
  bool ok = false;
  unsigned short len = 0;
  bool whole = vmssim::text::write(bufadr, text, &len, &ok);
  if (!ok) return SS$_ACCVIO;
  if (msglen) *msglen = len;
  if (outadr) {
    // byte 1: the FAO argument count; bytes 0, 2, 3: reserved, user value [V HELP].
    outadr[0] = 0;
    outadr[1] = static_cast<unsigned char>(fao_count);
    outadr[2] = 0;
    outadr[3] = 0;
  }
  if (!whole) return SS$_BUFFEROVF;
  return known ? SS$_NORMAL : SS$_MSGNOTFND;
}

extern "C" int sys$putmsg(void* msgvec, int (*actrtn)(__unknown_params), void* facnam,
                          unsigned __int64 actprm) {
  ServiceScope scope;
  using vmssim::rt::addr32_ok;
  if (msgvec == nullptr || !addr32_ok(msgvec, 4)) return SS$_ACCVIO;
  const auto* v = static_cast<const std::uint32_t*>(msgvec);
  unsigned count = v[0] & 0xFFFFu;
  unsigned default_flags = (v[0] >> 16) & 0xFu;
  if (default_flags == 0) default_flags = 0xF;
  if (!addr32_ok(v, 4u * (count + 1))) return SS$_ACCVIO;
  std::string facility;
  bool have_facility = false;
  if (facnam != nullptr) {
    bool ok = false;
    facility = vmssim::text::read(facnam, &ok);
    if (!ok) return SS$_ACCVIO;
    have_facility = true;
  }
  unsigned i = 1;
  bool first = true;
  while (i <= count) {
    std::uint32_t code = v[i++];
    unsigned flags = default_flags;
    unsigned nargs = 0;
    const char* ctl = vmssim::msg::control_text(code, &nargs);
    if (!no_fao_count(code)) {
      nargs = 0;
      if (i <= count) {
        std::uint32_t fc = v[i++];
        nargs = fc & 0xFFFFu;
        if ((fc >> 16) & 0xFu) flags = (fc >> 16) & 0xFu;
      }
    }
    if (nargs > count + 1 - i) nargs = count + 1 - i;
    const std::uint32_t* args = v + i;
    i += nargs;

    std::string prefix;
    vmssim::msg::render(code, flags & ~1u, prefix, nullptr,
                        first && have_facility ? facility.c_str() : nullptr);
    if (!first && !prefix.empty()) prefix[0] = '-';  // continuation lines [M standard]
    std::string line = prefix;
    if (flags & 1u) {
      std::string text;
      if (ctl != nullptr) {
        text = vmssim::msg::fao(ctl, args, nargs);
      } else {
        vmssim::msg::render(code, 1, text, nullptr);  // the NOMSG text
      }
      if (!line.empty()) line += ", ";
      line += text;
    }
    first = false;
    bool write = true;
    if (actrtn != nullptr) {
      // The line in 32-bit memory: the routine reads it through a descriptor (spec 5; a
      // heap address there is the poison page) [G].
      char* buf = static_cast<char*>(_malloc32(line.size() + 1));
      if (buf == nullptr) return SS$_INSFMEM;
      line.copy(buf, line.size());
      struct dsc$descriptor_s d = {static_cast<unsigned short>(line.size()), DSC$K_DTYPE_T,
                                   DSC$K_CLASS_S, buf};
      // The routine decides: a false (even) return suppresses the line [V HELP].
      write = (reinterpret_cast<ActionRoutine>(actrtn)(&d, actprm) & 1) != 0;
      std::free(buf);
    }
    if (write) vmssim::text::put_line(line, true);
  }
  return SS$_NORMAL;
}

extern "C" unsigned int lib$put_output(void* message_string) {
  ServiceScope scope;
  bool ok = false;
  std::string s = vmssim::text::read(message_string, &ok);
  if (!ok) return SS$_ACCVIO;
  vmssim::text::put_line(s, false);
  return SS$_NORMAL;
}

extern "C" unsigned int lib$get_input(void* resultant_string, void* prompt,
                                      unsigned short* length) {
  ServiceScope scope;
  if (length != nullptr && !vmssim::rt::addr32_ok(length, 2)) return SS$_ACCVIO;
  if (prompt != nullptr) {
    bool ok = false;
    std::string p = vmssim::text::read(prompt, &ok);
    if (!ok) return SS$_ACCVIO;
    std::fwrite(p.data(), 1, p.size(), stdout);
    std::fflush(stdout);
  }
  std::string line;
  int c;
  bool any = false;
  while ((c = std::getchar()) != EOF) {
    any = true;
    if (c == '\n') break;
    line += static_cast<char>(c);
  }
  if (!any) return RMS$_EOF;  // Ctrl/Z
  bool ok = false;
  vmssim::text::write(resultant_string, line, length, &ok);
  return ok ? SS$_NORMAL : SS$_ACCVIO;
}
