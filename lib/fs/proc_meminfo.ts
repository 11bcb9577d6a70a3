/**
 * /proc/meminfo and /sys/devices/system/node/nodeN/meminfo.
 *
 * Mirrors: fs/proc/meminfo.c (meminfo_proc_show, show_val_kb), mm/show_mem.c (si_mem_available,
 * si_meminfo), drivers/base/node.c (node_read_meminfo), mm/util.c (vm_commit_limit),
 * mm/hugetlb.c (hugetlb_report_meminfo), arch/x86/mm/pat/set_memory.c (arch_report_meminfo:
 * DirectMap4k/2M/1G).
 * Models: every line computed from the counters (sys.vmstat) and the zones, so anything a
 * subsystem counts (slab, page tables, anon pages, page cache, kernel stacks) shows up by itself.
 * What only another subsystem knows comes from `sys.meminfoHooks` (see {@link MeminfoHooks}):
 * vmalloc, committed memory, buffers, swap, per-cpu, hugetlb; each has a default.
 * Simplifies: the direct map is assumed mapped with the largest pages that fit each RAM range
 * (1 GiB on x86-64, 2 MiB/4 MiB on i386) unless a hook reports splits.
 * See: chapter 02 (nodes, zones, GFP), chapter 05 (reading /proc/meminfo).
 */
import type { System } from '../system.js';
import { VmStat } from '../mm/vmstat.js';
import { ZONE_HIGHMEM } from '../mm/gfp.js';

/**
 * Values /proc/meminfo needs from subsystems other than the page allocator. Replace a hook to
 * report real numbers: `sys.meminfoHooks.vmallocUsedPages = () => myVmalloc.nr_pages`.
 */
export interface MeminfoHooks {
  /** VmallocUsed, pages (vmalloc_nr_pages). */
  vmallocUsedPages: () => number;
  /** Committed_AS, pages (vm_memory_committed). */
  committedAsPages: () => number;
  /** Buffers, pages (nr_blockdev_pages). */
  bufferPages: () => number;
  /** SwapTotal and SwapFree, pages (si_swapinfo). */
  swapTotalPages: () => number;
  swapFreePages: () => number;
  /** Percpu, pages (pcpu_nr_pages). */
  percpuPages: () => number;
  /** vm.overcommit_ratio and vm.overcommit_kbytes (CommitLimit). */
  overcommitRatio: () => number;
  overcommitKbytes: () => number;
  /** HardwareCorrupted, pages. */
  hardwareCorruptedPages: () => number;
  /** Hugetlb pool of the default size: counts in huge pages. */
  hugetlb: () => { total: number; free: number; rsvd: number; surp: number };
  /** Direct map, in KiB per page size (null: computed from RAM ranges). */
  directMapKB: () => { k4: number; m2: number; g1: number } | null;
}

/** Hooks with the defaults of a machine where no other subsystem reports anything. */
export function defaultMeminfoHooks(sysSwapBytes = 0, cpus = 1): MeminfoHooks {
  return {
    vmallocUsedPages: () => 0,
    committedAsPages: () => 0,
    bufferPages: () => 0,
    swapTotalPages: () => Math.floor(sysSwapBytes / 4096),
    swapFreePages: () => Math.floor(sysSwapBytes / 4096),
    percpuPages: () => cpus * 64,
    overcommitRatio: () => 50,
    overcommitKbytes: () => 0,
    hardwareCorruptedPages: () => 0,
    hugetlb: () => ({ total: 0, free: 0, rsvd: 0, surp: 0 }),
    directMapKB: () => null,
  };
}

const kb = (label: string, pages: number): string => `${label}${String(Math.max(0, Math.floor(pages)) * 4).padStart(8)} kB`;

/** si_mem_available: free memory an application could get without swapping. */
export function si_mem_available(sys: System): number {
  const b = sys.buddy;
  const v = sys.vmstat;
  let wmark_low = 0;
  for (const z of b.zones) wmark_low += z._watermark[1] + z.watermark_boost;
  let available = v.get('nr_free_pages') - b.totalreserve_pages;
  let pagecache = v.get('nr_active_file') + v.get('nr_inactive_file');
  pagecache -= Math.min(Math.floor(pagecache / 2), wmark_low);
  available += pagecache;
  let reclaimable = Math.floor(v.get('nr_slab_reclaimable_B') / 4096) + v.get('nr_kernel_misc_reclaimable');
  reclaimable -= Math.min(Math.floor(reclaimable / 2), wmark_low);
  available += reclaimable;
  return Math.max(0, available);
}

