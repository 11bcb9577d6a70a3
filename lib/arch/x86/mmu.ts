/**
 * The paging unit: page-table pages, the kernel's own mappings, the hardware page walk and
 * the TLB in front of it.
 *
 * Mirrors: arch/x86/mm/init.c and init_64.c/init_32.c (init_mem_mapping: the direct map with
 * 1 GiB/2 MiB/4 MiB leaves, preallocate_vmalloc_pages), arch/x86/kernel/head_64.S
 * (level3_kernel_pgt/level2_kernel_pgt: the kernel image at __START_KERNEL_map), arch/x86/mm/
 * pgtable.c (pgd_alloc/pgd_ctor copying the kernel half, PAE's preallocated PMDs,
 * pte_alloc_one/pte_free), the CPU's page walk (Intel SDM vol. 3 §4: accessed/dirty updates,
 * U/S, R/W with CR0.WP, NX, SMEP, SMAP) and arch/x86/mm/fault.c (the error code).
 * Models: page-table pages taken from the buddy allocator (PGTY.table, counted in
 * nr_page_table_pages), entries in those pages' bytes; the kernel half built once in init_mm's
 * PGD (swapper_pg_dir) and shared by every process through copied top-level entries; the
 * walk setting A at every level and D at the leaf; the TLB hit path as a handful of typed-array
 * reads; `translate` returning the whole walk as a JSON-safe object.
 * Simplifies: swapper_pg_dir and the boot-time tables come from the buddy allocator (the kernel
 * takes them from the image and memblock) and are counted with the others; the vmemmap range is
 * described by the layout but not backed by tables (struct pages are not in simulated RAM);
 * i386 preallocates the page tables of its whole vmalloc/pkmap/fixmap range at boot, so the
 * kernel half never needs syncing.
 * See: chapter 06 (page tables), chapter 07 (MMU and TLB).
 */
import { COST_NS } from '../../base/clock.js';
import { KernelError, VmBugError } from '../../base/errors.js';
import { hex } from '../../base/format.js';
import { GFP_PGTABLE_KERNEL, GFP_PGTABLE_USER } from '../../mm/gfp.js';
import { PGTY } from '../../mm/page_flags.js';
import type { System } from '../../system.js';
import {
  _KERNPG_TABLE, _PAGE_ACCESSED, _PAGE_DIRTY, _PAGE_GLOBAL, _PAGE_NX_HI, _PAGE_PRESENT, _PAGE_PSE, _PAGE_RW,
  _PAGE_TABLE, _PAGE_USER, decodeEntry, entryHex, entryPfn, isCanonical, mkEntry, pagingGeometry, pgIndex,
  TableMemory, type LevelName, type PagingGeometry, type PagingLevel,
} from './pgtable.js';
import { ASID_GLOBAL, Tlb, TLB_SINGLE_PAGE_FLUSH_CEILING, TLBF_DIRTY, TLBF_GLOBAL, TLBF_NX, TLBF_USER, TLBF_WRITE, type TlbConfig } from './tlb.js';

/** Page-fault error-code bits (arch/x86/include/asm/trap_pf.h). */
export const X86_PF_PROT = 1;
export const X86_PF_WRITE = 2;
export const X86_PF_USER = 4;
export const X86_PF_RSVD = 8;
export const X86_PF_INSTR = 16;
export const X86_PF_PK = 32;

/** Kinds of access. */
export const ACC_READ = 0;
export const ACC_WRITE = 1;
export const ACC_EXEC = 2;
/** An access kind by name. */
export type AccessName = 'read' | 'write' | 'exec';
const ACC_NAMES: AccessName[] = ['read', 'write', 'exec'];

/** Anything with a PGD and a TLB context: an mm_struct. */
export interface MmContext {
  /** pfn of the top-level table (what CR3 holds). */
  pgd: number;
  /** TLB context id (mm->context.ctx_id), unique per mm. */
  ctx_id: number;
  /** TLB generation (mm->context.tlb_gen): bumped by every flush of this mm. */
  tlb_gen: number;
}

/** The page allocator as the paging code uses it (sys.buddy, lib/mm/page_alloc.ts). */
export interface PageSource {
  alloc(gfp: number, order: number, nid?: number): number;
  free(pfn: number, order: number): void;
}

/** Counters of the paging code (mirrored into /proc/vmstat when the vmstat table exists). */
export interface PagingCounters {
  nr_page_table_pages: number;
  nr_kernel_table_pages: number;
}

/** The page allocator of a System (`sys.buddy`); throws if the page allocator is not booted. */
export function pageSource(sys: System): PageSource {
  return sys.buddy;
}

interface VmStatLike {
  has(name: string): boolean;
  kind(name: string): string;
  add(name: string, delta: number): void;
  mod_node(nid: number, name: string, delta: number): void;
  mod_zone(zone: number | { readonly id: number }, name: string, delta: number): void;
}

