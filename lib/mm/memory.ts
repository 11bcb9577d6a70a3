/**
 * Page faults, PTE installation, unmapping and copying page tables.
 *
 * Mirrors: mm/memory.c (handle_mm_fault, __handle_mm_fault, handle_pte_fault,
 * do_anonymous_page, do_fault/do_read_fault/do_cow_fault/do_shared_fault, do_wp_page,
 * wp_page_reuse, wp_page_copy, zap_pte_range, copy_page_range/copy_present_pte,
 * mm_account_fault), arch/x86/mm/fault.c (do_user_addr_fault, access_error,
 * show_signal_msg), mm/filemap.c (filemap_fault).
 * Models: demand paging of anonymous memory (reads map the shared zero page read-only, writes
 * allocate a zeroed page), copy-on-write after fork (an anonymous page with one owner is reused,
 * otherwise copied), file faults through the minimal page cache of file.ts (minor on a cache
 * hit, major when the page must be read; shared anonymous memory is shmem, whose missing pages
 * are new zeroed pages and minor faults), PROT_NONE entries, per-mm RSS counters, page->mapping
 * and index for rmap, mapcount and refcount on every mapping, the pgfault/pgmajfault counters,
 * SIGSEGV with the kernel's dmesg line.
 * Simplifies: no THP, no swap entries, no NUMA hinting faults, no fault-around; pages do not go
 * on LRU lists here (reclaim adds that).
 * See: chapter 08 (faults, demand paging, CoW).
 */
import { COST_NS } from '../base/clock.js';
import { KernelError, VmBugError } from '../base/errors.js';
import {
  _PAGE_ACCESSED, _PAGE_DIRTY, _PAGE_NX_HI, _PAGE_PRESENT, _PAGE_PROTNONE, _PAGE_RW, _PAGE_SPECIAL,
  _PAGE_USER, entryPfn, mkEntry, pgIndex,
} from '../arch/x86/pgtable.js';
import { pageSource, printk, vmstatAdd, X86_PF_INSTR, X86_PF_PROT, X86_PF_USER, X86_PF_WRITE, type Paging } from '../arch/x86/mmu.js';
import type { MmStruct, Task } from '../kernel/fork.js';
import type { System } from '../system.js';
import type { Highmem } from './highmem.js';
import type { Vmalloc } from './vmalloc.js';
import { GFP_HIGHUSER_MOVABLE, __GFP_ZERO } from './gfp.js';
import type { SimFile } from './file.js';
import { PG } from './page_flags.js';
import { free_pgd_range, walk_page_range } from './pagewalk.js';
import { anon_vma_prepare, MappingTable, PAGE_MAPPING_ANON, rmap_walk } from './rmap.js';
import type { Vma } from './mmap.js';
import { VM_EXEC, VM_MAYWRITE, VM_READ, VM_SHARED, VM_WRITE } from './vm_flags.js';

/** VM_FAULT_* bits (include/linux/mm_types.h). */
export const VM_FAULT_OOM = 0x1;
export const VM_FAULT_SIGBUS = 0x2;
export const VM_FAULT_MAJOR = 0x4;
export const VM_FAULT_SIGSEGV = 0x40;

/** RSS counter indexes (MM_FILEPAGES ...). */
export const MM_FILEPAGES = 0;
export const MM_ANONPAGES = 1;
export const MM_SWAPENTS = 2;
export const MM_SHMEMPAGES = 3;

/** The struct page arrays of a System (PageArray, lib/mm/mm_types.ts). */
export interface PagesLike {
  flags: Uint32Array;
  _refcount: Int32Array;
  mapcount: Int32Array;
  mapping: Uint32Array;
  index: Float64Array;
  page_type: Uint8Array;
}

/** sys.pages. */
export function pagesOf(sys: System): PagesLike {
  return sys.pages;
}

