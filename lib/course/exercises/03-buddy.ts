/**
 * Chapter 03 (the buddy allocator): exercises and problem generators.
 *
 * Mirrors: mm/internal.h (__find_buddy_pfn), mm/page_alloc.c (__rmqueue_smallest, expand,
 * __free_one_page, __rmqueue_claim, find_suitable_fallback, fallbacks[]), mm/vmstat.c
 * (/proc/buddyinfo).
 * Models: the learner re-implements the allocator's rules; the checker runs the simulator's
 * allocator (lib/mm/page_alloc.ts) on real machines and reads its free lists and trace.
 * find-buddy's oracle is the one-line __find_buddy_pfn of mm/internal.h, which the simulator
 * inlines in __free_one_page (test/course.test.ts checks the two agree).
 * The fallback exercise plugs the learner's policy into decisions recorded from the simulator's
 * trace (mm_page_alloc_extfrag), because the allocator has no hook for a replacement policy.
 * See: chapters/03-buddy/chapter.md.
 */
import { Rng } from '../../base/rng.js';
import { GFP_HIGHUSER_MOVABLE, GFP_KERNEL, MIGRATE_TYPES, MIGRATETYPE_NAMES, __GFP_NOWARN, __GFP_RECLAIMABLE } from '../../mm/gfp.js';
import { NO_PFN } from '../../mm/mm_types.js';
import { MAX_PAGE_ORDER, type Zone } from '../../mm/mmzone.js';
import { createSystem, type System } from '../../system.js';
import type { Exercise, GradeCase, Problem, ProblemInstance } from '../types.js';

// ---------------------------------------------------------------- find the buddy

/** mm/internal.h __find_buddy_pfn: the buddy of the order-`order` block at `pfn`. */
export function __find_buddy_pfn(pfn: number, order: number): number {
  return pfn ^ (1 << order);
}

const buddyCase = (pfn: number, order: number): GradeCase => ({ input: [pfn, order], expected: __find_buddy_pfn(pfn, order) });

const findBuddy: Exercise = {
  id: '03-buddy/find-buddy',
  chapter: '03-buddy',
  title: 'Find the buddy of a block',
  kind: 'implement',
  prompt: [
    'Write `find_buddy(pfn, order)` that returns the page frame number of the **buddy** of the free',
    'block of order `order` that starts at `pfn` (`pfn` is a multiple of 2^order): the other half of',
    'the order+1 block the two would merge into. The buddy may lie above or below the block.',
  ].join('\n'),
  signature: 'find_buddy(pfn: number, order: number): number',
  starter: [
    'export default function find_buddy(pfn: number, order: number): number {',
    '  // The buddy is the block right after this one... or is it?',
    '  return pfn + (1 << order);',
    '}',
    '',
  ].join('\n'),
  hints: [
    'The pair forms an aligned block of order+1: the lower half starts at a multiple of 2^(order+1).',
    'If the block is the lower half, the buddy is above it; if it is the upper half, below.',
    'Both cases are one bit flip: bit number `order` of the pfn.',
  ],
  show: (input) => `find_buddy(${(input as number[]).join(', ')})`,
  tests: [
    {
      name: 'lower halves',
      points: 2,
      hint: 'pfn 8 at order 1 is the lower half of the order-2 block at 8: its buddy is 10.',
      cases: () => [buddyCase(8, 1), buddyCase(0, 0), buddyCase(0, 3), buddyCase(1024, 9)],
    },
    {
      name: 'upper halves',
      points: 2,
      hint: 'pfn 10 at order 1 is the upper half of the order-2 block at 8: its buddy is 8, below it.',
      cases: () => [buddyCase(10, 1), buddyCase(1, 0), buddyCase(24, 3), buddyCase(1536, 9)],
    },
    {
      name: 'random blocks',
      points: 4,
      hidden: true,
      dependsOn: ['lower halves', 'upper halves'],
      hint: 'Test every order from 0 to 9 and large pfns (a 16 GiB machine has pfns above 4 million).',
      cases: (rng) => Array.from({ length: 40 }, () => {
        const order = rng.int(10);
        return buddyCase(rng.int(1 << 22) & ~((1 << order) - 1), order);
      }),
    },
  ],
};

