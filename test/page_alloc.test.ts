// The buddy allocator: placement, merging, PCP, watermarks, reserves, fallback, NUMA, errors,
// fault injection, kswapd wake-ups, deferred blocks.
import { describe, expect, it } from 'vitest';
import {
  createSystem, KernelError, GFP_KERNEL, GFP_ATOMIC, GFP_NOWAIT, GFP_DMA, GFP_DMA32, GFP_HIGHUSER, GFP_HIGHUSER_MOVABLE,
  __GFP_ZERO, __GFP_COMP, __GFP_NOWARN, __GFP_THISNODE, __GFP_DMA, __GFP_DMA32, __GFP_HIGHMEM, __GFP_MOVABLE,
  ZONE_DMA, ZONE_DMA32, ZONE_NORMAL, ZONE_HIGHMEM, ZONE_MOVABLE, MIGRATE_MOVABLE, MIGRATE_UNMOVABLE,
  int_sqrt, min_free_kbytes_for, zone_batchsize, inspectZones, hex,
} from '../lib/index.js';
import type { System } from '../lib/index.js';

function sysOf(preset: string | object): System {
  const s = createSystem(preset as string);
  s.debug_vm = true;
  return s;
}
const NO_PFN = 0xffffffff;

describe('gfp_zone and zonelists', () => {
  it('maps GFP masks to the highest usable zone per architecture', () => {
    const x = createSystem('tiny').buddy;
    expect(x.gfp_zone(GFP_KERNEL)).toBe(ZONE_NORMAL);
    expect(x.gfp_zone(GFP_DMA)).toBe(ZONE_DMA);
    expect(x.gfp_zone(GFP_DMA32)).toBe(ZONE_DMA32);
    expect(x.gfp_zone(GFP_HIGHUSER)).toBe(ZONE_NORMAL);
    expect(x.gfp_zone(GFP_HIGHUSER_MOVABLE)).toBe(ZONE_MOVABLE);
    expect(x.gfp_zone(__GFP_MOVABLE)).toBe(ZONE_NORMAL);
    expect(x.gfp_zone(__GFP_DMA | __GFP_DMA32)).toBe(-1);
    expect(x.gfp_zone(__GFP_DMA | __GFP_HIGHMEM)).toBe(-1);
    const i = createSystem('i386-highmem').buddy;
    expect(i.gfp_zone(GFP_HIGHUSER)).toBe(ZONE_HIGHMEM);
    expect(i.gfp_zone(GFP_KERNEL)).toBe(ZONE_NORMAL);
  });

  it('an invalid zone combination is refused', () => {
    const s = sysOf('tiny');
    expect(() => s.alloc_pages(__GFP_DMA | __GFP_DMA32, 0)).toThrow(/GFP_ZONE_BAD/);
  });

  it('zonelists list zones highest first, nearest node first', () => {
    const s = createSystem('numa-2x8g');
    const names = (nid: number, h: number) => s.buddy.pgdat[nid].zonelists[h].map((z) => `${z.node}:${z.name}`);
    expect(names(0, ZONE_NORMAL)).toEqual(['0:Normal', '0:DMA32', '0:DMA', '1:Normal']);
    expect(names(1, ZONE_NORMAL)).toEqual(['1:Normal', '0:Normal', '0:DMA32', '0:DMA']);
    expect(names(1, ZONE_DMA32)).toEqual(['0:DMA32', '0:DMA']);
    expect(s.boot_log).toContain('Fallback order for Node 1: 1 0 ');
  });

  it('eight nodes: round-robin among equal distances (find_next_best_node)', () => {
    const s = createSystem({ memory: '32G', nodes: 8, cpus: 8 });
    const orders = s.buddy.pgdat.map((p) => p.node_order);
    for (let n = 0; n < 8; n++) {
      expect(orders[n][0]).toBe(n);
      expect([...orders[n]].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    }
    // Each node's second choice differs across nodes (node_load spreads the load).
    expect(new Set(orders.map((o) => o[1])).size).toBeGreaterThan(1);
  });
});

describe('watermarks, reserves, PCP sizes', () => {
  it('min_free_kbytes follows the kernel table', () => {
    expect(min_free_kbytes_for(16 * 1024)).toBe(512);
    expect(min_free_kbytes_for(1024 * 1024)).toBe(4096);
    expect(min_free_kbytes_for(4096 * 1024)).toBe(8192);
    expect(min_free_kbytes_for(16384 * 1024)).toBe(16384);
    expect(min_free_kbytes_for(1)).toBe(128);
    expect(min_free_kbytes_for(2 ** 40)).toBe(262144);
  });

  it('boot computes min_free_kbytes from managed lowmem before the init sections are freed', () => {
    const s = createSystem('pc-4g');
    const initPages = s.boot.image.initK / 4;
    let managed = 0;
    for (const z of s.buddy.zones) managed += z.managed_pages;
    expect(s.sysctl('vm.min_free_kbytes')).toBe(int_sqrt((managed - initPages) * 4 * 16));
  });

  it('watermarks and lowmem_reserve reproduce the reference example', () => {
    const s = createSystem('pc-16g');
    const [dma, dma32, normal] = s.buddy.pgdat[0].node_zones;
    dma.managed_pages = 3840;
    dma32.managed_pages = 772915;
    normal.managed_pages = 491520;
    s.sysctl('vm.min_free_kbytes', 67584);
    s.sysctl('vm.lowmem_reserve_ratio', [256, 256, 32, 0]);
    expect([dma._watermark[0], dma32._watermark[0], normal._watermark[0]]).toEqual([51, 10296, 6548]);
    expect([normal._watermark[1], normal._watermark[2], normal._watermark[3]]).toEqual([8185, 9822, 11459]);
    expect(Array.from(dma.lowmem_reserve)).toEqual([0, 3019, 4939, 4939, 4939]);
    expect(normal.pcp[0].batch).toBe(63);
    expect(normal.pcp[0].high_min).toBe(4092);
    expect(normal.pcp[0].high_max).toBe(30720);
    // totalreserve = Σ (max lowmem_reserve + high), capped at managed
    let tr = 0;
    for (const z of s.buddy.zones) {
      const m = Math.max(0, ...Array.from(z.lowmem_reserve)) + z._watermark[2];
      tr += Math.min(m, z.managed_pages);
    }
    expect(s.buddy.totalreserve_pages).toBe(tr);
  });

  it('khugepaged raises min_free_kbytes to 11 pageblocks per lowmem zone (67584 kB with three zones)', () => {
    const s = createSystem('pc-16g');
    s.buddy.set_recommended_min_free_kbytes(true);
    expect(s.sysctl('vm.min_free_kbytes')).toBe(512 * 3 * 11 * 4);
    const t = createSystem('tiny');
    t.buddy.set_recommended_min_free_kbytes(true);
    let lowmem = 0;
    for (const z of t.buddy.zones) lowmem += Math.max(0, z.managed_pages - z._watermark[2]);
    expect(t.sysctl('vm.min_free_kbytes')).toBeLessThanOrEqual(Math.max(512, Math.floor(lowmem / 20) * 4 + 512));
  });

  it('zone_batchsize: 63 for zones of 1 GiB and more, small zones get less', () => {
    expect(zone_batchsize(262144)).toBe(63);
    expect(zone_batchsize(491520)).toBe(63);
    expect(zone_batchsize(2 ** 25)).toBe(63);
    expect(zone_batchsize(65536)).toBe(15);
    expect(zone_batchsize(3000)).toBe(0);
  });

  it('highmem zones get a small fixed min watermark', () => {
    const s = createSystem('i386-highmem');
    const hm = s.buddy.pgdat[0].node_zones[ZONE_HIGHMEM];
    expect(hm.managed_pages).toBeGreaterThan(0);
    expect(hm._watermark[0]).toBe(Math.min(128, Math.max(32, Math.floor(hm.managed_pages / 1024))));
  });

  it('sysctls: ranges refused with the range, writes recompute', () => {
    const s = createSystem('tiny');
    expect(() => s.sysctl('vm.watermark_scale_factor', 0)).toThrow(/outside 1\.\.3000/);
    expect(() => s.sysctl('vm.watermark_scale_factor', 3001)).toThrow(/outside 1\.\.3000/);
    const z = s.buddy.pgdat[0].node_zones[ZONE_DMA];
    const gap0 = z._watermark[1] - z._watermark[0];
    s.sysctl('vm.watermark_scale_factor', 3000);
    expect(z._watermark[1] - z._watermark[0]).toBeGreaterThan(gap0);
    expect(z._watermark[1] - z._watermark[0]).toBe(Math.max(z._watermark[0] >> 2, Math.floor((z.managed_pages * 3000) / 10000)));
    s.sysctl('vm.min_free_kbytes', 1024);
    expect(z._watermark[0]).toBe(256);
    expect(s.read('/proc/sys/vm/min_free_kbytes')).toBe('1024\n');
    expect(() => s.sysctl('vm.percpu_pagelist_high_fraction', 4)).toThrow(/at least 8/);
    s.sysctl('vm.percpu_pagelist_high_fraction', 8);
    expect(z.pcp[0].high_min).toBe(z.pcp[0].high_max);
    expect(s.read('/proc/sys/vm/lowmem_reserve_ratio')).toBe('256\t256\t32\t0\n');
    expect(() => s.sysctl('vm.extfrag_threshold', 1001)).toThrow(/0\.\.1000/);
  });
});

describe('buddy placement and merging', () => {
  /** Empties the MOVABLE lists below order 10 of a zone (taking the blocks), returns them. */
  function takeSmall(s: System, zi: number): [number, number][] {
    const b = s.buddy;
    const z = b.pgdat[0].node_zones[zi];
    const taken: [number, number][] = [];
    for (let o = 0; o < 10; o++) {
      for (;;) {
        const h = z.freeHead[o * 5 + MIGRATE_MOVABLE];
        if (h === NO_PFN) break;
        const p = b.__rmqueue_smallest(z, o, MIGRATE_MOVABLE);
        taken.push([p, o]);
      }
    }
    return taken;
  }

  it('an order-0 request splits an order-10 block: B+1, B+2, ... B+512 head the lists', () => {
    const s = createSystem('pc-4g');
    const b = s.buddy;
    const z = b.pgdat[0].node_zones[ZONE_DMA32];
    takeSmall(s, ZONE_DMA32);
    const B = z.freeHead[10 * 5 + MIGRATE_MOVABLE];
    const nr10 = z.nr_free[10];
    expect(b.__rmqueue_smallest(z, 0, MIGRATE_MOVABLE)).toBe(B);
    for (let o = 0; o < 10; o++) {
      expect(z.freeHead[o * 5 + MIGRATE_MOVABLE]).toBe(B + (1 << o));
      expect(z.nr_free[o]).toBe(1);
    }
    expect(z.nr_free[10]).toBe(nr10 - 1);
    // Allocations take list heads: the next order-0 request returns B+1.
    expect(b.__rmqueue_smallest(z, 0, MIGRATE_MOVABLE)).toBe(B + 1);
    // B and B+1 merge on free (order 1), and then all the way up to order 10.
    b.__free_one_page(B + 1, z, 0, MIGRATE_MOVABLE, 0);
    expect(z.nr_free[0]).toBe(1);
    b.__free_one_page(B, z, 0, MIGRATE_MOVABLE, 0);
    for (let o = 0; o < 10; o++) expect(z.nr_free[o]).toBe(0);
    expect(z.nr_free[10]).toBe(nr10);
    expect(z.freeHead[10 * 5 + MIGRATE_MOVABLE]).toBe(B);
  });

  it('a freed block whose next-order buddy is free goes to the tail (buddy_merge_likely)', () => {
    const s = createSystem('pc-4g');
    const b = s.buddy;
    const z = b.pgdat[0].node_zones[ZONE_DMA32];
    takeSmall(s, ZONE_DMA32);
    const B = b.__rmqueue_smallest(z, 2, MIGRATE_MOVABLE); // B..B+3 taken, B+4 (o2), B+8 (o3) ... free
    const C = b.__rmqueue_smallest(z, 2, MIGRATE_MOVABLE); // B+4 taken
    expect(C).toBe(B + 4);
    const D = b.__rmqueue_smallest(z, 0, MIGRATE_MOVABLE); // splits B+8: B+8 taken, B+9 (o0), B+10 (o1) free
    expect(D).toBe(B + 8);
    const E = b.__rmqueue_smallest(z, 0, MIGRATE_MOVABLE); // B+9
    // Put a decoy at the head of the order-1 list: free B (order 1 of B..B+1) → its buddy B+2 is taken, so head.
    b.__free_one_page(E, z, 0, MIGRATE_MOVABLE, 0); // E=B+9 merges with... B+8 taken → stays order 0
    expect(z.freeHead[0 * 5 + MIGRATE_MOVABLE]).toBe(B + 9);
    // Free B+4 (order 2): its buddy B is taken, but the order-3 buddy B+8..B+15 is not wholly free,
    // so it goes to the head.
    b.__free_one_page(C, z, 2, MIGRATE_MOVABLE, 0);
    expect(z.freeHead[2 * 5 + MIGRATE_MOVABLE]).toBe(B + 4);
    // Now free B+8: merges with B+9 and B+10 into order 2 at B+8; its order-2 buddy B+12 is free → order 3 at B+8;
    // the order-3 buddy B is not free, but the order-4 buddy B+16 is: so the order-3 block goes to the tail.
    b.__free_one_page(D, z, 0, MIGRATE_MOVABLE, 0);
    expect(z.freeTail[3 * 5 + MIGRATE_MOVABLE]).toBe(B + 8);
  });
});

describe('public API', () => {
  it('alloc_pages / __free_pages: Page objects, refcount, counters', () => {
    const s = sysOf('tiny');
    const v = s.vmstat;
    const a0 = v.get('pgalloc_dma');
    const f0 = v.get('pgfree');
    const p = s.alloc_pages(GFP_KERNEL, 2)!;
    expect(p).toEqual({ pfn: p.pfn, order: 2 });
    expect(Object.isFrozen(p)).toBe(true);
    expect(s.pages._refcount[p.pfn]).toBe(1);
    expect(v.get('pgalloc_dma') - a0).toBe(4);
    s.__free_pages(p, 2);
    expect(s.pages._refcount[p.pfn]).toBe(0);
    expect(v.get('pgfree') - f0).toBe(4);
    const q = s.alloc_pages(GFP_KERNEL, 0)!;
    s.__free_pages(q.pfn, 0);
  });

  it('__GFP_ZERO clears content; content survives otherwise', () => {
    const s = sysOf('tiny');
    const p = s.alloc_pages(GFP_KERNEL, 0)!;
    s.mem.fill(p.pfn * 4096, 0xab, 4096);
    s.__free_pages(p, 0);
    const q = s.alloc_pages(GFP_KERNEL, 0)!;
    expect(q.pfn).toBe(p.pfn); // the PCP hands back the page just freed (LIFO)
    expect(s.mem.readByte(q.pfn * 4096)).toBe(0xab);
    s.__free_pages(q, 0);
    const z = s.alloc_pages(GFP_KERNEL | __GFP_ZERO, 0)!;
    expect(z.pfn).toBe(p.pfn);
    expect(s.mem.readByte(z.pfn * 4096)).toBe(0);
    s.__free_pages(z, 0);
  });

  it('__GFP_COMP makes a compound page', () => {
    const s = sysOf('tiny');
    const p = s.alloc_pages(GFP_KERNEL | __GFP_COMP, 3)!;
    expect(s.page(p.pfn).flags).toContain('head');
    expect(s.pages.compound_order[p.pfn]).toBe(3);
    for (let i = 1; i < 8; i++) {
      expect(s.pages.head(p.pfn + i)).toBe(p.pfn);
      expect(s.page(p.pfn + i).compound_head).toBe(p.pfn);
    }
    expect(() => s.__free_pages(p.pfn + 1, 0)).toThrow(/tail page of the compound page/);
    s.__free_pages(p, 3);
    expect(s.pages.compound_head[p.pfn + 1]).toBe(0);
    expect(s.page(p.pfn).flags).not.toContain('head');
  });

  it('__get_free_pages / free_pages / get_zeroed_page use direct-map addresses', () => {
    const s = sysOf('pc-4g');
    const a = s.__get_free_pages(GFP_KERNEL, 1)!;
    expect(hex(a).startsWith('0xffff888')).toBe(true);
    const pfn = (a - s.layout.page_offset) / 4096;
    expect(s.pages._refcount[pfn]).toBe(1);
    s.free_pages(a, 1);
    expect(s.pages._refcount[pfn]).toBe(0);
    const z = s.get_zeroed_page(GFP_KERNEL)!;
    expect(s.mem.readByte(z - s.layout.page_offset)).toBe(0);
    s.free_pages(z, 0);
    s.free_pages(0, 0); // free_pages(0) is a no-op, as in the kernel
    expect(() => s.free_pages(a + 12, 0)).toThrow(KernelError);
  });

  it('bad frees are refused in kernel terms and change nothing', () => {
    const s = sysOf('tiny');
    const p = s.alloc_pages(GFP_KERNEL, 1)!;
    const before = [s.read('/proc/buddyinfo'), s.read('/proc/vmstat'), s.read('/proc/zoneinfo')];
    expect(() => s.__free_pages(p, 2)).toThrow(/allocated with order 1, freed with order 2/);
    expect(() => s.__free_pages(p, 11)).toThrow(/invalid order 11/);
    expect(() => s.__free_pages(p, -1)).toThrow(/invalid order -1/);
    expect(() => s.__free_pages(p.pfn + 1, 0)).toThrow(/not allocated/);
    expect(() => s.__free_pages(0, 0)).toThrow(/Bad page state|not allocated/);
    expect(() => s.__free_pages(10 ** 9, 0)).toThrow(/not a page of RAM/);
    expect([s.read('/proc/buddyinfo'), s.read('/proc/vmstat'), s.read('/proc/zoneinfo')]).toEqual(before);
    s.__free_pages(p, 1);
    const after = s.read('/proc/buddyinfo');
    expect(() => s.__free_pages(p, 1)).toThrow(KernelError);
    expect(s.read('/proc/buddyinfo')).toBe(after);
    // A free block in the buddy lists: "double free"
    const fb = s.buddy.zones[0].freeHead[10 * 5 + 1];
    expect(() => s.__free_pages(fb, 0)).toThrow(/double free/);
    // A reserved page (the kernel image)
    expect(() => s.__free_pages(s.boot.image.start / 4096, 0)).toThrow(/Bad page state in process swapper\/0[\s\S]*PG_reserved/);
  });

  it('a page with a mapping or a page type cannot be freed', () => {
    const s = sysOf('tiny');
    const p = s.alloc_pages(GFP_KERNEL, 0)!;
    s.pages.mapping[p.pfn] = 42;
    expect(() => s.__free_pages(p, 0)).toThrow(/non-NULL mapping/);
    s.pages.mapping[p.pfn] = 43; // anonymous (low bit): cleared on free
    s.pages.mapcount[p.pfn] = 1;
    expect(() => s.__free_pages(p, 0)).toThrow(/nonzero mapcount/);
    s.pages.mapcount[p.pfn] = 0;
    s.__free_pages(p, 0);
    expect(s.pages.mapping[p.pfn]).toBe(0);
  });

  it('an extra reference keeps the first page: __free_pages frees the rest of a non-compound block', () => {
    const s = sysOf('tiny');
    const p = s.alloc_pages(GFP_KERNEL, 2)!;
    s.pages._refcount[p.pfn] = 2; // get_page()
    s.__free_pages(p, 2);
    expect(s.pages._refcount[p.pfn]).toBe(1);
    expect(s.page(p.pfn).order).toBe(0);
    s.__free_pages(p.pfn, 0);
  });

  it('order above MAX_PAGE_ORDER: NULL and a warning; negative: an error', () => {
    const s = sysOf('tiny');
    expect(s.alloc_pages(GFP_KERNEL, 11)).toBeNull();
    expect(s.dmesg.some((l) => l.startsWith('WARNING:') && l.includes('order 11'))).toBe(true);
    expect(() => s.alloc_pages(GFP_KERNEL, -1)).toThrow(KernelError);
  });

  it('split_page gives every page its own reference', () => {
    const s = sysOf('tiny');
    const p = s.alloc_pages(GFP_KERNEL, 2)!;
    s.buddy.split_page(p.pfn, 2);
    for (let i = 0; i < 4; i++) expect(s.pages._refcount[p.pfn + i]).toBe(1);
    for (let i = 3; i >= 0; i--) s.__free_pages(p.pfn + i, 0);
  });
});

describe('per-cpu lists', () => {
  it('the first order-0 allocation refills the PCP with a batch', () => {
    const s = sysOf('pc-4g');
    const z = s.buddy.pgdat[0].node_zones[ZONE_NORMAL];
    s.buddy.drain_all_pages(); // boot-time users (page tables ...) may have left pages here
    z.pcp[0].alloc_factor = 0;
    z.pcp[0].free_count = 0;
    expect(z.pcp[0].count).toBe(0);
    const free0 = s.buddy.zone_free(z);
    const p = s.alloc_pages(GFP_KERNEL, 0)!;
    expect(z.pcp[0].batch).toBe(63);
    expect(z.pcp[0].count).toBe(62);
    expect(s.buddy.zone_free(z)).toBe(free0 - 63);
    s.__free_pages(p, 0);
    expect(z.pcp[0].count).toBe(63);
    s.buddy.drain_all_pages();
    expect(z.pcp[0].count).toBe(0);
    expect(s.buddy.zone_free(z)).toBe(free0);
  });

  it('freeing past high sends a batch back to the buddy lists', () => {
    const s = sysOf('tiny');
    const z = s.buddy.pgdat[0].node_zones[ZONE_DMA];
    const got: number[] = [];
    for (let i = 0; i < 300; i++) got.push(s.alloc_pages(GFP_KERNEL, 0)!.pfn);
    for (const p of got) {
      s.buddy.free(p, 0);
      expect(z.pcp[0].count).toBeLessThanOrEqual(Math.max(z.pcp[0].high, z.pcp[0].high_max));
    }
    s.validate();
  });

  it('decay_pcp_high runs every second from the timer', () => {
    const s = sysOf('pc-4g');
    const z = s.buddy.pgdat[0].node_zones[ZONE_NORMAL];
    const ps: number[] = [];
    for (let i = 0; i < 2000; i++) ps.push(s.buddy.alloc(GFP_KERNEL, 0));
    for (const p of ps) s.buddy.free(p, 0);
    const high = z.pcp[0].high;
    s.tick(250);
    expect(z.pcp[0].high).toBeLessThanOrEqual(high);
    expect(z.pcp[0].count).toBeLessThanOrEqual(z.pcp[0].high);
  });
});

describe('watermarks in action', () => {
  it('GFP_KERNEL stops at min, GFP_ATOMIC digs deeper, GFP_NOWAIT gets no reserve; kswapd is woken', () => {
    const s = createSystem('tiny');
    s.trace.enabled = true;
    const z = s.buddy.pgdat[0].node_zones[ZONE_DMA];
    const min = z._watermark[0];
    let n = 0;
    while (s.buddy.alloc(GFP_KERNEL | __GFP_NOWARN, 0) >= 0) n++;
    expect(n).toBeGreaterThan(1000);
    // A fallback boosted the watermarks (kswapd, which would reset the boost, is not running).
    expect(s.buddy.zone_free(z)).toBeLessThanOrEqual(min + z.watermark_boost + z.lowmem_reserve[ZONE_NORMAL]);
    expect(s.buddy.alloc(GFP_NOWAIT, 0)).toBe(-1);
    let atomic = 0;
    while (s.buddy.alloc(GFP_ATOMIC | __GFP_NOWARN, 0) >= 0) atomic++;
    expect(atomic).toBeGreaterThan(0);
    // GFP_ATOMIC reaches 3/8 of min (ALLOC_MIN_RESERVE halves it, ALLOC_NON_BLOCK takes another quarter)
    const m = min - Math.floor(min / 2);
    expect(s.buddy.zone_free(z)).toBeLessThanOrEqual(m - Math.floor(m / 4));
    expect(s.trace.last().some((e) => e.name === 'mm_vmscan_kswapd_wake')).toBe(true);
    expect(s.buddy.pgdat[0].kswapd_wakeups).toBeGreaterThan(0);
    expect(s.buddy.hooks.kswapd).toBeUndefined();
    s.validate();
  });

  it('failure report in dmesg unless __GFP_NOWARN', () => {
    const s = createSystem('tiny');
    while (s.alloc_pages(GFP_KERNEL, 10) !== null) continue;
    const i = s.dmesg.findIndex((l) => l.includes('page allocation failure'));
    expect(s.dmesg[i]).toBe('swapper/0: page allocation failure: order:10, mode:0xcc0(GFP_KERNEL), nodemask=(null),cpuset=/,mems_allowed=0');
    expect(s.dmesg[i + 1]).toBe('CPU: 0 UID: 0 PID: 1 Comm: swapper/0 Not tainted 6.12.0-mmlab #1');
    expect(s.dmesg[i + 2]).toBe('Mem-Info:');
    expect(s.dmesg.slice(i)).toContain('0 pages hwpoisoned');
    expect(s.dmesg.slice(i).some((l) => /^Node 0 DMA: .* = \d+kB$/.test(l))).toBe(true);
    const n = s.dmesg.length;
    expect(s.alloc_pages(GFP_KERNEL | __GFP_NOWARN, 10)).toBeNull();
    expect(s.dmesg.length).toBe(n);
  });

  it('failure reports are rate-limited: 10 per 5 seconds', () => {
    const s = createSystem('tiny');
    const count = () => s.dmesg.filter((l) => l.includes('page allocation failure')).length;
    while (s.alloc_pages(GFP_DMA | __GFP_NOWARN, 10) !== null) continue;
    for (let i = 0; i < 15; i++) expect(s.alloc_pages(GFP_DMA, 10)).toBeNull();
    const n = count();
    expect(n).toBe(10);
    s.tick(5 * 250);
    s.alloc_pages(GFP_DMA, 10);
    expect(count()).toBe(11);
    expect(s.dmesg.some((l) => /^warn_alloc: \d+ callbacks suppressed$/.test(l))).toBe(true);
  });

  it('hooks: direct reclaim progress lets the allocation retry', () => {
    const s = createSystem('tiny');
    const held: number[] = [];
    let p: number;
    while ((p = s.buddy.alloc(GFP_KERNEL | __GFP_NOWARN, 0)) >= 0) held.push(p);
    let calls = 0;
    s.buddy.hooks.direct_reclaim = () => {
      calls++;
      for (let i = 0; i < 64; i++) s.buddy.free(held.pop()!, 0);
      return 64;
    };
    expect(s.buddy.alloc(GFP_KERNEL, 0)).toBeGreaterThanOrEqual(0);
    expect(calls).toBe(1);
  });
});

describe('migratetypes and fallback', () => {
  it('an unmovable request claims whole movable pageblocks first (largest first)', () => {
    const s = sysOf('pc-4g');
    s.trace.enabled = true;
    const z = s.buddy.pgdat[0].node_zones[ZONE_NORMAL];
    const blocks = () => inspectZones(s).find((x) => x.zone === 'Normal')!.blocks_by_type[MIGRATE_UNMOVABLE];
    let before = blocks();
    let ev: ReturnType<typeof s.trace.last>[number] | undefined;
    for (let i = 0; i < 100000 && !ev; i++) {
      before = blocks();
      s.trace.clear();
      const p = s.buddy.alloc(GFP_KERNEL, 9);
      expect(s.buddy.get_pageblock_migratetype(p)).toBe(MIGRATE_UNMOVABLE);
      ev = s.trace.last().find((e) => e.name === 'mm_page_alloc_extfrag');
    }
    expect(blocks() - before).toBe(2); // one order-10 block = 2 pageblocks
    expect(ev!.fields).toMatchObject({ fallback_order: 10, alloc_migratetype: 0, fallback_migratetype: 1, change_ownership: 1 });
    expect(z.watermark_boost).toBe(0);
  });

  it('tiny machines turn mobility grouping off: everything is unmovable', () => {
    const s = sysOf({ memory: '8M', nodes: 1, cpus: 1 } as never);
    expect(s.buddy.page_group_by_mobility_disabled).toBe(true);
    expect(s.boot_log.some((l) => l.includes('mobility grouping off'))).toBe(true);
    s.trace.enabled = true;
    expect(s.alloc_pages(GFP_HIGHUSER_MOVABLE, 0)).not.toBeNull();
    expect(s.trace.last().find((e) => e.name === 'mm_page_alloc')!.fields.migratetype).toBe(MIGRATE_UNMOVABLE);
    expect(createSystem('tiny').buddy.page_group_by_mobility_disabled).toBe(false);
  });

  it('movable requests stay on movable blocks', () => {
    const s = sysOf('pc-4g');
    const p = s.alloc_pages(GFP_HIGHUSER_MOVABLE, 0)!;
    expect(s.buddy.get_pageblock_migratetype(p.pfn)).toBe(MIGRATE_MOVABLE);
  });
});

describe('NUMA', () => {
  it('allocates on the preferred node, counts numa_hit / numa_other, falls back by distance', () => {
    const s = sysOf('numa-2x8g');
    const p = s.alloc_pages(GFP_KERNEL, 0, 1)!;
    expect(s.page(p.pfn).node).toBe(1);
    const n1 = s.buddy.pgdat[1].node_zones[ZONE_NORMAL];
    expect(s.vmstat.zone(n1, 'numa_hit')).toBe(1);
    expect(s.vmstat.zone(n1, 'numa_other')).toBe(1); // CPU 0 sits on node 0
    expect(s.read('/sys/devices/system/node/node1/numastat')).toBe('numa_hit 1\nnuma_miss 0\nnuma_foreign 0\ninterleave_hit 0\nlocal_node 0\nother_node 1\n');
    expect(s.read('/sys/devices/system/node/node0/distance')).toBe('10 20\n');
    s.__free_pages(p, 0);
  });

  it('__GFP_THISNODE never leaves the node', () => {
    const s = createSystem({ memory: '8M', nodes: 2, cpus: 2 });
    let n = 0;
    let p: number;
    while ((p = s.buddy.alloc(GFP_KERNEL | __GFP_THISNODE | __GFP_NOWARN, 0, 1)) >= 0) {
      expect(s.buddy.page_zone(p)!.node).toBe(1);
      n++;
    }
    expect(n).toBeGreaterThan(100);
    const q = s.buddy.alloc(GFP_KERNEL | __GFP_NOWARN, 0, 1);
    expect(s.buddy.page_zone(q)!.node).toBe(0);
    const z0 = s.buddy.pgdat[0].node_zones[ZONE_DMA];
    expect(s.vmstat.zone(z0, 'numa_miss')).toBe(1);
  });
});

describe('fault injection (fail_page_alloc)', () => {
  it('probability with times; GFP_KERNEL is spared unless ignore_gfp_wait is off', () => {
    const s = createSystem('tiny');
    s.fail_page_alloc.configure({ probability: 100, times: 2, min_order: 0 });
    expect(s.alloc_pages(GFP_KERNEL, 0)).not.toBeNull();
    expect(s.alloc_pages(GFP_ATOMIC, 0)).toBeNull();
    expect(s.alloc_pages(GFP_ATOMIC, 0)).toBeNull();
    expect(s.alloc_pages(GFP_ATOMIC, 0)).not.toBeNull();
    expect(s.fail_page_alloc.failures).toBe(2);
    expect(s.dmesg).toContain('FAULT_INJECTION: forcing a failure.');
    s.fail_page_alloc.configure({ ignore_gfp_wait: false, nth: 3, min_order: 0 });
    expect(s.alloc_pages(GFP_KERNEL, 0)).not.toBeNull();
    expect(s.alloc_pages(GFP_KERNEL, 0)).not.toBeNull();
    expect(s.alloc_pages(GFP_KERNEL, 0)).toBeNull();
    expect(s.alloc_pages(GFP_KERNEL, 0)).not.toBeNull();
    expect(() => s.fail_page_alloc.configure({ probability: 101 })).toThrow(/probability/);
  });

  it('a seeded probability gives the same failures for the same seed', () => {
    const run = () => {
      const s = createSystem({ preset: 'tiny', seed: 7 });
      s.fail_page_alloc.configure({ probability: 30, min_order: 0, ignore_gfp_wait: false, verbose: 0 });
      return Array.from({ length: 40 }, () => (s.alloc_pages(GFP_KERNEL, 0) ? 1 : 0)).join('');
    };
    expect(run()).toBe(run());
    expect(run()).toMatch(/0/);
  });
});

describe('sys.page and vmstat API', () => {
  it('decodes free, allocated, reserved pages; a hole is an error', () => {
    const s = createSystem('tiny');
    expect(s.page(0x10).flags).toContain('reserved');
    expect(s.page(0x10).state).toBe('reserved');
    const p = s.alloc_pages(GFP_KERNEL, 1)!;
    const v = s.page(p.pfn);
    expect(v).toMatchObject({ pfn: p.pfn, refcount: 1, order: 1, node: 0, zone: 'DMA', state: 'allocated' });
    expect(v.phys).toBe(hex(p.pfn * 4096));
    const fb = s.buddy.zones[0].freeHead[10 * 5 + 1];
    expect(s.page(fb)).toMatchObject({ page_type: 'buddy', order: 10, state: 'free', migratetype: 'Movable' });
    expect(() => s.page(0)).toThrow(/not a page of RAM/);
    expect(() => s.page(0xa0)).toThrow(KernelError);
    expect(() => s.page(1 << 30)).toThrow(KernelError);
  });

  it('counters: by name, node and zone; wrong kind refused', () => {
    const s = createSystem('numa-2x8g');
    const v = s.vmstat;
    v.mod_node(1, 'nr_anon_pages', 5);
    v.mod_node(0, 'nr_anon_pages', 2);
    expect(v.get('nr_anon_pages')).toBe(7);
    expect(v.node(1, 'nr_anon_pages')).toBe(5);
    v.inc('pgfault');
    v.inc('pgfault', 2);
    expect(v.get('pgfault')).toBe(3);
    expect(() => v.inc('nr_anon_pages')).toThrow(/mod_node/);
    expect(() => v.inc('nr_free_pages')).toThrow(/mod_zone/);
    expect(() => v.get('no_such_counter')).toThrow(/no counter/);
    const slab = () => Number(/\nnr_slab_unreclaimable (\d+)\n/.exec(s.read('/proc/vmstat'))![1]);
    const sunr = () => Number(/\nSUnreclaim: +(\d+) kB\n/.exec(s.read('/proc/meminfo'))![1]);
    const [a, m] = [slab(), sunr()];
    v.mod_node(0, 'nr_slab_unreclaimable_B', 8192);
    expect(slab() - a).toBe(2);
    expect(sunr() - m).toBe(8);
    let free = 0;
    for (const z of s.buddy.zones) free += s.buddy.zone_free(z);
    expect(v.get('nr_free_pages')).toBe(free);
  });
});

describe('deferred blocks', () => {
  it('hand out blocks in exactly the order eager initialisation gives', () => {
    const a = createSystem('pc-16g');
    const b = createSystem('pc-16g');
    for (const z of b.buddy.zones) b.buddy.deferred_flush(z);
    expect(a.buddy.zones.some((z) => z.deferred_next !== NO_PFN)).toBe(true);
    expect(b.buddy.zones.every((z) => z.deferred_next === NO_PFN)).toBe(true);
    expect(a.read('/proc/buddyinfo')).toBe(b.read('/proc/buddyinfo'));
    const seq = (s: System) => {
      const out: number[] = [];
      for (let i = 0; i < 300; i++) out.push(s.buddy.alloc(GFP_KERNEL, i % 3 === 0 ? 10 : 3));
      for (let i = 0; i < 300; i += 2) s.buddy.free(out[i], i % 3 === 0 ? 10 : 3);
      for (let i = 0; i < 100; i++) out.push(s.buddy.alloc(GFP_HIGHUSER_MOVABLE, 10));
      return out;
    };
    expect(seq(a)).toEqual(seq(b));
    expect(a.read('/proc/buddyinfo')).toBe(b.read('/proc/buddyinfo'));
    expect(a.read('/proc/pagetypeinfo')).toBe(b.read('/proc/pagetypeinfo'));
    a.validate();
    b.validate();
  });

  it('deferred blocks look free to sys.page and PageBuddy', () => {
    const s = createSystem('pc-16g');
    const z = s.buddy.pgdat[0].node_zones[ZONE_NORMAL];
    const p = z.deferred_next + 5 * 1024;
    expect(s.buddy.PageBuddy(p)).toBe(true);
    expect(s.buddy.buddy_order(p)).toBe(10);
    expect(s.page(p)).toMatchObject({ page_type: 'buddy', order: 10, state: 'free' });
    expect(s.page(p + 7).state).toBe('free');
    expect(s.pages.page_type[p]).toBe(0); // not initialised yet
  });
});
