/**
 * Chapter 05 (kmalloc, the other allocators, and memory debugging): exercises and problems.
 *
 * Mirrors: mm/slab_common.c (kmalloc_size_index, kmalloc_info, __kmalloc_large_node), mm/slab.h
 * (kmalloc_slab), mm/slub.c calculate_sizes (the debug layout), mm/kasan/generic.c and
 * report_generic.c (memory_is_poisoned, get_shadow_bug_type), mm/kmemleak.c (the scan).
 * Models: the learner re-implements the kmalloc size classes, the debug object layout, KASAN's
 * verdict from shadow bytes and kmemleak's reachability; the checker runs the simulator's kmalloc,
 * its slab allocator with slab_debug, KASAN and kmemleak (lib/mm/slab_common.ts, slub.ts,
 * kasan.ts, kmemleak.ts) on real machines.
 * See: chapters/05-kmalloc-debug/chapter.md.
 */
import { Rng } from '../../base/rng.js';
import { KernelError } from '../../base/errors.js';
import { hex } from '../../base/format.js';
import { GFP_KERNEL } from '../../mm/gfp.js';
import { SLAB_CONSISTENCY_CHECKS, SLAB_NO_MERGE, SLAB_POISON, SLAB_RED_ZONE, SLAB_STORE_USER } from '../../mm/slab.js';
import { createSystem, type System } from '../../system.js';
import type { Exercise, GradeCase, Problem, ProblemInstance } from '../types.js';

// ---------------------------------------------------------------- kmalloc cache and waste

let kmallocSys: System | null = null;

/** The simulator's answer: the cache kmalloc(size, GFP_KERNEL) uses (or `order-N` pages) and the bytes wasted. */
export function kmallocCacheOf(size: number): [string, number] {
  if (!kmallocSys) kmallocSys = createSystem({ preset: 'pc-4g', memory: '64M' });
  const sys = kmallocSys;
  const p = sys.kmalloc(size, GFP_KERNEL);
  if (p === null) throw new Error(`kmalloc-cache: kmalloc(${size}) failed`);
  const usable = sys.ksize(p);
  const where = sys.slab.lookupAddr(p);
  sys.kfree(p);
  if (where) return [where.cache, usable - size];
  return [`order-${Math.log2(usable / 4096)}`, usable - size];
}

const kcase = (size: number): GradeCase => ({ input: [size], expected: kmallocCacheOf(size) });

const kmallocCache: Exercise = {
  id: '05-kmalloc-debug/kmalloc-cache',
  chapter: '05-kmalloc-debug',
  title: 'Which kmalloc cache, and how many bytes wasted?',
  kind: 'implement',
  prompt: [
    'Write `kmalloc_cache(size)` for a `kmalloc(size, GFP_KERNEL)` on x86-64 (1 ≤ size ≤ 4 MiB). Return',
    '`[name, wasted]`: the cache name (`kmalloc-8` … `kmalloc-8k`, with the odd classes `kmalloc-96` and',
    '`kmalloc-192`; sizes 1k, 2k, 4k, 8k are written that way) and the bytes of the slot the caller cannot',
    'use. Above 8 KiB kmalloc goes to the page allocator: return `order-N` and the waste of the 2^N pages.',
  ].join('\n'),
  signature: 'kmalloc_cache(size: number): [string, number]',
  starter: [
    'export default function kmalloc_cache(size: number): [string, number] {',
    '  // Round up to a power of two.',
    '  let slot = 8;',
    '  while (slot < size) slot *= 2;',
    '  return [`kmalloc-${slot}`, slot - size];',
    '}',
    '',
  ].join('\n'),
  hints: [
    'Two classes are not powers of two: 96 and 192. Sizes 65..96 go to kmalloc-96, 129..192 to kmalloc-192.',
    'Names: 1024 is `kmalloc-1k`, 8192 is `kmalloc-8k`.',
    'Above 8192 bytes: order = the smallest N with 4096 << N >= size.',
  ],
  show: (input) => `kmalloc_cache(${(input as number[])[0]})`,
  tests: [
    {
      name: 'powers of two',
      points: 2,
      hint: 'kmalloc(64) fits kmalloc-64 exactly: no waste; kmalloc(65) does not.',
      cases: () => [1, 8, 9, 16, 64, 128, 256, 512, 1024].map(kcase),
    },
    {
      name: 'the 96 and 192 classes',
      points: 2,
      dependsOn: ['powers of two'],
      hint: 'kmalloc(100) uses kmalloc-128 (28 bytes wasted) but kmalloc(70) uses kmalloc-96.',
      cases: () => [65, 70, 96, 97, 100, 129, 130, 192, 193, 200].map(kcase),
    },
    {
      name: 'large sizes',
      points: 2,
      dependsOn: ['powers of two'],
      hint: 'kmalloc(9000) takes an order-2 block (16 KiB) from the page allocator.',
      cases: () => [4096, 4097, 8192, 8193, 9000, 65536, 1 << 22].map(kcase),
    },
    {
      name: 'random sizes',
      points: 4,
      hidden: true,
      dependsOn: ['the 96 and 192 classes', 'large sizes'],
      hint: 'Check every boundary: 8k names, exact powers of two, 2^N + 1, sizes that need 3 pages.',
      cases: (rng) => Array.from({ length: 40 }, () => kcase(rng.chance(0.7) ? 1 + rng.int(8192) : 1 + rng.int(1 << 22))),
    },
  ],
};

