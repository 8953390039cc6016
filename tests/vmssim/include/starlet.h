/* starlet.h: the system services the backend calls, as OpenVMS x86-64 declares them.
 * Argument order and widths: the HELP System_Services prototypes and VSI's CPython port
 * (VSIPY Modules/vms/sys/_sys.c), as cited in VMS-REFERENCE.md and VMS-SIMULATOR.md 4;
 * [V] where one of those gives the C prototype verbatim, [M] otherwise (the argument list
 * is documented, the exact C types are STARLET's as remembered).  Optional trailing
 * arguments are `...`, as in STARLET.  AST and action routines have STARLET's
 * `__unknown_params` type (vmssim_base.h). */
#ifndef __STARLET_LOADED
#define __STARLET_LOADED

#include "gen64def.h"
#include "iosbdef.h"
#include "vmssim_base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* --- processes (spec 4.1, 4.2, 4.9) --- */
/* [M] VMS-REFERENCE 1.1; itmlst, node follow stsflg. */
int sys$creprc(unsigned int* pidadr, void* image, void* input, void* output, void* error,
               struct _generic_64* prvadr, unsigned int* quota, void* prcnam, unsigned int baspri,
               unsigned int uic, unsigned short int mbxunt, unsigned int stsflg,
               void* itmlst __optional_arg, void* node __optional_arg);
/* [M] (persona*, usrnam, flags [, usrpro, itmlst]) */
int sys$persona_create(unsigned int* persona, void* usrnam, unsigned int flags,
                       void* usrpro __optional_arg, void* itmlst __optional_arg);
/* [M] (persona*, flags [, previous*, reserved]) */
int sys$persona_assume(unsigned int* persona, unsigned int flags,
                       unsigned int* previous __optional_arg, void* reserved __optional_arg);
int sys$persona_delete(unsigned int* persona);
/* [M] */
int sys$setprv(char enbflg, struct _generic_64* prvadr, char prmflg, struct _generic_64* prvprv);
/* [V HELP-SS + VSIWIKI] */
int sys$forcex(unsigned int* pidadr, void* prcnam, unsigned int code);
/* [V VSIPY: (pidadr, prcnam, flags)] */
int sys$delprc(unsigned int* pidadr, void* prcnam, unsigned int flags __optional_arg);
int sys$exit(unsigned int code);
/* desblk: the exit handler control block [M]. */
int sys$dclexh(void* desblk);
int sys$wake(unsigned int* pidadr, void* prcnam);
int sys$hiber(void);
int sys$schdwk(unsigned int* pidadr, void* prcnam, struct _generic_64* daytim,
               struct _generic_64* reptim);
int sys$canwak(unsigned int* pidadr, void* prcnam);
/* [V VSIPY: (efn, pidadr, prcnam, itmlst, iosb, astadr, astprm)] */
int sys$getjpi(unsigned int efn, unsigned int* pidadr, void* prcnam, void* itmlst,
               struct _iosb* iosb, void (*astadr)(__unknown_params), unsigned __int64 astprm);
int sys$getjpiw(unsigned int efn, unsigned int* pidadr, void* prcnam, void* itmlst,
                struct _iosb* iosb, void (*astadr)(__unknown_params), unsigned __int64 astprm);
int sys$process_scan(unsigned int* pidctx, void* itmlst);

/* --- mailboxes and I/O (spec 4.3-4.5) --- */
/* [V HELP-SS, verbatim] */
int sys$crembx(char prmflg, unsigned short int* chan, unsigned int maxmsg, unsigned int bufquo,
               unsigned int promsk, unsigned int acmode, void* lognam,
               unsigned int flags __optional_arg, unsigned int nullarg __optional_arg);
/* [V HELP-SS] */
int sys$delmbx(unsigned short int chan);
/* [V MBU: (devnam, chan, acmode, mbxnam [, flags])] */
int sys$assign(void* devnam, unsigned short int* chan, unsigned int acmode, void* mbxnam,
               unsigned int flags __optional_arg);
int sys$dassgn(unsigned short int chan);
/* [V HELP-SS, verbatim] */
int sys$qio(unsigned int efn, unsigned short int chan, unsigned int func, struct _iosb* iosb,
            void (*astadr)(__unknown_params), __int64 astprm, void* p1, __int64 p2, __int64 p3,
            __int64 p4, __int64 p5, __int64 p6);
int sys$qiow(unsigned int efn, unsigned short int chan, unsigned int func, struct _iosb* iosb,
             void (*astadr)(__unknown_params), __int64 astprm, void* p1, __int64 p2, __int64 p3,
             __int64 p4, __int64 p5, __int64 p6);
int sys$cancel(unsigned short int chan);
/* [V HOFF: (efn, chan, devnam, itmlst, iosb, astadr, astprm, nullarg)] */
int sys$getdvi(unsigned int efn, unsigned short int chan, void* devnam, void* itmlst,
               struct _iosb* iosb, void (*astadr)(__unknown_params), __int64 astprm,
               struct _generic_64* nullarg __optional_arg);
int sys$getdviw(unsigned int efn, unsigned short int chan, void* devnam, void* itmlst,
                struct _iosb* iosb, void (*astadr)(__unknown_params), __int64 astprm,
                struct _generic_64* nullarg __optional_arg);

/* --- ASTs, event flags, waits (spec 3) --- */
int sys$setast(char enbflg);
int sys$dclast(void (*astadr)(__unknown_params), unsigned __int64 astprm, unsigned int acmode);
int sys$setef(unsigned int efn);
int sys$clref(unsigned int efn);
int sys$readef(unsigned int efn, unsigned int* state);
int sys$waitfr(unsigned int efn);
int sys$wflor(unsigned int efn, unsigned int mask);
int sys$synch(unsigned int efn, struct _iosb* iosb);

/* --- time (spec 4.6) --- */
int sys$setimr(unsigned int efn, struct _generic_64* daytim, void (*astadr)(__unknown_params),
               unsigned __int64 reqidt, unsigned int flags);
int sys$cantim(unsigned __int64 reqidt, unsigned int acmode);
int sys$gettim(struct _generic_64* timadr, unsigned int flags __optional_arg);
int sys$bintim(void* timbuf, struct _generic_64* timadr);
int sys$asctim(unsigned short int* timlen, void* timbuf, struct _generic_64* timadr, char cvtflg);
int sys$numtim(unsigned short int timbuf[7], struct _generic_64* timadr);

/* --- logical names (spec 4.7) --- */
int sys$crelnt(unsigned int* attr, void* resnam, unsigned int* reslen, unsigned int* quota,
               unsigned short int* promsk, void* tabnam, void* partab, unsigned char* acmode);
/* [V HELP-SS / HP 82final 4527pro_023] */
int sys$crelnm(unsigned int* attr, void* tabnam, void* lognam, unsigned char* acmode, void* itmlst);
int sys$trnlnm(unsigned int* attr, void* tabnam, void* lognam, unsigned char* acmode, void* itmlst);
int sys$dellnm(void* tabnam, void* lognam, unsigned char* acmode);

/* --- messages (spec 4.10) --- */
/* flags: 1 text, 2 ident, 4 severity, 8 facility; outadr receives 4 bytes. */
int sys$getmsg(unsigned int msgid, unsigned short int* msglen, void* bufadr, unsigned int flags,
               unsigned char outadr[4]);
/* msgvec: longword count (low word) and default flags (high word), then each message. */
int sys$putmsg(void* msgvec, int (*actrtn)(__unknown_params), void* facnam,
               unsigned __int64 actprm);

#ifdef __cplusplus
}
#endif

#endif /* __STARLET_LOADED */
