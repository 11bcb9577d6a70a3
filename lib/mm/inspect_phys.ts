/**
 * Snapshots of physical memory for views: zones, the memory map, free blocks, e820, memblock,
 * and a decoded struct page.
 *
 * Mirrors: what /proc/zoneinfo, /proc/buddyinfo, /proc/pagetypeinfo and mm/debug.c's dump_page
 * show, in plain data; crash's `kmem -p` / drgn's page views.
 * Models: JSON-safe objects detached from the System (lib/view/snapshots.ts types). Deferred
 * order-10 blocks (see page_alloc.ts) appear exactly as initialised free blocks would; the zone
 * snapshot does not distinguish them (the kernel's /proc would not either); inspectDeferred shows them.
 * Simplifies: a scaled memory map reports per-state counts per cell and colours the cell by the
 * most common state.
 * See: chapter 01 (mem_map and struct page), chapter 03 (the buddy allocator).
 */
import { KernelError } from '../base/errors.js';
import { hex } from '../base/format.js';
import type { System } from '../system.js';
import type { FreeBlock, MemmapCell, MemmapSnapshot, PageState, ZoneSnapshot } from '../view/snapshots.js';
import { e820_type_name, type E820Entry } from '../arch/x86/e820.js';
import { MIGRATE_TYPES, MIGRATETYPE_NAMES, ZONE_NAMES } from './gfp.js';
import type { MemblockRegion } from './memblock.js';
import { NO_PFN } from './mm_types.js';
import { NR_LOWORDER_PCP_LISTS, NR_PAGE_ORDERS, NR_PCP_LISTS } from './mmzone.js';
import { decode_page_flags, PG, PGTY, pagetype_name } from './page_flags.js';

/** A decoded struct page (sys.page(pfn)). */
export interface PageView {
  pfn: number;
  /** Physical address, hex. */
  phys: string;
  node: number;
  /** Zone name, '' if the pfn is in no zone. */
  zone: string;
  /** Flag names, kernel order. */
  flags: string[];
  /** Page type name ('buddy', 'slab', 'table', ...) or ''. */
  page_type: string;
  refcount: number;
  /** Number of page-table mappings. */
  mapcount: number;
  /** page->mapping handle (low bit 1 = anonymous). */
  mapping: number;
  index: number;
  private: number;
  /** Order: of the free block this page heads, or of the allocated block / compound page it heads. */
  order?: number;
  /** Migratetype of the page's pageblock. */
  migratetype: string;
  /** For a compound tail: the head pfn. */
  compound_head?: number;
  /** What the page is used for, as the memory-map pictures colour it. */
  state: PageState;
}

function zoneOf(sys: System, pfn: number): { node: number; zone: string } {
  const z = sys.buddy.page_zone(pfn);
  return z ? { node: z.node, zone: z.name } : { node: -1, zone: '' };
}

function isRam(sys: System, pfn: number): boolean {
  for (const r of sys.boot.memblock_at_handover.memory) if (pfn >= r.base / 4096 && pfn < (r.base + r.size) / 4096) return true;
  return false;
}

/** Map from pfn to order for every page on a PCP list. */
function pcpMap(sys: System): Map<number, number> {
  const m = new Map<number, number>();
  const b = sys.buddy;
  for (const z of b.zones) {
    if (!z.populated) continue;
    for (const pcp of z.pcp) {
      for (let pi = 0; pi < NR_PCP_LISTS; pi++) {
        const o = pi < NR_LOWORDER_PCP_LISTS ? Math.floor(pi / 3) : b.hpage_pmd_order;
        const list = pcp.lists[pi];
        for (let i = 0; i < list.n; i++) m.set(list.at(i), o);
      }
    }
  }
  return m;
}

