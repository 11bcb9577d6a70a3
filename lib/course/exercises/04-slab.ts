/**
 * Chapter 04 (slab allocation with SLUB): exercises and problem generators.
 *
 * Mirrors: mm/slub.c (calculate_order, calc_slab_order, calculate_sizes, the allocation and free
 * paths: the per-cpu freelist, the slab's own freelist, the per-cpu partial list; get_slabinfo,
 * __kmem_cache_do_shrink), mm/slab_common.c (calculate_alignment, kmem_cache_shrink,
 * /proc/slabinfo), and for the colouring question the removed mm/slab.c (colour_off /
 * colour_next, Linux 6.7 and older).
 * Models: the learner re-implements SLUB's slab geometry, its object layout and the order in which
 * it hands out objects, and predicts what a shrink leaves; every checker creates real caches on a
 * simulated machine (lib/mm/slub.ts, lib/mm/slab_common.ts) and reads their geometry, their
 * layout, the addresses they hand out and /proc/slabinfo.
 * See: chapters/04-slab/chapter.md.
 */
import { Rng } from '../../base/rng.js';
import { GFP_KERNEL } from '../../mm/gfp.js';
import { ALIGN, L1_CACHE_BYTES, SLAB_HWCACHE_ALIGN, SLAB_NO_MERGE } from '../../mm/slab.js';
import { createSystem, type System } from '../../system.js';
import type { Exercise, GradeCase, Problem, ProblemInstance } from '../types.js';

const PAGE_SIZE = 4096;

const machines = new Map<number, System>();
/** A small machine with `cpus` CPUs (memoised: creating caches on it does not change the answers). */
function machine(cpus: number): System {
  let s = machines.get(cpus);
  if (!s) machines.set(cpus, (s = createSystem({ preset: 'pc-4g', memory: '64M', cpus })));
  return s;
}

let cacheSeq = 0;
/** A fresh, unmerged cache on `sys`; a constructor (a no-op) when asked for. */
function newCache(sys: System, size: number, align: number, flags: number, ctor = false) {
  return sys.kmem_cache_create(`ex_cache_${++cacheSeq}`, size, align, flags | SLAB_NO_MERGE, ctor ? () => undefined : null);
}

/** /proc/slabinfo's line for a cache, as numbers: [active_objs, num_objs, objsize, objperslab, pagesperslab, active_slabs, num_slabs]. */
export function slabinfoNumbers(sys: System, name: string): number[] {
  const line = sys.read('/proc/slabinfo').split('\n').find((l) => l.split(/\s+/)[0] === name);
  if (!line) throw new Error(`no /proc/slabinfo line for ${name}`);
  const f = line.split(/\s+/);
  // name active num objsize objperslab pagesperslab : tunables l b s : slabdata active num shared
  return [1, 2, 3, 4, 5, 13, 14].map((i) => Number(f[i]));
}

// ---------------------------------------------------------------- slab geometry

/** The simulator's answer: objects per slab and pages per slab for objects of `object_size`. */
export function slabGeometry(object_size: number, cpus: number): [number, number] {
  const sl = machine(cpus).slab.slub;
  const size = ALIGN(object_size, 8);
  const order = sl.calculate_order(size);
  return [Math.floor((PAGE_SIZE << order) / size), 1 << order];
}

const gcase = (size: number, cpus: number): GradeCase => ({ input: [size, cpus], expected: slabGeometry(size, cpus) });

