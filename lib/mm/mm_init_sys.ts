/**
 * Wiring of the physical-memory core into the System: boot, the public page-allocator calls,
 * the /proc files, the sysctls and the validator.
 *
 * Mirrors: init/main.c (start_kernel's memory part: setup_arch → mm_core_init → free_initmem),
 * include/linux/gfp.h (alloc_pages, __free_pages, __get_free_pages, free_pages, get_zeroed_page),
 * mm/page_alloc.c's sysctl table (vm.min_free_kbytes, vm.watermark_scale_factor,
 * vm.watermark_boost_factor, vm.lowmem_reserve_ratio, vm.percpu_pagelist_high_fraction),
 * mm/compaction.c (vm.extfrag_threshold, registered here as the value compaction reads).
 * Models: the thin public methods of the System over the allocator; writes of the sysctls
 * recompute what the kernel's handlers recompute.
 * Simplifies: __free_pages always runs the struct page checks of CONFIG_DEBUG_VM kernels (the fast
 * internal `sys.buddy.free` runs them when sys.debug_vm is on); vm.extfrag_threshold is only stored
 * here for compaction to read.
 * See: chapter 01 (boot), chapter 03 (the buddy allocator).
 */
import { KernelError } from '../base/errors.js';
import { hex } from '../base/format.js';
import { __pa, __va } from '../arch/x86/page.js';
import { x86_boot } from '../arch/x86/boot.js';
import { physEnd } from '../arch/x86/e820.js';
import type { System } from '../system.js';
import { __GFP_HIGHMEM } from './gfp.js';
import { Memblock } from './memblock.js';
import { PageArray } from './mm_types.js';
import { Buddy, type Page } from './page_alloc.js';
import { PG } from './page_flags.js';
import { VmStat } from './vmstat.js';
import { pageView, type PageView } from './inspect_phys.js';
import { register_phys_procfs } from './vmstat_show.js';
import { register_meminfo } from '../fs/proc_meminfo.js';
import { validate_buddy } from './page_alloc_debug.js';

/** The System's physical-memory calls (kept here so system.ts stays a list of one-liners). */
export class PhysMemApi {
  private sys: System;
  constructor(sys: System) {
    this.sys = sys;
  }

  alloc_pages(gfp: number, order: number, nid?: number): Page | null {
    const pfn = this.sys.buddy.alloc(gfp, order, nid ?? -1);
    this.sys.checkpoint();
    return pfn < 0 ? null : Object.freeze({ pfn, order });
  }

  __free_pages(page: Page | number, order: number): void {
    const pfn = typeof page === 'number' ? page : page?.pfn;
    if (typeof pfn !== 'number') throw new KernelError('__free_pages: not a page');
    this.sys.buddy.free_checked(pfn, order);
    this.sys.checkpoint();
  }

  __get_free_pages(gfp: number, order: number): number | null {
    if (gfp & __GFP_HIGHMEM) throw new KernelError('__get_free_pages: __GFP_HIGHMEM pages have no kernel address (use alloc_pages and kmap)');
    const pfn = this.sys.buddy.alloc(gfp, order);
    this.sys.checkpoint();
    if (pfn < 0) return null;
    return __va(this.sys.layout, pfn * 4096);
  }

  free_pages(addr: number, order: number): void {
    if (addr === 0) return;
    const phys = __pa(this.sys.layout, addr);
    const lowmemEnd = this.sys.boot.max_low_pfn * 4096;
    if (phys < 0 || phys >= lowmemEnd || phys % 4096) {
      throw new KernelError(`free_pages: ${hex(addr)} is not a page-aligned address in the direct map`);
    }
    this.sys.buddy.free_checked(phys / 4096, order);
    this.sys.checkpoint();
  }

  page(pfn: number): PageView {
    return pageView(this.sys, pfn);
  }
}