// ---------------------------------------------------------------- the debug layout

const LETTERS: Record<string, number> = { F: SLAB_CONSISTENCY_CHECKS, Z: SLAB_RED_ZONE, P: SLAB_POISON, U: SLAB_STORE_USER };
let layoutSys: System | null = null;
let layoutN = 0;

/** The simulator's answer: [size, offset, red_left_pad] of a cache created with these debug letters. */
export function debugLayout(object_size: number, letters: string): [number, number, number] {
  if (!layoutSys) layoutSys = createSystem({ preset: 'pc-4g', memory: '64M' });
  let flags = SLAB_NO_MERGE;
  for (const ch of letters) flags |= LETTERS[ch];
  const s = layoutSys.kmem_cache_create(`layout_${layoutN++}`, object_size, 0, flags);
  return [s.size, s.offset, s.red_left_pad];
}

const lcase = (size: number, letters: string): GradeCase => ({ input: [size, letters], expected: debugLayout(size, letters) });

const debugLayoutEx: Exercise = {
  id: '05-kmalloc-debug/debug-layout',
  chapter: '05-kmalloc-debug',
  title: 'Where do the red zones and the free pointer go?',
  kind: 'implement',
  prompt: [
    'A cache is created with `kmem_cache_create(name, object_size, 0, flags, NULL)` where `flags` are the',
    'debug options given as slab_debug letters: `F` (consistency checks), `Z` (red zones), `P` (poisoning),',
    '`U` (user tracking). Write `debug_layout(object_size, letters)` returning `[size, offset, red_left_pad]`:',
    "the slot size, the free pointer's offset from the object start, and the left red zone, as SLUB's",
    '`calculate_sizes()` computes them on x86-64 (8-byte words, `struct track` of 32 bytes, alignment 8).',
  ].join('\n'),
  signature: 'debug_layout(object_size: number, letters: string): [number, number, number]',
  starter: [
    'export default function debug_layout(object_size: number, letters: string): [number, number, number] {',
    '  const size = Math.ceil(object_size / 8) * 8;',
    '  // No debugging: the free pointer sits in the middle of the object.',
    '  return [size, Math.floor(object_size / 2 / 8) * 8, 0];',
    '}',
    '',
  ].join('\n'),
  hints: [
    'Start from the object size rounded up to 8. With Z, if that rounding added nothing, add one word for the right red zone.',
    'With P (or Z on an object smaller than a word) the free pointer cannot live inside the object: it goes right after it (offset = the size so far), adding a word.',
    'U adds two struct track (64 bytes). Z then adds one more word of padding and a left red zone of one word (aligned), which also counts in the size.',
  ],
  show: (input) => `debug_layout(${(input as [number, string])[0]}, '${(input as [number, string])[1]}')`,
  tests: [
    { name: 'no debugging', points: 1, hint: 'Without letters the free pointer is at ALIGN_DOWN(object_size / 2, 8).', cases: () => [lcase(72, ''), lcase(100, ''), lcase(8, ''), lcase(13, '')] },
    { name: 'poisoning moves the free pointer', points: 2, dependsOn: ['no debugging'], hint: 'P: a 72-byte object keeps its 72 bytes for poison; the free pointer goes at 72 and the slot grows to 80.', cases: () => [lcase(72, 'P'), lcase(100, 'P'), lcase(64, 'FP')] },
    { name: 'red zones and tracking', points: 3, dependsOn: ['poisoning moves the free pointer'], hint: 'Z on a 64-byte object: 64 + 8 (right red zone) = inuse 72; free pointer stays mid-object; +8 padding +8 left red zone = 88.', cases: () => [lcase(64, 'Z'), lcase(100, 'Z'), lcase(4, 'Z'), lcase(72, 'U'), lcase(128, 'FZPU'), lcase(40, 'ZU')] },
    { name: 'random caches', points: 4, hidden: true, dependsOn: ['red zones and tracking'], hint: 'Combine every letter set with sizes that are and are not multiples of 8.', cases: (rng) => Array.from({ length: 24 }, () => lcase(1 + rng.int(600), ['', 'F', 'Z', 'P', 'U', 'ZP', 'ZU', 'PU', 'FZP', 'FZPU'][rng.int(10)])) },
  ],
};