const slabGeometryEx: Exercise = {
  id: '04-slab/slab-geometry',
  chapter: '04-slab',
  title: 'Objects per slab',
  kind: 'implement',
  prompt: [
    'A cache is created with `kmem_cache_create(name, object_size, 0, 0, NULL)` on a machine with `cpus`',
    'CPUs (no debugging: the slot size is `object_size` rounded up to 8). Write `slab_geometry(object_size, cpus)`',
    'returning `[objects, pages]`: how many objects one slab holds and how many pages the slab has, as',
    "SLUB's `calculate_order()` decides (slub_max_order 3, slub_min_objects unset).",
  ].join('\n'),
  signature: 'slab_geometry(object_size: number, cpus: number): [number, number]',
  starter: [
    'export default function slab_geometry(object_size: number, cpus: number): [number, number] {',
    '  const size = Math.ceil(object_size / 8) * 8;',
    '  // One page per slab.',
    '  return [Math.floor(4096 / size), 1];',
    '}',
    '',
  ].join('\n'),
  hints: [
    'min_objects = 4 × (fls(cpus) + 1), where fls(x) is the position of the highest set bit (fls(2) = 2).',
    'Start at the smallest order whose slab holds min_objects objects (but never more than fit in order 3).',
    'Accept the first order (up to 3) whose leftover is at most 1/16 of the slab; if none, try 1/8, then 1/4, then 1/2.',
  ],
  show: (input) => `slab_geometry(${(input as number[]).join(', ')})`,
  tests: [
    {
      name: 'kmalloc sizes on 2 CPUs',
      points: 3,
      hint: 'With 2 CPUs: 512-byte objects → 16 per 2-page slab; 96 → 42 per page; 4096 → 8 per 8 pages.',
      cases: () => [8, 16, 96, 192, 256, 512, 1024, 2048, 4096, 8192].map((s) => gcase(s, 2)),
    },
    {
      name: 'odd sizes and CPU counts',
      points: 3,
      dependsOn: ['kmalloc sizes on 2 CPUs'],
      hint: 'With 1 CPU min_objects is 8, with 4 CPUs 16, with 16 CPUs 24.',
      cases: () => [[72, 1], [200, 4], [700, 2], [3000, 8], [1500, 16], [5000, 2]].map(([s, c]) => gcase(s, c)),
    },
    {
      name: 'random caches',
      points: 4,
      hidden: true,
      dependsOn: ['odd sizes and CPU counts'],
      hint: 'Sizes that waste much of every order (e.g. just above half a page) need the relaxed fractions.',
      cases: (rng) => Array.from({ length: 30 }, () => gcase(8 + rng.int(9000), [1, 2, 4, 8, 16][rng.int(5)])),
    },
  ],
};

// ---------------------------------------------------------------- which object comes next

/** Objects of 256 bytes: 16 per order-0 slab on 2 CPUs. */
const OBJ = 256;
const PER_SLAB = 16;

/**
 * A fresh cache of 256-byte objects driven on cpu 0: `step('a')` allocates and returns the new
 * object's id, `step(id)` frees that object. Ids are slab number × 16 + index, slabs numbered in
 * the order they were created (the simulator is the oracle).
 */
class AllocRun {
  readonly sys = createSystem({ preset: 'pc-4g', memory: '64M', cpus: 2 });
  readonly s = this.sys.kmem_cache_create('exercise_obj', OBJ, 0, SLAB_NO_MERGE);
  private readonly slabNo = new Map<number, number>();
  readonly addrOf = new Map<number, number>();

  step(op: number | 'a'): number | null {
    const sys = this.sys;
    if (op === 'a') {
      const a = sys.kmem_cache_alloc(this.s, GFP_KERNEL);
      if (a === null) throw new Error('alloc-order: allocation failed');
      const phys = sys.slab.slub.pa(a);
      const base = Math.floor(phys / PAGE_SIZE);
      if (!this.slabNo.has(base)) this.slabNo.set(base, this.slabNo.size);
      const id = this.slabNo.get(base)! * PER_SLAB + (phys % PAGE_SIZE) / OBJ;
      this.addrOf.set(id, a);
      return id;
    }
    sys.kmem_cache_free(this.s, this.addrOf.get(op)!);
    this.addrOf.delete(op);
    return null;
  }
}

