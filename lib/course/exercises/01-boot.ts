/**
 * Chapter 01 (boot: the firmware map, memblock, mem_map): exercises and problem generators.
 *
 * Mirrors: arch/x86/kernel/e820.c (e820__memblock_setup), mm/memblock.c (memblock_add_range,
 * memblock_remove_range, memblock_find_in_range_node, memblock_phys_alloc_range).
 * Models: the learner re-implements the kernel's rules; the checker runs the simulator's
 * memblock (lib/mm/memblock.ts) and e820 code on the same input.
 * See: chapters/01-boot/chapter.md.
 */
import { hex } from '../../base/format.js';
import { Rng } from '../../base/rng.js';
import { E820_TYPE_RAM, e820_type_name, usableRanges, type E820Entry } from '../../arch/x86/e820.js';
import { Memblock } from '../../mm/memblock.js';
import type { Exercise, GradeCase, Problem, ProblemInstance } from '../types.js';

const KB = 1024;
const MB = 1024 * KB;

// ---------------------------------------------------------------- e820 → usable page frames

/** The simulator's answer: [start_pfn, end_pfn) of every usable entry, whole pages only. */
function usablePfnOracle(table: E820Entry[]): number[][] {
  return usableRanges(table).map(([s, e]) => [s / 4096, e / 4096]);
}

/** A random firmware map: sorted, non-overlapping entries, some not page aligned. */
function randomE820(rng: Rng): E820Entry[] {
  const t: E820Entry[] = [];
  let addr = 0;
  const n = 4 + rng.int(5);
  for (let i = 0; i < n; i++) {
    const unaligned = rng.chance(0.4);
    const size = (1 + rng.int(64)) * 4096 + (unaligned ? (1 + rng.int(4095)) : 0);
    const type = rng.chance(0.55) ? E820_TYPE_RAM : [2, 3, 4, 5][rng.int(4)];
    t.push({ addr, size, type });
    addr += size + (rng.chance(0.3) ? (1 + rng.int(8)) * 1024 : 0);
  }
  return t;
}

const e820Case = (table: E820Entry[]): GradeCase => ({ input: [table], expected: usablePfnOracle(table) });

/** The firmware map QEMU's BIOS gives a 64 MiB machine (as lib/arch/x86/e820.ts builds it). */
const QEMU_64M: E820Entry[] = [
  { addr: 0, size: 0x9fc00, type: 1 },
  { addr: 0x9fc00, size: 0x400, type: 2 },
  { addr: 0xf0000, size: 0x10000, type: 2 },
  { addr: 0x100000, size: 64 * MB - 0x20000 - 0x100000, type: 1 },
  { addr: 64 * MB - 0x20000, size: 0x10000, type: 3 },
  { addr: 64 * MB - 0x10000, size: 0x10000, type: 4 },
  { addr: 0xfeffc000, size: 0x4000, type: 2 },
  { addr: 0xfffc0000, size: 0x40000, type: 2 },
];

