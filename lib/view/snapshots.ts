/**
 * The snapshot types of the physical-memory views: what `inspect*` functions of the
 * physical-memory subsystems return and what the pictures (SVG and terminal) draw.
 *
 * Mirrors: the data behind /proc/zoneinfo, /proc/buddyinfo, /proc/pagetypeinfo and the
 * kernel's page dumps (mm/debug.c).
 * Models: plain JSON-safe objects, detached from the live System: a snapshot never changes
 * when the System does.
 */

/** One zone, as /proc/zoneinfo and /proc/buddyinfo see it. Page counts are in pages. */
export interface ZoneSnapshot {
  /** Node id. */
  node: number;
  /** Zone name as /proc prints it: 'DMA', 'DMA32', 'Normal', 'HighMem', 'Movable'. */
  zone: string;
  /** Zone index (ZONE_DMA = 0 ...). */
  zoneIdx: number;
  /** First pfn (zone_start_pfn). */
  start_pfn: number;
  /** spanned, present and managed pages. */
  spanned: number;
  present: number;
  managed: number;
  /** NR_FREE_PAGES: pages in the buddy free lists (not counting per-cpu lists). */
  free: number;
  /** Watermarks in pages (boost included in none of them). */
  min: number;
  low: number;
  high: number;
  promo: number;
  /** watermark_boost in pages. */
  boost: number;
  /** lowmem_reserve[j] for every zone index j (the `protection:` line). */
  lowmem_reserve: number[];
  /** free_area[order].nr_free: free blocks per order, 0..10. */
  nr_free: number[];
  /** Free blocks per [migratetype][order] (migratetypes as in MIGRATETYPE_NAMES). */
  free_by_type: number[][];
  /** Pageblocks per migratetype (the `Number of blocks type` table). */
  blocks_by_type: number[];
  /** Per-cpu page lists. */
  pcp: { cpu: number; count: number; high: number; batch: number }[];
}

/** What a page frame is used for, as the memory-map pictures colour it. */
export type PageState =
  | 'hole' // no RAM (firmware hole or not present)
  | 'reserved' // PG_reserved: firmware, kernel image, memblock allocations
  | 'free' // in a buddy free block
  | 'pcp' // free, but on a per-cpu list
  | 'slab' // a slab page
  | 'pagetable' // a page-table page
  | 'anon' // anonymous user memory
  | 'file' // page cache
  | 'allocated'; // any other allocated page (alloc_pages, vmalloc, kmalloc_large ...)

/** Every page state, in legend order. */
export const PAGE_STATES: readonly PageState[] = ['hole', 'reserved', 'free', 'pcp', 'slab', 'pagetable', 'anon', 'file', 'allocated'];

/** One cell of the memory map: one page, or a bucket of pages when the map is scaled. */
export interface MemmapCell {
  /** First pfn of the cell. */
  pfn: number;
  /** The state of the majority of the cell's pages. */
  state: PageState;
  /** Counts per state in this cell (only for scaled maps: pagesPerCell > 1). */
  counts?: Partial<Record<PageState, number>>;
  /** Zone name of the cell's first page ('' in a hole). */
  zone: string;
  /** Node of the cell's first page (-1 in a hole). */
  node: number;
  /** Migratetype name of the cell's pageblock ('' in a hole). */
  migratetype: string;
  /** For a single page at the head of a free block or a compound page: its order. */
  order?: number;
}

/** The physical memory map from `inspectMemmap(sys, { start, end, cells })`. */
export interface MemmapSnapshot {
  /** First pfn covered. */
  start_pfn: number;
  /** One past the last pfn covered. */
  end_pfn: number;
  /** Pages per cell (1 = every page drawn). */
  pagesPerCell: number;
  cells: MemmapCell[];
  /** Zone extents in the covered range, for drawing boundaries. */
  zones: { node: number; zone: string; start_pfn: number; end_pfn: number }[];
}

/** One free block on a free list (for drawing the free lists of a small zone). */
export interface FreeBlock {
  pfn: number;
  order: number;
  migratetype: string;
}