/** The ids the allocations of `ops` get. */
export function runAllocs(ops: (number | 'a')[]): number[] {
  const r = new AllocRun();
  const out: number[] = [];
  for (const op of ops) {
    const id = r.step(op);
    if (id !== null) out.push(id);
  }
  return out;
}

/** A random valid op sequence (frees of live objects only) and its answer. */
function randomCase(rng: Rng, n: number, maxLive: number): GradeCase {
  const r = new AllocRun();
  const ops: (number | 'a')[] = [];
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const live = [...r.addrOf.keys()];
    if (live.length < 3 || (live.length < maxLive && rng.chance(0.6))) {
      ops.push('a');
      out.push(r.step('a')!);
    } else {
      const id = live[rng.int(live.length)];
      ops.push(id);
      r.step(id);
    }
  }
  return { input: [ops], expected: out };
}

const acase = (ops: (number | 'a')[]): GradeCase => ({ input: [ops], expected: runAllocs(ops) });
const A = 'a' as const;

const allocOrder: Exercise = {
  id: '04-slab/alloc-order',
  chapter: '04-slab',
  title: 'Which object does SLUB hand out next?',
  kind: 'predict',
  prompt: [
    'A fresh cache holds 256-byte objects: 16 per one-page slab. Everything runs on CPU 0. `ops` is a',
    "sequence: `'a'` allocates one object, a number frees the object with that id. An object's id is",
    '`slab × 16 + index`: slabs are numbered 0, 1, 2 … in the order SLUB creates them, `index` is the',
    "object's position in its slab. Write `predict_allocs(ops)` returning the ids the allocations get, in order.",
    'Model SLUB: the cpu slab and its lockless freelist, frees to other slabs, the per-cpu partial list.',
  ].join('\n'),
  signature: "predict_allocs(ops: (number | 'a')[]): number[]",
  starter: [
    "export default function predict_allocs(ops: (number | 'a')[]): number[] {",
    '  // Hand out objects in address order and never reuse freed ones.',
    '  const out: number[] = [];',
    '  let next = 0;',
    "  for (const op of ops) if (op === 'a') out.push(next++);",
    '  return out;',
    '}',
    '',
  ].join('\n'),
  hints: [
    'A new slab hands out its objects in index order. A freed object of the cpu slab is pushed on the cpu freelist: the next allocation gets it back (LIFO).',
    "Freeing into a slab that is not the cpu slab pushes the object on that slab's own freelist (LIFO too). If the slab was full, the slab goes on the per-cpu partial list (at its head).",
    "When the cpu freelist is empty, SLUB takes the cpu slab's own freelist if it has one, else the first slab of the per-cpu partial list, else a new slab.",
  ],
  show: (input) => `predict_allocs(${JSON.stringify((input as unknown[])[0])})`,
  tests: [
    {
      name: 'a fresh slab, then LIFO reuse',
      points: 2,
      hint: 'After allocating 0, 1, 2 and freeing 1 then 2, the next two allocations get 2 then 1.',
      cases: () => [acase([A, A, A, 1, 2, A, A, A])],
    },
    {
      name: 'a second slab',
      points: 2,
      dependsOn: ['a fresh slab, then LIFO reuse'],
      hint: 'The 17th allocation opens slab 1: its first object has id 16.',
      cases: () => [acase([...Array<'a'>(18).fill(A), 17, A, A])],
    },
    {
      name: 'frees to a full slab',
      points: 3,
      dependsOn: ['a second slab'],
      hint: 'Free objects 3 and 5 of the full slab 0 while slab 1 is the cpu slab: once slab 1 runs out, slab 0 (now on the cpu partial list) serves 5, then 3.',
      cases: () => [acase([...Array<'a'>(20).fill(A), 3, 5, ...Array<'a'>(14).fill(A)])],
    },
    {
      name: 'random sequences',
      points: 5,
      hidden: true,
      dependsOn: ['frees to a full slab'],
      hint: 'Several partially free slabs: the one freed into last (when it was full) is used first.',
      cases: (rng) => Array.from({ length: 4 }, () => randomCase(rng, 30 + rng.int(20), 40)),
    },
  ],
};

