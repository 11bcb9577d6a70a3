/**
 * Memory initialisation at boot: zone ranges, node and zone sizes, the memory map, zonelists, and
 * the hand-over of free memory from memblock to the buddy allocator.
 *
 * Mirrors: mm/mm_init.c (free_area_init, calculate_node_totalpages, zone_spanned_pages_in_node,
 * memmap_init, memmap_init_zone_range, init_unavailable_range, mem_init_print_info),
 * mm/memblock.c (memblock_free_all, free_low_memory_core_early, __free_memory_core,
 * __free_pages_memory, memmap_init_reserved_pages), mm/page_alloc.c (build_all_zonelists,
 * build_zonelists, find_next_best_node, build_zonerefs_node), arch/x86/mm/init.c
 * (zone_sizes_init: MAX_DMA_PFN, MAX_DMA32_PFN, max_low_pfn), arch/x86/mm/highmem_32.c
 * (set_highmem_pages_init: highmem pages freed one by one).
 * Models: x86-64 zones DMA (< 16 MiB), DMA32 (< 4 GiB), Normal (the rest); i386 zones DMA (< 16 MiB),
 * Normal (< 896 MiB) and HighMem. spanned/present/managed exactly as the kernel derives them; every
 * pageblock starts MOVABLE; reserved memory and holes inside present sections are PG_reserved with
 * one reference; free ranges are handed over in ascending pfn order as maximal aligned blocks with
 * FPI_TO_TAIL; lowmem only on i386, highmem page by page afterwards.
 * Simplifies: each zone's last free range with whole order-10 blocks (on big machines, the bulk of
 * the zone) is not initialised page by page: its aligned order-10 blocks become the zone's deferred run (see page_alloc.ts), the counterpart of
 * CONFIG_DEFERRED_STRUCT_PAGE_INIT; /proc and the allocator see exactly what eager initialisation
 * gives. No ZONE_MOVABLE (kernelcore= is not modelled), no memory hotplug.
 * See: chapter 01 (physical memory and boot), chapter 02 (nodes, zones, GFP).
 */
import { hex } from '../base/format.js';
import { MAX_NR_ZONES, MIGRATE_MOVABLE, ZONE_DMA, ZONE_DMA32, ZONE_HIGHMEM, ZONE_MOVABLE, ZONE_NAMES, ZONE_NORMAL } from './gfp.js';
import type { Memblock } from './memblock.js';
import { MAX_PAGE_ORDER, type PgData } from './mmzone.js';
import type { Buddy } from './page_alloc.js';
import { PG } from './page_flags.js';

/** MAX_DMA_PFN: 16 MiB. */
export const MAX_DMA_PFN = (16 << 20) >> 12;
/** MAX_DMA32_PFN: 4 GiB. */
export const MAX_DMA32_PFN = 2 ** 32 / 4096;
/** The i386 lowmem limit with VMSPLIT_3G: 896 MiB. */
export const I386_MAXMEM_PFN = (896 << 20) >> 12;

/** Upper pfn limit of each zone type for an architecture (max_zone_pfns in zone_sizes_init). */
export function max_zone_pfns(arch: 'x86_64' | 'i386', max_pfn: number): number[] {
  const z = new Array<number>(MAX_NR_ZONES).fill(0);
  z[ZONE_DMA] = Math.min(MAX_DMA_PFN, max_pfn);
  if (arch === 'x86_64') {
    z[ZONE_DMA32] = Math.min(MAX_DMA32_PFN, max_pfn);
    z[ZONE_NORMAL] = max_pfn;
    z[ZONE_HIGHMEM] = max_pfn;
  } else {
    z[ZONE_DMA32] = z[ZONE_DMA];
    z[ZONE_NORMAL] = Math.min(I386_MAXMEM_PFN, max_pfn);
    z[ZONE_HIGHMEM] = max_pfn;
  }
  z[ZONE_MOVABLE] = max_pfn;
  return z;
}

/** Pages per SPARSEMEM section: 128 MiB on x86-64, 64 MiB on i386 (512 MiB with PAE). */
export function pages_per_section(arch: 'x86_64' | 'i386', pae: boolean): number {
  return arch === 'x86_64' ? 1 << 15 : pae ? 1 << 17 : 1 << 14;
}

/** A memory range of memblock in pfns. */
interface PfnRange {
  start: number;
  end: number;
  nid: number;
}

function memPfnRanges(mb: Memblock): PfnRange[] {
  return mb.memory.list().map((r) => ({ start: Math.ceil(r.base / 4096), end: Math.floor((r.base + r.size) / 4096), nid: r.nid })).filter((r) => r.end > r.start);
}

