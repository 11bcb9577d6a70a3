/**
 * Chapter 02 (nodes, zones, watermarks, GFP): exercises and problem generators.
 *
 * Mirrors: include/linux/gfp.h (gfp_zone, GFP_ZONE_TABLE), mm/page_alloc.c
 * (__setup_per_zone_wmarks, setup_per_zone_lowmem_reserve, get_page_from_freelist).
 * Models: the learner re-implements the kernel's rules; the checker asks the simulator.
 * See: chapters/02-zones/chapter.md.
 */
import {
  GFP_ATOMIC, GFP_DMA, GFP_DMA32, GFP_HIGHUSER, GFP_HIGHUSER_MOVABLE, GFP_KERNEL, GFP_NOWAIT, GFP_USER,
  __GFP_DMA, __GFP_DMA32, __GFP_HIGHMEM, __GFP_MOVABLE, __GFP_RECLAIMABLE, __GFP_ZERO, __GFP_HIGH, __GFP_NOWARN,
  ZONE_NAMES, format_gfp,
} from '../../mm/gfp.js';
import { Rng } from '../../base/rng.js';
import { createSystem, type System } from '../../system.js';
import { WMARK_LOW } from '../../mm/mmzone.js';
import { ALLOC_WMARK_LOW } from '../../mm/internal.js';
import type { Exercise, GradeCase, Problem, ProblemInstance } from '../types.js';

/** Machines booted once per process, by preset name (the oracles only read them or use fresh ones). */
const booted = new Map<string, System>();
function machine(preset: string): System {
  let s = booted.get(preset);
  if (!s) booted.set(preset, (s = createSystem(preset)));
  return s;
}

/** The simulator's answer for choose-zone: the zone the allocator of that architecture starts from, or null. */
function zoneOracle(gfp: number, arch: 'x86_64' | 'i386'): string | null {
  const z = machine(arch === 'i386' ? 'i386-highmem' : 'tiny').buddy.gfp_zone(gfp);
  return z < 0 ? null : ZONE_NAMES[z];
}

const chooseZoneCase = (gfp: number, hasHighmem: boolean) => {
  const arch = hasHighmem ? 'i386' : 'x86_64';
  return { input: [gfp, arch], expected: zoneOracle(gfp, arch) };
};

