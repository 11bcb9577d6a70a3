/**
 * The page allocator's invariants: the simulator's CONFIG_DEBUG_VM for the buddy lists.
 *
 * Mirrors: the VM_BUG_ON / VM_WARN checks of mm/page_alloc.c (__free_one_page's alignment and zone
 * checks, __add_to_free_list's migratetype check, page_expected_state) and what
 * tools such as page-types and /proc/pagetypeinfo let one cross-check.
 * Models: one validator, registered as `buddy`, that walks every free list and PCP list of every
 * zone and tiles each zone's present pages into free blocks, PCP pages, allocated blocks and
 * reserved pages.
 * Simplifies: the walk is exhaustive (the kernel checks on the fly, page by page); on large machines
 * tests call it periodically rather than after every operation.
 * See: chapter 03 (the buddy allocator).
 */
import { VmBugError } from '../base/errors.js';
import { hex } from '../base/format.js';
import type { System } from '../system.js';
import { MIGRATE_HIGHATOMIC, MIGRATE_ISOLATE, MIGRATE_PCPTYPES, MIGRATE_TYPES, MIGRATETYPE_NAMES } from './gfp.js';
import { NO_PFN } from './mm_types.js';
import { MAX_PAGE_ORDER, NR_LOWORDER_PCP_LISTS, NR_PAGE_ORDERS, NR_PCP_LISTS } from './mmzone.js';
import { PG, PGTY } from './page_flags.js';

const RESERVED = 1 << PG.reserved;

function bug(inv: string, detail: string): never {
  throw new VmBugError(`buddy: ${inv}`, detail);
}

