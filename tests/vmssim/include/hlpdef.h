/* hlpdef.h: LBR$OUTPUT_HELP flags (passed by reference).
 * HLP$M_PROMPT 1 [V two independent copies], HLP$M_LIBLIST 16 [V Jed]; PROCESS, GROUP,
 * SYSTEM, HELP [M], VMS-REFERENCE.md 8 (real callers combine all six). */
#ifndef __HLPDEF_LOADED
#define __HLPDEF_LOADED

#define HLP$M_PROMPT 0x1
#define HLP$M_PROCESS 0x2
#define HLP$M_GROUP 0x4
#define HLP$M_SYSTEM 0x8
#define HLP$M_LIBLIST 0x10
#define HLP$M_HELP 0x20

#endif /* __HLPDEF_LOADED */