/** The per-System state of the memory-mapping code. */
export interface MmCore {
  pg: Paging;
  mappings: MappingTable;
  /** pfn of the shared zero page (empty_zero_page). */
  zero_pfn: number;
  /** Pages mapped anonymously (NR_ANON_MAPPED, /proc/meminfo AnonPages), file pages mapped (NR_FILE_MAPPED). */
  nr_anon_mapped: number;
  nr_file_mapped: number;
  /** Every fault (pgfault) and the major ones (pgmajfault). */
  pgfault: number;
  pgmajfault: number;
  /** The last pid handed out. */
  last_pid: number;
  /** The vmalloc allocator. */
  vmalloc: Vmalloc;
  /** kmap state (i386 highmem). */
  highmem: Highmem;
  /**
   * Swap hooks, installed by the swap subsystem. A PTE that is neither present nor PROT_NONE
   * and not zero is a swap entry: the paging code never decodes it, it calls these.
   */
  swap?: SwapHooks;
  /** LRU hooks, installed by reclaim: a new user page (lru_cache_add) and a page about to be freed. */
  lru?: { add(pfn: number, anon: boolean): void; del(pfn: number): void };
}

/** What the paging code asks of the swap subsystem (mm/memory.c do_swap_page, mm/swapfile.c). */
export interface SwapHooks {
  /** do_swap_page: fault on swap entry (lo, hi) at `addr`; installs the page and returns VM_FAULT_* bits. */
  do_swap_page(task: Task | null, vma: Vma, table: number, idx: number, addr: number, lo: number, hi: number, write: boolean): FaultResult;
  /** free_swap_and_cache: a swap PTE is zapped. */
  free_swap_entry(lo: number, hi: number): void;
  /** swap_duplicate: fork copies a swap PTE. */
  swap_duplicate(lo: number, hi: number): void;
}

/** sys.mmcore. */
export function core(sys: System): MmCore {
  return sys.mmcore;
}

/** protection_map (arch/x86/mm/pgprot.c): PTE flags for VM_READ/WRITE/EXEC/SHARED. Returns [lo, nx]. */
export function vm_get_page_prot(vm_flags: number): [number, boolean] {
  const rwx = vm_flags & (VM_READ | VM_WRITE | VM_EXEC);
  if (rwx === 0) return [_PAGE_ACCESSED | _PAGE_PROTNONE, false];
  const shared = (vm_flags & VM_SHARED) !== 0;
  const lo = _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED | (shared && vm_flags & VM_WRITE ? _PAGE_RW : 0);
  return [lo, !(vm_flags & VM_EXEC)];
}

/**
 * vma_wants_writenotify: a shared writable mapping of a file that writes back (a disk file)
 * maps pages read-only until written, to track dirtying. shmem (shared anonymous memory) has no
 * writeback (its backing_dev_info lacks BDI_CAP_WRITEBACK), so its PTEs are writable at once.
 */
export function vma_wants_writenotify(vma: Vma): boolean {
  return (vma.vm_flags & (VM_SHARED | VM_WRITE)) === (VM_SHARED | VM_WRITE) && vma.vm_file !== null && !vma.vm_file.shmem;
}

/** is_cow_mapping: private and may become writable. */
export function is_cow_mapping(flags: number): boolean {
  return (flags & (VM_SHARED | VM_MAYWRITE)) === VM_MAYWRITE;
}

/** The PTE-level table for `addr` in `mm`, allocating tables (charged to the mm) when `alloc`. */
export function pte_table(sys: System, mm: MmStruct, addr: number, alloc: boolean): number {
  const pg = core(sys).pg;
  return pg.tableFor(mm.pgd, addr, pg.pteDepth, alloc, mm.ctx_id, () => {
    mm.pgtables_bytes += 4096;
  });
}

/** mm_counter: anonymous, shmem (a swap-backed file page) or file. */
function rssIndex(pages: PagesLike, pfn: number): number {
  if (pages.mapping[pfn] & PAGE_MAPPING_ANON) return MM_ANONPAGES;
  return pages.flags[pfn] & (1 << PG.swapbacked) ? MM_SHMEMPAGES : MM_FILEPAGES;
}

/** Allocates a user page (GFP_HIGHUSER_MOVABLE), zeroed when `zero`. −1 when memory is out. */
function alloc_user_page(sys: System, zero: boolean): number {
  const pfn = pageSource(sys).alloc(GFP_HIGHUSER_MOVABLE | (zero ? __GFP_ZERO : 0), 0);
  if (pfn < 0) return -1;
  const pages = pagesOf(sys);
  pages._refcount[pfn] = 1;
  pages.mapcount[pfn] = 0;
  if (zero) {
    sys.mem.clearPage(pfn);
    sys.clock.charge(COST_NS.pageCopy);
  }
  return pfn;
}

