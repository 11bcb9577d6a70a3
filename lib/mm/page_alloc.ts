/**
 * The zoned buddy allocator.
 *
 * Mirrors: mm/page_alloc.c (__alloc_pages, get_page_from_freelist, rmqueue, rmqueue_pcplist,
 * nr_pcp_alloc, rmqueue_bulk, __rmqueue, __rmqueue_smallest, expand, __rmqueue_claim,
 * try_to_steal_block, __rmqueue_steal, find_suitable_fallback, boost_watermark,
 * reserve_highatomic_pageblock, unreserve_highatomic_pageblock, __move_freepages_block,
 * free_unref_page, free_unref_page_commit, nr_pcp_high, nr_pcp_free, free_pcppages_bulk,
 * __free_pages_ok, free_one_page, split_large_buddy, __free_one_page, buddy_merge_likely,
 * free_pages_prepare, prep_new_page, prep_compound_page, __zone_watermark_ok,
 * zone_watermark_fast, gfp_to_alloc_flags, alloc_flags_nofragment, __alloc_pages_slowpath,
 * warn_alloc, calculate_min_free_kbytes, __setup_per_zone_wmarks, setup_per_zone_lowmem_reserve,
 * calculate_totalreserve_pages, zone_batchsize, zone_highsize, zone_set_pageset_high_and_batch,
 * decay_pcp_high, drain_pages_zone), mm/internal.h (page_is_buddy, __find_buddy_pfn; the ALLOC_*
 * flags are in internal.ts), mm/vmscan.c (wakeup_kswapd, pgdat_balanced: the seam to reclaim),
 * mm/mm_init.c (deferred struct page init: deferred_grow_zone).
 * Models: free lists per (zone, order, migratetype) linked through struct page by pfn, the
 * pageblock migratetype table, per-CPU page lists with the 6.12 batch/high auto-tuning, watermarks
 * with boost and lowmem_reserve, reserves for __GFP_HIGH / non-blocking / __GFP_MEMALLOC callers,
 * the HIGHATOMIC reserve, fallback by claiming whole pageblocks or stealing single blocks, NUMA
 * zonelists, fault injection, the warn_alloc report in `sys.dmesg`, and waking kswapd.
 *
 * Speed. `alloc` first tries `alloc_pcp_fast`: the case where get_page_from_freelist succeeds at
 * its first zone from a non-empty per-cpu list, written as one function with nothing changed
 * until it is sure to succeed; anything else (other nodes, fault injection, tracing, an empty
 * list, a failed watermark) runs the whole algorithm, so both give the same pfns and counters
 * (test/buddy-fastpath.test.ts replays sequences both ways). `free` keeps its cold branches in
 * methods of their own so V8 inlines the hot part, and each zone keeps `freeMask` (non-empty
 * lists by order) so __zone_watermark_ok needs no walk over free_area[].
 *
 * Deferred blocks (the simulator's CONFIG_DEFERRED_STRUCT_PAGE_INIT). Touching every order-10
 * block head of a terabyte machine at boot would commit most of the page array. Instead each
 * zone keeps its last boot-time run of free, aligned order-10 MOVABLE blocks implicit:
 * [zone.deferred_next, zone.deferred_end). Only the first block of the run is a real PageBuddy
 * entry on the order-10 MOVABLE list; the rest are counted in nr_free / NR_FREE_PAGES but their
 * struct pages are untouched. When the representative block leaves the list, the next block of
 * the run is initialised and takes its place at the same list position, so blocks are handed out
 * in exactly the order eager initialisation would give (ascending pfn, behind earlier entries).
 * Code outside this module must ask {@link Buddy.PageBuddy} / {@link Buddy.buddy_order} whether
 * a pfn heads a free block, not read page_type directly. (The kernel initialises deferred pages
 * in the background after boot; here they stay implicit until used.)
 *
 * Simplifies: no locks; one simulated CPU runs at a time (`buddy.cpu` is the CPU allocating);
 * reclaim, compaction and the OOM killer are hooks (`buddy.hooks`) filled by later subsystems;
 * __GFP_NOFAIL that cannot be met returns null with a warning instead of looping forever;
 * no CMA, no page reporting, no guard pages, no page shuffling, no memcg charging.
 * The allocated order of each block is remembered (`allocOrder`, like page_owner) so that a free
 * with the wrong order is refused instead of corrupting the lists as it would in the kernel.
 * See: chapter 03 (the buddy allocator), chapter 04 (watermarks, per-cpu lists, fragmentation).
 */
import { KernelError } from '../base/errors.js';
import { hex } from '../base/format.js';
import * as gfpConsts from './gfp.js';
import * as mmTypes from './mm_types.js';
import type { PageArray } from './mm_types.js';
import * as mmzoneConsts from './mmzone.js';
import { PerCpuPages, PgData, Zone } from './mmzone.js';
import * as pageFlags from './page_flags.js';
import * as internal from './internal.js';
import { FailPageAlloc } from './fail_page_alloc.js';
import type { VmStat } from './vmstat.js';
import type { PhysMem } from './physmem.js';
import type { TraceBuffer } from '../base/trace.js';

// The constants this module imports, bound again as its own consts. V8 folds a module's own
// consts into optimised code, but an imported binding is loaded and checked for the temporal
// dead zone at every use; on the allocation and free paths that was a tenth of the instructions.
const {
  __GFP_COMP, __GFP_DIRECT_RECLAIM, __GFP_DMA, __GFP_DMA32, __GFP_HIGH, __GFP_HIGHMEM, __GFP_KSWAPD_RECLAIM,
  __GFP_MEMALLOC, __GFP_MOVABLE, __GFP_NOFAIL, __GFP_NOMEMALLOC, __GFP_NORETRY, __GFP_NOWARN,
  __GFP_RECLAIMABLE, __GFP_RETRY_MAYFAIL, __GFP_THISNODE, __GFP_ZERO, format_gfp_mode, gfp_zone,
  MAX_NR_ZONES, MIGRATE_HIGHATOMIC, MIGRATE_ISOLATE, MIGRATE_MOVABLE, MIGRATE_PCPTYPES, MIGRATE_RECLAIMABLE,
  MIGRATE_TYPES, MIGRATE_UNMOVABLE, MIGRATETYPE_NAMES, ZONE_DMA, ZONE_DMA32, ZONE_HIGHMEM, ZONE_MOVABLE, ZONE_NORMAL,
} = gfpConsts;
const { NO_PFN } = mmTypes;
const {
  MAX_PAGE_ORDER, NR_LOWORDER_PCP_LISTS, NR_PAGE_ORDERS, NR_PCP_LISTS, PAGE_ALLOC_COSTLY_ORDER, PCP_BATCH_SCALE_MAX,
  PCPF_FREE_HIGH_BATCH, PCPF_PREV_FREE_HIGH_ORDER, WMARK_HIGH, WMARK_LOW, WMARK_MIN,
  WMARK_PROMO, ZONE_BELOW_HIGH, ZONE_BOOSTED_WATERMARK, ZONE_RECLAIM_ACTIVE,
} = mmzoneConsts;
const { PG, PGTY } = pageFlags;
const {
  ALLOC_CMA, ALLOC_CPUSET, ALLOC_HIGHATOMIC, ALLOC_KSWAPD, ALLOC_MIN_RESERVE, ALLOC_NOFRAGMENT, ALLOC_NON_BLOCK,
  ALLOC_NO_WATERMARKS, ALLOC_OOM, ALLOC_RESERVES, ALLOC_WMARK_LOW, ALLOC_WMARK_MASK, ALLOC_WMARK_MIN, FPI_NONE, FPI_TO_TAIL,
} = internal;

/** An allocated block as the public API returns it: its first pfn and its order. */
export interface Page {
  readonly pfn: number;
  readonly order: number;
}

/** alloc_flags bits (mm/internal.h). */
/** Retries of the slow path without progress (MAX_RECLAIM_RETRIES). */
export const MAX_RECLAIM_RETRIES = 16;

/** Flags that must be clear when a page is freed (PAGE_FLAGS_CHECK_AT_FREE). */
const PAGE_FLAGS_CHECK_AT_FREE =
  (1 << PG.lru) | (1 << PG.locked) | (1 << PG.private) | (1 << PG.private_2) | (1 << PG.writeback) |
  (1 << PG.reserved) | (1 << PG.active) | (1 << PG.unevictable) | (1 << PG.mlocked);

/** Page flags cleared when a page is handed back (PAGE_FLAGS_CHECK_AT_PREP minus hwpoison). */
const PAGE_FLAGS_CLEAR_AT_FREE = ((1 << 23) - 1) & ~(1 << PG.hwpoison);

/** fallbacks[]: the migratetypes a request may fall back to, in order. */
export const FALLBACKS: readonly (readonly number[])[] = [
  [MIGRATE_RECLAIMABLE, MIGRATE_MOVABLE],
  [MIGRATE_RECLAIMABLE, MIGRATE_UNMOVABLE],
  [MIGRATE_UNMOVABLE, MIGRATE_MOVABLE],
];

/** int_sqrt: floor of the square root. */
export function int_sqrt(x: number): number {
  let r = Math.floor(Math.sqrt(x));
  while (r * r > x) r--;
  while ((r + 1) * (r + 1) <= x) r++;
  return r;
}

/** calculate_min_free_kbytes's formula: sqrt(lowmem_kbytes * 16) clamped to [128, 262144]. */
export function min_free_kbytes_for(lowmem_kbytes: number): number {
  return Math.min(262144, Math.max(128, int_sqrt(lowmem_kbytes * 16)));
}

/** zone_batchsize: ~0.1 % of the zone or 1 MiB, /4, rounded to 2^n - 1 (>= 1 before rounding). */
export function zone_batchsize(managed_pages: number): number {
  let batch = Math.min(Math.floor(managed_pages / 1024), 256);
  batch = Math.floor(batch / 4);
  if (batch < 1) batch = 1;
  const x = batch + Math.floor(batch / 2);
  return 2 ** Math.floor(Math.log2(x)) - 1;
}

/** Hooks other subsystems fill in; each returns the number of pages it made available. */
export interface AllocHooks {
  /** kswapd: called when wakeup_kswapd decides to wake the node's kswapd. */
  kswapd?: (pgdat: PgData, order: number, highest_zoneidx: number, gfp: number) => void;
  /** __alloc_pages_direct_reclaim's try_to_free_pages: pages reclaimed. */
  direct_reclaim?: (gfp: number, order: number, nid: number, highest_zoneidx: number) => number;
  /** __alloc_pages_direct_compact: true when compaction made a block of `order` likely. */
  direct_compact?: (gfp: number, order: number, nid: number, highest_zoneidx: number) => boolean;
  /** __alloc_pages_may_oom → out_of_memory: true when a victim was killed (progress). */
  out_of_memory?: (gfp: number, order: number, nid: number) => boolean;
  /** Extra reserve flags for the current task (PF_MEMALLOC → ALLOC_NO_WATERMARKS, OOM victim → ALLOC_OOM). */
  pfmemalloc_flags?: (gfp: number) => number;
}

/** What the allocator needs from the System. */
export interface BuddyContext {
  pages: PageArray;
  mem: PhysMem;
  vmstat: VmStat;
  trace: TraceBuffer;
  dmesg: string[];
  rand: () => number;
  arch: 'x86_64' | 'i386';
  nr_cpus: number;
  /** Node of each CPU. */
  cpu_node: number[];
  /** Node distance table. */
  distance: number[][];
  /** Simulated time, for rate-limiting reports. */
  clock?: { ns: number };
}

const NO_ZONE = -1;

/**
 * The page allocator of one System (`sys.buddy`). `alloc`/`free` are the fast internal entry
 * points (pfn in, pfn out, no objects); the System's alloc_pages/__free_pages wrap them.
 */
