// Property tests: random kmalloc/kfree/kmem_cache_* sequences with validate() after every step,
// every byte written into an object intact until the object is freed, and every free object's
// bytes holding its free pointer whenever they are read (the free path owes them to the page).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createSystem } from '../lib/index.js';
import { GFP_ATOMIC, GFP_DMA, GFP_KERNEL, __GFP_RECLAIMABLE } from '../lib/mm/gfp.js';
import { SL32, SL_BASE, SL_CACHE, SL_OBJECTS, SL_WHERE, SLAB_HWCACHE_ALIGN, SLAB_NO_MERGE, SLAB_UNUSED } from '../lib/mm/slab.js';
import type { KmemCache } from '../lib/mm/slab.js';
import type { System } from '../lib/system.js';

/**
 * Reads every free object's free pointer from memory (which writes whatever the free path still
 * owes those pages first) and compares it with the freelist link in the slab's records.
 */
function checkFreePointerBytes(sys: System): void {
  const sl = sys.slab.slub;
  const t = sl.slabs;
  for (let id = 0; id < t.top; id++) {
    if (t.i32[id << SL32 | SL_WHERE] === SLAB_UNUSED) continue;
    const s = sl.caches[t.i32[id << SL32 | SL_CACHE]];
    const b = t.i32[id << SL32 | SL_BASE];
    for (let i = 0; i < t.i32[id << SL32 | SL_OBJECTS]; i++) {
      const next = t.obj[b + i];
      if (next < -1) continue;
      const want = next < 0 ? 0 : t.first[id] + next * s.size;
      const got = sys.mem.readPtr(sl.pa(t.first[id] + i * s.size) + s.offset);
      if (got !== want) throw new Error(`${s.name} slab ${id} object ${i}: free pointer ${got} in memory, ${want} in the freelist`);
    }
  }
}

type Op =
  | { k: 'kmalloc'; size: number; gfp: number }
  | { k: 'kfree'; j: number }
  | { k: 'calloc'; c: number }
  | { k: 'cfree'; j: number }
  | { k: 'shrink'; c: number }
  | { k: 'cpu'; cpu: number }
  | { k: 'krealloc'; j: number; size: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ k: fc.constant('kmalloc' as const), size: fc.oneof(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 20000 })), gfp: fc.constantFrom(GFP_KERNEL, GFP_ATOMIC, GFP_DMA, GFP_KERNEL | __GFP_RECLAIMABLE) }) },
  { weight: 5, arbitrary: fc.record({ k: fc.constant('kfree' as const), j: fc.nat() }) },
  { weight: 4, arbitrary: fc.record({ k: fc.constant('calloc' as const), c: fc.nat(2) }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('cfree' as const), j: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('shrink' as const), c: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('cpu' as const), cpu: fc.nat(1) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('krealloc' as const), j: fc.nat(), size: fc.integer({ min: 1, max: 5000 }) }) },
);

