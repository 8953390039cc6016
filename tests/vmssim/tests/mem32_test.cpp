// The 32-bit address rule (spec 5): checklist 39 (its memory part) and 40.
#include <descrip.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "../lib/kernel.hpp"
#include "rt_test_util.hpp"

extern "C" char** environ;

namespace {

namespace rt = vmssim::rt;

constexpr std::uintptr_t k2GiB = std::uintptr_t{1} << 31;
constexpr std::uintptr_t k4GiB = std::uintptr_t{1} << 32;

std::uintptr_t a(const void* p) {
  return reinterpret_cast<std::uintptr_t>(p);
}

int g_static_int = 1;
char g_static_text[32] = "a static text of some length";

// checklist 40: malloc and new return addresses of 4 GiB or more; the stack, statics, argv
// and _malloc32 are below 2 GiB.
TEST(VmsMem32, HeapIsHighAndTheRestIsLow) {
  void* small = std::malloc(16);
  std::unique_ptr<char[]> big(new char[1 << 20]);
  auto text = std::make_unique<std::string>("a string longer than fifteen characters");
  EXPECT_GE(a(small), k4GiB);
  EXPECT_GE(a(big.get()), k4GiB);
  EXPECT_GE(a(text->data()), k4GiB);
  std::free(small);
  // After many frees and allocations, still high (low chunks are never reused).
  for (int i = 0; i < 1000; ++i) {
    void* p = std::malloc(static_cast<std::size_t>(16 + i % 300));
    EXPECT_GE(a(p), k4GiB);
    std::free(p);
  }

  int local = 0;
  EXPECT_LT(a(&local), k2GiB) << "stack";
  EXPECT_LT(a(&g_static_int), k2GiB) << "statics";
  EXPECT_LT(a(g_static_text), k2GiB) << "statics";
  EXPECT_LT(a("a string literal"), k2GiB) << "literals";
  char** argv = rt::main_argv();
  ASSERT_NE(argv, nullptr);
  EXPECT_LT(a(argv), k2GiB) << "argv";
  EXPECT_LT(a(argv[0]), k2GiB) << "argv[0]";
  EXPECT_LT(a(environ), k2GiB) << "envp";
  if (environ[0]) {
    EXPECT_LT(a(environ[0]), k2GiB) << "envp[0]";
  }

  void* p32 = _malloc32(100);
  char* s32 = _strdup32("a string longer than fifteen characters");
  auto* c32 = static_cast<unsigned char*>(_calloc32(10, 10));
  ASSERT_NE(p32, nullptr);
  ASSERT_NE(s32, nullptr);
  ASSERT_NE(c32, nullptr);
  EXPECT_LT(a(p32), k2GiB);
  EXPECT_LT(a(s32), k2GiB);
  EXPECT_STREQ(s32, "a string longer than fifteen characters");
  EXPECT_LT(a(c32), k2GiB);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(c32[i], 0);
  p32 = _realloc32(p32, 100000);
  EXPECT_LT(a(p32), k2GiB);
  // free and realloc send arena blocks back: the freed block is reused.
  std::free(p32);
  void* again = _malloc32(100000);
  EXPECT_EQ(again, p32);
  void* grown = std::realloc(again, 300000);
  EXPECT_LT(a(grown), k2GiB);
  std::free(grown);
  std::free(s32);
  std::free(c32);
}

// checklist 39 (memory part): stack, static and _malloc32 addresses pass the services' check;
// malloc and new addresses, and the poison value, are refused.
TEST(VmsMem32, Addr32OkAcceptsLowAndRefusesHeapAndPoison) {
  char stack[40] = "stack text";
  EXPECT_TRUE(rt::addr32_ok(stack, sizeof stack));
  EXPECT_TRUE(rt::addr32_ok(g_static_text, sizeof g_static_text));
  void* p32 = _malloc32(64);
  EXPECT_TRUE(rt::addr32_ok(p32, 64));
  std::free(p32);

  void* heap = std::malloc(64);
  std::unique_ptr<char[]> fresh(new char[64]);
  EXPECT_FALSE(rt::addr32_ok(heap, 64));
  EXPECT_FALSE(rt::addr32_ok(fresh.get(), 1));
  std::free(heap);

  auto poison = reinterpret_cast<const void*>(static_cast<std::uintptr_t>(vmssim_poison32()));
  EXPECT_LT(a(poison), k2GiB);
  EXPECT_FALSE(rt::addr32_ok(poison, 1));
  EXPECT_FALSE(rt::addr32_ok(reinterpret_cast<const void*>(k2GiB - 4), 8)) << "crosses 2 GiB";
  EXPECT_FALSE(rt::addr32_ok(nullptr, 4));
}

// checklist 39: the descriptor's 4-byte field stores a heap pointer as the poison address,
// and dereferencing it raises SIGSEGV (spec 5).
TEST(VmsMem32, PoisonedDescriptorFieldFaults) {
  std::unique_ptr<char[]> heap(new char[64]);
  struct dsc$descriptor_s d = {10, DSC$K_DTYPE_T, DSC$K_CLASS_S, heap.get()};
  EXPECT_EQ(d.dsc$a_pointer.raw(), vmssim_poison32());
  EXPECT_FALSE(rt::addr32_ok(static_cast<char*>(d.dsc$a_pointer), 10));
  char stack[16];
  d.dsc$a_pointer = stack;
  EXPECT_EQ(static_cast<char*>(d.dsc$a_pointer), stack);

  // A child touches the poisoned address and must die of SIGSEGV.
  vmssim_test::ChildResult child =
      vmssim_test::run_self("VmsMem32Child.DISABLED_TouchPoison", {"ASAN_OPTIONS=handle_segv=0"});
  EXPECT_TRUE(WIFSIGNALED(child.status) && WTERMSIG(child.status) == SIGSEGV)
      << child.status << " " << child.err;
}

TEST(VmsMem32Child, DISABLED_TouchPoison) {
  signal(SIGSEGV, SIG_DFL);
  volatile char* bad = reinterpret_cast<char*>(static_cast<std::uintptr_t>(vmssim_poison32()));
  char c = *bad;
  std::printf("read %d from the poison page\n", c);
}

}  // namespace
