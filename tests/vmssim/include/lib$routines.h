/* lib$routines.h: the LIB$ run-time library routines the backend uses.
 * Arguments [V HELP RTL LIB$ routines, as used by MBU and HOFF]; C types [M]; the
 * optional arguments are declared (__optional_arg, vmssim_base.h). */
#ifndef __LIB$ROUTINES_LOADED
#define __LIB$ROUTINES_LOADED

#include "vmssim_base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* (resultant_string [, prompt_string, resultant_length, flags]): the command line after
 * the verb. */
unsigned int lib$get_foreign(void* resultant_string, void* prompt_string __optional_arg,
                             unsigned short* resultant_length __optional_arg,
                             unsigned int* flags __optional_arg);
/* (resultant_string [, prompt_string, resultant_length]): a line of SYS$INPUT. */
unsigned int lib$get_input(void* resultant_string, void* prompt_string __optional_arg,
                           unsigned short* resultant_length __optional_arg);
/* A line to SYS$OUTPUT. */
unsigned int lib$put_output(void* message_string);
/* The condition handler that turns a signal into the establisher's return status. */
unsigned int lib$sig_to_ret(void* signal_arguments, void* mechanism_arguments);
/* Establishes a condition handler for the calling routine's frame; returns the previous. */
void* lib$establish(unsigned int (*new_handler)(void*, void*));
/* Removes the calling routine's handler; returns it. */
void* lib$revert(void);

#ifdef __cplusplus
}
#endif

#endif /* __LIB$ROUTINES_LOADED */