// ---------------------------------------------------------------- split (expand)

/** The MOVABLE free-list heads of a zone for orders >= `order`: the smallest non-empty order. */
function smallestFreeOrder(z: Zone, order: number, mt: number): number {
  for (let o = order; o <= MAX_PAGE_ORDER; o++) if (z.freeHead[o * MIGRATE_TYPES + mt] !== NO_PFN) return o;
  return -1;
}

/**
 * Allocates one movable block of `order` (4..8: served by the buddy lists, not the per-CPU
 * lists) on `sys` and reports what the simulator did: the block taken, its order, and the free
 * blocks expand() left in it, in the order they were put on the lists (largest first).
 */
function splitRun(sys: System, order: number): { pfn: number; high: number; halves: number[][] } | null {
  const b = sys.buddy;
  const zl = b.pgdat[0].zonelists[b.gfp_zone(GFP_HIGHUSER_MOVABLE)];
  const z = zl[0];
  const high = smallestFreeOrder(z, order, 1);
  const page = sys.alloc_pages(GFP_HIGHUSER_MOVABLE | __GFP_NOWARN, order);
  if (!page || high < 0 || b.page_zone(page.pfn) !== z) return null;
  const halves: number[][] = [];
  for (let p = page.pfn + (1 << page.order); p < page.pfn + (1 << high); p++) {
    const o = b.buddy_order(p);
    if (o >= 0) {
      halves.push([p, o]);
      p += (1 << o) - 1;
    }
  }
  halves.sort((x, y) => y[0] - x[0]);
  return { pfn: page.pfn, high, halves };
}

/** Cases from a fresh machine: a run of allocations, each recorded as a split question. */
function splitCases(preset: string, orders: number[]): GradeCase[] {
  const sys = createSystem(preset);
  const out: GradeCase[] = [];
  for (const o of orders) {
    const r = splitRun(sys, o);
    if (r) out.push({ input: [r.pfn, r.high, o], expected: r.halves });
  }
  return out;
}

const split: Exercise = {
  id: '03-buddy/split',
  chapter: '03-buddy',
  title: 'Split a block: what goes back on the free lists?',
  kind: 'implement',
  prompt: [
    'The allocator found a free block of order `high` at `pfn` for a request of order `low`',
    '(`low <= high`). It keeps the first 2^low pages and puts the rest back on the free lists, as the',
    'kernel\'s `expand()` does. Write `split(pfn, high, low)` that returns the blocks put back, as',
    '`[pfn, order]` pairs, **in the order expand() adds them** (an empty list when `low === high`).',
  ].join('\n'),
  signature: 'split(pfn: number, high: number, low: number): number[][]',
  starter: [
    'export default function split(pfn: number, high: number, low: number): number[][] {',
    '  const out: number[][] = [];',
    '  // Cut the block into equal pieces of the requested size.',
    '  for (let p = pfn + (1 << low); p < pfn + (1 << high); p += 1 << low) out.push([p, low]);',
    '  return out;',
    '}',
    '',
  ].join('\n'),
  hints: [
    'Halve the block: the upper half (order high-1) goes back to the free lists, the lower half is split further.',
    'The upper halves start at pfn + 2^(high-1), pfn + 2^(high-2), ... down to pfn + 2^low.',
    'expand() adds the biggest half first.',
  ],
  show: (input) => `split(${(input as number[]).join(', ')})`,
  tests: [
    {
      name: 'no split needed',
      points: 1,
      hint: 'When the block already has the requested order, nothing goes back.',
      cases: () => splitCases('tiny', [10]),
    },
    {
      name: 'splits on a fresh machine',
      points: 3,
      dependsOn: ['no split needed'],
      hint: 'An order-4 request from an order-10 block puts back blocks of orders 9, 8, 7, 6, 5 and 4.',
      cases: () => splitCases('tiny', [4, 6, 5, 8]),
    },
    {
      name: 'random allocation runs',
      points: 4,
      hidden: true,
      dependsOn: ['splits on a fresh machine'],
      hint: 'Check every combination of high and low, including high - low = 1.',
      cases: (rng) => splitCases(rng.chance(0.5) ? 'tiny' : 'pc-4g', Array.from({ length: 12 }, () => [4, 5, 6, 7, 8, 10][rng.int(6)])),
    },
  ],
};