function directMap(sys: System): { k4: number; m2: number; g1: number } {
  const hooked = sys.meminfoHooks.directMapKB();
  if (hooked) return hooked;
  const x64 = sys.config.arch === 'x86_64';
  const big = x64 ? 2 ** 30 : 0;
  const mid = x64 || sys.config.pae ? 2 << 20 : 4 << 20;
  const lowLimit = x64 ? Infinity : sys.boot.max_low_pfn * 4096;
  let k4 = 0;
  let m2 = 0;
  let g1 = 0;
  for (const r of sys.boot.memblock_at_handover.memory) {
    const s = r.base;
    const e = Math.min(r.base + r.size, lowLimit);
    if (e <= s) continue;
    let gs = 0;
    let ge = 0;
    if (big) {
      gs = Math.ceil(s / big) * big;
      ge = Math.floor(e / big) * big;
      if (ge > gs) g1 += ge - gs;
      else gs = ge = s;
    } else gs = ge = s;
    const ms = Math.ceil(s / mid) * mid;
    const me = Math.floor(e / mid) * mid;
    const midTotal = Math.max(0, me - ms) - (ge - gs);
    m2 += Math.max(0, midTotal);
    k4 += e - s - (ge - gs) - Math.max(0, midTotal);
  }
  return { k4: k4 / 1024, m2: m2 / 1024, g1: g1 / 1024 };
}

