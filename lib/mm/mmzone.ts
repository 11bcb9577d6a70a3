/**
 * Nodes and zones: struct pglist_data, struct zone, struct free_area, struct per_cpu_pages.
 *
 * Mirrors: include/linux/mmzone.h (struct zone, struct free_area, struct per_cpu_pages,
 * pglist_data, enum zone_watermarks, zone flags ZONE_BOOSTED_WATERMARK / ZONE_RECLAIM_ACTIVE /
 * ZONE_BELOW_HIGH, NR_PCP_LISTS, order_to_pindex), include/linux/pageblock-flags.h.
 * Models: one {@link Zone} per (node, zone type) with its free lists as typed arrays (list heads
 * and tails by pfn, nr_free per order and a count per (order, migratetype)), watermarks,
 * lowmem_reserve, the highatomic reserve and one {@link PerCpuPages} per CPU; one {@link PgData}
 * per node with its zones and zonelists.
 * Simplifies: PCP lists are rings of pfns rather than lists through struct page (same order);
 * the kernel finds a zone from bits in page->flags; the simulator keeps a table from
 * 4 MiB block to zone (zone and node boundaries are 4 MiB aligned on every machine it builds).
 * The per-(order, migratetype) count is ours (the kernel counts only per order); /proc/pagetypeinfo
 * prints it as the kernel's list walk would (which stops at 100000).
 * See: chapter 02 (nodes, zones, GFP), chapter 03 (the buddy allocator).
 */
import { MAX_NR_ZONES, MIGRATE_PCPTYPES, MIGRATE_TYPES, ZONE_NAMES } from './gfp.js';
import { NO_PFN } from './mm_types.js';

/** Largest buddy order (MAX_PAGE_ORDER). */
export const MAX_PAGE_ORDER = 10;
/** Number of free lists per migratetype (NR_PAGE_ORDERS). */
export const NR_PAGE_ORDERS = 11;
/** Orders above this are "costly" (PAGE_ALLOC_COSTLY_ORDER). */
export const PAGE_ALLOC_COSTLY_ORDER = 3;
/** Per-cpu lists for orders 0..3 of the three PCP types (NR_LOWORDER_PCP_LISTS). */
export const NR_LOWORDER_PCP_LISTS = MIGRATE_PCPTYPES * (PAGE_ALLOC_COSTLY_ORDER + 1);
/** Per-cpu lists including the two THP lists (NR_PCP_LISTS, CONFIG_TRANSPARENT_HUGEPAGE). */
export const NR_PCP_LISTS = NR_LOWORDER_PCP_LISTS + 2;
/** Largest batch scale shift of the PCP (CONFIG_PCP_BATCH_SCALE_MAX default). */
export const PCP_BATCH_SCALE_MAX = 5;

/** Watermark indices (enum zone_watermarks). */
export const WMARK_MIN = 0;
export const WMARK_LOW = 1;
export const WMARK_HIGH = 2;
export const WMARK_PROMO = 3;

/** zone->flags bits. */
export const ZONE_BOOSTED_WATERMARK = 1;
export const ZONE_RECLAIM_ACTIVE = 2;
export const ZONE_BELOW_HIGH = 4;

/** pcp->flags bits. */
export const PCPF_PREV_FREE_HIGH_ORDER = 1;
export const PCPF_FREE_HIGH_BATCH = 2;

/**
 * One PCP list (pcp->lists[pindex]) as a growable ring of pfns: the kernel links pages through
 * page->pcp_list; a ring gives the same order (allocations and frees at the head, bulk frees from
 * the tail) without touching struct page on the hot path.
 */