const splitProblem: Problem = {
  id: '03-buddy/split',
  chapter: '03-buddy',
  title: 'Which blocks does an allocation leave behind?',
  generate(seed: number): ProblemInstance {
    const rng = new Rng(seed * 15485863 + 3);
    const sys = createSystem('tiny');
    for (let i = rng.int(6); i > 0; i--) splitRun(sys, [4, 5, 6, 7, 8][rng.int(5)]);
    const order = [4, 5, 6, 7][rng.int(4)];
    const z = sys.buddy.pgdat[0].zonelists[sys.buddy.gfp_zone(GFP_HIGHUSER_MOVABLE)][0];
    const lists = Array.from({ length: MAX_PAGE_ORDER + 1 }, (_, o) => z.freeCount[o * MIGRATE_TYPES + 1]);
    const before = sys.read('/proc/buddyinfo').trim();
    const r = splitRun(sys, order)!;
    const after = sys.read('/proc/buddyinfo').trim();
    const question = [
      `A zone's Movable free lists hold this many blocks per order (0..10): ${lists.join(' ')}.`,
      `/proc/buddyinfo reads:`,
      `  ${before}`,
      `A movable allocation of order ${order} arrives (${1 << order} pages).`,
      `1. From which order's list does the block come?`,
      `2. Which free blocks does the allocation leave behind, and how does /proc/buddyinfo change?`,
    ].join('\n');
    const steps = [
      r.high === order
        ? `__rmqueue_smallest looks at the Movable list of order ${order} first: it has ${lists[order]} block(s), so no larger block is needed.`
        : `__rmqueue_smallest scans the Movable lists from order ${order} upwards: ${r.high - order === 1 ? `order ${order} is` : `orders ${order}..${r.high - 1} are`} empty, order ${r.high} has ${lists[r.high]} block(s).`,
      `It takes the first block on the order-${r.high} list: pfn ${r.pfn}.`,
    ];
    if (!r.halves.length) steps.push(`The block already has order ${order}: nothing is split.`);
    for (const [p, o] of r.halves) steps.push(`expand(): halve to order ${o}; the upper half at pfn ${p} (order ${o}, ${1 << o} pages) goes onto the order-${o} list.`);
    steps.push(`The lower ${1 << order} pages at pfn ${r.pfn} are returned to the caller.`);
    steps.push(`/proc/buddyinfo now reads: ${after}`);
    return {
      id: this.id, seed, title: this.title, question,
      answer: [`1. order ${r.high} (block at pfn ${r.pfn})`, `2. left behind: ${r.halves.map(([p, o]) => `pfn ${p} (order ${o})`).join(', ') || 'nothing'}`, `   buddyinfo after: ${after}`].join('\n'),
      steps,
    };
  },
};

const mergeProblem: Problem = {
  id: '03-buddy/merge',
  chapter: '03-buddy',
  title: 'Which buddies does a freed block merge with?',
  generate(seed: number): ProblemInstance {
    // Prefer a question where something merges: try a few layouts for this seed.
    let last: ProblemInstance | undefined;
    for (let k = 0; k < 8; k++) {
      last = mergeInstance(seed, k, this.id, this.title);
      if (!/merged 0 times/.test(last.answer)) break;
    }
    return last!;
  },
};

