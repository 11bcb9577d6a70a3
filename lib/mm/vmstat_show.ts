/**
 * The /proc and /sys files of the page allocator: buddyinfo, pagetypeinfo, zoneinfo, vmstat and
 * the per-node distance and numastat files.
 *
 * Mirrors: mm/vmstat.c (frag_show_print, pagetypeinfo_show, pagetypeinfo_showfree_print,
 * pagetypeinfo_showblockcount_print, zoneinfo_show_print, vmstat_show, calculate_normal_threshold),
 * drivers/base/node.c (node_read_distance, node_read_numastat).
 * Models: the exact text of each file, computed from the live zones and counters.
 * Simplifies: zones are printed in the kernel's zone order for the architecture (x86-64: DMA,
 * DMA32, Normal, Movable; i386: DMA, Normal, HighMem, Movable); ZONE_DEVICE is not configured.
 * See: chapter 02 (nodes, zones, GFP), chapter 03 (the buddy allocator).
 */
import type { System } from '../system.js';
import { MIGRATE_TYPES, MIGRATETYPE_NAMES, ZONE_DMA, ZONE_DMA32, ZONE_HIGHMEM, ZONE_MOVABLE, ZONE_NORMAL } from './gfp.js';
import { NR_PAGE_ORDERS, WMARK_HIGH, WMARK_LOW, WMARK_MIN, WMARK_PROMO, type Zone } from './mmzone.js';
import { NODE_STAT_ITEMS, NUMA_STAT_ITEMS, VmStat, ZONE_STAT_ITEMS } from './vmstat.js';
import { pages_per_section } from './mm_init.js';

/** The zone indices the kernel has for an architecture, in its enum order. */
export function kernelZones(arch: 'x86_64' | 'i386'): number[] {
  return arch === 'x86_64' ? [ZONE_DMA, ZONE_DMA32, ZONE_NORMAL, ZONE_MOVABLE] : [ZONE_DMA, ZONE_NORMAL, ZONE_HIGHMEM, ZONE_MOVABLE];
}

function zonesOf(sys: System, nid: number): Zone[] {
  return kernelZones(sys.config.arch).map((i) => sys.buddy.pgdat[nid].node_zones[i]);
}

const pad = (v: string | number, w: number): string => String(v).padStart(w);

/** /proc/buddyinfo. */
export function buddyinfo(sys: System): string {
  let s = '';
  for (const pg of sys.buddy.pgdat) {
    for (const z of zonesOf(sys, pg.node_id)) {
      if (!z.populated) continue;
      s += `Node ${pg.node_id}, zone ${pad(z.name, 8)} `;
      for (let o = 0; o < NR_PAGE_ORDERS; o++) s += `${pad(z.nr_free[o], 6)} `;
      s += '\n';
    }
  }
  return s;
}

function sectionValid(sys: System): (pfn: number) => boolean {
  const pps = pages_per_section(sys.config.arch, sys.config.pae);
  const present = new Set<number>();
  for (const r of sys.boot.memblock_at_handover.memory) {
    const s = Math.floor(r.base / 4096);
    const e = Math.floor((r.base + r.size) / 4096);
    for (let x = Math.floor(s / pps); x <= Math.floor((e - 1) / pps); x++) present.add(x);
  }
  return (pfn) => present.has(Math.floor(pfn / pps));
}

/** Pageblocks per migratetype of a zone, as pagetypeinfo_showblockcount_print counts them. */
export function blockCounts(sys: System, z: Zone, valid = sectionValid(sys)): number[] {
  const b = sys.buddy;
  const count = new Array<number>(MIGRATE_TYPES).fill(0);
  for (let pfn = z.zone_start_pfn; pfn < z.zone_end_pfn; pfn += b.pageblock_nr_pages) {
    if (!valid(pfn)) continue;
    if (b.page_zone(pfn) !== z) continue;
    count[b.get_pageblock_migratetype(pfn)]++;
  }
  return count;
}

/** /proc/pagetypeinfo. */
export function pagetypeinfo(sys: System): string {
  const b = sys.buddy;
  const valid = sectionValid(sys);
  let s = '';
  for (const pg of b.pgdat) {
    if (!pg.node_present_pages) continue;
    s += `Page block order: ${b.pageblock_order}\n`;
    s += `Pages per block:  ${b.pageblock_nr_pages}\n\n`;
    s += `${'Free pages count per migrate type at order'.padEnd(43)} `;
    for (let o = 0; o < NR_PAGE_ORDERS; o++) s += `${pad(o, 6)} `;
    s += '\n';
    for (const z of zonesOf(sys, pg.node_id)) {
      if (!z.populated) continue;
      for (let mt = 0; mt < MIGRATE_TYPES; mt++) {
        s += `Node ${pad(pg.node_id, 4)}, zone ${pad(z.name, 8)}, type ${pad(MIGRATETYPE_NAMES[mt], 12)} `;
        for (let o = 0; o < NR_PAGE_ORDERS; o++) {
          const n = z.freeCount[o * MIGRATE_TYPES + mt];
          s += n >= 100000 ? `>${pad(100000, 6)} ` : `${pad(n, 6)} `;
        }
        s += '\n';
      }
    }
    s += `\n${'Number of blocks type '.padEnd(23)}`;
    for (let mt = 0; mt < MIGRATE_TYPES; mt++) s += `${pad(MIGRATETYPE_NAMES[mt], 12)} `;
    s += '\n';
    for (const z of zonesOf(sys, pg.node_id)) {
      if (!z.populated) continue;
      s += `Node ${pg.node_id}, zone ${pad(z.name, 8)} `;
      for (const c of blockCounts(sys, z, valid)) s += `${pad(c, 12)} `;
      s += '\n';
    }
  }
  return s;
}

