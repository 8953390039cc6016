// The registry of message tables (vmssim.h): compiled .MSG objects register from static
// initializers, before main, so the registry is a fixed array (no allocation, no static
// initialization order question: it is constant-initialized) [G].
#include <cstdio>
#include <cstdlib>

#include "msgtab.hpp"

namespace {

constexpr int kMaxTables = 64;
const vmssim_message_table* g_tables[kMaxTables];
int g_count = 0;

}  // namespace

extern "C" void vmssim_register_messages(const vmssim_message_table* table) {
  if (table == nullptr) return;
  for (int i = 0; i < g_count; ++i) {
    if (g_tables[i] == table) return;  // registered twice (two objects): once is enough
  }
  if (g_count == kMaxTables) {
    // More facilities than any test uses: a simulator limit, never a silent drop.
    std::fprintf(stderr, "vmssim: UNIMPLEMENTED: more than %d message tables\n", kMaxTables);
    std::abort();
  }
  g_tables[g_count++] = table;
}

namespace vmssim::msg {

const vmssim_message* find(unsigned int code, const vmssim_message_table** table) {
  // Bits 3-27 (STS$M_COND_ID) identify a message; the severity and control bits do not.
  register_builtin();
  const unsigned int id = code & 0x0FFFFFF8u;
  // Condition value 0 is not SS$_NORMAL with another severity: OpenVMS shows it as
  // %NONAME-W-NOMSG, Message number 00000000 (e.g. after $ EXIT 0) [M].
  if (id == 0 && (code & 7u) != 1u) return nullptr;
  for (int t = 0; t < g_count; ++t) {
    const vmssim_message_table* tab = g_tables[t];
    for (unsigned int i = 0; i < tab->count; ++i) {
      if ((tab->messages[i].code & 0x0FFFFFF8u) == id) {
        if (table != nullptr) *table = tab;
        return &tab->messages[i];
      }
    }
  }
  return nullptr;
}

}  // namespace vmssim::msg