/**
 * Adds `delta` to a /proc/vmstat counter: events and global items directly, node and zone items
 * on the node/zone of page `pfn`. A name the configuration does not count is ignored.
 */
export function vmstatAdd(sys: System, name: string, delta = 1, pfn = -1): void {
  const v: VmStatLike = sys.vmstat;
  if (!v.has(name)) return;
  const k = v.kind(name);
  if (k === 'event' || k === 'global') {
    v.add(name, delta);
    return;
  }
  const z = pfn >= 0 ? sys.buddy.page_zone(pfn) : undefined;
  if (k === 'node') v.mod_node(z ? z.node : 0, name, delta);
  else if (z) v.mod_zone(z, name, delta);
}

/** A line in the kernel log (dmesg). */
export function printk(sys: System, line: string): void {
  sys.dmesg.push(line);
}

/** One level of a {@link TranslateResult}. */
export interface WalkStep {
  /** Linux name of the level. */
  level: LevelName;
  /** Index into the table at this level. */
  index: number;
  /** Address bits this index comes from, e.g. [39, 47]. */
  bits: [number, number];
  /** pfn of the table page read. */
  table_pfn: number;
  /** Physical address of the entry read (hex). */
  entry_phys: string;
  /** Entry value (hex, 16 digits; 8 on i386 without PAE). */
  entry: string;
  /** Decoded flags. */
  flags: string[];
  /** pfn the entry points at (next table or the page). */
  pfn: number;
  /** True when this entry maps the page (PTE, or a huge PMD/PUD/PGD leaf). */
  leaf: boolean;
  present: boolean;
}

/** The result of `sys.translate`. JSON-safe. */
export interface TranslateResult {
  pid: number | null;
  comm: string | null;
  vaddr: string;
  access: AccessName;
  mode: 'user' | 'kernel';
  /** Paging mode, e.g. 'x86_64-4level'. */
  paging: string;
  /** Linux levels that are folded in this mode. */
  folded: LevelName[];
  canonical: boolean;
  /** 'l1' = first-level TLB hit, 'l2' = STLB hit, 'miss' = a page walk. */
  tlb: 'l1' | 'l2' | 'miss';
  /** The levels read by the walk (empty on a TLB hit unless `walk: true` was asked). */
  levels: WalkStep[];
  /** Physical address (hex) on success. */
  phys: string | null;
  /** The 4 KiB frame that holds the byte (inside a huge page: that page's base frame + offset). */
  pfn: number | null;
  /** Size of the page that maps the address (4096, 2 MiB, 4 MiB, 1 GiB). */
  page_size: number | null;
  /** Fault on failure. */
  fault: null | { error_code: number; kind: 'not-present' | 'protection' | 'non-canonical'; reason: string };
}

const NO_PHYS = -1;

/** The paging unit of a System. */
export class Paging {
  readonly g: PagingGeometry;
  readonly tm: TableMemory;
  tlb: Tlb;
  readonly counters: PagingCounters = { nr_page_table_pages: 0, nr_kernel_table_pages: 0 };
  /** Every page-table page currently allocated, with the owner (ctx_id; 0 = kernel). */
  readonly tablePages = new Map<number, number>();
  /** init_mm: the kernel's own address space (swapper_pg_dir). */
  init_mm: MmContext = { pgd: -1, ctx_id: 0, tlb_gen: 1 };
  /** The address space whose PGD is in CR3 (null before the first switch). */
  current: MmContext | null = null;
  /** CR4.SMEP / CR4.SMAP. */
  smep = true;
  smap = true;
  /** The direct map by leaf size in KiB (DirectMap4k / 2M (4M on i386) / 1G of /proc/meminfo). */
  readonly directMapKB = { k4: 0, m2: 0, g1: 0 };
  /** Bumped whenever a kernel page-table page is allocated or freed (validators cache on it). */
  kernelTablesVersion = 0;
  /** First PGD index of the kernel half (KERNEL_PGD_BOUNDARY). */
  kernelPgdBoundary = 0;
  private nextCtx = 1;

  // scratch results of the last walk (no allocation per access)
  /** pfn of the page found by the last successful walk/TLB lookup (first pfn of a huge page). */
  outPfn = 0;
  /** log2 of its page size. */
  outShift = 12;
  /** Fault error code of the last failed access. */
  outErr = 0;
  /** Why the last access failed. */
  outWhy = '';

