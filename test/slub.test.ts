// SLUB core: geometry, freelists in object bytes, per-cpu/partial lists, merging, shrink,
// destroy, /proc/slabinfo, accounting, validators and refusals.
import { describe, expect, it } from 'vitest';
import { createSystem } from '../lib/index.js';
import { KernelError } from '../lib/base/errors.js';
import { GFP_KERNEL } from '../lib/mm/gfp.js';
import { SL32, SL_CACHE, SL_FREE, SL_ORDER, SL_WHERE, SLAB_HWCACHE_ALIGN, SLAB_NO_MERGE, SLAB_POISON, SLAB_RECLAIM_ACCOUNT } from '../lib/mm/slab.js';
import { kmalloc_cache_name, kmalloc_index } from '../lib/mm/slab_common.js';
import { SLAB_CPU, SLAB_CPU_PARTIAL, SLAB_FULL, SLAB_NODE_PARTIAL } from '../lib/mm/slub.js';

function boot(cmdline = '', preset = 'pc-4g') {
  const sys = createSystem({ preset, memory: preset === 'pc-4g' ? '512M' : undefined, cmdline });
  sys.debug_vm = true;
  return sys;
}

describe('slab geometry', () => {
  it('kmalloc caches match the reference table for 2 CPUs (objects/pages)', () => {
    const sys = boot();
    const want: Record<string, [number, number]> = {
      'kmalloc-8': [512, 1], 'kmalloc-16': [256, 1], 'kmalloc-32': [128, 1], 'kmalloc-64': [64, 1],
      'kmalloc-96': [42, 1], 'kmalloc-128': [32, 1], 'kmalloc-192': [21, 1], 'kmalloc-256': [16, 1],
      'kmalloc-512': [16, 2], 'kmalloc-1k': [16, 4], 'kmalloc-2k': [16, 8], 'kmalloc-4k': [8, 8], 'kmalloc-8k': [4, 8],
    };
    for (const [name, [objs, pages]] of Object.entries(want)) {
      const s = sys.slab.find_cache(name)!;
      expect([name, s.oo_objects, 1 << s.oo_order]).toEqual([name, objs, pages]);
    }
    // min_partial = clamp(ilog2(size)/2, 5, 10); cpu_partial by size
    expect(sys.slab.find_cache('kmalloc-8')!.min_partial).toBe(5);
    expect(sys.slab.find_cache('kmalloc-8k')!.min_partial).toBe(6);
    expect(sys.slab.find_cache('kmalloc-64')!.cpu_partial).toBe(120);
    expect(sys.slab.find_cache('kmalloc-256')!.cpu_partial).toBe(52);
    expect(sys.slab.find_cache('kmalloc-1k')!.cpu_partial).toBe(24);
    expect(sys.slab.find_cache('kmalloc-4k')!.cpu_partial).toBe(6);
    // 96 and 192 are aligned to the largest power of two dividing them
    expect(sys.slab.find_cache('kmalloc-96')!.align).toBe(32);
    expect(sys.slab.find_cache('kmalloc-192')!.align).toBe(64);
  });

  it('min_objects follows the CPU count (4 x (fls(cpus)+1))', () => {
    const sys = createSystem({ preset: 'numa-2x8g' }); // 4 CPUs: min_objects 16
    expect(sys.slab.slub.min_objects()).toBe(16);
    expect(sys.slab.find_cache('kmalloc-256')!.oo_order).toBe(0);
    expect(sys.slab.find_cache('kmalloc-512')!.oo_order).toBe(1);
    const one = createSystem('tiny'); // 1 CPU: 8
    expect(one.slab.slub.min_objects()).toBe(8);
  });

  it('maps sizes to kmalloc classes like kmalloc_slab', () => {
    const cases: [number, string][] = [
      [1, 'kmalloc-8'], [8, 'kmalloc-8'], [9, 'kmalloc-16'], [33, 'kmalloc-64'], [65, 'kmalloc-96'], [96, 'kmalloc-96'],
      [97, 'kmalloc-128'], [100, 'kmalloc-128'], [129, 'kmalloc-192'], [130, 'kmalloc-192'], [193, 'kmalloc-256'],
      [200, 'kmalloc-256'], [1025, 'kmalloc-2k'], [4097, 'kmalloc-8k'], [8192, 'kmalloc-8k'],
    ];
    for (const [size, name] of cases) expect([size, kmalloc_cache_name(kmalloc_index(size))]).toEqual([size, name]);
  });

  it('places the free pointer mid-object, or after it with a ctor or poisoning', () => {
    const sys = boot();
    const a = sys.kmem_cache_create('fp_mid', 72, 0, SLAB_NO_MERGE);
    expect(a.offset).toBe(32); // ALIGN_DOWN(72/2, 8)
    expect(a.size).toBe(72);
    const b = sys.kmem_cache_create('fp_ctor', 72, 0, 0, () => {});
    expect(b.offset).toBe(72);
    expect(b.size).toBe(80);
    const c = sys.kmem_cache_create('fp_poison', 72, 0, SLAB_POISON);
    expect(c.offset).toBe(72);
    const d = sys.kmem_cache_create('hw', 20, 0, SLAB_HWCACHE_ALIGN | SLAB_NO_MERGE);
    expect(d.align).toBe(32);
    expect(d.size).toBe(32);
  });
});