const chooseZone: Exercise = {
  id: '02-zones/choose-zone',
  chapter: '02-zones',
  title: 'Which zone does a GFP mask start from?',
  kind: 'implement',
  prompt: [
    'Every allocation names, through its GFP mask, the **highest** zone it may use; the allocator',
    'starts there and falls back only to lower zones. Write `choose_zone(gfp, arch)` that',
    'returns the name of that zone as /proc prints it (`"DMA"`, `"DMA32"`, `"Normal"`, `"HighMem"`,',
    '`"Movable"`), like the kernel\'s `gfp_zone()`. `arch` is `"x86_64"` (zones DMA, DMA32, Normal,',
    'Movable) or `"i386"` (DMA, Normal, HighMem, Movable: no DMA32). A mask that mixes the DMA, DMA32',
    'and HIGHMEM modifiers is invalid: return `null`.',
    '',
    'The zone modifiers are `__GFP_DMA` = 0x01, `__GFP_HIGHMEM` = 0x02, `__GFP_DMA32` = 0x04 and',
    '`__GFP_MOVABLE` = 0x08. In a notebook, write the numbers; in a solution file you may import the',
    'names from `lib/index.js`.',
  ].join('\n'),
  signature: 'choose_zone(gfp: number, arch: "x86_64" | "i386"): string | null',
  starter: [
    'export default function choose_zone(gfp: number, arch: "x86_64" | "i386"): string | null {',
    '  // Look at the zone modifiers: __GFP_DMA 0x01, __GFP_HIGHMEM 0x02, __GFP_DMA32 0x04, __GFP_MOVABLE 0x08.',
    "  return 'Normal';",
    '}',
    '',
  ].join('\n'),
  hints: [
    'Only four bits matter: mask the GFP value with 0x0f first.',
    'More than one of DMA, DMA32 and HIGHMEM set is invalid, whatever MOVABLE says.',
    '__GFP_MOVABLE changes the zone only together with __GFP_HIGHMEM (that pair means ZONE_MOVABLE); on its own it only picks the migratetype.',
    'Without ZONE_HIGHMEM (x86-64), __GFP_HIGHMEM alone means ZONE_NORMAL; without ZONE_DMA32 (i386), __GFP_DMA32 means ZONE_NORMAL.',
  ],
  show: (input) => {
    const [gfp, arch] = input as [number, string];
    return `choose_zone(0x${gfp.toString(16)} /* ${format_gfp(gfp)} */, "${arch}")`;
  },
  tests: [
    {
      name: 'ordinary kernel allocations',
      points: 2,
      hint: 'No zone modifier at all means ZONE_NORMAL.',
      cases: () => [GFP_KERNEL, GFP_ATOMIC, GFP_NOWAIT, GFP_USER, GFP_KERNEL | __GFP_ZERO].flatMap((g) => [chooseZoneCase(g, false), chooseZoneCase(g, true)]),
    },
    {
      name: 'DMA and DMA32',
      points: 2,
      hint: '__GFP_DMA means ZONE_DMA and __GFP_DMA32 means ZONE_DMA32, whatever else is set.',
      cases: () => [...[GFP_DMA, GFP_DMA32, GFP_KERNEL | __GFP_DMA, GFP_KERNEL | __GFP_DMA32, GFP_ATOMIC | __GFP_DMA32].map((g) => chooseZoneCase(g, false)), chooseZoneCase(GFP_DMA, true)],
    },
    {
      name: 'highmem on i386 and on x86-64',
      points: 2,
      dependsOn: ['ordinary kernel allocations'],
      hint: 'GFP_HIGHUSER may use ZONE_HIGHMEM where it exists; on x86-64 there is none.',
      cases: () => [chooseZoneCase(GFP_HIGHUSER, true), chooseZoneCase(GFP_HIGHUSER, false), chooseZoneCase(__GFP_HIGHMEM, true), chooseZoneCase(__GFP_HIGHMEM, false)],
    },
    {
      name: 'movable',
      points: 2,
      dependsOn: ['ordinary kernel allocations'],
      hint: 'Only HIGHMEM together with MOVABLE selects ZONE_MOVABLE; MOVABLE alone leaves the zone as it was.',
      cases: () => [
        chooseZoneCase(GFP_HIGHUSER_MOVABLE, true), chooseZoneCase(GFP_HIGHUSER_MOVABLE, false),
        chooseZoneCase(GFP_KERNEL | __GFP_MOVABLE, false), chooseZoneCase(GFP_DMA32 | __GFP_MOVABLE, false),
        chooseZoneCase(__GFP_DMA | __GFP_MOVABLE, true),
      ],
    },
    {
      name: 'DMA32 on i386',
      points: 1,
      dependsOn: ['DMA and DMA32'],
      hint: 'i386 has no ZONE_DMA32 (CONFIG_ZONE_DMA32 is 64-bit only): the kernel maps __GFP_DMA32 to ZONE_NORMAL there.',
      cases: () => [chooseZoneCase(GFP_DMA32, true), chooseZoneCase(GFP_KERNEL | __GFP_DMA32, true)],
    },
    {
      name: 'invalid combinations',
      points: 1,
      hint: 'Two of DMA, DMA32, HIGHMEM at once is GFP_ZONE_BAD: return null.',
      cases: () => [__GFP_DMA | __GFP_DMA32, __GFP_DMA | __GFP_HIGHMEM, GFP_KERNEL | __GFP_DMA32 | __GFP_HIGHMEM, __GFP_DMA | __GFP_DMA32 | __GFP_HIGHMEM | __GFP_MOVABLE].map((g) => chooseZoneCase(g, false)),
    },
    {
      name: 'random masks',
      points: 3,
      hidden: true,
      dependsOn: ['DMA and DMA32', 'movable'],
      hint: 'Check every combination of the four low bits, on both architectures; the other bits never matter.',
      cases: (rng) => Array.from({ length: 24 }, () => {
        const other = [GFP_KERNEL, GFP_ATOMIC, GFP_USER, GFP_NOWAIT, __GFP_HIGH | __GFP_NOWARN, __GFP_RECLAIMABLE][rng.int(6)];
        return chooseZoneCase(other | rng.int(16), rng.chance(0.5));
      }),
    },
  ],
};

