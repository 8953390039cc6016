// A mailbox peer for the mailbox conformance tests (vmssim_img_mbx_peer): runs the commands
// it reads from SYS$INPUT, one per line, and reports each result on SYS$OUTPUT, so that a
// test can drive a second process.  [G]
//
//   assign DEV [ro|wo]          $ASSIGN             -> "assign STATUS"
//   crembx NAME MAXMSG BUFQUO   permanent $CREMBX   -> "crembx STATUS UNIT"
//   write TEXT [now] [nors]     $QIOW write         -> "write STATUS IOSB COUNT PID"
//   read SIZE [now]             $QIOW read          -> "read STATUS IOSB COUNT PID TEXT"
//   arm PARAM                   IO$_SETMODE|IO$M_WRTATTN, routine in p1, PARAM in p2
//                                                   -> "arm STATUS"; at the AST: "ast PARAM"
//   waitast                     waits for the armed AST to have run (ASTs run meanwhile)
//   waitfile PATH               waits until PATH exists
//   sleepms N                   sleeps N ms
//   crelnt TABLE                $CRELNT under LNM$SYSTEM_DIRECTORY, CREATE_IF -> "crelnt STATUS"
//   crelnm TABLE NAME VALUE     $CRELNM             -> "crelnm STATUS"
//   pid                         -> "pid XXXXXXXX"
//   exit                        sys$exit(SS$_NORMAL)
#include <descrip.h>
#include <dvidef.h>
#include <efndef.h>
#include <iledef.h>
#include <iodef.h>
#include <iosbdef.h>
#include <lnmdef.h>
#include <ssdef.h>
#include <starlet.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

extern "C" char* _strdup32(const char* s);
extern "C" void* _malloc32(std::size_t n);

namespace {

unsigned short g_chan;
std::atomic<long long> g_ast_param{-1};

dsc$descriptor_s* desc(const std::string& s) {
  auto* d = static_cast<dsc$descriptor_s*>(_malloc32(sizeof(dsc$descriptor_s)));
  d->dsc$w_length = static_cast<unsigned short>(s.size());
  d->dsc$b_dtype = DSC$K_DTYPE_T;
  d->dsc$b_class = DSC$K_CLASS_S;
  d->dsc$a_pointer = _strdup32(s.c_str());
  return d;
}

void attention(long long param) {
  g_ast_param.store(param);
}

void report(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
void report(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  std::vprintf(fmt, ap);
  va_end(ap);
  std::printf("\n");
  std::fflush(stdout);
}

unsigned unit_of(unsigned short chan) {
  auto* items = static_cast<ILE3*>(_malloc32(2 * sizeof(ILE3)));
  auto* unit = static_cast<unsigned*>(_malloc32(4));
  auto* iosb = static_cast<IOSB*>(_malloc32(sizeof(IOSB)));
  std::memset(items, 0, 2 * sizeof(ILE3));
  items[0].ile3$w_length = 4;
  items[0].ile3$w_code = DVI$_UNIT;
  items[0].ile3$ps_bufaddr = unit;
  *unit = 0;
  sys$getdviw(EFN$C_ENF, chan, nullptr, items, iosb, nullptr, 0, nullptr);
  return *unit;
}

}  // namespace

int main() {
  char line[1024];
  auto* buf = static_cast<char*>(_malloc32(70000));
  auto* iosb = static_cast<IOSB*>(_malloc32(sizeof(IOSB)));
  auto* chan = static_cast<unsigned short*>(_malloc32(2));
  while (std::fgets(line, sizeof line, stdin)) {
    line[std::strcspn(line, "\n")] = 0;
    char cmd[32] = {}, a[512] = {}, b[64] = {}, c[64] = {};
    if (std::sscanf(line, "%31s %511s %63s %63s", cmd, a, b, c) < 1) continue;
    const std::string op = cmd;
    const std::string mods = std::string(b) + " " + c;
    if (op == "assign") {
      unsigned flags = std::strcmp(b, "ro") == 0 ? 1 : std::strcmp(b, "wo") == 0 ? 2 : 0;
      int st = sys$assign(desc(a), chan, 0, nullptr, flags);
      g_chan = *chan;
      report("assign %d", st);
    } else if (op == "crembx") {
      int st = sys$crembx(1, chan, std::atoi(b), std::atoi(c), 0, 0, desc(a), 0, 0);
      g_chan = *chan;
      report("crembx %d %u", st, (st & 1) ? unit_of(g_chan) : 0);
    } else if (op == "write") {
      unsigned func = IO$_WRITEVBLK;
      if (mods.find("now") != std::string::npos) func |= IO$M_NOW;
      if (mods.find("nors") != std::string::npos) func |= IO$M_NORSWAIT;
      std::strcpy(buf, a);
      std::memset(iosb, 0, sizeof *iosb);
      int st = sys$qiow(EFN$C_ENF, g_chan, func, iosb, nullptr, 0, buf,
                        static_cast<__int64>(std::strlen(a)), 0, 0, 0, 0);
      report("write %d %u %u %08X", st, iosb->iosb$w_status, iosb->iosb$w_bcnt, iosb->iosb$l_pid);
    } else if (op == "read") {
      unsigned func = IO$_READVBLK | (mods.find("now") != std::string::npos ? IO$M_NOW : 0);
      std::memset(buf, 0, 70000);
      int st = sys$qiow(EFN$C_ENF, g_chan, func, iosb, nullptr, 0, buf, std::atoi(a), 0, 0, 0, 0);
      report("read %d %u %u %08X %.*s", st, iosb->iosb$w_status, iosb->iosb$w_bcnt,
             iosb->iosb$l_pid, static_cast<int>(iosb->iosb$w_bcnt), buf);
    } else if (op == "arm") {
      int st = sys$qiow(EFN$C_ENF, g_chan, IO$_SETMODE | IO$M_WRTATTN, iosb, nullptr, 0,
                        reinterpret_cast<void*>(&attention), std::atoll(a), 0, 0, 0, 0);
      report("arm %d", st);
    } else if (op == "waitast") {
      while (g_ast_param.load() < 0) std::this_thread::sleep_for(std::chrono::milliseconds(2));
      report("ast %lld", g_ast_param.load());
    } else if (op == "waitfile") {
      while (::access(a, F_OK) != 0) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    } else if (op == "sleepms") {
      std::this_thread::sleep_for(std::chrono::milliseconds(std::atoi(a)));
    } else if (op == "crelnt") {
      auto* attr = static_cast<unsigned*>(_malloc32(4));
      *attr = LNM$M_CREATE_IF;
      int st = sys$crelnt(attr, nullptr, nullptr, nullptr, nullptr, desc(a),
                          desc("LNM$SYSTEM_DIRECTORY"), nullptr);
      report("crelnt %d", st);
    } else if (op == "crelnm") {
      auto* items = static_cast<ILE3*>(_malloc32(2 * sizeof(ILE3)));
      std::memset(items, 0, 2 * sizeof(ILE3));
      items[0].ile3$w_length = static_cast<unsigned short>(std::strlen(c));
      items[0].ile3$w_code = LNM$_STRING;
      items[0].ile3$ps_bufaddr = _strdup32(c);
      int st = sys$crelnm(nullptr, desc(a), desc(b), nullptr, items);
      report("crelnm %d", st);
    } else if (op == "pid") {
      const char* pid = std::getenv("VMSSIM_PID");
      report("pid %s", pid ? pid : "?");
    } else if (op == "exit") {
      sys$exit(SS$_NORMAL);
    }
  }
  return 0;
}