describe('SLUB allocation and free', () => {
  it('hands out objects in address order from a fresh slab and keeps the free pointer in the bytes', () => {
    const sys = boot();
    const s = sys.kmem_cache_create('walk', 64, 0, SLAB_NO_MERGE);
    const a = sys.kmem_cache_alloc(s, GFP_KERNEL)!;
    const b = sys.kmem_cache_alloc(s, GFP_KERNEL)!;
    expect(b - a).toBe(64);
    // The next free object is b + 64; its address is stored at a free object's offset 32.
    const c = b + 64;
    const fp = sys.kread(c + s.offset, 8);
    const dv = new DataView(fp.buffer);
    const stored = dv.getInt32(4, true) * 2 ** 32 + dv.getUint32(0, true);
    expect(stored).toBe(c + 64);
    // LIFO: a freed object comes back first.
    sys.kmem_cache_free(s, a);
    expect(sys.kmem_cache_alloc(s, GFP_KERNEL)).toBe(a);
    sys.validate();
  });

  it('runs the slab life cycle: cpu slab, full, cpu partial, node partial, freed', () => {
    const sys = boot();
    sys.debug_vm = false; // 1300 steps: validated at the end
    const s = sys.kmem_cache_create('cycle', 512, 0, SLAB_NO_MERGE); // 16 per order-1 slab
    const t = sys.slab.slub.slabs;
    const objs: number[] = [];
    for (let i = 0; i < 16 * 40; i++) objs.push(sys.kmem_cache_alloc(s, GFP_KERNEL)!);
    const slabOf = (o: number) => sys.slab.slub.addrToSlab(o);
    const first = slabOf(objs[0]);
    expect(t.i32[first << SL32 | SL_WHERE]).toBe(SLAB_FULL);
    expect(t.i32[(slabOf(objs[objs.length - 1])) << SL32 | SL_WHERE]).toBe(SLAB_CPU);
    // Free one object of a full slab: it goes to the per-cpu partial list.
    sys.kmem_cache_free(s, objs[0]);
    expect(t.i32[first << SL32 | SL_WHERE]).toBe(SLAB_CPU_PARTIAL);
    // Free one from many full slabs: the cpu partial list overflows to the node list.
    for (let k = 1; k < 39; k++) sys.kmem_cache_free(s, objs[k * 16]);
    let node = 0, cpuPartial = 0;
    for (let k = 0; k < 39; k++) {
      const w = t.i32[(slabOf(objs[k * 16 + 1])) << SL32 | SL_WHERE];
      if (w === SLAB_NODE_PARTIAL) node++;
      if (w === SLAB_CPU_PARTIAL) cpuPartial++;
    }
    expect(node).toBeGreaterThan(0);
    expect(cpuPartial).toBeGreaterThan(0);
    expect(cpuPartial).toBeLessThanOrEqual(s.cpu_partial_slabs);
    // Free everything: empty slabs beyond min_partial go back to the page allocator.
    const freed = new Set([0, ...Array.from({ length: 38 }, (_, k) => (k + 1) * 16)]);
    objs.forEach((o, i) => freed.has(i) || sys.kmem_cache_free(s, o));
    sys.kmem_cache_shrink(s);
    expect(s.nr_slabs[0]).toBe(0);
    sys.validate();
  });

  it('writes every owed free pointer before its slab goes back to the page allocator', () => {
    // kfree owes the free pointer to the object's page (physmem.ts) and a slab emptied by that
    // free may be discarded in the same call: the pointer must be in the bytes before the pages
    // change hands (freed pages keep their content), and no page outside a slab stays owed.
    const sys = createSystem({ preset: 'pc-4g', memory: '512M' });
    const sl = sys.slab.slub;
    const live: number[] = [];
    for (let i = 0; i < 6000; i++) live.push(sys.kmalloc([64, 256, 1024][i % 3], GFP_KERNEL)!);
    let x = 2463534242;
    let discards = 0;
    let checked = 0;
    while (live.length) {
      x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
      const j = x % live.length;
      const before = sl.slabs.freeIds.length;
      // The slab of the object and its pages, before the free may discard it.
      const id = sl.pfnToSlab(Math.floor(sl.pa(live[j]) / 4096));
      const head = sl.slabs.pfn[id];
      const nr = 1 << sl.slabs.i32[id << SL32 | SL_ORDER];
      const va = live[j];
      const t = sl.slabs;
      const s = sl.caches[t.i32[id << SL32 | SL_CACHE]];
      const prior = s.c_slab[sl.cpu] === id ? s.c_free[sl.cpu] : t.i32[id << SL32 | SL_FREE];
      const fp = prior < 0 ? 0 : t.first[id] + prior * s.size;
      sys.kfree(va);
      live[j] = live[live.length - 1];
      live.pop();
      if (sl.slabs.freeIds.length > before) {
        discards++;
        // Discarded: no page of it is owed, and the freed object's bytes hold its free pointer.
        for (let p = 0; p < nr; p++) expect(sys.mem.isOwed(head + p)).toBe(false);
        expect(sys.mem.readPtr(sl.pa(va) + s.offset)).toBe(fp);
        checked++;
      }
      if (live.length % 500 === 0) sys.validate();
    }
    expect(discards).toBeGreaterThan(10);
    expect(checked).toBe(discards);
    // The slabs that stay (cpu slabs, min_partial) may still be owed pointers; the validator
    // checks that only their pages are.
    sys.validate();
  });

  it('accounts slab pages in vmstat and meminfo', () => {
    const sys = boot();
    const before = sys.slab.slab_bytes();
    const r = sys.kmem_cache_create('recl', 256, 0, SLAB_RECLAIM_ACCOUNT);
    const objs = Array.from({ length: 100 }, () => sys.kmem_cache_alloc(r, GFP_KERNEL)!);
    const after = sys.slab.slab_bytes();
    expect(after.reclaimable - before.reclaimable).toBe(r.nr_slabs[0] * 4096);
    expect(sys.vmstat.node(0, 'nr_slab_reclaimable_B')).toBe(after.reclaimable);
    const mi = sys.read('/proc/meminfo');
    const kb = (f: string) => Number(new RegExp(`^${f}:\\s+(\\d+) kB`, 'm').exec(mi)![1]);
    expect(kb('SReclaimable')).toBe(after.reclaimable / 1024);
    expect(kb('SUnreclaim')).toBe(after.unreclaimable / 1024);
    expect(kb('Slab')).toBe((after.reclaimable + after.unreclaimable) / 1024);
    objs.forEach((o) => sys.kmem_cache_free(r, o));
    sys.kmem_cache_destroy(r);
    expect(sys.slab.slab_bytes()).toEqual(before);
  });

  it('runs constructors on every object of a new slab', () => {
    const sys = boot();
    const seen: number[] = [];
    const s = sys.kmem_cache_create('ctor', 100, 0, 0, (obj) => {
      seen.push(obj);
      sys.kwrite(obj, [0xab, 0xcd]);
    });
    const o = sys.kmem_cache_alloc(s, GFP_KERNEL)!;
    expect(seen.length).toBe(s.oo_objects);
    expect([...sys.kread(o, 2)]).toEqual([0xab, 0xcd]);
  });
});