const usablePfns: Exercise = {
  id: '01-boot/usable-pfns',
  chapter: '01-boot',
  title: 'Which page frames does the firmware map make usable?',
  kind: 'implement',
  prompt: [
    'The firmware hands the kernel a table of physical address ranges (the e820 map), each with a',
    'type: 1 = usable RAM, 2 = reserved, 3 = ACPI data, 4 = ACPI NVS, 5 = unusable. Only **whole',
    'pages** of usable RAM can become page frames. Write `usable_pfns(table)` that returns the',
    'usable page-frame ranges as `[start_pfn, end_pfn]` pairs (end exclusive), in table order,',
    'leaving out ranges with no whole page. Pages are 4096 bytes; a pfn is `address / 4096`.',
  ].join('\n'),
  signature: 'usable_pfns(table: { addr: number; size: number; type: number }[]): number[][]',
  starter: [
    'export default function usable_pfns(table: { addr: number; size: number; type: number }[]): number[][] {',
    '  const out: number[][] = [];',
    '  for (const e of table) {',
    '    if (e.type === 1) out.push([e.addr / 4096, (e.addr + e.size) / 4096]);',
    '  }',
    '  return out;',
    '}',
    '',
  ].join('\n'),
  hints: [
    'A range that starts in the middle of a page can only use the next page: round the start up.',
    'A range that ends in the middle of a page loses that last partial page: round the end down.',
    'After rounding, a tiny range may be empty (start >= end): leave it out.',
  ],
  show: (input) => `usable_pfns(${JSON.stringify((input as [E820Entry[]])[0].map((e) => ({ addr: hex(e.addr), size: hex(e.size), type: `${e.type} ${e820_type_name(e.type)}` })))})`,
  tests: [
    {
      name: 'page-aligned map',
      points: 2,
      hint: 'Keep only type 1 entries; pfn = address / 4096.',
      cases: () => [e820Case([{ addr: 0, size: 0x9f000, type: 1 }, { addr: 0x9f000, size: 0x61000, type: 2 }, { addr: 0x100000, size: 0x3f00000, type: 1 }])],
    },
    {
      name: "QEMU's firmware map",
      points: 3,
      dependsOn: ['page-aligned map'],
      hint: 'The first entry ends at 0x9fc00, inside page 0x9f: that page is not usable.',
      cases: () => [e820Case(QEMU_64M)],
    },
    {
      name: 'an entry smaller than a page',
      points: 2,
      dependsOn: ['page-aligned map'],
      hint: 'After rounding the start up and the end down, nothing may be left.',
      cases: () => [e820Case([{ addr: 0x1000, size: 0x800, type: 1 }, { addr: 0x1800, size: 0x2000, type: 1 }, { addr: 0x10000, size: 0x10000, type: 1 }])],
    },
    {
      name: 'random maps',
      points: 3,
      hidden: true,
      dependsOn: ['page-aligned map'],
      hint: 'Round every usable entry inward to whole pages, and drop empty results; other types never count.',
      cases: (rng) => Array.from({ length: 12 }, () => e820Case(randomE820(rng))),
    },
  ],
};

// ---------------------------------------------------------------- memblock_add / memblock_remove

type RegionOp = { op: 'add' | 'remove'; base: number; size: number };

/** The simulator's answer: the memory regions after the operations, as [base, size] pairs. */
function regionsOracle(ops: RegionOp[]): number[][] {
  const mb = new Memblock();
  for (const o of ops) {
    if (o.op === 'add') mb.memblock_add(o.base, o.size);
    else mb.memblock_remove(o.base, o.size);
  }
  return mb.memory.list().map((r) => [r.base, r.size]);
}

function randomOps(rng: Rng, n: number): RegionOp[] {
  const ops: RegionOp[] = [];
  for (let i = 0; i < n; i++) {
    const base = rng.int(64) * 4 * KB;
    const size = (1 + rng.int(16)) * 4 * KB;
    ops.push({ op: i > 1 && rng.chance(0.3) ? 'remove' : 'add', base, size });
  }
  return ops;
}

const opsCase = (ops: RegionOp[]): GradeCase => ({ input: [ops], expected: regionsOracle(ops) });

