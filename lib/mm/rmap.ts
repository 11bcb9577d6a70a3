/**
 * Reverse mapping: from a page to every (mm, address) that maps it.
 *
 * Mirrors: mm/rmap.c (anon_vma_prepare, anon_vma_fork, anon_vma_clone, unlink_anon_vmas,
 * rmap_walk_anon, rmap_walk_file, folio_referenced, try_to_unmap), include/linux/rmap.h,
 * include/linux/page-flags.h (PAGE_MAPPING_ANON: the low bit of page->mapping).
 * Models: anon_vma objects linked to VMAs through anon_vma_chains (a VMA is linked to its own
 * anon_vma and, after fork, to every anon_vma of its parent's VMA, so a child's CoW-shared pages
 * are found from the parent's anon_vma); page->mapping as a handle into a table of anon_vmas and
 * address_spaces (low bit 1 = anonymous); the walk computing each address from page->index and
 * vm_pgoff (vma_address) and checking the PTE really maps the page.
 * Simplifies: sets instead of interval trees; an anon_vma is dropped when its last VMA goes
 * (the kernel's refcount also counts pinned folios).
 * See: chapter 08 (address spaces, rmap).
 */
import type { System } from '../system.js';
import type { AddressSpace } from './file.js';
import type { Vma } from './mmap.js';

/** PAGE_MAPPING_ANON: low bit of page->mapping for anonymous pages. */
export const PAGE_MAPPING_ANON = 1;

/** struct anon_vma. */
export class AnonVma {
  /** Handle in the mapping table (page->mapping = id * 2 + 1). */
  readonly id: number;
  /** The root of the fork tree (anon_vma->root). */
  root: AnonVma;
  /** anon_vma->parent. */
  parent: AnonVma;
  /** Every VMA linked through an anon_vma_chain. */
  readonly vmas = new Set<Vma>();
  constructor(id: number, parent: AnonVma | null) {
    this.id = id;
    this.parent = parent ?? this;
    this.root = parent ? parent.root : this;
  }
}

/** The objects behind page->mapping handles. One per System. */
export class MappingTable {
  private objs = new Map<number, AnonVma | AddressSpace>();
  private next = 1;
  /** Creates an anon_vma (optionally a child of `parent`). */
  newAnonVma(parent: AnonVma | null): AnonVma {
    const av = new AnonVma(this.next++, parent);
    this.objs.set(av.id, av);
    return av;
  }
  /** Registers an address_space; returns its id. */
  addSpace(as: AddressSpace): number {
    const id = this.next++;
    this.objs.set(id, as);
    return id;
  }
  /** Forgets an object. */
  remove(id: number): void {
    this.objs.delete(id);
  }
  /** The anon_vma or address_space behind page->mapping `m` (undefined if none). */
  resolve(m: number): AnonVma | AddressSpace | undefined {
    if (m === 0) return undefined;
    return this.objs.get(m >>> 1);
  }
  /** page->mapping value for an object. */
  static anonMapping(av: AnonVma): number {
    return av.id * 2 + PAGE_MAPPING_ANON;
  }
  /** page->mapping value for a page-cache page of `as` (low bit clear: a file mapping). */
  static fileMapping(as: AddressSpace): number {
    return as.id * 2;
  }
  /** Number of live objects. */
  get size(): number {
    return this.objs.size;
  }
}

/** anon_vma_prepare: gives a VMA its anon_vma on its first anonymous page. */
export function anon_vma_prepare(table: MappingTable, vma: Vma): AnonVma {
  if (vma.anon_vma) return vma.anon_vma;
  const av = table.newAnonVma(null);
  vma.anon_vma = av;
  vma.avc.add(av);
  av.vmas.add(vma);
  return av;
}

/** anon_vma_clone: `dst` (a split or copied VMA) links to every anon_vma `src` links to. */
export function anon_vma_clone(dst: Vma, src: Vma): void {
  dst.anon_vma = src.anon_vma;
  for (const av of src.avc) {
    dst.avc.add(av);
    av.vmas.add(dst);
  }
}

/** anon_vma_fork: a child VMA links to its parent's chain plus a new anon_vma of its own. */
export function anon_vma_fork(table: MappingTable, child: Vma, parent: Vma): void {
  child.anon_vma = null;
  child.avc = new Set();
  if (!parent.anon_vma) return;
  anon_vma_clone(child, parent);
  const av = table.newAnonVma(parent.anon_vma);
  child.anon_vma = av;
  child.avc.add(av);
  av.vmas.add(child);
}

/** unlink_anon_vmas: a VMA goes away; anon_vmas left without VMAs are freed. */
export function unlink_anon_vmas(table: MappingTable, vma: Vma): void {
  for (const av of vma.avc) {
    av.vmas.delete(vma);
    if (av.vmas.size === 0) table.remove(av.id);
  }
  vma.avc.clear();
  vma.anon_vma = null;
}

/** One mapping found by an rmap walk. */
export interface RmapHit {
  vma: Vma;
  /** User virtual address mapping the page. */
  address: number;
}

/**
 * rmap_walk: every (VMA, address) whose PTE maps `pfn`. `pteMaps(vma, address)` says whether
 * the PTE at `address` of the VMA's mm maps the page (the caller's page-table lookup).
 */
export function rmap_walk(sys: System, pfn: number, pteMaps: (vma: Vma, address: number, pfn: number) => boolean): RmapHit[] {
  const pages = sys.pages;
  const table = sys.mappings;
  const m = pages.mapping[pfn];
  const obj = table.resolve(m);
  const out: RmapHit[] = [];
  if (!obj) return out;
  const index = pages.index[pfn];
  const vmas = obj instanceof AnonVma ? obj.vmas : obj.i_mmap;
  for (const vma of vmas) {
    const address = vma.vm_start + (index - vma.vm_pgoff) * 4096;
    if (address < vma.vm_start || address >= vma.vm_end) continue;
    if (pteMaps(vma, address, pfn)) out.push({ vma, address });
  }
  return out;
}