// ---------------------------------------------------------------- watermarks

/** Input of the watermark exercise: the tunables and every zone with pages. */
interface WmarkInput {
  min_free_kbytes: number;
  watermark_scale_factor: number;
  zones: { node: number; zone: string; managed: number }[];
}

/** Boots a machine, sets the two sysctls and reads back every populated zone's watermarks. */
function wmarkRun(config: Parameters<typeof createSystem>[0], mfk: number | null, wsf: number | null): { input: WmarkInput; expected: number[][]; sys: System } {
  const sys = createSystem(config);
  // Writing a sysctl recomputes the watermarks from today's managed pages (boot computed them
  // before the kernel freed its init memory, as Linux does), so the question is self-consistent.
  sys.sysctl('vm.min_free_kbytes', mfk ?? (sys.sysctl('vm.min_free_kbytes') as number));
  if (wsf !== null) sys.sysctl('vm.watermark_scale_factor', wsf);
  const zones = sys.buddy.zones.filter((z) => z && z.managed_pages > 0);
  return {
    sys,
    input: {
      min_free_kbytes: sys.sysctl('vm.min_free_kbytes') as number,
      watermark_scale_factor: sys.sysctl('vm.watermark_scale_factor') as number,
      zones: zones.map((z) => ({ node: z.node, zone: z.name, managed: z.managed_pages })),
    },
    expected: zones.map((z) => [z._watermark[0], z._watermark[1], z._watermark[2]]),
  };
}

function wmarkCase(config: Parameters<typeof createSystem>[0], mfk: number | null, wsf: number | null): GradeCase {
  const r = wmarkRun(config, mfk, wsf);
  return { input: [r.input], expected: r.expected };
}