function stateOf(sys: System, pfn: number, pcp: Map<number, number> | null): PageState {
  const pages = sys.pages;
  if (!isRam(sys, pfn) && !(pages.flags[pfn] & (1 << PG.reserved))) return 'hole';
  if (!isRam(sys, pfn)) return 'hole';
  if (pages.flags[pfn] & (1 << PG.reserved)) return 'reserved';
  if (sys.buddy.free_block_of(pfn)) return 'free';
  const head = pages.head(pfn);
  if (pcp) {
    for (let o = 0; o <= 9; o++) {
      const h = pfn - (pfn % (1 << o));
      const po = pcp.get(h);
      if (po !== undefined && h + (1 << po) > pfn) return 'pcp';
    }
  }
  const t = pages.page_type[head];
  if (t === PGTY.slab) return 'slab';
  if (t === PGTY.table) return 'pagetable';
  const m = pages.mapping[head];
  if (m) return m & 1 ? 'anon' : 'file';
  return 'allocated';
}

/** The decoded struct page of pfn; a KernelError when pfn is not a page of RAM. */
export function pageView(sys: System, pfn: number): PageView {
  if (!Number.isInteger(pfn) || pfn < 0 || pfn >= sys.pages.max_pfn || !isRam(sys, pfn)) {
    throw new KernelError(`page: pfn ${typeof pfn === 'number' && Number.isFinite(pfn) ? hex(pfn) : String(pfn)} is not a page of RAM (max_pfn ${hex(sys.boot.max_pfn)})`);
  }
  const b = sys.buddy;
  const p = sys.pages;
  const { node, zone } = zoneOf(sys, pfn);
  const v: PageView = {
    pfn,
    phys: hex(pfn * 4096),
    node,
    zone,
    flags: decode_page_flags(p.flags[pfn]),
    page_type: pagetype_name(p.page_type[pfn]),
    refcount: p._refcount[pfn],
    mapcount: p.mapcount[pfn],
    mapping: p.mapping[pfn],
    index: p.index[pfn],
    private: p.private_[pfn],
    migratetype: MIGRATETYPE_NAMES[b.get_pageblock_migratetype(pfn)],
    state: stateOf(sys, pfn, pcpMap(sys)),
  };
  const bo = b.buddy_order(pfn);
  if (bo >= 0) {
    v.page_type = 'buddy';
    v.private = bo;
    v.order = bo;
  } else if (b.allocOrder[pfn] > 0) v.order = b.allocOrder[pfn] - 1;
  else if (p.flags[pfn] & (1 << PG.head)) v.order = p.compound_order[pfn];
  if (p.compound_head[pfn]) v.compound_head = p.compound_head[pfn] - 1;
  return v;
}

/** Every populated zone (and the empty ones of populated nodes), as /proc/zoneinfo sees it. */
export function inspectZones(sys: System): ZoneSnapshot[] {
  const b = sys.buddy;
  const out: ZoneSnapshot[] = [];
  for (const z of b.zones) {
    if (!z.present_pages) continue;
    const free_by_type: number[][] = [];
    for (let mt = 0; mt < MIGRATE_TYPES; mt++) {
      const row: number[] = [];
      for (let o = 0; o < NR_PAGE_ORDERS; o++) row.push(z.freeCount[o * MIGRATE_TYPES + mt]);
      free_by_type.push(row);
    }
    const blocks_by_type = new Array<number>(MIGRATE_TYPES).fill(0);
    const start = z.zone_start_pfn - (z.zone_start_pfn % b.pageblock_nr_pages);
    for (let p = start; p < z.zone_end_pfn; p += b.pageblock_nr_pages) {
      // pagetypeinfo_showblockcount_print counts pageblocks whose first page is valid and in the zone.
      const first = Math.max(p, z.zone_start_pfn);
      if (!isRam(sys, first) && !(sys.pages.flags[first] & (1 << PG.reserved))) continue;
      blocks_by_type[b.get_pageblock_migratetype(p)]++;
    }
    out.push({
      node: z.node,
      zone: z.name,
      zoneIdx: z.idx,
      start_pfn: z.zone_start_pfn,
      spanned: z.spanned_pages,
      present: z.present_pages,
      managed: z.managed_pages,
      free: b.zone_free(z),
      min: z._watermark[0],
      low: z._watermark[1],
      high: z._watermark[2],
      promo: z._watermark[3],
      boost: z.watermark_boost,
      lowmem_reserve: Array.from(z.lowmem_reserve),
      nr_free: Array.from(z.nr_free),
      free_by_type,
      blocks_by_type,
      pcp: z.pcp.map((pcp, cpu) => ({ cpu, count: pcp.count, high: pcp.high, batch: pcp.batch })),
    });
  }
  return out;
}

