/* ssdef.h: system service condition values.
 * Values [V VSIPY Modules/vms/ssdef/_ssdef.c, generated from STARLET], as tabulated in
 * VMS-REFERENCE.md 3.4 and VMS-SIMULATOR.md 4.0 (decimal there).  Only those codes. */
#ifndef __SSDEF_LOADED
#define __SSDEF_LOADED

#define SS$_NORMAL 1
#define SS$_WASCLR 1
#define SS$_WASSET 9
#define SS$_ACCVIO 12
#define SS$_BADPARAM 20
#define SS$_EXQUOTA 28
#define SS$_NOPRIV 36
#define SS$_ABORT 44
#define SS$_DEVNOTMBX 116
#define SS$_DUPLNAM 148
#define SS$_ILLEFC 236
#define SS$_ILLIOFUNC 244
#define SS$_INSFMEM 292
#define SS$_IVCHAN 316
#define SS$_IVDEVNAM 324
#define SS$_IVLOGNAM 340
#define SS$_IVLOGTAB 348
#define SS$_IVQUOTAL 356
#define SS$_IVSTSFLG 380
#define SS$_IVTIME 388
#define SS$_MBTOOSML 412
#define SS$_NOIOCHAN 436
#define SS$_NOLOGNAM 444
#define SS$_TIMEOUT 556
#define SS$_UNASEFC 564
#define SS$_IVBUFLEN 844
#define SS$_NOSLOT 924
#define SS$_SUSPENDED 932
#define SS$_BUFFEROVF 1537
#define SS$_MSGNOTFND 1569
#define SS$_NOTRAN 1577
#define SS$_SUPERSEDE 1585
#define SS$_NOTALLPRIV 1665
#define SS$_LNMCREATED 1713
#define SS$_CANCEL 2096
#define SS$_ENDOFFILE 2160
#define SS$_MBFULL 2264
#define SS$_NONEXPR 2280
#define SS$_NOSUCHDEV 2312
#define SS$_NOMOREPROC 2472
#define SS$_NOSUCHUSER 8324
#define SS$_FORCEDEXIT 8572
#define SS$_EXLNMQUOTA 8780
#define SS$_NOLOGTAB 8852
#define SS$_NOREADER 9412
#define SS$_NOWRITER 9420
#define SS$_EXPRCLM 10804

#endif /* __SSDEF_LOADED */
