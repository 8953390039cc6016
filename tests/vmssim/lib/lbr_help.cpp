// LBR$OUTPUT_HELP over the simulator's own HLP interpreter (hlp.hpp), spec 4.10.
// Sources: HELP-LBR [V arguments; by-reference width and flags], URM73 [V prompting:
// "Topic?", "<keys> Subtopic?", ? re-lists, Return goes up, Ctrl/Z leaves], MBU, GTM,
// FINDER callers [C]; HLP$M_ flags other than PROMPT and LIBLIST [M].
//
// The library: a .HLB maps to the .HLP text beside it (same name, either case) [G].  Its
// file spec is an absolute Linux path, a path relative to the current directory, or
// DEV:[DIR]NAME through the simulator root's device table; SYS$HELP: is ROOT/disk/help
// (the runner's boot creates it).  Other logical names need the executive's LNM$FILE_DEV
// translation, not used here yet: such a library gives RMS$_FNF like a missing file.
//
// Only reading the library runs inside a ServiceScope: LBR$ is a user-mode routine, so the
// output and input routines it calls run with ASTs deliverable, as on OpenVMS [G].
#include <dirent.h>
#include <hlpdef.h>
#include <lbr$routines.h>
#include <rmsdef.h>
#include <ssdef.h>
#include <sys/stat.h>

#include <cctype>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <descrip.h>

#include "hlp.hpp"
#include "kernel.hpp"
#include "text_util.hpp"

extern "C" void* _malloc32(std::size_t size);

