// The message texts built into the simulator: SYSTEM (facility 0) for the SS$ codes of
// ssdef.h, RMS (facility 1) for rmsdef.h's, and CLI (facility 3) for climsgdef.h's and
// the parser's own (cli_status.hpp).  Codes [V, as in the headers]; texts [M: OpenVMS's
// system message file as remembered, to be checked with F$MESSAGE on a target]; FAO
// counts [M].
#include <climsgdef.h>
#include <rmsdef.h>
#include <ssdef.h>

#include "cli_status.hpp"
#include "msgtab.hpp"

namespace {

const vmssim_message k_system[] = {
    {SS$_NORMAL, "NORMAL", "normal successful completion", 0},
    {SS$_WASSET, "WASSET", "event flag was set", 0},
    {SS$_ACCVIO, "ACCVIO", "access violation, reason mask=!XB, virtual address=!XH, PC=!XH, PS=!XL",
     4},
    {SS$_BADPARAM, "BADPARAM", "bad parameter value", 0},
    {SS$_EXQUOTA, "EXQUOTA", "process quota exceeded", 0},
    {SS$_NOPRIV, "NOPRIV", "insufficient privilege or object protection violation", 0},
    {SS$_ABORT, "ABORT", "abort", 0},
    {SS$_DEVNOTMBX, "DEVNOTMBX", "device is not a mailbox", 0},
    {SS$_DUPLNAM, "DUPLNAM", "duplicate name", 0},
    {SS$_ILLEFC, "ILLEFC", "illegal event flag cluster", 0},
    {SS$_ILLIOFUNC, "ILLIOFUNC", "illegal I/O function code", 0},
    {SS$_INSFMEM, "INSFMEM", "insufficient dynamic memory", 0},
    {SS$_IVCHAN, "IVCHAN", "invalid I/O channel", 0},
    {SS$_IVDEVNAM, "IVDEVNAM", "invalid device name", 0},
    {SS$_IVLOGNAM, "IVLOGNAM", "invalid logical name", 0},
    {SS$_IVLOGTAB, "IVLOGTAB", "invalid logical name table", 0},
    {SS$_IVQUOTAL, "IVQUOTAL", "invalid quota list", 0},
    {SS$_IVSTSFLG, "IVSTSFLG", "invalid status flag", 0},
    {SS$_IVTIME, "IVTIME", "invalid time", 0},
    {SS$_MBTOOSML, "MBTOOSML", "mailbox is too small for request", 0},
    {SS$_NOIOCHAN, "NOIOCHAN", "no I/O channel available", 0},
    {SS$_NOLOGNAM, "NOLOGNAM", "no logical name match", 0},
    {SS$_TIMEOUT, "TIMEOUT", "device timeout", 0},
    {SS$_UNASEFC, "UNASEFC", "unassociated event flag cluster", 0},
    {SS$_IVBUFLEN, "IVBUFLEN", "invalid buffer length", 0},
    {SS$_NOSLOT, "NOSLOT", "no PCB or swap slot available", 0},
    {SS$_SUSPENDED, "SUSPENDED", "process is suspended", 0},
    {SS$_BUFFEROVF, "BUFFEROVF", "output buffer overflow", 0},
    {SS$_MSGNOTFND, "MSGNOTFND", "message not in system message file", 0},
    {SS$_NOTRAN, "NOTRAN", "no string translation performed", 0},
    {SS$_SUPERSEDE, "SUPERSEDE", "logical name superseded", 0},
    {SS$_NOTALLPRIV, "NOTALLPRIV", "not all requested privileges authorized", 0},
    {SS$_LNMCREATED, "LNMCREATED", "logical name table was created", 0},
    {SS$_CANCEL, "CANCEL", "I/O operation canceled", 0},
    {SS$_ENDOFFILE, "ENDOFFILE", "end of file", 0},
    {SS$_MBFULL, "MBFULL", "mailbox is full", 0},
    {SS$_NONEXPR, "NONEXPR", "nonexistent process", 0},
    {SS$_NOSUCHDEV, "NOSUCHDEV", "no such device available", 0},
    {SS$_NOMOREPROC, "NOMOREPROC", "no more processes", 0},
    {SS$_NOSUCHUSER, "NOSUCHUSER", "no such user", 0},
    {SS$_FORCEDEXIT, "FORCEDEXIT", "forced exit of image or process by job controller", 0},
    {SS$_EXLNMQUOTA, "EXLNMQUOTA", "logical name table is full", 0},
    {SS$_NOLOGTAB, "NOLOGTAB", "no logical name table matched the specified name", 0},
    {SS$_NOREADER, "NOREADER", "no reader channel assigned to the mailbox", 0},
    {SS$_NOWRITER, "NOWRITER", "no writer channel assigned to the mailbox", 0},
    {SS$_EXPRCLM, "EXPRCLM", "exceeded allowed number of processes", 0},
};

const vmssim_message k_rms[] = {
    {RMS$_NORMAL, "NORMAL", "normal successful completion", 0},
    {RMS$_EOF, "EOF", "end of file detected", 0},
    {RMS$_FEX, "FEX", "file already exists, not superseded", 0},
    {RMS$_FNF, "FNF", "file not found", 0},
    {RMS$_PRV, "PRV", "insufficient privilege or file protection violation", 0},
    {RMS$_DNF, "DNF", "directory not found", 0},
    {RMS$_SYN, "SYN", "file specification syntax error", 0},
};

const vmssim_message k_cli[] = {
    {CLI$_NORMAL, "NORMAL", "normal successful completion", 0},
    {CLI$_INSFPRM, "INSFPRM", "missing command parameters - supply all required parameters", 0},
    {CLI$_IVVERB, "IVVERB", "unrecognized command verb - check validity and spelling", 0},
    {CLI$_NOCOMD, "NOCOMD", "no command on line - reenter with alphabetic first character", 0},
    {CLI$_VALREQ, "VALREQ", "missing qualifier or keyword value - supply all required values", 0},
    {CLI$_ABSENT, "ABSENT", "entity or value absent from command string", 0},
    {CLI$_NEGATED, "NEGATED", "entity explicitly negated in command string", 0},
    {CLI$_LOCNEG, "LOCNEG", "entity explicitly and locally negated in command string", 0},
    {CLI$_CONFLICT, "CONFLICT", "illegal combination of command elements - check documentation", 0},
    {CLI$_PRESENT, "PRESENT", "entity value is present in command string", 0},
    {CLI$_DEFAULTED, "DEFAULTED", "entity present by default in command string", 0},
    {CLI$_CONCAT, "CONCAT", "requested value is terminated by a plus sign", 0},
    {CLI$_LOCPRES, "LOCPRES", "entity value is locally present in command string", 0},
    {CLI$_COMMA, "COMMA", "requested value is terminated by a comma", 0},
    {CLI$_INVREQTYP, "INVREQTYP", "invalid request type", 0},
    {vmssim::cli::kIvqual, "IVQUAL",
     "unrecognized qualifier - check validity, spelling, and placement", 0},
    {vmssim::cli::kIvkeyw, "IVKEYW", "unrecognized keyword - check validity and spelling", 0},
    {vmssim::cli::kMaxparm, "MAXPARM",
     "too many parameters - reenter command with fewer parameters", 0},
    {vmssim::cli::kNotneg, "NOTNEG", "qualifier or keyword not negatable - remove \"NO\" or omit",
     0},
    {vmssim::cli::kOneval, "ONEVAL", "list of values not allowed - check use of comma (,)", 0},
    {vmssim::cli::kAbverb, "ABVERB", "ambiguous command verb - supply more characters", 0},
    {vmssim::cli::kAbkeyw, "ABKEYW", "ambiguous keyword - supply more characters", 0},
    {vmssim::cli::kNovalu, "NOVALU", "value not allowed - remove value specification", 0},
    {vmssim::cli::kIvvalu, "IVVALU", "invalid value syntax - check use of delimiters", 0},
};

const vmssim_message_table k_tables[] = {
    {"SYSTEM", 0, k_system, sizeof k_system / sizeof k_system[0]},
    {"RMS", 1, k_rms, sizeof k_rms / sizeof k_rms[0]},
    {"CLI", 3, k_cli, sizeof k_cli / sizeof k_cli[0]},
};

}  // namespace

// The tables of the .MSG files compiled into the library (vmssim_msgc --builtin).
extern "C" void vmssim_builtin_messages(void);

namespace vmssim::msg {

void register_builtin() {
  static bool done = false;
  if (done) return;
  done = true;
  for (const auto& t : k_tables) vmssim_register_messages(&t);
  vmssim_builtin_messages();
}

}  // namespace vmssim::msg
