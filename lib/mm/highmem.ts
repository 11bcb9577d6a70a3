/**
 * Highmem: temporary kernel mappings of pages outside the direct map (i386).
 *
 * Mirrors: mm/highmem.c (kmap_high, map_new_virtual, flush_all_zero_pkmaps, kunmap_high,
 * pkmap_count semantics, __kmap_local_page_prot / kunmap_local_indexed with the per-CPU
 * fixmap slots), include/linux/highmem.h (kmap, kunmap, kmap_local_page, page_address),
 * arch/x86/include/asm/pgtable_32_areas.h (PKMAP_BASE, LAST_PKMAP 1024, or 512 with PAE),
 * arch/x86/include/asm/fixmap.h (__fix_to_virt, FIXADDR_TOP).
 * Models: on i386, pages above the 896 MiB of lowmem have no kernel address until mapped.
 * kmap() finds or makes a slot in the PKMAP window: pkmap_count is 0 for a free slot, 1 for a
 * mapping nobody uses but whose TLB entry may linger, n > 1 for n − 1 users; when the scan wraps,
 * flush_all_zero_pkmaps unmaps every count-1 slot and flushes the kernel TLB once.
 * kmap_local_page() pushes a per-CPU fixmap slot (KM_MAX_IDX = 16 deep) and must be undone in
 * reverse order. Lowmem pages (and every page on x86-64) are returned through the direct map.
 * Simplifies: one CPU; FIX_KMAP_BEGIN is 67 (after FIX_HOLE, FIX_EARLYCON_MEM_BASE,
 * FIX_APIC_BASE and the 64 IO-APIC slots of a 32-bit kernel); no waiting when the window is
 * full (kmap returns a KernelError instead of sleeping).
 * See: chapter 08 (vmalloc and highmem).
 */
import { KernelError, VmBugError } from '../base/errors.js';
import { hex } from '../base/format.js';
import type { System } from '../system.js';
import { core } from './memory.js';

/** KM_MAX_IDX: nesting depth of kmap_local per CPU. */
export const KM_MAX_IDX = 16;
/** FIX_KMAP_BEGIN in the i386 fixmap enum (see the header). */
export const FIX_KMAP_BEGIN = 67;

/** The kmap state of a System. */
export class Highmem {
  /** LAST_PKMAP: slots in the PKMAP window. */
  readonly LAST_PKMAP: number;
  /** pkmap_count[]. */
  readonly pkmap_count: Int32Array;
  /** pfn mapped by each slot (−1 = none). */
  readonly pkmap_page: Float64Array;
  /** page_address_htable: pfn → slot. */
  private readonly slotOf = new Map<number, number>();
  /** last_pkmap_nr. */
  last_pkmap_nr = 0;
  /** The kmap_local stack of the CPU: pfns. */
  readonly localStack: number[] = [];
  /** Flushes done by flush_all_zero_pkmaps. */
  pkmap_flushes = 0;

  constructor(private readonly sys: System) {
    this.LAST_PKMAP = sys.config.pae ? 512 : 1024;
    this.pkmap_count = new Int32Array(this.LAST_PKMAP);
    this.pkmap_page = new Float64Array(this.LAST_PKMAP).fill(-1);
  }

  /** max_low_pfn: the first pfn without a direct mapping (i386); Infinity on x86-64. */
  get max_low_pfn(): number {
    const L = this.sys.layout;
    return L.arch === 'i386' ? L.direct_map_size / 4096 : Infinity;
  }

  /** PKMAP_ADDR(nr). */
  pkmapAddr(nr: number): number {
    return this.sys.layout.pkmap_base + nr * 4096;
  }

  /** page_address: the kernel address of a page if it has one (lowmem, or kmapped highmem), else null. */
  page_address(pfn: number): number | null {
    if (pfn < this.max_low_pfn) return this.sys.layout.page_offset + pfn * 4096;
    const s = this.slotOf.get(pfn);
    return s === undefined ? null : this.pkmapAddr(s);
  }

  private checkPfn(pfn: number, op: string): void {
    const max = Math.floor(this.sys.mem.size / 4096);
    if (!Number.isInteger(pfn) || pfn < 0 || pfn >= max) throw new KernelError(`${op}: pfn ${pfn} is not a page of this machine`, 'EINVAL');
  }

  /** kmap: a kernel address for the page, valid until kunmap. */
  kmap(pfn: number): number {
    this.checkPfn(pfn, 'kmap');
    if (pfn < this.max_low_pfn) return this.sys.layout.page_offset + pfn * 4096;
    let nr = this.slotOf.get(pfn);
    if (nr === undefined) nr = this.map_new_virtual(pfn);
    this.pkmap_count[nr]++;
    return this.pkmapAddr(nr);
  }

  private map_new_virtual(pfn: number): number {
    let count = this.LAST_PKMAP;
    for (;;) {
      this.last_pkmap_nr = (this.last_pkmap_nr + 1) & (this.LAST_PKMAP - 1);
      if (this.last_pkmap_nr === 0) {
        this.flush_all_zero_pkmaps();
        count = this.LAST_PKMAP;
      }
      if (this.pkmap_count[this.last_pkmap_nr] === 0) break;
      if (--count === 0) throw new KernelError('kmap: every PKMAP slot is in use (the kernel would sleep until a kunmap)', 'EAGAIN');
    }
    const nr = this.last_pkmap_nr;
    const pg = core(this.sys).pg;
    if (!pg.setKernelPte(this.pkmapAddr(nr), pfn, true, true)) throw new VmBugError('kmap: pkmap page table missing');
    this.pkmap_count[nr] = 1;
    this.pkmap_page[nr] = pfn;
    this.slotOf.set(pfn, nr);
    return nr;
  }