const memblockRegions: Exercise = {
  id: '01-boot/memblock-regions',
  chapter: '01-boot',
  title: 'Keep memblock.memory sorted and minimal',
  kind: 'implement',
  prompt: [
    'memblock keeps the RAM it knows about as an array of regions `[base, size]`, sorted by base',
    'and **minimal**: `memblock_add` of a range that overlaps or touches existing regions merges',
    'with them, and `memblock_remove` cuts a range out (splitting a region in two when it removes',
    'the middle). Write `apply_ops(ops)` that starts from an empty array, applies each',
    '`{ op: "add" | "remove", base, size }` in order and returns the final regions as',
    '`[base, size]` pairs (all regions belong to the same node and have no flags).',
  ].join('\n'),
  signature: 'apply_ops(ops: { op: "add" | "remove"; base: number; size: number }[]): number[][]',
  starter: [
    'export default function apply_ops(ops: { op: "add" | "remove"; base: number; size: number }[]): number[][] {',
    '  const regions: number[][] = [];',
    '  for (const o of ops) {',
    '    if (o.op === "add") regions.push([o.base, o.size]);',
    '  }',
    '  return regions.sort((a, b) => a[0] - b[0]);',
    '}',
    '',
  ].join('\n'),
  hints: [
    'Work with [start, end) intervals; convert back to [base, size] at the end.',
    'Regions that merely touch (one ends where the next begins) merge too.',
    'Removing the middle of a region leaves two regions; removing a range that covers nothing changes nothing.',
  ],
  show: (input) => `apply_ops(${JSON.stringify((input as [RegionOp[]])[0].map((o) => `${o.op} ${hex(o.base)}+${hex(o.size)}`))})`,
  tests: [
    {
      name: 'disjoint adds',
      points: 2,
      hint: 'Two ranges with a gap between them stay two regions, sorted by base.',
      cases: () => [opsCase([{ op: 'add', base: 0x40000000 + 16 * KB, size: 8 * KB }, { op: 'add', base: 0x40000000, size: 8 * KB }])],
    },
    {
      name: 'overlapping and touching adds merge',
      points: 3,
      dependsOn: ['disjoint adds'],
      hint: 'memblock_add of [1G+8K, +8K) between [1G, +8K) and [1G+16K, +8K) leaves one 24 KiB region.',
      cases: () => [
        opsCase([{ op: 'add', base: 0x40000000, size: 8 * KB }, { op: 'add', base: 0x40000000 + 16 * KB, size: 8 * KB }, { op: 'add', base: 0x40000000 + 8 * KB, size: 8 * KB }]),
        opsCase([{ op: 'add', base: 512 * MB, size: 1024 * MB }, { op: 'add', base: 256 * MB, size: 512 * MB }]),
        opsCase([{ op: 'add', base: 1 * MB, size: 4 * MB }, { op: 'add', base: 2 * MB, size: 1 * MB }]),
      ],
    },
    {
      name: 'remove splits a region',
      points: 3,
      dependsOn: ['disjoint adds'],
      hint: 'Removing [16M, +1M) from [1M, +32M) leaves [1M, +15M) and [17M, +16M).',
      cases: () => [
        opsCase([{ op: 'add', base: 1 * MB, size: 32 * MB }, { op: 'remove', base: 16 * MB, size: 1 * MB }]),
        opsCase([{ op: 'add', base: 1 * MB, size: 4 * MB }, { op: 'remove', base: 1 * MB, size: 4 * MB }]),
        opsCase([{ op: 'add', base: 1 * MB, size: 4 * MB }, { op: 'remove', base: 8 * MB, size: 4 * MB }]),
      ],
    },
    {
      name: 'random sequences',
      points: 4,
      hidden: true,
      dependsOn: ['overlapping and touching adds merge', 'remove splits a region'],
      hint: 'After every operation the array must be sorted, non-overlapping, and have no two regions that touch.',
      cases: (rng) => Array.from({ length: 16 }, () => opsCase(randomOps(rng, 3 + rng.int(8)))),
    },
  ],
};

// ---------------------------------------------------------------- memblock allocation placement

/** Input of a placement question: RAM, reserved ranges, allocations, direction. */
interface PlacementInput {
  memory: number[][];
  reserved: number[][];
  allocs: { size: number; align: number }[];
  bottomUp: boolean;
}

/** Runs the simulator's memblock on a placement question; returns the addresses and the free ranges seen before each allocation. */
function placementRun(p: PlacementInput): { addrs: number[]; free: { start: number; end: number }[][] } {
  const mb = new Memblock();
  for (const [b, s] of p.memory) mb.memblock_add(b, s);
  for (const [b, s] of p.reserved) mb.memblock_reserve(b, s);
  mb.memblock_set_bottom_up(p.bottomUp);
  const addrs: number[] = [];
  const free: { start: number; end: number }[][] = [];
  for (const a of p.allocs) {
    free.push(mb.free_ranges().map(({ start, end }) => ({ start, end })));
    addrs.push(mb.memblock_phys_alloc(a.size, a.align));
  }
  return { addrs, free };
}