/** One merge question: a layout of held and freed blocks on a tiny machine, and one block to free. */
function mergeInstance(seed: number, variant: number, id: string, title: string): ProblemInstance {
  const rng = new Rng((seed * 2654435761 + 11 + variant * 7919) >>> 0);
  const sys = createSystem('tiny');
  const b = sys.buddy;
  // Orders 4..8: allocated and freed straight through the buddy lists (no per-CPU lists).
  const held = Array.from({ length: 6 + rng.int(6) }, () => sys.alloc_pages(GFP_HIGHUSER_MOVABLE | __GFP_NOWARN, 4 + rng.int(5))).filter((p): p is NonNullable<typeof p> => !!p);
  const target = held.splice(rng.int(held.length), 1)[0];
  for (const p of held) if (rng.chance(0.6)) sys.__free_pages(p, p.order);
  const before = sys.read('/proc/buddyinfo').trim();
  const steps: string[] = [];
  let pfn = target.pfn;
  let order = target.order;
  while (order < MAX_PAGE_ORDER) {
    const buddy = __find_buddy_pfn(pfn, order);
    const fb = b.free_block_of(buddy);
    if (!fb || fb.pfn !== buddy || fb.order !== order) {
      steps.push(`Order ${order}: the buddy is pfn ${pfn} ^ ${1 << order} = ${buddy}; ${fb ? `it lies inside a free block of order ${fb.order} at ${fb.pfn}, not a free block of order ${order}` : 'it is not free'}: stop.`);
      break;
    }
    const merged = pfn & buddy;
    steps.push(`Order ${order}: the buddy is pfn ${pfn} ^ ${1 << order} = ${buddy}, a free order-${order} block: take it off its list and merge into the order-${order + 1} block at ${merged}.`);
    pfn = merged;
    order++;
  }
  if (order === MAX_PAGE_ORDER) steps.push(`Order ${MAX_PAGE_ORDER} is the largest: no further merging.`);
  sys.__free_pages(target, target.order);
  const result = b.free_block_of(target.pfn)!;
  const after = sys.read('/proc/buddyinfo').trim();
  steps.push(`The block at pfn ${result.pfn} (order ${result.order}) goes onto the order-${result.order} free list; /proc/buddyinfo now reads: ${after}`);
  const question = [
    `On a small machine, /proc/buddyinfo reads:`,
    `  ${before}`,
    `The block at pfn ${target.pfn} (order ${target.order}, ${1 << target.order} pages) is allocated.`,
    `The free blocks in the same 4 MiB region (pfn ${target.pfn - (target.pfn % 1024)}..${target.pfn - (target.pfn % 1024) + 1023}): ${freeNear(sys, target.pfn, target.order)}`,
    `Now __free_pages(pfn ${target.pfn}, order ${target.order}) is called.`,
    `Which buddies does it merge with, and which block ends up on the free lists?`,
  ].join('\n');
  return {
    id, seed, title, question,
    answer: `one free block of order ${result.order} at pfn ${result.pfn} (merged ${result.order - target.order} time${result.order - target.order === 1 ? '' : 's'})`,
    steps,
  };
}

/** The free blocks (from the simulator) within the order-10 block around pfn, for the question. */
function freeNear(sys: System, pfn: number, order: number): string {
  const base = pfn - (pfn % 1024);
  const out: string[] = [];
  for (let p = base; p < base + 1024; ) {
    const o = sys.buddy.buddy_order(p);
    if (o >= 0 && p !== pfn) {
      out.push(`${p} (order ${o})`);
      p += 1 << o;
    } else p += p === pfn ? 1 << order : 1;
  }
  return out.join(', ') || 'none';
}

// ---------------------------------------------------------------- predict buddyinfo

interface BuddyinfoInput {
  /** nr_free per order, all migratetypes (what /proc/buddyinfo prints). */
  nr_free: number[];
  /** Free blocks per order on the Movable lists. */
  movable: number[];
  /** Orders of the movable allocations, in sequence. */
  allocs: number[];
}

