/**
 * The x86 kernel address-space layout and the direct map.
 *
 * Mirrors: arch/x86/include/asm/page_64_types.h, page_32_types.h, page.h (`__va`, `__pa`,
 * PAGE_OFFSET), pgtable_64_types.h (VMALLOC_START, VMEMMAP_START), pgtable_32_areas.h,
 * Documentation/arch/x86/x86_64/mm.rst.
 * Models: the layout as data, per architecture and paging mode, and the direct-map
 * conversions between physical and kernel virtual addresses.
 * Simplifies: KASLR of the bases is applied by the paging subsystem, which may replace the
 * layout; addresses use the signed-64 representation of lib/base/format.ts (x86-64 kernel
 * addresses are negative numbers). Under 5-level paging the kernel half is beyond the 53 bits a
 * double holds exactly, so byte addresses there are approximate: the simulator's 5-level mode
 * is for user-space page tables.
 * See: chapter 00 (the address-space split), chapter 06 (page tables).
 */

/** Page size (4 KiB) and shift. */
export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 4096;
/** Mask of the in-page offset bits' complement. */
export const PAGE_MASK = -4096;

const TWO64 = 2n ** 64n;
/** Converts an unsigned 64-bit kernel address to the simulator's signed representation. */
export function kaddr(u: bigint): number {
  return Number(u >= 1n << 63n ? u - TWO64 : u);
}

/** One architecture's address-space layout. All addresses in the signed-64 representation. */
export interface KernelLayout {
  /** 'x86_64' or 'i386'. */
  arch: 'x86_64' | 'i386';
  /** Paging levels: 2 (i386), 3 (i386 PAE), 4 or 5 (x86-64). */
  levels: number;
  /** Virtual address bits (32, 48 or 57). */
  va_bits: number;
  /** End of user space (TASK_SIZE): 0xC0000000 on i386, 0x7ffffffff000 on x86-64. */
  task_size: number;
  /** Start of the direct map (PAGE_OFFSET / page_offset_base). */
  page_offset: number;
  /** Bytes of RAM the direct map can cover (64 TiB; 896 MiB on i386). */
  direct_map_size: number;
  /** vmalloc area [start, end). */
  vmalloc_start: number;
  vmalloc_end: number;
  /** The struct page array (vmemmap_base) on x86-64; 0 on i386. */
  vmemmap_start: number;
  /** Kernel text mapping (__START_KERNEL_map) on x86-64; PAGE_OFFSET on i386. */
  kernel_text: number;
  /** i386 only: the persistent kmap window (PKMAP_BASE), else 0. */
  pkmap_base: number;
  /** i386 only: the fixmap area top (FIXADDR_TOP), else 0. */
  fixaddr_top: number;
}

/** The x86-64 4-level layout (Documentation/arch/x86/x86_64/mm.rst). */
export const X86_64_LAYOUT: KernelLayout = {
  arch: 'x86_64',
  levels: 4,
  va_bits: 48,
  task_size: 0x7ffffffff000,
  page_offset: kaddr(0xffff888000000000n),
  direct_map_size: 64 * 2 ** 40,
  vmalloc_start: kaddr(0xffffc90000000000n),
  vmalloc_end: kaddr(0xffffe90000000000n),
  vmemmap_start: kaddr(0xffffea0000000000n),
  kernel_text: kaddr(0xffffffff80000000n),
  pkmap_base: 0,
  fixaddr_top: 0,
};

/** The x86-64 5-level (LA57) layout: user space up to 2^56, direct map at ff11000000000000. */
export const X86_64_LA57_LAYOUT: KernelLayout = {
  ...X86_64_LAYOUT,
  levels: 5,
  va_bits: 57,
  task_size: 2 ** 56 - 4096,
  page_offset: kaddr(0xff11000000000000n),
  direct_map_size: 2 ** 52,
  vmalloc_start: kaddr(0xffa0000000000000n),
  vmalloc_end: kaddr(0xffd2000000000000n),
  vmemmap_start: kaddr(0xffd4000000000000n),
};

/**
 * The i386 3G/1G layout (VMSPLIT_3G): PAGE_OFFSET 0xC0000000, 896 MiB of lowmem directly
 * mapped, vmalloc from 8 MiB above high_memory, then the pkmap window and the fixmaps at the top.
 */
export function i386Layout(pae: boolean, lowmemBytes: number): KernelLayout {
  const page_offset = 0xc0000000;
  const high_memory = page_offset + lowmemBytes;
  const fixaddr_top = 0xfffff000;
  const pkmap_base = pae ? 0xff600000 : 0xff800000;
  return {
    arch: 'i386',
    levels: pae ? 3 : 2,
    va_bits: 32,
    task_size: page_offset,
    page_offset,
    direct_map_size: 896 * 2 ** 20,
    vmalloc_start: high_memory + 8 * 2 ** 20,
    vmalloc_end: pkmap_base - 2 * PAGE_SIZE,
    vmemmap_start: 0,
    kernel_text: page_offset,
    pkmap_base,
    fixaddr_top,
  };
}

/** `__va`: the direct-map virtual address of a physical address. */
export function __va(layout: KernelLayout, phys: number): number {
  return layout.page_offset + phys;
}

/** `__pa`: the physical address behind a direct-map virtual address (no range check). */
export function __pa(layout: KernelLayout, vaddr: number): number {
  return vaddr - layout.page_offset;
}

/** True when `vaddr` lies in the direct map of `ramBytes` of lowmem. */
export function is_direct_map(layout: KernelLayout, vaddr: number, lowmemBytes: number): boolean {
  return vaddr >= layout.page_offset && vaddr < layout.page_offset + Math.min(lowmemBytes, layout.direct_map_size);
}