// ---------------------------------------------------------------- KASAN's verdict

interface KasanCase {
  shadow: number[];
  offset: number;
  size: number;
}

/**
 * Builds KASAN cases on a KASAN machine: objects of random sizes, some freed; each case is an
 * access (object + delta, size) with the 16 shadow bytes of the 128-byte window starting 32 bytes
 * before the access's granule, and the simulator's verdict ('ok' or the report's bug type).
 */
export function kasanCases(rng: Rng, n: number, fixed?: { size: number; delta: number; len: number; free: boolean }[]): GradeCase[] {
  const sys = createSystem({ preset: 'pc-4g', memory: '64M', cmdline: 'kasan=on' });
  const out: GradeCase[] = [];
  const specs = fixed ?? Array.from({ length: n }, () => {
    const size = 1 + rng.int(200);
    return { size, delta: rng.int(size + 24) - 4, len: [1, 2, 4, 8, 16][rng.int(5)], free: rng.chance(0.25) };
  });
  for (const sp of specs) {
    const p = sys.kmalloc(sp.size, GFP_KERNEL)!;
    if (sp.free) sys.kfree(p);
    const addr = p + sp.delta;
    const base = Math.floor(addr / 8) * 8 - 32;
    const shadow = Array.from({ length: 16 }, (_, g) => sys.kasan.shadowByte(base + g * 8));
    let verdict = 'ok';
    try {
      sys.kread(addr, sp.len);
    } catch (e) {
      if (!(e instanceof KernelError)) throw e;
      verdict = sys.kasan.reports[sys.kasan.reports.length - 1].bug_type;
    }
    const input: KasanCase = { shadow, offset: addr - base, size: sp.len };
    out.push({ input: [input.shadow, input.offset, input.size], expected: verdict });
  }
  return out;
}

const kasanVerdict: Exercise = {
  id: '05-kmalloc-debug/kasan-verdict',
  chapter: '05-kmalloc-debug',
  title: "KASAN's verdict from the shadow bytes",
  kind: 'implement',
  prompt: [
    'Generic KASAN keeps one shadow byte per 8-byte granule: `0` all 8 bytes valid, `1..7` only the first',
    'N bytes valid, `0xfc` slab redzone, `0xfb` freed slab object, `0xfe` kmalloc_large redzone, `0xff`',
    'free page. `shadow` holds the shadow bytes of 16 consecutive granules (128 bytes) starting at a',
    'window base; an access of `size` bytes starts `offset` bytes after the base. Write',
    "`kasan_verdict(shadow, offset, size)` returning `'ok'` or the bug type KASAN reports:",
    "`'slab-out-of-bounds'`, `'slab-use-after-free'`, `'use-after-free'` or `'out-of-bounds'`.",
  ].join('\n'),
  signature: 'kasan_verdict(shadow: number[], offset: number, size: number): string',
  starter: [
    'export default function kasan_verdict(shadow: number[], offset: number, size: number): string {',
    '  // Look at the granule where the access starts.',
    '  const v = shadow[Math.floor(offset / 8)];',
    "  return v === 0 ? 'ok' : v === 0xfb ? 'slab-use-after-free' : 'slab-out-of-bounds';",
    '}',
    '',
  ].join('\n'),
  hints: [
    'Check every byte of the access, not only the first: byte b is bad when its granule\'s shadow is not 0 and either ≥ 0x80 or ≤ (b mod 8).',
    'The bug type comes from the first bad byte. If that byte\'s shadow is a partial value (1..7), KASAN looks at the next granule\'s shadow instead.',
    "0xfc and 0xfe → slab-out-of-bounds, 0xfb → slab-use-after-free, 0xff → use-after-free; 0..7 → out-of-bounds.",
  ],
  show: (input) => `kasan_verdict([${(input as [number[]])[0].map((v) => '0x' + v.toString(16)).join(', ')}], ${(input as number[])[1]}, ${(input as number[])[2]})`,
  tests: [
    { name: 'inside, right after, freed', points: 3, hint: 'kmalloc(123): bytes 0..122 valid (shadow 00 … 03); byte 123 is in the partial granule, so the next shadow (fc) decides.', cases: () => kasanCases(new Rng(1), 0, [{ size: 123, delta: 0, len: 8, free: false }, { size: 123, delta: 123, len: 1, free: false }, { size: 64, delta: 8, len: 8, free: true }, { size: 128, delta: 128, len: 1, free: false }]) },
    { name: 'accesses that straddle the end', points: 3, dependsOn: ['inside, right after, freed'], hint: 'A 4-byte read at offset 120 of a 122-byte object touches bytes 120..123: 122 and 123 are bad.', cases: () => kasanCases(new Rng(2), 0, [{ size: 122, delta: 120, len: 4, free: false }, { size: 100, delta: 96, len: 4, free: false }, { size: 100, delta: 92, len: 8, free: false }, { size: 16, delta: -8, len: 8, free: false }]) },
    { name: 'random accesses', points: 4, hidden: true, dependsOn: ['accesses that straddle the end'], hint: 'Mix sizes 1..16, freed objects, accesses just before the object and across granules.', cases: (rng) => kasanCases(rng, 40) },
  ],
};