/**
 * The physical memory map over [start, end) pfns in at most `cells` cells (default 4096): one page
 * per cell when it fits, else a power-of-two number of pages per cell with per-state counts.
 */
export function inspectMemmap(sys: System, opts: { start?: number; end?: number; cells?: number } = {}): MemmapSnapshot {
  const start = Math.max(0, Math.floor(opts.start ?? 0));
  const end = Math.min(sys.pages.max_pfn, Math.floor(opts.end ?? sys.boot.max_pfn));
  if (!(end > start)) throw new KernelError(`inspectMemmap: empty range [${start}, ${end})`);
  const maxCells = Math.max(1, Math.floor(opts.cells ?? 4096));
  let ppc = 1;
  while (Math.ceil((end - start) / ppc) > maxCells) ppc *= 2;
  const pcp = pcpMap(sys);
  const b = sys.buddy;
  const cells: MemmapCell[] = [];
  const mem = sys.boot.memblock_at_handover.memory.map((r) => [r.base / 4096, (r.base + r.size) / 4096] as const);
  const inRam = (p: number): boolean => mem.some(([s, e]) => p >= s && p < e);
  for (let c = start; c < end; c += ppc) {
    const ce = Math.min(end, c + ppc);
    const { node, zone } = zoneOf(sys, c);
    const cell: MemmapCell = {
      pfn: c,
      state: 'hole',
      zone,
      node,
      migratetype: zone ? MIGRATETYPE_NAMES[b.get_pageblock_migratetype(c)] : '',
    };
    if (ppc === 1) {
      cell.state = inRam(c) ? stateOf(sys, c, pcp) : 'hole';
      const bo = b.buddy_order(c);
      if (bo >= 0) cell.order = bo;
      else if (sys.pages.flags[c] & (1 << PG.head)) cell.order = sys.pages.compound_order[c];
      else if (b.allocOrder[c] > 1) cell.order = b.allocOrder[c] - 1;
    } else {
      const counts: Partial<Record<PageState, number>> = {};
      const add = (k: PageState, n: number): void => {
        counts[k] = (counts[k] ?? 0) + n;
      };
      const flags = sys.pages.flags;
      const RES = 1 << PG.reserved;
      // Walk the cell range by RAM ranges: holes in bulk, free blocks and reserved runs in bulk.
      let p = c;
      for (const [rs, re] of mem) {
        if (re <= p) continue;
        if (rs >= ce) break;
        if (rs > p) {
          add('hole', rs - p);
          p = rs;
        }
        const e = Math.min(ce, re);
        while (p < e) {
          if (flags[p] & RES) {
            const s0 = p;
            while (p < e && flags[p] & RES) p++;
            add('reserved', p - s0);
            continue;
          }
          const fb = b.free_block_of(p);
          if (fb) {
            const n = Math.min(e, fb.pfn + (1 << fb.order)) - p;
            add('free', n);
            p += n;
            continue;
          }
          add(stateOf(sys, p, pcp), 1);
          p++;
        }
      }
      if (p < ce) add('hole', ce - p);
      let best: PageState = 'hole';
      let bestN = -1;
      for (const [k, v] of Object.entries(counts) as [PageState, number][]) if (v > bestN) {
        best = k;
        bestN = v;
      }
      cell.state = best;
      cell.counts = counts;
    }
    cells.push(cell);
  }
  const zones: MemmapSnapshot['zones'] = [];
  for (const z of b.zones) {
    if (!z.spanned_pages) continue;
    const s = Math.max(start, z.zone_start_pfn);
    const e = Math.min(end, z.zone_end_pfn);
    if (s < e) zones.push({ node: z.node, zone: z.name, start_pfn: s, end_pfn: e });
  }
  return { start_pfn: start, end_pfn: end, pagesPerCell: ppc, cells, zones };
}

