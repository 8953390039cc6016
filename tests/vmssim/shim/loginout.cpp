// SYS$SYSTEM:LOGINOUT.EXE of the simulator (spec 2.3): runs SYS$INPUT as a POSIX sh script,
// a documented approximation of a DCL command procedure.  [G; V HELP EXIT]
//
// The executive started this program with SYS$OUTPUT and SYS$ERROR as stdout and stderr
// (opened for append) and told it SYS$INPUT/OUTPUT in VMSSIM_SYS_INPUT(_PATH) and
// VMSSIM_SYS_OUTPUT(_PATH); an empty _PATH means a device, a mailbox, which is pumped line
// by line: each message read from an input mailbox is one line of the script, each line the
// script writes is one message to an output mailbox [C GTM, INGRES].  The status rule (0
// is SS$_NORMAL, 1-255 pass unchanged) and `vmssim-exit VALUE` (any 32-bit status, through
// VMSSIM_EXIT_FILE) are the executive's, applied when the process ends; so this program
// ends with _exit() (not through the C RTL exit rule) or by re-raising sh's signal.
#include <descrip.h>
#include <fcntl.h>
#include <iodef.h>
#include <iosbdef.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <ssdef.h>
#include <starlet.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

extern "C" {
void* _malloc32(std::size_t n);
char* _strdup32(const char* s);
}
extern char** environ;

namespace {

// `vmssim-exit VALUE` ends the procedure with any 32-bit status, as `$ EXIT 'status'`.
// A POSIX sh function name cannot hold a '-': an alias gives it that name.
const char kPrologue[] =
    "vmssim_exit() { printf '%s\\n' \"$1\" > \"$VMSSIM_EXIT_FILE\"; exit 0; }\n"
    "alias vmssim-exit=vmssim_exit\n";

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

// Ends the process with a status of its own (an assign that failed), through the exit file.
[[noreturn]] void fail_with(int status, const char* what) {
  std::fprintf(stderr, "vmssim LOGINOUT: %s: status %d\n", what, status);
  if (FILE* f = std::fopen(env("VMSSIM_EXIT_FILE").c_str(), "w")) {
    std::fprintf(f, "%d\n", status);
    std::fclose(f);
  }
  ::_exit(0);
}

dsc$descriptor_s* desc(const std::string& s) {
  auto* d = static_cast<dsc$descriptor_s*>(_malloc32(sizeof(dsc$descriptor_s)));
  d->dsc$w_length = static_cast<unsigned short>(s.size());
  d->dsc$b_dtype = DSC$K_DTYPE_T;
  d->dsc$b_class = DSC$K_CLASS_S;
  d->dsc$a_pointer = _strdup32(s.c_str());
  return d;
}

unsigned short assign(const std::string& device) {
  auto* chan = static_cast<unsigned short*>(_malloc32(sizeof(unsigned short)));
  *chan = 0;
  int st = sys$assign(desc(device), chan, 0, nullptr, 0);
  if (!(st & 1)) fail_with(st, ("$ASSIGN " + device).c_str());
  return *chan;
}

void write_all(int fd, const char* p, std::size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return;  // sh is gone: its status tells
    p += w;
    n -= static_cast<std::size_t>(w);
  }
}

// Sends each complete line of `pending` as one message (the last partial line too when
// `flush`).
void send_lines(unsigned short chan, std::string& pending, bool flush) {
  static char* buf = static_cast<char*>(_malloc32(65536));
  static auto* iosb = static_cast<IOSB*>(_malloc32(sizeof(IOSB)));
  std::size_t nl;
  while ((nl = pending.find('\n')) != std::string::npos || (flush && !pending.empty())) {
    std::size_t n = nl == std::string::npos ? pending.size() : nl;
    if (n > 65535) n = 65535;
    std::memcpy(buf, pending.data(), n);
    (void)sys$qiow(0, chan, IO$_WRITEVBLK | IO$M_NOW, iosb, nullptr, 0, buf,
                   static_cast<__int64>(n), 0, 0, 0, 0);
    pending.erase(0, nl == std::string::npos ? n : n + 1);
  }
}