const watermarks: Exercise = {
  id: '02-zones/watermarks',
  chapter: '02-zones',
  title: 'Compute the zone watermarks from min_free_kbytes',
  kind: 'implement',
  prompt: [
    'Write `watermarks(q)` that returns `[min, low, high]` (in pages) for every zone in `q.zones`, in',
    'the same order, as the kernel\'s `__setup_per_zone_wmarks()` computes them from',
    '`q.min_free_kbytes` and `q.watermark_scale_factor`. Each zone has its node, its name and its',
    'managed pages; the list holds every zone with pages, on every node. Use integer arithmetic',
    '(round down) wherever the kernel does.',
  ].join('\n'),
  signature: 'watermarks(q: { min_free_kbytes: number; watermark_scale_factor: number; zones: { node: number; zone: string; managed: number }[] }): number[][]',
  starter: [
    'export default function watermarks(q: { min_free_kbytes: number; watermark_scale_factor: number; zones: { node: number; zone: string; managed: number }[] }): number[][] {',
    '  const pages_min = Math.floor(q.min_free_kbytes / 4);',
    '  // Every zone gets the same share for now.',
    '  return q.zones.map(() => {',
    '    const min = Math.floor(pages_min / q.zones.length);',
    '    return [min, min + Math.floor(min / 4), min + 2 * Math.floor(min / 4)];',
    '  });',
    '}',
    '',
  ].join('\n'),
  hints: [
    'pages_min = min_free_kbytes / 4 (4 KiB pages). Each lowmem zone gets min = pages_min × managed / (Σ managed of all lowmem zones), rounded down.',
    'Lowmem means every zone except HighMem and Movable, summed over all nodes.',
    'The gap is max(share / 4, managed × watermark_scale_factor / 10000), where share is the zone\'s proportional part of pages_min; low = min + gap, high = low + gap.',
    'HighMem (and Movable) zones get min = managed / 1024, clamped to 32..128 — but their gap still uses the proportional share.',
  ],
  show: (input) => {
    const q = (input as [WmarkInput])[0];
    return `watermarks({ min_free_kbytes: ${q.min_free_kbytes}, watermark_scale_factor: ${q.watermark_scale_factor}, zones: ${q.zones.map((z) => `node${z.node}/${z.zone}:${z.managed}`).join(', ')} })`;
  },
  tests: [
    {
      name: 'the default PC',
      points: 3,
      hint: 'Share pages_min among DMA, DMA32 and Normal in proportion to their managed pages.',
      cases: () => [wmarkCase('pc-4g', null, null)],
    },
    {
      name: 'min_free_kbytes doubled',
      points: 2,
      dependsOn: ['the default PC'],
      hint: 'Everything scales with pages_min; the gap is min/4 unless the scale factor gives more.',
      cases: () => [wmarkCase('pc-4g', 2 * (machine('pc-4g').sysctl('vm.min_free_kbytes') as number), null)],
    },
    {
      name: 'a large watermark_scale_factor',
      points: 2,
      dependsOn: ['the default PC'],
      hint: 'With watermark_scale_factor 300, managed × 300 / 10000 is larger than min/4: that is the gap.',
      cases: () => [wmarkCase('pc-16g', null, 300)],
    },
    {
      name: 'i386 with HighMem',
      points: 2,
      dependsOn: ['the default PC'],
      hint: 'HighMem is not lowmem: leave it out of the sum, give it min = clamp(managed/1024, 32, 128), but compute its gap from its proportional share.',
      cases: () => [wmarkCase('i386-highmem', null, null)],
    },
    {
      name: 'random machines and tunables',
      points: 4,
      hidden: true,
      dependsOn: ['a large watermark_scale_factor', 'i386 with HighMem'],
      hint: 'Try NUMA machines (the lowmem sum runs over every node), small machines and extreme tunables.',
      cases: (rng) => Array.from({ length: 6 }, (_, i) => {
        const memMb = [64, 256, 1024, 3072, 6144][rng.int(5)];
        const config = i % 3 === 2
          ? { arch: 'i386' as const, memory: `${[1024, 2048, 3072][rng.int(3)]}M` }
          : { memory: `${i % 3 === 1 ? 2 * memMb : memMb}M`, nodes: i % 3 === 1 ? 2 : 1 };
        const mfk = rng.chance(0.6) ? 128 + rng.int(65536) : null;
        const wsf = rng.chance(0.5) ? 1 + rng.int(1000) : null;
        return wmarkCase(config, mfk, wsf);
      }),
    },
  ],
};

const watermarkProblem: Problem = {
  id: '02-zones/watermarks',
  chapter: '02-zones',
  title: 'Where are the watermarks?',
  generate(seed: number): ProblemInstance {
    const rng = new Rng(seed * 104729 + 7);
    const memory = [`${[64, 128, 512, 2048][rng.int(4)]}M`, '4G', '6G'][rng.int(3)];
    const mfk = rng.chance(0.5) ? null : 256 * (1 + rng.int(64));
    const r = wmarkRun({ memory }, mfk, null);
    const q = r.input;
    const pages_min = Math.floor(q.min_free_kbytes / 4);
    const lowmem = q.zones.reduce((s, z) => s + z.managed, 0);
    const question = [
      `A ${memory} x86-64 machine has vm.min_free_kbytes = ${q.min_free_kbytes} and vm.watermark_scale_factor = ${q.watermark_scale_factor}.`,
      `Its zones have these managed pages:`,
      ...q.zones.map((z) => `  ${z.zone.padEnd(7)} ${z.managed}`),
      `What are the min, low and high watermarks of each zone?`,
    ].join('\n');
    const steps = [
      `pages_min = min_free_kbytes / 4 = ${q.min_free_kbytes} / 4 = ${pages_min} pages (4 KiB each).`,
      `All these zones are lowmem, so they share pages_min in proportion to managed pages: Σ managed = ${lowmem}.`,
    ];
    q.zones.forEach((z, i) => {
      const [min, low, high] = r.expected[i];
      const share = Math.floor((pages_min * z.managed) / lowmem);
      const scaled = Math.floor((z.managed * q.watermark_scale_factor) / 10000);
      steps.push(`${z.zone}: min = ${pages_min} × ${z.managed} / ${lowmem} = ${min}; gap = max(${share}/4 = ${share >> 2}, ${z.managed} × ${q.watermark_scale_factor} / 10000 = ${scaled}) = ${low - min}; low = ${low}, high = ${high}.`);
    });
    steps.push('These are the numbers /proc/zoneinfo prints as min, low and high for each zone of the simulated machine.');
    return {
      id: this.id, seed, title: this.title, question,
      answer: q.zones.map((z, i) => `${z.zone.padEnd(7)} min ${r.expected[i][0]}  low ${r.expected[i][1]}  high ${r.expected[i][2]}`).join('\n'),
      steps,
    };
  },
};

