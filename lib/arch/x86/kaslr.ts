/**
 * KASLR: randomised bases of the kernel's memory regions and of the kernel text.
 *
 * Mirrors: arch/x86/mm/kaslr.c (kernel_randomize_memory: the direct map, vmalloc and vmemmap
 * bases placed in order between __PAGE_OFFSET_BASE and CPU_ENTRY_AREA_BASE, each moved by a
 * PUD-aligned share of the remaining entropy), arch/x86/boot/compressed/kaslr.c
 * (find_random_virt_addr: the text's virtual offset inside KERNEL_IMAGE_SIZE = 1 GiB, aligned to
 * CONFIG_PHYSICAL_ALIGN = 2 MiB).
 * Models: `createSystem({ kaslr: true })` on x86-64: a seeded generator replaces the kernel's
 * random source, so a seed always gives the same layout. The direct map region is sized from
 * RAM plus CONFIG_RANDOMIZE_MEMORY_PHYSICAL_PADDING (10 TiB), vmalloc is VMALLOC_SIZE_TB, vmemmap
 * one struct page (64 bytes) per page of the direct map region, rounded up to a TiB.
 * Simplifies: the physical load address is not randomised; i386 keeps its fixed layout.
 * See: chapter 08 (hardening: NX, SMEP/SMAP, KASLR).
 */
import { kaddr, type KernelLayout } from './page.js';

const TB_SHIFT = 40n;
const PUD_SIZE = 1n << 30n;
const TWO64 = 1n << 64n;

function u64(addr: number): bigint {
  const b = BigInt(addr);
  return b < 0n ? b + TWO64 : b;
}

/** A seeded 64-bit generator (splitmix64) standing in for kaslr_get_random_long. */
function splitmix(seed: number): () => bigint {
  let s = BigInt(seed >>> 0) * 0x9e3779b97f4a7c15n;
  const M = (1n << 64n) - 1n;
  return () => {
    s = (s + 0x9e3779b97f4a7c15n) & M;
    let z = s;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M;
    return z ^ (z >> 31n);
  };
}

/** The randomised layout of an x86-64 machine with `ramBytes` of physical address space. */
export function kaslrLayout(base: KernelLayout, seed: number, ramBytes: number): KernelLayout {
  if (base.arch !== 'x86_64') return base;
  const la57 = base.levels === 5;
  const vaddr_start = la57 ? 0xff11000000000000n : 0xffff888000000000n;
  const vaddr_end = 0xfffffe0000000000n; // CPU_ENTRY_AREA_BASE
  const maxPhysTb = la57 ? 1n << (52n - TB_SHIFT) : 1n << (46n - TB_SHIFT);
  const vmallocTb = la57 ? 12800n : 32n;
  let directTb = (BigInt(ramBytes) + (1n << TB_SHIFT) - 1n) / (1n << TB_SHIFT) + 10n;
  if (directTb > maxPhysTb) directTb = maxPhysTb;
  const vmemmapBytes = (directTb << (TB_SHIFT - 12n)) * 64n;
  const vmemmapTb = (vmemmapBytes + (1n << TB_SHIFT) - 1n) / (1n << TB_SHIFT);
  const sizes = [directTb, vmallocTb, vmemmapTb];
  let remain = vaddr_end - vaddr_start;
  for (const s of sizes) remain -= s << TB_SHIFT;
  const rnd = splitmix(seed ^ 0x6b61736c);
  const bases: bigint[] = [];
  let vaddr = vaddr_start;
  for (let i = 0; i < sizes.length; i++) {
    let entropy = remain / BigInt(sizes.length - i);
    entropy = (rnd() % (entropy + 1n)) & ~(PUD_SIZE - 1n);
    vaddr += entropy;
    bases.push(vaddr);
    vaddr += sizes[i] << TB_SHIFT;
    vaddr = ((vaddr + 1n + PUD_SIZE - 1n) / PUD_SIZE) * PUD_SIZE;
    remain -= entropy;
  }
  // the text: a 2 MiB aligned virtual offset in [16 MiB, 1 GiB − 64 MiB)
  const slots = (1024n - 64n - 16n) / 2n;
  const textOff = 16n * 2n ** 20n + (rnd() % slots) * 2n * 2n ** 20n;
  return {
    ...base,
    page_offset: kaddr(bases[0]),
    vmalloc_start: kaddr(bases[1]),
    vmalloc_end: kaddr(bases[1] + (vmallocTb << TB_SHIFT)),
    vmemmap_start: kaddr(bases[2]),
    kernel_text: kaddr(u64(base.kernel_text) + textOff - 16n * 2n ** 20n),
  };
}
