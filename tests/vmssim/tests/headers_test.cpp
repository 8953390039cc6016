// The simulated OpenVMS headers on their own: the sizes and offsets the backend relies on
// (spec section 5: descriptors 8 bytes, ILE3 12; the 8-byte IOSB; the 5-byte PQL entry; the
// 84-byte termination message), a sample of constants against the sources named in include/*.h
// (tests/vmssim/SPEC.md 4.0), the 4-byte address fields, and that each header compiles on its
// own in C and in C++ (vmssim_header_tests builds one translation unit per header).
#include <accdef.h>
#include <cli$routines.h>
#include <climsgdef.h>
#include <cmbdef.h>
#include <dcdef.h>
#include <descrip.h>
#include <dvidef.h>
#include <efndef.h>
#include <gen64def.h>
#include <hlpdef.h>
#include <iledef.h>
#include <iodef.h>
#include <iosbdef.h>
#include <issdef.h>
#include <jpidef.h>
#include <lbr$routines.h>
#include <lib$routines.h>
#include <lnmdef.h>
#include <msgdef.h>
#include <pqldef.h>
#include <prcdef.h>
#include <prvdef.h>
#include <pscandef.h>
#include <psldef.h>
#include <rmsdef.h>
#include <ssdef.h>
#include <starlet.h>
#include <statedef.h>
#include <stsdef.h>
#include <sys/mman.h>
#include <vmssim.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include <gtest/gtest.h>