// ---------------------------------------------------------------- lowmem_reserve

interface ReserveInput {
  ratio: number[];
  managed: number[];
}

function reserveCase(config: Parameters<typeof createSystem>[0], ratio: number[] | null): GradeCase {
  const sys = createSystem(config);
  // Writing the sysctl recomputes the table from today's managed pages (see wmarkRun).
  sys.sysctl('vm.lowmem_reserve_ratio', ratio ?? (sys.sysctl('vm.lowmem_reserve_ratio') as number[]));
  const zones = sys.buddy.pgdat[0].node_zones;
  const input: ReserveInput = { ratio: [...sys.buddy.lowmem_reserve_ratio], managed: zones.map((z) => z.managed_pages) };
  return { input: [input], expected: zones.map((z) => [...z.lowmem_reserve]) };
}

const lowmemReserve: Exercise = {
  id: '02-zones/lowmem-reserve',
  chapter: '02-zones',
  title: 'Compute lowmem_reserve (the protection: line)',
  kind: 'implement',
  prompt: [
    'Write `lowmem_reserve(q)` that returns the `lowmem_reserve` table of one node, as the kernel\'s',
    '`setup_per_zone_lowmem_reserve()` computes it: `result[i][j]` is the number of pages zone *i*',
    'keeps back from an allocation whose highest allowed zone is *j*. `q.managed[i]` and',
    '`q.ratio[i]` are the managed pages and `lowmem_reserve_ratio` of zone index *i* (0 DMA, 1 DMA32,',
    '2 Normal, 3 HighMem, 4 Movable; absent zones have 0 pages). Return a 5 × 5 table.',
  ].join('\n'),
  signature: 'lowmem_reserve(q: { ratio: number[]; managed: number[] }): number[][]',
  starter: [
    'export default function lowmem_reserve(q: { ratio: number[]; managed: number[] }): number[][] {',
    '  const n = q.managed.length;',
    '  return q.managed.map((m, i) => Array.from({ length: n }, (_, j) => (j > i && q.ratio[i] ? Math.floor(q.managed[j] / q.ratio[i]) : 0)));',
    '}',
    '',
  ].join('\n'),
  hints: [
    'For j > i, add up the managed pages of every zone from i+1 to j (not only zone j), then divide by ratio[i], rounding down.',
    'Entries with j <= i are 0.',
    'A zone with ratio 0, or with no managed pages itself, reserves nothing: its whole row is 0.',
  ],
  show: (input) => `lowmem_reserve(${JSON.stringify((input as [ReserveInput])[0])})`,
  tests: [
    {
      name: 'the default PC',
      points: 3,
      hint: 'DMA\'s reserve against a Normal allocation counts DMA32 and Normal pages together.',
      cases: () => [reserveCase('pc-4g', null)],
    },
    {
      name: 'i386 and a changed ratio',
      points: 2,
      dependsOn: ['the default PC'],
      hint: 'On i386 the Normal zone protects itself against HighMem allocations with ratio 32.',
      cases: () => [reserveCase('i386-highmem', null), reserveCase('pc-16g', [128, 512, 16, 0])],
    },
    {
      name: 'empty zones and zero ratios',
      points: 2,
      dependsOn: ['the default PC'],
      hint: 'A 64 MiB PC has no Normal zone; a ratio of 0 clears a row.',
      cases: () => [reserveCase({ memory: '64M' }, null), reserveCase('pc-4g', [0, 256, 32, 0])],
    },
    {
      name: 'random machines',
      points: 3,
      hidden: true,
      dependsOn: ['empty zones and zero ratios'],
      hint: 'Sum over the zones between i and j inclusive of j; check small machines, i386 and unusual ratios.',
      cases: (rng) => Array.from({ length: 5 }, (_, i) => {
        const i386 = i % 2 === 1;
        const config = i386 ? { arch: 'i386' as const, memory: `${512 * (1 + rng.int(6))}M` } : { memory: `${64 * (1 + rng.int(128))}M` };
        const ratio = rng.chance(0.6) ? Array.from({ length: 4 }, () => (rng.chance(0.2) ? 0 : 1 + rng.int(1024))) : null;
        return reserveCase(config, ratio);
      }),
    },
  ],
};