// ---------------------------------------------------------------- kmemleak's scan

interface LeakObject {
  addr: number;
  size: number;
  /** The object's 8-byte words as signed 64-bit numbers (kernel addresses are negative). */
  words: number[];
}

/**
 * Builds a random object graph on a kmemleak machine: `n` kmalloc objects, each word a pointer
 * to the start or the inside of another object, a small integer, or zero; some roots. Returns
 * the learner's input and the simulator's leaks.
 */
export function leakCase(rng: Rng, n: number, nroots: number): GradeCase {
  const sys = createSystem({ preset: 'pc-4g', memory: '64M', cmdline: 'kmemleak=on' });
  const objs: { addr: number; size: number }[] = [];
  for (let i = 0; i < n; i++) {
    const size = [16, 24, 32, 48, 64][rng.int(5)];
    objs.push({ addr: sys.kmalloc(size, GFP_KERNEL)!, size });
  }
  const input: LeakObject[] = [];
  for (const o of objs) {
    const words: number[] = [];
    const bytes = new Uint8Array(o.size);
    const dv = new DataView(bytes.buffer);
    for (let w = 0; w < o.size / 8; w++) {
      const r = rng.float();
      let v = 0;
      if (r < 0.18) {
        const t = objs[rng.int(n)];
        v = t.addr + (rng.chance(0.3) ? 8 * rng.int(t.size / 8) : 0);
      } else if (r < 0.4) v = rng.int(100000);
      words.push(v);
      dv.setBigInt64(w * 8, BigInt(v), true);
    }
    sys.kwrite(o.addr, bytes);
    input.push({ addr: o.addr, size: o.size, words });
  }
  const roots: number[] = [];
  for (let i = 0; i < nroots; i++) {
    const t = objs[rng.int(n)];
    const v = t.addr + (rng.chance(0.2) ? 8 : 0);
    roots.push(v);
    sys.kmemleak.root(`root${i}`, v);
  }
  sys.tick(5 * 250 + 1);
  sys.kmemleak.scan();
  const leaks = sys.kmemleak.leaks().map((o) => o.pointer).sort((a, b) => a - b);
  return { input: [input, roots], expected: leaks };
}