describe('cache merging', () => {
  it('merges compatible caches into aliases and keeps unmergeable ones apart', () => {
    const sys = boot();
    const a = sys.kmem_cache_create('merge_a', 100, 0, 0);
    const b = sys.kmem_cache_create('merge_b', 100, 0, 0);
    expect(b).toBe(a);
    expect(a.aliases).toEqual(['merge_b']);
    expect(a.refcount).toBe(2);
    // size within a word: still merges; different reclaim accounting: does not
    expect(sys.kmem_cache_create('merge_c', 97, 0, 0)).toBe(a);
    expect(sys.kmem_cache_create('merge_d', 100, 0, SLAB_RECLAIM_ACCOUNT)).not.toBe(a);
    expect(sys.kmem_cache_create('merge_e', 100, 0, SLAB_POISON)).not.toBe(a);
    expect(sys.kmem_cache_create('merge_f', 100, 0, 0, () => {})).not.toBe(a);
    // kmalloc caches never merge (hardened usercopy / SLAB_NO_MERGE)
    expect(sys.kmem_cache_create('like128', 128, 0, 0).name).toBe('like128');
    // destroying an alias only drops a reference
    sys.kmem_cache_destroy(b);
    expect(a.alive).toBe(true);
    expect(a.refcount).toBe(2);
  });

  it('slab_nomerge turns merging off', () => {
    const sys = boot('slab_nomerge');
    const a = sys.kmem_cache_create('nm_a', 100, 0, 0);
    expect(sys.kmem_cache_create('nm_b', 100, 0, 0)).not.toBe(a);
  });
});