/** put_page: drops a reference; frees the page at zero. */
export function put_page(sys: System, pfn: number): void {
  const pages = pagesOf(sys);
  const r = --pages._refcount[pfn];
  if (r < 0) throw new VmBugError('put_page: refcount went negative', `pfn ${pfn}`);
  if (r === 0) {
    core(sys).lru?.del(pfn);
    pages.flags[pfn] = 0;
    pages.mapping[pfn] = 0;
    pages.index[pfn] = 0;
    pages.mapcount[pfn] = 0;
    pageSource(sys).free(pfn, 0);
  }
}

/** Maps a new anonymous page: rmap fields, counters, mapcount 1 (folio_add_new_anon_rmap). */
export function add_new_anon_rmap(sys: System, vma: Vma, pfn: number, addr: number): void {
  const c = core(sys);
  const av = anon_vma_prepare(c.mappings, vma);
  const pages = pagesOf(sys);
  pages.mapping[pfn] = MappingTable.anonMapping(av);
  pages.index[pfn] = vma.vm_pgoff + (addr - vma.vm_start) / 4096;
  pages.flags[pfn] |= (1 << PG.swapbacked) | (1 << PG.anon_exclusive) | (1 << PG.uptodate);
  pages.mapcount[pfn] = 1;
  c.lru?.add(pfn, true);
  c.nr_anon_mapped++;
  vmstatAdd(sys, 'nr_anon_pages', 1, pfn);
  vma.mm.rss[MM_ANONPAGES]++;
}

/** Removes one mapping of a page (folio_remove_rmap_pte) and drops the mapping's reference. */
export function remove_rmap_and_put(sys: System, mm: MmStruct, pfn: number): void {
  const pages = pagesOf(sys);
  const c = core(sys);
  const m = pages.mapping[pfn];
  const n = --pages.mapcount[pfn];
  if (n < 0) throw new VmBugError('page mapcount went negative', `pfn ${pfn}`);
  mm.rss[rssIndex(pages, pfn)]--;
  if (n === 0) {
    if (m & PAGE_MAPPING_ANON) {
      c.nr_anon_mapped--;
      vmstatAdd(sys, 'nr_anon_pages', -1, pfn);
    } else {
      c.nr_file_mapped--;
      vmstatAdd(sys, 'nr_mapped', -1, pfn);
    }
  }
  put_page(sys, pfn);
}

/** Adds one mapping of an existing page (fork, file fault): mapcount and refcount. */
function dup_rmap(sys: System, mm: MmStruct, pfn: number): void {
  const pages = pagesOf(sys);
  const c = core(sys);
  const m = pages.mapping[pfn];
  if (pages.mapcount[pfn]++ === 0) {
    if (m & PAGE_MAPPING_ANON) {
      c.nr_anon_mapped++;
      vmstatAdd(sys, 'nr_anon_pages', 1, pfn);
    } else {
      c.nr_file_mapped++;
      vmstatAdd(sys, 'nr_mapped', 1, pfn);
    }
  }
  pages._refcount[pfn]++;
  mm.rss[rssIndex(pages, pfn)]++;
}

function setPte(sys: System, table: number, addr: number, pfn: number, lo: number, nx: boolean): void {
  const pg = core(sys).pg;
  const [l, h] = mkEntry(pfn, lo, nx && pg.g.hasNX, pg.g.entryBytes);
  pg.tm.set(table, pgIndex(addr, pg.g.walk[pg.pteDepth]), l, h);
}

/** Result of a fault: VM_FAULT_* bits (0 = handled, minor). */
export type FaultResult = number;

/**
 * handle_mm_fault: resolves a fault at `addr` in `vma` (write = FAULT_FLAG_WRITE). Counts
 * pgfault, then min_flt/maj_flt of the task (mm_account_fault).
 */
