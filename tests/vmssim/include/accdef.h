/* accdef.h: the accounting record / termination mailbox message.
 * Offsets [V SSREF83 $CREPRC; P GOVAX $ACCDEF assembled on VAX/VMS 7.3; V VSIPY
 * ACC$K_TERMLEN 84, ACC$S_ACCDEF 108], VMS-REFERENCE.md 2.  The termination message is
 * the first ACC$K_TERMLEN bytes; the job fields after it (to 108 bytes) belong to the
 * other record layouts.  Quadword fields as __int64 [M: the C type STARLET uses]; packed
 * to 4 so that the record is 108 bytes as on OpenVMS. */
#ifndef __ACCDEF_LOADED
#define __ACCDEF_LOADED

#include "vmssim_base.h"

#define ACC$K_TERMLEN 84
#define ACC$C_TERMLEN 84
#define ACC$K_JOB_LEN 108
#define ACC$C_JOB_LEN 108
#define ACC$K_PRT_LEN 88
#define ACC$C_PRT_LEN 88
#define ACC$K_INS_LEN 176
#define ACC$C_INS_LEN 176
#define ACC$S_ACCDEF 108

#define ACC$K_PRCTRM 1
#define ACC$K_BATTRM 2
#define ACC$K_INTTRM 3
#define ACC$K_LOGTRM 4
#define ACC$K_IMGTRM 5
#define ACC$K_SUBTRM 6
#define ACC$K_DETTRM 7
#define ACC$K_NETTRM 8

#pragma pack(push, 4)
struct accdef {
  unsigned short acc$w_msgtyp; /* MSG$_DELPROC for a termination message */
  unsigned short acc$w_msgsiz;
  unsigned int acc$l_finalsts; /* the exit status, bit 28 (STS$M_INHIB_MSG) kept */
  unsigned int acc$l_pid;
  unsigned int acc$l_jobid;
  __int64 acc$q_termtime;
  char acc$t_account[8];     /* blank-filled */
  char acc$t_username[12];   /* blank-filled */
  unsigned int acc$l_cputim; /* 10 ms units */
  unsigned int acc$l_pageflts;
  unsigned int acc$l_pgflpeak;
  unsigned int acc$l_wspeak;
  unsigned int acc$l_biocnt;
  unsigned int acc$l_diocnt;
  unsigned int acc$l_volumes;
  __int64 acc$q_login;
  unsigned int acc$l_owner; /* 0 for a detached process */
  char acc$t_job_name[8];
  char acc$t_job_que[16];
};
#pragma pack(pop)

#endif /* __ACCDEF_LOADED */