// ---------------------------------------------------------------- zone fallback

interface FirstZoneInput {
  highest: string;
  zonelist: { zone: string; free: number; low: number; lowmem_reserve: number[] }[];
}

const ZIDX: Record<string, number> = { DMA: 0, DMA32: 1, Normal: 2, HighMem: 3, Movable: 4 };

/**
 * The simulator's answer: walk node 0's zonelist for `highest` and ask each zone's
 * zone_watermark_ok at the low watermark (order 0), as get_page_from_freelist's fast path does.
 */
function firstZoneCase(sys: System, highest: number): GradeCase {
  const b = sys.buddy;
  const zl = b.pgdat[0].zonelists[highest];
  const hit = zl.find((z) => b.zone_watermark_ok(z, 0, z.wmark(WMARK_LOW), highest, ALLOC_WMARK_LOW));
  const input: FirstZoneInput = {
    highest: ZONE_NAMES[highest],
    zonelist: zl.map((z) => ({ zone: z.name, free: b.zone_free(z), low: z.wmark(WMARK_LOW), lowmem_reserve: [...z.lowmem_reserve] })),
  };
  return { input: [input], expected: hit ? hit.name : null };
}

/** A machine whose zones were drained towards their watermarks by `blocks` order-10 allocations of `gfp`. */
function drained(memory: string, steps: [number, number][]): System {
  const sys = createSystem({ memory });
  for (const [gfp, n] of steps) for (let i = 0; i < n; i++) sys.alloc_pages(gfp | __GFP_NOWARN, 10);
  return sys;
}

/**
 * A machine whose DMA32 zone is at its low watermark and whose DMA zone sits between its low
 * watermark and low + lowmem_reserve[DMA32] (`frac` of the way up): only the reserve decides.
 */
function squeezed(memory: string, frac: number): System {
  const sys = createSystem({ memory });
  // No watermark boosting (fallbacks while draining would raise DMA's low mark past its free pages).
  sys.sysctl('vm.watermark_boost_factor', 0);
  const b = sys.buddy;
  const [dma, dma32] = b.pgdat[0].node_zones;
  // Large blocks first, then single pages with the per-CPU lists drained after each, so the
  // zone's free count comes down to its low watermark exactly.
  for (const order of [4, 0]) {
    while (b.zone_free(dma32) > dma32.wmark(WMARK_LOW)) {
      const p = sys.alloc_pages(GFP_DMA32 | __GFP_NOWARN, order);
      b.drain_all_pages();
      if (!p) break;
      if (b.page_zone(p.pfn) === dma) {
        sys.__free_pages(p, order);
        b.drain_all_pages();
        break;
      }
    }
  }
  const target = dma.wmark(WMARK_LOW) + Math.max(1, Math.floor(dma.lowmem_reserve[1] * frac));
  while (b.zone_free(dma) > target) {
    const p = sys.alloc_pages(GFP_DMA | __GFP_NOWARN, 0);
    b.drain_all_pages();
    if (!p) break;
  }
  return sys;
}