export function handle_mm_fault(sys: System, task: Task | null, vma: Vma, addr: number, write: boolean): FaultResult {
  const c = core(sys);
  c.pgfault++;
  vmstatAdd(sys, 'pgfault', 1);
  sys.clock.charge(COST_NS.fault);
  const ret = __handle_mm_fault(sys, task, vma, Math.floor(addr / 4096) * 4096, write);
  if (task && !(ret & (VM_FAULT_OOM | VM_FAULT_SIGBUS | VM_FAULT_SIGSEGV))) {
    if (ret & VM_FAULT_MAJOR) task.maj_flt++;
    else task.min_flt++;
  }
  return ret;
}

function __handle_mm_fault(sys: System, task: Task | null, vma: Vma, addr: number, write: boolean): FaultResult {
  const mm = vma.mm;
  const pg = core(sys).pg;
  const table = pte_table(sys, mm, addr, true);
  if (table < 0) return VM_FAULT_OOM;
  const idx = pgIndex(addr, pg.g.walk[pg.pteDepth]);
  const lo = pg.tm.lo(table, idx);
  const hi = pg.tm.hi(table, idx);
  if (lo === 0 && hi === 0) {
    if (!vma.vm_file) return do_anonymous_page(sys, vma, table, addr, write);
    return do_fault(sys, vma, table, addr, write);
  }
  if (!(lo & _PAGE_PRESENT)) {
    // PROT_NONE entry in a VMA that now allows access (mprotect raced a fault in the kernel;
    // here: a NUMA-hinting style entry): restore the VMA's protection.
    if (lo & _PAGE_PROTNONE) {
      if (!(vma.vm_flags & (VM_READ | VM_WRITE | VM_EXEC))) return VM_FAULT_SIGSEGV;
      const [plo, nx] = vm_get_page_prot(vma.vm_flags);
      setPte(sys, table, addr, entryPfn(lo, hi), plo | (lo & (_PAGE_DIRTY | _PAGE_SPECIAL)), nx);
      return 0;
    }
    const sw = core(sys).swap;
    if (!sw) throw new VmBugError('handle_pte_fault: swap entry but no swap subsystem', `addr ${addr}`);
    return sw.do_swap_page(task, vma, table, idx, addr, lo, hi, write);
  }
  if (write && !(lo & _PAGE_RW)) return do_wp_page(sys, vma, table, addr, lo, hi);
  // spurious fault: the entry already allows the access (stale TLB); mark it young/dirty
  pg.tm.orLo(table, idx, _PAGE_ACCESSED | (write ? _PAGE_DIRTY : 0));
  pg.flush_tlb_page(mm, addr);
  return 0;
}

/** do_anonymous_page: zero page for a read, a new zeroed page for a write. */
function do_anonymous_page(sys: System, vma: Vma, table: number, addr: number, write: boolean): FaultResult {
  const c = core(sys);
  const [prot, nx] = vm_get_page_prot(vma.vm_flags);
  if (!write) {
    setPte(sys, table, addr, c.zero_pfn, (prot & ~_PAGE_RW) | _PAGE_SPECIAL, nx);
    return 0;
  }
  const pfn = alloc_user_page(sys, true);
  if (pfn < 0) return VM_FAULT_OOM;
  add_new_anon_rmap(sys, vma, pfn, addr);
  setPte(sys, table, addr, pfn, prot | _PAGE_RW | _PAGE_DIRTY, nx);
  return 0;
}

/**
 * filemap_fault: the page-cache page of file index `pgoff`, reading it in on a miss.
 * Returns [pfn, VM_FAULT_MAJOR or 0], or [−1, VM_FAULT_SIGBUS/OOM].
 */
function filemap_fault(sys: System, vma: Vma, pgoff: number): [number, FaultResult] {
  const f = vma.vm_file!;
  const as = f.i_mapping;
  if (pgoff * 4096 >= f.size) return [-1, VM_FAULT_SIGBUS];
  const hit = as.i_pages.get(pgoff);
  if (hit !== undefined) return [hit, 0];
  if (f.shmem) return shmem_fault(sys, f, pgoff);
  const pfn = alloc_user_page(sys, false);
  if (pfn < 0) return [-1, VM_FAULT_OOM];
  const pages = pagesOf(sys);
  const start = pgoff * 4096;
  const bytes = f.data.subarray(start, Math.min(f.size, start + 4096));
  sys.mem.clearPage(pfn);
  if (bytes.length) sys.mem.pageForWrite(pfn).set(bytes);
  pages.mapping[pfn] = MappingTable.fileMapping(as);
  pages.index[pfn] = pgoff;
  pages.flags[pfn] |= 1 << PG.uptodate;
  as.i_pages.set(pgoff, pfn); // the cache's reference is the allocation's
  core(sys).lru?.add(pfn, false);
  core(sys).pgmajfault++;
  vmstatAdd(sys, 'pgmajfault', 1);
  vmstatAdd(sys, 'nr_file_pages', 1, pfn);
  sys.clock.charge(COST_NS.diskPage);
  return [pfn, VM_FAULT_MAJOR];
}