namespace {

// A quota list entry as a real caller packs it (VMS-REFERENCE 1.3): STARLET has no type.
#pragma pack(push, 1)
struct PqlEntry {
  unsigned char code;
  unsigned int value;
};
#pragma pack(pop)

TEST(VmsHeaders, SizesAreOpenVmsOnes) {
  EXPECT_EQ(sizeof(struct dsc$descriptor_s), 8u);
  EXPECT_EQ(sizeof(struct dsc$descriptor_d), 8u);
  EXPECT_EQ(sizeof(struct dsc$descriptor), 8u);
  EXPECT_EQ(sizeof(ILE3), 12u);
  EXPECT_EQ(sizeof(ILE2), 8u);
  EXPECT_EQ(sizeof(IOSB), 8u);
  EXPECT_EQ(alignof(IOSB), 4u);  // the status word can be read atomically
  EXPECT_EQ(sizeof(GENERIC_64), 8u);
  EXPECT_EQ(sizeof(PqlEntry), 5u);
  PqlEntry list[3] = {{PQL$_ASTLM, 600}, {PQL$_BYTLM, 131072}, {PQL$_LISTEND, 0}};
  EXPECT_EQ(sizeof(list), 15u);
  EXPECT_EQ(sizeof(struct accdef), static_cast<std::size_t>(ACC$S_ACCDEF));
  EXPECT_TRUE(std::is_trivially_copyable<ILE3>::value);
  EXPECT_TRUE(std::is_trivially_copyable<struct dsc$descriptor_s>::value);
}

TEST(VmsHeaders, DescriptorAndItemListLayout) {
  EXPECT_EQ(offsetof(struct dsc$descriptor_s, dsc$w_length), 0u);
  EXPECT_EQ(offsetof(struct dsc$descriptor_s, dsc$b_dtype), 2u);
  EXPECT_EQ(offsetof(struct dsc$descriptor_s, dsc$b_class), 3u);
  EXPECT_EQ(offsetof(struct dsc$descriptor_s, dsc$a_pointer), 4u);
  EXPECT_EQ(offsetof(ILE3, ile3$w_length), 0u);
  EXPECT_EQ(offsetof(ILE3, ile3$w_code), 2u);
  EXPECT_EQ(offsetof(ILE3, ile3$ps_bufaddr), 4u);
  EXPECT_EQ(offsetof(ILE3, ile3$ps_retlen_addr), 8u);
}

TEST(VmsHeaders, IosbLayout) {
  // Mailbox IOSB: status word, count word, PID longword [V MBU, HOFF]; $GETxxI status in
  // the first longword [C CSWS].
  IOSB iosb;
  unsigned char raw[8] = {0x01, 0x00, 0x54, 0x00, 0x2C, 0x01, 0x40, 0x20};
  std::memcpy(&iosb, raw, sizeof raw);
  EXPECT_EQ(iosb.iosb$w_status, 1);
  EXPECT_EQ(iosb.iosb$w_bcnt, 84);
  EXPECT_EQ(iosb.iosb$l_pid, 0x2040012Cu);
  EXPECT_EQ(iosb.iosb$l_dev_depend, 0x2040012Cu);
  EXPECT_EQ(iosb.iosb$l_getxxi_status, 0x00540001u);
}

TEST(VmsHeaders, TerminationMessageOffsets) {
  // VMS-REFERENCE 2 (SSREF83; GOVAX $ACCDEF; VSIPY ACC$K_TERMLEN).
  EXPECT_EQ(offsetof(struct accdef, acc$w_msgtyp), 0u);
  EXPECT_EQ(offsetof(struct accdef, acc$w_msgsiz), 2u);
  EXPECT_EQ(offsetof(struct accdef, acc$l_finalsts), 4u);
  EXPECT_EQ(offsetof(struct accdef, acc$l_pid), 8u);
  EXPECT_EQ(offsetof(struct accdef, acc$l_jobid), 12u);
  EXPECT_EQ(offsetof(struct accdef, acc$q_termtime), 16u);
  EXPECT_EQ(offsetof(struct accdef, acc$t_account), 24u);
  EXPECT_EQ(offsetof(struct accdef, acc$t_username), 32u);
  EXPECT_EQ(offsetof(struct accdef, acc$l_cputim), 44u);
  EXPECT_EQ(offsetof(struct accdef, acc$l_pageflts), 48u);
  EXPECT_EQ(offsetof(struct accdef, acc$l_pgflpeak), 52u);
  EXPECT_EQ(offsetof(struct accdef, acc$l_wspeak), 56u);
  EXPECT_EQ(offsetof(struct accdef, acc$l_biocnt), 60u);
  EXPECT_EQ(offsetof(struct accdef, acc$l_diocnt), 64u);
  EXPECT_EQ(offsetof(struct accdef, acc$l_volumes), 68u);
  EXPECT_EQ(offsetof(struct accdef, acc$q_login), 72u);
  EXPECT_EQ(offsetof(struct accdef, acc$l_owner), 80u);
  EXPECT_EQ(offsetof(struct accdef, acc$t_job_name), static_cast<std::size_t>(ACC$K_TERMLEN));
  EXPECT_EQ(ACC$K_TERMLEN, 84);
  EXPECT_EQ(MSG$_DELPROC, 3);
}

TEST(VmsHeaders, ConstantsMatchTheReferenceTables) {
  // VMS-REFERENCE 3.4 and VMS-SIMULATOR 4.0 (decimal there).
  EXPECT_EQ(SS$_NORMAL, 1);
  EXPECT_EQ(SS$_WASSET, 9);
  EXPECT_EQ(SS$_ACCVIO, 12);
  EXPECT_EQ(SS$_ABORT, 44);
  EXPECT_EQ(SS$_DUPLNAM, 148);
  EXPECT_EQ(SS$_IVLOGNAM, 340);
  EXPECT_EQ(SS$_IVSTSFLG, 380);
  EXPECT_EQ(SS$_ENDOFFILE, 2160);
  EXPECT_EQ(SS$_NONEXPR, 2280);
  EXPECT_EQ(SS$_BUFFEROVF, 1537);
  EXPECT_EQ(SS$_MSGNOTFND, 1569);
  EXPECT_EQ(SS$_NOMOREPROC, 2472);
  EXPECT_EQ(SS$_FORCEDEXIT, 0x217C);
  EXPECT_EQ(SS$_NOREADER, 0x24C4);
  EXPECT_EQ(SS$_NOLOGTAB, 8852);
  EXPECT_EQ(RMS$_FNF, 98962);
  EXPECT_EQ(RMS$_EOF, 98938);
  // 1.2, 1.3: the look-alike headers' wrong values must not be here.
  EXPECT_EQ(PRC$M_DETACH, 0x200);
  EXPECT_EQ(PRC$M_IMPERSONATE, PRC$M_DETACH);
  EXPECT_EQ(PRC$M_KT_LIMIT, 0x4000000);
  EXPECT_EQ(PQL$_ASTLM, 1);
  EXPECT_EQ(PQL$_PRCLM, 8);
  EXPECT_EQ(PQL$_JTQUOTA, 14);
  // 6: a quadword mask; IMPERSONATE is bit 5, not 37.
  EXPECT_EQ(PRV$M_IMPERSONATE, 0x20);
  EXPECT_EQ(PRV$M_DETACH, PRV$M_IMPERSONATE);
  EXPECT_EQ(PRV$M_SYSPRV, 0x10000000);
  EXPECT_EQ(PRV$M_READALL, 0x800000000ULL);
  EXPECT_EQ(PRV$M_TMPMBX, 1u << 15);
  // 3.4, 3.2, 4, 5.
  EXPECT_EQ(IO$_READVBLK, 49);
  EXPECT_EQ(IO$_WRITEVBLK, 48);
  EXPECT_EQ(IO$_WRITEOF, 40);
  EXPECT_EQ(IO$M_NORSWAIT, 0x400);
  EXPECT_EQ(IO$M_WRTATTN, 0x100);
  EXPECT_EQ(DVI$_UNIT, 12);
  EXPECT_EQ(DVI$_FULLDEVNAM, 232);
  EXPECT_EQ(JPI$_PRCNAM, 796);
  EXPECT_EQ(JPI$_TMBU, 779);
  EXPECT_EQ(JPI$_USERNAME, 514);
  EXPECT_EQ(JPI$_CPUTIM, 1031);
  EXPECT_EQ(SCH$C_HIB, 7);
  EXPECT_EQ(LNM$_STRING, 2);
  EXPECT_EQ(LNM$_MAX_INDEX, 7);
  EXPECT_EQ(LNM$M_CREATE_IF, 0x1000000);
  EXPECT_EQ(LNM$M_CASE_BLIND, 0x2000000);
  EXPECT_EQ(PSL$C_USER, 3);
  EXPECT_EQ(CMB$M_READONLY, 1);
  EXPECT_EQ(CMB$M_WRITEONLY, 2);
  EXPECT_EQ(EFN$C_ENF, 128);
  EXPECT_EQ(ISS$C_ID_NATURAL, 1);
  EXPECT_EQ(PSCAN$_PRCNAM, 16);
  EXPECT_EQ(PSCAN$M_PREFIX_MATCH, 0x80);
  // 7.4, 8, 9.1.
  EXPECT_EQ(CLI$_ABSENT, 0x000381F0);
  EXPECT_EQ(CLI$_PRESENT, 0x0003FD19);
  EXPECT_EQ(CLI$_COMMA, 0x0003FD39);
  EXPECT_EQ(CLI$_ABSENT & 1, 0);  // a warning: `status & 1` treats it as failure
  EXPECT_EQ(HLP$M_PROMPT, 1);
  EXPECT_EQ(HLP$M_LIBLIST, 16);
  EXPECT_EQ(STS$M_INHIB_MSG, 0x10000000u);
  EXPECT_EQ(STS$M_CUST_DEF, 0x08000000u);
  EXPECT_EQ(STS$K_SEVERE, 4);
  EXPECT_EQ($VMS_STATUS_SEVERITY(0x0C14800Cu), 4u);  // MMK__NOOPNDSC, 9.2
  EXPECT_EQ($VMS_STATUS_FAC_NO(0x0C14800Cu), 0xC14u);
}

// A 32-bit address (spec 5): one below 2 GiB is stored as it is; any other becomes
// vmssim_poison32().
TEST(VmsHeaders, AddressFieldsKeepLowPointersAndPoisonHighOnes) {
  void* low =
      mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
  ASSERT_NE(low, MAP_FAILED);
  ASSERT_LT(reinterpret_cast<std::uintptr_t>(low), 0x80000000u);
  char* text = static_cast<char*>(low);
  std::strcpy(text, "a string longer than fifteen bytes");

  struct dsc$descriptor_s d = {34, DSC$K_DTYPE_T, DSC$K_CLASS_S, text};
  EXPECT_EQ(static_cast<char*>(d.dsc$a_pointer), text);
  EXPECT_EQ(d.dsc$a_pointer[2], 's');
  EXPECT_EQ(std::memcmp(d.dsc$a_pointer, "a string", 8), 0);

  unsigned short* retlen = reinterpret_cast<unsigned short*>(text + 64);
  ILE3 items[2] = {{4, DVI$_UNIT, text + 48, retlen}, {0, 0, nullptr, nullptr}};
  EXPECT_EQ(static_cast<void*>(items[0].ile3$ps_bufaddr), text + 48);
  EXPECT_EQ(static_cast<unsigned short*>(items[0].ile3$ps_retlen_addr), retlen);
  EXPECT_EQ(items[1].ile3$ps_bufaddr.raw(), 0u);

  // Placed at 4 GiB or more: the heap of a vmssim_program, or an explicit high mapping.
  void* high = mmap(reinterpret_cast<void*>(0x500000000000ULL), 4096, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(high, MAP_FAILED);
  ASSERT_GE(reinterpret_cast<std::uintptr_t>(high), 0x80000000u);
  d.dsc$a_pointer = static_cast<char*>(high);
  EXPECT_EQ(d.dsc$a_pointer.raw(), vmssim_poison32());
  items[0].ile3$ps_bufaddr = high;
  EXPECT_EQ(items[0].ile3$ps_bufaddr.raw(), vmssim_poison32());
  // Exactly 2 GiB is already system space [M, spec 5].
  d.dsc$a_pointer = reinterpret_cast<char*>(0x80000000ULL);
  EXPECT_EQ(d.dsc$a_pointer.raw(), vmssim_poison32());
  d.dsc$a_pointer = reinterpret_cast<char*>(0x7FFFFFF0ULL);
  EXPECT_EQ(d.dsc$a_pointer.raw(), 0x7FFFFFF0u);
  munmap(high, 4096);
  munmap(low, 4096);
}

// An AST routine the backend's way: `void f(__int64)`, cast to STARLET's type
// (unevaluated here: only the types are checked, no service runs).
extern "C" void sample_ast(__int64) {}
TEST(VmsHeaders, StarletPrototypesTakeTheBackendsCalls) {
  using Ast = void (*)(__unknown_params);
  IOSB iosb;
  unsigned short chan = 0;
  unsigned int pid = 0;
  $DESCRIPTOR(name, "SUPERVISORD_CMD");
  static_assert(std::is_same<decltype(sys$qio(EFN$C_ENF, chan, IO$_READVBLK, &iosb,
                                              reinterpret_cast<Ast>(sample_ast), 0, nullptr,
                                              ACC$K_TERMLEN, 0, 0, 0, 0)),
                             int>::value,
                "sys$qio");
  static_assert(std::is_same<decltype(sys$crembx(1, &chan, 256, 4096, 0, PSL$C_USER, &name, 0, 0)),
                             int>::value,
                "sys$crembx");
  static_assert(std::is_same<decltype(sys$forcex(&pid, nullptr, SS$_FORCEDEXIT)), int>::value,
                "sys$forcex");
  static_assert(std::is_same<decltype(sys$delprc(&pid, nullptr)), int>::value, "sys$delprc");
  // Optional trailing arguments may be omitted, as on OpenVMS (__optional_arg).
  static_assert(std::is_same<decltype(sys$delprc(&pid, nullptr, 0)), int>::value, "3 args");
  static_assert(std::is_same<decltype(sys$creprc(&pid, &name, nullptr, nullptr, nullptr, nullptr,
                                                 nullptr, &name, 4, 0, 0, PRC$M_DETACH)),
                             int>::value,
                "sys$creprc, 12 arguments");
  static_assert(std::is_same<decltype(lib$get_input(&name)), unsigned int>::value, "1 arg");
  static_assert(std::is_same<decltype(cli$get_value(&name, &name)), unsigned int>::value,
                "cli$get_value");
  EXPECT_EQ(name.dsc$w_length, 15);
  EXPECT_EQ(name.dsc$b_class, DSC$K_CLASS_S);
  EXPECT_EQ(name.dsc$b_dtype, DSC$K_DTYPE_T);
}

#ifdef VMSSIM_HEADER_TU_LIST
// Each header compiled alone, as C and as C++ (generated by the CMake block).
#define VMSSIM_HDR(id)                      \
  extern "C" int vmssim_hdr_##id##_c(void); \
  extern "C" int vmssim_hdr_##id##_cxx(void);
#include "vmssim_hdr_list.inc"
#undef VMSSIM_HDR
TEST(VmsHeaders, EachHeaderCompilesAloneInCAndCxx) {
  int compiled = 0;
#define VMSSIM_HDR(id) compiled += vmssim_hdr_##id##_c() + vmssim_hdr_##id##_cxx();
#include "vmssim_hdr_list.inc"
#undef VMSSIM_HDR
  EXPECT_GE(compiled, 2 * 30);  // every header of include/, each twice
}
#endif

}  // namespace
