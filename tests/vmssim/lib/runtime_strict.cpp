// The allocator and stdio seams of the runtime:
//  - the heap rule of spec section 5: free / realloc send _malloc32 blocks back to the arena,
//    and once the image layout is set up a free of a low (pre-main) glibc chunk leaks it so
//    that malloc keeps returning addresses at or above 4 GiB;
//  - --strict-ast (VMSSIM_STRICT_AST=1, spec 3.3; ASTs only record and wake): allocation or stdio
//  at
//    AST level aborts.
// Without AddressSanitizer, malloc / calloc / realloc / free are replaced for the whole
// image (glibc supports replacing them, and forwards to its __libc_* entry points); with it,
// the sanitizer owns malloc, so free / realloc are wrapped at link time (--wrap, our own
// objects only: the only ones that hold arena blocks) and strict-ast uses the sanitizer's
// allocation hooks.  The link-time wraps (stdio, and free / realloc under the sanitizer) are
// in runtime_wrap.cpp, which only vmssim_program() links in.
#include <malloc.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "runtime_internal.hpp"

#if defined(__SANITIZE_ADDRESS__)
#define VMSSIM_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VMSSIM_ASAN 1
#endif
#endif

#ifdef VMSSIM_ASAN
#include <sanitizer/allocator_interface.h>
#endif

namespace vmssim::rt::detail {

void strict_check(const char* what) {
  if (!variants().strict_ast || !at_ast_level() || !on_main_thread()) return;
  log_line("strict-ast: ", what, " at AST level (ASTs only record and wake)");
  std::abort();
}

#ifdef VMSSIM_ASAN
namespace {
void on_malloc_hook(const volatile void*, std::size_t) {
  strict_check("allocation");
}
void on_free_hook(const volatile void*) {
  strict_check("free");
}
}  // namespace
void install_strict_hooks() {
  if (variants().strict_ast)
    __sanitizer_install_malloc_and_free_hooks(on_malloc_hook, on_free_hook);
}
#else
void install_strict_hooks() {}

namespace {
constexpr std::uintptr_t k4GiB = std::uintptr_t{1} << 32;
bool low_chunk(const void* p) {
  return reinterpret_cast<std::uintptr_t>(p) < k4GiB;
}
}  // namespace
#endif

}  // namespace vmssim::rt::detail

using namespace vmssim::rt::detail;

extern "C" {

#ifndef VMSSIM_ASAN
void* __libc_malloc(std::size_t n);
void* __libc_calloc(std::size_t count, std::size_t size);
void* __libc_realloc(void* p, std::size_t n);
void __libc_free(void* p);

void* malloc(std::size_t n) noexcept {
  strict_check("malloc");
  return __libc_malloc(n);
}

void* calloc(std::size_t count, std::size_t size) noexcept {
  strict_check("calloc");
  return __libc_calloc(count, size);
}

void free(void* p) noexcept {
  if (!p) return;
  strict_check("free");
  if (arena_owns(p)) {
    arena_release(p);
  } else if (!(heap_high() && low_chunk(p))) {
    __libc_free(p);
  }
}

void* realloc(void* p, std::size_t n) noexcept {
  strict_check("realloc");
  if (p && arena_owns(p)) return arena_realloc(p, n, [](void* q) { free(q); });
  if (p && heap_high() && low_chunk(p)) {
    // Moved out of the low heap: the old chunk is leaked, never returned to glibc's bins.
    void* q = __libc_malloc(n);
    if (!q) return nullptr;
    std::size_t old = malloc_usable_size(p);
    std::memcpy(q, p, old < n ? old : n);
    return q;
  }
  return __libc_realloc(p, n);
}
#endif

}  // extern "C"
