// A stand-in for the runtime (lib/runtime*.cpp, lib/mem32.cpp) for vmssim_text_tests only,
// so that the text services can be tested before and apart from the runtime: a
// ServiceScope that does nothing (no ASTs exist in these tests), the section 5 address
// check (below 2 GiB, not the poison page), vmssim_poison32 and a _malloc32 from a
// MAP_32BIT region.  Never linked into vmssim_client or a simulated process.
#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "kernel.hpp"

namespace {

unsigned char* g_low = nullptr;
std::size_t g_used = 0;
constexpr std::size_t kLowSize = 16u << 20;

unsigned char* low_region() {
  if (g_low == nullptr) {
    void* p = mmap(nullptr, kLowSize, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
    if (p == MAP_FAILED) std::abort();
    g_low = static_cast<unsigned char*>(p);
    // The first page stands for the poison page: never handed out, refused by addr32_ok.
    mprotect(g_low, 4096, PROT_NONE);
    g_used = 4096;
  }
  return g_low;
}

}  // namespace

namespace vmssim::rt {

ServiceScope::ServiceScope() {}
ServiceScope::~ServiceScope() {}

bool addr32_ok(const void* addr, std::size_t len) {
  auto a = reinterpret_cast<std::uintptr_t>(addr);
  auto poison = reinterpret_cast<std::uintptr_t>(low_region());
  if (a == 0 || a + len > 0x80000000u) return false;
  return !(a < poison + 4096 && a + len > poison);
}

}  // namespace vmssim::rt

extern "C" unsigned int vmssim_poison32(void) {
  return static_cast<unsigned int>(reinterpret_cast<std::uintptr_t>(low_region()));
}

// Bump allocation: the tests allocate little and never need it back.
extern "C" void* _malloc32(std::size_t size) {
  unsigned char* base = low_region();
  std::size_t n = (size + 15) & ~static_cast<std::size_t>(15);
  if (g_used + n > kLowSize) return nullptr;
  void* p = base + g_used;
  g_used += n;
  return p;
}

// text_util frees a class D string's old text with free(): memory from this double is not
// malloc's, so the tests' free must ignore it.  The tests link this wrapper with
// --wrap=free (the runtime wraps free the same way for its arena).
extern "C" void __real_free(void*);
extern "C" void __wrap_free(void* p) {
  auto a = reinterpret_cast<std::uintptr_t>(p);
  auto base = reinterpret_cast<std::uintptr_t>(g_low);
  if (g_low != nullptr && a >= base && a < base + kLowSize) return;
  __real_free(p);
}
