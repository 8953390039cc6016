// Link-time wraps (--wrap=SYMBOL, set by vmssim_program() in ../CMakeLists.txt, which also
// pulls this object in with -u): the stdio entry points check --strict-ast (spec 3.3; a call
// from libstdc++'s iostreams is not seen unless it allocates), and under AddressSanitizer
// free / realloc send _malloc32 blocks back to the arena (without it runtime_strict.cpp
// replaces the allocator instead).  Only objects of the program itself are wrapped: the
// only ones that can hold arena blocks or run at AST level.
#include <stdarg.h>
#include <stdio.h>

#include <cstddef>

#include "runtime_internal.hpp"

#if defined(__SANITIZE_ADDRESS__)
#define VMSSIM_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VMSSIM_ASAN 1
#endif
#endif

using namespace vmssim::rt::detail;

extern "C" {

#ifdef VMSSIM_ASAN
void __real_free(void* p);
void* __real_realloc(void* p, std::size_t n);

void __wrap_free(void* p) {
  if (p && arena_owns(p)) {
    arena_release(p);
    return;
  }
  __real_free(p);
}

void* __wrap_realloc(void* p, std::size_t n) {
  if (p && arena_owns(p)) return arena_realloc(p, n, [](void* q) { __real_free(q); });
  return __real_realloc(p, n);
}
#endif

// stdio at AST level (--strict-ast); each forwards to the real function.
int __real_vprintf(const char* fmt, va_list ap);
int __real_vfprintf(FILE* f, const char* fmt, va_list ap);
int __real_puts(const char* s);
int __real_fputs(const char* s, FILE* f);
int __real_fputc(int c, FILE* f);
int __real_putc(int c, FILE* f);
int __real_putchar(int c);
std::size_t __real_fwrite(const void* p, std::size_t size, std::size_t n, FILE* f);
int __real_fflush(FILE* f);
void __real_perror(const char* s);
int __real___vfprintf_chk(FILE* f, int flag, const char* fmt, va_list ap);
int __real___vprintf_chk(int flag, const char* fmt, va_list ap);

int __wrap_printf(const char* fmt, ...) {
  strict_check("printf");
  va_list ap;
  va_start(ap, fmt);
  int r = __real_vprintf(fmt, ap);
  va_end(ap);
  return r;
}

int __wrap_fprintf(FILE* f, const char* fmt, ...) {
  strict_check("fprintf");
  va_list ap;
  va_start(ap, fmt);
  int r = __real_vfprintf(f, fmt, ap);
  va_end(ap);
  return r;
}

int __wrap_vprintf(const char* fmt, va_list ap) {
  strict_check("vprintf");
  return __real_vprintf(fmt, ap);
}

int __wrap_vfprintf(FILE* f, const char* fmt, va_list ap) {
  strict_check("vfprintf");
  return __real_vfprintf(f, fmt, ap);
}

int __wrap___printf_chk(int flag, const char* fmt, ...) {
  strict_check("printf");
  va_list ap;
  va_start(ap, fmt);
  int r = __real___vprintf_chk(flag, fmt, ap);
  va_end(ap);
  return r;
}

int __wrap___fprintf_chk(FILE* f, int flag, const char* fmt, ...) {
  strict_check("fprintf");
  va_list ap;
  va_start(ap, fmt);
  int r = __real___vfprintf_chk(f, flag, fmt, ap);
  va_end(ap);
  return r;
}

int __wrap___vprintf_chk(int flag, const char* fmt, va_list ap) {
  strict_check("vprintf");
  return __real___vprintf_chk(flag, fmt, ap);
}

int __wrap___vfprintf_chk(FILE* f, int flag, const char* fmt, va_list ap) {
  strict_check("vfprintf");
  return __real___vfprintf_chk(f, flag, fmt, ap);
}

int __wrap_puts(const char* s) {
  strict_check("puts");
  return __real_puts(s);
}

int __wrap_fputs(const char* s, FILE* f) {
  strict_check("fputs");
  return __real_fputs(s, f);
}

int __wrap_fputc(int c, FILE* f) {
  strict_check("fputc");
  return __real_fputc(c, f);
}

int __wrap_putc(int c, FILE* f) {
  strict_check("putc");
  return __real_putc(c, f);
}

int __wrap_putchar(int c) {
  strict_check("putchar");
  return __real_putchar(c);
}

std::size_t __wrap_fwrite(const void* p, std::size_t size, std::size_t n, FILE* f) {
  strict_check("fwrite");
  return __real_fwrite(p, size, n, f);
}

int __wrap_fflush(FILE* f) {
  strict_check("fflush");
  return __real_fflush(f);
}

void __wrap_perror(const char* s) {
  strict_check("perror");
  __real_perror(s);
}

}  // extern "C"