// ---------------------------------------------------------------- object layout

interface LayoutFlags {
  ctor?: boolean;
  hwcache?: boolean;
}

function layoutCases(items: Array<[number, number, LayoutFlags]>): GradeCase[] {
  const sys = machine(2);
  return items.map(([size, align, fl]) => {
    const s = newCache(sys, size, align, fl.hwcache ? SLAB_HWCACHE_ALIGN : 0, !!fl.ctor);
    return { input: [size, align, fl], expected: [s.size, s.offset] };
  });
}

const freePointer: Exercise = {
  id: '04-slab/free-pointer',
  chapter: '04-slab',
  title: 'Where does the free pointer go?',
  kind: 'implement',
  prompt: [
    'A free SLUB object stores the address of the next free object **inside itself**. Write',
    '`layout(object_size, align, flags)` that returns `[size, offset]` for a cache made by',
    '`kmem_cache_create(name, object_size, align, flags, ctor)` without debugging: `size` is the slot',
    'size (the stride between objects) and `offset` where the free pointer sits in a free object.',
    '`flags.ctor` says the cache has a constructor, `flags.hwcache` that it was created with',
    '`SLAB_HWCACHE_ALIGN` (cache lines are 64 bytes). `align` is 0 or a power of two.',
  ].join('\n'),
  signature: 'layout(object_size: number, align: number, flags: { ctor?: boolean; hwcache?: boolean }): number[]',
  starter: [
    'export default function layout(object_size: number, align: number, flags: { ctor?: boolean; hwcache?: boolean }): number[] {',
    '  // The free pointer goes at the start of the object.',
    '  return [object_size, 0];',
    '}',
    '',
  ].join('\n'),
  hints: [
    'Every slot is at least word (8-byte) aligned, and the slot size is a multiple of the alignment.',
    'Without a constructor the pointer sits in the middle of the object: the object size halved, rounded down to a multiple of 8.',
    'A constructor\'s work must survive while the object is free: then the pointer goes in an extra word right after the (8-aligned) object.',
    'SLAB_HWCACHE_ALIGN starts from 64 and halves the alignment while the object fits in half of it (a 20-byte object gets 32).',
  ],
  show: (input) => {
    const [n, a, f] = input as [number, number, LayoutFlags];
    return `layout(${n}, ${a}, ${JSON.stringify(f)})`;
  },
  tests: [
    {
      name: 'pointer in the middle',
      points: 2,
      hint: 'A 200-byte object: the pointer at 96 (100 rounded down to a multiple of 8), slot 200.',
      cases: () => layoutCases([[200, 0, {}], [64, 0, {}], [100, 0, {}], [8, 0, {}], [44, 0, {}]]),
    },
    {
      name: 'constructors',
      points: 2,
      dependsOn: ['pointer in the middle'],
      hint: 'With a ctor, a 100-byte object gets its pointer at 104 and a 112-byte slot.',
      cases: () => layoutCases([[100, 0, { ctor: true }], [64, 0, { ctor: true }], [13, 0, { ctor: true }]]),
    },
    {
      name: 'alignment',
      points: 3,
      dependsOn: ['pointer in the middle'],
      hint: 'align 64 rounds a 100-byte slot up to 128; SLAB_HWCACHE_ALIGN gives a 20-byte object 32-byte slots.',
      cases: () => layoutCases([[100, 64, {}], [20, 0, { hwcache: true }], [100, 0, { hwcache: true }], [24, 16, { ctor: true }], [8, 0, { hwcache: true }]]),
    },
    {
      name: 'random caches',
      points: 4,
      hidden: true,
      dependsOn: ['constructors', 'alignment'],
      hint: 'Combine a constructor with an alignment: the extra pointer word can push the slot past an alignment boundary.',
      cases: (rng) =>
        layoutCases(Array.from({ length: 30 }, () => {
          const size = 8 + rng.int(rng.chance(0.5) ? 120 : 2000);
          const align = [0, 0, 8, 16, 32, 64, 128][rng.int(7)];
          return [size, align, { ctor: rng.chance(0.4), hwcache: rng.chance(0.4) }] as [number, number, LayoutFlags];
        })),
    },
  ],
};

