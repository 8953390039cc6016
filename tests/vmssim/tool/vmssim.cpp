// build/vmssim: boots a simulated OpenVMS system, runs COMMAND as one of its interactive
// processes, tears the system down (spec 2.4).  The runner is also the executive: one
// Linux process serving the simulator's socket (spec 2.1).  [G]
//
//   vmssim [--root DIR] [--keep] [--trace FILE] [--variant K=V]... [--seed N]
//          [--user NAME] [--strict-ast] -- COMMAND...
//   vmssim dcl ...            vmssim set-command ...     (tool/dcl.cpp)
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "exec/server.hpp"

// HDR's `vmssim dcl` / `vmssim set-command` (tool/dcl.cpp); weak so that the runner links
// before that part is merged.
extern "C" int vmssim_dcl_command(int argc, char** argv) __attribute__((weak));

namespace {

using vmssim::exec::Config;
using vmssim::exec::Server;

int usage() {
  std::fprintf(stderr,
               "usage: vmssim [--root DIR] [--keep] [--trace FILE] [--variant K=V]... "
               "[--seed N]\n              [--user NAME] [--strict-ast] -- COMMAND...\n"
               "       vmssim dcl ...\n       vmssim set-command ...\n");
  return 2;
}

bool parse_number(const std::string& s, unsigned long& out) {
  if (s.empty()) return false;
  char* end = nullptr;
  errno = 0;
  out = std::strtoul(s.c_str(), &end, 0);
  return errno == 0 && end && *end == 0;
}

// --variant K=V (spec 2.5).  False, with a message, for an unknown switch or value.
bool parse_variant(const std::string& kv, Config& c) {
  auto eq = kv.find('=');
  if (eq == std::string::npos) return false;
  std::string k = kv.substr(0, eq), v = kv.substr(eq + 1);
  unsigned long n = 0;
  using namespace vmssim::proto;
  if (k == "delprc_status" && parse_number(v, n)) {
    c.variants[kVarDelprcStatus] = static_cast<std::uint32_t>(n);
  } else if (k == "cancel_status" && (v == "ABORT" || v == "CANCEL")) {
    c.variants[kVarCancelStatus] = v == "ABORT" ? 44 : 2096;
  } else if (k == "trnlnm_notab" && (v == "NOLOGNAM" || v == "NOLOGTAB")) {
    c.variants[kVarTrnlnmNotab] = v == "NOLOGNAM" ? 444 : 8852;
  } else if (k == "pid_linger_ms" && parse_number(v, n) && n <= 2000) {
    c.variants[kVarPidLingerMs] = static_cast<std::uint32_t>(n);
  } else if (k == "mbx_overhead" && parse_number(v, n)) {
    c.variants[kVarMbxOverhead] = static_cast<std::uint32_t>(n);
  } else if (k == "ast_jitter_us" && parse_number(v, n)) {
    c.variants[kVarAstJitterUs] = static_cast<std::uint32_t>(n);
  } else if (k == "spurious_wake" && (v == "off" || parse_number(v, n))) {
    c.variants[kVarSpuriousWake] = v == "off" ? 0 : static_cast<std::uint32_t>(n);
  } else {
    std::fprintf(stderr, "vmssim: unknown variant or value: %s\n", kv.c_str());
    return false;
  }
  return true;
}

int remove_entry(const char* path, const struct stat*, int, struct FTW*) {
  ::remove(path);
  return 0;
}

bool make_dir(const std::string& path) {
  return ::mkdir(path.c_str(), 0755) == 0 || errno == EEXIST;
}

std::string tool_dir() {
  char buf[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return ".";
  buf[n] = 0;
  std::string path(buf);
  auto slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2 && (std::strcmp(argv[1], "dcl") == 0 || std::strcmp(argv[1], "set-command") == 0)) {
    if (!vmssim_dcl_command) {
      std::fprintf(stderr, "vmssim: %s: not built into this vmssim (tool/dcl.cpp)\n", argv[1]);
      return 2;
    }
    return vmssim_dcl_command(argc - 1, argv + 1);
  }
  Config config;
  bool keep = false;
  bool strict_ast = false;
  std::string root;
  std::vector<std::string> variant_args;
  // VMSSIM_CI_VARIANTS="K=V K=V": switches for every vmssim a test run starts, so that CI
  // runs whole suites under each variant (dev.sh); --variant on the command line wins.
  if (const char* ci = std::getenv("VMSSIM_CI_VARIANTS")) {
    std::string list = ci;
    for (char& c : list)
      if (c == ',') c = ' ';
    std::size_t pos = 0;
    while (pos < list.size()) {
      const std::size_t end = std::min(list.find(' ', pos), list.size());
      const std::string kv = list.substr(pos, end - pos);
      if (!kv.empty() && !parse_variant(kv, config)) return 2;
      pos = end + 1;
    }
  }
  int i = 1;
  for (; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](std::string& out) {
      if (i + 1 >= argc) return false;
      out = argv[++i];
      return true;
    };
    std::string v;
    if (a == "--") {
      ++i;
      break;
    } else if (a == "--root" && value(v)) {
      root = v;
    } else if (a == "--keep") {
      keep = true;
    } else if (a == "--trace" && value(v)) {
      config.trace_file = v;
    } else if (a == "--variant" && value(v)) {
      if (!parse_variant(v, config)) return 2;
      variant_args.push_back(v);
    } else if (a == "--seed" && value(v)) {
      unsigned long n = 0;
      if (!parse_number(v, n)) return usage();
      config.seed = n;
    } else if (a == "--user" && value(v)) {
      config.user = v;
    } else if (a == "--strict-ast") {
      strict_ast = true;
    } else {
      return usage();
    }
  }
  if (i >= argc) return usage();
  if (!vmssim::exec::find_user(config.user)) {
    std::fprintf(stderr, "vmssim: --user %s: no such user (SYSTEM, ALICE, BOB)\n",
                 config.user.c_str());
    return 2;
  }
  for (char& ch : config.user) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  config.variants[vmssim::proto::kVarStrictAst] = strict_ast ? 1 : 0;

