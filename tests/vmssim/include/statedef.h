/* statedef.h: scheduler states, the values of JPI$_STATE.
 * Values [V VSIPY statedef], VMS-REFERENCE.md 4. */
#ifndef __STATEDEF_LOADED
#define __STATEDEF_LOADED

#define SCH$C_COLPG 1
#define SCH$C_MWAIT 2
#define SCH$C_CEF 3
#define SCH$C_PFW 4
#define SCH$C_LEF 5
#define SCH$C_LEFO 6
#define SCH$C_HIB 7
#define SCH$C_HIBO 8
#define SCH$C_SUSP 9
#define SCH$C_SUSPO 10
#define SCH$C_FPG 11
#define SCH$C_COM 12
#define SCH$C_COMO 13
#define SCH$C_CUR 14

#endif /* __STATEDEF_LOADED */
