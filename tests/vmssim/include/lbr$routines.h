/* lbr$routines.h: LBR$OUTPUT_HELP.
 * Arguments [V HELP-LBR, VMS-REFERENCE.md 8]: output_routine (LIB$PUT_OUTPUT's calling
 * form), output_width by reference (0 means 80), line_desc, library_name, flags by
 * reference (HLP$M_*), input_routine (LIB$GET_INPUT's calling form).  C types [M]. */
#ifndef __LBR$ROUTINES_LOADED
#define __LBR$ROUTINES_LOADED

#include "vmssim_base.h"

#ifdef __cplusplus
extern "C" {
#endif

unsigned int lbr$output_help(int (*output_routine)(__unknown_params), unsigned int* output_width,
                             void* line_desc, void* library_name, unsigned int* flags,
                             int (*input_routine)(__unknown_params));

#ifdef __cplusplus
}
#endif

#endif /* __LBR$ROUTINES_LOADED */