/**
 * free_area_init: computes every zone's start, spanned and present pages from memblock.memory and
 * the arch zone limits, fills the pfn → zone table and prints "Zone ranges", "Movable zone start",
 * "Early memory node ranges" and "Initmem setup node" lines.
 */
export function free_area_init(buddy: Buddy, mb: Memblock, arch: 'x86_64' | 'i386', max_pfn: number, log: (l: string) => void): void {
  const limits = max_zone_pfns(arch, max_pfn);
  const ranges = memPfnRanges(mb);
  const min_pfn = ranges.length ? ranges[0].start : 0;
  // arch_zone_lowest/highest_possible_pfn
  const lowest: number[] = [];
  const highest: number[] = [];
  let start = min_pfn;
  for (let i = 0; i < MAX_NR_ZONES; i++) {
    if (i === ZONE_MOVABLE) {
      lowest[i] = highest[i] = 0;
      continue;
    }
    const end = Math.max(limits[i], start);
    lowest[i] = start;
    highest[i] = end;
    start = end;
  }
  log('Zone ranges:');
  for (let i = 0; i < MAX_NR_ZONES; i++) {
    if (i === ZONE_MOVABLE) continue;
    if (arch === 'x86_64' && i === ZONE_HIGHMEM) continue;
    if (arch === 'i386' && i === ZONE_DMA32) continue;
    const name = ZONE_NAMES[i].padEnd(8);
    if (lowest[i] === highest[i]) log(`  ${name} empty`);
    else log(`  ${name} [mem ${hex(lowest[i] * 4096, 16)}-${hex(highest[i] * 4096 - 1, 16)}]`);
  }
  log('Movable zone start for each node');
  log('Early memory node ranges');
  for (const r of ranges) log(`  node ${String(r.nid).padStart(3)}: [mem ${hex(r.start * 4096, 16)}-${hex(r.end * 4096 - 1, 16)}]`);
  for (const pg of buddy.pgdat) {
    const mine = ranges.filter((r) => r.nid === pg.node_id);
    if (!mine.length) {
      log(`Initmem setup node ${pg.node_id} as memoryless`);
      continue;
    }
    const ns = mine[0].start;
    const ne = mine[mine.length - 1].end;
    pg.node_start_pfn = ns;
    pg.node_spanned_pages = ne - ns;
    log(`Initmem setup node ${pg.node_id} [mem ${hex(ns * 4096, 16)}-${hex(ne * 4096 - 1, 16)}]`);
    let present = 0;
    for (let i = 0; i < MAX_NR_ZONES; i++) {
      const z = pg.node_zones[i];
      if (i === ZONE_MOVABLE || (arch === 'x86_64' && i === ZONE_HIGHMEM) || (arch === 'i386' && i === ZONE_DMA32)) {
        z.zone_start_pfn = 0;
        continue;
      }
      const zs = Math.min(Math.max(ns, lowest[i]), highest[i]);
      const ze = Math.min(Math.max(ne, lowest[i]), highest[i]);
      if (ze <= zs) {
        z.zone_start_pfn = 0;
        z.spanned_pages = 0;
        continue;
      }
      z.zone_start_pfn = zs;
      z.spanned_pages = ze - zs;
      let p = 0;
      for (const r of mine) p += Math.max(0, Math.min(r.end, ze) - Math.max(r.start, zs));
      z.present_pages = p;
      present += p;
      for (let b = Math.floor(zs / 1024); b < Math.ceil(ze / 1024); b++) buddy.zone_of[b] = z.id;
    }
    pg.node_present_pages = present;
    let nr = 0;
    for (let i = 0; i < MAX_NR_ZONES; i++) if (pg.node_zones[i].present_pages) nr = i + 1;
    pg.nr_zones = nr;
  }
  // Every pageblock starts MOVABLE (memmap_init_range with MIGRATE_MOVABLE).
  buddy.pageblock_mt.fill(MIGRATE_MOVABLE);
}

/**
 * memmap_init: reserved struct pages for the holes inside present sections (init_unavailable_range,
 * with the kernel's "pages in unavailable ranges" lines). Returns the number of hole pages.
 */
