// The image layout of spec section 5 [G], set up by __wrap_main (the program is linked with
// --wrap=main by vmssim_program()) before the program's own main runs:
//  - statics below 2 GiB: the non-PIE link (checked here);
//  - the stack, argv and envp moved into a MAP_32BIT region (8 MiB plus a guard page), so
//    that ASTs, which run on the main thread's stack, are there too;
//  - the heap above 4 GiB: a PROT_NONE page at the program break makes brk fail, so glibc
//    falls back to mmap; the low free chunks left are allocated and leaked (and frees of low
//    chunks leak them, runtime_strict.cpp).  Under AddressSanitizer its allocator is above
//    4 GiB anyway.
// Each point is checked by a start-up self-test; a failure aborts with the point's name.
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

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
#include <sanitizer/common_interface_defs.h>
#endif

extern "C" int __real_main(int argc, char** argv, char** envp);
extern "C" void* _malloc32(std::size_t n);
extern "C" unsigned int vmssim_poison32(void);
extern "C" char** environ;
#ifndef VMSSIM_ASAN
extern "C" void* __libc_malloc(std::size_t n);
extern "C" void __libc_free(void* p);
#endif

namespace vmssim::rt::detail {
namespace {

constexpr std::uintptr_t k2GiB = std::uintptr_t{1} << 31;
constexpr std::uintptr_t k4GiB = std::uintptr_t{1} << 32;
constexpr std::size_t kStackSize = std::size_t{8} << 20;

int g_argc;
char** g_argv;
char** g_envp;
ucontext_t g_old_context;
ucontext_t g_new_context;
int g_static_probe;  // a static, to check the non-PIE link

bool low(const void* p) {
  return reinterpret_cast<std::uintptr_t>(p) < k2GiB;
}
bool high(const void* p) {
  return reinterpret_cast<std::uintptr_t>(p) >= k4GiB;
}

[[noreturn]] void fail(const char* what) {
  log_line("image layout self-test failed: ", what, " (spec 5; link with vmssim_program())");
  std::abort();
}

// Copies a null-terminated vector of strings, and the strings, below 2 GiB.
char** copy_vector_low(char** v) {
  std::size_t n = 0, bytes = 0;
  for (; v[n]; ++n) bytes += std::strlen(v[n]) + 1;
  auto* block =
      static_cast<char*>(map_low((n + 1) * sizeof(char*) + bytes + 1, PROT_READ | PROT_WRITE));
  if (!block) fail("cannot map argv / envp below 2 GiB");
  auto** out = reinterpret_cast<char**>(block);
  char* text = block + (n + 1) * sizeof(char*);
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t len = std::strlen(v[i]) + 1;
    std::memcpy(text, v[i], len);
    out[i] = text;
    text += len;
  }
  out[n] = nullptr;
  return out;
}

#ifndef VMSSIM_ASAN
// Allocates (and leaks) glibc's free chunks below 4 GiB, from the largest size below the mmap
// threshold down to the smallest class, so that later requests come from the mmap'd heap.
void drain_low_heap() {
  auto drain = [](std::size_t size) {
    for (int i = 0; i < 1 << 20; ++i) {
      void* p = __libc_malloc(size);
      if (!p) return;
      if (high(p)) {
        __libc_free(p);
        return;
      }
    }
  };
  for (std::size_t size = 64 * 1024; size >= 1024; size /= 2) drain(size);
  for (long size = 1032; size >= 8; size -= 16) drain(static_cast<std::size_t>(size));
}
#endif

void fence_heap() {
#ifndef VMSSIM_ASAN
  auto page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
  auto brk_now = reinterpret_cast<std::uintptr_t>(sbrk(0));
  std::uintptr_t at = (brk_now + page - 1) & ~(page - 1);
  void* guard = mmap(reinterpret_cast<void*>(at), page, PROT_NONE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  if (guard == MAP_FAILED) fail("cannot fence the program break");
  drain_low_heap();
  set_heap_high();
#endif
}

void self_test(const void* stack_probe) {
  if (!low(&g_static_probe)) fail("statics below 2 GiB (non-PIE link)");
  if (!low(stack_probe)) fail("stack below 2 GiB");
  if (!low(g_argv) || (g_argc > 0 && !low(g_argv[0]))) fail("argv below 2 GiB");
  if (!low(environ) || (environ[0] && !low(environ[0]))) fail("envp below 2 GiB");
  void* small = std::malloc(16);
  char* big = new char[1 << 20];
  bool heap_ok = high(small) && high(big);
  std::free(small);
  delete[] big;
  if (!heap_ok) fail("malloc and new at or above 4 GiB");
  void* p32 = _malloc32(40);
  if (!p32 || !low(p32)) fail("_malloc32 below 2 GiB");
  std::free(p32);
  if (!low(reinterpret_cast<void*>(static_cast<std::uintptr_t>(vmssim_poison32()))))
    fail("poison page below 2 GiB");
}

void trampoline() {
#ifdef VMSSIM_ASAN
  __sanitizer_finish_switch_fiber(nullptr, nullptr, nullptr);
#endif
  int stack_probe = 0;
  self_test(&stack_probe);
  std::exit(__real_main(g_argc, g_argv, g_envp));
}

}  // namespace
}  // namespace vmssim::rt::detail

char** vmssim::rt::main_argv() {
  return vmssim::rt::detail::g_argv;
}

extern "C" int __wrap_main(int argc, char** argv, char** envp) {
  using namespace vmssim::rt::detail;
  vmssim::rt::init();
  fence_heap();
  g_argc = argc;
  g_argv = copy_vector_low(argv);
  g_envp = copy_vector_low(envp);
  environ = g_envp;
  auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  auto* stack = static_cast<unsigned char*>(map_low(kStackSize + page, PROT_READ | PROT_WRITE));
  if (!stack || mprotect(stack, page, PROT_NONE) != 0) fail("cannot map the stack below 2 GiB");
  getcontext(&g_new_context);
  g_new_context.uc_stack.ss_sp = stack + page;
  g_new_context.uc_stack.ss_size = kStackSize;
  g_new_context.uc_link = nullptr;
  makecontext(&g_new_context, trampoline, 0);
#ifdef VMSSIM_ASAN
  // The old stack is never returned to: its fake stack goes (null save).
  __sanitizer_start_switch_fiber(nullptr, stack + page, kStackSize);
#endif
  swapcontext(&g_old_context, &g_new_context);
  fail("returned to the original stack");
}
