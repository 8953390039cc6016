/* pqldef.h: $CREPRC quota list codes.
 * Values [V VSIPY pqldef; P GOVAX $PQLDEF identical], VMS-REFERENCE.md 1.3 (look-alike
 * headers with the codes in alphabetical order are wrong).  An entry is a code byte then
 * a longword value, unaligned (5 bytes); the list ends with PQL$_LISTEND.  STARLET
 * declares no entry structure: callers pack their own (#pragma pack / member_alignment). */
#ifndef __PQLDEF_LOADED
#define __PQLDEF_LOADED

#define PQL$_LISTEND 0
#define PQL$_ASTLM 1
#define PQL$_BIOLM 2
#define PQL$_BYTLM 3
#define PQL$_CPULM 4
#define PQL$_DIOLM 5
#define PQL$_FILLM 6
#define PQL$_PGFLQUOTA 7
#define PQL$_PRCLM 8
#define PQL$_TQELM 9
#define PQL$_WSQUOTA 10
#define PQL$_WSDEFAULT 11
#define PQL$_ENQLM 12
#define PQL$_WSEXTENT 13
#define PQL$_JTQUOTA 14
#define PQL$_LENGTH 15

#endif /* __PQLDEF_LOADED */