export class PcpList {
  /** The ring; its length is a power of two. */
  buf = new Uint32Array(16);
  /** Index of the head element. */
  h = 0;
  /** Number of blocks on the list. */
  n = 0;
  /** list_add: puts a block at the head. */
  push_front(pfn: number): void {
    if (this.n === this.buf.length) this.grow();
    this.h = (this.h - 1) & (this.buf.length - 1);
    this.buf[this.h] = pfn;
    this.n++;
  }
  /** list_add_tail: puts a block at the tail. */
  push_back(pfn: number): void {
    if (this.n === this.buf.length) this.grow();
    this.buf[(this.h + this.n) & (this.buf.length - 1)] = pfn;
    this.n++;
  }
  /** Takes the head block (list_first_entry + list_del); the list must not be empty. */
  pop_front(): number {
    const p = this.buf[this.h];
    this.h = (this.h + 1) & (this.buf.length - 1);
    this.n--;
    return p;
  }
  /** Takes the tail block (list_last_entry + list_del); the list must not be empty. */
  pop_back(): number {
    this.n--;
    return this.buf[(this.h + this.n) & (this.buf.length - 1)];
  }
  /** The i-th block from the head. */
  at(i: number): number {
    return this.buf[(this.h + i) & (this.buf.length - 1)];
  }
  private grow(): void {
    const nb = new Uint32Array(this.buf.length * 2);
    for (let i = 0; i < this.n; i++) nb[i] = this.at(i);
    this.buf = nb;
    this.h = 0;
  }
}

/** struct per_cpu_pages: one CPU's cache of free pages of one zone. */
export class PerCpuPages {
  /** Pages on all lists (in base pages). */
  count = 0;
  /** Current high limit (auto-tuned between high_min and high_max). */
  high = 0;
  high_min = 0;
  high_max = 0;
  /** Pages moved to or from the buddy lists at a time. */
  batch = 1;
  /** Scale of the next refill, doubled on consecutive allocations (alloc_factor). */
  alloc_factor = 0;
  /** Pages freed since the last allocation (free_count). */
  free_count = 0;
  /** PCPF_* bits. */
  flags = 0;
  /** The lists by pindex (order_to_pindex). */
  readonly lists: PcpList[] = Array.from({ length: NR_PCP_LISTS }, () => new PcpList());
}

/** The PCP list index of (migratetype, order) (`order_to_pindex`); order 9 uses the THP lists. */
export function order_to_pindex(migratetype: number, order: number): number {
  if (order > PAGE_ALLOC_COSTLY_ORDER) return NR_LOWORDER_PCP_LISTS + (migratetype === 1 ? 1 : 0);
  return MIGRATE_PCPTYPES * order + migratetype;
}

/** The order kept on PCP list `pindex` (`pindex_to_order`). */
export function pindex_to_order(pindex: number, pageblock_order: number): number {
  return pindex < NR_LOWORDER_PCP_LISTS ? Math.floor(pindex / MIGRATE_PCPTYPES) : pageblock_order;
}

