/**
 * Walking a range of page tables.
 *
 * Mirrors: mm/pagewalk.c (walk_page_range with pte_entry / pmd_entry / pte_hole callbacks),
 * mm/memory.c (free_pgd_range: freeing page tables that lie wholly between floor and ceiling,
 * follow_pte).
 * Models: a descent over the hardware levels of a geometry that skips absent subtrees, used by
 * munmap (zap), mprotect (change_protection), fork (copy_page_range), smaps and the validators;
 * freeing emptied tables with the kernel's floor/ceiling rule.
 * Simplifies: no locking, no huge-page splitting (user mappings are 4 KiB pages).
 * See: chapter 06 (page tables), chapter 08 (munmap, mprotect).
 */
import { VmBugError } from '../base/errors.js';
import type { Paging } from '../arch/x86/mmu.js';
import { _PAGE_PRESENT, _PAGE_PSE, entryPfn, pgIndex } from '../arch/x86/pgtable.js';

/** Callbacks of {@link walk_page_range}. */
export interface PageWalkOps {
  /** A non-empty PTE slot (present, PROT_NONE or any non-zero entry) in [start, end): its table pfn, index and address. */
  pte_entry?: (table: number, idx: number, addr: number) => void;
  /** A huge leaf above the PTE level covering `addr` (depth = hardware level). */
  huge_entry?: (table: number, idx: number, addr: number, depth: number) => void;
  /** A range with no table below `depth`. */
  pte_hole?: (start: number, end: number, depth: number) => void;
}

/** walk_page_range over the user tables under `pgd`, for [start, end). */
export function walk_page_range(pg: Paging, pgd: number, start: number, end: number, ops: PageWalkOps): void {
  if (end > start) walkLevel(pg, pgd, 0, start, end, ops);
}

function walkLevel(pg: Paging, table: number, depth: number, start: number, end: number, ops: PageWalkOps): void {
  const w = pg.g.walk;
  const L = w[depth];
  const size = L.size;
  const last = depth === w.length - 1;
  const tm = pg.tm;
  const ew = tm.ew;
  const view = tm.view(table);
  const base = tm.base(table);
  const mask = L.ptrs - 1;
  const k0 = Math.floor(start / size);
  const k1 = Math.floor((end - 1) / size);
  for (let k = k0; k <= k1; k++) {
    const idx = k & mask;
    const wi = base + idx * ew;
    const lo = view[wi];
    if (last) {
      if (lo !== 0 || (ew === 2 && view[wi + 1] !== 0)) ops.pte_entry?.(table, idx, k * size);
      continue;
    }
    const a = k === k0 ? start : k * size;
    const next = k === k1 ? end : (k + 1) * size;
    if (!(lo & _PAGE_PRESENT)) ops.pte_hole?.(a, next, depth);
    else if (L.hugeLeaf && lo & _PAGE_PSE) ops.huge_entry?.(table, idx, a, depth);
    else walkLevel(pg, entryPfn(lo, ew === 2 ? view[wi + 1] : 0), depth + 1, a, next, ops);
  }
}

/**
 * The PTE-level table mapping `addr` under `pgd`, or −1 when a level above is absent (or a
 * huge leaf maps it). The entry's index is pgIndex(addr, pte level).
 */
export function follow_pte_table(pg: Paging, pgd: number, addr: number): number {
  const t = pg.tableFor(pgd, addr, pg.pteDepth, false, -1);
  return t < 0 ? -1 : t;
}

/**
 * free_pgd_range: frees the page tables below `pgd` that overlap [start, end) and lie wholly
 * inside [floor, ceiling). Their entries must already be empty. `onFree(depth)` is told of each
 * freed table (for mm->pgtables_bytes). Under PAE the PGD's four PMDs stay (pgd_free owns them).
 */
export function free_pgd_range(pg: Paging, pgd: number, start: number, end: number, floor: number, ceiling: number, onFree: (depth: number) => void): void {
  if (end > start) freeLevel(pg, pgd, 0, start, end, floor, ceiling, onFree);
}

function freeLevel(pg: Paging, table: number, depth: number, start: number, end: number, floor: number, ceiling: number, onFree: (depth: number) => void): void {
  const w = pg.g.walk;
  if (depth >= w.length - 1) return;
  const L = w[depth];
  const size = 2 ** L.shift;
  const tm = pg.tm;
  let a = start;
  while (a < end) {
    const idx = pgIndex(a, L);
    const spanStart = Math.floor(a / size) * size;
    const next = Math.min(end, spanStart + size);
    const lo = tm.lo(table, idx);
    if (lo & _PAGE_PRESENT && !(L.hugeLeaf && lo & _PAGE_PSE)) {
      const child = entryPfn(lo, tm.hi(table, idx));
      freeLevel(pg, child, depth + 1, a, next, floor, ceiling, onFree);
      const keep = pg.g.mode === 'i386-pae' && depth === 0;
      if (!keep && spanStart >= floor && spanStart + size <= ceiling) {
        const cw = w[depth + 1];
        for (let i = 0; i < cw.ptrs; i++) {
          if (tm.lo(child, i) !== 0 || tm.hi(child, i) !== 0) throw new VmBugError('free_pgtables: freeing a page table that still has entries', `${cw.name} table pfn ${child} entry ${i}`);
        }
        tm.set(table, idx, 0, 0);
        pg.freeTable(child);
        onFree(depth + 1);
      }
    }
    a = next;
  }
}