/** How many of `allocs` the simulator serves from the Movable lists before one needs a fallback. */
function movablePrefix(preset: string, warmup: number[], allocs: number[]): number {
  const sys = createSystem(preset);
  for (const o of warmup) sys.alloc_pages(GFP_HIGHUSER_MOVABLE | __GFP_NOWARN, o);
  sys.trace.enabled = true;
  for (let i = 0; i < allocs.length; i++) {
    sys.trace.clear();
    const p = sys.alloc_pages(GFP_HIGHUSER_MOVABLE | __GFP_NOWARN, allocs[i]);
    if (!p || sys.trace.last().some((e) => e.name === 'mm_page_alloc_extfrag')) return i;
  }
  return allocs.length;
}

/** Runs the allocations on the simulator; the zone's nr_free afterwards is the answer. */
function buddyinfoCase(preset: string, warmup: number[], allAllocs: number[]): GradeCase {
  // Keep the question within its promise: every request is served from the Movable lists.
  const allocs = allAllocs.slice(0, movablePrefix(preset, warmup, allAllocs));
  const sys = createSystem(preset);
  for (const o of warmup) sys.alloc_pages(GFP_HIGHUSER_MOVABLE | __GFP_NOWARN, o);
  const z = sys.buddy.pgdat[0].zonelists[sys.buddy.gfp_zone(GFP_HIGHUSER_MOVABLE)][0];
  const input: BuddyinfoInput = {
    nr_free: [...z.nr_free],
    movable: Array.from({ length: MAX_PAGE_ORDER + 1 }, (_, o) => z.freeCount[o * MIGRATE_TYPES + 1]),
    allocs,
  };
  for (const o of allocs) sys.alloc_pages(GFP_HIGHUSER_MOVABLE | __GFP_NOWARN, o);
  return { input: [input], expected: [...z.nr_free] };
}

const buddyinfoAfter: Exercise = {
  id: '03-buddy/buddyinfo-after',
  chapter: '03-buddy',
  title: 'Predict /proc/buddyinfo after a run of allocations',
  kind: 'predict',
  prompt: [
    'A zone\'s /proc/buddyinfo line holds `q.nr_free`: free blocks per order 0..10, over all',
    'migratetypes. `q.movable` counts the blocks of each order on the **Movable** free lists alone.',
    'Movable allocations of the orders in `q.allocs` arrive one after another (all orders 4 or more,',
    'so the per-CPU lists play no part, and there is always enough Movable memory). Write',
    '`predict(q)` that returns the buddyinfo counts after the last allocation.',
  ].join('\n'),
  signature: 'predict(q: { nr_free: number[]; movable: number[]; allocs: number[] }): number[]',
  starter: [
    'export default function predict(q: { nr_free: number[]; movable: number[]; allocs: number[] }): number[] {',
    '  const nr = q.nr_free.slice();',
    '  for (const order of q.allocs) nr[order]--;',
    '  return nr;',
    '}',
    '',
  ].join('\n'),
  hints: [
    'A movable request only looks at the Movable lists: the smallest order >= the request with a Movable block.',
    'Taking an order-j block for an order-k request removes one block of order j and adds one block of each order k..j-1 (the halves expand() puts back, all Movable).',
    'Keep both arrays up to date: later requests see the blocks earlier ones left behind.',
  ],
  show: (input) => {
    const q = (input as [BuddyinfoInput])[0];
    return `predict({ nr_free: [${q.nr_free.join(' ')}], movable: [${q.movable.join(' ')}], allocs: [${q.allocs.join(', ')}] })`;
  },
  tests: [
    {
      name: 'one allocation',
      points: 2,
      hint: 'One order-4 request taken from an order-10 block leaves one more block at each order 4..9.',
      cases: () => [buddyinfoCase('tiny', [], [4]), buddyinfoCase('tiny', [], [10])],
    },
    {
      name: 'a sequence reuses the halves',
      points: 3,
      dependsOn: ['one allocation'],
      hint: 'The second order-4 request finds the order-4 half the first one left behind.',
      cases: () => [buddyinfoCase('tiny', [], [4, 4, 5, 8]), buddyinfoCase('pc-4g', [], [6, 5, 6, 4, 10])],
    },
    {
      name: 'random runs',
      points: 4,
      hidden: true,
      dependsOn: ['a sequence reuses the halves'],
      hint: 'Orders 4 to 8 and 10, long runs, and zones whose small Movable lists are not empty to begin with.',
      cases: (rng) => Array.from({ length: 6 }, () => {
        const pick = (): number => [4, 5, 6, 7, 8, 10][rng.int(6)];
        return buddyinfoCase(rng.chance(0.5) ? 'tiny' : 'pc-4g', Array.from({ length: rng.int(6) }, pick), Array.from({ length: 3 + rng.int(10) }, pick));
      }),
    },
  ],
};