/** The text of /proc/meminfo. */
export function meminfo_proc_show(sys: System): string {
  const v = sys.vmstat;
  const h = sys.meminfoHooks;
  const b = sys.buddy;
  const x64 = sys.config.arch === 'x86_64';
  let totalram = 0;
  let totalhigh = 0;
  let freehigh = 0;
  for (const z of b.zones) {
    totalram += z.managed_pages;
    if (z.idx === ZONE_HIGHMEM) {
      totalhigh += z.managed_pages;
      freehigh += b.zone_free(z);
    }
  }
  const free = v.get('nr_free_pages');
  const buffers = h.bufferPages();
  const swapcache = v.get('nr_swapcached');
  const cached = Math.max(0, v.get('nr_file_pages') - swapcache - buffers);
  const aa = v.get('nr_active_anon');
  const ia = v.get('nr_inactive_anon');
  const af = v.get('nr_active_file');
  const inf = v.get('nr_inactive_file');
  const sre = Math.floor(v.get('nr_slab_reclaimable_B') / 4096);
  const sun = Math.floor(v.get('nr_slab_unreclaimable_B') / 4096);
  const swapTotal = h.swapTotalPages();
  const hp = h.hugetlb();
  const hugeKB = x64 || sys.config.pae ? 2048 : 4096;
  const commitLimit = h.overcommitKbytes()
    ? Math.floor(h.overcommitKbytes() / 4) + swapTotal
    : Math.floor(((totalram - (hp.total * hugeKB) / 4) * h.overcommitRatio()) / 100) + swapTotal;
  const L: string[] = [];
  L.push(kb('MemTotal:       ', totalram));
  L.push(kb('MemFree:        ', free));
  L.push(kb('MemAvailable:   ', si_mem_available(sys)));
  L.push(kb('Buffers:        ', buffers));
  L.push(kb('Cached:         ', cached));
  L.push(kb('SwapCached:     ', swapcache));
  L.push(kb('Active:         ', aa + af));
  L.push(kb('Inactive:       ', ia + inf));
  L.push(kb('Active(anon):   ', aa));
  L.push(kb('Inactive(anon): ', ia));
  L.push(kb('Active(file):   ', af));
  L.push(kb('Inactive(file): ', inf));
  L.push(kb('Unevictable:    ', v.get('nr_unevictable')));
  L.push(kb('Mlocked:        ', v.get('nr_mlock')));
  if (!x64) {
    L.push(kb('HighTotal:      ', totalhigh));
    L.push(kb('HighFree:       ', freehigh));
    L.push(kb('LowTotal:       ', totalram - totalhigh));
    L.push(kb('LowFree:        ', free - freehigh));
  }
  L.push(kb('SwapTotal:      ', swapTotal));
  L.push(kb('SwapFree:       ', h.swapFreePages()));
  L.push(kb('Dirty:          ', v.get('nr_dirty')));
  L.push(kb('Writeback:      ', v.get('nr_writeback')));
  L.push(kb('AnonPages:      ', v.get('nr_anon_pages')));
  L.push(kb('Mapped:         ', v.get('nr_mapped')));
  L.push(kb('Shmem:          ', v.get('nr_shmem')));
  L.push(kb('KReclaimable:   ', sre + v.get('nr_kernel_misc_reclaimable')));
  L.push(kb('Slab:           ', sre + sun));
  L.push(kb('SReclaimable:   ', sre));
  L.push(kb('SUnreclaim:     ', sun));
  L.push(`KernelStack:    ${String(Math.floor(v.get('nr_kernel_stack'))).padStart(8)} kB`);
  L.push(kb('PageTables:     ', v.get('nr_page_table_pages')));
  L.push(kb('SecPageTables:  ', v.get('nr_sec_page_table_pages')));
  L.push(kb('NFS_Unstable:   ', 0));
  L.push(kb('Bounce:         ', v.get('nr_bounce')));
  L.push(kb('WritebackTmp:   ', v.get('nr_writeback_temp')));
  L.push(kb('CommitLimit:    ', commitLimit));
  L.push(kb('Committed_AS:   ', h.committedAsPages()));
  const lay = sys.layout;
  const vtotal = x64 ? (lay.vmalloc_end - lay.vmalloc_start - 1) / 1024 : (lay.vmalloc_end - lay.vmalloc_start) / 1024;
  L.push(`VmallocTotal:   ${String(Math.floor(vtotal)).padStart(8)} kB`);
  L.push(kb('VmallocUsed:    ', h.vmallocUsedPages()));
  L.push(kb('VmallocChunk:   ', 0));
  L.push(kb('Percpu:         ', h.percpuPages()));
  L.push(`HardwareCorrupted: ${String(h.hardwareCorruptedPages() * 4).padStart(5)} kB`);
  L.push(kb('AnonHugePages:  ', v.get('nr_anon_transparent_hugepages')));
  L.push(kb('ShmemHugePages: ', v.get('nr_shmem_hugepages')));
  L.push(kb('ShmemPmdMapped: ', v.get('nr_shmem_pmdmapped')));
  L.push(kb('FileHugePages:  ', v.get('nr_file_hugepages')));
  L.push(kb('FilePmdMapped:  ', v.get('nr_file_pmdmapped')));
  L.push(`HugePages_Total:   ${String(hp.total).padStart(5)}`);
  L.push(`HugePages_Free:    ${String(hp.free).padStart(5)}`);
  L.push(`HugePages_Rsvd:    ${String(hp.rsvd).padStart(5)}`);
  L.push(`HugePages_Surp:    ${String(hp.surp).padStart(5)}`);
  L.push(`Hugepagesize:   ${String(hugeKB).padStart(8)} kB`);
  L.push(`Hugetlb:        ${String(hp.total * hugeKB).padStart(8)} kB`);
  const dm = directMap(sys);
  L.push(`DirectMap4k:    ${String(dm.k4).padStart(8)} kB`);
  if (x64) {
    L.push(`DirectMap2M:    ${String(dm.m2).padStart(8)} kB`);
    L.push(`DirectMap1G:    ${String(dm.g1).padStart(8)} kB`);
  } else L.push(`${sys.config.pae ? 'DirectMap2M:' : 'DirectMap4M:'}    ${String(dm.m2).padStart(8)} kB`);
  return L.join('\n') + '\n';
}