function randomPlacement(rng: Rng, bottomUp: boolean): PlacementInput {
  const memory: number[][] = [];
  let base = 0;
  const nmem = 1 + rng.int(3);
  for (let i = 0; i < nmem; i++) {
    base += rng.int(4) * 64 * KB;
    const size = (2 + rng.int(8)) * 64 * KB;
    memory.push([base, size]);
    base += size;
  }
  const reserved: number[][] = [];
  const nres = rng.int(4);
  for (let i = 0; i < nres; i++) {
    const [mb, ms] = memory[rng.int(memory.length)];
    const off = rng.int(ms / (4 * KB)) * 4 * KB;
    reserved.push([mb + off, Math.min(ms - off, (1 + rng.int(8)) * 4 * KB)]);
  }
  const aligns = [64, 256, 4 * KB, 16 * KB, 64 * KB];
  const allocs = Array.from({ length: 2 + rng.int(4) }, () => ({ size: (1 + rng.int(48)) * 1 * KB, align: aligns[rng.int(aligns.length)] }));
  return { memory, reserved, allocs, bottomUp };
}

const placementCase = (p: PlacementInput): GradeCase => ({ input: [p], expected: placementRun(p).addrs });

const memblockPlacement: Exercise = {
  id: '01-boot/memblock-placement',
  chapter: '01-boot',
  title: 'Predict where memblock places early allocations',
  kind: 'predict',
  prompt: [
    'Before the page allocator exists, the kernel allocates with `memblock_phys_alloc(size, align)`.',
    'It searches **memory minus reserved** for a free range and, by default, works **top-down**:',
    'it takes the highest suitable address. Then it reserves what it returned, so the next',
    'allocation sees it as used. Write `place(q)` that predicts the address of each allocation in',
    '`q.allocs` (0 when it cannot be satisfied), given `q.memory` and `q.reserved` as `[base, size]`',
    'pairs and `q.bottomUp` (true after `memblock_set_bottom_up(true)`: lowest address first).',
    'Like the kernel, memblock never hands out the first page (addresses below 4096).',
  ].join('\n'),
  signature: 'place(q: { memory: number[][]; reserved: number[][]; allocs: { size: number; align: number }[]; bottomUp: boolean }): number[]',
  starter: [
    'export default function place(q: { memory: number[][]; reserved: number[][]; allocs: { size: number; align: number }[]; bottomUp: boolean }): number[] {',
    '  // Start from the top of the highest memory region.',
    '  const [base, size] = q.memory[q.memory.length - 1];',
    '  let top = base + size;',
    '  return q.allocs.map((a) => {',
    '    top -= a.size;',
    '    return top;',
    '  });',
    '}',
    '',
  ].join('\n'),
  hints: [
    'Compute the free ranges (each memory region minus the reserved ranges), then search them from the highest down.',
    'Top-down, the candidate in a free range [start, end) is round_down(end - size, align); it fits when it is >= start.',
    'Bottom-up, the candidate is round_up(start, align); it fits when candidate + size <= end.',
    'Every allocation becomes reserved before the next one is placed; and no range starts below 4096.',
  ],
  show: (input) => {
    const p = (input as [PlacementInput])[0];
    const r = (xs: number[][]): string => xs.map(([b, s]) => `[${hex(b)}, +${hex(s)})`).join(' ');
    return `place({ memory: ${r(p.memory)}, reserved: ${r(p.reserved) || 'none'}, allocs: ${p.allocs.map((a) => `${a.size}@${a.align}`).join(', ')}, bottomUp: ${p.bottomUp} })`;
  },
  tests: [
    {
      name: 'one allocation at the top',
      points: 2,
      hint: 'Top-down: the end of the highest region, minus the size, rounded down to the alignment.',
      cases: () => [
        placementCase({ memory: [[0, 32 * KB]], reserved: [], allocs: [{ size: 2, align: 32 }], bottomUp: false }),
        placementCase({ memory: [[1 * MB, 1 * MB]], reserved: [], allocs: [{ size: 3000, align: 4096 }], bottomUp: false }),
      ],
    },
    {
      name: 'allocations stack downwards',
      points: 2,
      dependsOn: ['one allocation at the top'],
      hint: 'Each allocation is reserved, so the next one goes below it (and the reserved regions merge).',
      cases: () => [placementCase({ memory: [[0, 32 * KB]], reserved: [], allocs: [{ size: 8, align: 32 }, { size: 512, align: 32 }, { size: 100, align: 64 }], bottomUp: false })],
    },
    {
      name: 'skipping a gap that is too small',
      points: 3,
      dependsOn: ['allocations stack downwards'],
      hint: 'A free range between two reserved ones is used only when the aligned block fits inside it.',
      cases: () => [
        placementCase({ memory: [[0, 32 * KB]], reserved: [[32 * KB - 512, 512], [32 * KB - 1024, 256]], allocs: [{ size: 1024, align: 32 }], bottomUp: false }),
        placementCase({ memory: [[0, 64 * KB], [128 * KB, 8 * KB]], reserved: [[128 * KB, 6 * KB]], allocs: [{ size: 4 * KB, align: 4 * KB }, { size: 1 * KB, align: 1 * KB }], bottomUp: false }),
      ],
    },
    {
      name: 'bottom-up',
      points: 2,
      dependsOn: ['one allocation at the top'],
      hint: 'Bottom-up starts at the lowest free address at or above 4096, rounded up to the alignment.',
      cases: () => [placementCase({ memory: [[0, 64 * KB]], reserved: [[4 * KB, 4 * KB]], allocs: [{ size: 100, align: 64 }, { size: 4 * KB, align: 4 * KB }], bottomUp: true })],
    },
    {
      name: 'random layouts',
      points: 4,
      hidden: true,
      dependsOn: ['skipping a gap that is too small', 'bottom-up'],
      hint: 'Check failures (0), several memory regions, reserved ranges inside them, and both directions.',
      cases: (rng) => Array.from({ length: 14 }, (_, i) => placementCase(randomPlacement(rng, i % 3 === 2))),
    },
  ],
};