/** The free blocks of one zone, list order, up to maxBlocks (default 256). */
export function inspectFreeBlocks(sys: System, node: number, zoneIdx: number, maxBlocks = 256): FreeBlock[] {
  const pg = sys.buddy.pgdat[node];
  if (!pg) throw new KernelError(`inspectFreeBlocks: no node ${node}`);
  const z = pg.node_zones[zoneIdx];
  if (!z) throw new KernelError(`inspectFreeBlocks: no zone ${zoneIdx} (${ZONE_NAMES.join(', ')})`);
  const out: FreeBlock[] = [];
  for (let o = 0; o < NR_PAGE_ORDERS; o++) {
    for (let mt = 0; mt < MIGRATE_TYPES; mt++) {
      for (let p = z.freeHead[o * MIGRATE_TYPES + mt]; p !== NO_PFN; p = sys.pages.lru_next[p]) {
        if (out.length >= maxBlocks) return out;
        out.push({ pfn: p, order: o, migratetype: MIGRATETYPE_NAMES[mt] });
        if (p === z.deferred_next) {
          for (let q = p + 1024; q < z.deferred_end && out.length < maxBlocks; q += 1024) out.push({ pfn: q, order: o, migratetype: MIGRATETYPE_NAMES[mt] });
        }
      }
    }
  }
  return out;
}

/** The firmware memory map as printed at boot. */
export function inspectE820(sys: System): { start: number; end: number; type: string }[] {
  return sys.e820.map((e: E820Entry) => ({ start: e.addr, end: e.addr + e.size, type: e820_type_name(e.type) }));
}

/** memblock's regions as they were at the hand-over to the buddy allocator, plus its settings. */
export function inspectMemblock(sys: System): { memory: MemblockRegion[]; reserved: MemblockRegion[]; bottom_up: boolean; frozen: boolean } {
  const h = sys.boot.memblock_at_handover;
  return { memory: h.memory.map((r) => ({ ...r })), reserved: h.reserved.map((r) => ({ ...r })), bottom_up: sys.memblock.bottom_up, frozen: sys.memblock.frozen };
}

/**
 * The deferred order-10 blocks of each zone (the simulator's deferred struct page init): free
 * blocks counted in nr_free and NR_FREE_PAGES whose struct pages are not written yet. They are
 * handed out in list order exactly as initialised blocks would be; this view only says how many
 * are still implicit, for the chapter that explains why a terabyte machine boots in a blink.
 */
export function inspectDeferred(sys: System): { node: number; zone: string; first_pfn: number; end_pfn: number; blocks: number; note: string }[] {
  const out: { node: number; zone: string; first_pfn: number; end_pfn: number; blocks: number; note: string }[] = [];
  for (const z of sys.buddy.zones) {
    if (z.deferred_next === NO_PFN) continue;
    out.push({
      node: z.node,
      zone: z.name,
      first_pfn: z.deferred_next,
      end_pfn: z.deferred_end,
      blocks: (z.deferred_end - z.deferred_next) / 1024,
      note: 'free order-10 MOVABLE blocks; the first is on the list, the rest are initialised one by one as it is taken (CONFIG_DEFERRED_STRUCT_PAGE_INIT)',
    });
  }
  return out;
}