/**
 * shmem_fault (mm/shmem.c, shmem_get_folio_gfp with SGP_CACHE): a shmem page not in the cache is
 * a new zeroed, swap-backed page added to the cache (NR_SHMEM). No I/O: the fault is minor.
 */
function shmem_fault(sys: System, f: SimFile, pgoff: number): [number, FaultResult] {
  const pfn = alloc_user_page(sys, true);
  if (pfn < 0) return [-1, VM_FAULT_OOM];
  const pages = pagesOf(sys);
  pages.mapping[pfn] = MappingTable.fileMapping(f.i_mapping);
  pages.index[pfn] = pgoff;
  pages.flags[pfn] |= (1 << PG.uptodate) | (1 << PG.swapbacked);
  f.i_mapping.i_pages.set(pgoff, pfn); // the cache's reference is the allocation's
  core(sys).lru?.add(pfn, true); // swap-backed: the anon LRU, as lru_cache_add files it
  vmstatAdd(sys, 'nr_file_pages', 1, pfn);
  vmstatAdd(sys, 'nr_shmem', 1, pfn);
  return [pfn, 0];
}

/** do_fault: read, private-write (CoW of the file page) or shared-write fault on a file VMA. */
function do_fault(sys: System, vma: Vma, table: number, addr: number, write: boolean): FaultResult {
  const pgoff = vma.vm_pgoff + (addr - vma.vm_start) / 4096;
  const [pfn, ret] = filemap_fault(sys, vma, pgoff);
  if (pfn < 0) return ret;
  const [prot, nx] = vm_get_page_prot(vma.vm_flags);
  const mm = vma.mm;
  if (write && !(vma.vm_flags & VM_SHARED)) {
    // do_cow_fault: copy into a new anonymous page
    const np = alloc_user_page(sys, false);
    if (np < 0) return VM_FAULT_OOM;
    sys.mem.copyPage(np, pfn);
    sys.clock.charge(COST_NS.pageCopy);
    add_new_anon_rmap(sys, vma, np, addr);
    setPte(sys, table, addr, np, prot | _PAGE_RW | _PAGE_DIRTY, nx);
    return ret;
  }
  dup_rmap(sys, mm, pfn);
  if (write) {
    // do_shared_fault: the page becomes dirty in the cache
    pagesOf(sys).flags[pfn] |= 1 << PG.dirty;
    setPte(sys, table, addr, pfn, prot | _PAGE_DIRTY, nx);
  } else if (vma_wants_writenotify(vma)) {
    // a read fault maps even a shared writable file page read-only: the first write is
    // tracked (write-notify), so the page gets marked dirty
    setPte(sys, table, addr, pfn, prot & ~_PAGE_RW, nx);
  } else {
    // shmem cannot write back, so it needs no write-notify: the page is mapped with the VMA's
    // full protection (writable, clean) and a later write does not fault
    setPte(sys, table, addr, pfn, prot, nx);
  }
  return ret;
}