export class Buddy {
  readonly pages: PageArray;
  readonly pgdat: PgData[];
  /** All zones by global id (nid * MAX_NR_ZONES + idx). */
  readonly zones: Zone[];
  /** pageblock_order (9, or 10 on i386 without PAE). */
  readonly pageblock_order: number;
  readonly pageblock_nr_pages: number;
  /** HPAGE_PMD_ORDER: the THP order the PCP also caches. */
  readonly hpage_pmd_order: number;
  /** Migratetype of each pageblock (pfn >> pageblock_order). */
  readonly pageblock_mt: Uint8Array;
  /** Zone id of each 4 MiB block (pfn >> 10); -1 = no zone. */
  readonly zone_of: Int16Array;
  /** Order + 1 of each allocated block at its first pfn; 0 = not the head of an allocated block. */
  readonly allocOrder: Int8Array;
  /** The CPU the current code runs on (smp_processor_id). */
  cpu = 0;
  /** Name of the current task for reports (current->comm). */
  current_comm: () => string = () => 'swapper/0';
  /** Hooks to reclaim, compaction and the OOM killer. */
  readonly hooks: AllocHooks = {};
  /** Fault injection (fail_page_alloc). */
  readonly fail_page_alloc: FailPageAlloc;
  // tunables (sysctls)
  min_free_kbytes = 0;
  user_min_free_kbytes = -1;
  watermark_scale_factor = 10;
  watermark_boost_factor = 15000;
  percpu_pagelist_high_fraction = 0;
  /** sysctl_lowmem_reserve_ratio per zone type. */
  readonly lowmem_reserve_ratio: number[];
  /** Σ over nodes of totalreserve_pages. */
  totalreserve_pages = 0;
  /**
   * page_group_by_mobility_disabled: set at boot when the machine has fewer pages than
   * pageblock_nr_pages * MIGRATE_TYPES; every request is then UNMOVABLE and fallbacks always claim.
   */
  page_group_by_mobility_disabled = false;
  /** Number of allocation failures reported (warn_alloc calls, ours). */
  alloc_failures = 0;

  private ctx: BuddyContext;
  private readonly flags: Uint32Array;
  private readonly ptype: Uint8Array;
  private readonly priv: Int32Array;
  private readonly refc: Int32Array;
  private readonly next: Uint32Array;
  private readonly prev: Uint32Array;
  private readonly zv: Float64Array;
  private readonly NZI: number;
  private readonly gfpZoneTable: Int8Array;
  private readonly pgallocIdx: number[];
  private readonly pgfreeIdx: number;
  private readonly numaIdx: number[];
  /** numa_hit / numa_miss / numa_foreign / numa_local / numa_other offsets in a zone's NUMA counters. */
  private readonly numaHit: number;
  private readonly numaMiss: number;
  private readonly numaForeign: number;
  private readonly numaLocal: number;
  private readonly numaOther: number;
  /** pages.max_pfn, kept here for the fast entries' range check. */
  private readonly maxPfn: number;
  /** vmstat.events and the direct indices of pgalloc_<zone> and pgfree in it. */
  private readonly ev: Float64Array;
  private readonly evPgalloc: Int32Array;
  private readonly evPgfree: number;
  private readonly numaV: Float64Array;
  private readonly tr: TraceBuffer;
  /** cpu_to_node of every CPU (ctx.cpu_node as a typed array, read on every allocation). */
  private readonly cpuNode: Int32Array;
  /**
   * check_pages_enabled: check struct page state (mapcount, mapping, page type, flags) of every page
   * of a block when the fast entry `free` frees it, as CONFIG_DEBUG_VM kernels do. The System keeps
   * it equal to sys.debug_vm; the public __free_pages always checks.
   */
  check_pages = false;

  constructor(ctx: BuddyContext, nr_nodes: number, pae: boolean) {
    this.ctx = ctx;
    this.pages = ctx.pages;
    this.flags = ctx.pages.flags;
    this.ptype = ctx.pages.page_type;
    this.priv = ctx.pages.private_;
    this.refc = ctx.pages._refcount;
    this.next = ctx.pages.lru_next;
    this.prev = ctx.pages.lru_prev;
    this.pageblock_order = ctx.arch === 'i386' && !pae ? 10 : 9;
    this.hpage_pmd_order = this.pageblock_order;
    this.pageblock_nr_pages = 1 << this.pageblock_order;
    const max_pfn = ctx.pages.max_pfn;
    this.pageblock_mt = new Uint8Array(Math.ceil(max_pfn / this.pageblock_nr_pages) + 1);
    this.zone_of = new Int16Array(Math.ceil(max_pfn / 1024) + 1).fill(NO_ZONE);
    this.allocOrder = new Int8Array(max_pfn);
    this.pgdat = Array.from({ length: nr_nodes }, (_, i) => new PgData(i, ctx.nr_cpus));
    this.zones = [];
    for (const p of this.pgdat) for (const z of p.node_zones) this.zones[z.id] = z;
    ctx.cpu_node.forEach((n, cpu) => this.pgdat[n].cpus.push(cpu));
    this.lowmem_reserve_ratio = ctx.arch === 'x86_64' ? [256, 256, 32, 0, 0] : [256, 0, 32, 0, 0];
    this.zv = ctx.vmstat.zoneVals;
    this.NZI = ctx.vmstat.NUMA0;
    const hasHighmem = ctx.arch === 'i386';
    // GFP_ZONE_TABLE: gfp_zone() of each combination of the four zone bits; -1 = GFP_ZONE_BAD.
    this.gfpZoneTable = new Int8Array(16);
    for (let b = 0; b < 16; b++) {
      let z: number;
      try {
        z = gfp_zone(b, hasHighmem);
      } catch {
        z = -1;
      }
      this.gfpZoneTable[b] = z;
    }
    const vs = ctx.vmstat;
    const zn = ['dma', 'dma32', 'normal', 'high', 'movable'];
    this.pgallocIdx = zn.map((n) => (vs.has('pgalloc_' + n) ? vs.id('pgalloc_' + n) : -1));
    this.pgfreeIdx = vs.id('pgfree');
    this.numaIdx = ['numa_hit', 'numa_miss', 'numa_foreign', 'numa_interleave', 'numa_local', 'numa_other'].map((n) => vs.id(n) - vs.NUMA0);
    this.numaHit = this.numaIdx[0];
    this.numaMiss = this.numaIdx[1];
    this.numaForeign = this.numaIdx[2];
    this.numaLocal = this.numaIdx[4];
    this.numaOther = this.numaIdx[5];
    this.maxPfn = max_pfn;
    this.fail_page_alloc = new FailPageAlloc(ctx.rand, (l) => ctx.dmesg.push(l));
    this.ev = vs.events;
    this.evPgalloc = Int32Array.from(this.pgallocIdx.map((i) => (i < 0 ? 0 : i - vs.EVENT0)));
    this.evPgfree = this.pgfreeIdx - vs.EVENT0;
    this.numaV = vs.numaVals;
    this.tr = ctx.trace;
    this.cpuNode = Int32Array.from(ctx.cpu_node);
  }

  // ------------------------------------------------------------------ lookups

  /** The zone containing pfn (page_zone), or undefined outside every zone. */
  page_zone(pfn: number): Zone | undefined {
    const id = this.zone_of[Math.floor(pfn / 1024)];
    return id === NO_ZONE || id === undefined ? undefined : this.zones[id];
  }

  /** The pageblock migratetype of pfn (get_pfnblock_migratetype). */
  get_pageblock_migratetype(pfn: number): number {
    return this.pageblock_mt[pfn >>> this.pageblock_order];
  }

  /** Sets the migratetype of pfn's pageblock (set_pageblock_migratetype). */
  set_pageblock_migratetype(pfn: number, mt: number): void {
    this.pageblock_mt[pfn >>> this.pageblock_order] = mt;
  }

  /** The highest zone index a GFP mask may use (gfp_zone), or -1 for an invalid zone combination. */
  gfp_zone(gfp: number): number {
    return this.gfpZoneTable[gfp & 0xf];
  }

  /** The node the current CPU belongs to (numa_node_id). */
  numa_node_id(): number {
    return this.ctx.cpu_node[this.cpu];
  }

  /** True when pfn lies in the implicit (deferred) part of a zone's run: initialised on demand. */
  isDeferred(pfn: number): boolean {
    const z = this.page_zone(pfn);
    return !!z && z.deferred_next !== NO_PFN && pfn >= z.deferred_next + 1024 && pfn < z.deferred_end;
  }

  /** PageBuddy: pfn heads a free block (deferred blocks included). */
  PageBuddy(pfn: number): boolean {
    if (this.ptype[pfn] === PGTY.buddy) return true;
    return this.isDeferred(pfn) && pfn % 1024 === 0;
  }

  /** The order of the free block headed by pfn (buddy_order), or -1 if pfn heads none. */
  buddy_order(pfn: number): number {
    if (this.ptype[pfn] === PGTY.buddy) return this.priv[pfn];
    return this.isDeferred(pfn) && pfn % 1024 === 0 ? MAX_PAGE_ORDER : -1;
  }

  /** The head pfn and order of the free block containing pfn, or null (pfn is not free in the buddy lists). */
  free_block_of(pfn: number): { pfn: number; order: number } | null {
    if (this.isDeferred(pfn)) return { pfn: pfn - (pfn % 1024), order: MAX_PAGE_ORDER };
    for (let o = 0; o <= MAX_PAGE_ORDER; o++) {
      const h = pfn - (pfn % (1 << o));
      if (h >= 0 && this.ptype[h] === PGTY.buddy && this.priv[h] >= o) {
        const ho = this.priv[h];
        if (h + (1 << ho) > pfn) return { pfn: h, order: ho };
      }
    }
    return null;
  }

  // ------------------------------------------------------------------ free lists

  private add_to_free_list(z: Zone, pfn: number, order: number, mt: number, tail: boolean): void {
    const i = order * MIGRATE_TYPES + mt;
    if (tail && order === MAX_PAGE_ORDER && mt === MIGRATE_MOVABLE && z.deferred_next !== NO_PFN) this.deferred_flush(z);
    const next = this.next;
    const prev = this.prev;
    if (tail) {
      const t = z.freeTail[i];
      prev[pfn] = t;
      next[pfn] = NO_PFN;
      if (t === NO_PFN) z.freeHead[i] = pfn;
      else next[t] = pfn;
      z.freeTail[i] = pfn;
    } else {
      const h = z.freeHead[i];
      next[pfn] = h;
      prev[pfn] = NO_PFN;
      if (h === NO_PFN) z.freeTail[i] = pfn;
      else prev[h] = pfn;
      z.freeHead[i] = pfn;
    }
    this.count_free(z, order, mt, 1);
  }

  /**
   * Adds `d` blocks to the count of free list (order, mt) and to nr_free[order], keeping
   * `z.freeMask` (which lists are non-empty) in step with the counts.
   */
  private count_free(z: Zone, order: number, mt: number, d: number): void {
    const n = (z.freeCount[order * MIGRATE_TYPES + mt] += d);
    z.nr_free[order] += d;
    if (n === 0) z.freeMask[mt] &= ~(1 << order);
    else z.freeMask[mt] |= 1 << order;
  }

  private unlink(z: Zone, pfn: number, i: number): void {
    const n = this.next[pfn];
    const p = this.prev[pfn];
    if (p === NO_PFN) z.freeHead[i] = n;
    else this.next[p] = n;
    if (n === NO_PFN) z.freeTail[i] = p;
    else this.prev[n] = p;
  }

  /** __del_page_from_free_list: unlinks a free block and clears its buddy marking. */
  private del_from_free_list(z: Zone, pfn: number, order: number, mt: number): void {
    const i = order * MIGRATE_TYPES + mt;
    if (order === MAX_PAGE_ORDER && pfn === z.deferred_next) {
      // The run's representative leaves: the next deferred block takes its place.
      const n = this.next[pfn];
      const p = this.prev[pfn];
      const nxt = pfn + 1024;
      this.ptype[pfn] = PGTY.none;
      this.priv[pfn] = 0;
      this.count_free(z, order, mt, -1);
      if (nxt < z.deferred_end) {
        z.deferred_next = nxt;
        this.ptype[nxt] = PGTY.buddy;
        this.priv[nxt] = MAX_PAGE_ORDER;
        this.next[nxt] = n;
        this.prev[nxt] = p;
        if (p === NO_PFN) z.freeHead[i] = nxt;
        else this.next[p] = nxt;
        if (n === NO_PFN) z.freeTail[i] = nxt;
        else this.prev[n] = nxt;
      } else {
        z.deferred_next = NO_PFN;
        z.deferred_end = NO_PFN;
        this.unlink(z, pfn, i);
      }
      return;
    }
    this.unlink(z, pfn, i);
    this.ptype[pfn] = PGTY.none;
    this.priv[pfn] = 0;
    this.count_free(z, order, mt, -1);
  }