const findLeaks: Exercise = {
  id: '05-kmalloc-debug/find-leaks',
  chapter: '05-kmalloc-debug',
  title: 'Find the leaks as kmemleak does',
  kind: 'implement',
  prompt: [
    'kmemleak treats memory like a garbage collector that reports instead of freeing. `objects` are all',
    'the tracked kmalloc objects (`addr`, `size`, and their 8-byte `words`, kernel addresses as negative',
    'numbers); `roots` are the values of the root pointers (global variables). An object is referenced',
    'when a root or a word of a referenced object points **anywhere inside** it (`addr ≤ p < addr + size`).',
    'Every object is older than 5 s. Write `find_leaks(objects, roots)` returning the addresses of the',
    'unreferenced objects, sorted ascending.',
  ].join('\n'),
  signature: 'find_leaks(objects: { addr: number; size: number; words: number[] }[], roots: number[]): number[]',
  starter: [
    'export default function find_leaks(objects: { addr: number; size: number; words: number[] }[], roots: number[]): number[] {',
    '  // An object is a leak when no root points at it.',
    '  return objects.filter((o) => !roots.includes(o.addr)).map((o) => o.addr).sort((a, b) => a - b);',
    '}',
    '',
  ].join('\n'),
  hints: [
    'Reachability is transitive: an object pointed to by a reachable object is reachable too (use a work list).',
    'A pointer into the middle of an object keeps the whole object alive.',
    'Small integers and zero never point into an object; compare against each object\'s [addr, addr + size).',
  ],
  show: (input) => `find_leaks(${JSON.stringify((input as unknown[])[0]).slice(0, 120)}…, ${JSON.stringify((input as unknown[])[1])})`,
  tests: [
    { name: 'a small list', points: 3, hint: 'A root points at object A, A holds a pointer to B: neither leaks; C that nobody points to does.', cases: () => [leakCase(new Rng(5), 4, 1), leakCase(new Rng(6), 6, 2)] },
    { name: 'graphs with interior pointers', points: 3, dependsOn: ['a small list'], hint: 'Follow pointers from reachable objects, and count pointers to the inside of an object.', cases: () => [leakCase(new Rng(7), 20, 2), leakCase(new Rng(8), 30, 3)] },
    { name: 'random heaps', points: 4, hidden: true, dependsOn: ['graphs with interior pointers'], hint: 'Cycles between unreachable objects still leak; an object pointing to itself is not a root.', cases: (rng) => [leakCase(rng, 40, 2), leakCase(rng, 60, 4), leakCase(rng, 25, 1)] },
  ],
};

// ---------------------------------------------------------------- problem: read a KASAN report

const kasanProblem: Problem = {
  id: '05-kmalloc-debug/kasan-report',
  chapter: '05-kmalloc-debug',
  title: 'Read a KASAN report',
  generate(seed: number): ProblemInstance {
    const rng = new Rng(seed * 104729 + 5);
    const sys = createSystem({ preset: 'pc-4g', memory: '64M', cmdline: 'kasan=on' });
    const size = [20, 37, 64, 100, 123, 200, 300][rng.int(7)];
    const uaf = rng.chance(0.4);
    const p = sys.kmalloc(size, GFP_KERNEL, 'driver_open+0x4c/0x120')!;
    if (uaf) sys.kfree(p, 'driver_release+0x31/0x90');
    const delta = uaf ? 8 * rng.int(Math.max(1, Math.floor(size / 8))) : size + rng.int(4);
    try {
      sys.kwrite(p + delta, [0x2a], 'driver_write+0x88/0x140');
    } catch {
      // the report is the point
    }
    const r = sys.kasan.reports[sys.kasan.reports.length - 1];
    const cache = sys.slab.lookupAddr(p)!.cache;
    const objSize = sys.slab.find_cache(cache)!.object_size;
    const question = ['A driver test prints this report:', '', '```text', r.text, '```', '', '1. What kind of bug is it, and in which function did the bad access happen?', '2. Where does the write land relative to the object, and (when the report tells) how many bytes did the driver ask kmalloc for?', '3. Which cache is the object in, and why that one?'].join('\n');
    return {
      id: this.id, seed, title: this.title, question,
      answer: `1. ${r.bug_type}, a 1-byte write in driver_write\n2. kmalloc(${size}); the write is at offset ${delta} (${uaf ? `inside the freed ${objSize}-byte object` : `${delta - size} bytes to the right of the ${size}-byte region`})\n3. ${cache}: the smallest kmalloc class that holds ${size} bytes`,
      steps: [
        `The first line names the bug type (${r.bug_type}) and the function of the access (driver_write).`,
        uaf ? 'There is a "Freed by task" stack: the object was freed (in driver_release) before the write.' : 'There is no "Freed by task" stack and the object is "allocated": the write went past its end.',
        uaf
          ? `"located ${delta} bytes inside of freed ${objSize}-byte region": once an object is freed its shadow no longer remembers the requested size, so KASAN describes the whole ${objSize}-byte object of the cache.`
          : `"located ${delta - size} bytes to the right of allocated ${size}-byte region": for a live object the region is the size the caller asked for (KASAN reads it from the shadow).`,
        `The shadow row marked with > shows ${uaf ? 'fb (freed object)' : `00 granules, then ${size % 8 ? `0${size % 8} for the last partial granule and ` : ''}fc (redzone)`}; ^ points at the granule of ${hex(p + delta)}.`,
        `${size} bytes → ${cache} (sizes up to 192 use the table kmalloc_size_index; above, fls(size − 1)).`,
      ],
    };
  },
};

