// Helpers of the process tests (checklist 14-24, 38, 41): creating children of the small
// images in tests/images/ (or shim scripts), reading $GETJPI items, waiting for conditions
// with generous timeouts.  Strings handed to services live in 32-bit memory (_strdup32),
// as spec 5 requires of descriptors.
#pragma once

#include <descrip.h>
#include <efndef.h>
#include <iledef.h>
#include <iosbdef.h>
#include <jpidef.h>
#include <prcdef.h>
#include <ssdef.h>
#include <starlet.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

extern "C" {
void* _malloc32(std::size_t n);
char* _strdup32(const char* s);
}

namespace proc_test {

using Clock = std::chrono::steady_clock;

// A class S descriptor of `s` in 32-bit memory (leaked: a test is one short process).
inline dsc$descriptor_s* desc(const std::string& s) {
  auto* d = static_cast<dsc$descriptor_s*>(_malloc32(sizeof(dsc$descriptor_s)));
  d->dsc$w_length = static_cast<unsigned short>(s.size());
  d->dsc$b_dtype = DSC$K_DTYPE_T;
  d->dsc$b_class = DSC$K_CLASS_S;
  d->dsc$a_pointer = _strdup32(s.c_str());
  return d;
}

inline std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

// The Linux path of a test image (built next to build/vmssim).
inline std::string image(const char* name) {
  return env("VMSSIM_TOOL_DIR") + "/vmssim_img_" + name;
}

// A fresh file path in the simulator root (removed with it).
inline std::string scratch(const std::string& stem) {
  static std::atomic<unsigned> n{0};
  return env("VMSSIM_ROOT") + "/" + stem + "-" + std::to_string(::getpid()) + "-" +
         std::to_string(n++);
}

inline void write_file(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// What a child was given and how to find its output.
struct Child {
  int status = 0;
  unsigned int pid = 0;
  std::string input, output;
};

struct Spec {
  std::string image;   // a file spec or Linux path
  std::string script;  // written to SYS$INPUT
  std::string name;    // empty: no prcnam
  unsigned int stsflg = PRC$M_DETACH;
  unsigned short mbxunt = 0;
  unsigned int uic = 0;
  const void* quota = nullptr;
  std::string input_spec;  // overrides the script file (e.g. "NL:")
};

inline Child create(const Spec& s) {
  Child c;
  c.input = s.input_spec.empty() ? scratch("in") : s.input_spec;
  if (s.input_spec.empty()) write_file(c.input, s.script);
  c.output = scratch("out");
  c.status =
      sys$creprc(&c.pid, desc(s.image), desc(c.input), desc(c.output), desc(c.output), nullptr,
                 const_cast<unsigned int*>(static_cast<const unsigned int*>(s.quota)),
                 s.name.empty() ? nullptr : desc(s.name), 4, s.uic, s.mbxunt, s.stsflg);
  return c;
}

// One longword (or shorter) $GETJPI item of `pid`; returns the service status.
inline int jpi_long(unsigned int pid, unsigned short code, unsigned int& value) {
  auto* items = static_cast<ILE3*>(_malloc32(2 * sizeof(ILE3)));
  auto* buf = static_cast<unsigned int*>(_malloc32(8));
  auto* len = static_cast<unsigned short*>(_malloc32(2));
  auto* iosb = static_cast<IOSB*>(_malloc32(sizeof(IOSB)));
  auto* p = static_cast<unsigned int*>(_malloc32(4));
  *p = pid;
  *buf = 0;
  items[0].ile3$w_length = 4;
  items[0].ile3$w_code = code;
  items[0].ile3$ps_bufaddr = buf;
  items[0].ile3$ps_retlen_addr = len;
  std::memset(&items[1], 0, sizeof(ILE3));
  int st = sys$getjpiw(EFN$C_ENF, p, nullptr, items, iosb, nullptr, 0);
  if (st & 1) st = static_cast<int>(iosb->iosb$l_getxxi_status);
  value = *buf;
  return st;
}

// A string item (PRCNAM, USERNAME, ...).
inline int jpi_text(unsigned int pid, unsigned short code, std::string& value) {
  auto* items = static_cast<ILE3*>(_malloc32(2 * sizeof(ILE3)));
  auto* buf = static_cast<char*>(_malloc32(256));
  auto* len = static_cast<unsigned short*>(_malloc32(2));
  auto* iosb = static_cast<IOSB*>(_malloc32(sizeof(IOSB)));
  auto* p = static_cast<unsigned int*>(_malloc32(4));
  *p = pid;
  *len = 0;
  items[0].ile3$w_length = 255;
  items[0].ile3$w_code = code;
  items[0].ile3$ps_bufaddr = buf;
  items[0].ile3$ps_retlen_addr = len;
  std::memset(&items[1], 0, sizeof(ILE3));
  int st = sys$getjpiw(EFN$C_ENF, p, nullptr, items, iosb, nullptr, 0);
  if (st & 1) st = static_cast<int>(iosb->iosb$l_getxxi_status);
  value.assign(buf, *len);
  return st;
}

template <typename Pred>
bool wait_until(Pred done, std::chrono::milliseconds limit = std::chrono::seconds(30)) {
  auto deadline = Clock::now() + limit;
  while (!done()) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

// Waits until `pid` gives NONEXPR.
inline bool wait_gone(unsigned int pid,
                      std::chrono::milliseconds limit = std::chrono::seconds(30)) {
  return wait_until(
      [&] {
        unsigned int v;
        return jpi_long(pid, JPI$_PID, v) == SS$_NONEXPR;
      },
      limit);
}

// Waits until `path` contains `text`.
inline bool wait_output(const std::string& path, const std::string& text,
                        std::chrono::milliseconds limit = std::chrono::seconds(30)) {
  return wait_until([&] { return read_file(path).find(text) != std::string::npos; }, limit);
}

// The UIC of ALICE and BOB, users in other groups than SYSTEM [1,4] (exec/process.cpp).
constexpr unsigned int kAliceUic = (0200u << 16) | 1u;
constexpr unsigned int kBobUic = (0300u << 16) | 1u;

}  // namespace proc_test