/** One integer sysctl. */
function knob(sys: System, name: string, help: string, min: number, max: number, get: () => number, set: (v: number) => void): void {
  sys.sysctls.register({ name, help, min, max, get, set: (v) => set(v as number) });
  const path = '/proc/sys/' + name.replace(/\./g, '/');
  sys.procfs.register(path, () => sys.sysctls.procText(name));
}

/**
 * Boots the memory side of the machine and wires it into the System: page array, counters,
 * memblock, e820 and boot (x86_boot), the buddy allocator, init sections freed, /proc files,
 * sysctls, validator.
 */
export function mm_core_init(sys: System): void {
  const c = sys.config;
  const max_pfn = Math.ceil(physEnd(c.memory) / 4096);
  sys.pages = new PageArray(max_pfn);
  sys.vmstat = new VmStat(c.arch, c.nodes.length);
  const cpu_node: number[] = [];
  c.nodes.forEach((n) => {
    for (let i = 0; i < n.cpus; i++) cpu_node.push(n.id);
  });
  while (cpu_node.length < c.cpus) cpu_node.push(0);
  const buddy = new Buddy(
    {
      pages: sys.pages, mem: sys.mem, vmstat: sys.vmstat, trace: sys.trace, dmesg: sys.dmesg,
      rand: () => sys.rng.float(), arch: c.arch, nr_cpus: c.cpus, cpu_node, distance: c.distance, clock: sys.clock,
    },
    c.nodes.length,
    c.pae,
  );
  sys.buddy = buddy;
  sys.memblock = new Memblock({
    smpCacheBytes: 64,
    phys_to_virt: (p) => __va(sys.layout, p),
    clear: (p, s) => sys.mem.fill(p, 0, s),
    log: (l) => sys.dmesg.push(l),
  });
  const r = x86_boot(c, sys.memblock, buddy);
  sys.boot = r;
  sys.e820 = r.e820;
  sys.boot_log = r.log;
  sys.vmstat.globalVals[sys.vmstat.id('nr_memmap_boot_pages') - sys.vmstat.GLOBAL0] = r.memmap_pages;
  // free_initmem: the init sections go back to the page allocator, page by page.
  const [is, ie] = r.init_range;
  for (let p = is / 4096; p < ie / 4096; p++) free_reserved_page(buddy, p);
  r.log.push(`Freeing unused kernel image (initmem) memory: ${(ie - is) / 1024}K`);
  for (const l of r.log) sys.dmesg.push(l);
  sys.physApi = new PhysMemApi(sys);
  register_meminfo(sys);
  buddy.swap_info = () => ({ cache: sys.vmstat.get('nr_swapcached'), free: sys.meminfoHooks.swapFreePages(), total: sys.meminfoHooks.swapTotalPages() });
  register_phys_procfs(sys);
  register_sysctls(sys);
  register_dirty_limits(sys);
  // Refresh the PCP high limits every second, as vmstat_update does (decay_pcp_high).
  sys.registerTimer((j) => {
    if (j % 250 !== 0) return;
    for (const z of buddy.zones) if (z.populated) for (const pcp of z.pcp) buddy.decay_pcp_high(z, pcp);
  });
  // CONFIG_DEBUG_VM also turns on the allocator's struct page checks (check_pages_enabled):
  // the System's debug_vm setter keeps buddy.check_pages in step.
  buddy.check_pages = sys.debug_vm;
  sys.registerValidator('buddy', () => validate_buddy(sys));
}

/** free_reserved_page: a PG_reserved boot page becomes a free, managed page. */
function free_reserved_page(buddy: Buddy, pfn: number): void {
  const z = buddy.page_zone(pfn);
  if (!z) return;
  buddy.pages.flags[pfn] &= ~(1 << PG.reserved);
  buddy.pages._refcount[pfn] = 1;
  buddy.allocOrder[pfn] = 1;
  z.managed_pages++;
  buddy.free(pfn, 0);
}

