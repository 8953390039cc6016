/* stsdef.h: the fields of a condition value.
 * Values [V VSIPY Modules/vms/stsdef/_stsdef.c], VMS-REFERENCE.md 9.1.  The
 * $VMS_STATUS_xxx macros are STARLET's [C seen in public C++ using <stsdef.h>]. */
#ifndef __STSDEF_LOADED
#define __STSDEF_LOADED

#define STS$M_SEVERITY 0x7
#define STS$M_SUCCESS 0x1
#define STS$M_COND_ID 0xFFFFFF8
#define STS$M_CONTROL 0xF0000000
#define STS$M_MSG_NO 0xFFF8
#define STS$M_CODE 0x7FF8
#define STS$M_FAC_SP 0x8000
#define STS$M_CUST_DEF 0x8000000
#define STS$M_INHIB_MSG 0x10000000
#define STS$M_FAC_NO 0xFFF0000

#define STS$V_SEVERITY 0
#define STS$V_SUCCESS 0
#define STS$V_COND_ID 3
#define STS$V_MSG_NO 3
#define STS$V_CODE 3
#define STS$V_FAC_SP 15
#define STS$V_FAC_NO 16
#define STS$V_CUST_DEF 27
#define STS$V_INHIB_MSG 28
#define STS$V_CONTROL 28

#define STS$K_WARNING 0
#define STS$K_SUCCESS 1
#define STS$K_ERROR 2
#define STS$K_INFO 3
#define STS$K_SEVERE 4

#define $VMS_STATUS_SEVERITY(code) (((code)&STS$M_SEVERITY) >> STS$V_SEVERITY)
#define $VMS_STATUS_SUCCESS(code) (((code)&STS$M_SUCCESS) >> STS$V_SUCCESS)
#define $VMS_STATUS_COND_ID(code) (((code)&STS$M_COND_ID) >> STS$V_COND_ID)
#define $VMS_STATUS_MSG_NO(code) (((code)&STS$M_MSG_NO) >> STS$V_MSG_NO)
#define $VMS_STATUS_CODE(code) (((code)&STS$M_CODE) >> STS$V_CODE)
#define $VMS_STATUS_FAC_SP(code) (((code)&STS$M_FAC_SP) >> STS$V_FAC_SP)
#define $VMS_STATUS_FAC_NO(code) (((code)&STS$M_FAC_NO) >> STS$V_FAC_NO)
#define $VMS_STATUS_CUST_DEF(code) (((code)&STS$M_CUST_DEF) >> STS$V_CUST_DEF)
#define $VMS_STATUS_INHIB_MSG(code) (((code)&STS$M_INHIB_MSG) >> STS$V_INHIB_MSG)
#define $VMS_STATUS_CONTROL(code) (((code)&STS$M_CONTROL) >> STS$V_CONTROL)

#endif /* __STSDEF_LOADED */
