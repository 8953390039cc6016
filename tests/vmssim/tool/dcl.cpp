// `vmssim set-command X.CLD` and `vmssim dcl 'VERB ...'`: the simulated DCL (spec 4.10,
// checklist 37), over the simulator's own CLD interpreter (lib/cld*.cpp) and message
// texts (lib/msg*.cpp).  The runner (tool/vmssim.cpp) dispatches here.
//
// set-command registers the verbs of a .CLD in the simulator root ($VMSSIM_ROOT, set by
// the runner, or --root DIR): the file is kept as ROOT/dcltables/<VERB>.cld, one per verb,
// so a later SET COMMAND of the same verb replaces it [G].
//
// dcl parses the command against the registered verbs, runs the verb's IMAGE with the
// parse state (VMSSIM_CLI_CLD, VMSSIM_CLI_COMMAND: the image's CLI$ routines read them,
// lib/cli_routines.cpp), takes the image's 32-bit final status from VMSSIM_DCL_EXIT_FILE
// when the image wrote one (the library's exit path does, lib/svc_process.cpp) (decimal or %X hex;
// else its exit code, 0 meaning SS$_NORMAL, or ACCVIO/ABORT for a signal, as spec 2.3), prints the
// message of an even status unless bit 28 (STS$M_INHIB_MSG) is set [V HELP EXIT], and sets $STATUS:
// written to $VMSSIM_DCL_STATUS (a file) when that is set.  The exit code is 0 for an odd status,
// else the status's low byte (2 when that is 0) [G].
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <climsgdef.h>
#include <rmsdef.h>
#include <ssdef.h>
#include <vmssim.h>

#include "cld.hpp"
#include "msgtext.hpp"

namespace {

std::string slurp(const std::string& path, bool* ok) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  *ok = static_cast<bool>(in);
  return ss.str();
}

// DCL's messages go to SYS$OUTPUT, and to SYS$ERROR when that is another file [M].
void say(const std::string& line) {
  std::fprintf(stdout, "%s\n", line.c_str());
  std::fflush(stdout);
  struct stat out {
  }, err{};
  if (::fstat(1, &out) == 0 && ::fstat(2, &err) == 0 && out.st_dev == err.st_dev &&
      out.st_ino == err.st_ino)
    return;
  std::fprintf(stderr, "%s\n", line.c_str());
}

void say_status(unsigned int status, const char* facility, const std::string& detail) {
  std::string line;
  vmssim::msg::render(status, 0xF, line, nullptr, facility);
  say(line);
  if (!detail.empty()) say(" \\" + detail + "\\");
}

int exit_code(unsigned int status) {
  const char* file = std::getenv("VMSSIM_DCL_STATUS");
  if (file != nullptr && *file) {
    if (FILE* f = std::fopen(file, "w")) {
      std::fprintf(f, "%%X%08X\n", status);
      std::fclose(f);
    }
  }
  if (status & 1u) return 0;
  return (status & 0xFFu) ? static_cast<int>(status & 0xFFu) : 2;
}

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// The file spec of an IMAGE clause as a Linux path: an absolute path as it is, else
// DEV:[A.B]NAME.TYP;n through ROOT/devices, lowercased (spec 2.3) [G].  Logical names
// other than SYS$SYSTEM: (a startup's SUPERVISOR_DIR:) need the executive's LNM$FILE_DEV
// translation, which `vmssim dcl` does not use yet: such an image gives RMS$_FNF.
std::string image_path(const std::string& root, const std::string& spec) {
  if (!spec.empty() && spec[0] == '/') return spec;
  std::size_t colon = spec.find(':');
  if (colon == std::string::npos) return "";
  std::string dev = upper(spec.substr(0, colon));
  std::string base;
  if (dev == "SYS$SYSTEM") {  // the runner's boot: SIM$DISK:[SYSTEM] (tool/vmssim.cpp)
    base = root + "/disk/system";
    std::string file = spec.substr(colon + 1);
    file = file.substr(0, file.find(';'));
    for (char& c : file) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return base + "/" + file;
  }
  std::ifstream devices(root + "/devices");
  std::string name, path;
  while (devices >> name >> path)
    if (upper(name) == dev) base = path;
  if (base.empty()) return "";
  std::string rest = spec.substr(colon + 1), dir, file = rest;
  if (!rest.empty() && (rest[0] == '[' || rest[0] == '<')) {
    std::size_t close = rest.find_first_of("]>");
    if (close == std::string::npos) return "";
    dir = rest.substr(1, close - 1);
    file = rest.substr(close + 1);
  }
  std::string out = base;
  std::stringstream parts(dir);
  std::string part;
  while (std::getline(parts, part, '.'))
    if (!part.empty()) out += "/" + part;
  file = file.substr(0, file.find(';'));
  out += "/" + file;
  for (std::size_t i = base.size(); i < out.size(); ++i)
    out[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(out[i])));
  return out;
}