/**
 * nr_dirty_threshold / nr_dirty_background_threshold as global_dirty_limits computes them with the
 * default vm.dirty_ratio 20 and vm.dirty_background_ratio 10 (mm/page-writeback.c). The writeback
 * subsystem replaces these hooks (sys.vmstat.globalHooks) when it owns those knobs.
 */
function register_dirty_limits(sys: System): void {
  const b = sys.buddy;
  const v = sys.vmstat;
  const dirtyable = (): number => {
    let x = v.get('nr_free_pages');
    x -= Math.min(x, b.totalreserve_pages);
    x += v.get('nr_inactive_file') + v.get('nr_active_file');
    let high = 0;
    for (const z of b.zones) {
      if (z.idx !== 3) continue;
      const free = b.zone_free(z);
      high += free - Math.min(free, z._watermark[2] + z.watermark_boost) + v.zone(z, 'nr_zone_inactive_file') + v.zone(z, 'nr_zone_active_file');
    }
    x -= Math.min(high, x);
    return x + 1;
  };
  v.globalHooks['nr_dirty_threshold'] = () => Math.floor((20 * dirtyable()) / 100);
  v.globalHooks['nr_dirty_background_threshold'] = () => Math.floor((10 * dirtyable()) / 100);
}

function register_sysctls(sys: System): void {
  const b = sys.buddy;
  knob(sys, 'vm.min_free_kbytes', 'Free memory the kernel keeps for emergencies (sets the min watermarks)', 0, 2 ** 31 - 1,
    () => b.min_free_kbytes, (v) => {
      b.min_free_kbytes = v;
      b.user_min_free_kbytes = v;
      b.setup_per_zone_wmarks();
    });
  knob(sys, 'vm.watermark_scale_factor', 'Distance between watermarks in 1/10000 of a zone (1..3000)', 1, 3000,
    () => b.watermark_scale_factor, (v) => {
      b.watermark_scale_factor = v;
      b.setup_per_zone_wmarks();
    });
  knob(sys, 'vm.watermark_boost_factor', 'How far a fragmentation event boosts the high watermark (1/10000 of it)', 0, 2 ** 31 - 1,
    () => b.watermark_boost_factor, (v) => {
      b.watermark_boost_factor = v;
    });
  knob(sys, 'vm.percpu_pagelist_high_fraction', 'Per-cpu list high limit as a fraction of the zone (0 = from the low watermark)', 0, 2 ** 31 - 1,
    () => b.percpu_pagelist_high_fraction, (v) => {
      if (v !== 0 && v < 8) throw new KernelError(`sysctl: setting key "vm.percpu_pagelist_high_fraction": Invalid argument (0 or at least 8)`);
      b.percpu_pagelist_high_fraction = v;
      for (const z of b.zones) b.zone_pcp_update(z);
    });
  let extfrag = 500;
  knob(sys, 'vm.extfrag_threshold', 'Fragmentation index above which compaction is preferred to reclaim (0..1000)', 0, 1000,
    () => extfrag, (v) => {
      extfrag = v;
    });
  // One value per zone type the kernel has: DMA, DMA32, Normal, Movable on x86-64; DMA, Normal, HighMem, Movable on i386.
  const idx = sys.config.arch === 'x86_64' ? [0, 1, 2, 4] : [0, 2, 3, 4];
  sys.sysctls.register({
    name: 'vm.lowmem_reserve_ratio',
    help: 'Per zone: 1/ratio of the higher zones kept free in this zone for its own allocations (0 = none)',
    min: 0,
    max: 2 ** 31 - 1,
    length: idx.length,
    get: () => idx.map((i) => b.lowmem_reserve_ratio[i]),
    set: (v) => {
      const a = v as number[];
      idx.forEach((zi, k) => (b.lowmem_reserve_ratio[zi] = a[k]));
      b.setup_per_zone_lowmem_reserve();
    },
  });
  sys.procfs.register('/proc/sys/vm/lowmem_reserve_ratio', () => sys.sysctls.procText('vm.lowmem_reserve_ratio'));
}