/** do_wp_page: a write to a present read-only PTE in a writable VMA. */
function do_wp_page(sys: System, vma: Vma, table: number, addr: number, lo: number, hi: number): FaultResult {
  const c = core(sys);
  const pg = c.pg;
  const pages = pagesOf(sys);
  const pfn = entryPfn(lo, hi);
  const nx = (hi & _PAGE_NX_HI) !== 0;
  const mm = vma.mm;
  if (vma.vm_flags & VM_SHARED) {
    // wp_page_shared: make it writable and dirty
    if (!(lo & _PAGE_SPECIAL)) pages.flags[pfn] |= 1 << PG.dirty;
    setPte(sys, table, addr, pfn, lo | _PAGE_RW | _PAGE_DIRTY | _PAGE_ACCESSED, nx);
    pg.flush_tlb_page(mm, addr);
    return 0;
  }
  const special = (lo & _PAGE_SPECIAL) !== 0;
  const anon = !special && (pages.mapping[pfn] & PAGE_MAPPING_ANON) !== 0;
  if (anon && (pages.flags[pfn] & (1 << PG.anon_exclusive) || pages._refcount[pfn] === 1)) {
    // wp_page_reuse: the only owner writes in place
    pages.flags[pfn] |= 1 << PG.anon_exclusive;
    setPte(sys, table, addr, pfn, lo | _PAGE_RW | _PAGE_DIRTY | _PAGE_ACCESSED, nx);
    pg.flush_tlb_page(mm, addr);
    return 0;
  }
  // wp_page_copy
  const np = alloc_user_page(sys, special);
  if (np < 0) return VM_FAULT_OOM;
  if (!special) {
    sys.mem.copyPage(np, pfn);
    sys.clock.charge(COST_NS.pageCopy);
  }
  // ptep_clear_flush, then the new entry
  pg.tm.set(table, pgIndex(addr, pg.g.walk[pg.pteDepth]), 0, 0);
  pg.flush_tlb_page(mm, addr);
  add_new_anon_rmap(sys, vma, np, addr);
  const [prot] = vm_get_page_prot(vma.vm_flags);
  setPte(sys, table, addr, np, prot | _PAGE_RW | _PAGE_DIRTY, nx);
  if (!special) remove_rmap_and_put(sys, mm, pfn);
  return 0;
}

/**
 * zap_page_range: clears the PTEs of [start, end) in `mm`, dropping each page's mapping
 * (shared file pages written through a PTE become dirty), then flushes the TLB for the range.
 */
export function zap_page_range(sys: System, mm: MmStruct, start: number, end: number): void {
  const c = core(sys);
  const pg = c.pg;
  const tm = pg.tm;
  const pages = pagesOf(sys);
  let any = false;
  walk_page_range(pg, mm.pgd, start, end, {
    pte_entry: (table, idx) => {
      const lo = tm.lo(table, idx);
      const hi = tm.hi(table, idx);
      if (lo === 0 && hi === 0) return;
      tm.set(table, idx, 0, 0);
      if (!(lo & (_PAGE_PRESENT | _PAGE_PROTNONE))) {
        // a swap entry
        c.swap?.free_swap_entry(lo, hi);
        mm.rss[MM_SWAPENTS]--;
        return;
      }
      any = true;
      if (lo & _PAGE_SPECIAL) return;
      const pfn = entryPfn(lo, hi);
      if (lo & _PAGE_DIRTY && !(pages.mapping[pfn] & PAGE_MAPPING_ANON)) pages.flags[pfn] |= 1 << PG.dirty;
      remove_rmap_and_put(sys, mm, pfn);
    },
  });
  if (any) pg.flush_tlb_mm_range(mm, start, end);
}

/** free_pgtables for a hole [start, end) between VMAs ending at `floor` and starting at `ceiling`. */
export function free_pgtables(sys: System, mm: MmStruct, start: number, end: number, floor: number, ceiling: number): void {
  const pg = core(sys).pg;
  free_pgd_range(pg, mm.pgd, start, end, floor, ceiling, () => {
    mm.pgtables_bytes -= 4096;
  });
}

/**
 * copy_page_range: the child's PTEs for one VMA at fork. Private writable (CoW) mappings are
 * write-protected in both; the child's copies are old (not accessed). Returns false when a
 * page table could not be allocated (fork then fails with ENOMEM).
 */