/** Checks every invariant of the buddy allocator; throws VmBugError naming the first broken one. */
export function validate_buddy(sys: System): void {
  const b = sys.buddy;
  const pages = sys.pages;
  const memRanges = sys.boot.memblock_at_handover.memory.map((r) => [Math.ceil(r.base / 4096), Math.floor((r.base + r.size) / 4096)] as const);
  for (const z of b.zones) {
    if (!z.populated) {
      if (z.nr_free.some((n) => n !== 0)) bug('empty zone has free blocks', `${z.name} of node ${z.node}`);
      continue;
    }
    const where = `node ${z.node} zone ${z.name}`;
    let freePages = 0;
    let highatomic = 0;
    const freeHeads = new Map<number, number>();
    for (let o = 0; o < NR_PAGE_ORDERS; o++) {
      let perOrder = 0;
      for (let mt = 0; mt < MIGRATE_TYPES; mt++) {
        const i = o * MIGRATE_TYPES + mt;
        let n = 0;
        let prev = NO_PFN;
        for (let p = z.freeHead[i]; p !== NO_PFN; p = pages.lru_next[p]) {
          if (pages.lru_prev[p] !== prev) bug('free list links broken', `${where} order ${o} ${MIGRATETYPE_NAMES[mt]}: prev of ${hex(p)}`);
          if (pages.page_type[p] !== PGTY.buddy) bug('listed block is not PageBuddy', `${where}: pfn ${hex(p)}`);
          if (pages.private_[p] !== o) bug('listed block has the wrong order', `${where}: pfn ${hex(p)} order ${pages.private_[p]} on order-${o} list`);
          if (p % (1 << o)) bug('free block not aligned to its order', `${where}: pfn ${hex(p)} order ${o}`);
          if (b.page_zone(p) !== z || p + (1 << o) > z.zone_end_pfn) bug('free block outside its zone', `${where}: pfn ${hex(p)}`);
          const bmt = b.get_pageblock_migratetype(p);
          if (bmt !== mt) bug('free block on the wrong migratetype list', `${where}: pfn ${hex(p)} in a ${MIGRATETYPE_NAMES[bmt]} pageblock on the ${MIGRATETYPE_NAMES[mt]} list`);
          if (freeHeads.has(p)) bug('free block listed twice', `${where}: pfn ${hex(p)}`);
          freeHeads.set(p, o);
          n++;
          if (z.deferred_next === p) n += (z.deferred_end - z.deferred_next) / 1024 - 1;
          prev = p;
          if (n > z.spanned_pages) bug('free list loops', `${where} order ${o}`);
        }
        if (z.freeTail[i] !== prev) bug('free list tail wrong', `${where} order ${o} ${MIGRATETYPE_NAMES[mt]}`);
        if (n !== z.freeCount[i]) bug('free list count wrong', `${where} order ${o} ${MIGRATETYPE_NAMES[mt]}: ${z.freeCount[i]} counted, ${n} listed`);
        if (((z.freeMask[mt] >>> o) & 1) !== (n ? 1 : 0)) bug('free list mask wrong', `${where} order ${o} ${MIGRATETYPE_NAMES[mt]}: ${n} listed, mask bit ${(z.freeMask[mt] >>> o) & 1}`);
        perOrder += n;
        if (mt !== MIGRATE_ISOLATE) freePages += n << o;
        if (mt === MIGRATE_HIGHATOMIC) highatomic += n << o;
      }
      if (perOrder !== z.nr_free[o]) bug('nr_free does not match the lists', `${where} order ${o}: nr_free ${z.nr_free[o]}, listed ${perOrder}`);
    }
    const nrFree = b.zone_free(z);
    if (nrFree !== freePages) bug('NR_FREE_PAGES wrong', `${where}: counter ${nrFree}, lists hold ${freePages}`);
    if (z.nr_free_highatomic !== highatomic) bug('nr_free_highatomic wrong', `${where}: ${z.nr_free_highatomic} vs ${highatomic}`);
    // No two free buddies left unmerged.
    for (const [p, o] of freeHeads) {
      if (o >= MAX_PAGE_ORDER) continue;
      const bp = p ^ (1 << o);
      if (freeHeads.get(bp) === o) {
        if (o >= b.pageblock_order) {
          const a = b.get_pageblock_migratetype(p);
          const c = b.get_pageblock_migratetype(bp);
          if (a !== c && (a >= MIGRATE_PCPTYPES || c >= MIGRATE_PCPTYPES)) continue;
        }
        bug('two free buddies not merged', `${where}: ${hex(p)} and ${hex(bp)} at order ${o}`);
      }
    }
    // PCP lists.
    const pcpPages = new Map<number, number>();
    let pcpTotal = 0;
    z.pcp.forEach((pcp, cpu) => {
      let cnt = 0;
      for (let pi = 0; pi < NR_PCP_LISTS; pi++) {
        const o = pi < NR_LOWORDER_PCP_LISTS ? Math.floor(pi / MIGRATE_PCPTYPES) : b.hpage_pmd_order;
        const list = pcp.lists[pi];
        if (list.n < 0 || list.n > list.buf.length) bug('pcp list length wrong', `${where} cpu ${cpu} list ${pi}`);
        for (let i = 0; i < list.n; i++) {
          const p = list.at(i);
          if (p % (1 << o)) bug('pcp block not aligned to its order', `${where} cpu ${cpu}: ${hex(p)}`);
          if (b.page_zone(p) !== z) bug('pcp page in the wrong zone', `${where} cpu ${cpu}: ${hex(p)}`);
          if (pages.page_type[p] !== PGTY.none || pages._refcount[p] !== 0) bug('pcp page is not a free page', `${where} cpu ${cpu}: ${hex(p)}`);
          if (pcpPages.has(p) || freeHeads.has(p)) bug('pcp page listed twice', `${where}: ${hex(p)}`);
          pcpPages.set(p, o);
          cnt += 1 << o;
        }
      }
      if (cnt !== pcp.count) bug('pcp count wrong', `${where} cpu ${cpu}: count ${pcp.count}, lists hold ${cnt}`);
      pcpTotal += cnt;
    });
    // Pageblock migratetypes.
    for (let p = z.zone_start_pfn - (z.zone_start_pfn % b.pageblock_nr_pages); p < z.zone_end_pfn; p += b.pageblock_nr_pages) {
      if (b.get_pageblock_migratetype(p) >= MIGRATE_TYPES) bug('invalid pageblock migratetype', `${where}: pageblock at ${hex(p)}`);
    }
    // Tile the zone's present pages.
    let allocated = 0;
    for (const [rs, re] of memRanges) {
      const s0 = Math.max(rs, z.zone_start_pfn);
      const e0 = Math.min(re, z.zone_end_pfn);
      for (let p = s0; p < e0;) {
        const fo = freeHeads.get(p);
        if (fo !== undefined) {
          if (z.deferred_next === p) p = z.deferred_end;
          else p += 1 << fo;
          continue;
        }
        const ao = b.allocOrder[p];
        if (ao > 0) {
          if (pages._refcount[p] < 1) bug('allocated block with no reference', `${where}: ${hex(p)}`);
          allocated += 1 << (ao - 1);
          p += 1 << (ao - 1);
          continue;
        }
        const po = pcpPages.get(p);
        if (po !== undefined) {
          p += 1 << po;
          continue;
        }
        if (pages.flags[p] & RESERVED) {
          p++;
          // A run of reserved pages (kernel image, memmap ...): step through it without lookups.
          while (p < e0 && pages.flags[p] & RESERVED && b.allocOrder[p] === 0 && pages.page_type[p] !== PGTY.buddy) p++;
          continue;
        }
        bug('page is neither free, on a pcp list, allocated nor reserved', `${where}: pfn ${hex(p)} (flags ${hex(pages.flags[p])}, refcount ${pages._refcount[p]})`);
      }
    }
    if (freePages + pcpTotal + allocated !== z.managed_pages) {
      bug('free + pcp + allocated != managed', `${where}: ${freePages} + ${pcpTotal} + ${allocated} != ${z.managed_pages}`);
    }
  }
}