const firstZone: Exercise = {
  id: '02-zones/first-zone',
  chapter: '02-zones',
  title: 'Which zone serves the allocation?',
  kind: 'implement',
  prompt: [
    'An order-0 allocation walks its zonelist — the zones at or below its highest allowed zone,',
    'highest first — and takes the first zone that passes the **low** watermark check: the zone\'s',
    'free pages must be **greater than** `low + lowmem_reserve[highest]`. Write `first_zone(q)` that',
    'returns the name of that zone, or `null` when no zone passes (the allocation then enters the',
    'slow path). `q.highest` is the highest allowed zone\'s name; `q.zonelist` lists the zones in',
    'walking order with their free pages, low watermark and `lowmem_reserve` array (indexed by zone:',
    '0 DMA, 1 DMA32, 2 Normal, 3 HighMem, 4 Movable).',
  ].join('\n'),
  signature: 'first_zone(q: { highest: string; zonelist: { zone: string; free: number; low: number; lowmem_reserve: number[] }[] }): string | null',
  starter: [
    'export default function first_zone(q: { highest: string; zonelist: { zone: string; free: number; low: number; lowmem_reserve: number[] }[] }): string | null {',
    '  for (const z of q.zonelist) {',
    '    if (z.free > z.low) return z.zone;',
    '  }',
    '  return null;',
    '}',
    '',
  ].join('\n'),
  hints: [
    'Turn q.highest into a zone index (DMA 0, DMA32 1, Normal 2, HighMem 3, Movable 4) and look up lowmem_reserve at that index.',
    'The test is strict: free must be greater than low + reserve.',
  ],
  show: (input) => {
    const q = (input as [FirstZoneInput])[0];
    return `first_zone({ highest: ${q.highest}, zonelist: ${q.zonelist.map((z) => `${z.zone}(free ${z.free}, low ${z.low}, reserve[${ZIDX[q.highest]}] ${z.lowmem_reserve[ZIDX[q.highest]]})`).join(' → ')} })`;
  },
  tests: [
    {
      name: 'a fresh machine',
      points: 2,
      hint: 'On a fresh machine the highest allowed zone has plenty of free pages.',
      cases: () => {
        const sys = drained('4G', []);
        return [firstZoneCase(sys, 2), firstZoneCase(sys, 1), firstZoneCase(sys, 0)];
      },
    },
    {
      name: 'Normal is full: fall back to DMA32',
      points: 3,
      dependsOn: ['a fresh machine'],
      hint: 'When Normal is at its low watermark, the walk moves on to DMA32.',
      cases: () => [firstZoneCase(drained('4G', [[GFP_KERNEL, 260]]), 2)],
    },
    {
      name: 'lowmem_reserve protects DMA',
      points: 3,
      dependsOn: ['Normal is full: fall back to DMA32'],
      hint: 'DMA has free pages above its low watermark, but not above low + lowmem_reserve for a DMA32 or Normal allocation.',
      cases: () => {
        const sys = squeezed('256M', 0.5);
        return [firstZoneCase(sys, 1), firstZoneCase(sys, 2), firstZoneCase(sys, 0)];
      },
    },
    {
      name: 'drained machines',
      points: 4,
      hidden: true,
      dependsOn: ['lowmem_reserve protects DMA'],
      hint: 'Check every highest zone, machines where every zone fails (null), and the strict comparison.',
      cases: (rng) => Array.from({ length: 6 }, (_, i) => {
        if (i < 2) return firstZoneCase(squeezed(['128M', '256M', '1G'][rng.int(3)], 0.1 + 0.8 * rng.float()), [0, 1, 2][rng.int(3)]);
        const memory = ['128M', '512M', '4G', '5G'][rng.int(4)];
        const mb = Number.parseInt(memory, 10) * (memory.endsWith('G') ? 1024 : 1);
        const blocks = Math.floor((mb / 4) * (0.6 + 0.45 * rng.float()));
        const sys = drained(memory, [[rng.chance(0.5) ? GFP_KERNEL : GFP_DMA32, blocks]]);
        return firstZoneCase(sys, [0, 1, 2][rng.int(3)]);
      }),
    },
  ],
};

/** Chapter 02's graded exercises. */
export const exercises: Exercise[] = [chooseZone, watermarks, lowmemReserve, firstZone];
/** Chapter 02's problem generators. */
export const problems: Problem[] = [watermarkProblem];