function run(ops: Op[], cmdline: string): void {
  // The slab validator runs after every step; the whole machine's every 25 steps and at the end
  // (the other subsystems' validators walk every page and would dominate the run time).
  const sys = createSystem({ preset: 'pc-4g', memory: '256M', cmdline });
  const caches: KmemCache[] = [
    sys.kmem_cache_create('p_small', 24, 0, SLAB_NO_MERGE),
    sys.kmem_cache_create('p_hw', 200, 0, SLAB_HWCACHE_ALIGN),
    sys.kmem_cache_create('p_ctor', 700, 0, 0, () => {}),
  ];
  const live: { addr: number; size: number; cache: number; fill: number }[] = [];
  let stamp = 1;
  let step = 0;
  const write = (addr: number, size: number) => {
    const fill = stamp++ & 0xff;
    sys.kwrite(addr, new Uint8Array(size).fill(fill));
    return fill;
  };
  const check = (o: { addr: number; size: number; fill: number }) => {
    const b = sys.kread(o.addr, o.size);
    for (let i = 0; i < b.length; i++) if (b[i] !== o.fill) throw new Error(`byte ${i} of ${o.addr} changed`);
  };
  for (const op of ops) {
    switch (op.k) {
      case 'kmalloc': {
        const p = sys.kmalloc(op.size, op.gfp);
        if (p !== null) live.push({ addr: p, size: op.size, cache: -1, fill: write(p, op.size) });
        break;
      }
      case 'calloc': {
        const s = caches[op.c];
        const p = sys.kmem_cache_alloc(s, GFP_KERNEL);
        if (p !== null) live.push({ addr: p, size: s.object_size, cache: op.c, fill: write(p, s.object_size) });
        break;
      }
      case 'kfree':
      case 'cfree': {
        if (!live.length) break;
        const j = op.j % live.length;
        const o = live[j];
        check(o);
        if (o.cache >= 0 && op.k === 'cfree') sys.kmem_cache_free(caches[o.cache], o.addr);
        else sys.kfree(o.addr);
        live[j] = live[live.length - 1];
        live.pop();
        break;
      }
      case 'krealloc': {
        const cand = live.filter((o) => o.cache < 0);
        if (!cand.length) break;
        const o = cand[op.j % cand.length];
        check(o);
        const q = sys.krealloc(o.addr, op.size, GFP_KERNEL);
        if (q !== null) {
          const keep = Math.min(o.size, op.size);
          const b = sys.kread(q, keep);
          for (let i = 0; i < keep; i++) if (b[i] !== o.fill) throw new Error('krealloc lost data');
          o.addr = q;
          o.size = op.size;
          o.fill = write(q, op.size);
        }
        break;
      }
      case 'shrink':
        sys.kmem_cache_shrink(caches[op.c]);
        break;
      case 'cpu':
        sys.slab.slub.cpu = op.cpu;
        break;
    }
    sys.slab.validate();
    if (++step % 25 === 0) sys.validate();
    if (step % 10 === 0) checkFreePointerBytes(sys);
  }
  sys.validate();
  checkFreePointerBytes(sys);
  for (const o of live) check(o);
  for (const o of live) sys.kfree(o.addr);
  for (const s of caches) sys.kmem_cache_destroy(s);
  sys.validate();
  expect(sys.slab.slub.slab_caches.some((s) => s.name.startsWith('p_'))).toBe(false);
}

describe('property: random slab sequences keep every invariant and every byte', () => {
  it('plain SLUB', () => {
    fc.assert(fc.property(fc.array(opArb, { minLength: 1, maxLength: 120 }), (ops) => run(ops, '')), { numRuns: 25, seed: 42 });
  });
  it('with slab_debug=FZPU on every cache', () => {
    fc.assert(fc.property(fc.array(opArb, { minLength: 1, maxLength: 80 }), (ops) => run(ops, 'slab_debug=FZPU')), { numRuns: 12, seed: 7 });
  });
  it('with KASAN (quarantine) on', () => {
    fc.assert(fc.property(fc.array(opArb, { minLength: 1, maxLength: 80 }), (ops) => run(ops, 'kasan=on')), { numRuns: 10, seed: 9 });
  });
  it('a long seeded churn on one cpu pair', () => {
    const ops: Op[] = [];
    let x = 2463534242;
    const next = () => {
      x ^= x << 13; x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5; x >>>= 0;
      return x;
    };
    for (let i = 0; i < 1500; i++) {
      const r = next();
      if (r % 7 === 0) ops.push({ k: 'cpu', cpu: (r >>> 3) & 1 });
      else if (r & 8) ops.push({ k: 'kmalloc', size: [8, 16, 64, 96, 192, 512, 2048, 4096][(r >>> 4) & 7], gfp: GFP_KERNEL });
      else ops.push({ k: 'kfree', j: r >>> 8 });
    }
    run(ops, '');
  });
});