// ---------------------------------------------------------------- fallback policy

interface FallbackInput {
  /** The migratetype requested (0 Unmovable, 1 Movable, 2 Reclaimable). */
  start_type: number;
  order: number;
  /** free[order][type]: free blocks on each list (types 0..2). */
  free: number[][];
}

/**
 * Records fallback decisions from the simulator: a machine runs out of one migratetype, and each
 * `mm_page_alloc_extfrag` event (with the free lists just before the allocation) is a case.
 */
function fallbackCases(preset: string, gfp: number, orders: number[], limit: number, reclaimableBlocks = 0): GradeCase[] {
  const sys = createSystem(preset);
  const b = sys.buddy;
  // Optionally turn some order-10 blocks Reclaimable first (allocate them as Reclaimable and free
  // them again), so that Reclaimable and Movable compete at the same order.
  const warm = Array.from({ length: reclaimableBlocks }, () => sys.alloc_pages(GFP_KERNEL | __GFP_RECLAIMABLE | __GFP_NOWARN, 10));
  for (const p of warm) if (p) sys.__free_pages(p, 10);
  const z = b.pgdat[0].zonelists[b.gfp_zone(gfp)][0];
  sys.trace.enabled = true;
  const out: GradeCase[] = [];
  const mt = gfp & __GFP_RECLAIMABLE ? 2 : gfp & 8 ? 1 : 0;
  for (let i = 0; i < orders.length && out.length < limit; i++) {
    const order = orders[i];
    const free = Array.from({ length: MAX_PAGE_ORDER + 1 }, (_, o) => [0, 1, 2].map((t) => z.freeCount[o * MIGRATE_TYPES + t]));
    sys.trace.clear();
    if (!sys.alloc_pages(gfp | __GFP_NOWARN, order)) break;
    const ev = sys.trace.last().find((e) => e.name === 'mm_page_alloc_extfrag');
    if (!ev) continue;
    const expected = [Number(ev.fields.fallback_order), Number(ev.fields.fallback_migratetype)];
    // Keep decisions made by the first search step (claiming from the largest order down); a claim
    // that the pageblock's contents refused and the later "steal" step are not visible in counts.
    if (!claimStepChooses(free, mt, order, expected)) continue;
    out.push({ input: { start_type: mt, order, free } satisfies FallbackInput, expected });
  }
  return out;
}

/** The kernel's fallbacks[] table (mm/page_alloc.c), for the case filter above. */
const FALLBACK_TABLE = [[2, 1], [2, 0], [0, 1]];
function claimStepChooses(free: number[][], mt: number, order: number, expected: number[]): boolean {
  for (let co = MAX_PAGE_ORDER; co >= order; co--) {
    for (const f of FALLBACK_TABLE[mt]) if (free[co][f] > 0) return co === expected[0] && f === expected[1];
  }
  return false;
}