  constructor(private readonly sys: System, tlbConfig: Partial<TlbConfig> = {}) {
    const c = sys.config;
    this.g = pagingGeometry(c.arch, { pae: c.pae, la57: c.la57 });
    this.tm = new TableMemory(sys.mem, this.g);
    this.tlb = new Tlb(tlbConfig);
    this.st = this.tlb.stats;
    this.l1 = this.tlb.l1;
    this.clock = sys.clock;
  }
  /** Cached for the hit path. */
  private st: Tlb['stats'];
  private l1: Tlb['l1'];

  /**
   * Replaces the TLB with one of another geometry (an experiment: 8 ways, no STLB, no PCID ...).
   * Everything cached is lost, as after flush_tlb_all; the counters start from zero.
   */
  setTlb(cfg: Partial<TlbConfig>): Tlb {
    const t = new Tlb({ ...this.tlb.config, ...cfg });
    this.tlb = t;
    this.st = t.stats;
    this.l1 = t.l1;
    this.current = null;
    this.l2Huge = 0;
    return t;
  }
  private readonly clock: System['clock'];

  /** A new TLB context id for an mm. */
  newContextId(): number {
    return this.nextCtx++;
  }

  // ---- page-table pages ----

  /**
   * Takes one page-table page from the buddy allocator (pte_alloc_one / pmd_alloc_one ...):
   * zeroed, PGTY.table, counted. Returns the pfn, or −1 when memory is exhausted.
   */
  allocTable(owner: number): number {
    const pfn = pageSource(this.sys).alloc(owner === 0 ? GFP_PGTABLE_KERNEL : GFP_PGTABLE_USER, 0);
    if (pfn < 0) return -1;
    const pages = this.sys.pages;
    pages.page_type[pfn] = PGTY.table;
    pages._refcount[pfn] = 1;
    this.tm.initTable(pfn);
    this.tablePages.set(pfn, owner);
    if (owner === 0) this.kernelTablesVersion++;
    this.counters.nr_page_table_pages++;
    if (owner === 0) this.counters.nr_kernel_table_pages++;
    vmstatAdd(this.sys, 'nr_page_table_pages', 1, pfn);
    return pfn;
  }

  /** Returns a page-table page to the buddy allocator (pte_free / pagetable_dtor_free). */
  freeTable(pfn: number): void {
    const owner = this.tablePages.get(pfn);
    if (owner === undefined) throw new VmBugError('pgtable: freeing a page that is not a page table', `pfn ${pfn}`);
    this.tablePages.delete(pfn);
    if (owner === 0) this.kernelTablesVersion++;
    this.counters.nr_page_table_pages--;
    if (owner === 0) this.counters.nr_kernel_table_pages--;
    vmstatAdd(this.sys, 'nr_page_table_pages', -1, pfn);
    const pages = this.sys.pages;
    pages.page_type[pfn] = PGTY.none;
    pages._refcount[pfn] = 0;
    this.sys.mem.clearPage(pfn);
    pageSource(this.sys).free(pfn, 0);
  }

  /** The hardware levels (top first). */
  get levels(): PagingLevel[] {
    return this.g.walk;
  }

  /**
   * Finds the entry for `vaddr` at hardware level `depth` (0 = top) in the tables under `pgd`,
   * allocating missing intermediate tables for `owner` when `alloc` is set. Returns the table
   * pfn holding the entry (its index is pgIndex(vaddr, level)), −1 when an intermediate entry is
   * absent (or allocation failed), −2 when a huge leaf above `depth` maps the address.
   */
  tableFor(pgd: number, vaddr: number, depth: number, alloc: boolean, owner: number, onAlloc?: (level: PagingLevel) => void): number {
    const tm = this.tm;
    const w = this.g.walk;
    let table = pgd;
    for (let d = 0; d < depth; d++) {
      const L = w[d];
      const idx = pgIndex(vaddr, L);
      const lo = tm.lo(table, idx);
      if (!(lo & _PAGE_PRESENT)) {
        if (!alloc) return -1;
        const t = this.allocTable(owner);
        if (t < 0) return -1;
        onAlloc?.(w[d + 1]);
        const paePgd = this.g.mode === 'i386-pae' && d === 0;
        const flags = paePgd ? _PAGE_PRESENT : owner === 0 ? _KERNPG_TABLE : _PAGE_TABLE;
        const [l, h] = mkEntry(t, flags, false, this.g.entryBytes);
        tm.set(table, idx, l, h);
        table = t;
        continue;
      }
      if (L.hugeLeaf && lo & _PAGE_PSE) return -2;
      table = entryPfn(lo, tm.hi(table, idx));
    }
    return table;
  }

  /** Depth (index into `levels`) of the PTE level, and of the PMD-like level that can hold 2/4 MiB leaves. */
  get pteDepth(): number {
    return this.g.walk.length - 1;
  }

  // ---- the kernel half ----