  /** Initialises every deferred block of a zone in place (deferred_init_memmap for one zone). */
  deferred_flush(z: Zone): void {
    if (z.deferred_next === NO_PFN) return;
    const i = MAX_PAGE_ORDER * MIGRATE_TYPES + MIGRATE_MOVABLE;
    let last = z.deferred_next;
    const after = this.next[last];
    for (let pfn = z.deferred_next + 1024; pfn < z.deferred_end; pfn += 1024) {
      this.ptype[pfn] = PGTY.buddy;
      this.priv[pfn] = MAX_PAGE_ORDER;
      this.next[last] = pfn;
      this.prev[pfn] = last;
      last = pfn;
    }
    this.next[last] = after;
    if (after === NO_PFN) z.freeTail[i] = last;
    else this.prev[after] = last;
    z.deferred_next = NO_PFN;
    z.deferred_end = NO_PFN;
  }

  /**
   * Registers [start, end) (order-10 aligned, all free, MOVABLE pageblocks) as the zone's deferred
   * run, appended at the tail of the order-10 MOVABLE list as FPI_TO_TAIL boot frees would put it.
   */
  add_deferred_run(z: Zone, start: number, end: number): void {
    const nblocks = (end - start) / 1024;
    if (nblocks <= 0) return;
    if (z.deferred_next !== NO_PFN) this.deferred_flush(z);
    const i = MAX_PAGE_ORDER * MIGRATE_TYPES + MIGRATE_MOVABLE;
    // The representative goes on the list like any block; the others are only counted.
    this.ptype[start] = PGTY.buddy;
    this.priv[start] = MAX_PAGE_ORDER;
    this.add_to_free_list(z, start, MAX_PAGE_ORDER, MIGRATE_MOVABLE, true);
    this.count_free(z, MAX_PAGE_ORDER, MIGRATE_MOVABLE, nblocks - 1);
    this.account_freepages(z, nblocks * 1024, MIGRATE_MOVABLE);
    if (nblocks > 1) {
      z.deferred_next = start;
      z.deferred_end = end;
    }
  }

  private account_freepages(z: Zone, nr: number, mt: number): void {
    if (mt === MIGRATE_ISOLATE) return;
    this.zv[z.id * this.NZI] += nr;
    if (mt === MIGRATE_HIGHATOMIC) z.nr_free_highatomic += nr;
  }

  /** NR_FREE_PAGES of a zone. */
  zone_free(z: Zone): number {
    return this.zv[z.id * this.NZI];
  }

  private move_to_free_list(z: Zone, pfn: number, order: number, old_mt: number, new_mt: number): void {
    const i = order * MIGRATE_TYPES + old_mt;
    if (order === MAX_PAGE_ORDER && old_mt === MIGRATE_MOVABLE && z.deferred_next !== NO_PFN) this.deferred_flush(z);
    this.unlink(z, pfn, i);
    this.count_free(z, order, old_mt, -1);
    this.add_to_free_list(z, pfn, order, new_mt, true);
    this.account_freepages(z, -(1 << order), old_mt);
    this.account_freepages(z, 1 << order, new_mt);
  }

  // ------------------------------------------------------------------ freeing into the buddy lists

  /** page_is_buddy + same order: pfn heads a free block of exactly `order`. */
  private is_buddy(pfn: number, order: number): boolean {
    return this.ptype[pfn] === PGTY.buddy && this.priv[pfn] === order;
  }

  private buddy_merge_likely(pfn: number, buddy_pfn: number, order: number): boolean {
    if (order >= MAX_PAGE_ORDER - 1) return false;
    const higher = buddy_pfn & pfn;
    const hb = higher ^ (1 << (order + 1));
    return this.is_buddy(hb, order + 1);
  }

  /** __free_one_page: merges with free buddies and puts the result on a free list. */
  __free_one_page(pfn: number, z: Zone, order: number, mt: number, fpi: number): void {
    this.account_freepages(z, 1 << order, mt);
    let buddy_pfn = 0;
    const pbo = this.pageblock_order;
    while (order < MAX_PAGE_ORDER) {
      buddy_pfn = pfn ^ (1 << order);
      if (this.ptype[buddy_pfn] !== PGTY.buddy || this.priv[buddy_pfn] !== order) break;
      let buddy_mt = mt;
      if (order >= pbo) {
        buddy_mt = this.get_pageblock_migratetype(buddy_pfn);
        if (mt !== buddy_mt && (mt >= MIGRATE_PCPTYPES || buddy_mt >= MIGRATE_PCPTYPES)) break;
      }
      this.del_from_free_list(z, buddy_pfn, order, buddy_mt);
      if (buddy_mt !== mt) this.change_pageblock_range(buddy_pfn, order, mt);
      pfn &= buddy_pfn;
      order++;
    }
    this.ptype[pfn] = PGTY.buddy;
    this.priv[pfn] = order;
    const to_tail = fpi & FPI_TO_TAIL ? true : this.buddy_merge_likely(pfn, buddy_pfn, order);
    this.add_to_free_list(z, pfn, order, mt, to_tail);
  }

  private change_pageblock_range(pfn: number, start_order: number, mt: number): void {
    let n = 1 << (start_order - this.pageblock_order);
    while (n-- > 0) {
      this.set_pageblock_migratetype(pfn, mt);
      pfn += this.pageblock_nr_pages;
    }
  }

  /** split_large_buddy + __free_one_page per pageblock (free_one_page under the zone lock). */
  private free_one_page(z: Zone, pfn: number, order: number, fpi: number): void {
    const end = pfn + (1 << order);
    const o = order > this.pageblock_order ? this.pageblock_order : order;
    do {
      const mt = this.get_pageblock_migratetype(pfn);
      this.__free_one_page(pfn, z, o, mt, fpi);
      pfn += 1 << o;
    } while (pfn !== end);
    this.ev[this.evPgfree] += 1 << order;
  }

  /**
   * __free_pages_core at boot (memblock_free_all): pages become free and managed, then go to the
   * buddy lists with FPI_TO_TAIL. The caller guarantees pfn is aligned to `order` and in one zone.
   */
  free_pages_core(pfn: number, order: number, fpi = FPI_TO_TAIL): void {
    const z = this.page_zone(pfn)!;
    const n = 1 << order;
    if (n === 1) {
      this.flags[pfn] = 0;
      this.refc[pfn] = 0;
    } else {
      this.flags.fill(0, pfn, pfn + n);
      this.refc.fill(0, pfn, pfn + n);
    }
    z.managed_pages += n;
    this.free_one_page(z, pfn, order, fpi);
  }

  // ------------------------------------------------------------------ allocation from the lists

  /** expand: splits a block of `high` down to `low`, putting the upper halves on the lists. */
  private expand(z: Zone, pfn: number, low: number, high: number, mt: number): number {
    let size = 1 << high;
    let added = 0;
    while (high > low) {
      high--;
      size >>= 1;
      const b = pfn + size;
      this.ptype[b] = PGTY.buddy;
      this.priv[b] = high;
      this.add_to_free_list(z, b, high, mt, false);
      added += size;
    }
    return added;
  }

  private page_del_and_expand(z: Zone, pfn: number, low: number, high: number, mt: number): void {
    this.del_from_free_list(z, pfn, high, mt);
    const nr = (1 << high) - this.expand(z, pfn, low, high, mt);
    this.account_freepages(z, -nr, mt);
  }

  /** __rmqueue_smallest: the first block of the smallest order >= `order` on mt's lists; pfn or -1. */
  __rmqueue_smallest(z: Zone, order: number, mt: number): number {
    for (let o = order; o < NR_PAGE_ORDERS; o++) {
      const pfn = z.freeHead[o * MIGRATE_TYPES + mt];
      if (pfn === NO_PFN) continue;
      this.page_del_and_expand(z, pfn, order, o, mt);
      if (this.ctx.trace.enabled) {
        this.ctx.trace.emit('mm_page_alloc_zone_locked', {
          pfn, order, migratetype: mt, percpu_refill: order <= PAGE_ALLOC_COSTLY_ORDER && mt < MIGRATE_PCPTYPES ? 1 : 0,
        });
      }
      return pfn;
    }
    return -1;
  }

  private find_suitable_fallback(z: Zone, order: number, mt: number): { fallback: number; can_steal: boolean } | null {
    if (z.nr_free[order] === 0) return null;
    let can_steal = false;
    for (const f of FALLBACKS[mt]) {
      if (z.freeHead[order * MIGRATE_TYPES + f] === NO_PFN) continue;
      if (this.can_steal_fallback(order, mt)) can_steal = true;
      return { fallback: f, can_steal };
    }
    return null;
  }

  private can_steal_fallback(order: number, start_mt: number): boolean {
    if (order >= this.pageblock_order) return true;
    return order >= this.pageblock_order / 2 || start_mt === MIGRATE_RECLAIMABLE || start_mt === MIGRATE_UNMOVABLE ||
      this.page_group_by_mobility_disabled;
  }

  /** boost_watermark: raises watermark_boost by a pageblock, up to high * factor / 10000. */
  private boost_watermark(z: Zone): boolean {
    if (!this.watermark_boost_factor) return false;
    if (this.pageblock_nr_pages * 4 > z.managed_pages) return false;
    let max_boost = Math.floor((z._watermark[WMARK_HIGH] * this.watermark_boost_factor) / 10000);
    if (!max_boost) return false;
    max_boost = Math.max(this.pageblock_nr_pages, max_boost);
    z.watermark_boost = Math.min(z.watermark_boost + this.pageblock_nr_pages, max_boost);
    return true;
  }

  /** prep_move_freepages_block: counts free and movable pages of pfn's pageblock; null across a zone edge. */
  private prep_move_freepages_block(z: Zone, pfn: number): { start: number; free: number; movable: number } | null {
    const start = pfn - (pfn % this.pageblock_nr_pages);
    const end = start + this.pageblock_nr_pages;
    if (!z.spans(start) || !z.spans(end - 1)) return null;
    let free = 0;
    let movable = 0;
    for (let p = start; p < end;) {
      const bo = this.buddy_order(p);
      if (bo >= 0) {
        free += 1 << bo;
        p += 1 << bo;
        continue;
      }
      if (this.flags[p] & (1 << PG.lru)) movable++;
      p++;
    }
    return { start, free, movable };
  }

  /** __move_freepages_block: moves a pageblock's free blocks to new_mt's lists and retypes it. */
  private __move_freepages_block(z: Zone, start: number, old_mt: number, new_mt: number): number {
    const end = start + this.pageblock_nr_pages;
    let moved = 0;
    for (let p = start; p < end;) {
      if (this.ptype[p] !== PGTY.buddy) {
        p++;
        continue;
      }
      const o = this.priv[p];
      this.move_to_free_list(z, p, o, old_mt, new_mt);
      p += 1 << o;
      moved += 1 << o;
    }
    this.set_pageblock_migratetype(start, new_mt);
    return moved;
  }

  private try_to_steal_block(z: Zone, pfn: number, current_order: number, order: number, start_type: number, alloc_flags: number): number {
    const block_type = this.get_pageblock_migratetype(pfn);
    if (block_type === MIGRATE_HIGHATOMIC) return -1;
    if (current_order >= this.pageblock_order) {
      this.del_from_free_list(z, pfn, current_order, block_type);
      this.account_freepages(z, -(1 << current_order), block_type);
      this.change_pageblock_range(pfn, current_order, start_type);
      const added = this.expand(z, pfn, order, current_order, start_type);
      this.account_freepages(z, added, start_type);
      return pfn;
    }
    if (this.boost_watermark(z) && alloc_flags & ALLOC_KSWAPD) z.flags |= ZONE_BOOSTED_WATERMARK;
    const r = this.prep_move_freepages_block(z, pfn);
    if (!r) return -1;
    let alike: number;
    if (start_type === MIGRATE_MOVABLE) alike = r.movable;
    else alike = block_type === MIGRATE_MOVABLE ? this.pageblock_nr_pages - (r.free + r.movable) : 0;
    if (r.free + alike >= 1 << (this.pageblock_order - 1) || this.page_group_by_mobility_disabled) {
      this.__move_freepages_block(z, r.start, block_type, start_type);
      return this.__rmqueue_smallest(z, order, start_type);
    }
    return -1;
  }

