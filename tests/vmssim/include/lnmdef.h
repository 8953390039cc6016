/* lnmdef.h: logical name services' item codes, attributes and limits.
 * Values [V VSIPY lnmdef; DEC lnmdef.h copies agree], VMS-REFERENCE.md 5. */
#ifndef __LNMDEF_LOADED
#define __LNMDEF_LOADED

#define LNM$_INDEX 1
#define LNM$_STRING 2
#define LNM$_ATTRIBUTES 3
#define LNM$_TABLE 4
#define LNM$_LENGTH 5
#define LNM$_ACMODE 6
#define LNM$_MAX_INDEX 7
#define LNM$_PARENT 8
#define LNM$_LNMB_ADDR 9
#define LNM$_AGENT_ACMODE 10
#define LNM$_CHAIN -1

#define LNM$M_NO_ALIAS 0x1
#define LNM$M_CONFINE 0x2
#define LNM$M_CRELOG 0x4
#define LNM$M_TABLE 0x8
#define LNM$M_CONCEALED 0x100
#define LNM$M_TERMINAL 0x200
#define LNM$M_EXISTS 0x400
#define LNM$M_SHAREABLE 0x10000
#define LNM$M_CLUSTERWIDE 0x20000
#define LNM$M_DCL_REQUEST 0x40000
#define LNM$M_CREATE_IF 0x1000000
#define LNM$M_CASE_BLIND 0x2000000
#define LNM$M_INTERLOCKED 0x4000000
#define LNM$M_LOCAL_ACTION 0x8000000

#define LNM$C_NAMLENGTH 255
#define LNM$C_TABNAMLEN 31
#define LNM$C_MAXDEPTH 10

#endif /* __LNMDEF_LOADED */