  // 1. Boot: the root, the device table (root/disk is SIM$DISK:, SYS$SYSTEM is its
  // [SYSTEM]), LOGINOUT.EXE, the executive.
  bool temp_root = root.empty();
  if (temp_root) {
    const char* tmp = std::getenv("TMPDIR");
    std::string tmpl = std::string(tmp && *tmp ? tmp : "/tmp") + "/vmssim.XXXXXX";
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back(0);
    if (!::mkdtemp(buf.data())) {
      std::perror("vmssim: mkdtemp");
      return 2;
    }
    root = buf.data();
  } else if (!make_dir(root)) {
    std::perror(("vmssim: " + root).c_str());
    return 2;
  }
  char rbuf[PATH_MAX];
  if (::realpath(root.c_str(), rbuf)) root = rbuf;
  config.root = root;
  config.socket_path = root + "/vmssim.sock";
  config.tool_dir = tool_dir();
  for (const char* d : {"/disk", "/disk/system", "/disk/help", "/exit"}) make_dir(root + d);
  std::string loginout = root + "/disk/system/loginout.exe";
  ::unlink(loginout.c_str());
  if (::symlink((config.tool_dir + "/vmssim-loginout").c_str(), loginout.c_str()) != 0)
    std::perror("vmssim: LOGINOUT.EXE");
  {
    FILE* f = std::fopen((root + "/devices").c_str(), "w");
    if (f) {
      std::fprintf(f, "SIM$DISK %s/disk\n", root.c_str());
      std::fclose(f);
    }
  }
  // The switches, for the library's process-local parts (the runtime reads them without
  // the executive) and for every process the executive creates.
  std::string variants_env;
  static const char* names[] = {"delprc_status", "cancel_status", "trnlnm_notab",  "pid_linger_ms",
                                "mbx_overhead",  "ast_jitter_us", "spurious_wake", "strict_ast"};
  for (unsigned k = 0; k < 8; ++k) {
    if (k) variants_env += ",";
    variants_env += std::string(names[k]) + "=" + std::to_string(config.variants[k]);
  }
  ::setenv("VMSSIM_VARIANTS", variants_env.c_str(), 1);
  ::setenv("VMSSIM_SEED", std::to_string(config.seed).c_str(), 1);
  ::setenv("VMSSIM_ROOT", root.c_str(), 1);
  ::setenv("VMSSIM_TOOL_DIR", config.tool_dir.c_str(), 1);
  if (strict_ast) ::setenv("VMSSIM_STRICT_AST", "1", 1);
  ::setenv("VMSSIM_SOCKET", config.socket_path.c_str(), 1);
  ::unsetenv("VMSSIM_PROCESS_TOKEN");

  // A process we end up killing must not take us with it.
  ::signal(SIGPIPE, SIG_IGN);
  Server server(config);
  if (!server.start()) {
    std::perror("vmssim: cannot start the executive");
    return 2;
  }
  for (auto& boot : server.on_boot) boot();
  server.trace("boot root=%s user=%s variants=%s", root.c_str(), config.user.c_str(),
               variants_env.c_str());

  // 2. Run COMMAND in a process group of its own, dying with us.
  pid_t self = ::getpid();
  pid_t cmd = ::fork();
  if (cmd < 0) {
    std::perror("vmssim: fork");
    return 2;
  }
  if (cmd == 0) {
    ::setpgid(0, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != self) ::_exit(127);
    ::signal(SIGPIPE, SIG_DFL);
    ::execvp(argv[i], argv + i);
    std::fprintf(stderr, "vmssim: %s: %s\n", argv[i], std::strerror(errno));
    ::_exit(127);
  }
  ::setpgid(cmd, cmd);
  int cmd_fd = static_cast<int>(::syscall(SYS_pidfd_open, cmd, 0));
  bool done = false;
  int status = 0;
  auto reap = [&] {
    siginfo_t info{};
    if (::waitid(P_PID, static_cast<id_t>(cmd), &info, WEXITED) == 0) {
      status = info.si_code == CLD_EXITED ? info.si_status : 128 + info.si_status;
      done = true;
    }
  };
  if (cmd_fd >= 0) {
    server.watch_fd(cmd_fd, reap);
    server.run([&] { return done; });
  } else {
    reap();  // no pidfds: no executive loop either (cannot happen on Linux >= 5.3)
  }

  // 3. Tear down: what is left is a leak.
  unsigned leaks = server.kill_all_leftovers();
  if (::kill(-cmd, 0) == 0) {
    std::fprintf(stderr, "vmssim: leak: processes left in COMMAND's group %d killed\n", cmd);
    ::kill(-cmd, SIGKILL);
    ++leaks;
  }
  server.trace("teardown: status %d, %u leak(s)", status, leaks);
  if (!keep) ::nftw(root.c_str(), remove_entry, 16, FTW_DEPTH | FTW_PHYS);
  return status;
}