// ---------------------------------------------------------------- problems

const placementProblem: Problem = {
  id: '01-boot/memblock-placement',
  chapter: '01-boot',
  title: 'Where do these early allocations land?',
  generate(seed: number): ProblemInstance {
    const rng = new Rng(seed * 7919 + 1);
    const p = randomPlacement(rng, rng.chance(0.3));
    const run = placementRun(p);
    const fmt = (xs: number[][]): string => xs.map(([b, s]) => `  [${hex(b, 8)} - ${hex(b + s, 8)})  (${s / KB} KiB)`).join('\n');
    const question = [
      `memblock knows this RAM (memblock.memory):`,
      fmt(p.memory),
      `and these ranges are already reserved (memblock.reserved):`,
      p.reserved.length ? fmt(p.reserved) : '  (none)',
      `Allocation direction: ${p.bottomUp ? 'bottom-up (memblock_set_bottom_up(true))' : 'top-down (the default)'}.`,
      `The kernel now calls, in order:`,
      ...p.allocs.map((a, i) => `  ${i + 1}. memblock_phys_alloc(${a.size}, ${a.align})`),
      `What does each call return?`,
    ].join('\n');
    const steps: string[] = [];
    p.allocs.forEach((a, i) => {
      const free = run.free[i].map((f) => `[${hex(f.start)}-${hex(f.end)})`).join(' ');
      const got = run.addrs[i];
      steps.push(`Call ${i + 1} (${a.size} bytes, align ${a.align}): free ranges are ${free || 'none'}.`);
      if (got) {
        const range = run.free[i].find((f) => got >= f.start && got + a.size <= f.end);
        steps.push(p.bottomUp
          ? `  Searching upward, the first range where round_up(start, ${a.align}) + ${a.size} fits is ${range ? `[${hex(range.start)}-${hex(range.end)})` : '?'}: the block starts at ${hex(got)} and is reserved.`
          : `  Searching downward, the first range where round_down(end - ${a.size}, ${a.align}) >= start is ${range ? `[${hex(range.start)}-${hex(range.end)})` : '?'}: the block starts at ${hex(got)} and is reserved.`);
      } else steps.push(`  No free range can hold ${a.size} bytes at alignment ${a.align}: memblock_phys_alloc returns 0.`);
    });
    return {
      id: this.id, seed, title: this.title, question,
      answer: run.addrs.map((a, i) => `${i + 1}. ${a ? hex(a) : '0 (failed)'}`).join('\n'),
      steps,
    };
  },
};

/** Chapter 01's graded exercises. */
export const exercises: Exercise[] = [usablePfns, memblockRegions, memblockPlacement];
/** Chapter 01's problem generators. */
export const problems: Problem[] = [placementProblem];
