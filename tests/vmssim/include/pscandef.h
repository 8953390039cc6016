/* pscandef.h: $PROCESS_SCAN item codes and item-specific flags.
 * Values [V VSIPY Modules/vms/pscandef/_pscandef.c, generated from STARLET; read through
 * the jhamby/vms-cpython copy].  Items are alphabetical from 1; look-alike headers that
 * number PID 1, GRP 2 ... are wrong.  An item list entry is 12 bytes: length word, code
 * word, value or 32-bit address, flags longword [M layout, spec 4.8]; STARLET declares no
 * structure for it (callers use ILE3-shaped structures of their own). */
#ifndef __PSCANDEF_LOADED
#define __PSCANDEF_LOADED

#define PSCAN$_BEGIN 0
#define PSCAN$_ACCOUNT 1
#define PSCAN$_AUTHPRI 2
#define PSCAN$_CURPRIV 3
#define PSCAN$_GRP 4
#define PSCAN$_HW_MODEL 5
#define PSCAN$_HW_NAME 6
#define PSCAN$_JOBPRCCNT 7
#define PSCAN$_JOBTYPE 8
#define PSCAN$_MASTER_PID 9
#define PSCAN$_MEM 10
#define PSCAN$_MODE 11
#define PSCAN$_NODE_CSID 12
#define PSCAN$_NODENAME 13
#define PSCAN$_OWNER 14
#define PSCAN$_PRCCNT 15
#define PSCAN$_PRCNAM 16
#define PSCAN$_PRI 17
#define PSCAN$_PRIB 18
#define PSCAN$_STATE 19
#define PSCAN$_STS 20
#define PSCAN$_TERMINAL 21
#define PSCAN$_UIC 22
#define PSCAN$_USERNAME 23
#define PSCAN$_GETJPI_BUFFER_SIZE 24
#define PSCAN$_PSCAN_CONTROL_FLAGS 25
#define PSCAN$_KT_COUNT 26
#define PSCAN$_MULTITHREAD 27
#define PSCAN$_SCHED_CLASS_NAME 28
#define PSCAN$_END 29

#define PSCAN$M_OR 0x1
#define PSCAN$M_BIT_ALL 0x2
#define PSCAN$M_BIT_ANY 0x4
#define PSCAN$M_GEQ 0x8
#define PSCAN$M_GTR 0x10
#define PSCAN$M_LEQ 0x20
#define PSCAN$M_LSS 0x40
#define PSCAN$M_PREFIX_MATCH 0x80
#define PSCAN$M_WILDCARD 0x100
#define PSCAN$M_CASE_BLIND 0x200
#define PSCAN$M_EQL 0x400
#define PSCAN$M_NEQ 0x800

/* PSCAN$_PSCAN_CONTROL_FLAGS value. */
#define PSCAN$M_THREAD 0x1

#endif /* __PSCANDEF_LOADED */
