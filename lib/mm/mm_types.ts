/**
 * struct page, stored as a structure of arrays.
 *
 * Mirrors: include/linux/mm_types.h (struct page: flags, lru, mapping, index, private,
 * page_type/_mapcount, _refcount; compound_head), include/linux/mmzone.h (SPARSEMEM sections).
 * Models: one entry per page frame in typed arrays indexed by pfn. The arrays span the whole
 * physical address range but cost memory only where a page's entry is written: the host OS
 * commits zero pages lazily, as SPARSEMEM_VMEMMAP backs only present sections. Lists are
 * intrusive, linked by pfn through `lru_next`/`lru_prev` (NIL = {@link NO_PFN}).
 * Simplifies: the kernel's unions are separate arrays here; `mapcount` stores the number of
 * mappings (the kernel's `_mapcount + 1`), so that a zero-filled entry is a fresh page;
 * compound tails point at their head through `compound_head` (+1, 0 = not a tail).
 * See: chapter 01 (mem_map and struct page).
 */

/** The "no page" link value of the intrusive lists. */
export const NO_PFN = 0xffffffff;

/** Pages per SPARSEMEM section on x86-64 (SECTION_SIZE_BITS 27 → 128 MiB). */
export const PAGES_PER_SECTION_X86_64 = 1 << (27 - 12);

/** All struct pages of a System. One owner: the System; subsystems write the fields they own. */
export class PageArray {
  /** One past the highest pfn (max_pfn). */
  readonly max_pfn: number;
  /** PG_* bits. */
  readonly flags: Uint32Array;
  /** Page type (PGTY_*), the top byte of the kernel's page_type. */
  readonly page_type: Uint8Array;
  /** Reference count (_refcount). */
  readonly _refcount: Int32Array;
  /** Number of page-table mappings (the kernel's _mapcount + 1). */
  readonly mapcount: Int32Array;
  /**
   * page->private: the buddy order of a free block head, the slab id of a slab page. 32 bits are
   * enough for what the simulator keeps there (the kernel's is an unsigned long).
   */
  readonly private_: Int32Array;
  /** page->mapping as a handle into the System's object table (0 = NULL). */
  readonly mapping: Uint32Array;
  /** page->index: offset in the mapping, in pages. */
  readonly index: Float64Array;
  /** Intrusive list links (page->lru), by pfn; NO_PFN-terminated. Zero means unlinked too. */
  readonly lru_next: Uint32Array;
  /** Intrusive list links (page->lru), by pfn. */
  readonly lru_prev: Uint32Array;
  /** For a compound tail: head pfn + 1; 0 for heads and ordinary pages. */
  readonly compound_head: Uint32Array;
  /** Compound order on a head page (folio_order). */
  readonly compound_order: Uint8Array;

  constructor(max_pfn: number) {
    this.max_pfn = max_pfn;
    this.flags = new Uint32Array(max_pfn);
    this.page_type = new Uint8Array(max_pfn);
    this._refcount = new Int32Array(max_pfn);
    this.mapcount = new Int32Array(max_pfn);
    this.private_ = new Int32Array(max_pfn);
    this.mapping = new Uint32Array(max_pfn);
    this.index = new Float64Array(max_pfn);
    this.lru_next = new Uint32Array(max_pfn);
    this.lru_prev = new Uint32Array(max_pfn);
    this.compound_head = new Uint32Array(max_pfn);
    this.compound_order = new Uint8Array(max_pfn);
  }

  /** Tests PG bit `bit` of page `pfn`. */
  test(pfn: number, bit: number): boolean {
    return (this.flags[pfn] & (1 << bit)) !== 0;
  }
  /** Sets PG bit `bit` of page `pfn`. */
  set(pfn: number, bit: number): void {
    this.flags[pfn] |= 1 << bit;
  }
  /** Clears PG bit `bit` of page `pfn`. */
  clear(pfn: number, bit: number): void {
    this.flags[pfn] &= ~(1 << bit);
  }
  /** The head pfn of the compound page containing `pfn` (`compound_head`). */
  head(pfn: number): number {
    const h = this.compound_head[pfn];
    return h ? h - 1 : pfn;
  }
}