// ---------------------------------------------------------------- slabinfo after a shrink

interface ShrinkInput {
  /** Objects per slab of the cache (/proc/slabinfo's objperslab). */
  objperslab: number;
  /** Objects allocated, one after another, from the fresh cache. */
  allocs: number;
  /** Which of them are freed afterwards (0-based, in allocation order). */
  frees: number[];
}

/**
 * Runs the sequence on a fresh cache of `size` bytes and returns the case: the slabinfo numbers
 * after kmem_cache_shrink.
 */
function shrinkCase(size: number, allocs: number, frees: number[]): GradeCase {
  const sys = machine(2);
  const s = newCache(sys, size, 8, 0);
  const objs: number[] = [];
  for (let i = 0; i < allocs; i++) {
    const o = sys.kmem_cache_alloc(s, GFP_KERNEL);
    if (o === null) throw new Error('slabinfo-after-shrink: allocation failed');
    objs.push(o);
  }
  for (const i of frees) sys.kmem_cache_free(s, objs[i]);
  sys.kmem_cache_shrink(s);
  const n = slabinfoNumbers(sys, s.name);
  // Leave the shared machine as it was.
  const freed = new Set(frees);
  objs.forEach((o, i) => freed.has(i) || sys.kmem_cache_free(s, o));
  sys.kmem_cache_destroy(s);
  const input: ShrinkInput = { objperslab: n[3], allocs, frees };
  return { input: [input], expected: [n[0], n[1], n[6]] };
}

const slabinfoAfterShrink: Exercise = {
  id: '04-slab/slabinfo-after-shrink',
  chapter: '04-slab',
  title: 'Predict /proc/slabinfo after kmem_cache_shrink',
  kind: 'predict',
  prompt: [
    'A fresh cache holds `q.objperslab` objects per slab. One CPU allocates `q.allocs` objects one',
    'after another, then frees the objects listed in `q.frees` (numbered 0, 1, 2 … in allocation',
    'order), and then someone runs `kmem_cache_shrink` on the cache. Write `predict(q)` that',
    'returns `[active_objs, num_objs, num_slabs]` as /proc/slabinfo shows them afterwards.',
  ].join('\n'),
  signature: 'predict(q: { objperslab: number; allocs: number; frees: number[] }): number[]',
  starter: [
    'export default function predict(q: { objperslab: number; allocs: number; frees: number[] }): number[] {',
    '  // Shrinking packs the remaining objects into as few slabs as possible.',
    '  const live = q.allocs - q.frees.length;',
    '  const slabs = Math.ceil(live / q.objperslab);',
    '  return [live, slabs * q.objperslab, slabs];',
    '}',
    '',
  ].join('\n'),
  hints: [
    'Slab allocators never move objects: a slab can only be given back when every object in it is free.',
    'A fresh cache fills its slabs one after the other: object i lives in slab floor(i / objperslab).',
    'kmem_cache_shrink first flushes the per-CPU slabs to the node lists, so /proc/slabinfo counts exactly afterwards.',
  ],
  show: (input) => {
    const q = (input as [ShrinkInput])[0];
    return `predict({ objperslab: ${q.objperslab}, allocs: ${q.allocs}, frees: [${q.frees.join(', ')}] })`;
  },
  tests: [
    {
      name: 'nothing freed',
      points: 1,
      hint: 'With no frees the last slab may be partly used: num_objs counts whole slabs.',
      cases: () => [shrinkCase(256, 40, []), shrinkCase(200, 20, [])],
    },
    {
      name: 'whole slabs freed',
      points: 2,
      dependsOn: ['nothing freed'],
      hint: 'Freeing all 16 objects of the second slab of a 256-byte cache lets the shrink give that slab back.',
      cases: () => [shrinkCase(256, 48, Array.from({ length: 16 }, (_, i) => 16 + i)), shrinkCase(512, 32, Array.from({ length: 16 }, (_, i) => i))],
    },
    {
      name: 'scattered frees',
      points: 3,
      dependsOn: ['whole slabs freed'],
      hint: 'Freeing every other object frees half the objects and no slab at all.',
      cases: () => [
        shrinkCase(256, 64, Array.from({ length: 32 }, (_, i) => 2 * i)),
        shrinkCase(200, 100, Array.from({ length: 100 }, (_, i) => i).filter((i) => i < 60 || i % 3 === 0)),
      ],
    },
    {
      name: 'random runs',
      points: 4,
      hidden: true,
      dependsOn: ['scattered frees'],
      hint: 'Caches of many sizes, runs that end in the middle of a slab, frees that empty some slabs and not others.',
      cases: (rng) =>
        Array.from({ length: 8 }, () => {
          const size = [64, 96, 128, 200, 256, 512, 700, 1024, 2048][rng.int(9)];
          const allocs = 10 + rng.int(150);
          const p = rng.float();
          const frees = Array.from({ length: allocs }, (_, i) => i).filter(() => rng.float() < p);
          // Sometimes free whole runs, so that slabs empty completely.
          if (rng.chance(0.5)) {
            const from = rng.int(allocs);
            for (let i = from; i < Math.min(allocs, from + 40); i++) if (!frees.includes(i)) frees.push(i);
          }
          return shrinkCase(size, allocs, frees);
        }),
    },
  ],
};