export function copy_page_range(sys: System, dst: MmStruct, src: MmStruct, vma: Vma): boolean {
  const c = core(sys);
  const pg = c.pg;
  const tm = pg.tm;
  const pages = pagesOf(sys);
  const cow = is_cow_mapping(vma.vm_flags);
  let ok = true;
  walk_page_range(pg, src.pgd, vma.vm_start, vma.vm_end, {
    pte_entry: (table, idx, addr) => {
      if (!ok) return;
      let lo = tm.lo(table, idx);
      const hi = tm.hi(table, idx);
      if (lo === 0 && hi === 0) return;
      const dt = pte_table(sys, dst, addr, true);
      if (dt < 0) {
        ok = false;
        return;
      }
      if (!(lo & (_PAGE_PRESENT | _PAGE_PROTNONE))) {
        c.swap?.swap_duplicate(lo, hi);
        dst.rss[MM_SWAPENTS]++;
        tm.set(dt, idx, lo, hi);
        return;
      }
      if (lo & _PAGE_PRESENT && cow && lo & _PAGE_RW) {
        tm.set(table, idx, lo & ~_PAGE_RW, hi);
        lo &= ~_PAGE_RW;
      }
      if (!(lo & _PAGE_SPECIAL) && (lo & (_PAGE_PRESENT | _PAGE_PROTNONE))) {
        const pfn = entryPfn(lo, hi);
        pages.flags[pfn] &= ~(1 << PG.anon_exclusive);
        dup_rmap(sys, dst, pfn);
      }
      let clo = lo & ~_PAGE_ACCESSED;
      if (vma.vm_flags & VM_SHARED) clo &= ~_PAGE_DIRTY;
      tm.set(dt, idx, clo, hi);
    },
  });
  return ok;
}

/** A user address as the kernel's %lx prints it. */
function ux(addr: number): string {
  return addr.toString(16);
}

/** The fault error code's access kind for messages. */
function errName(err: number): string {
  return err & X86_PF_INSTR ? 'exec' : err & X86_PF_WRITE ? 'write' : 'read';
}

/**
 * do_user_addr_fault: a user access at `addr` failed in the MMU with error code `err`. Finds
 * the VMA, checks access_error, and runs handle_mm_fault. Throws KernelError('SIGSEGV: ...')
 * (after the kernel's "segfault at" line in dmesg) or ('SIGBUS: ...') when it cannot be fixed.
 */
export function do_user_addr_fault(sys: System, task: Task, addr: number, err: number, why: string): void {
  const mm = task.mm!;
  if (sys.trace.enabled) sys.trace.emit('page_fault_user', { address: '0x' + ux(addr), ip: '0x0', error_code: '0x' + (err | X86_PF_USER).toString(16) });
  const vma = mm.find_vma(addr);
  let reason = '';
  if (!vma || addr < vma.vm_start) {
    if (vma && vma.vm_flags & 0x100 /* VM_GROWSDOWN */ && task.expand_stack(vma, addr)) {
      // the stack grew down to cover addr
    } else {
      reason = `no mapping at ${'0x' + ux(addr)} (SEGV_MAPERR)`;
    }
  }
  const v = mm.find_vma(addr);
  if (!reason && v) {
    // access_error()
    if (err & X86_PF_WRITE) {
      if (!(v.vm_flags & VM_WRITE)) reason = `write to a mapping without PROT_WRITE (SEGV_ACCERR)`;
    } else if (err & X86_PF_PROT) {
      reason = `${errName(err)} not allowed: ${why} (SEGV_ACCERR)`;
    } else if (!(v.vm_flags & (VM_READ | VM_WRITE | VM_EXEC))) {
      reason = `${errName(err)} of a PROT_NONE mapping (SEGV_ACCERR)`;
    }
  }
  if (!reason && v) {
    const ret = handle_mm_fault(sys, task, v, addr, (err & X86_PF_WRITE) !== 0);
    if (!(ret & (VM_FAULT_OOM | VM_FAULT_SIGBUS | VM_FAULT_SIGSEGV))) return;
    if (ret & VM_FAULT_SIGBUS) {
      printk(sys, `${task.comm}[${task.pid}]: bus error at ${ux(addr)} (beyond the end of the file)`);
      throw new KernelError(`SIGBUS: ${task.comm}[${task.pid}] ${errName(err)} at 0x${ux(addr)} beyond the end of the mapped file`, 'EFAULT');
    }
    if (ret & VM_FAULT_OOM) throw new KernelError(`SIGKILL: out of memory handling a fault at 0x${ux(addr)} (VM_FAULT_OOM)`, 'ENOMEM');
    reason = 'fault handler refused the access (VM_FAULT_SIGSEGV)';
  } else if (!reason) {
    reason = 'no mapping (SEGV_MAPERR)';
  }
  const code = err | X86_PF_USER;
  const a = ux(addr);
  printk(sys, `${task.comm}[${task.pid}]: segfault at ${a} ip 0000000000000000 sp 0000000000000000 error ${code.toString(16)} likely on CPU 0 (core 0, socket 0)`);
  task.segfaults++;
  throw new KernelError(`SIGSEGV: ${task.comm}[${task.pid}] ${errName(err)} at 0x${a}: ${reason}, error ${code.toString(16)}`, 'EFAULT');
}