  /**
   * Builds init_mm's tables at boot (init_mem_mapping): the direct map of RAM with the largest
   * leaves that fit, the kernel image at __START_KERNEL_map (x86-64), the vmalloc area's upper
   * tables (preallocate_vmalloc_pages; i386: every PTE table of vmalloc/pkmap/fixmap).
   */
  initKernelTables(ramRanges: [number, number][], image: [number, number]): void {
    const sys = this.sys;
    const L = sys.layout;
    const pgd = this.allocTable(0);
    if (pgd < 0) throw new VmBugError('paging_init: no memory for swapper_pg_dir');
    this.init_mm = { pgd, ctx_id: 0, tlb_gen: 1 };
    this.kernelPgdBoundary = pgIndex(L.page_offset, this.g.walk[0]);
    const nx = this.g.hasNX;
    const kflags = _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_GLOBAL;
    const lowmemLimit = L.arch === 'i386' ? L.direct_map_size : Infinity;
    for (const [s, e] of ramRanges) {
      const end = Math.min(e, lowmemLimit);
      if (end > s) this.mapKernelRange(L.page_offset + s, s, end - s, kflags, nx, true, true);
    }
    if (L.arch === 'x86_64') {
      // kernel image: text read-only and executable, data and bss writable and NX
      const [ps, pe] = image;
      const half = ps + Math.floor((pe - ps) / 2 / 2 ** 21) * 2 ** 21;
      const textVa = L.kernel_text + ps;
      this.mapKernelRange(textVa, ps, half - ps, _PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_GLOBAL, false, true);
      this.mapKernelRange(textVa + (half - ps), half, pe - half, kflags, nx, true);
      // preallocate_vmalloc_pages: the level below the PGD for the whole vmalloc area
      const step = 2 ** this.g.walk[0].shift;
      for (let a = L.vmalloc_start; a < L.vmalloc_end; a += step) {
        if (this.tableFor(pgd, a, 1, true, 0) < 0) throw new VmBugError('paging_init: no memory for vmalloc page tables');
      }
    } else {
      const step = 2 ** this.g.walk[this.pteDepth - 1].shift;
      const top = L.fixaddr_top + 4096;
      for (let a = L.vmalloc_start - (L.vmalloc_start % step); a < top && a >= L.vmalloc_start - step; a += step) {
        if (this.tableFor(pgd, a, this.pteDepth, true, 0) < 0) throw new VmBugError('paging_init: no memory for kernel page tables');
      }
    }
  }

  /**
   * Maps [va, va+size) to [pa, pa+size) in init_mm with `flags`, using 1 GiB, 2/4 MiB and
   * 4 KiB leaves as alignment allows (`huge` = false forces 4 KiB pages).
   */
  mapKernelRange(va: number, pa: number, size: number, flags: number, nx: boolean, huge: boolean, directMap = false): void {
    const tm = this.tm;
    const w = this.g.walk;
    const pgd = this.init_mm.pgd;
    let off = 0;
    while (off < size) {
      const v = va + off;
      const p = pa + off;
      let depth = this.pteDepth;
      if (huge) {
        for (let d = 0; d < w.length - 1; d++) {
          const sz = 2 ** w[d].shift;
          if (w[d].hugeLeaf && p % sz === 0 && ((v % sz) + sz) % sz === 0 && size - off >= sz && !(w[d].shift === 30 && this.sys.config.arch !== 'x86_64')) {
            depth = d;
            break;
          }
        }
      }
      const t = this.tableFor(pgd, v, depth, true, 0);
      if (t < 0) throw new VmBugError('paging_init: no memory for kernel page tables');
      const lf = depth === this.pteDepth ? flags : flags | _PAGE_PSE;
      const [l, h] = mkEntry(Math.floor(p / 4096), lf, nx, this.g.entryBytes);
      tm.set(t, pgIndex(v, w[depth]), l, h);
      const sz = 2 ** w[depth].shift;
      if (directMap) {
        if (sz === 2 ** 30) this.directMapKB.g1 += sz / 1024;
        else if (sz > 4096) this.directMapKB.m2 += sz / 1024;
        else this.directMapKB.k4 += 4;
      }
      off += sz;
    }
  }

  /** Unmaps one 4 KiB kernel page (vunmap, kunmap): clears its PTE; the caller flushes. */
  clearKernelPte(va: number): void {
    const t = this.tableFor(this.init_mm.pgd, va, this.pteDepth, false, 0);
    if (t < 0) throw new VmBugError('kernel pte missing', hex(va));
    this.tm.set(t, pgIndex(va, this.g.walk[this.pteDepth]), 0, 0);
  }