describe('/proc/slabinfo', () => {
  it('prints the 2.1 header and the kernel format (golden)', () => {
    const sys = boot();
    const s = sys.kmem_cache_create('golden_obj', 100, 0, SLAB_NO_MERGE); // 104 bytes, 39 per slab
    for (let i = 0; i < 50; i++) sys.kmem_cache_alloc(s, GFP_KERNEL);
    const text = sys.read('/proc/slabinfo');
    const lines = text.split('\n');
    expect(lines[0]).toBe('slabinfo - version: 2.1');
    expect(lines[1]).toBe('# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>');
    // Newest cache first; the free objects of the cpu slab count as active (get_slabinfo).
    expect(lines[2]).toBe('golden_obj            78     78    104   39    1 : tunables    0    0    0 : slabdata      2      2      0');
    expect(text.endsWith('\n')).toBe(true);
    for (const l of lines.slice(2, -1)) expect(l).toMatch(/^\S+\s* +\d+ +\d+ +\d+ +\d+ +\d+ : tunables +0 +0 +0 : slabdata +\d+ +\d+ +0$/);
    expect(lines[lines.length - 2].startsWith('kmem_cache ')).toBe(true);
    expect(lines[lines.length - 3].startsWith('kmem_cache_node ')).toBe(true);
  });

  it('slabtop summarises the caches', () => {
    const sys = boot();
    for (let i = 0; i < 100; i++) sys.kmalloc(64, GFP_KERNEL);
    const top = sys.slab.slabtop();
    expect(top).toMatch(/^ Active \/ Total Objects \(% used\)    : \d+ \/ \d+ \(\d+\.\d%\)$/m);
    expect(top).toContain('  OBJS ACTIVE  USE OBJ SIZE  SLABS OBJ/SLAB CACHE SIZE NAME');
    expect(top).toMatch(/kmalloc-64$/m);
  });
});

