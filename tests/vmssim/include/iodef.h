/* iodef.h: I/O function codes and modifiers for mailboxes.
 * Values [V VSIPY Modules/vms/iodef, generated from STARLET], VMS-REFERENCE.md 3.4. */
#ifndef __IODEF_LOADED
#define __IODEF_LOADED

#define IO$_SETMODE 35
#define IO$_SENSEMODE 39
#define IO$_WRITEOF 40
#define IO$_WRITEVBLK 48
#define IO$_READVBLK 49

/* Read and write modifiers. */
#define IO$M_NOW 0x40
#define IO$M_READERCHECK 0x100
#define IO$M_WRITERCHECK 0x200
#define IO$M_NORSWAIT 0x400

/* IO$_SETMODE modifiers (attention ASTs). */
#define IO$M_MB_ROOM_NOTIFY 0x40
#define IO$M_READATTN 0x80
#define IO$M_WRTATTN 0x100

/* The function code proper is the low 6 bits [M, STARLET IO$M_FCODE]. */
#define IO$M_FCODE 0x3F

#endif /* __IODEF_LOADED */
