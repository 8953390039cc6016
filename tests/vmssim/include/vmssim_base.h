/* vmssim_base.h: what every simulated STARLET header needs from the compiler, and the
 * 4-byte address fields of spec section 5.  Not an OpenVMS header: the OpenVMS headers
 * below include it, the backend never does.
 *
 * - __int64: a keyword of the VSI compilers (C and clang C++ with -fms-extensions style
 *   types) [C VMS-REFERENCE 3.4: the $QIO prototype uses it]; defined here when the host
 *   compiler lacks it.
 * - __unknown_params: STARLET's spelling of an AST or action routine's parameter list,
 *   `...` in C++ and empty (unprototyped) in C [C VSIPY, code index id 4596929754], so
 *   the backend needs the same casts as on OpenVMS.
 * - vmssim_ptr32<T>: dsc$a_pointer, ile3$ps_bufaddr, ile3$ps_retlen_addr.  On OpenVMS
 *   these are 32-bit pointers; the simulator keeps them 4 bytes (so descriptors stay 8
 *   bytes and ILE3 entries 12) and stores an address at or above 2 GiB as the poison
 *   address vmssim_poison32() (defined by lib/mem32.cpp), so that a heap pointer stored
 *   in one gives SS$_ACCVIO from every service, or SIGSEGV when dereferenced [G, spec 5]. */
#ifndef VMSSIM_BASE_H
#define VMSSIM_BASE_H

/* A macro, not a typedef, so that `unsigned __int64` works as with the VSI compilers. */
#if !defined(__VMS) && !defined(_MSC_VER) && !defined(__int64)
#define __int64 long long
#endif

#ifndef __unknown_params
#ifdef __cplusplus
#define __unknown_params ...
#else
#define __unknown_params
#endif
#endif

/* An optional trailing argument.  STARLET declares them `...` and OpenVMS passes the
 * argument count; Linux has no count, so the simulator declares them and gives C++
 * callers OpenVMS's "omitted" value, 0 (C callers pass every argument). */
#ifdef __cplusplus
#define __optional_arg = 0
#else
#define __optional_arg
#endif

#ifdef __cplusplus
extern "C" {
#endif
/* The 32-bit address of a PROT_NONE page below 2 GiB that the services refuse with
 * SS$_ACCVIO (lib/mem32.cpp). */
unsigned int vmssim_poison32(void);
#ifdef __cplusplus
}

/* A 32-bit address field.  Plain assignment from a T* compiles, as on OpenVMS; reading
 * it gives back a T*.  Trivial, so structures holding it stay aggregates. */
template <typename T>
class vmssim_ptr32 {
 public:
  vmssim_ptr32() = default;
  vmssim_ptr32(T* p) : addr_(to32(p)) {}
  operator T*() const { return reinterpret_cast<T*>(static_cast<unsigned long long>(addr_)); }
  /* The stored 32 bits (for the services' checks). */
  unsigned int raw() const { return addr_; }

 private:
  static unsigned int to32(T* p) {
    unsigned long long v = static_cast<unsigned long long>(reinterpret_cast<__UINTPTR_TYPE__>(p));
    return v < 0x80000000ULL ? static_cast<unsigned int>(v) : vmssim_poison32();
  }
  unsigned int addr_;
};
#define VMSSIM_PTR32(T) vmssim_ptr32<T>
#else
#define VMSSIM_PTR32(T) unsigned int
#endif

#endif /* VMSSIM_BASE_H */
