/* issdef.h: persona services' constants.
 * Values [V VSIPY Modules/vms/issdef/_issdef.c, generated from STARLET; read through the
 * jhamby/vms-cpython copy].  ISS$C_ID_NATURAL (1) is the natural persona: assuming it
 * discards the current one [V HELP $PERSONA_ASSUME]. */
#ifndef __ISSDEF_LOADED
#define __ISSDEF_LOADED

#define ISS$C_ID_NATURAL 1
#define ISS$C_ID_POSIX_REAL -2
#define ISS$C_ID_IMAGE_PERSONA -2

/* $PERSONA_CREATE flags. */
#define ISS$M_CREATE_DEFPRIV 0x8
#define ISS$M_CREATE_DEFCLASS 0x10
#define ISS$M_CREATE_AUTHPRIV 0x20
#define ISS$M_NOACCESS 0x100000
/* $PERSONA_ASSUME flags. */
#define ISS$M_ASSUME_NODEREF_OLD 0x10000
#define ISS$M_ASSUME_NOREF_NEW 0x20000

/* $PERSONA_QUERY / $PERSONA_CREATE item codes. */
#define ISS$_FLAGS 1
#define ISS$_WORKPRIV 3
#define ISS$_MODE 4
#define ISS$_USERNAME 9
#define ISS$_ACCOUNT 10
#define ISS$_AUTHPRIV 12
#define ISS$_PERMPRIV 13
#define ISS$_UIC 22

#endif /* __ISSDEF_LOADED */