/** struct zone. */
export class Zone {
  /** Global zone id: nid * MAX_NR_ZONES + zone index (the index into per-zone counter arrays). */
  readonly id: number;
  /** Node id (zone_to_nid). */
  readonly node: number;
  /** Zone type (zone_idx): ZONE_DMA ... ZONE_MOVABLE. */
  readonly idx: number;
  /** Name as /proc prints it. */
  readonly name: string;
  zone_start_pfn = 0;
  spanned_pages = 0;
  present_pages = 0;
  managed_pages = 0;
  /** _watermark[WMARK_MIN..WMARK_PROMO]. */
  readonly _watermark = new Float64Array(4);
  watermark_boost = 0;
  /** lowmem_reserve[j] for each zone index j. */
  readonly lowmem_reserve = new Float64Array(MAX_NR_ZONES);
  /** Pages in pageblocks reserved as MIGRATE_HIGHATOMIC. */
  nr_reserved_highatomic = 0;
  /** Free pages in HIGHATOMIC blocks. */
  nr_free_highatomic = 0;
  /** ZONE_* flag bits. */
  flags = 0;
  /** Free list heads and tails, [order * MIGRATE_TYPES + migratetype], pfn or NO_PFN. */
  readonly freeHead = new Uint32Array(NR_PAGE_ORDERS * MIGRATE_TYPES).fill(NO_PFN);
  readonly freeTail = new Uint32Array(NR_PAGE_ORDERS * MIGRATE_TYPES).fill(NO_PFN);
  /** Blocks on each free list, [order * MIGRATE_TYPES + migratetype]. */
  readonly freeCount = new Float64Array(NR_PAGE_ORDERS * MIGRATE_TYPES);
  /** Per migratetype, bit `order` set when that free list is non-empty (derived from freeCount). */
  readonly freeMask = new Int32Array(MIGRATE_TYPES);
  /** free_area[order].nr_free: blocks of each order over all migratetypes. */
  readonly nr_free = new Float64Array(NR_PAGE_ORDERS);
  /** One per CPU. */
  readonly pcp: PerCpuPages[];
  /** Pages of this zone still deferred: an implicit run of free order-10 MOVABLE blocks
   *  [deferred_next, deferred_end), represented on the list by its first block (see page_alloc.ts). */
  deferred_next = NO_PFN;
  deferred_end = NO_PFN;
  /** Highest pfn + 1 spanned (zone_end_pfn). */
  get zone_end_pfn(): number {
    return this.zone_start_pfn + this.spanned_pages;
  }

  constructor(node: number, idx: number, nr_cpus: number) {
    this.node = node;
    this.idx = idx;
    this.id = node * MAX_NR_ZONES + idx;
    this.name = ZONE_NAMES[idx];
    this.pcp = Array.from({ length: nr_cpus }, () => new PerCpuPages());
  }

  /** min_wmark_pages etc. include the boost, as the kernel's wmark_pages() does. */
  wmark(i: number): number {
    return this._watermark[i] + this.watermark_boost;
  }
  /** True when the zone has present pages (populated_zone). */
  get populated(): boolean {
    return this.present_pages > 0;
  }
  /** True when pfn lies in the zone's span (zone_spans_pfn). */
  spans(pfn: number): boolean {
    return pfn >= this.zone_start_pfn && pfn < this.zone_start_pfn + this.spanned_pages;
  }
}

/** struct pglist_data: one NUMA node. */
export class PgData {
  readonly node_id: number;
  /** node_zones[ZONE_DMA..ZONE_MOVABLE]. */
  readonly node_zones: Zone[];
  node_start_pfn = 0;
  node_spanned_pages = 0;
  node_present_pages = 0;
  /** Number of zone types up to the highest populated one (nr_zones). */
  nr_zones = 0;
  /** Σ over zones of max(lowmem_reserve) + high watermark (capped at managed). */
  totalreserve_pages = 0;
  /** CPUs on this node. */
  cpus: number[] = [];
  /**
   * node_zonelists[ZONELIST_FALLBACK] as zones, nearest node first, highest zone first;
   * `zonelists[h]` keeps only zones with index <= h (what an allocation with highest_zoneidx h walks).
   */
  zonelists: Zone[][] = [];
  /** node_zonelists[ZONELIST_NOFALLBACK] filtered the same way (__GFP_THISNODE). */
  zonelists_nofallback: Zone[][] = [];
  /** The node order of the fallback zonelist (node ids). */
  node_order: number[] = [];
  /** kswapd state: the order and highest zone index it was last woken for (kswapd_order ...). */
  kswapd_order = 0;
  kswapd_highest_zoneidx = MAX_NR_ZONES;
  kswapd_failures = 0;
  /** Number of times kswapd was woken (ours, for teaching). */
  kswapd_wakeups = 0;

  constructor(nid: number, nr_cpus: number) {
    this.node_id = nid;
    this.node_zones = Array.from({ length: MAX_NR_ZONES }, (_, i) => new Zone(nid, i, nr_cpus));
  }
}

/** Number of migratetypes (re-exported for the list arrays' stride). */
export const NR_MIGRATETYPES = MIGRATE_TYPES;
