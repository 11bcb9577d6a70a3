// SLUB's fast paths (slab_alloc's per-cpu freelist pop, kfree's free_object and the inline part of
// __slab_free) must do exactly what the checked general paths do. A debugging hook that does
// nothing forces every call onto the general paths, so the same random sequence is replayed on two
// identical machines, one with such a hook: every address handed out, every error, every byte
// read back and every /proc file must agree.
import { describe, expect, it } from 'vitest';
import { createSystem, XorShift32, GFP_KERNEL, GFP_ATOMIC, GFP_DMA, __GFP_RECLAIMABLE, __GFP_ZERO } from '../lib/index.js';
import { SLAB_HWCACHE_ALIGN, SLAB_NO_MERGE, SLAB_RECLAIM_ACCOUNT } from '../lib/mm/slab.js';

function replay(preset: string, general: boolean, ops: number): string[] {
  const sys = createSystem({ preset, seed: 7 });
  const sl = sys.slab.slub;
  if (general) {
    sl.hooks.push({});
    sl.slowpath = sl.computeSlowpath();
  }
  const caches = [
    sys.kmem_cache_create('fp_small', 24, 0, SLAB_NO_MERGE),
    sys.kmem_cache_create('fp_hw', 200, 0, SLAB_HWCACHE_ALIGN | SLAB_RECLAIM_ACCOUNT),
    sys.kmem_cache_create('fp_ctor', 700, 0, 0, () => {}),
  ];
  const sizes = [8, 16, 24, 32, 64, 96, 100, 128, 192, 256, 500, 512, 1024, 2048, 3000, 4096, 8192, 9000];
  const gfps = [GFP_KERNEL, GFP_KERNEL, GFP_ATOMIC, GFP_KERNEL | __GFP_ZERO, GFP_DMA, GFP_KERNEL | __GFP_RECLAIMABLE];
  const rng = new XorShift32(2024);
  const out: string[] = [];
  const live: { addr: number; cache: number; len: number; fill: number }[] = [];
  const attempt = (f: () => unknown): void => {
    try {
      out.push(String(f()));
    } catch (e) {
      out.push((e as Error).message);
    }
  };
  for (let i = 0; i < ops; i++) {
    const r = rng.next();
    if (i % 3000 === 2999) sys.slab.slub.cpu = (sys.slab.slub.cpu + 1) % sys.config.cpus;
    if (live.length === 0 || ((r & 3) !== 0 && live.length < 4000)) {
      const c = (r >>> 2) % 5;
      let addr: number | null;
      let len: number;
      if (c < 3) {
        len = caches[c].object_size;
        addr = sys.kmem_cache_alloc(caches[c], (r >>> 8) % 4 === 0 ? GFP_KERNEL | __GFP_ZERO : GFP_KERNEL);
      } else {
        len = sizes[(r >>> 8) % sizes.length];
        addr = sys.kmalloc(len, gfps[(r >>> 16) % gfps.length]);
      }
      out.push(String(addr));
      if (addr !== null) {
        // Zeroed memory must read back as zeroes; then the object gets a pattern of its own.
        const head = sys.kread(addr, Math.min(len, 16));
        out.push(head.join(','));
        const fill = (i & 0xfe) + 1;
        sys.kwrite(addr, new Uint8Array(len).fill(fill));
        live.push({ addr, cache: c < 3 ? c : -1, len, fill });
      }
    } else {
      const j = (r >>> 4) % live.length;
      const o = live[j];
      live[j] = live[live.length - 1];
      live.pop();
      const bytes = sys.kread(o.addr, o.len);
      out.push(String(bytes.every((b) => b === o.fill)));
      if (o.cache >= 0) sys.kmem_cache_free(caches[o.cache], o.addr);
      else sys.kfree(o.addr);
      // Now and then a bad free of what was just freed, or of a pointer into the middle.
      if ((r >>> 24) % 64 === 0) attempt(() => sys.kfree(o.addr));
      if ((r >>> 24) % 64 === 1 && live.length) attempt(() => sys.kfree(live[0].addr + 8));
    }
  }
  sys.validate();
  for (const f of ['/proc/slabinfo', '/proc/meminfo', '/proc/vmstat', '/proc/buddyinfo']) out.push(sys.read(f));
  return out;
}

describe('slab allocator fast paths', () => {
  for (const preset of ['pc-4g', 'numa-2x8g']) {
    it(`${preset}: the same objects, bytes, errors and counters on the fast and the general paths`, () => {
      const fast = replay(preset, false, 30000);
      const general = replay(preset, true, 30000);
      expect(fast.length).toBe(general.length);
      for (let i = 0; i < fast.length; i++) if (fast[i] !== general[i]) expect({ i, fast: fast[i] }).toEqual({ i, fast: general[i] });
    });
  }
});