// ---------------------------------------------------------------- problem: slab geometry

/** The steps of calculate_order for `size` on `cpus` CPUs, and the order they reach. */
function orderSteps(size: number, cpus: number): { steps: string[]; order: number } {
  const fls = (x: number) => (x === 0 ? 0 : 32 - Math.clz32(x));
  const getOrder = (n: number) => (n <= PAGE_SIZE ? 0 : fls(Math.ceil(n / PAGE_SIZE) - 1));
  const steps: string[] = [];
  const maxObjects = Math.max(Math.floor((PAGE_SIZE << 3) / size), 1);
  const want = 4 * (fls(cpus) + 1);
  const minObjects = Math.min(want, maxObjects);
  const minOrder = getOrder(minObjects * size);
  steps.push(`min_objects = 4 × (fls(${cpus}) + 1) = ${want}` + (minObjects < want ? `, capped to ${minObjects} (all that fit in an order-3 slab)` : '') + '.');
  steps.push(`min_order = get_order(${minObjects} × ${size} = ${minObjects * size} bytes) = ${minOrder}.`);
  for (let fraction = 16; fraction > 1; fraction /= 2) {
    const tried: string[] = [];
    for (let order = minOrder; order <= 3; order++) {
      const bytes = PAGE_SIZE << order;
      const rem = bytes % size;
      const ok = rem <= bytes / fraction;
      tried.push(`order ${order}: ${bytes} % ${size} = ${rem} ${ok ? '≤' : '>'} ${bytes / fraction}`);
      if (ok) {
        steps.push(`Leftover at most 1/${fraction} of the slab: ${tried.join('; ')} → order ${order}.`);
        return { steps, order };
      }
    }
    steps.push(`Leftover at most 1/${fraction} of the slab: ${tried.join('; ')} → no order up to 3 qualifies.`);
  }
  const order = getOrder(size);
  steps.push(`Nothing qualified: order = get_order(${size}) = ${order}.`);
  return { steps, order };
}