  /** Maps one 4 KiB kernel page. Returns false when a page table could not be allocated. */
  setKernelPte(va: number, pfn: number, writable: boolean, nx: boolean): boolean {
    const t = this.tableFor(this.init_mm.pgd, va, this.pteDepth, true, 0);
    if (t < 0) return false;
    const f = _PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_GLOBAL | (writable ? _PAGE_RW : 0);
    const [l, h] = mkEntry(pfn, f, nx && this.g.hasNX, this.g.entryBytes);
    this.tm.set(t, pgIndex(va, this.g.walk[this.pteDepth]), l, h);
    return true;
  }

  /**
   * pgd_alloc: a new PGD with the kernel half copied from swapper_pg_dir (pgd_ctor); under PAE
   * the three user PMDs are preallocated as the kernel does. Returns −1 on allocation failure.
   */
  pgd_alloc(owner: number): number {
    const pgd = this.allocTable(owner);
    if (pgd < 0) return -1;
    const top = this.g.walk[0];
    const tm = this.tm;
    for (let i = this.kernelPgdBoundary; i < top.ptrs; i++) tm.set(pgd, i, tm.lo(this.init_mm.pgd, i), tm.hi(this.init_mm.pgd, i));
    if (this.g.mode === 'i386-pae') {
      for (let i = 0; i < this.kernelPgdBoundary; i++) {
        const pmd = this.allocTable(owner);
        if (pmd < 0) {
          this.pgd_free(pgd);
          return -1;
        }
        const [l, h] = mkEntry(pmd, _PAGE_PRESENT, false, 8);
        tm.set(pgd, i, l, h);
      }
    }
    return pgd;
  }

  /** pgd_free: frees a PGD (and PAE's preallocated PMDs). User tables below must be gone. */
  pgd_free(pgd: number): void {
    if (this.g.mode === 'i386-pae') {
      for (let i = 0; i < this.kernelPgdBoundary; i++) {
        const lo = this.tm.lo(pgd, i);
        if (lo & _PAGE_PRESENT) this.freeTable(entryPfn(lo, this.tm.hi(pgd, i)));
      }
    }
    this.freeTable(pgd);
  }

  // ---- the hardware: TLB and walk ----

  /** Loads an mm into CR3 (switch_mm), keeping or flushing its ASID's entries. */
  switch_mm(mm: MmContext): void {
    if (this.current === mm) return;
    this.current = mm;
    this.tlb.switch_mm(mm.ctx_id, mm.tlb_gen);
  }

  /**
   * One memory access by the CPU: TLB lookup, walk on a miss (setting accessed/dirty bits),
   * permission checks. Returns the physical address, or −1 with `outErr`/`outWhy` set.
   * `user` = CPL 3. The TLB hit path for 4 KiB pages is a few typed-array reads.
   */
  access(mm: MmContext, vaddr: number, kind: number, user: boolean): number {
    if (this.current !== mm) this.switch_mm(mm);
    const tlb = this.tlb;
    const st = this.st;
    st.lookups++;
    const vpn = Math.floor(vaddr / 4096);
    // L1 4 KiB array, inlined
    const t = this.l1;
    const ways = t.ways;
    const base = (vpn & t.setMask) * ways;
    const asid = tlb.loaded_asid;
    const keys = t.key;
    for (let i = base; i < base + ways; i++) {
      if (keys[i] === vpn) {
        const a = t.asid[i];
        if (a === asid || a === ASID_GLOBAL) {
          const f = t.flags[i];
          if ((user ? (f & TLBF_USER) !== 0 && (kind === 0 || (kind === ACC_WRITE ? (f & (TLBF_WRITE | TLBF_DIRTY)) === (TLBF_WRITE | TLBF_DIRTY) : !(f & TLBF_NX))) : this.permOk(f, kind, user, vaddr) && (kind !== ACC_WRITE || f & TLBF_DIRTY))) {
            t.touch(i);
            st.l1_hits++;
            this.clock.charge(COST_NS.tlbHit);
            this.outPfn = t.pfn[i];
            this.outShift = 12;
            return t.pfn[i] * 4096 + (vaddr - vpn * 4096);
          }
          break;
        }
      }
    }
    return this.accessSlow(mm, vaddr, kind, user);
  }

  /** Checks cached permissions; fills outErr/outWhy on failure. */
  private permOk(f: number, kind: number, user: boolean, vaddr: number): boolean {
    if (user) {
      if (!(f & TLBF_USER)) return false;
      if (kind === ACC_WRITE && !(f & TLBF_WRITE)) return false;
      if (kind === ACC_EXEC && f & TLBF_NX) return false;
      return true;
    }
    if (kind === ACC_WRITE && !(f & TLBF_WRITE)) return false;
    if (kind === ACC_EXEC && (f & TLBF_NX || (this.smep && f & TLBF_USER))) return false;
    if (kind !== ACC_EXEC && this.smap && f & TLBF_USER && !this.stac) return false;
    return true;
  }

