/* jpidef.h: $GETJPI item codes.
 * Values [V VSIPY Modules/vms/jpidef/_jpidef.c, generated from STARLET; read through the
 * jhamby/vms-cpython copy]; the common ones are also in VMS-REFERENCE.md 4. */
#ifndef __JPIDEF_LOADED
#define __JPIDEF_LOADED

#define JPI$C_LISTEND 0
#define JPI$_CHAIN -1
#define JPI$_GETJPI_CONTROL_FLAGS -2

/* JPI$_JOBTYPE values. */
#define JPI$K_DETACHED 0
#define JPI$K_NETWORK 1
#define JPI$K_BATCH 2
#define JPI$K_LOCAL 3
#define JPI$K_DIALUP 4
#define JPI$K_REMOTE 5
/* JPI$_MODE values. */
#define JPI$K_OTHER 0
#define JPI$K_INTERACTIVE 3

#define JPI$_ASTACT 768
#define JPI$_ASTEN 769
#define JPI$_PRI 770
#define JPI$_OWNER 771
#define JPI$_UIC 772
#define JPI$_STS 773
#define JPI$_STATE 774
#define JPI$_MEM 775
#define JPI$_GRP 776
#define JPI$_PRIB 777
#define JPI$_APTCNT 778
#define JPI$_TMBU 779
#define JPI$_GPGCNT 780
#define JPI$_PPGCNT 781
#define JPI$_ASTCNT 782
#define JPI$_BIOCNT 783
#define JPI$_BIOLM 784
#define JPI$_BYTCNT 785
#define JPI$_DIOCNT 786
#define JPI$_DIOLM 787
#define JPI$_FILCNT 788
#define JPI$_TQCNT 789
#define JPI$_PID 793
#define JPI$_BYTLM 794
#define JPI$_PRCCNT 795
#define JPI$_PRCNAM 796
#define JPI$_TERMINAL 797
#define JPI$_JOBPRCCNT 798
#define JPI$_ENQCNT 799
#define JPI$_ENQLM 800
#define JPI$_MODE 802
#define JPI$_JOBTYPE 803
#define JPI$_PROC_INDEX 804
#define JPI$_MASTER_PID 805
#define JPI$_STS2 808
#define JPI$_NODENAME 809
#define JPI$_PERSONA_ID 829
#define JPI$_CREATOR 847

#define JPI$_CURPRIV 1024
#define JPI$_WSQUOTA 1026
#define JPI$_CPUTIM 1031
#define JPI$_PRCLM 1032
#define JPI$_ASTLM 1033
#define JPI$_CPULIM 1037
#define JPI$_PGFLQUOTA 1038
#define JPI$_FILLM 1039
#define JPI$_TQLM 1040
#define JPI$_AUTHPRIV 1042
#define JPI$_IMAGPRIV 1043
#define JPI$_WSEXTENT 1046
#define JPI$_AUTHPRI 1048

#define JPI$_USERNAME 514
#define JPI$_ACCOUNT 515
#define JPI$_PROCPRIV 516
#define JPI$_LOGINTIM 518
#define JPI$_IMAGNAME 519
#define JPI$_CLINAME 522
#define JPI$_CREPRC_FLAGS 524
#define JPI$_MAXDETACH 526
#define JPI$_MAXJOBS 527

#endif /* __JPIDEF_LOADED */