  private __rmqueue_claim(z: Zone, order: number, start_mt: number, alloc_flags: number): number {
    let min_order = order;
    if (order < this.pageblock_order && alloc_flags & ALLOC_NOFRAGMENT) min_order = this.pageblock_order;
    for (let co = MAX_PAGE_ORDER; co >= min_order; co--) {
      const f = this.find_suitable_fallback(z, co, start_mt);
      if (!f) continue;
      if (!f.can_steal) break;
      const head = z.freeHead[co * MIGRATE_TYPES + f.fallback];
      const pfn = this.try_to_steal_block(z, head, co, order, start_mt, alloc_flags);
      if (pfn >= 0) {
        if (this.ctx.trace.enabled) this.trace_extfrag(pfn, order, co, start_mt, f.fallback);
        return pfn;
      }
    }
    return -1;
  }

  private __rmqueue_steal(z: Zone, order: number, start_mt: number): number {
    for (let co = order; co < NR_PAGE_ORDERS; co++) {
      const f = this.find_suitable_fallback(z, co, start_mt);
      if (!f) continue;
      const pfn = z.freeHead[co * MIGRATE_TYPES + f.fallback];
      this.page_del_and_expand(z, pfn, order, co, f.fallback);
      if (this.ctx.trace.enabled) this.trace_extfrag(pfn, order, co, start_mt, f.fallback);
      return pfn;
    }
    return -1;
  }

  private trace_extfrag(pfn: number, order: number, fallback_order: number, alloc_mt: number, fallback_mt: number): void {
    this.ctx.trace.emit('mm_page_alloc_extfrag', {
      pfn, alloc_order: order, fallback_order, alloc_migratetype: alloc_mt, fallback_migratetype: fallback_mt,
      change_ownership: this.get_pageblock_migratetype(pfn) === alloc_mt ? 1 : 0,
    });
  }

  /** __rmqueue: requested type, then claim a fallback block, then steal (unless ALLOC_NOFRAGMENT). */
  private __rmqueue(z: Zone, order: number, mt: number, alloc_flags: number): number {
    let pfn = this.__rmqueue_smallest(z, order, mt);
    if (pfn >= 0) return pfn;
    pfn = this.__rmqueue_claim(z, order, mt, alloc_flags);
    if (pfn >= 0) return pfn;
    if (!(alloc_flags & ALLOC_NOFRAGMENT)) return this.__rmqueue_steal(z, order, mt);
    return -1;
  }

  /** rmqueue_bulk: up to `count` blocks onto the tail of a PCP list; returns how many. */
  private rmqueue_bulk(z: Zone, order: number, count: number, pcp: PerCpuPages, pindex: number, mt: number, alloc_flags: number): number {
    let i = 0;
    const list = pcp.lists[pindex];
    for (; i < count; i++) {
      const pfn = this.__rmqueue(z, order, mt, alloc_flags);
      if (pfn < 0) break;
      list.push_back(pfn);
    }
    return i;
  }

  private nr_pcp_alloc(pcp: PerCpuPages, z: Zone, order: number): number {
    const base_batch = pcp.batch;
    const high_min = pcp.high_min;
    const high_max = pcp.high_max;
    let high = (pcp.high = Math.min(Math.max(pcp.high, high_min), high_max));
    if (high < base_batch) return 1;
    let batch = order ? base_batch : base_batch << pcp.alloc_factor;
    if (high_min !== high_max && !(z.flags & ZONE_BELOW_HIGH)) high = pcp.high = Math.min(high + batch, high_max);
    if (!order) {
      const max_nr_alloc = Math.max(high - pcp.count - base_batch, base_batch);
      if (batch <= max_nr_alloc && pcp.alloc_factor < PCP_BATCH_SCALE_MAX) pcp.alloc_factor++;
      batch = Math.min(batch, max_nr_alloc);
    }
    if (batch > 1) batch = Math.max(batch >> order, 2);
    return batch;
  }

  private rmqueue_pcplist(z: Zone, order: number, mt: number, alloc_flags: number): number {
    const pcp = z.pcp[this.cpu];
    pcp.free_count >>= 1;
    const pindex = order <= PAGE_ALLOC_COSTLY_ORDER ? MIGRATE_PCPTYPES * order + mt : NR_LOWORDER_PCP_LISTS + (mt === MIGRATE_MOVABLE ? 1 : 0);
    const list = pcp.lists[pindex];
    if (list.n === 0) {
      const batch = this.nr_pcp_alloc(pcp, z, order);
      const got = this.rmqueue_bulk(z, order, batch, pcp, pindex, mt, alloc_flags);
      pcp.count += got << order;
      if (list.n === 0) return -1;
    }
    pcp.count -= 1 << order;
    return list.pop_front();
  }

  private rmqueue_buddy(z: Zone, order: number, alloc_flags: number, mt: number): number {
    let pfn = -1;
    if (alloc_flags & ALLOC_HIGHATOMIC) pfn = this.__rmqueue_smallest(z, order, MIGRATE_HIGHATOMIC);
    if (pfn < 0) {
      pfn = this.__rmqueue(z, order, mt, alloc_flags);
      if (pfn < 0 && alloc_flags & (ALLOC_OOM | ALLOC_NON_BLOCK)) pfn = this.__rmqueue_smallest(z, order, MIGRATE_HIGHATOMIC);
    }
    return pfn;
  }

  /** rmqueue: from the PCP for small orders and the THP order, else from the buddy lists. */
  private rmqueue(preferred: Zone, z: Zone, order: number, alloc_flags: number, mt: number): number {
    let pfn = -1;
    if (order <= PAGE_ALLOC_COSTLY_ORDER || order === this.hpage_pmd_order) pfn = this.rmqueue_pcplist(z, order, mt, alloc_flags);
    if (pfn < 0) pfn = this.rmqueue_buddy(z, order, alloc_flags, mt);
    if (pfn >= 0) {
      this.ev[this.evPgalloc[z.idx]] += 1 << order;
      this.zone_statistics(preferred, z);
    }
    if (alloc_flags & ALLOC_KSWAPD && z.flags & ZONE_BOOSTED_WATERMARK) this.wake_boosted(z);
    return pfn;
  }

  /** rmqueue's tail: a boosted zone wakes kswapd to undo the boost (ZONE_BOOSTED_WATERMARK). */
  private wake_boosted(z: Zone): void {
    z.flags &= ~ZONE_BOOSTED_WATERMARK;
    this.wakeup_kswapd(z, 0, 0, z.idx);
  }

  private zone_statistics(preferred: Zone, z: Zone): void {
    const nv = this.numaV;
    const base = z.id * 6;
    if (z.node === preferred.node) nv[base + this.numaHit]++;
    else {
      nv[base + this.numaMiss]++;
      nv[preferred.id * 6 + this.numaForeign]++;
    }
    nv[base + (z.node === this.cpuNode[this.cpu] ? this.numaLocal : this.numaOther)]++;
  }

  // ------------------------------------------------------------------ watermarks

  /** __zone_watermark_ok. */
  __zone_watermark_ok(z: Zone, order: number, mark: number, highest_zoneidx: number, alloc_flags: number, free_pages: number): boolean {
    let min = mark;
    let unusable = (1 << order) - 1;
    if (!(alloc_flags & ALLOC_RESERVES)) unusable += z.nr_free_highatomic;
    free_pages -= unusable;
    if (alloc_flags & ALLOC_RESERVES) {
      if (alloc_flags & ALLOC_MIN_RESERVE) {
        min -= Math.floor(min / 2);
        if (alloc_flags & ALLOC_NON_BLOCK) min -= Math.floor(min / 4);
      }
      if (alloc_flags & ALLOC_OOM) min -= Math.floor(min / 2);
    }
    if (free_pages <= min + z.lowmem_reserve[highest_zoneidx]) return false;
    if (!order) return true;
    // The kernel walks free_area[order..MAX_PAGE_ORDER] for a non-empty list of a PCP type (or
    // HIGHATOMIC for those who may use it); freeMask holds the same answer as bits by order.
    const m = z.freeMask;
    if ((m[MIGRATE_UNMOVABLE] | m[MIGRATE_MOVABLE] | m[MIGRATE_RECLAIMABLE]) >>> order) return true;
    return (alloc_flags & (ALLOC_HIGHATOMIC | ALLOC_OOM)) !== 0 && m[MIGRATE_HIGHATOMIC] >>> order !== 0;
  }

  /** zone_watermark_ok with the zone's current free pages. */
  zone_watermark_ok(z: Zone, order: number, mark: number, highest_zoneidx: number, alloc_flags: number): boolean {
    return this.__zone_watermark_ok(z, order, mark, highest_zoneidx, alloc_flags, this.zone_free(z));
  }

  private zone_watermark_fast(z: Zone, order: number, mark: number, highest_zoneidx: number, alloc_flags: number): boolean {
    const free_pages = this.zv[z.id * this.NZI];
    if (!order) {
      const reserved = alloc_flags & ALLOC_RESERVES ? 0 : z.nr_free_highatomic;
      const usable = free_pages - Math.min(free_pages, reserved);
      if (usable > mark + z.lowmem_reserve[highest_zoneidx]) return true;
    }
    if (this.__zone_watermark_ok(z, order, mark, highest_zoneidx, alloc_flags, free_pages)) return true;
    if (!order && alloc_flags & ALLOC_MIN_RESERVE && z.watermark_boost && (alloc_flags & ALLOC_WMARK_MASK) === WMARK_MIN) {
      return this.__zone_watermark_ok(z, order, z._watermark[WMARK_MIN], highest_zoneidx, alloc_flags, free_pages);
    }
    return false;
  }

  // ------------------------------------------------------------------ the allocator proper

  /** alloc_flags_nofragment's zone part by zone id (ALLOC_NOFRAGMENT or 0), filled by init_nofragment. */
  private nofrag = new Int32Array(0);

  /** Precomputes which preferred zones avoid fragmenting fallbacks (zones do not change after boot). */
  init_nofragment(): void {
    this.nofrag = Int32Array.from(this.zones.map((z) => this.alloc_flags_nofragment(z, 0)));
    const nz = MAX_NR_ZONES;
    this.cpuPreferred = new Int16Array(this.ctx.cpu_node.length * nz).fill(NO_ZONE);
    this.ctx.cpu_node.forEach((node, cpu) => {
      for (let hz = 0; hz < nz; hz++) {
        const zl = this.pgdat[node].zonelists[hz];
        if (zl && zl.length) this.cpuPreferred[cpu * nz + hz] = zl[0].id;
      }
    });
  }

  /**
   * The preferred zone (zonelist's first) of an allocation on each CPU's node, by
   * [cpu * MAX_NR_ZONES + highest_zoneidx]; NO_ZONE when that zonelist is empty. Filled with the
   * zonelists at boot by init_nofragment; the fast path reads it instead of walking
   * cpu → node → pgdat → zonelist.
   */
  private cpuPreferred = new Int16Array(0);

  private alloc_flags_nofragment(preferred: Zone, gfp: number): number {
    let alloc_flags = gfp & __GFP_KSWAPD_RECLAIM;
    if (this.ctx.arch !== 'x86_64') return alloc_flags;
    if (preferred.idx !== ZONE_NORMAL) return alloc_flags;
    if (this.pgdat.length > 1 && !this.pgdat[preferred.node].node_zones[ZONE_DMA32].populated) return alloc_flags;
    return alloc_flags | ALLOC_NOFRAGMENT;
  }

  /** gfp_to_alloc_flags: the slow path's flags (min watermark, reserves for high-priority callers). */
  gfp_to_alloc_flags(gfp: number, order: number): number {
    let f = ALLOC_WMARK_MIN | ALLOC_CPUSET;
    f |= gfp & (__GFP_HIGH | __GFP_KSWAPD_RECLAIM);
    if (!(gfp & __GFP_DIRECT_RECLAIM)) {
      if (!(gfp & __GFP_NOMEMALLOC)) {
        f |= ALLOC_NON_BLOCK;
        if (order > 0 && f & ALLOC_MIN_RESERVE) f |= ALLOC_HIGHATOMIC;
      }
      if (f & ALLOC_MIN_RESERVE) f &= ~ALLOC_CPUSET;
    }
    return f;
  }

