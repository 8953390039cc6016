// CLI$DCL_PARSE, CLI$PRESENT, CLI$GET_VALUE, CLI$DISPATCH, LIB$GET_FOREIGN, LIB$ESTABLISH /
// LIB$REVERT / LIB$SIG_TO_RET (spec 4.10) over the simulator's own CLD interpreter
// (cld.hpp).  Sources: HELP-CLI [V], VMS-REFERENCE 7.4, MBU and IZIP callers [C].
//
// The command that invoked the image: `vmssim dcl` passes the registered .CLD file and the
// command line in VMSSIM_CLI_CLD and VMSSIM_CLI_COMMAND; the image's CLI$ routines parse
// them again with the same interpreter on first use [G].  With neither (a process with no
// CLI), the routines return CLI$_INVREQTYP [V HELP-CLI].
//
// Conditions: CLI$DCL_PARSE signals and returns its errors [V HELP-CLI].  The simulator's
// condition handling is the LIB$SIG_TO_RET model only [G, spec 7]: one process-wide
// handler set by LIB$ESTABLISH until LIB$REVERT (OpenVMS scopes it to the establishing
// frame).  With LIB$SIG_TO_RET established a signal just returns its status; with none
// the default handler prints the message (SYS$OUTPUT and SYS$ERROR) and execution goes on
// (warning and error severities) [V default handler; M for printing both].
#include <climsgdef.h>
#include <descrip.h>
#include <dlfcn.h>
#include <lib$routines.h>
#include <rmsdef.h>
#include <ssdef.h>

#include <cli$routines.h>
#include <vmssim.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>

#include "cld.hpp"
#include "cli_status.hpp"
#include "kernel.hpp"
#include "msgtext.hpp"
#include "text_util.hpp"

namespace {

using vmssim::rt::ServiceScope;

struct CliState {
  bool loaded = false;  // the invoking command was looked for
  std::unique_ptr<vmssim::cld::Table> invoking_table;
  std::string invoking_line;
  bool have_invoking = false;
  vmssim::cld::Parse parse;
  bool have_parse = false;
  std::map<const void*, std::unique_ptr<vmssim::cld::Table>> tables;  // by object address
};

CliState& state() {
  static CliState* s = new CliState;  // never destroyed: usable from exit handlers
  return *s;
}

unsigned int (*g_handler)(void*, void*) = nullptr;

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// Signals `code` (see the file comment); returns it.
unsigned int signal_condition(unsigned int code, const std::string& detail) {
  if (g_handler == lib$sig_to_ret) return code;
  std::string line;
  vmssim::msg::render(code, 0xF, line, nullptr);
  vmssim::text::put_line(line, true);
  if (!detail.empty()) vmssim::text::put_line(" \\" + detail + "\\", true);
  return code;
}

// Loads the command that invoked the image, once.
void load_invoking() {
  CliState& s = state();
  if (s.loaded) return;
  s.loaded = true;
  const char* cld = std::getenv("VMSSIM_CLI_CLD");
  const char* cmd = std::getenv("VMSSIM_CLI_COMMAND");
  if (cld == nullptr || cmd == nullptr) return;
  std::ifstream in(cld);
  std::stringstream ss;
  ss << in.rdbuf();
  auto table = std::make_unique<vmssim::cld::Table>();
  std::string error;
  if (!in || !vmssim::cld::parse_cld(ss.str(), *table, error)) {
    std::fprintf(stderr, "vmssim: VMSSIM_CLI_CLD %s: %s\n", cld, error.c_str());
    return;
  }
  s.invoking_table = std::move(table);
  s.invoking_line = cmd;
  s.have_invoking = true;
}

// Makes the invoking command the current parse (CLI$DCL_PARSE with no command, or the
// first CLI$PRESENT/GET_VALUE of an image run by `vmssim dcl`).
unsigned int restore_invoking() {
  load_invoking();
  CliState& s = state();
  if (!s.have_invoking) return CLI$_INVREQTYP;
  vmssim::cld::Parse p;
  std::string detail;
  unsigned int st = vmssim::cld::parse_command(*s.invoking_table, s.invoking_line, p, detail);
  if (st != CLI$_NORMAL) return st;
  s.parse = std::move(p);
  s.have_parse = true;
  return CLI$_NORMAL;
}

bool current(unsigned int& status) {
  CliState& s = state();
  if (!s.have_parse) {
    unsigned int st = restore_invoking();
    if (st != CLI$_NORMAL) {
      status = st;
      return false;
    }
  }
  return true;
}

// The entity state for a name, label or keyword path; null (and a signal) when the
// syntax has no such entity.
vmssim::cld::EntityState* entity(const std::string& name, unsigned int& status) {
  CliState& s = state();
  auto n = s.parse.names.find(upper(name));
  if (n == s.parse.names.end()) {
    status = signal_condition(vmssim::cli::kIvkeyw, upper(name));
    return nullptr;
  }
  return &s.parse.entities[n->second];
}

}  // namespace

