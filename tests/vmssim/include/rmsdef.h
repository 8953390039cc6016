/* rmsdef.h: RMS condition values the simulator returns.
 * Values [V VSIPY Modules/vms/rmsdef/_rmsdef.c, generated from STARLET; read through the
 * jhamby/vms-cpython copy]; FNF and EOF also in VMS-SIMULATOR.md 4.0. */
#ifndef __RMSDEF_LOADED
#define __RMSDEF_LOADED

#define RMS$_FACILITY 1
#define RMS$_SUC 65537
#define RMS$_NORMAL 65537
#define RMS$_EOF 98938
#define RMS$_FEX 98946
#define RMS$_FNF 98962
#define RMS$_PRV 98970
#define RMS$_DNF 114762
#define RMS$_SYN 100052

#endif /* __RMSDEF_LOADED */