  private get_page_from_freelist(gfp: number, order: number, alloc_flags: number, zl: Zone[], hz: number, mt: number): number {
    for (;;) {
      const no_fallback = alloc_flags & ALLOC_NOFRAGMENT;
      const preferred = zl[0];
      let retry = false;
      for (let k = 0; k < zl.length; k++) {
        const z = zl[k];
        if (no_fallback && this.pgdat.length > 1 && z !== preferred && z.node !== preferred.node) {
          alloc_flags &= ~ALLOC_NOFRAGMENT;
          retry = true;
          break;
        }
        let ok = false;
        if (!(z.flags & ZONE_BELOW_HIGH)) {
          if (this.zone_watermark_fast(z, order, z._watermark[WMARK_HIGH] + z.watermark_boost, hz, alloc_flags)) ok = true;
          else z.flags |= ZONE_BELOW_HIGH;
        }
        if (!ok) {
          const wm = alloc_flags & ALLOC_WMARK_MASK;
          if (!this.zone_watermark_fast(z, order, z._watermark[wm] + z.watermark_boost, hz, alloc_flags)) {
            if (!(alloc_flags & ALLOC_NO_WATERMARKS)) continue;
          }
        }
        const pfn = this.rmqueue(preferred, z, order, alloc_flags, mt);
        if (pfn >= 0) {
          this.prep_new_page(pfn, order, gfp);
          if (alloc_flags & ALLOC_HIGHATOMIC) this.reserve_highatomic_pageblock(pfn, order, z);
          return pfn;
        }
      }
      if (retry) continue;
      if (no_fallback) {
        alloc_flags &= ~ALLOC_NOFRAGMENT;
        continue;
      }
      return -1;
    }
  }

  /** prep_new_page: refcount 1, private 0, __GFP_ZERO, __GFP_COMP. */
  private prep_new_page(pfn: number, order: number, gfp: number): void {
    this.priv[pfn] = 0;
    this.refc[pfn] = 1;
    this.allocOrder[pfn] = order + 1;
    if (gfp & __GFP_ZERO) this.ctx.mem.clearPage(pfn, 1 << order);
    if (order && gfp & __GFP_COMP) this.prep_compound_page(pfn, order);
  }

  /** prep_compound_page: PG_head on the head, compound_head on the tails, compound_order. */
  prep_compound_page(pfn: number, order: number): void {
    this.flags[pfn] |= 1 << PG.head;
    this.pages.compound_order[pfn] = order;
    this.pages.compound_head.fill(pfn + 1, pfn + 1, pfn + (1 << order));
  }

  /**
   * The page allocator's fast internal entry (`__alloc_pages`): a pfn, or -1 on failure. `nid` is
   * the preferred node (default: the current CPU's). Throws KernelError only for a nonsense order
   * or GFP zone combination.
   */
  alloc(gfp: number, order: number, nid = -1): number {
    if (nid < 0 && (order >>> 0) <= PAGE_ALLOC_COSTLY_ORDER && (order | 0) === order && !this.fail_page_alloc.active && !this.tr.enabled) {
      const pfn = this.alloc_pcp_fast(gfp, order);
      if (pfn >= 0) return pfn;
    }
    return this.__alloc_pages(gfp, order, nid);
  }

  /**
   * The first pass of get_page_from_freelist when it succeeds at once, as most allocations do: the
   * preferred zone meets its watermark and the per-cpu list for (order, migratetype) has a block.
   * Returns -1, having changed nothing, when any of that does not hold; `__alloc_pages` then runs
   * the whole algorithm. Same steps and counters as the general path, in one function.
   */
  private alloc_pcp_fast(gfp: number, order: number): number {
    const hz = this.gfpZoneTable[gfp & 0xf];
    if (hz < 0 || gfp & __GFP_THISNODE) return -1;
    const zid = this.cpuPreferred[this.cpu * MAX_NR_ZONES + hz];
    if (zid === NO_ZONE || zid === undefined) return -1;
    const z = this.zones[zid];
    const alloc_flags = ALLOC_WMARK_LOW | (gfp & __GFP_KSWAPD_RECLAIM) | this.nofrag[zid];
    const wm = z._watermark;
    const mark = (z.flags & ZONE_BELOW_HIGH ? wm[WMARK_LOW] : wm[WMARK_HIGH]) + z.watermark_boost;
    if (!this.zone_watermark_fast(z, order, mark, hz, alloc_flags)) return -1;
    const mt = this.page_group_by_mobility_disabled ? MIGRATE_UNMOVABLE : (gfp & (__GFP_MOVABLE | __GFP_RECLAIMABLE)) >> 3;
    const pcp = z.pcp[this.cpu];
    const list = pcp.lists[MIGRATE_PCPTYPES * order + mt];
    if (list.n === 0) return -1;
    pcp.free_count >>= 1;
    pcp.count -= 1 << order;
    const pfn = list.pop_front();
    this.ev[this.evPgalloc[z.idx]] += 1 << order;
    this.zone_statistics(z, z);
    if (alloc_flags & ALLOC_KSWAPD && z.flags & ZONE_BOOSTED_WATERMARK) this.wake_boosted(z);
    this.prep_new_page(pfn, order, gfp);
    return pfn;
  }

  /** __alloc_pages: the whole algorithm (any order, node, fault injection, tracing). */
  private __alloc_pages(gfp: number, order: number, nid: number): number {
    if ((order >>> 0) > MAX_PAGE_ORDER || (order | 0) !== order) return this.bad_order(gfp, order);
    if (this.fail_page_alloc.active && this.fail_page_alloc.should_fail_alloc_page(gfp, order)) return -1;
    const hz = this.gfpZoneTable[gfp & 0xf];
    if (hz < 0) throw new KernelError(`gfp_zone: invalid zone modifiers in ${format_gfp_mode(gfp)} (GFP_ZONE_BAD)`);
    const node = nid < 0 ? this.ctx.cpu_node[this.cpu] : nid;
    const pg = this.pgdat[node];
    if (!pg) throw new KernelError(`alloc_pages: node ${nid} does not exist`);
    const zl = gfp & __GFP_THISNODE ? pg.zonelists_nofallback[hz] : pg.zonelists[hz];
    const mt = this.page_group_by_mobility_disabled ? MIGRATE_UNMOVABLE : (gfp & (__GFP_MOVABLE | __GFP_RECLAIMABLE)) >> 3;
    let pfn = -1;
    if (zl.length) {
      const nf = this.nofrag;
      const alloc_flags = ALLOC_WMARK_LOW | (gfp & __GFP_KSWAPD_RECLAIM) | (nf.length ? nf[zl[0].id] : this.alloc_flags_nofragment(zl[0], 0));
      pfn = this.get_page_from_freelist(gfp, order, alloc_flags, zl, hz, mt);
      if (pfn < 0) pfn = this.__alloc_pages_slowpath(gfp, order, zl, hz, mt, node);
    } else if (!(gfp & __GFP_NOWARN)) this.warn_alloc(gfp, order, node);
    if (this.tr.enabled) {
      this.tr.emit('mm_page_alloc', { pfn: pfn < 0 ? 0 : pfn, order, gfp_flags: format_gfp_mode(gfp), migratetype: mt });
    }
    return pfn;
  }

  private bad_order(gfp: number, order: number): number {
    if (!Number.isInteger(order) || order < 0) throw new KernelError(`alloc_pages: invalid order ${order} (orders are 0..${MAX_PAGE_ORDER})`);
    if (!(gfp & __GFP_NOWARN)) this.ctx.dmesg.push(`WARNING: CPU: ${this.cpu} PID: 1 at mm/page_alloc.c:4781 __alloc_pages_noprof+0x2f7/0x340 (order ${order} > MAX_PAGE_ORDER ${MAX_PAGE_ORDER})`);
    return -1;
  }

  private __alloc_pages_slowpath(gfp: number, order: number, zl: Zone[], hz: number, mt: number, nid: number): number {
    const can_direct_reclaim = (gfp & __GFP_DIRECT_RECLAIM) !== 0;
    const costly = order > PAGE_ALLOC_COSTLY_ORDER;
    let alloc_flags = this.gfp_to_alloc_flags(gfp, order);
    if (alloc_flags & ALLOC_KSWAPD) this.wake_all_kswapds(order, gfp, zl, hz);
    let pfn = this.get_page_from_freelist(gfp, order, alloc_flags, zl, hz, mt);
    if (pfn >= 0) return pfn;
    if (can_direct_reclaim && (costly || (order > 0 && mt !== MIGRATE_MOVABLE)) && this.hooks.direct_compact) {
      if (this.hooks.direct_compact(gfp, order, nid, hz)) {
        pfn = this.get_page_from_freelist(gfp, order, alloc_flags, zl, hz, mt);
        if (pfn >= 0) return pfn;
      }
    }
    let no_progress_loops = 0;
    let oom_rounds = 0;
    let drained = false;
    for (;;) {
      if (alloc_flags & ALLOC_KSWAPD) this.wake_all_kswapds(order, gfp, zl, hz);
      let reserve = 0;
      if (gfp & __GFP_MEMALLOC && !(gfp & __GFP_NOMEMALLOC)) reserve = ALLOC_NO_WATERMARKS;
      if (this.hooks.pfmemalloc_flags && !(gfp & __GFP_NOMEMALLOC)) reserve |= this.hooks.pfmemalloc_flags(gfp);
      if (reserve) alloc_flags = reserve | (alloc_flags & ALLOC_KSWAPD);
      pfn = this.get_page_from_freelist(gfp, order, alloc_flags, zl, hz, mt);
      if (pfn >= 0) return pfn;
      if (!can_direct_reclaim) break;
      // __alloc_pages_direct_reclaim: reclaim, retry, and once: give back the HIGHATOMIC reserve
      // and drain every CPU's PCP lists before retrying again.
      const progress = this.hooks.direct_reclaim ? this.hooks.direct_reclaim(gfp, order, nid, hz) : 0;
      pfn = this.get_page_from_freelist(gfp, order, alloc_flags, zl, hz, mt);
      if (pfn < 0 && !drained) {
        this.unreserve_highatomic_pageblock(zl, mt, false);
        this.drain_all_pages();
        drained = true;
        pfn = this.get_page_from_freelist(gfp, order, alloc_flags, zl, hz, mt);
      }
      if (pfn >= 0) return pfn;
      if (this.hooks.direct_compact && this.hooks.direct_compact(gfp, order, nid, hz)) {
        pfn = this.get_page_from_freelist(gfp, order, alloc_flags, zl, hz, mt);
        if (pfn >= 0) return pfn;
      }
      if (gfp & __GFP_NORETRY) break;
      if (costly && !(gfp & __GFP_RETRY_MAYFAIL)) break;
      if (progress > 0 && ++no_progress_loops <= MAX_RECLAIM_RETRIES) continue;
      // should_reclaim_retry: out of retries, the HIGHATOMIC reserve goes even to the last block.
      if (this.unreserve_highatomic_pageblock(zl, mt, true)) {
        pfn = this.get_page_from_freelist(gfp, order, alloc_flags, zl, hz, mt);
        if (pfn >= 0) return pfn;
      }
      if (gfp & __GFP_RETRY_MAYFAIL || costly) break;
      if (this.hooks.out_of_memory && oom_rounds++ < MAX_RECLAIM_RETRIES && this.hooks.out_of_memory(gfp, order, nid)) continue;
      break;
    }
    if (gfp & __GFP_NOFAIL) {
      // __alloc_pages_cpuset_fallback: a last attempt with part of the min reserve.
      pfn = this.get_page_from_freelist(gfp, order, ALLOC_MIN_RESERVE | ALLOC_WMARK_MIN, zl, hz, mt);
      if (pfn >= 0) return pfn;
    }
    if (!(gfp & __GFP_NOWARN)) this.warn_alloc(gfp, order, nid);
    return -1;
  }

  /** warn_alloc: the "page allocation failure" report and show_mem, appended to dmesg. */
  warn_alloc(gfp: number, order: number, _nid: number): void {
    this.alloc_failures++;
    const d = this.ctx.dmesg;
    // nopage_rs: at most 10 reports per 5 seconds (DEFAULT_RATELIMIT_INTERVAL/BURST).
    const now = this.ctx.clock ? this.ctx.clock.ns : 0;
    if (now - this.rs_begin >= 5e9) {
      if (this.rs_missed) d.push(`warn_alloc: ${this.rs_missed} callbacks suppressed`);
      this.rs_begin = now;
      this.rs_printed = 0;
      this.rs_missed = 0;
    }
    if (this.rs_printed >= 10) {
      this.rs_missed++;
      return;
    }
    this.rs_printed++;
    const nodes = this.pgdat.length > 1 ? `0-${this.pgdat.length - 1}` : '0';
    d.push(`${this.current_comm()}: page allocation failure: order:${order}, mode:${format_gfp_mode(gfp)}, nodemask=(null),cpuset=/,mems_allowed=${nodes}`);
    d.push(`CPU: ${this.cpu} UID: 0 PID: 1 Comm: ${this.current_comm()} Not tainted 6.12.0-mmlab #1`);
    const hz = this.gfpZoneTable[gfp & 0xf];
    for (const l of this.show_mem(hz < 0 ? MAX_NR_ZONES - 1 : hz)) d.push(l);
  }