extern "C" unsigned int cli$dcl_parse(void* command_string, void* table,
                                      int (*param_routine)(__unknown_params),
                                      int (*prompt_routine)(__unknown_params),
                                      void* prompt_string) {
  ServiceScope scope;
  (void)param_routine;
  CliState& s = state();
  if (command_string == nullptr && prompt_routine == nullptr) return restore_invoking();
  const auto* obj = static_cast<const vmssim_cld_table*>(table);
  if (obj == nullptr || obj->magic != VMSSIM_CLD_MAGIC) {
    std::fprintf(stderr, "vmssim: UNIMPLEMENTED: CLI$DCL_PARSE table is not a vmssim_cldc table\n");
    return SS$_BADPARAM;
  }
  auto& t = s.tables[obj];
  if (!t) {
    t = std::make_unique<vmssim::cld::Table>();
    std::string error;
    if (!vmssim::cld::parse_cld(obj->source, *t, error)) {
      std::fprintf(stderr, "vmssim: table %s: %s\n", obj->module, error.c_str());
      t.reset();
      return SS$_BADPARAM;
    }
  }
  // LIB$GET_INPUT's declared type (lib$routines.h), the usual prompt routine.
  using Input = unsigned int (*)(void*, void*, unsigned short*);
  std::string line;
  if (command_string != nullptr) {
    bool ok = false;
    line = vmssim::text::read(command_string, &ok);
    if (!ok) return SS$_ACCVIO;
  } else {
    // Prompt for the command through prompt_routine (LIB$GET_INPUT's form) [V HELP-CLI].
    char buf[1024];
    struct dsc$descriptor_s d = {sizeof buf, DSC$K_DTYPE_T, DSC$K_CLASS_S, buf};
    unsigned short len = 0;
    unsigned int st = reinterpret_cast<Input>(prompt_routine)(&d, prompt_string, &len);
    if (!(st & 1)) return st;  // RMS$_EOF: Ctrl/Z
    line.assign(buf, len);
  }
  if (line.size() > 1024) return signal_condition(CLI$_INSFPRM, "");  // [V 1024 with continuation]
  for (int round = 0; round < 8; ++round) {
    vmssim::cld::Parse p;
    std::string detail;
    unsigned int st = vmssim::cld::parse_command(*t, line, p, detail);
    if (st == CLI$_INSFPRM && prompt_routine != nullptr) {
      // A missing required parameter is prompted for with its PROMPT [V HELP-CLI; M form].
      std::string prompt = "_" + detail + ": ";
      std::vector<char> pbuf(prompt.begin(), prompt.end());
      struct dsc$descriptor_s pd = {static_cast<unsigned short>(pbuf.size()), DSC$K_DTYPE_T,
                                    DSC$K_CLASS_S, pbuf.data()};
      char buf[1024];
      struct dsc$descriptor_s d = {sizeof buf, DSC$K_DTYPE_T, DSC$K_CLASS_S, buf};
      unsigned short len = 0;
      unsigned int r = reinterpret_cast<Input>(prompt_routine)(&d, &pd, &len);
      if (!(r & 1)) return r;
      line += " " + std::string(buf, len);
      continue;
    }
    if (st != CLI$_NORMAL) return signal_condition(st, detail);
    s.parse = std::move(p);
    s.have_parse = true;
    return CLI$_NORMAL;
  }
  return signal_condition(CLI$_INSFPRM, "");
}

extern "C" unsigned int cli$present(void* entity_desc) {
  ServiceScope scope;
  bool ok = false;
  std::string name = vmssim::text::read(entity_desc, &ok);
  if (!ok) return SS$_ACCVIO;
  unsigned int status = 0;
  if (!current(status)) return status;
  vmssim::cld::EntityState* e = entity(name, status);
  if (e == nullptr) return status;
  if (e->present) {
    if (e->negated) return e->local ? CLI$_LOCNEG : CLI$_NEGATED;
    return e->local ? CLI$_LOCPRES : CLI$_PRESENT;
  }
  if (e->defaulted) return CLI$_DEFAULTED;
  return CLI$_ABSENT;
}

