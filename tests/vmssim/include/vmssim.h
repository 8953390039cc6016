/* vmssim.h: simulator-only declarations (never OpenVMS's; a CI grep keeps this header out
 * of src/).  The pieces of the simulator that are not a service: the poison address of
 * spec section 5, the message tables a compiled .MSG registers, and the DCL front end of
 * the `vmssim` tool. */
#ifndef VMSSIM_H
#define VMSSIM_H

#include "vmssim_base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One message of a facility, as the simulator's .MSG compiler emits it [G]. */
struct vmssim_message {
  unsigned int code; /* the full condition value (severity in bits 0-2) */
  const char* ident; /* e.g. "STARTED" */
  const char* text;  /* FAO control string, e.g. "program !AS started" */
  unsigned int fao_count;
};

/* A facility's messages; `name` is the facility name printed in %FAC-S-IDENT. */
struct vmssim_message_table {
  const char* name;
  unsigned int facility; /* the facility number, bits 16-27 of each code */
  const struct vmssim_message* messages;
  unsigned int count;
};

/* Makes a table's messages known to $GETMSG and $PUTMSG in this process; a compiled .MSG
 * object calls it from a static initializer.  The table must outlive the process. */
void vmssim_register_messages(const struct vmssim_message_table* table);

/* A command table as the simulator's SET COMMAND/OBJECT (vmssim_add_cld in CMake) emits
 * it: the global symbol is the CLD's MODULE name (and its lowercase spelling), whose
 * address the program passes to CLI$DCL_PARSE as OpenVMS programs pass their table's
 * [V HELP-CLI: table by value; G: the contents]. */
#define VMSSIM_CLD_MAGIC 0x31444C43u /* "CLD1" */
struct vmssim_cld_table {
  unsigned int magic;
  const char* module;
  const char* source; /* the .CLD text, read again by CLI$DCL_PARSE */
};

/* `vmssim dcl 'VERB ...'` and `vmssim set-command X.CLD` (tool/dcl.cpp); argv[0] is the
 * subcommand.  Returns the process exit code. */
int vmssim_dcl_command(int argc, char** argv);

#ifdef __cplusplus
}
#endif

#endif /* VMSSIM_H */