  private rs_begin = -Infinity;
  private rs_printed = 0;
  private rs_missed = 0;

  /** Swap totals for show_mem, in pages (set by the System from its meminfo hooks). */
  swap_info: () => { cache: number; free: number; total: number } = () => ({ cache: 0, free: 0, total: 0 });

  /** __show_mem / show_free_areas for zones up to max_zone_idx: the Mem-Info block of OOM and allocation-failure reports. */
  show_mem(max_zone_idx = MAX_NR_ZONES - 1): string[] {
    const out: string[] = ['Mem-Info:'];
    const v = this.ctx.vmstat;
    const K = (p: number): number => Math.floor(p) * 4;
    const pages = (name: string): number => Math.floor(name.endsWith('_B') ? v.get(name) / 4096 : v.get(name));
    const zones = this.zones.filter((z) => z.populated && z.idx <= max_zone_idx);
    let free_pcp = 0;
    for (const z of zones) free_pcp += this.zone_pcp_pages(z);
    out.push(`active_anon:${pages('nr_active_anon')} inactive_anon:${pages('nr_inactive_anon')} isolated_anon:${pages('nr_isolated_anon')}`);
    out.push(` active_file:${pages('nr_active_file')} inactive_file:${pages('nr_inactive_file')} isolated_file:${pages('nr_isolated_file')}`);
    out.push(` unevictable:${pages('nr_unevictable')} dirty:${pages('nr_dirty')} writeback:${pages('nr_writeback')}`);
    out.push(` slab_reclaimable:${pages('nr_slab_reclaimable_B')} slab_unreclaimable:${pages('nr_slab_unreclaimable_B')}`);
    out.push(` mapped:${pages('nr_mapped')} shmem:${pages('nr_shmem')} pagetables:${pages('nr_page_table_pages')}`);
    out.push(` sec_pagetables:${pages('nr_sec_page_table_pages')} bounce:${pages('nr_bounce')}`);
    out.push(` kernel_misc_reclaimable:${pages('nr_kernel_misc_reclaimable')}`);
    out.push(` free:${pages('nr_free_pages')} free_pcp:${free_pcp} free_cma:0`);
    for (const pg of this.pgdat) {
      if (!pg.node_zones.some((z) => z.managed_pages && z.idx <= max_zone_idx)) continue;
      const n = (name: string): number => v.node(pg.node_id, name);
      out.push(`Node ${pg.node_id} active_anon:${K(n('nr_active_anon'))}kB inactive_anon:${K(n('nr_inactive_anon'))}kB active_file:${K(n('nr_active_file'))}kB inactive_file:${K(n('nr_inactive_file'))}kB unevictable:${K(n('nr_unevictable'))}kB isolated(anon):${K(n('nr_isolated_anon'))}kB isolated(file):${K(n('nr_isolated_file'))}kB mapped:${K(n('nr_mapped'))}kB dirty:${K(n('nr_dirty'))}kB writeback:${K(n('nr_writeback'))}kB shmem:${K(n('nr_shmem'))}kB shmem_thp:${K(n('nr_shmem_hugepages'))}kB shmem_pmdmapped:${K(n('nr_shmem_pmdmapped'))}kB anon_thp:${K(n('nr_anon_transparent_hugepages'))}kB writeback_tmp:${K(n('nr_writeback_temp'))}kB kernel_stack:${n('nr_kernel_stack')}kB pagetables:${K(n('nr_page_table_pages'))}kB sec_pagetables:${K(n('nr_sec_page_table_pages'))}kB all_unreclaimable? ${pg.kswapd_failures >= MAX_RECLAIM_RETRIES ? 'yes' : 'no'}`);
    }
    const kz = this.ctx.arch === 'x86_64' ? [ZONE_DMA, ZONE_DMA32, ZONE_NORMAL, ZONE_MOVABLE] : [ZONE_DMA, ZONE_NORMAL, ZONE_HIGHMEM, ZONE_MOVABLE];
    for (const z of zones) {
      const zs = (name: string): number => v.zone(z, name);
      out.push(`Node ${z.node} ${z.name} free:${K(this.zone_free(z))}kB boost:${K(z.watermark_boost)}kB min:${K(z.wmark(WMARK_MIN))}kB low:${K(z.wmark(WMARK_LOW))}kB high:${K(z.wmark(WMARK_HIGH))}kB reserved_highatomic:${K(z.nr_reserved_highatomic)}KB active_anon:${K(zs('nr_zone_active_anon'))}kB inactive_anon:${K(zs('nr_zone_inactive_anon'))}kB active_file:${K(zs('nr_zone_active_file'))}kB inactive_file:${K(zs('nr_zone_inactive_file'))}kB unevictable:${K(zs('nr_zone_unevictable'))}kB writepending:${K(zs('nr_zone_write_pending'))}kB present:${K(z.present_pages)}kB managed:${K(z.managed_pages)}kB mlocked:${K(zs('nr_mlock'))}kB bounce:${K(zs('nr_bounce'))}kB free_pcp:${K(this.zone_pcp_pages(z))}kB local_pcp:${K(z.pcp[this.cpu].count)}kB free_cma:0kB`);
      out.push(`lowmem_reserve[]:${kz.map((i) => ' ' + z.lowmem_reserve[i]).join('')}`);
    }
    for (const z of zones) {
      let line = `Node ${z.node} ${z.name}: `;
      let total = 0;
      for (let o = 0; o < NR_PAGE_ORDERS; o++) {
        const n = z.nr_free[o];
        total += n * (1 << o);
        line += `${n}*${4 << o}kB `;
        if (n) {
          let types = '';
          for (let mt = 0; mt < MIGRATE_TYPES; mt++) if (z.freeHead[o * MIGRATE_TYPES + mt] !== NO_PFN) types += 'UMEHI'[mt];
          line += `(${types}) `;
        }
      }
      out.push(`${line}= ${K(total)}kB`);
    }
    const sizes = this.ctx.arch === 'x86_64' ? [1048576, 2048] : [this.pageblock_order === 10 ? 4096 : 2048];
    for (const pg of this.pgdat) for (const kb of sizes) out.push(`Node ${pg.node_id} hugepages_total=0 hugepages_free=0 hugepages_surp=0 hugepages_size=${kb}kB`);
    out.push(`${pages('nr_file_pages')} total pagecache pages`);
    const sw = this.swap_info();
    out.push(`${sw.cache} pages in swap cache`);
    out.push(`Free swap  = ${K(sw.free)}kB`);
    out.push(`Total swap = ${K(sw.total)}kB`);
    let total = 0;
    let reserved = 0;
    let highmem = 0;
    for (const z of this.zones) {
      if (!z.populated) continue;
      total += z.present_pages;
      reserved += z.present_pages - z.managed_pages;
      if (z.idx === ZONE_HIGHMEM) highmem += z.present_pages;
    }
    out.push(`${total} pages RAM`);
    out.push(`${highmem} pages HighMem/MovableOnly`);
    out.push(`${reserved} pages reserved`);
    out.push('0 pages hwpoisoned');
    return out;
  }

  // ------------------------------------------------------------------ kswapd seam

  private wake_all_kswapds(order: number, gfp: number, zl: Zone[], hz: number): void {
    let last = -1;
    for (const z of zl) {
      if (z.node === last) continue;
      this.wakeup_kswapd(z, gfp, order, hz);
      last = z.node;
    }
  }

  /** pgdat_balanced: some eligible zone meets its high watermark for `order`. */
  pgdat_balanced(pg: PgData, order: number, highest_zoneidx: number): boolean {
    let managed = false;
    for (let i = 0; i <= highest_zoneidx && i < MAX_NR_ZONES; i++) {
      const z = pg.node_zones[i];
      if (!z.managed_pages) continue;
      managed = true;
      if (this.__zone_watermark_ok(z, order, z._watermark[WMARK_HIGH] + z.watermark_boost, highest_zoneidx, 0, this.zone_free(z))) return true;
    }
    return !managed;
  }

  /**
   * wakeup_kswapd: records the order and zone kswapd must balance for and wakes it unless the node
   * is balanced (or hopeless). Emits `mm_vmscan_wakeup_kswapd` and `mm_vmscan_kswapd_wake`, counts
   * the wake on the node, and calls `hooks.kswapd` (reclaim is a later subsystem).
   */
  wakeup_kswapd(z: Zone, gfp: number, order: number, highest_zoneidx: number): void {
    if (!z.managed_pages) return;
    const pg = this.pgdat[z.node];
    if (pg.kswapd_highest_zoneidx === MAX_NR_ZONES || pg.kswapd_highest_zoneidx < highest_zoneidx) pg.kswapd_highest_zoneidx = highest_zoneidx;
    if (pg.kswapd_order < order) pg.kswapd_order = order;
    let boosted = false;
    for (let i = 0; i <= highest_zoneidx && i < MAX_NR_ZONES; i++) if (pg.node_zones[i].watermark_boost) boosted = true;
    if (pg.kswapd_failures >= MAX_RECLAIM_RETRIES || (this.pgdat_balanced(pg, order, highest_zoneidx) && !boosted)) return;
    pg.kswapd_wakeups++;
    if (this.ctx.trace.enabled) {
      this.ctx.trace.emit('mm_vmscan_wakeup_kswapd', { nid: z.node, zid: z.idx, order, gfp_flags: format_gfp_mode(gfp) });
      this.ctx.trace.emit('mm_vmscan_kswapd_wake', { nid: z.node, zid: highest_zoneidx, order });
    }
    if (this.hooks.kswapd) this.hooks.kswapd(pg, order, highest_zoneidx, gfp);
  }

  // ------------------------------------------------------------------ highatomic reserve

  private reserve_highatomic_pageblock(pfn: number, order: number, z: Zone): void {
    if (Math.floor(z.managed_pages / 100) < this.pageblock_nr_pages) return;
    const max_managed = Math.ceil(Math.floor(z.managed_pages / 100) / this.pageblock_nr_pages) * this.pageblock_nr_pages;
    if (z.nr_reserved_highatomic >= max_managed) return;
    const mt = this.get_pageblock_migratetype(pfn);
    if (mt >= MIGRATE_PCPTYPES) return;
    if (order < this.pageblock_order) {
      const r = this.prep_move_freepages_block(z, pfn);
      if (!r) return;
      this.__move_freepages_block(z, r.start, mt, MIGRATE_HIGHATOMIC);
      z.nr_reserved_highatomic += this.pageblock_nr_pages;
    } else {
      this.change_pageblock_range(pfn, order, MIGRATE_HIGHATOMIC);
      z.nr_reserved_highatomic += 1 << order;
    }
  }

  /** unreserve_highatomic_pageblock: gives HIGHATOMIC blocks back to `mt` (under pressure). */
  unreserve_highatomic_pageblock(zl: Zone[], mt: number, force: boolean): boolean {
    for (const z of zl) {
      if (!force && z.nr_reserved_highatomic <= this.pageblock_nr_pages) continue;
      for (let o = 0; o < NR_PAGE_ORDERS; o++) {
        const pfn = z.freeHead[o * MIGRATE_TYPES + MIGRATE_HIGHATOMIC];
        if (pfn === NO_PFN) continue;
        const bmt = this.get_pageblock_migratetype(pfn);
        if (bmt === MIGRATE_HIGHATOMIC) {
          const size = Math.min(Math.max(this.pageblock_nr_pages, 1 << o), z.nr_reserved_highatomic);
          z.nr_reserved_highatomic -= size;
        }
        let ret: number;
        if (o < this.pageblock_order) {
          const r = this.prep_move_freepages_block(z, pfn);
          ret = r ? this.__move_freepages_block(z, r.start, bmt, mt) : -1;
        } else {
          this.move_to_free_list(z, pfn, o, bmt, mt);
          this.change_pageblock_range(pfn, o, mt);
          ret = 1;
        }
        if (ret > 0) return true;
      }
    }
    return false;
  }