/**
 * folio_referenced: how many mappings of page `pfn` have their accessed bit set; the bits are
 * cleared (and the TLB entries flushed) as page_referenced_one does. For reclaim.
 */
export function folio_referenced(sys: System, pfn: number): number {
  const c = core(sys);
  const pg = c.pg;
  let n = 0;
  for (const hit of rmap_walk(sys, pfn, (vma, address, p) => pteMaps(sys, vma.mm, address, p))) {
    const t = pte_table(sys, hit.vma.mm, hit.address, false);
    const idx = pgIndex(hit.address, pg.g.walk[pg.pteDepth]);
    const lo = pg.tm.lo(t, idx);
    if (lo & _PAGE_ACCESSED) {
      n++;
      pg.tm.set(t, idx, (lo & ~_PAGE_ACCESSED) >>> 0, pg.tm.hi(t, idx));
      pg.flush_tlb_page(hit.vma.mm, hit.address);
    }
  }
  return n;
}

/**
 * try_to_unmap: removes every mapping of page `pfn`. `replacement(vma, address)` gives the entry
 * to leave behind (a swap entry [lo, hi] for an anonymous page; null = none, for a clean file
 * page). Returns the number of mappings removed. The caller keeps its own page reference.
 */
export function try_to_unmap(sys: System, pfn: number, replacement: (vma: Vma, address: number) => [number, number] | null): number {
  const c = core(sys);
  const pg = c.pg;
  const pages = pagesOf(sys);
  const hits = rmap_walk(sys, pfn, (vma, address, p) => pteMaps(sys, vma.mm, address, p));
  for (const hit of hits) {
    const mm = hit.vma.mm;
    const t = pte_table(sys, mm, hit.address, false);
    const idx = pgIndex(hit.address, pg.g.walk[pg.pteDepth]);
    const lo = pg.tm.lo(t, idx);
    if (lo & _PAGE_DIRTY) pages.flags[pfn] |= 1 << PG.dirty;
    const rep = replacement(hit.vma, hit.address);
    pg.tm.set(t, idx, rep ? rep[0] : 0, rep ? rep[1] : 0);
    pg.flush_tlb_page(mm, hit.address);
    if (rep) mm.rss[MM_SWAPENTS]++;
    remove_rmap_and_put(sys, mm, pfn);
  }
  return hits.length;
}

/** True when the PTE at `addr` in `mm` maps `pfn` (present or PROT_NONE, not special). */
export function pteMaps(sys: System, mm: MmStruct, addr: number, pfn: number): boolean {
  const pg = core(sys).pg;
  const t = pte_table(sys, mm, addr, false);
  if (t < 0) return false;
  const idx = pgIndex(addr, pg.g.walk[pg.pteDepth]);
  const lo = pg.tm.lo(t, idx);
  if (!(lo & (_PAGE_PRESENT | _PAGE_PROTNONE)) || lo & _PAGE_SPECIAL) return false;
  return entryPfn(lo, pg.tm.hi(t, idx)) === pfn;
}

/**
 * Installs a user PTE for page `pfn` at `addr` with the VMA's protection (set_pte_at after
 * mk_pte): writable only when asked (and the VMA allows it), dirty when asked. The rmap side is
 * the caller's (add_new_anon_rmap for a new anonymous page). For the swap-in path.
 */
export function set_user_pte(sys: System, vma: Vma, addr: number, pfn: number, writable: boolean, dirty: boolean): void {
  const t = pte_table(sys, vma.mm, addr, false);
  if (t < 0) throw new VmBugError('set_user_pte: no page table', `${addr}`);
  const [prot, nx] = vm_get_page_prot(vma.vm_flags);
  setPte(sys, t, addr, pfn, prot | (writable && vma.vm_flags & VM_WRITE ? _PAGE_RW : 0) | (dirty ? _PAGE_DIRTY : 0), nx);
}
