// A child image for the process tests (vmssim_img_child): runs the commands it reads from
// SYS$INPUT (stdin), one per line, reporting on SYS$OUTPUT (stdout).  An image a test
// creates gets no arguments ($CREPRC passes none), hence the script.  [G]
//
//   out TEXT            prints TEXT
//   exit N              sys$exit(N)            cexit N   exit(N)        return N
//   dclexh              declares an exit handler that prints "handler XXXXXXXX" (the status)
//   setast 0|1          $SETAST
//   waitfile PATH       waits (outside any service) until PATH exists
//   hiber               $HIBER forever, printing "woke" after each return
//   sleep               waits forever (ASTs still run)
//   segv | abort        dies of SIGSEGV / abort()
//   creprc IMAGE INPUT NAME STSFLG [MBXUNT]   creates a process (SYS$OUTPUT = INPUT.out);
//                       prints "created XXXXXXXX status N"
//   crembx NAME         a permanent mailbox named NAME; prints "unit N"; later creprc
//                       commands with MBXUNT "last" use its unit
//   trnlnm NAME         prints "NAME = EQUIVALENCE" from LNM$PROCESS (or "NAME status N")
//   tmpmbx              a temporary mailbox (84-byte messages); later "last" is its unit
//   delprc              $DELPRC of the process the last creprc made
//   readterm            reads one termination message from the last mailbox; prints
//                       "term PID XXXXXXXX FINALSTS XXXXXXXX"
//   whoami              prints "user USERNAME uic XXXXXXXX pid XXXXXXXX"
#include <descrip.h>
#include <dvidef.h>
#include <efndef.h>
#include <iledef.h>
#include <iodef.h>
#include <iosbdef.h>
#include <jpidef.h>
#include <lnmdef.h>
#include <ssdef.h>
#include <starlet.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

extern "C" char* _strdup32(const char* s);
extern "C" void* _malloc32(std::size_t n);

namespace {

unsigned int g_status;
unsigned int g_unit;
unsigned short g_chan;
unsigned int g_last_pid;
void handler(unsigned int* status) {
  std::printf("handler %08X\n", *status);
  std::fflush(stdout);
}
// The exit handler control block: link, handler, argument count, the status address.
struct {
  unsigned int flink;
  unsigned int routine;
  unsigned char argcount;
  unsigned char reserved[3];
  unsigned int status_addr;
} g_desblk;

dsc$descriptor_s* desc(const std::string& s) {
  auto* d = static_cast<dsc$descriptor_s*>(_malloc32(sizeof(dsc$descriptor_s)));
  d->dsc$w_length = static_cast<unsigned short>(s.size());
  d->dsc$b_dtype = DSC$K_DTYPE_T;
  d->dsc$b_class = DSC$K_CLASS_S;
  d->dsc$a_pointer = _strdup32(s.c_str());
  return d;
}

void say(const char* text) {
  std::printf("%s\n", text);
  std::fflush(stdout);
}

}  // namespace

