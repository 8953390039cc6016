/* cli$routines.h: the CLI$ utility routines.
 * Arguments [V HELP-CLI, VMS-REFERENCE.md 7.4]: CLI$DCL_PARSE takes the table by value
 * (the address of the compiled table) then optional param_routine, prompt_routine and
 * prompt_string; CLI$GET_VALUE's retlength (a word) is optional.  C types [M];
 * STARLET's `...` for the optional arguments is spelled out (__optional_arg). */
#ifndef __CLI$ROUTINES_LOADED
#define __CLI$ROUTINES_LOADED

#include "vmssim_base.h"

#ifdef __cplusplus
extern "C" {
#endif

unsigned int cli$dcl_parse(void* command_string, void* table,
                           int (*param_routine)(__unknown_params) __optional_arg,
                           int (*prompt_routine)(__unknown_params) __optional_arg,
                           void* prompt_string __optional_arg);
unsigned int cli$dispatch(unsigned int userarg __optional_arg);
unsigned int cli$present(void* entity_desc);
unsigned int cli$get_value(void* entity_desc, void* retdesc,
                           unsigned short* retlength __optional_arg);

#ifdef __cplusplus
}
#endif

#endif /* __CLI$ROUTINES_LOADED */