/** calculate_normal_threshold: the per-cpu counter threshold zoneinfo prints. */
export function stat_threshold(managed: number, cpus: number): number {
  const fls = (x: number): number => (x ? Math.floor(Math.log2(x)) + 1 : 0);
  const mem = Math.floor(managed / 32768);
  return Math.min(125, 2 * fls(cpus) * (1 + fls(mem)));
}

/** /proc/zoneinfo. */
export function zoneinfo(sys: System): string {
  const b = sys.buddy;
  const v = sys.vmstat;
  const kz = kernelZones(sys.config.arch);
  let s = '';
  for (const pg of b.pgdat) {
    const zs = zonesOf(sys, pg.node_id);
    const first = zs.find((z) => z.populated);
    for (const z of zs) {
      s += `Node ${pg.node_id}, zone ${pad(z.name, 8)}`;
      if (z === first) {
        s += '\n  per-node stats';
        for (const name of NODE_STAT_ITEMS) s += `\n      ${VmStat.printName(name).padEnd(12)} ${Math.floor(VmStat.printNode(name, v.node(pg.node_id, name)))}`;
      }
      s += `\n  pages free     ${b.zone_free(z)}`;
      s += `\n        boost    ${z.watermark_boost}`;
      s += `\n        min      ${z._watermark[WMARK_MIN] + z.watermark_boost}`;
      s += `\n        low      ${z._watermark[WMARK_LOW] + z.watermark_boost}`;
      s += `\n        high     ${z._watermark[WMARK_HIGH] + z.watermark_boost}`;
      s += `\n        promo    ${z._watermark[WMARK_PROMO] + z.watermark_boost}`;
      s += `\n        spanned  ${z.spanned_pages}`;
      s += `\n        present  ${z.present_pages}`;
      s += `\n        managed  ${z.managed_pages}`;
      s += `\n        cma      0`;
      s += `\n        protection: (${kz.map((i) => z.lowmem_reserve[i]).join(', ')})`;
      if (!z.populated) {
        s += '\n';
        continue;
      }
      for (const name of ZONE_STAT_ITEMS) s += `\n      ${name.padEnd(12)} ${Math.max(0, v.zone(z, name))}`;
      for (const name of NUMA_STAT_ITEMS) s += `\n      ${name.padEnd(12)} ${v.zone(z, name)}`;
      s += '\n  pagesets';
      const th = stat_threshold(z.managed_pages, sys.config.cpus);
      z.pcp.forEach((pcp, cpu) => {
        s += `\n    cpu: ${cpu}\n              count: ${pcp.count}\n              high:  ${pcp.high}\n              batch: ${pcp.batch}`;
        s += `\n  vm stats threshold: ${th}`;
      });
      s += `\n  node_unreclaimable:  ${pg.kswapd_failures >= 16 ? 1 : 0}`;
      s += `\n  start_pfn:           ${z.zone_start_pfn}`;
      s += '\n';
    }
  }
  return s;
}

/** /sys/devices/system/node/nodeN/numastat. */
export function node_numastat(sys: System, nid: number): string {
  const v = sys.vmstat;
  const sum = (name: string): number => sys.buddy.pgdat[nid].node_zones.reduce((a, z) => a + v.zone(z, name), 0);
  return `numa_hit ${sum('numa_hit')}\nnuma_miss ${sum('numa_miss')}\nnuma_foreign ${sum('numa_foreign')}\ninterleave_hit ${sum('numa_interleave')}\nlocal_node ${sum('numa_local')}\nother_node ${sum('numa_other')}\n`;
}

/** Registers the allocator's /proc and /sys files. */
export function register_phys_procfs(sys: System): void {
  sys.procfs.register('/proc/buddyinfo', () => buddyinfo(sys));
  sys.procfs.register('/proc/pagetypeinfo', () => pagetypeinfo(sys));
  sys.procfs.register('/proc/zoneinfo', () => zoneinfo(sys));
  sys.procfs.register('/proc/vmstat', () => sys.vmstat.procText());
  const nn = sys.config.nodes.length;
  for (let nid = 0; nid < nn; nid++) {
    sys.procfs.register(`/sys/devices/system/node/node${nid}/distance`, () => sys.config.distance[nid].join(' ') + '\n');
    sys.procfs.register(`/sys/devices/system/node/node${nid}/numastat`, () => node_numastat(sys, nid));
  }
  sys.procfs.register('/sys/devices/system/node/online', () => (nn > 1 ? `0-${nn - 1}` : '0') + '\n');
}
