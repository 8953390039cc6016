// Helpers of the runtime's conformance tests (checklist 25-31, 39, 40): AST routines as the
// backend writes them, conditions waited for with generous timeouts, and a guard that leaves
// ASTs enabled whatever a test does.
#pragma once

#include <starlet.h>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

extern "C" char** environ;

// VSI's 32-bit allocation routines (lib/mem32.cpp); on OpenVMS <stdlib.h> declares them, and
// no simulated header does yet.
extern "C" {
void* _malloc32(std::size_t n);
void* _calloc32(std::size_t count, std::size_t size);
void* _realloc32(void* p, std::size_t n);
char* _strdup32(const char* s);
}

namespace vmssim_test {

using Clock = std::chrono::steady_clock;

// An AST routine `void f(__int64)` passed as STARLET's `__unknown_params` type, the cast the
// backend makes on OpenVMS.
template <void (*F)(__int64)>
inline void (*ast())(__unknown_params) {
  return reinterpret_cast<void (*)(__unknown_params)>(F);
}

// A VMS delta time of `ms` milliseconds (negative 100-ns units).
inline long long delta_ms(long long ms) {
  return -ms * 10000;
}

inline struct _generic_64* q(long long& t) {
  return reinterpret_cast<struct _generic_64*>(&t);
}

// Polls `done` (without any service call) until it holds or `limit` passes.
template <typename Pred>
bool spin_until(Pred done, std::chrono::milliseconds limit = std::chrono::seconds(30)) {
  auto deadline = Clock::now() + limit;
  while (!done()) {
    if (Clock::now() > deadline) return false;
  }
  return true;
}

// Spins (no service call, so ASTs can arrive) for `ms` milliseconds.
inline void spin_for(long long ms) {
  auto until = Clock::now() + std::chrono::milliseconds(ms);
  while (Clock::now() < until) {
  }
}

inline long long ms_since(Clock::time_point t0) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
}

// The status word of an IOSB that another thread may be completing.
inline unsigned short iosb_status(const void* iosb) {
  return *static_cast<const volatile unsigned short*>(iosb);
}

// True when the runner's spurious_wake variant is on: $HIBER may then return unwoken, so a
// test of the default behaviour (checklist 28) skips.
inline bool spurious_wakes_on() {
  const char* v = std::getenv("VMSSIM_VARIANTS");
  const char* k = v ? std::strstr(v, "spurious_wake=") : nullptr;
  return k && k[14] != '0' && std::strncmp(k + 14, "off", 3) != 0;
}

// Re-enables ASTs at scope exit, so that a failed assertion does not leave them disabled
// for the next test.
struct AstsEnabledAtExit {
  ~AstsEnabledAtExit() { sys$setast(1); }
};

// What a child run of this test binary did: its wait status and its stderr.
struct ChildResult {
  int status = -1;
  std::string err;
};

// Runs this binary again with only the (disabled) test `filter` and the extra environment
// entries `env` ("K=V"), through posix_spawn (a simulated process may not fork, spec 2.2).
inline ChildResult run_self(const std::string& filter, const std::vector<std::string>& env) {
  ChildResult result;
  std::string exe = "/proc/self/exe";
  std::string f = "--gtest_filter=" + filter;
  std::string disabled = "--gtest_also_run_disabled_tests";
  char* argv[] = {exe.data(), f.data(), disabled.data(), nullptr};
  std::vector<std::string> envs = env;
  std::vector<char*> envp;
  for (auto& e : envs) envp.push_back(e.data());
  for (char** e = environ; *e; ++e) envp.push_back(*e);
  envp.push_back(nullptr);
  int fds[2];
  if (pipe(fds) != 0) return result;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, fds[1], 2);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addclose(&fa, fds[0]);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, exe.c_str(), &fa, nullptr, argv, envp.data());
  posix_spawn_file_actions_destroy(&fa);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    return result;
  }
  char buf[4096];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0)
    result.err.append(buf, static_cast<std::size_t>(n));
  close(fds[0]);
  waitpid(pid, &result.status, 0);
  return result;
}

}  // namespace vmssim_test