int set_command(const std::string& root, int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: vmssim set-command FILE.CLD\n");
    return 2;
  }
  bool ok = false;
  std::string text = slurp(argv[1], &ok);
  if (!ok) {
    say_status(RMS$_FNF, nullptr, argv[1]);
    return exit_code(RMS$_FNF);
  }
  vmssim::cld::Table table;
  std::string error;
  if (!vmssim::cld::parse_cld(text, table, error)) {
    std::fprintf(stderr, "vmssim: set-command %s: %s\n", argv[1], error.c_str());
    return 2;
  }
  if (table.verbs.empty()) {
    std::fprintf(stderr, "vmssim: set-command %s: no DEFINE VERB\n", argv[1]);
    return 2;
  }
  std::string dir = root + "/dcltables";
  ::mkdir(dir.c_str(), 0755);
  for (const auto& v : table.verbs) {
    std::string path = dir + "/" + v.name + ".cld";
    std::string tmp = path + ".tmp";
    {
      std::ofstream out(tmp);
      out << text;
      if (!out) {
        std::perror(("vmssim: " + tmp).c_str());
        return 2;
      }
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
      std::perror(("vmssim: " + path).c_str());
      return 2;
    }
  }
  return 0;
}

unsigned int run_image(const std::string& path, const std::string& cld, const std::string& line) {
  char tmpl[] = "/tmp/vmssim-dcl-XXXXXX";
  int fd = ::mkstemp(tmpl);
  if (fd < 0) return SS$_INSFMEM;
  ::close(fd);
  std::string exit_file = tmpl;
  pid_t pid = ::fork();
  if (pid < 0) {
    ::unlink(exit_file.c_str());
    return SS$_INSFMEM;
  }
  if (pid == 0) {
    ::setenv("VMSSIM_CLI_CLD", cld.c_str(), 1);
    ::setenv("VMSSIM_CLI_COMMAND", line.c_str(), 1);
    ::setenv("VMSSIM_DCL_EXIT_FILE", exit_file.c_str(), 1);
    char* args[] = {const_cast<char*>(path.c_str()), nullptr};
    ::execv(path.c_str(), args);
    ::_exit(127);
  }
  int ws = 0;
  while (::waitpid(pid, &ws, 0) < 0) {
  }
  unsigned int status = SS$_NORMAL;
  bool ok = false;
  std::string written = slurp(exit_file, &ok);
  ::unlink(exit_file.c_str());
  std::size_t b = written.find_first_not_of(" \t\r\n");
  if (b != std::string::npos) {
    std::string w = written.substr(b);
    unsigned long v = 0;
    if (w.size() > 2 && w[0] == '%' && (w[1] == 'X' || w[1] == 'x'))
      v = std::strtoul(w.c_str() + 2, nullptr, 16);
    else
      v = std::strtoul(w.c_str(), nullptr, 0);
    return static_cast<unsigned int>(v);
  }
  if (WIFEXITED(ws)) {
    int code = WEXITSTATUS(ws);
    if (code == 127) return RMS$_FNF;  // exec failed: the image is not there
    status = code == 0 ? static_cast<unsigned int>(SS$_NORMAL) : static_cast<unsigned int>(code);
  } else if (WIFSIGNALED(ws)) {
    int sig = WTERMSIG(ws);
    status = (sig == SIGSEGV || sig == SIGBUS) ? SS$_ACCVIO : SS$_ABORT;
  }
  return status;
}