namespace {

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

bool is_file(const std::string& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// `dir`/`stem`.HLP or .HLB in any case, the .HLP first.
std::string find_text(const std::string& dir, const std::string& stem) {
  std::string hlb;
  if (DIR* d = ::opendir(dir.empty() ? "." : dir.c_str())) {
    std::string want = upper(stem);
    std::string found_hlp;
    while (dirent* e = ::readdir(d)) {
      std::string n = upper(e->d_name);
      if (n == want + ".HLP") found_hlp = e->d_name;
      if (n == want + ".HLB") hlb = e->d_name;
    }
    ::closedir(d);
    std::string prefix = dir.empty() ? "" : dir + "/";
    if (!found_hlp.empty()) return prefix + found_hlp;
    if (!hlb.empty()) return prefix + hlb;
  }
  return "";
}

// The Linux file holding the library's text; "" when there is none (RMS$_FNF).
std::string library_file(std::string spec) {
  std::string root = std::getenv("VMSSIM_ROOT") ? std::getenv("VMSSIM_ROOT") : "";
  std::string dir;
  std::size_t colon = spec.find(':');
  if (!spec.empty() && spec[0] != '/' && colon != std::string::npos) {
    std::string dev = upper(spec.substr(0, colon));
    spec = spec.substr(colon + 1);
    if (dev == "SYS$HELP") {
      if (root.empty()) return "";
      dir = root + "/disk/help";
    } else {
      std::ifstream devices(root + "/devices");
      std::string name, path;
      while (devices >> name >> path)
        if (upper(name) == dev) dir = path;
      if (dir.empty()) return "";
    }
    if (!spec.empty() && (spec[0] == '[' || spec[0] == '<')) {
      std::size_t close = spec.find_first_of("]>");
      if (close == std::string::npos) return "";
      std::stringstream parts(spec.substr(1, close - 1));
      std::string part;
      while (std::getline(parts, part, '.'))
        if (!part.empty()) {
          for (char& c : part) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
          dir += "/" + part;
        }
      spec = spec.substr(close + 1);
    }
  } else {
    std::size_t slash = spec.rfind('/');
    if (slash != std::string::npos) {
      dir = spec.substr(0, slash);
      spec = spec.substr(slash + 1);
    }
  }
  spec = spec.substr(0, spec.find(';'));
  if (spec.empty()) spec = "HELPLIB";
  std::string stem = spec;
  std::size_t dot = spec.rfind('.');
  if (dot != std::string::npos) {
    stem = spec.substr(0, dot);
    std::string exact = (dir.empty() ? "" : dir + "/") + spec;
    if (upper(spec.substr(dot)) != ".HLB" && is_file(exact)) return exact;
  }
  return find_text(dir, stem);
}

// A line buffer and descriptor in 32-bit memory, for the caller's routines (spec 5).
struct Low {
  dsc$descriptor_s* desc = nullptr;
  char* text = nullptr;
  unsigned short size = 0;
  bool set(const std::string& s) {
    std::size_t n = s.size() > 4096 ? 4096 : s.size();
    if (desc == nullptr) {
      desc = static_cast<dsc$descriptor_s*>(_malloc32(sizeof(dsc$descriptor_s)));
      text = static_cast<char*>(_malloc32(4096));
      if (desc == nullptr || text == nullptr) return false;
    }
    std::memcpy(text, s.data(), n);
    *desc = {static_cast<unsigned short>(n), DSC$K_DTYPE_T, DSC$K_CLASS_S, text};
    return true;
  }
};

// The routines are called with LIB$PUT_OUTPUT's and LIB$GET_INPUT's declared types
// (lib$routines.h), so that UBSan's function check accepts the usual callers.
using OutRoutine = unsigned int (*)(void*);
using InRoutine = unsigned int (*)(void*, void*, unsigned short*);

std::string join(const std::vector<std::string>& keys) {
  std::string s;
  for (const auto& k : keys) s += (s.empty() ? "" : " ") + upper(k);
  return s;
}

}  // namespace

extern "C" unsigned int lbr$output_help(int (*output_routine)(__unknown_params),
                                        unsigned int* output_width, void* line_desc,
                                        void* library_name, unsigned int* flags_ref,
                                        int (*input_routine)(__unknown_params)) {
  using vmssim::rt::addr32_ok;
  std::vector<vmssim::hlp::Topic> topics;
  std::vector<std::string> keys;
  unsigned int flags = 0;
  int width = 80;
  {
    vmssim::rt::ServiceScope scope;
    if (output_routine == nullptr) return SS$_BADPARAM;
    if (output_width != nullptr) {
      if (!addr32_ok(output_width, 4)) return SS$_ACCVIO;
      if (*output_width != 0) width = static_cast<int>(*output_width);
    }
    if (flags_ref != nullptr) {
      if (!addr32_ok(flags_ref, 4)) return SS$_ACCVIO;
      flags = *flags_ref;
    }
    std::string line, library = "SYS$HELP:HELPLIB.HLB";
    bool ok = true;
    if (line_desc != nullptr) line = vmssim::text::read(line_desc, &ok);
    if (!ok) return SS$_ACCVIO;
    if (library_name != nullptr) {
      std::string l = vmssim::text::read(library_name, &ok);
      if (!ok) return SS$_ACCVIO;
      if (!l.empty()) library = l;
    }
    keys = vmssim::hlp::split_keys(line);
    if (!keys.empty() && keys[0][0] == '@') {  // "@filespec" switches the root library [V]
      library = keys[0].substr(1);
      keys.erase(keys.begin());
    }
    std::string file = library_file(library);
    std::ifstream in(file);
    if (file.empty() || !in) return RMS$_FNF;
    std::stringstream ss;
    ss << in.rdbuf();
    std::string error;
    if (!vmssim::hlp::parse(ss.str(), topics, error)) {
      std::fprintf(stderr, "vmssim: help library %s: %s\n", file.c_str(), error.c_str());
      return SS$_BADPARAM;
    }
  }
  Low out_line;
  unsigned int failed = 0;
  vmssim::hlp::Output out;
  out.width = width;
  out.line = [&](const std::string& s) {
    if (!out_line.set(s)) {
      failed = SS$_INSFMEM;
      return false;
    }
    unsigned int st = reinterpret_cast<OutRoutine>(output_routine)(out_line.desc);
    if (!(st & 1)) failed = st;
    return (st & 1) != 0;
  };
  bool stopped = false;
  std::vector<const vmssim::hlp::Topic*> reached = vmssim::hlp::show(topics, keys, out, &stopped);
  if (stopped) return failed;
  if (!(flags & HLP$M_PROMPT) || input_routine == nullptr) return SS$_NORMAL;

  // Prompting [V URM73].  `keys` is the level the prompt is at: a topic with subtopics.
  auto has_subtopics = [](const std::vector<const vmssim::hlp::Topic*>& r) {
    return r.size() == 1 && !r[0]->subtopics.empty();
  };
  if (!keys.empty() && !has_subtopics(reached)) keys.pop_back();
  Low prompt, answer;
  if (!answer.set(std::string(255, ' ')) || !prompt.set("")) return SS$_INSFMEM;
  for (;;) {
    prompt.set(keys.empty() ? "Topic? " : join(keys) + " Subtopic? ");
    answer.set(std::string(255, ' '));
    unsigned short len = 0;
    auto* lenp = static_cast<unsigned short*>(_malloc32(sizeof len));
    if (lenp == nullptr) return SS$_INSFMEM;
    *lenp = 0;
    unsigned int st = reinterpret_cast<InRoutine>(input_routine)(answer.desc, prompt.desc, lenp);
    len = *lenp;
    if (!(st & 1)) return SS$_NORMAL;  // Ctrl/Z (RMS$_EOF) leaves
    std::string a(answer.text, len);
    std::size_t b = a.find_first_not_of(" \t");
    if (b == std::string::npos) {  // Return: up one level, or out
      if (keys.empty()) return SS$_NORMAL;
      keys.pop_back();
      continue;
    }
    if (a.substr(b, 1) == "?") {  // the current level's list again
      const std::vector<vmssim::hlp::Topic>* level = &topics;
      const char* heading = "Information available:";
      if (!keys.empty()) {
        vmssim::hlp::Output quiet;
        quiet.line = [](const std::string&) { return true; };
        std::vector<const vmssim::hlp::Topic*> here =
            vmssim::hlp::show(topics, keys, quiet, &stopped);
        if (here.size() == 1) level = &here[0]->subtopics;
        heading = "Additional information available:";
      }
      if (!vmssim::hlp::list(*level, heading, out)) return failed;
      continue;
    }
    std::vector<std::string> more = vmssim::hlp::split_keys(a);
    std::vector<std::string> next = keys;
    next.insert(next.end(), more.begin(), more.end());
    reached = vmssim::hlp::show(topics, next, out, &stopped);
    if (stopped) return failed;
    if (has_subtopics(reached)) keys = next;
  }
}