describe('refusals leave the system unchanged', () => {
  it('refuses bad frees with the kernel wording', () => {
    const sys = boot();
    const s = sys.kmem_cache_create('bad', 64, 0, SLAB_NO_MERGE);
    const other = sys.kmem_cache_create('bad2', 64, 0, SLAB_NO_MERGE);
    const o = sys.kmem_cache_alloc(s, GFP_KERNEL)!;
    const snap = sys.read('/proc/slabinfo');
    expect(() => sys.kmem_cache_free(s, o + 8)).toThrow(/Invalid object pointer/);
    expect(() => sys.kmem_cache_free(other, o)).toThrow(/Wrong slab cache\. bad2 but object is from bad/);
    sys.kmem_cache_free(s, o);
    expect(() => sys.kmem_cache_free(s, o)).toThrow(/Object already free/);
    expect(sys.dmesg.join('\n')).toMatch(/BUG bad \((Not tainted|Tainted: [^)]*)\): Object already free/);
    expect(() => sys.kfree(sys.layout.page_offset + 0x1234)).toThrow(KernelError);
    expect(() => sys.kmem_cache_create('has space', 8, 0, 0)).toThrow(/integrity check failed/);
    expect(() => sys.kmem_cache_create('zero', 0, 0, 0)).toThrow(KernelError);
    expect(() => sys.kmem_cache_create('badflags', 8, 0, 1 << 30)).toThrow(KernelError);
    sys.kmem_cache_alloc(s, GFP_KERNEL);
    sys.validate();
    expect(snap.split('\n').length).toBe(sys.read('/proc/slabinfo').split('\n').length);
  });

  it('refuses to destroy a cache that still has objects', () => {
    const sys = boot();
    const s = sys.kmem_cache_create('busy', 64, 0, SLAB_NO_MERGE);
    const o = sys.kmem_cache_alloc(s, GFP_KERNEL)!;
    expect(() => sys.kmem_cache_destroy(s)).toThrow(/still has objects/);
    expect(s.alive).toBe(true);
    sys.kmem_cache_free(s, o);
    sys.kmem_cache_destroy(s);
    expect(s.alive).toBe(false);
    expect(() => sys.kmem_cache_alloc(s, GFP_KERNEL)).toThrow(/destroyed/);
  });

  it('repairs a corrupted free pointer with the Freechain corrupt report', () => {
    const sys = boot();
    const s = sys.kmem_cache_create('uaf', 64, 0, SLAB_NO_MERGE);
    const a = sys.kmem_cache_alloc(s, GFP_KERNEL)!;
    sys.kmem_cache_free(s, a);
    sys.kwrite(a + s.offset, new Uint8Array(8).fill(0x41)); // use-after-free write over the free pointer
    expect(sys.kmem_cache_alloc(s, GFP_KERNEL)).toBe(a);
    expect(sys.dmesg.join('\n')).toContain('Freechain corrupt');
    const b = sys.kmem_cache_alloc(s, GFP_KERNEL)!;
    expect(b).toBe(a + 64);
    sys.validate();
  });
});

describe('shrinkers', () => {
  it('do_shrink_slab asks for work in proportion to priority', () => {
    const sys = boot();
    let objects = 10000;
    const scans: number[] = [];
    sys.register_shrinker({
      name: 'test',
      count_objects: () => objects,
      scan_objects: (sc) => {
        scans.push(sc.nr_to_scan);
        objects -= sc.nr_to_scan;
        return sc.nr_to_scan;
      },
    });
    const freed = sys.slab.slub.shrink_slab(GFP_KERNEL, 0, 12); // 10000>>12 = 2, *4/2 = 4: deferred
    expect(freed).toBe(0);
    const freed2 = sys.slab.slub.shrink_slab(GFP_KERNEL, 0, 0); // 10000*4/2 = 20000, capped 2*freeable
    expect(freed2).toBeGreaterThan(0);
    expect(scans.every((n) => n <= 128)).toBe(true);
    expect(sys.vmstat.get('slabs_scanned')).toBeGreaterThan(0);
  });

  it('drop_slab shrinks until little is left', () => {
    const sys = boot();
    let objects = 5000;
    sys.register_shrinker({
      name: 'dcache_like',
      count_objects: () => objects,
      scan_objects: (sc) => {
        const n = Math.min(sc.nr_to_scan, objects);
        objects -= n;
        return n;
      },
    });
    expect(sys.slab.slub.drop_slab(GFP_KERNEL)).toBeGreaterThan(4980);
    expect(objects).toBeLessThanOrEqual(10);
    expect(sys.vmstat.get('drop_slab')).toBe(1);
  });
});