int dcl(const std::string& root, int argc, char** argv) {
  std::string line;
  for (int i = 1; i < argc; ++i) {
    if (i > 1) line += ' ';
    line += argv[i];
  }
  // Every registered verb's table; the first that knows the verb parses the command.
  std::vector<std::string> files;
  std::string dir = root + "/dcltables";
  if (DIR* d = ::opendir(dir.c_str())) {
    while (dirent* e = ::readdir(d)) {
      std::string n = e->d_name;
      if (n.size() > 4 && n.compare(n.size() - 4, 4, ".cld") == 0) files.push_back(dir + "/" + n);
    }
    ::closedir(d);
  }
  unsigned int status = CLI$_IVVERB;
  std::string detail;
  vmssim::cld::Parse parse;
  vmssim::cld::Table table;
  std::string cld;
  {
    std::size_t b = line.find_first_not_of(" \t");
    std::size_t e = line.find_first_of(" \t/", b == std::string::npos ? 0 : b);
    detail =
        b == std::string::npos ? "" : upper(line.substr(b, e == std::string::npos ? e : e - b));
  }
  for (const auto& f : files) {
    bool ok = false;
    std::string text = slurp(f, &ok);
    vmssim::cld::Table t;
    std::string error;
    if (!ok || !vmssim::cld::parse_cld(text, t, error)) continue;
    vmssim::cld::Parse p;
    std::string d;
    unsigned int st = vmssim::cld::parse_command(t, line, p, d);
    if (st == CLI$_IVVERB) continue;
    status = st;
    detail = d;
    if (st == CLI$_NORMAL) {
      table = std::move(t);
      parse = std::move(p);
      // The parse pointed at `t`: a syntax without IMAGE runs its verb's (the table's),
      // as SUPERVISOR.CLD's SUP_* syntaxes do (spec 4.10, cld.hpp Parse::image) [G].
      parse.table = &table;
      cld = f;
    }
    break;
  }
  if (line.find_first_not_of(" \t") == std::string::npos) status = CLI$_NOCOMD;
  if (status != CLI$_NORMAL) {
    // DCL's own parse errors: %DCL-W-..., the offending text on the next line [C GOVAX].
    say_status(status, "DCL", status == CLI$_NOCOMD ? "" : detail);
    return exit_code(status);
  }
  std::string spec = parse.image();
  if (spec.empty()) {
    std::fprintf(stderr,
                 "vmssim: UNIMPLEMENTED: verb %s has no IMAGE (ROUTINE verbs need a "
                 "CLI$DISPATCH in an image)\n",
                 parse.verb.c_str());
    return exit_code(SS$_BADPARAM);
  }
  std::string path = image_path(root, spec);
  if (path.empty() || ::access(path.c_str(), X_OK) != 0) {
    status = RMS$_FNF;  // the image cannot be activated [P GOVAX: ACTIMAGE, RMS-E-FNF]
  } else {
    status = run_image(path, cld, line);
  }
  if (!(status & 1u) && !(status & 0x10000000u)) say_status(status, nullptr, "");
  return exit_code(status);
}

}  // namespace

extern "C" int vmssim_dcl_command(int argc, char** argv) {
  std::string root;
  const char* env = std::getenv("VMSSIM_ROOT");
  if (env != nullptr) root = env;
  std::string sub = argc > 0 ? argv[0] : "";
  if (argc >= 3 && std::strcmp(argv[1], "--root") == 0) {
    root = argv[2];
    argv[2] = argv[0];
    argv += 2;
    argc -= 2;
  }
  if (root.empty()) {
    std::fprintf(stderr, "vmssim: %s: no simulated system (VMSSIM_ROOT unset; or --root DIR)\n",
                 sub.c_str());
    return 2;
  }
  if (sub == "set-command") return set_command(root, argc, argv);
  if (sub == "dcl") return dcl(root, argc, argv);
  std::fprintf(stderr, "vmssim: unknown subcommand %s\n", sub.c_str());
  return 2;
}