const fallbackOrder: Exercise = {
  id: '03-buddy/fallback-order',
  chapter: '03-buddy',
  title: 'Plug in a fallback policy: which block does the allocator steal?',
  kind: 'policy',
  prompt: [
    'When the free lists of the requested migratetype are empty, the allocator falls back to',
    'another type. Your function is the policy: the grader replays fallback decisions recorded from',
    'the simulator (`mm_page_alloc_extfrag` events) and calls `pick_fallback(start_type, order, free)`',
    'at each one, with the free lists as they were at that moment (`free[o][t]` = free blocks of',
    'order `o` on type `t`\'s list; types 0 Unmovable, 1 Movable, 2 Reclaimable). Return',
    '`[fallback_order, fallback_type]`: the block the kernel\'s first fallback step takes, or `null`',
    'when no other type has a block of at least `order`. Match the kernel: it wants to take as',
    'large a block as possible (so that a whole pageblock changes type, instead of scattering',
    'unmovable pages everywhere), and it tries the types in the order of its `fallbacks[]` table:',
    'Unmovable → Reclaimable, then Movable; Movable → Reclaimable, then Unmovable; Reclaimable →',
    'Unmovable, then Movable.',
  ].join('\n'),
  signature: 'pick_fallback(start_type: number, order: number, free: number[][]): number[] | null',
  harness: '(fn, input) => fn(input.start_type, input.order, input.free)',
  starter: [
    'export default function pick_fallback(start_type: number, order: number, free: number[][]): number[] | null {',
    '  // Take the smallest block of any other type.',
    '  for (let o = order; o <= 10; o++) {',
    '    for (let t = 0; t < 3; t++) if (t !== start_type && free[o][t] > 0) return [o, t];',
    '  }',
    '  return null;',
    '}',
    '',
  ].join('\n'),
  hints: [
    'Search from order 10 down to the requested order, not upwards.',
    'At each order, try the fallback types in the table\'s order; the first one with a free block wins.',
  ],
  show: (input) => {
    const q = input as FallbackInput;
    const rows = q.free.map((r, o) => `${o}:${r.join('/')}`).join(' ');
    return `pick_fallback(${q.start_type} /* ${MIGRATETYPE_NAMES[q.start_type]} */, ${q.order}, free U/M/R by order ${rows})`;
  },
  tests: [
    {
      name: 'unmovable allocations on a fresh machine',
      points: 3,
      hint: 'An Unmovable request that finds no Unmovable block claims the largest free block of a fallback type.',
      cases: () => fallbackCases('tiny', GFP_KERNEL, Array.from({ length: 200 }, (_, i) => [4, 5, 6][i % 3]), 3),
    },
    {
      name: 'Reclaimable before Movable',
      points: 2,
      dependsOn: ['unmovable allocations on a fresh machine'],
      hint: 'For an Unmovable request the table says Reclaimable first: at the same order, a Reclaimable block wins over a Movable one.',
      cases: () => fallbackCases('pc-4g', GFP_KERNEL, Array.from({ length: 300 }, (_, i) => [4, 5, 6][i % 3]), 2, 1),
    },
    {
      name: 'reclaimable allocations',
      points: 2,
      dependsOn: ['unmovable allocations on a fresh machine'],
      hint: 'Reclaimable falls back to Unmovable first, then Movable.',
      cases: () => fallbackCases('tiny', GFP_KERNEL | __GFP_RECLAIMABLE, Array.from({ length: 200 }, (_, i) => [4, 6, 5][i % 3]), 3),
    },
    {
      name: 'recorded runs',
      points: 4,
      hidden: true,
      dependsOn: ['reclaimable allocations', 'Reclaimable before Movable'],
      hint: 'Mix request types and orders; the order of the fallbacks[] table matters when several types have blocks.',
      cases: (rng) => {
        const gfps = [GFP_KERNEL, GFP_KERNEL | __GFP_RECLAIMABLE];
        return [0, 1].flatMap((k) => fallbackCases(rng.chance(0.5) ? 'tiny' : 'pc-4g', gfps[(k + rng.int(2)) % 2], Array.from({ length: 300 }, () => [4, 5, 6, 7, 8][rng.int(5)]), 4, rng.int(3)));
      },
    },
  ],
};

/** Chapter 03's graded exercises. */
export const exercises: Exercise[] = [findBuddy, split, buddyinfoAfter, fallbackOrder];
/** Chapter 03's problem generators. */
export const problems: Problem[] = [splitProblem, mergeProblem];
