// Property test of the buddy allocator: long seeded random sequences of allocations and frees of
// every order with several GFP masks, on four machines, validating the allocator's invariants
// (after every operation on the small machine, periodically on the big ones), checking that no
// two live blocks overlap, that blocks are aligned and inside one zone, that bytes written into
// a block survive until it is freed, and that freeing everything merges the zones back.
import { describe, expect, it } from 'vitest';
import {
  createSystem, XorShift32, GFP_KERNEL, GFP_ATOMIC, GFP_NOWAIT, GFP_DMA, GFP_DMA32, GFP_HIGHUSER, GFP_HIGHUSER_MOVABLE,
  __GFP_COMP, __GFP_ZERO, __GFP_NOWARN, __GFP_RECLAIMABLE, __GFP_THISNODE,
} from '../lib/index.js';

interface Live {
  pfn: number;
  order: number;
  tag: number;
}

function runMachine(preset: string, ops: number, validateEvery: number, seed: number): void {
  const sys = createSystem({ preset, seed });
  sys.debug_vm = false;
  sys.buddy.check_pages = true;
  const b = sys.buddy;
  const rng = new XorShift32(seed * 7919 + 1);
  const x64 = sys.config.arch === 'x86_64';
  const masks = [
    GFP_KERNEL, GFP_KERNEL, GFP_HIGHUSER_MOVABLE, GFP_HIGHUSER_MOVABLE, GFP_ATOMIC, GFP_NOWAIT, GFP_KERNEL | __GFP_RECLAIMABLE,
    GFP_KERNEL | __GFP_COMP, GFP_KERNEL | __GFP_ZERO, GFP_DMA, GFP_HIGHUSER, x64 ? GFP_DMA32 : GFP_KERNEL,
    GFP_KERNEL | __GFP_THISNODE,
  ];
  const owner = new Int32Array(sys.pages.max_pfn);
  const live: Live[] = [];
  let nextTag = 1;
  sys.validate();
  const freeBlock = (i: number): void => {
    const l = live[i];
    if (sys.mem.readByte(l.pfn * 4096) !== (l.tag & 0xff) || owner[l.pfn] !== l.tag) expect([sys.mem.readByte(l.pfn * 4096), owner[l.pfn]]).toEqual([l.tag & 0xff, l.tag]);
    owner.fill(0, l.pfn, l.pfn + (1 << l.order));
    b.free(l.pfn, l.order);
    live[i] = live[live.length - 1];
    live.pop();
  };
  for (let op = 0; op < ops; op++) {
    const r = rng.next();
    if (live.length === 0 || (r & 3) !== 0 || (live.length < 400 && (r & 16) === 0)) {
      const ro = rng.next();
      const order = ro % 16 < 8 ? 0 : ro % 16 < 11 ? 1 : ro % 16 < 13 ? 2 : ro % 16 < 14 ? 3 : (ro >>> 8) % 11;
      const gfp = masks[(ro >>> 4) % masks.length] | __GFP_NOWARN;
      // nid -1 (the current CPU's node) takes the per-cpu fast path when it applies.
      const nid = ((ro >>> 12) % (sys.config.nodes.length + 1)) - 1;
      const pfn = b.alloc(gfp, order, nid);
      if (pfn >= 0) {
        const z = b.page_zone(pfn)!;
        const ok = pfn % (1 << order) === 0 && z !== undefined && pfn + (1 << order) <= z.zone_end_pfn &&
          z.idx <= b.gfp_zone(gfp) && (!(gfp & __GFP_THISNODE) || z.node === (nid < 0 ? b.numa_node_id() : nid));
        if (!ok) expect({ pfn, order, gfp, zone: z?.name, node: z?.node }).toBe('aligned, in one allowed zone');
        for (let p = pfn; p < pfn + (1 << order); p++) if (owner[p] !== 0) expect(`pfn ${p} of a new block is owned by ${owner[p]}`).toBe('');
        if (gfp & __GFP_ZERO && sys.mem.readByte(pfn * 4096 + 4095) !== 0) expect('__GFP_ZERO page not zeroed').toBe('');
        const tag = nextTag++;
        owner.fill(tag, pfn, pfn + (1 << order));
        sys.mem.writeByte(pfn * 4096, tag & 0xff);
        live.push({ pfn, order, tag });
      }
    } else {
      freeBlock((r >>> 8) % live.length);
    }
    if ((r >>> 20) % 997 === 0) b.drain_all_pages();
    if ((r >>> 20) % 991 === 1) sys.tick(250);
    if ((op + 1) % validateEvery === 0) sys.validate();
  }
  sys.validate();
  // Free everything: every zone gets back all it had.
  while (live.length) freeBlock(live.length - 1);
  b.drain_all_pages();
  sys.validate();
  for (const z of b.zones) {
    if (!z.populated) continue;
    let free = 0;
    for (let o = 0; o < 11; o++) free += z.nr_free[o] << o;
    expect(free).toBe(b.zone_free(z));
  }
}

describe('buddy allocator under random alloc/free sequences', () => {
  it('tiny: 25000 operations, validated after every one', () => {
    runMachine('tiny', 25000, 1, 1);
  });
  it('pc-4g: 35000 operations', () => {
    runMachine('pc-4g', 35000, 1000, 2);
  });
  it('i386-highmem: 20000 operations', () => {
    runMachine('i386-highmem', 20000, 1000, 3);
  });
  it('numa-2x8g: 20000 operations', () => {
    runMachine('numa-2x8g', 20000, 2000, 4);
  });
});