export function memmap_init(buddy: Buddy, mb: Memblock, pps: number, log: (l: string) => void): number {
  const ranges = memPfnRanges(mb);
  const present = new Set<number>();
  for (const r of ranges) for (let s = Math.floor(r.start / pps); s <= Math.floor((r.end - 1) / pps); s++) present.add(s);
  const pfn_valid = (pfn: number): boolean => present.has(Math.floor(pfn / pps));
  let total = 0;
  const unavailable = (spfn: number, epfn: number, zoneIdx: number, nid: number): void => {
    let cnt = 0;
    for (let pfn = spfn; pfn < epfn; pfn++) {
      if (!pfn_valid(pfn)) {
        pfn = (Math.floor(pfn / pps) + 1) * pps - 1;
        continue;
      }
      const e = Math.min(epfn, (Math.floor(pfn / pps) + 1) * pps);
      buddy.pages.flags.fill(1 << PG.reserved, pfn, e);
      buddy.pages._refcount.fill(1, pfn, e);
      cnt += e - pfn;
      pfn = e - 1;
    }
    if (cnt) log(`On node ${nid}, zone ${ZONE_NAMES[zoneIdx]}: ${cnt} pages in unavailable ranges`);
    total += cnt;
  };
  let hole_pfn = 0;
  let zone_id = 0;
  let nid = 0;
  let end_pfn = 0;
  for (const r of ranges) {
    const pg = buddy.pgdat[r.nid];
    nid = r.nid;
    end_pfn = r.end;
    for (let j = 0; j < MAX_NR_ZONES; j++) {
      const z = pg.node_zones[j];
      if (!z.populated) continue;
      const s = Math.min(Math.max(r.start, z.zone_start_pfn), z.zone_end_pfn);
      const e = Math.min(Math.max(r.end, z.zone_start_pfn), z.zone_end_pfn);
      zone_id = j;
      if (s >= e) continue;
      if (hole_pfn < s) unavailable(hole_pfn, s, j, r.nid);
      hole_pfn = e;
    }
  }
  end_pfn = Math.ceil(end_pfn / pps) * pps;
  if (hole_pfn < end_pfn) unavailable(hole_pfn, end_pfn, zone_id, nid);
  return total;
}

/**
 * memblock_free_all: marks reserved memory PG_reserved, then frees every free range to the buddy
 * allocator (ascending, maximal aligned blocks, FPI_TO_TAIL). `lowmem_end_pfn` limits the hand-over
 * (max_low_pfn on i386; highmem is freed afterwards by {@link free_highmem_pages}). One run per zone
 * becomes the deferred run. memblock is frozen afterwards. Returns the pages freed.
 */
export function memblock_free_all(buddy: Buddy, mb: Memblock, lowmem_end_pfn: number): number {
  // memmap_init_reserved_pages: reserved regions inside memory get PG_reserved.
  const mem = memPfnRanges(mb);
  for (const r of mb.reserved.list()) {
    const s = Math.floor(r.base / 4096);
    const e = Math.ceil((r.base + r.size) / 4096);
    for (const m of mem) {
      const a = Math.max(s, m.start);
      const b = Math.min(e, m.end);
      if (a < b) {
        buddy.pages.flags.fill(1 << PG.reserved, a, b);
        buddy.pages._refcount.fill(1, a, b);
      }
    }
  }
  // The free ranges in pfns, split at zone boundaries.
  const pieces: { start: number; end: number }[] = [];
  for (const f of mb.free_ranges()) {
    let s = Math.ceil(f.start / 4096);
    const e = Math.min(Math.floor(f.end / 4096), lowmem_end_pfn);
    while (s < e) {
      const z = buddy.page_zone(s);
      const ze = z ? Math.min(e, z.zone_end_pfn) : e;
      pieces.push({ start: s, end: ze });
      s = ze;
    }
  }
  // Each zone's last piece holding whole order-10 blocks becomes its deferred run (when it holds
  // two or more): no order-10 block is freed to the tail of that list after it, so the run keeps
  // its place at the end of the list, as eager initialisation would leave it.
  const best = new Map<number, { i: number; n: number }>();
  pieces.forEach((p, i) => {
    const a = Math.ceil(p.start / 1024) * 1024;
    const b = Math.floor(p.end / 1024) * 1024;
    const n = b > a ? (b - a) / 1024 : 0;
    const z = buddy.page_zone(p.start)!;
    if (n >= 1) best.set(z.id, { i, n });
  });
  for (const [k, v] of [...best]) if (v.n < 2) best.delete(k);
  const runOf = new Set<number>([...best.values()].map((v) => v.i));
  let count = 0;
  pieces.forEach((p, i) => {
    const z = buddy.page_zone(p.start)!;
    if (runOf.has(i)) {
      const a = Math.ceil(p.start / 1024) * 1024;
      const b = Math.floor(p.end / 1024) * 1024;
      count += free_pages_memory(buddy, p.start, a);
      z.managed_pages += b - a;
      buddy.add_deferred_run(z, a, b);
      count += b - a;
      count += free_pages_memory(buddy, b, p.end);
    } else count += free_pages_memory(buddy, p.start, p.end);
  });
  mb.freeze();
  return count;
}