  /** EFLAGS.AC: set while the kernel deliberately touches user memory (stac/clac). */
  stac = false;
  /** Huge translations ever put in the STLB (its huge lookups are skipped while none). */
  private l2Huge = 0;

  private accessSlow(mm: MmContext, vaddr: number, kind: number, user: boolean): number {
    const tlb = this.tlb;
    const st = tlb.stats;
    const asid = tlb.loaded_asid;
    // the L1 arrays of huge pages, then the STLB
    const hs = this.g.entryBytes === 4 ? 22 : 21;
    for (let k = 0; k < 2; k++) {
      const arr = k === 0 ? tlb.l1_2m : tlb.l1_1g;
      if (arr.valid === 0) continue;
      const shift = k === 0 ? hs : 30;
      const key = Math.floor(vaddr / 2 ** shift);
      const i = arr.lookup(key, shift, asid);
      if (i >= 0) {
        const f = arr.flags[i];
        if (this.permOk(f, kind, user, vaddr) && (kind !== ACC_WRITE || f & TLBF_DIRTY)) {
          st.l1_hits++;
          this.clock.charge(COST_NS.tlbHit);
          this.outPfn = arr.pfn[i];
          this.outShift = shift;
          return arr.pfn[i] * 4096 + (vaddr - key * 2 ** shift);
        }
      }
    }
    if (tlb.l2) {
      const l2 = tlb.l2;
      for (let k = 0; k < 2; k++) {
        const shift = k === 0 ? 12 : hs;
        if (k === 1 && this.l2Huge === 0) break;
        const key = k === 0 ? Math.floor(vaddr / 4096) : Math.floor(vaddr / 2 ** shift);
        const i = l2.lookup(key, shift, asid);
        if (i >= 0) {
          const f = l2.flags[i];
          if (this.permOk(f, kind, user, vaddr) && (kind !== ACC_WRITE || f & TLBF_DIRTY)) {
            st.l2_hits++;
            this.clock.charge(COST_NS.tlbHit * 2);
            const pfn = l2.pfn[i];
            const arr = shift === 12 ? tlb.l1 : tlb.l1_2m;
            arr.insert(key, shift, l2.asid[i], pfn, f);
            this.outPfn = pfn;
            this.outShift = shift;
            return pfn * 4096 + (vaddr - key * 2 ** shift);
          }
        }
      }
    }
    st.misses++;
    return this.walk(mm, vaddr, kind, user, null);
  }