extern "C" unsigned int cli$get_value(void* entity_desc, void* retdesc, unsigned short* retlength) {
  ServiceScope scope;
  bool ok = false;
  std::string name = vmssim::text::read(entity_desc, &ok);
  if (!ok) return SS$_ACCVIO;
  unsigned int status = 0;
  if (!current(status)) return status;
  vmssim::cld::EntityState* e = entity(name, status);
  if (e == nullptr) return status;
  if (retlength != nullptr && !vmssim::rt::addr32_ok(retlength, 2)) return SS$_ACCVIO;
  if (e->negated || e->next >= e->values.size()) return CLI$_ABSENT;
  const vmssim::cld::Value& v = e->values[e->next++];
  vmssim::text::write(retdesc, v.text, retlength, &ok);
  if (!ok) return SS$_ACCVIO;
  if (v.sep == ',') return CLI$_COMMA;
  if (v.sep == '+') return CLI$_CONCAT;
  return SS$_NORMAL;
}

extern "C" unsigned int cli$dispatch(unsigned int userarg) {
  ServiceScope scope;
  unsigned int status = 0;
  if (!current(status)) return status;
  const vmssim::cld::Parse& p = state().parse;
  std::string routine = p.syntax && !p.syntax->routine.empty() ? p.syntax->routine : "";
  if (routine.empty() && p.table)
    for (const auto& v : p.table->verbs)
      if (v.name == p.verb) routine = v.routine;
  // The ROUTINE by its global name, as the linker would bind it (needs -rdynamic) [G].
  std::string lower = routine;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  void* sym = routine.empty() ? nullptr : ::dlsym(RTLD_DEFAULT, routine.c_str());
  if (sym == nullptr && !routine.empty()) sym = ::dlsym(RTLD_DEFAULT, lower.c_str());
  if (sym == nullptr) {
    std::fprintf(stderr, "vmssim: UNIMPLEMENTED: CLI$DISPATCH cannot find routine '%s'\n",
                 routine.c_str());
    return SS$_BADPARAM;
  }
  return reinterpret_cast<unsigned int (*)(unsigned int)>(sym)(userarg);
}

extern "C" unsigned int lib$get_foreign(void* resultant_string, void* prompt_string,
                                        unsigned short* resultant_length, unsigned int* flags) {
  ServiceScope scope;
  (void)flags;
  if (resultant_length != nullptr && !vmssim::rt::addr32_ok(resultant_length, 2)) return SS$_ACCVIO;
  load_invoking();
  CliState& s = state();
  std::string text;
  if (s.have_invoking) {
    vmssim::cld::Parse p;
    std::string detail;
    vmssim::cld::parse_command(*s.invoking_table, s.invoking_line, p, detail);
    text = p.rest;
  } else {
    // A program the harness ran directly: its arguments, as a foreign command's line [G].
    std::ifstream in("/proc/self/cmdline", std::ios::binary);
    std::string arg;
    bool first = true;
    while (std::getline(in, arg, '\0')) {
      if (first) {
        first = false;
        continue;
      }
      if (!text.empty()) text += ' ';
      text += arg;
    }
  }
  if (text.empty() && prompt_string != nullptr) {
    return lib$get_input(resultant_string, prompt_string, resultant_length);
  }
  bool ok = false;
  vmssim::text::write(resultant_string, text, resultant_length, &ok);
  return ok ? SS$_NORMAL : SS$_ACCVIO;
}

extern "C" void* lib$establish(unsigned int (*new_handler)(void*, void*)) {
  auto* old = reinterpret_cast<void*>(g_handler);
  g_handler = new_handler;
  return old;
}

extern "C" void* lib$revert(void) {
  auto* old = reinterpret_cast<void*>(g_handler);
  g_handler = nullptr;
  return old;
}

extern "C" unsigned int lib$sig_to_ret(void* signal_arguments, void* mechanism_arguments) {
  // Only its identity is used (LIB$ESTABLISH(LIB$SIG_TO_RET)); called as a routine it would
  // need the frame unwinding the simulator does not model (spec 7).
  (void)signal_arguments;
  (void)mechanism_arguments;
  std::fprintf(stderr, "vmssim: UNIMPLEMENTED: LIB$SIG_TO_RET called directly\n");
  return SS$_BADPARAM;
}