// ---------------------------------------------------------------- problem: shadow bytes

const shadowProblem: Problem = {
  id: '05-kmalloc-debug/shadow',
  chapter: '05-kmalloc-debug',
  title: 'The shadow of a kmalloc object',
  generate(seed: number): ProblemInstance {
    const rng = new Rng(seed * 48611 + 17);
    const sys = createSystem({ preset: 'pc-4g', memory: '64M', cmdline: 'kasan=on' });
    const size = 9 + rng.int(180);
    const p = sys.kmalloc(size, GFP_KERNEL, 'drv_get_buf+0x1c/0x70')!;
    const cache = sys.slab.lookupAddr(p)!.cache;
    const objSize = sys.slab.find_cache(cache)!.object_size;
    const granules = objSize / 8 + 2;
    const row = () => Array.from({ length: granules }, (_, g) => sys.kasan.shadowByte(p + 8 * g).toString(16).padStart(2, '0')).join(' ');
    const live = row();
    // Three accesses: one inside, one straddling the end of the requested size, one in the slack of the class.
    const tail = size - 1 - rng.int(3); // the 4-byte read always crosses the end
    const accesses: Array<[number, number]> = [[8 * rng.int(Math.max(1, Math.floor((size - 8) / 8))), 8], [tail, 4], [size + rng.int(objSize - size + 1), 1]];
    const verdict = (off: number, len: number): string => {
      const n = sys.kasan.reports.length;
      try {
        sys.kread(p + off, len, 'drv_read+0x2a/0x90');
      } catch {
        // the report is the answer
      }
      return sys.kasan.reports.length > n ? sys.kasan.reports[n].bug_type : 'no report';
    };
    const answers = accesses.map(([o, l]) => verdict(o, l));
    sys.kfree(p, 'drv_put_buf+0x11/0x40');
    const freed = row();
    const uaf = verdict(accesses[0][0], 8);
    const full = Math.floor(size / 8);
    const part = size % 8;
    const question = [
      `With KASAN on, a driver calls kmalloc(${size}, GFP_KERNEL).`,
      `1. Which cache serves it, and what are the shadow bytes of the first ${granules} granules (8 bytes each) of the object?`,
      `2. Which of these reads does KASAN report, and as what? ${accesses.map(([o, l]) => `${l} byte${l > 1 ? 's' : ''} at offset ${o}`).join('; ')}.`,
      `3. After kfree, what does the shadow look like, and what does the first read report now?`,
    ].join('\n');
    return {
      id: this.id, seed, title: this.title, question,
      answer: [
        `1. ${cache}; shadow ${live}`,
        `2. ${accesses.map(([o, l], i) => `${l}@${o}: ${answers[i]}`).join(', ')}`,
        `3. shadow ${freed}; the first read: ${uaf}`,
      ].join('\n'),
      steps: [
        `${size} bytes → ${cache} (the smallest class that holds them).`,
        `__kasan_kmalloc unpoisons the requested ${size} bytes: ${full} whole granule(s) get 00` + (part ? `, the next gets 0${part} (only its first ${part} byte${part > 1 ? 's are' : ' is'} valid)` : '') + '.',
        `The rest of the ${objSize}-byte object, up to the class size, and the KASAN red zone after it are fc (slab red zone).`,
        ...accesses.map(([o, l], i) => `Read ${l}@${o} touches bytes ${o}..${o + l - 1}: ${o + l <= size ? 'all below ' + size + ', so no report' : `byte ${Math.max(o, size)} is past the requested ${size} bytes → ${answers[i]}`}.`),
        `kfree poisons the whole ${objSize}-byte object with fb (freed slab object) and parks it in the quarantine, so the slot is not reused at once.`,
        `Any read of it now hits fb → ${uaf}.`,
      ],
    };
  },
};

/** Chapter 05's graded exercises. */
export const exercises: Exercise[] = [kmallocCache, debugLayoutEx, kasanVerdict, findLeaks];
/** Chapter 05's problem generators. */
export const problems: Problem[] = [kasanProblem, shadowProblem];