// Runs sh with the script from an input mailbox and/or its output to an output mailbox.
[[noreturn]] void pump(const std::string& in_dev, const std::string& in_path,
                       const std::string& out_dev) {
  unsigned short in_chan = in_dev.empty() ? 0 : assign(in_dev);
  unsigned short out_chan = out_dev.empty() ? 0 : assign(out_dev);
  int script[2] = {-1, -1}, output[2] = {-1, -1};
  if (in_chan && ::pipe2(script, O_CLOEXEC) != 0) fail_with(SS$_INSFMEM, "pipe");
  if (out_chan && ::pipe2(output, O_CLOEXEC) != 0) fail_with(SS$_INSFMEM, "pipe");
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  if (in_chan) posix_spawn_file_actions_adddup2(&fa, script[0], 0);
  if (out_chan) posix_spawn_file_actions_adddup2(&fa, output[1], 1);
  // SIGTERM ($FORCEX, spec 4.9) is for sh; this pump outlives it to pass its end on.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t def;
  sigemptyset(&def);
  sigaddset(&def, SIGTERM);
  posix_spawnattr_setsigdefault(&attr, &def);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF);
  ::signal(SIGTERM, SIG_IGN);
  std::string program = std::string(kPrologue) + (in_chan ? "" : ". \"$1\"\n");
  std::string sh = "/bin/sh";
  std::string dash_c = in_chan ? "-s" : "-c";
  std::string name = "LOGINOUT";
  std::string path = in_path;
  char* argv_c[] = {sh.data(), dash_c.data(), program.data(), name.data(), path.data(), nullptr};
  char* argv_s[] = {sh.data(), dash_c.data(), nullptr};
  pid_t child = -1;
  if (posix_spawn(&child, sh.c_str(), &fa, &attr, in_chan ? argv_s : argv_c, environ) != 0)
    fail_with(SS$_ABORT, "/bin/sh");
  if (in_chan) {
    ::close(script[0]);
    write_all(script[1], kPrologue, sizeof kPrologue - 1);
  }
  if (out_chan) ::close(output[1]);

  auto* iosb = static_cast<IOSB*>(_malloc32(sizeof(IOSB)));
  char* buf = static_cast<char*>(_malloc32(65536));
  bool reading = false;
  std::string pending;
  int status = 0;
  for (;;) {
    if (in_chan && !reading) {
      std::memset(iosb, 0, sizeof *iosb);
      reading = (sys$qio(0, in_chan, IO$_READVBLK, iosb, nullptr, 0, buf, 65535, 0, 0, 0, 0) & 1);
      if (!reading) {
        ::close(script[1]);
        in_chan = 0;
      }
    }
    if (reading && *static_cast<volatile unsigned short*>(&iosb->iosb$w_status) != 0) {
      reading = false;
      if (iosb->iosb$w_status & 1) {
        write_all(script[1], buf, iosb->iosb$w_bcnt);
        write_all(script[1], "\n", 1);
      } else {
        // End of file (a WRITEOF) or an error: the script ends here.
        ::close(script[1]);
        in_chan = 0;
      }
    }
    if (out_chan) {
      pollfd p{output[0], POLLIN, 0};
      if (::poll(&p, 1, 10) > 0) {
        char chunk[4096];
        ssize_t n = ::read(output[0], chunk, sizeof chunk);
        if (n > 0) pending.append(chunk, static_cast<std::size_t>(n));
        send_lines(out_chan, pending, false);
      }
    } else {
      ::usleep(10000);
    }
    if (::waitpid(child, &status, WNOHANG) == child) break;
  }
  if (out_chan) {
    char chunk[4096];
    ssize_t n;
    while ((n = ::read(output[0], chunk, sizeof chunk)) > 0)
      pending.append(chunk, static_cast<std::size_t>(n));
    send_lines(out_chan, pending, true);
  }
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    ::signal(sig, SIG_DFL);
    ::raise(sig);
  }
  ::_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 44);
}

}  // namespace

int main() {
  std::string input = env("VMSSIM_SYS_INPUT");
  std::string path = env("VMSSIM_SYS_INPUT_PATH");
  // Input NL: (or none): LOGINOUT exits at once with SS$_NORMAL.
  if (input.empty() || path == "/dev/null") ::_exit(0);
  std::string output = env("VMSSIM_SYS_OUTPUT");
  std::string out_path = env("VMSSIM_SYS_OUTPUT_PATH");
  bool in_device = path.empty();
  bool out_device = !output.empty() && out_path.empty();
  if (in_device || out_device) pump(in_device ? input : "", path, out_device ? output : "");
  std::string program = std::string(kPrologue) + ". \"$1\"\n";
  ::execl("/bin/sh", "sh", "-c", program.c_str(), "LOGINOUT", path.c_str(),
          static_cast<char*>(nullptr));
  std::perror("vmssim LOGINOUT: /bin/sh");
  ::_exit(44);  // SS$_ABORT
}