/** The text of /sys/devices/system/node/nodeN/meminfo. */
export function node_read_meminfo(sys: System, nid: number): string {
  const v = sys.vmstat;
  const b = sys.buddy;
  const pg = b.pgdat[nid];
  let total = 0;
  let free = 0;
  let th = 0;
  let fh = 0;
  for (const z of pg.node_zones) {
    total += z.managed_pages;
    free += b.zone_free(z);
    if (z.idx === ZONE_HIGHMEM) {
      th += z.managed_pages;
      fh += b.zone_free(z);
    }
  }
  const n = (name: string): number => VmStat.printNode(name, v.node(nid, name));
  let mlock = 0;
  let bounce = 0;
  for (const z of pg.node_zones) {
    mlock += v.zone(z, 'nr_mlock');
    bounce += v.zone(z, 'nr_bounce');
  }
  const sre = n('nr_slab_reclaimable_B');
  const sun = n('nr_slab_unreclaimable_B');
  const row = (label: string, pages: number): string => `Node ${nid} ${label}${String(Math.max(0, pages) * 4).padStart(8)} kB`;
  const L: string[] = [
    row('MemTotal:       ', total), row('MemFree:        ', free), row('MemUsed:        ', total - free),
    row('SwapCached:     ', n('nr_swapcached')),
    row('Active:         ', n('nr_active_anon') + n('nr_active_file')),
    row('Inactive:       ', n('nr_inactive_anon') + n('nr_inactive_file')),
    row('Active(anon):   ', n('nr_active_anon')), row('Inactive(anon): ', n('nr_inactive_anon')),
    row('Active(file):   ', n('nr_active_file')), row('Inactive(file): ', n('nr_inactive_file')),
    row('Unevictable:    ', n('nr_unevictable')), row('Mlocked:        ', mlock),
  ];
  if (sys.config.arch === 'i386') L.push(row('HighTotal:      ', th), row('HighFree:       ', fh), row('LowTotal:       ', total - th), row('LowFree:        ', free - fh));
  L.push(
    row('Dirty:          ', n('nr_dirty')), row('Writeback:      ', n('nr_writeback')), row('FilePages:      ', n('nr_file_pages')),
    row('Mapped:         ', n('nr_mapped')), row('AnonPages:      ', n('nr_anon_pages')), row('Shmem:          ', n('nr_shmem')),
    `Node ${nid} KernelStack:    ${String(n('nr_kernel_stack')).padStart(8)} kB`,
    row('PageTables:     ', n('nr_page_table_pages')), row('SecPageTables:  ', n('nr_sec_page_table_pages')),
    row('NFS_Unstable:   ', 0), row('Bounce:         ', bounce), row('WritebackTmp:   ', n('nr_writeback_temp')),
    row('KReclaimable:   ', sre + n('nr_kernel_misc_reclaimable')), row('Slab:           ', sre + sun),
    row('SReclaimable:   ', sre), row('SUnreclaim:     ', sun),
    row('AnonHugePages:  ', v.node(nid, 'nr_anon_transparent_hugepages')), row('ShmemHugePages: ', v.node(nid, 'nr_shmem_hugepages')),
    row('ShmemPmdMapped: ', v.node(nid, 'nr_shmem_pmdmapped')), row('FileHugePages:  ', v.node(nid, 'nr_file_hugepages')),
    row('FilePmdMapped:  ', v.node(nid, 'nr_file_pmdmapped')),
  );
  const hp = sys.meminfoHooks.hugetlb();
  L.push(`Node ${nid} HugePages_Total: ${String(nid === 0 ? hp.total : 0).padStart(5)}`);
  L.push(`Node ${nid} HugePages_Free:  ${String(nid === 0 ? hp.free : 0).padStart(5)}`);
  L.push(`Node ${nid} HugePages_Surp:  ${String(nid === 0 ? hp.surp : 0).padStart(5)}`);
  return L.join('\n') + '\n';
}

/** Registers /proc/meminfo and the per-node meminfo files. */
export function register_meminfo(sys: System): void {
  sys.meminfoHooks = defaultMeminfoHooks(sys.config.swap, sys.config.cpus);
  sys.procfs.register('/proc/meminfo', () => meminfo_proc_show(sys));
  for (let nid = 0; nid < sys.config.nodes.length; nid++) {
    sys.procfs.register(`/sys/devices/system/node/node${nid}/meminfo`, () => node_read_meminfo(sys, nid));
  }
}