int main() {
  char line[1024];
  while (std::fgets(line, sizeof line, stdin)) {
    line[std::strcspn(line, "\n")] = 0;
    char cmd[32] = {}, a[512] = {}, b[512] = {}, c[64] = {}, d[64] = {}, e[64] = {};
    if (std::sscanf(line, "%31s %511s %511s %63s %63s %63s", cmd, a, b, c, d, e) < 1) continue;
    std::string op = cmd;
    if (op == "out") {
      say(line + 4);
    } else if (op == "exit") {
      sys$exit(static_cast<unsigned int>(std::strtoul(a, nullptr, 0)));
    } else if (op == "cexit") {
      std::exit(std::atoi(a));
    } else if (op == "return") {
      return std::atoi(a);
    } else if (op == "dclexh") {
      g_desblk.routine = static_cast<unsigned int>(reinterpret_cast<std::uintptr_t>(&handler));
      g_desblk.argcount = 1;
      g_desblk.status_addr = static_cast<unsigned int>(reinterpret_cast<std::uintptr_t>(&g_status));
      int st = sys$dclexh(&g_desblk);
      std::printf("dclexh %d\n", st);
      std::fflush(stdout);
    } else if (op == "setast") {
      sys$setast(static_cast<char>(std::atoi(a)));
    } else if (op == "waitfile") {
      while (::access(a, F_OK) != 0) ::usleep(2000);
    } else if (op == "hiber") {
      for (;;) {
        sys$hiber();
        say("woke");
      }
    } else if (op == "sleep") {
      for (;;) ::pause();
    } else if (op == "segv") {
      std::raise(SIGSEGV);
    } else if (op == "abort") {
      std::abort();
    } else if (op == "crembx") {
      auto* chan = static_cast<unsigned short*>(_malloc32(2));
      int st = sys$crembx(1, chan, 84, 2000, 0, 0, desc(a), 0, 0);
      auto* items = static_cast<ILE3*>(_malloc32(2 * sizeof(ILE3)));
      auto* unit = static_cast<unsigned int*>(_malloc32(4));
      auto* iosb = static_cast<IOSB*>(_malloc32(sizeof(IOSB)));
      items[0] = {4, DVI$_UNIT, unit, nullptr};
      std::memset(&items[1], 0, sizeof(ILE3));
      if (st & 1) st = sys$getdviw(EFN$C_ENF, *chan, nullptr, items, iosb, nullptr, 0, nullptr);
      g_unit = *unit;
      std::printf("unit %u status %d\n", g_unit, st);
      std::fflush(stdout);
    } else if (op == "trnlnm") {
      auto* items = static_cast<ILE3*>(_malloc32(2 * sizeof(ILE3)));
      auto* eqv = static_cast<char*>(_malloc32(256));
      auto* len = static_cast<unsigned short*>(_malloc32(2));
      *len = 0;
      items[0] = {255, LNM$_STRING, eqv, len};
      std::memset(&items[1], 0, sizeof(ILE3));
      int st = sys$trnlnm(nullptr, desc("LNM$PROCESS"), desc(a), nullptr, items);
      if (st & 1)
        std::printf("%s = %.*s\n", a, static_cast<int>(*len), eqv);
      else
        std::printf("%s status %d\n", a, st);
      std::fflush(stdout);
    } else if (op == "tmpmbx") {
      auto* chan = static_cast<unsigned short*>(_malloc32(2));
      int st = sys$crembx(0, chan, 84, 1000, 0, 0, nullptr, 0, 0);
      auto* items = static_cast<ILE3*>(_malloc32(2 * sizeof(ILE3)));
      auto* unit = static_cast<unsigned int*>(_malloc32(4));
      auto* iosb = static_cast<IOSB*>(_malloc32(sizeof(IOSB)));
      items[0] = {4, DVI$_UNIT, unit, nullptr};
      std::memset(&items[1], 0, sizeof(ILE3));
      if (st & 1) st = sys$getdviw(EFN$C_ENF, *chan, nullptr, items, iosb, nullptr, 0, nullptr);
      g_unit = *unit;
      g_chan = *chan;
      std::printf("unit %u status %d\n", g_unit, st);
      std::fflush(stdout);
    } else if (op == "delprc") {
      auto* pid = static_cast<unsigned int*>(_malloc32(4));
      *pid = g_last_pid;
      std::printf("delprc %d\n", sys$delprc(pid, nullptr));
      std::fflush(stdout);
    } else if (op == "readterm") {
      auto* buf = static_cast<unsigned char*>(_malloc32(84));
      auto* iosb = static_cast<IOSB*>(_malloc32(sizeof(IOSB)));
      int st = sys$qiow(EFN$C_ENF, g_chan, IO$_READVBLK, iosb, nullptr, 0, buf, 84, 0, 0, 0, 0);
      unsigned int pid = 0, finalsts = 0;
      std::memcpy(&finalsts, buf + 4, 4);
      std::memcpy(&pid, buf + 8, 4);
      std::printf("term PID %08X FINALSTS %08X status %d\n", pid, finalsts, st);
      std::fflush(stdout);
    } else if (op == "whoami") {
      auto* items = static_cast<ILE3*>(_malloc32(4 * sizeof(ILE3)));
      auto* user = static_cast<char*>(_malloc32(12));
      auto* uic = static_cast<unsigned int*>(_malloc32(4));
      auto* pid = static_cast<unsigned int*>(_malloc32(4));
      auto* iosb = static_cast<IOSB*>(_malloc32(sizeof(IOSB)));
      items[0] = {12, JPI$_USERNAME, user, nullptr};
      items[1] = {4, JPI$_UIC, uic, nullptr};
      items[2] = {4, JPI$_PID, pid, nullptr};
      std::memset(&items[3], 0, sizeof(ILE3));
      int st = sys$getjpiw(EFN$C_ENF, nullptr, nullptr, items, iosb, nullptr, 0);
      std::printf("user %.12s uic %08X pid %08X status %d\n", user, *uic, *pid, st);
      std::fflush(stdout);
    } else if (op == "creprc") {
      unsigned int pid = 0;
      unsigned long mbxunt = std::strcmp(e, "last") == 0 ? g_unit : std::strtoul(e, nullptr, 0);
      int st = sys$creprc(&pid, desc(a), desc(b), desc(std::string(b) + ".out"),
                          desc(std::string(b) + ".out"), nullptr, nullptr, desc(c), 4, 0,
                          static_cast<unsigned short>(mbxunt),
                          static_cast<unsigned int>(std::strtoul(d, nullptr, 0)));
      g_last_pid = pid;
      std::printf("created %08X status %d\n", pid, st);
      std::fflush(stdout);
    }
  }
  return 0;
}
