/**
 * The VM_* flags of a VMA.
 *
 * Mirrors: include/linux/mm.h (VM_READ ... VM_MIXEDMAP, VM_STACK).
 * Models: the bit values as the kernel defines them on x86-64.
 * Simplifies: only the flags the simulator uses.
 * See: chapter 08 (address spaces).
 */

export const VM_NONE = 0;
export const VM_READ = 0x1;
export const VM_WRITE = 0x2;
export const VM_EXEC = 0x4;
export const VM_SHARED = 0x8;
export const VM_MAYREAD = 0x10;
export const VM_MAYWRITE = 0x20;
export const VM_MAYEXEC = 0x40;
export const VM_MAYSHARE = 0x80;
export const VM_GROWSDOWN = 0x100;
export const VM_PFNMAP = 0x400;
export const VM_LOCKED = 0x2000;
export const VM_IO = 0x4000;
export const VM_DONTCOPY = 0x20000;
export const VM_DONTEXPAND = 0x40000;
export const VM_ACCOUNT = 0x100000;
export const VM_NORESERVE = 0x200000;
export const VM_HUGETLB = 0x400000;
export const VM_DONTDUMP = 0x4000000;
export const VM_SOFTDIRTY = 0x8000000;
export const VM_MIXEDMAP = 0x10000000;
/** VM_STACK on x86 (stacks grow down). */
export const VM_STACK = VM_GROWSDOWN;
