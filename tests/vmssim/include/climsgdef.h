/* climsgdef.h: CLI$ condition values.
 * Values, VMS-REFERENCE.md 7.4 unless noted: NEGATED, INSFPRM, VALREQ, CONFLICT [V Pat
 * Rankin's vms.h]; ABSENT, PRESENT, DEFAULTED [V3, and two independent public programs
 * hard-code 229872, 261401, 261409]; LOCNEG, CONCAT, LOCPRES, COMMA [V3/M]; NOCOMD
 * 229552 [V3, a public program hard-codes it]; NORMAL 0x30001 and IVVERB 0x38090 [P GOVAX,
 * VAX/VMS 7.3's DCL].  INVREQTYP: no trustworthy value was found [G: a simulator choice
 * with error severity in the CLI facility; compare by name, never by number]. */
#ifndef __CLIMSGDEF_LOADED
#define __CLIMSGDEF_LOADED

#define CLI$_FACILITY 3
#define CLI$_NORMAL 0x00030001
#define CLI$_INSFPRM 0x00038048
#define CLI$_IVVERB 0x00038090
#define CLI$_NOCOMD 0x000380B0
#define CLI$_VALREQ 0x00038150
#define CLI$_ABSENT 0x000381F0
#define CLI$_NEGATED 0x000381F8
#define CLI$_LOCNEG 0x00038230
#define CLI$_CONFLICT 0x00038258
#define CLI$_PRESENT 0x0003FD19
#define CLI$_DEFAULTED 0x0003FD21
#define CLI$_CONCAT 0x0003FD29
#define CLI$_LOCPRES 0x0003FD31
#define CLI$_COMMA 0x0003FD39
#define CLI$_INVREQTYP 0x0003FFF2

#endif /* __CLIMSGDEF_LOADED */