  // ------------------------------------------------------------------ freeing

  /**
   * The fast internal free (`__free_pages(page, order)`): drops a reference and frees the block when
   * it was the last. Throws KernelError (nothing changed) for a block that is not allocated with
   * this order, or whose struct page is in a bad state.
   */
  free(pfn: number, order: number): void {
    // The hot path stays small (cold branches are methods of their own) so that V8 inlines it.
    // The three struct page words the free path needs are read before any is tested, so that
    // their cache misses overlap (the kernel's struct page has them in one cache line). A pfn
    // outside the page array reads undefined and a wrong order cannot match allocOrder, so one
    // test catches every bad argument; free_error sorts out which it was.
    if ((pfn | 0) !== pfn) this.free_error(pfn, order, 0);
    const ao = this.allocOrder[pfn];
    const refc = this.refc[pfn];
    const f = this.flags[pfn];
    if (ao !== order + 1) this.free_error(pfn, order, ao);
    if (refc > 1) this.put_shared_block(pfn, order, refc, f);
    else {
      if (this.check_pages) this.check_free(pfn, order, true);
      this.refc[pfn] = 0;
      this.allocOrder[pfn] = 0;
      this.free_frozen(pfn, order, f);
    }
  }


  /**
   * put_page_testzero failed: someone else holds a reference. A non-compound block gives back
   * everything but its first page, as the kernel's __free_pages does.
   */
  private put_shared_block(pfn: number, order: number, refc: number, f: number): void {
    this.refc[pfn] = refc - 1;
    if (!(f & (1 << PG.head))) {
      this.allocOrder[pfn] = 1;
      while (order-- > 0) this.free_frozen(pfn + (1 << order), order, this.flags[pfn + (1 << order)]);
    }
  }

  /** `free` with the struct page checks of every page always on (the public __free_pages). */
  free_checked(pfn: number, order: number): void {
    const saved = this.check_pages;
    this.check_pages = true;
    try {
      this.free(pfn, order);
    } finally {
      this.check_pages = saved;
    }
  }

  private free_error(pfn: number, order: number, ao: number): never {
    if ((order >>> 0) > MAX_PAGE_ORDER || (order | 0) !== order) {
      throw new KernelError(`__free_pages: invalid order ${order} (orders are 0..${MAX_PAGE_ORDER})`);
    }
    if (!(pfn >= 0 && pfn < this.maxPfn && (pfn | 0) === pfn) || this.zone_of[pfn >>> 10] === NO_ZONE) {
      throw new KernelError(`__free_pages: pfn ${hex(pfn)} is not a page of RAM`);
    }
    if (ao > 0) throw new KernelError(`__free_pages: pfn ${hex(pfn)} was allocated with order ${ao - 1}, freed with order ${order}`);
    const fb = this.free_block_of(pfn);
    if (fb) throw new KernelError(`BUG: Bad page state in process ${this.current_comm()}  pfn:${pfn.toString(16).padStart(5, '0')}\npage dumped because: double free: pfn ${hex(pfn)} is already free (in an order-${fb.order} block at ${hex(fb.pfn)})`);
    if (this.flags[pfn] & (1 << PG.reserved)) throw new KernelError(`BUG: Bad page state in process ${this.current_comm()}  pfn:${pfn.toString(16).padStart(5, '0')}\npage dumped because: PAGE_FLAGS_CHECK_AT_FREE flag(s) set (PG_reserved: the page was never given to the page allocator)`);
    const ch = this.pages.compound_head[pfn];
    if (ch) throw new KernelError(`__free_pages: pfn ${hex(pfn)} is a tail page of the compound page at ${hex(ch - 1)}`);
    throw new KernelError(`__free_pages: pfn ${hex(pfn)} is not allocated (not the first page of a block from alloc_pages)`);
  }

  /** free_pages_prepare's checks, done before anything changes. */
  private check_free(pfn: number, order: number, tails: boolean): void {
    const m = this.pages.mapping[pfn];
    if ((this.ptype[pfn] | this.pages.mapcount[pfn] | (m & 1 ? 0 : m) | (this.flags[pfn] & PAGE_FLAGS_CHECK_AT_FREE)) !== 0) {
      this.bad_page(pfn, this.bad_reason(pfn)!);
    }
    if (order && tails) {
      const compound = (this.flags[pfn] & (1 << PG.head)) !== 0;
      const end = pfn + (1 << order);
      for (let p = pfn + 1; p < end; p++) {
        if (compound && this.pages.compound_head[p] !== pfn + 1) this.bad_page(p, 'corrupted mapping in compound page');
        const r = this.bad_reason(p, true);
        if (r) this.bad_page(p, r);
      }
    }
  }

  private bad_reason(pfn: number, tail = false): string | null {
    if (this.ptype[pfn] !== PGTY.none || this.pages.mapcount[pfn] !== 0) return 'nonzero mapcount';
    const m = this.pages.mapping[pfn];
    if (m !== 0 && !(m & 1)) return 'non-NULL mapping';
    if (tail && this.refc[pfn] !== 0) return 'nonzero _refcount';
    if (this.flags[pfn] & PAGE_FLAGS_CHECK_AT_FREE) return 'PAGE_FLAGS_CHECK_AT_FREE flag(s) set';
    return null;
  }

  private bad_page(pfn: number, reason: string): never {
    throw new KernelError(
      `BUG: Bad page state in process ${this.current_comm()}  pfn:${pfn.toString(16).padStart(5, '0')}\n` +
      `page: refcount:${this.refc[pfn]} mapcount:${this.pages.mapcount[pfn]} mapping:${this.pages.mapping[pfn] ? hex(this.pages.mapping[pfn]) : '0000000000000000'} index:${hex(this.pages.index[pfn])} pfn:${hex(pfn)}\n` +
      `page dumped because: ${reason}`,
    );
  }

  /**
   * free_pages_prepare's state changes, then the PCP or the buddy lists (free_frozen_pages).
   * `f` is the block's page flags as the caller read them (flags[pfn]).
   */
  private free_frozen(pfn: number, order: number, f: number): void {
    const flags = this.flags;
    if (order && f & (1 << PG.head)) this.clear_compound(pfn, order);
    // PageMappingFlags → mapping = NULL. Anonymous pages are always PG_swapbacked, so other pages
    // skip the read of page->mapping (unless the struct page checks are on).
    if ((f & (1 << PG.swapbacked) || this.check_pages) && this.pages.mapping[pfn] & 1) this.pages.mapping[pfn] = 0;
    flags[pfn] = f & ~PAGE_FLAGS_CLEAR_AT_FREE;
    for (let p = pfn + 1, end = pfn + (1 << order); p < end; p++) flags[p] &= ~PAGE_FLAGS_CLEAR_AT_FREE;
    if (this.tr.enabled) this.trace_free(pfn, order);
    if (order <= PAGE_ALLOC_COSTLY_ORDER || order === this.hpage_pmd_order) this.free_unref_page(pfn, order);
    else this.free_one_page(this.zones[this.zone_of[pfn >>> 10]], pfn, order, FPI_NONE);
  }

  /** The compound page's tails become ordinary pages again (free_tail_page_prepare). */
  private clear_compound(pfn: number, order: number): void {
    this.pages.compound_head.fill(0, pfn + 1, pfn + (1 << order));
    this.pages.compound_order[pfn] = 0;
  }

  private trace_free(pfn: number, order: number): void {
    this.tr.emit('mm_page_free', { pfn, order });
  }

  private free_unref_page(pfn: number, order: number): void {
    let mt = this.pageblock_mt[pfn >>> this.pageblock_order];
    const z = this.zones[this.zone_of[pfn >>> 10]];
    if (mt >= MIGRATE_PCPTYPES) {
      if (mt === MIGRATE_ISOLATE) {
        this.free_one_page(z, pfn, order, FPI_NONE);
        return;
      }
      mt = MIGRATE_MOVABLE;
    }
    this.free_unref_page_commit(z, z.pcp[this.cpu], pfn, mt, order);
  }

  private free_unref_page_commit(z: Zone, pcp: PerCpuPages, pfn: number, mt: number, order: number): void {
    pcp.alloc_factor >>= 1;
    this.ev[this.evPgfree] += 1 << order;
    const pindex = order <= PAGE_ALLOC_COSTLY_ORDER ? MIGRATE_PCPTYPES * order + mt : NR_LOWORDER_PCP_LISTS + (mt === MIGRATE_MOVABLE ? 1 : 0);
    pcp.lists[pindex].push_front(pfn);
    pcp.count += 1 << order;
    const batch = pcp.batch;
    let free_high = false;
    if (order && order <= PAGE_ALLOC_COSTLY_ORDER) {
      free_high = pcp.free_count >= batch && (pcp.flags & PCPF_PREV_FREE_HIGH_ORDER) !== 0 &&
        (!(pcp.flags & PCPF_FREE_HIGH_BATCH) || pcp.count >= batch);
      pcp.flags |= PCPF_PREV_FREE_HIGH_ORDER;
    } else if (pcp.flags & PCPF_PREV_FREE_HIGH_ORDER) pcp.flags &= ~PCPF_PREV_FREE_HIGH_ORDER;
    if (pcp.free_count < batch << PCP_BATCH_SCALE_MAX) pcp.free_count += 1 << order;
    // nr_pcp_high's usual answer inline: high stays, the list is below it.
    const high = (pcp.high = Math.min(Math.max(pcp.high, pcp.high_min), pcp.high_max));
    if (free_high || !high || z.flags & (ZONE_RECLAIM_ACTIVE | ZONE_BELOW_HIGH) || pcp.count >= high) {
      this.free_pcp_above_high(z, pcp, batch, free_high, pindex);
    }
  }

  /** The rest of free_unref_page_commit: nr_pcp_high in full, and the bulk free when above it. */
  private free_pcp_above_high(z: Zone, pcp: PerCpuPages, batch: number, free_high: boolean, pindex: number): void {
    const high = this.nr_pcp_high(pcp, z, batch, free_high);
    if (pcp.count >= high) {
      this.free_pcppages_bulk(z, this.nr_pcp_free(pcp, batch, high, free_high), pcp, pindex);
      if (z.flags & ZONE_BELOW_HIGH && this.zone_watermark_ok(z, 0, z._watermark[WMARK_HIGH] + z.watermark_boost, ZONE_MOVABLE, 0)) {
        z.flags &= ~ZONE_BELOW_HIGH;
      }
    }
  }

  private nr_pcp_high(pcp: PerCpuPages, z: Zone, batch: number, free_high: boolean): number {
    const high_min = pcp.high_min;
    const high_max = pcp.high_max;
    let high = (pcp.high = Math.min(Math.max(pcp.high, high_min), high_max));
    if (!high) return 0;
    if (free_high) {
      pcp.high = Math.max(high - (batch << PCP_BATCH_SCALE_MAX), high_min);
      return 0;
    }
    if (z.flags & ZONE_RECLAIM_ACTIVE) {
      const fc = Math.max(pcp.free_count, batch);
      pcp.high = Math.max(high - fc, high_min);
      return Math.min(batch << 2, pcp.high);
    }
    if (high_min === high_max) return high;
    if (z.flags & ZONE_BELOW_HIGH) {
      const fc = Math.max(pcp.free_count, batch);
      pcp.high = Math.max(high - fc, high_min);
      high = Math.max(pcp.count, high_min);
    } else if (pcp.count >= high) {
      const need_high = pcp.free_count + batch;
      if (pcp.high < need_high) pcp.high = Math.min(Math.max(need_high, high_min), high_max);
    }
    return high;
  }

  private nr_pcp_free(pcp: PerCpuPages, batch: number, high: number, free_high: boolean): number {
    if (free_high) return Math.min(pcp.count, batch << PCP_BATCH_SCALE_MAX);
    if (high < batch) return 1;
    const min_nr_free = batch;
    const max_nr_free = high - batch;
    return Math.min(Math.max(pcp.free_count, min_nr_free), max_nr_free);
  }

