// The 32-bit address rule (spec section 5): _malloc32 & co from a low arena, the poison page
// behind the descriptor / ILE3 wrapper fields, addr32_ok, and the image layout that --wrap=main
// sets up before the program's main (stack, argv and envp below 2 GiB; the heap above 4 GiB),
// with a start-up self-test of each point.  All of it is [G]: a model of VSI clang C++ being
// LP64 with 32-bit descriptors [C MARIADB D4/D5; C VSIPY64 _strdup32].
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include "runtime_internal.hpp"

namespace vmssim::rt {
namespace detail {
namespace {

constexpr std::uintptr_t k2GiB = std::uintptr_t{1} << 31;
constexpr std::size_t kArenaSize = std::size_t{256} << 20;
constexpr unsigned kMinClass = 4;   // 16 bytes
constexpr unsigned kMaxClass = 28;  // the whole arena
constexpr std::uint32_t kMagic = 0x32A110C5;

}  // namespace

void* map_low(std::size_t size, int prot) {
  void* p =
      mmap(nullptr, size, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_32BIT, -1, 0);
  return p == MAP_FAILED ? nullptr : p;
}

namespace {

// The arena: blocks of 2^k payload bytes behind a 16-byte header, one free list per class,
// fresh blocks cut from the front.  Main-thread code and the receiver thread may both
// allocate, hence the mutex (never taken at AST level: allocation there is a bug, spec 3.3).
struct Header {
  std::uint32_t magic;
  std::uint32_t cls;
  std::uint64_t size;  // requested bytes, for _realloc32
};
static_assert(sizeof(Header) == 16, "the header keeps payloads 16-byte aligned");

std::mutex g_arena_mutex;
unsigned char* g_arena = nullptr;
std::size_t g_arena_used = 0;
void* g_free[kMaxClass + 1] = {};

bool arena_init_locked() {
  if (!g_arena) g_arena = static_cast<unsigned char*>(map_low(kArenaSize, PROT_READ | PROT_WRITE));
  return g_arena != nullptr;
}

bool in_arena(const void* p) {
  auto a = reinterpret_cast<std::uintptr_t>(p);
  auto base = reinterpret_cast<std::uintptr_t>(g_arena);
  return g_arena && a >= base && a < base + kArenaSize;
}

Header* header_of(void* p) {
  return static_cast<Header*>(p) - 1;
}

void* arena_alloc(std::size_t n) {
  unsigned cls = kMinClass;
  while (cls <= kMaxClass && (std::size_t{1} << cls) < n) ++cls;
  if (cls > kMaxClass) return nullptr;
  std::lock_guard<std::mutex> lock(g_arena_mutex);
  if (!arena_init_locked()) return nullptr;
  Header* h;
  if (g_free[cls]) {
    void* block = g_free[cls];
    std::memcpy(&g_free[cls], block, sizeof(void*));
    h = header_of(block);
  } else {
    std::size_t need = sizeof(Header) + (std::size_t{1} << cls);
    if (kArenaSize - g_arena_used < need) return nullptr;
    h = reinterpret_cast<Header*>(g_arena + g_arena_used);
    g_arena_used += need;
  }
  h->magic = kMagic;
  h->cls = cls;
  h->size = n;
  return h + 1;
}

void arena_free(void* p) {
  Header* h = header_of(p);
  if (h->magic != kMagic || h->cls < kMinClass || h->cls > kMaxClass) {
    log_line("free of a corrupt or double-freed _malloc32 block");
    std::abort();
  }
  std::lock_guard<std::mutex> lock(g_arena_mutex);
  h->magic = 0;
  std::memcpy(p, &g_free[h->cls], sizeof(void*));
  g_free[h->cls] = p;
}

// Set once the break is fenced and the low heap drained: from then on a free of a low glibc
// chunk leaks it, so that malloc keeps returning addresses at or above 4 GiB.
std::atomic<bool> g_heap_high{false};

// The poison page (PROT_NONE, below 2 GiB) whose address the wrapper fields store for a
// pointer they cannot hold.
std::uintptr_t poison_page() {
  static const std::uintptr_t page = [] {
    void* p = map_low(static_cast<std::size_t>(sysconf(_SC_PAGESIZE)), PROT_NONE);
    if (!p) {
      log_line("cannot map the poison page below 2 GiB");
      std::abort();
    }
    return reinterpret_cast<std::uintptr_t>(p);
  }();
  return page;
}

}  // namespace

// The arena's realloc, shared by _realloc32 and the wrapped realloc.
void* arena_realloc(void* p, std::size_t n, void (*free_other)(void*)) {
  if (!p) return arena_alloc(n);
  std::size_t old_size;
  if (in_arena(p)) {
    Header* h = header_of(p);
    if (n <= (std::size_t{1} << h->cls)) {
      h->size = n;
      return p;
    }
    old_size = h->size;
  } else {
    old_size = malloc_usable_size(p);
  }
  void* q = arena_alloc(n);
  if (!q) return nullptr;
  std::memcpy(q, p, old_size < n ? old_size : n);
  if (in_arena(p)) {
    arena_free(p);
  } else {
    free_other(p);
  }
  return q;
}

bool arena_owns(const void* p) {
  return in_arena(p);
}
void arena_release(void* p) {
  arena_free(p);
}
bool heap_high() {
  return g_heap_high.load(std::memory_order_relaxed);
}
void set_heap_high() {
  g_heap_high.store(true);
}

}  // namespace detail

bool addr32_ok(const void* addr, std::size_t len) {
  auto a = reinterpret_cast<std::uintptr_t>(addr);
  if (a >= detail::k2GiB || len > detail::k2GiB - a) return false;
  if (len == 0) return true;
  if (a == 0) return false;
  std::uintptr_t poison = detail::poison_page();
  auto page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
  return a + len <= poison || a >= poison + page;
}

}  // namespace vmssim::rt

using namespace vmssim::rt::detail;

extern "C" {

// The value a 4-byte descriptor / ILE3 address field stores for a pointer at or above
// 2 GiB: an address inside the PROT_NONE page, so services refuse it (ACCVIO) and a
// dereference faults (spec 5).
unsigned int vmssim_poison32(void) {
  return static_cast<unsigned int>(poison_page() + 16);
}

void* _malloc32(std::size_t n) {
  return arena_alloc(n);
}

void* _calloc32(std::size_t count, std::size_t size) {
  if (size != 0 && count > SIZE_MAX / size) return nullptr;
  void* p = arena_alloc(count * size);
  if (p) std::memset(p, 0, count * size);
  return p;
}

void* _realloc32(void* p, std::size_t n) {
  return arena_realloc(p, n, [](void* q) { free(q); });
}

char* _strdup32(const char* s) {
  std::size_t n = std::strlen(s) + 1;
  auto* p = static_cast<char*>(arena_alloc(n));
  if (p) std::memcpy(p, s, n);
  return p;
}

}  // extern "C"