  /**
   * The hardware page walk from `mm`'s PGD. Sets accessed bits on every level read and the
   * dirty bit on a write; fills the TLB on success. `steps`, when given, receives every level.
   */
  walk(mm: MmContext, vaddr: number, kind: number, user: boolean, steps: WalkStep[] | null): number {
    const tlb = this.tlb;
    tlb.stats.walks++;
    const clock = this.clock;
    const g = this.g;
    const tm = this.tm;
    const w = g.walk;
    const errBase = (kind === ACC_WRITE ? X86_PF_WRITE : 0) | (user ? X86_PF_USER : 0) | (kind === ACC_EXEC && g.hasNX ? X86_PF_INSTR : 0);
    if (g.va_bits === 32 ? vaddr < 0 || vaddr >= 4294967296 : vaddr < -g.half || vaddr >= g.half) {
      this.outErr = errBase;
      this.outWhy = `non-canonical address ${hex(vaddr)}`;
      return NO_PHYS;
    }
    let table = mm.pgd;
    let rw = true;
    let us = true;
    let nx = false;
    const ew = tm.ew;
    const paeTop = g.mode === 'i386-pae';
    const nlev = w.length;
    for (let d = 0; d < nlev; d++) {
      const L = w[d];
      const idx = Math.floor(vaddr / L.size) & (L.ptrs - 1);
      const view = tm.views[(table / 262144) | 0] ?? tm.view(table);
      const wi = (table % 262144) * 1024 + idx * ew;
      let lo = view[wi];
      const hi = ew === 2 ? view[wi + 1] : 0;
      const present = (lo & _PAGE_PRESENT) !== 0;
      const leaf = present && (d === nlev - 1 || (L.hugeLeaf && (lo & _PAGE_PSE) !== 0));
      const paePdpte = paeTop && d === 0;
      if (present && !paePdpte && !(lo & _PAGE_ACCESSED)) {
        // the CPU sets A in every entry it uses, D in the leaf on a permitted write
        view[wi] = lo |= _PAGE_ACCESSED;
      }
      if (steps) {
        steps.push({
          level: L.name, index: idx, bits: [L.shift, L.shift + L.bits - 1], table_pfn: table,
          entry_phys: hex(table * 4096 + idx * g.entryBytes), entry: entryHex(lo, hi, g.entryBytes),
          flags: decodeEntry(lo, hi, L.name), pfn: entryPfn(lo, hi), leaf, present,
        });
      }
      if (!present) {
        clock.charge(COST_NS.walkLevel * (d + 1));
        this.outErr = errBase;
        this.outWhy = `${L.name} entry ${idx} not present`;
        return NO_PHYS;
      }
      if (!paePdpte) {
        rw = rw && (lo & _PAGE_RW) !== 0;
        us = us && (lo & _PAGE_USER) !== 0;
        nx = nx || (hi & _PAGE_NX_HI) !== 0;
      }
      if (leaf) {
        clock.charge(COST_NS.walkLevel * (d + 1));
        const global = (lo & _PAGE_GLOBAL) !== 0;
        const shift = L.shift;
        // permission checks (U/S, R/W with CR0.WP = 1, NX, SMEP, SMAP)
        let why = '';
        if (user && !us) why = 'user access to a supervisor page';
        else if (kind === ACC_WRITE && !rw) why = 'write to a read-only page';
        else if (kind === ACC_EXEC && nx) why = 'instruction fetch from an NX page';
        else if (!user && kind === ACC_EXEC && us && this.smep) why = 'SMEP: kernel instruction fetch from a user page';
        else if (!user && kind !== ACC_EXEC && us && this.smap && !this.stac) why = 'SMAP: kernel data access to a user page';
        if (why) {
          this.outErr = errBase | X86_PF_PROT;
          this.outWhy = why;
          return NO_PHYS;
        }
        if (kind === ACC_WRITE && !(lo & _PAGE_DIRTY)) {
          view[wi] = lo |= _PAGE_DIRTY;
          if (steps) {
            steps[steps.length - 1].entry = entryHex(lo, hi, g.entryBytes);
            steps[steps.length - 1].flags = decodeEntry(lo, hi, L.name);
          }
        }
        const pfn = entryPfn(lo, hi);
        const key = Math.floor(vaddr / L.size);
        const f = (rw ? TLBF_WRITE : 0) | (lo & _PAGE_DIRTY ? TLBF_DIRTY : 0) | (us ? TLBF_USER : 0) | (nx ? TLBF_NX : 0) | (global ? TLBF_GLOBAL : 0);
        const tag = global ? ASID_GLOBAL : tlb.loaded_asid;
        if (shift === 12) {
          tlb.l1.insert(key, 12, tag, pfn, f);
          tlb.l2?.insert(key, 12, tag, pfn, f);
        } else if (shift === 30) {
          tlb.l1_1g.insert(key, 30, tag, pfn, f);
        } else {
          tlb.l1_2m.insert(key, shift, tag, pfn, f);
          if (tlb.l2) {
            tlb.l2.insert(key, shift, tag, pfn, f);
            this.l2Huge++;
          }
        }
        this.outPfn = pfn;
        this.outShift = shift;
        return pfn * 4096 + (vaddr - key * L.size);
      }
      table = entryPfn(lo, hi);
    }
    throw new VmBugError('page walk ran past the PTE level');
  }

  /**
   * The whole translation of one access, for people: TLB outcome, every level of the walk (a
   * walk is shown even after a TLB hit when `showWalk` is set; it then reads the tables
   * without counting), the physical address or the fault.
   */
  translate(mm: MmContext, vaddr: number, access: AccessName, user: boolean, who: { pid: number; comm: string } | null): TranslateResult {
    const kind = ACC_NAMES.indexOf(access);
    if (kind < 0) throw new KernelError(`translate: unknown access '${access}' (read, write or exec)`);
    const g = this.g;
    const res: TranslateResult = {
      pid: who ? who.pid : null, comm: who ? who.comm : null, vaddr: hex(vaddr), access, mode: user ? 'user' : 'kernel',
      paging: g.mode, folded: g.levels.filter((l) => l.folded).map((l) => l.name), canonical: isCanonical(g, vaddr),
      tlb: 'miss', levels: [], phys: null, pfn: null, page_size: null, fault: null,
    };
    const st = this.tlb.stats;
    const h1 = st.l1_hits;
    const h2 = st.l2_hits;
    const phys = this.access(mm, vaddr, kind, user);
    res.tlb = st.l1_hits > h1 ? 'l1' : st.l2_hits > h2 ? 'l2' : 'miss';
    // the levels as the tables now hold them (after the walk set accessed/dirty bits)
    res.levels = this.peekWalk(mm.pgd, vaddr);
    if (phys >= 0) {
      res.phys = hex(phys);
      res.pfn = Math.floor(phys / 4096);
      res.page_size = 2 ** this.outShift;
    } else {
      const present = (this.outErr & X86_PF_PROT) !== 0;
      res.fault = { error_code: this.outErr, kind: !res.canonical ? 'non-canonical' : present ? 'protection' : 'not-present', reason: this.outWhy };
    }
    return res;
  }