  /** flush_all_zero_pkmaps: unmaps every slot with count 1 and flushes the kernel TLB once. */
  flush_all_zero_pkmaps(): void {
    const pg = core(this.sys).pg;
    let need = false;
    for (let i = 0; i < this.LAST_PKMAP; i++) {
      if (this.pkmap_count[i] !== 1) continue;
      this.pkmap_count[i] = 0;
      const pfn = this.pkmap_page[i];
      pg.clearKernelPte(this.pkmapAddr(i));
      this.slotOf.delete(pfn);
      this.pkmap_page[i] = -1;
      need = true;
    }
    if (need) {
      this.pkmap_flushes++;
      pg.flush_tlb_kernel_range(this.pkmapAddr(0), this.pkmapAddr(this.LAST_PKMAP));
    }
  }

  /** kunmap: drops one user of a kmap. */
  kunmap(pfn: number): void {
    this.checkPfn(pfn, 'kunmap');
    if (pfn < this.max_low_pfn) return;
    const nr = this.slotOf.get(pfn);
    if (nr === undefined || this.pkmap_count[nr] < 2) throw new KernelError(`kunmap: page ${pfn} is not kmapped (BUG in kunmap_high)`, 'EINVAL');
    this.pkmap_count[nr]--;
  }

  /** __fix_to_virt(idx). */
  fix_to_virt(idx: number): number {
    return this.sys.layout.fixaddr_top - idx * 4096;
  }

  /** kmap_local_page: a short-lived per-CPU mapping (stack order). */
  kmap_local_page(pfn: number): number {
    this.checkPfn(pfn, 'kmap_local_page');
    if (pfn < this.max_low_pfn) return this.sys.layout.page_offset + pfn * 4096;
    if (this.localStack.length >= KM_MAX_IDX) throw new KernelError(`kmap_local_page: more than KM_MAX_IDX (${KM_MAX_IDX}) nested mappings`, 'EINVAL');
    const idx = this.localStack.length;
    const va = this.fix_to_virt(FIX_KMAP_BEGIN + idx);
    const pg = core(this.sys).pg;
    if (!pg.setKernelPte(va, pfn, true, true)) throw new VmBugError('kmap_local: fixmap page table missing');
    this.localStack.push(pfn);
    return va;
  }

  /** kunmap_local: undoes the most recent kmap_local_page (by address). */
  kunmap_local(vaddr: number): void {
    const L = this.sys.layout;
    if (vaddr >= L.page_offset && vaddr < L.page_offset + L.direct_map_size) return;
    const idx = this.localStack.length - 1;
    if (idx < 0 || Math.floor(vaddr / 4096) * 4096 !== this.fix_to_virt(FIX_KMAP_BEGIN + idx)) {
      throw new KernelError(`kunmap_local: ${hex(vaddr)} is not the last kmap_local mapping (they nest like a stack)`, 'EINVAL');
    }
    const pg = core(this.sys).pg;
    pg.clearKernelPte(this.fix_to_virt(FIX_KMAP_BEGIN + idx));
    pg.flush_tlb_kernel_range(this.fix_to_virt(FIX_KMAP_BEGIN + idx), this.fix_to_virt(FIX_KMAP_BEGIN + idx) + 4096);
    this.localStack.pop();
  }

  /** Snapshot for views. */
  inspect(): { LAST_PKMAP: number; pkmap_base: string; used: { slot: number; vaddr: string; pfn: number; count: number }[]; local: { idx: number; vaddr: string; pfn: number }[] } {
    const used: { slot: number; vaddr: string; pfn: number; count: number }[] = [];
    for (let i = 0; i < this.LAST_PKMAP; i++) if (this.pkmap_count[i]) used.push({ slot: i, vaddr: hex(this.pkmapAddr(i)), pfn: this.pkmap_page[i], count: this.pkmap_count[i] });
    return {
      LAST_PKMAP: this.LAST_PKMAP,
      pkmap_base: hex(this.sys.layout.pkmap_base),
      used,
      local: this.localStack.map((pfn, idx) => ({ idx, vaddr: hex(this.fix_to_virt(FIX_KMAP_BEGIN + idx)), pfn })),
    };
  }

  /** Invariants: counts and the page_address table agree; each used slot's PTE maps its page. */
  validate(): void {
    const pg = core(this.sys).pg;
    for (let i = 0; i < this.LAST_PKMAP; i++) {
      const c = this.pkmap_count[i];
      const pfn = this.pkmap_page[i];
      if (c < 0) throw new VmBugError('highmem: negative pkmap_count', `slot ${i}`);
      if (c === 0 && pfn !== -1) throw new VmBugError('highmem: free pkmap slot still has a page', `slot ${i}`);
      if (c > 0) {
        if (this.slotOf.get(pfn) !== i) throw new VmBugError('highmem: page_address table disagrees with pkmap slots', `slot ${i}`);
        const steps = pg.peekWalk(pg.init_mm.pgd, this.pkmapAddr(i));
        const leaf = steps[steps.length - 1];
        if (!leaf || !leaf.present || leaf.pfn !== pfn) throw new VmBugError('highmem: pkmap PTE does not map its page', `slot ${i}`);
      }
    }
  }
}