const geometryProblem: Problem = {
  id: '04-slab/geometry',
  chapter: '04-slab',
  title: 'Slab geometry of a new cache, and what SLAB would have coloured',
  generate(seed: number): ProblemInstance {
    const rng = new Rng(seed * 7919 + 4);
    const object = 24 + rng.int(1400);
    const cpus = [2, 4, 8, 16][rng.int(4)];
    const hw = rng.chance(0.5);
    // A fresh machine and a fixed name: the same seed must give the same question.
    const sys = createSystem({ preset: 'pc-4g', memory: '64M', cpus });
    const s = sys.kmem_cache_create('drv_obj', object, 0, (hw ? SLAB_HWCACHE_ALIGN : 0) | SLAB_NO_MERGE, null);
    const { steps, order } = orderSteps(s.size, cpus);
    if (order !== s.oo_order) throw new Error(`geometry problem: steps reach order ${order}, the simulator ${s.oo_order}`);
    const bytes = PAGE_SIZE << s.oo_order;
    const leftover = bytes - s.oo_objects * s.size;
    const colourOff = Math.max(L1_CACHE_BYTES, s.align);
    const colours = Math.floor(leftover / colourOff);
    const o = sys.kmem_cache_alloc(s, GFP_KERNEL);
    const line = sys.read('/proc/slabinfo').split('\n').find((l) => l.startsWith(s.name + ' '))!;
    if (o !== null) sys.kmem_cache_free(s, o);
    const question = [
      `A driver calls kmem_cache_create("${s.name}", ${object}, 0, ${hw ? 'SLAB_HWCACHE_ALIGN' : '0'}, NULL) on a machine with ${cpus} CPUs`,
      `(no debugging, default slab_min_objects / slab_max_order).`,
      `1. What are the slot size and the free-pointer offset?`,
      `2. Which page order does each slab get, and how many objects does it hold?`,
      `3. How many bytes of each slab are left over, and how many colours would the old SLAB allocator`,
      `   (removed in 6.8) have cycled through with ${L1_CACHE_BYTES}-byte cache lines?`,
    ].join('\n');
    const allSteps = [
      hw
        ? `SLAB_HWCACHE_ALIGN: start at 64 and halve while the object fits in half → align ${s.align}; slot = ALIGN(${object}, ${s.align}) = ${s.size}.`
        : `Word alignment: slot = ALIGN(${object}, 8) = ${s.size}.`,
      `No constructor, no RCU, no poisoning: the free pointer sits mid-object at ALIGN_DOWN(${object} / 2, 8) = ${s.offset}.`,
      ...steps,
      `objects = ${bytes} / ${s.size} = ${s.oo_objects}; leftover = ${bytes} − ${s.oo_objects} × ${s.size} = ${leftover} bytes.`,
      `SLAB would have used colour_off = ${colourOff} and colour = ${leftover} / ${colourOff} = ${colours}: successive slabs start their first object at ${colours > 1 ? `0, ${colourOff}, … ${(colours - 1) * colourOff}` : '0 every time'} bytes. SLUB does not colour.`,
      `/proc/slabinfo after one allocation: ${line.replace(/\s+/g, ' ')}`,
    ];
    return {
      id: this.id, seed, title: this.title, question,
      answer: [
        `1. slot ${s.size} bytes, free pointer at offset ${s.offset}`,
        `2. order ${s.oo_order} (${1 << s.oo_order} page${s.oo_order ? 's' : ''}), ${s.oo_objects} objects per slab`,
        `3. ${leftover} bytes left over; SLAB: ${colours} colour${colours === 1 ? '' : 's'}`,
      ].join('\n'),
      steps: allSteps,
    };
  },
};

/** Chapter 04's graded exercises. */
export const exercises: Exercise[] = [slabGeometryEx, freePointer, allocOrder, slabinfoAfterShrink];
/** Chapter 04's problem generators. */
export const problems: Problem[] = [geometryProblem];