/** __free_pages_memory: frees [start, end) as maximal naturally aligned blocks. */
function free_pages_memory(buddy: Buddy, start: number, end: number): number {
  const n = end - start;
  while (start < end) {
    let order = start ? Math.min(MAX_PAGE_ORDER, ctz(start)) : MAX_PAGE_ORDER;
    while (start + (1 << order) > end) order--;
    buddy.free_pages_core(start, order);
    start += 1 << order;
  }
  return Math.max(0, n);
}

function ctz(x: number): number {
  let n = 0;
  while (x % 2 === 0 && n < 52) {
    x /= 2;
    n++;
  }
  return n;
}

/**
 * set_highmem_pages_init (i386): every free highmem page is freed on its own, ascending, as
 * free_highmem_page does. Returns the pages freed.
 */
export function free_highmem_pages(buddy: Buddy, mb: Memblock, highmem_start_pfn: number): number {
  let n = 0;
  const one = (pfn: number): void => {
    buddy.free_pages_core(pfn, 0, 0);
    n++;
  };
  for (const f of mb.free_ranges()) {
    const s = Math.max(Math.ceil(f.start / 4096), highmem_start_pfn);
    const e = Math.floor(f.end / 4096);
    if (e <= s) continue;
    // Freeing the pages of a whole aligned 4 MiB block one by one ends with that block merged at
    // order 10 at the head of its list; the blocks are done in that final form, the edges page by page.
    const a = Math.min(e, Math.ceil(s / 1024) * 1024);
    const b = Math.max(a, Math.floor(e / 1024) * 1024);
    for (let pfn = s; pfn < a; pfn++) one(pfn);
    for (let pfn = a; pfn < b; pfn += 1024) {
      buddy.free_pages_core(pfn, MAX_PAGE_ORDER, 0);
      n += 1024;
    }
    for (let pfn = b; pfn < e; pfn++) one(pfn);
  }
  return n;
}

/**
 * build_all_zonelists: each node's fallback zonelist (nodes by distance with the kernel's
 * round-robin tie-break, zones highest first) and its __GFP_THISNODE list. Logs the kernel's lines.
 */
export function build_all_zonelists(buddy: Buddy, distance: number[][], log: (l: string) => void): void {
  const nn = buddy.pgdat.length;
  const node_load = new Array<number>(nn).fill(0);
  const hasMem = buddy.pgdat.map((p) => p.node_present_pages > 0);
  for (const pg of buddy.pgdat) {
    const local = pg.node_id;
    const used = new Array<boolean>(nn).fill(false);
    const order: number[] = [];
    let prev = local;
    for (;;) {
      let best = -1;
      if (!used[local] && hasMem[local]) best = local;
      else {
        let min_val = Infinity;
        for (let n = 0; n < nn; n++) {
          if (!hasMem[n] || used[n]) continue;
          let val = distance[local][n];
          val += n < local ? 1 : 0;
          if (buddy.pgdat[n].cpus.length) val += 1;
          val *= 64;
          val += node_load[n];
          if (val < min_val) {
            min_val = val;
            best = n;
          }
        }
      }
      if (best < 0) break;
      used[best] = true;
      if (distance[local][best] !== distance[local][prev]) node_load[best] += 1;
      order.push(best);
      prev = best;
    }
    pg.node_order = order;
    const zonerefs = (nodes: number[]): PgData['node_zones'] => {
      const out: PgData['node_zones'] = [];
      for (const n of nodes) for (let i = MAX_NR_ZONES - 1; i >= 0; i--) if (buddy.pgdat[n].node_zones[i].populated) out.push(buddy.pgdat[n].node_zones[i]);
      return out;
    };
    const fb = zonerefs(order);
    const tn = zonerefs([local]);
    pg.zonelists = [];
    pg.zonelists_nofallback = [];
    for (let h = 0; h < MAX_NR_ZONES; h++) {
      pg.zonelists[h] = fb.filter((z) => z.idx <= h);
      pg.zonelists_nofallback[h] = tn.filter((z) => z.idx <= h);
    }
    if (nn > 1) log(`Fallback order for Node ${local}: ${order.join(' ')} `);
  }
}
