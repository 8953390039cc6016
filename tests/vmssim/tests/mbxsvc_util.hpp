// Helpers of the mailbox and logical-name conformance tests (checklist 1-13, 32-35): strings
// and buffers in 32-bit memory (spec 5), $QIO wrappers, a mailbox peer process
// (images/mbx_peer.cpp) driven by a script, and waits with generous timeouts.
#pragma once

#include <cmbdef.h>
#include <descrip.h>
#include <dvidef.h>
#include <efndef.h>
#include <iledef.h>
#include <iodef.h>
#include <iosbdef.h>
#include <jpidef.h>
#include <lnmdef.h>
#include <prcdef.h>
#include <ssdef.h>
#include <starlet.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern "C" {
void* _malloc32(std::size_t n);
char* _strdup32(const char* s);
}

namespace mbxsvc {

// A class S descriptor of `s` in 32-bit memory (leaked: a test is one short process).
inline dsc$descriptor_s* desc(const std::string& s) {
  auto* d = static_cast<dsc$descriptor_s*>(_malloc32(sizeof(dsc$descriptor_s)));
  d->dsc$w_length = static_cast<unsigned short>(s.size());
  d->dsc$b_dtype = DSC$K_DTYPE_T;
  d->dsc$b_class = DSC$K_CLASS_S;
  d->dsc$a_pointer = _strdup32(s.c_str());
  return d;
}

template <class T>
T* low(std::size_t n = 1) {
  auto* p = static_cast<T*>(_malloc32(n * sizeof(T)));
  std::memset(static_cast<void*>(p), 0, n * sizeof(T));
  return p;
}

inline std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

// This process's PID ($GETJPIW JPI$_PID).
inline unsigned self_pid() {
  auto* items = low<ILE3>(2);
  auto* v = low<unsigned>();
  auto* iosb = low<IOSB>();
  items[0].ile3$w_length = 4;
  items[0].ile3$w_code = JPI$_PID;
  items[0].ile3$ps_bufaddr = v;
  sys$getjpiw(EFN$C_ENF, nullptr, nullptr, items, iosb, nullptr, 0);
  return *v;
}

// The IOSB's status word as the receiver thread leaves it (the packed IOSB has no atomic
// alignment; the block itself comes from _malloc32, aligned).
inline unsigned short iosb_status(const IOSB* iosb) {
  const unsigned short v = *reinterpret_cast<const volatile unsigned short*>(iosb);
  std::atomic_thread_fence(std::memory_order_acquire);
  return v;
}

// A variant switch's value from VMSSIM_VARIANTS (spec 2.5), or `dflt`.
inline unsigned variant(const std::string& key, unsigned dflt) {
  const std::string all = "," + env("VMSSIM_VARIANTS");
  const auto at = all.find("," + key + "=");
  if (at == std::string::npos) return dflt;
  return static_cast<unsigned>(std::strtoul(all.c_str() + at + key.size() + 2, nullptr, 0));
}

// A name no other test run shares.
inline std::string unique(const std::string& stem) {
  static std::atomic<unsigned> n{0};
  return stem + "_" + std::to_string(::getpid()) + "_" + std::to_string(n++);
}

template <typename Pred>
bool wait_until(Pred done, std::chrono::milliseconds limit = std::chrono::seconds(30)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

// Channels the helpers assigned, deassigned by release_all() (a test's TearDown), so that
// the tests of one process do not use up its BYTLM.
inline std::vector<unsigned short>& assigned() {
  static std::vector<unsigned short> chans;
  return chans;
}
inline void release_all() {
  for (unsigned short c : assigned()) sys$dassgn(c);
  assigned().clear();
}

// $CREMBX; returns the status, the channel in *chan.
inline int crembx(unsigned short* chan, int prmflg = 0, unsigned maxmsg = 0, unsigned bufquo = 0,
                  const std::string& name = "", unsigned flags = 0) {
  auto* c = low<unsigned short>();
  const int st = sys$crembx(static_cast<char>(prmflg), c, maxmsg, bufquo, 0, 0,
                            name.empty() ? nullptr : desc(name), flags, 0);
  *chan = *c;
  if (st & 1) assigned().push_back(*c);
  return st;
}

inline int assign(const std::string& dev, unsigned short* chan, unsigned flags = 0) {
  auto* c = low<unsigned short>();
  const int st = sys$assign(desc(dev), c, 0, nullptr, flags);
  *chan = *c;
  if (st & 1) assigned().push_back(*c);
  return st;
}

// One longword $GETDVIW item (status: the service's, else the IOSB longword's).
inline int dvi_long(unsigned short chan, unsigned short code, unsigned* value,
                    const std::string& dev = "") {
  auto* items = low<ILE3>(2);
  auto* v = low<unsigned>();
  auto* iosb = low<IOSB>();
  items[0].ile3$w_length = 4;
  items[0].ile3$w_code = code;
  items[0].ile3$ps_bufaddr = v;
  int st = sys$getdviw(EFN$C_ENF, chan, dev.empty() ? nullptr : desc(dev), items, iosb, nullptr, 0,
                       nullptr);
  if (st & 1) st = static_cast<int>(iosb->iosb$l_getxxi_status);
  *value = *v;
  return st;
}

inline unsigned unit_of(unsigned short chan) {
  unsigned u = 0;
  dvi_long(chan, DVI$_UNIT, &u);
  return u;
}

inline std::string mba(unsigned unit) {
  return "MBA" + std::to_string(unit) + ":";
}

// The result of one $QIOW.
struct Io {
  int status = 0;
  unsigned iosb_status = 0;
  unsigned count = 0;
  unsigned pid = 0;
  std::string data;
};

inline Io qwrite(unsigned short chan, const std::string& text, unsigned mods = IO$M_NOW) {
  Io r;
  auto* buf = static_cast<char*>(_malloc32(text.size() + 1));
  std::memcpy(buf, text.data(), text.size());
  auto* iosb = low<IOSB>();
  r.status = sys$qiow(EFN$C_ENF, chan, IO$_WRITEVBLK | mods, iosb, nullptr, 0, buf,
                      static_cast<__int64>(text.size()), 0, 0, 0, 0);
  r.iosb_status = iosb->iosb$w_status;
  r.count = iosb->iosb$w_bcnt;
  r.pid = iosb->iosb$l_pid;
  return r;
}

inline Io qread(unsigned short chan, unsigned size = 512, unsigned mods = 0) {
  Io r;
  auto* buf = static_cast<char*>(_malloc32(size + 1));
  auto* iosb = low<IOSB>();
  r.status =
      sys$qiow(EFN$C_ENF, chan, IO$_READVBLK | mods, iosb, nullptr, 0, buf, size, 0, 0, 0, 0);
  r.iosb_status = iosb->iosb$w_status;
  r.count = iosb->iosb$w_bcnt;
  r.pid = iosb->iosb$l_pid;
  r.data.assign(buf, r.count);
  return r;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A mailbox peer process running `script` (images/mbx_peer.cpp); its output file is polled.
struct Peer {
  int status = 0;
  unsigned pid = 0;
  std::string output;

  // Waits until the output has a line starting with `prefix`; returns it ("" on timeout).
  std::string line(const std::string& prefix) const {
    std::string found;
    wait_until([&] {
      std::istringstream in(read_file(output));
      for (std::string l; std::getline(in, l);) {
        if (l.compare(0, prefix.size(), prefix) == 0) {
          found = l;
          return true;
        }
      }
      return false;
    });
    return found;
  }
};

inline Peer start_peer(const std::string& script) {
  static std::atomic<unsigned> n{0};
  const std::string stem =
      env("VMSSIM_ROOT") + "/mbxpeer-" + std::to_string(::getpid()) + "-" + std::to_string(n++);
  Peer p;
  std::ofstream(stem + ".in") << script;
  p.output = stem + ".out";
  auto* pid = low<unsigned>();
  p.status =
      sys$creprc(pid, desc(env("VMSSIM_TOOL_DIR") + "/vmssim_img_mbx_peer"), desc(stem + ".in"),
                 desc(p.output), desc(p.output), nullptr, nullptr, nullptr, 4, 0, 0, PRC$M_DETACH);
  p.pid = *pid;
  return p;
}

// Waits until process `pid` is gone ($GETJPIW gives NONEXPR).
inline bool wait_gone(unsigned pid) {
  return wait_until([&] {
    auto* p = low<unsigned>();
    *p = pid;
    auto* items = low<ILE3>(2);
    auto* v = low<unsigned>();
    items[0].ile3$w_length = 4;
    items[0].ile3$w_code = JPI$_PID;
    items[0].ile3$ps_bufaddr = v;
    auto* iosb = low<IOSB>();
    return sys$getjpiw(EFN$C_ENF, p, nullptr, items, iosb, nullptr, 0) == SS$_NONEXPR;
  });
}

// Numbers from a peer's report line, after its first word.
inline std::vector<std::string> fields(const std::string& line) {
  std::vector<std::string> out;
  std::istringstream in(line);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

}  // namespace mbxsvc