  /**
   * The leaf mapping `vaddr` under `pgd`, without side effects: returns its first pfn (−1 when
   * unmapped) and leaves the page shift in `leafShift` and whether every level allows writes in
   * `leafRw`. No allocation (validators use it for every TLB entry).
   */
  leafOf(pgd: number, vaddr: number): number {
    const g = this.g;
    const tm = this.tm;
    let table = pgd;
    let rw = true;
    for (let d = 0; d < g.walk.length; d++) {
      const L = g.walk[d];
      const idx = Math.floor(vaddr / L.size) & (L.ptrs - 1);
      const lo = tm.lo(table, idx);
      const hi = tm.hi(table, idx);
      if (!(lo & _PAGE_PRESENT)) return -1;
      if (!(g.mode === 'i386-pae' && d === 0)) rw = rw && (lo & _PAGE_RW) !== 0;
      if (d === g.walk.length - 1 || (L.hugeLeaf && lo & _PAGE_PSE)) {
        this.leafShift = L.shift;
        this.leafRw = rw;
        return entryPfn(lo, hi);
      }
      table = entryPfn(lo, hi);
    }
    return -1;
  }
  /** Set by {@link leafOf}. */
  leafShift = 12;
  leafRw = false;

  /** Reads the walk for `vaddr` without side effects (no A/D updates, no TLB fill, no cost). */
  peekWalk(pgd: number, vaddr: number): WalkStep[] {
    const g = this.g;
    const tm = this.tm;
    const out: WalkStep[] = [];
    if (!isCanonical(g, vaddr)) return out;
    let table = pgd;
    for (let d = 0; d < g.walk.length; d++) {
      const L = g.walk[d];
      const idx = pgIndex(vaddr, L);
      const lo = tm.lo(table, idx);
      const hi = tm.hi(table, idx);
      const present = (lo & _PAGE_PRESENT) !== 0;
      const leaf = present && (d === g.walk.length - 1 || (L.hugeLeaf && (lo & _PAGE_PSE) !== 0));
      out.push({
        level: L.name, index: idx, bits: [L.shift, L.shift + L.bits - 1], table_pfn: table,
        entry_phys: hex(table * 4096 + idx * g.entryBytes), entry: entryHex(lo, hi, g.entryBytes),
        flags: decodeEntry(lo, hi, L.name), pfn: entryPfn(lo, hi), leaf, present,
      });
      if (!present || leaf) break;
      table = entryPfn(lo, hi);
    }
    return out;
  }

  // ---- flushes (arch/x86/mm/tlb.c) ----

  /** flush_tlb_mm_range: one page, a range (over 33 pages → the whole mm), or the whole mm. */
  flush_tlb_mm_range(mm: MmContext, start: number, end: number): void {
    const pages = (end - start) / 4096;
    if (this.sys.trace.enabled) this.sys.trace.emit('tlb_flush', { pages: pages > TLB_SINGLE_PAGE_FLUSH_CEILING ? -1 : pages, reason: 'local mm shootdown (3)' });
    const asid = this.tlb.asidOf(mm.ctx_id);
    if (pages > TLB_SINGLE_PAGE_FLUSH_CEILING) {
      this.flush_tlb_mm(mm);
      return;
    }
    mm.tlb_gen++;
    if (asid < 0) return;
    for (let a = start; a < end; a += 4096) this.tlb.flushPage(asid, a);
    const slot = this.tlb.slots[asid];
    if (slot && slot.ctx_id === mm.ctx_id) slot.tlb_gen = mm.tlb_gen;
  }

  /** flush_tlb_page. */
  flush_tlb_page(mm: MmContext, vaddr: number): void {
    const a = Math.floor(vaddr / 4096) * 4096;
    this.flush_tlb_mm_range(mm, a, a + 4096);
  }

  /** flush_tlb_mm: every entry of the mm (its generation moves on; the local ASID is flushed). */
  flush_tlb_mm(mm: MmContext): void {
    mm.tlb_gen++;
    const asid = this.tlb.asidOf(mm.ctx_id);
    if (asid < 0) return;
    this.tlb.flushAsid(asid);
    const slot = this.tlb.slots[asid];
    if (slot && slot.ctx_id === mm.ctx_id) slot.tlb_gen = mm.tlb_gen;
  }

  /** flush_tlb_all. */
  flush_tlb_all(): void {
    if (this.sys.trace.enabled) this.sys.trace.emit('tlb_flush', { pages: -1, reason: 'local shootdown (2)' });
    this.tlb.flushAll();
  }

  /** flush_tlb_kernel_range. */
  flush_tlb_kernel_range(start: number, end: number): void {
    this.tlb.flushKernelRange(start, end);
  }
}