  /** free_pcppages_bulk: returns `count` pages from the PCP lists to the buddy lists, round-robin from pindex. */
  free_pcppages_bulk(z: Zone, count: number, pcp: PerCpuPages, pindex: number): void {
    count = Math.min(pcp.count, count);
    pindex = pindex - 1;
    const tr = this.ctx.trace;
    while (count > 0) {
      do {
        if (++pindex > NR_PCP_LISTS - 1) pindex = 0;
      } while (pcp.lists[pindex].n === 0);
      const order = pindex < NR_LOWORDER_PCP_LISTS ? Math.floor(pindex / MIGRATE_PCPTYPES) : this.hpage_pmd_order;
      const nr = 1 << order;
      const list = pcp.lists[pindex];
      do {
        const pfn = list.pop_back();
        count -= nr;
        pcp.count -= nr;
        const mt = this.pageblock_mt[pfn >>> this.pageblock_order];
        this.__free_one_page(pfn, z, order, mt, FPI_NONE);
        if (tr.enabled) tr.emit('mm_page_pcpu_drain', { pfn, order, migratetype: mt });
      } while (count > 0 && list.n !== 0);
    }
  }

  /** drain_pages_zone: empties one CPU's PCP lists of a zone back into the buddy lists. */
  drain_pages_zone(cpu: number, z: Zone): void {
    const pcp = z.pcp[cpu];
    while (pcp.count > 0) this.free_pcppages_bulk(z, Math.min(pcp.count, pcp.batch << PCP_BATCH_SCALE_MAX), pcp, 0);
  }

  /** drain_all_pages: empties every CPU's PCP lists (of one zone, or of all zones). */
  drain_all_pages(z?: Zone): void {
    const zs = z ? [z] : this.zones.filter((x) => x.populated);
    for (const zz of zs) for (let c = 0; c < zz.pcp.length; c++) this.drain_pages_zone(c, zz);
  }

  /** decay_pcp_high: the periodic (vmstat_update) shrink of pcp->high back toward high_min. */
  decay_pcp_high(z: Zone, pcp: PerCpuPages): void {
    const high_min = pcp.high_min;
    const batch = pcp.batch;
    if (pcp.high > high_min) pcp.high = Math.max(pcp.count - (batch << PCP_BATCH_SCALE_MAX), pcp.high - (pcp.high >> 3), high_min);
    let to_drain = pcp.count - pcp.high;
    while (to_drain > 0) {
      const n = Math.min(to_drain, batch);
      this.free_pcppages_bulk(z, n, pcp, 0);
      to_drain -= n;
    }
  }

  /**
   * __isolate_free_page: takes a free block off its list for compaction (obeying the min
   * watermark as if allocating); returns the pages isolated, 0 if the watermark forbids it.
   * The block then counts as allocated (one reference, its order remembered) until
   * __putback_isolated_page or free(pfn, order) returns it.
   */
  __isolate_free_page(pfn: number, order: number): number {
    const z = this.page_zone(pfn);
    if (!z || this.buddy_order(pfn) !== order) throw new KernelError(`__isolate_free_page: pfn ${hex(pfn)} is not a free block of order ${order}`);
    if (this.isDeferred(pfn)) this.deferred_flush(z);
    const mt = this.get_pageblock_migratetype(pfn);
    if (mt !== MIGRATE_ISOLATE) {
      const wm = z._watermark[WMARK_MIN] + (1 << order);
      if (!this.zone_watermark_ok(z, 0, wm, 0, ALLOC_CMA)) return 0;
    }
    this.del_from_free_list(z, pfn, order, mt);
    this.account_freepages(z, -(1 << order), mt);
    this.refc[pfn] = 1;
    this.allocOrder[pfn] = order + 1;
    if (order >= this.pageblock_order - 1) {
      for (let p = pfn; p < pfn + (1 << order) - 1; p += this.pageblock_nr_pages) {
        const bmt = this.get_pageblock_migratetype(p);
        if (bmt < MIGRATE_PCPTYPES) {
          const r = this.prep_move_freepages_block(z, p);
          if (r) this.__move_freepages_block(z, r.start, bmt, MIGRATE_MOVABLE);
        }
      }
    }
    return 1 << order;
  }

  /** __putback_isolated_page: returns an isolated block to the tail of its free list. */
  __putback_isolated_page(pfn: number, order: number, mt: number): void {
    const z = this.page_zone(pfn);
    if (!z || this.allocOrder[pfn] !== order + 1) throw new KernelError(`__putback_isolated_page: pfn ${hex(pfn)} is not an isolated block of order ${order}`);
    this.refc[pfn] = 0;
    this.allocOrder[pfn] = 0;
    this.__free_one_page(pfn, z, order, mt, FPI_TO_TAIL);
  }

  /**
   * split_page: turns an allocated non-compound block of `order` into 2^order order-0 pages, each
   * with its own reference (as mm/page_alloc.c split_page does).
   */
  split_page(pfn: number, order: number): void {
    if (this.allocOrder[pfn] !== order + 1) this.free_error(pfn, order, this.allocOrder[pfn]);
    if (this.flags[pfn] & (1 << PG.head)) throw new KernelError(`split_page: pfn ${hex(pfn)} is a compound page (use split_folio)`);
    for (let i = 0; i < 1 << order; i++) {
      this.allocOrder[pfn + i] = 1;
      this.refc[pfn + i] = 1;
    }
  }

  // ------------------------------------------------------------------ zone setup (watermarks, PCP)

  /** nr_free_buffer_pages: Σ over zones <= NORMAL of max(managed - high watermark, 0). */
  nr_free_buffer_pages(): number {
    let s = 0;
    for (const z of this.zones) if (z.idx <= ZONE_NORMAL) s += Math.max(z.managed_pages - z._watermark[WMARK_HIGH], 0);
    return s;
  }

  /** calculate_min_free_kbytes (keeps a value the user set that is larger). */
  calculate_min_free_kbytes(): void {
    const lowmem_kbytes = this.nr_free_buffer_pages() * 4;
    const v = int_sqrt(lowmem_kbytes * 16);
    if (v > this.user_min_free_kbytes) this.min_free_kbytes = Math.min(262144, Math.max(128, v));
    else this.ctx.dmesg.push(`min_free_kbytes is not updated to ${v} because user defined value ${this.user_min_free_kbytes} is preferred`);
  }

  /** __setup_per_zone_wmarks + zone_pcp_update of every zone (setup_per_zone_wmarks). */
  setup_per_zone_wmarks(): void {
    const pages_min = this.min_free_kbytes >> 2;
    let lowmem_pages = 0;
    for (const z of this.zones) if (z.idx !== ZONE_HIGHMEM && z.idx !== ZONE_MOVABLE) lowmem_pages += z.managed_pages;
    for (const z of this.zones) {
      const managed = z.managed_pages;
      let tmp = lowmem_pages ? Math.floor((pages_min * managed) / lowmem_pages) : 0;
      if (z.idx === ZONE_HIGHMEM || z.idx === ZONE_MOVABLE) {
        z._watermark[WMARK_MIN] = Math.min(Math.max(Math.floor(managed / 1024), 32), 128);
      } else z._watermark[WMARK_MIN] = tmp;
      tmp = Math.max(tmp >> 2, Math.floor((managed * this.watermark_scale_factor) / 10000));
      z.watermark_boost = 0;
      z._watermark[WMARK_LOW] = z._watermark[WMARK_MIN] + tmp;
      z._watermark[WMARK_HIGH] = z._watermark[WMARK_LOW] + tmp;
      z._watermark[WMARK_PROMO] = z._watermark[WMARK_HIGH] + tmp;
    }
    this.calculate_totalreserve_pages();
    for (const z of this.zones) this.zone_pcp_update(z);
  }

  /** setup_per_zone_lowmem_reserve: protection of lower zones from allocations that could go higher. */
  setup_per_zone_lowmem_reserve(): void {
    for (const pg of this.pgdat) {
      for (let i = 0; i < MAX_NR_ZONES - 1; i++) {
        const z = pg.node_zones[i];
        const ratio = this.lowmem_reserve_ratio[i];
        const clear = !ratio || !z.managed_pages;
        let managed = 0;
        for (let j = i + 1; j < MAX_NR_ZONES; j++) {
          managed += pg.node_zones[j].managed_pages;
          z.lowmem_reserve[j] = clear ? 0 : Math.floor(managed / ratio);
        }
      }
    }
    this.calculate_totalreserve_pages();
  }

  /** calculate_totalreserve_pages. */
  calculate_totalreserve_pages(): void {
    let total = 0;
    for (const pg of this.pgdat) {
      pg.totalreserve_pages = 0;
      for (let i = 0; i < MAX_NR_ZONES; i++) {
        const z = pg.node_zones[i];
        let max = 0;
        for (let j = i; j < MAX_NR_ZONES; j++) if (z.lowmem_reserve[j] > max) max = z.lowmem_reserve[j];
        max += z._watermark[WMARK_HIGH];
        if (max > z.managed_pages) max = z.managed_pages;
        pg.totalreserve_pages += max;
        total += max;
      }
    }
    this.totalreserve_pages = total;
  }

  /** zone_highsize: the PCP high limit from the low watermark (or a fraction of the zone) per CPU of the node. */
  zone_highsize(z: Zone, batch: number, high_fraction: number): number {
    const total = high_fraction ? Math.floor(z.managed_pages / high_fraction) : z._watermark[WMARK_LOW];
    let nr_split = this.pgdat[z.node].cpus.length;
    if (!nr_split) nr_split = this.ctx.nr_cpus;
    return Math.max(Math.floor(total / nr_split), batch << 2);
  }

  /** zone_pcp_update → zone_set_pageset_high_and_batch. */
  zone_pcp_update(z: Zone): void {
    const batch = Math.max(1, zone_batchsize(z.managed_pages));
    let high_min: number;
    let high_max: number;
    if (this.percpu_pagelist_high_fraction) high_min = high_max = this.zone_highsize(z, batch, this.percpu_pagelist_high_fraction);
    else {
      high_min = this.zone_highsize(z, batch, 0);
      high_max = this.zone_highsize(z, batch, 8);
    }
    for (const pcp of z.pcp) {
      pcp.batch = batch;
      pcp.high_min = high_min;
      pcp.high_max = high_max;
    }
  }

  /**
   * khugepaged's set_recommended_min_free_kbytes, for the THP subsystem to call when khugepaged
   * starts (THP enabled = always or madvise): raises min_free_kbytes to keep about 11 pageblocks
   * per lowmem zone free (capped at 5 % of lowmem), then recomputes the watermarks. With THP off
   * it recomputes min_free_kbytes from scratch, as the kernel does.
   */
  set_recommended_min_free_kbytes(thp_enabled: boolean): void {
    if (!thp_enabled) this.calculate_min_free_kbytes();
    else {
      let nr_zones = 0;
      const userZone = this.gfp_zone(0x100cc0); // gfp_zone(GFP_USER)
      for (const z of this.zones) if (z.populated && z.idx <= userZone) nr_zones++;
      let rec = this.pageblock_nr_pages * nr_zones * 2 + this.pageblock_nr_pages * nr_zones * MIGRATE_PCPTYPES * MIGRATE_PCPTYPES;
      rec = Math.min(rec, Math.floor(this.nr_free_buffer_pages() / 20)) * 4;
      if (rec > this.min_free_kbytes) {
        if (this.user_min_free_kbytes >= 0) this.ctx.dmesg.push(`raising min_free_kbytes from ${this.min_free_kbytes} to ${rec} to help transparent hugepage allocations`);
        this.min_free_kbytes = rec;
      }
    }
    this.setup_per_zone_wmarks();
  }

  /** init_per_zone_wmark_min: the boot-time computation of min_free_kbytes, watermarks and reserves. */
  init_per_zone_wmark_min(): void {
    this.init_nofragment();
    this.calculate_min_free_kbytes();
    this.setup_per_zone_wmarks();
    this.setup_per_zone_lowmem_reserve();
  }

  // ------------------------------------------------------------------ counting

  /** Pages on every PCP list of a zone. */
  zone_pcp_pages(z: Zone): number {
    let s = 0;
    for (const p of z.pcp) s += p.count;
    return s;
  }

  /** Blocks on the free list (zone, order, mt), as pagetypeinfo counts them. */
  free_list_count(z: Zone, order: number, mt: number): number {
    return z.freeCount[order * MIGRATE_TYPES + mt];
  }

  /** Name of a migratetype. */
  static migratetype_name(mt: number): string {
    return MIGRATETYPE_NAMES[mt];
  }
}
