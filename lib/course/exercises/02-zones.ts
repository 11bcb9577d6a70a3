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
  ZONE_NAMES, format_gfp, gfp_zone,
} from '../../mm/gfp.js';
import type { Exercise, Problem } from '../types.js';

/** The simulator's answer for choose-zone: the zone name, or null for an invalid mask. */
function zoneOracle(gfp: number, hasHighmem: boolean): string | null {
  try {
    return ZONE_NAMES[gfp_zone(gfp, hasHighmem)];
  } catch {
    return null;
  }
}

const chooseZoneCase = (gfp: number, hasHighmem: boolean) => ({ input: [gfp, hasHighmem], expected: zoneOracle(gfp, hasHighmem) });

const chooseZone: Exercise = {
  id: '02-zones/choose-zone',
  chapter: '02-zones',
  title: 'Which zone does a GFP mask start from?',
  kind: 'implement',
  prompt: [
    'Every allocation names, through its GFP mask, the **highest** zone it may use; the allocator',
    'starts there and falls back only to lower zones. Write `choose_zone(gfp, hasHighmem)` that',
    'returns the name of that zone as /proc prints it (`"DMA"`, `"DMA32"`, `"Normal"`, `"HighMem"`,',
    '`"Movable"`), like the kernel\'s `gfp_zone()`. `hasHighmem` is true on i386 (which has',
    'ZONE_HIGHMEM) and false on x86-64. A mask that mixes the DMA, DMA32 and HIGHMEM modifiers is',
    'invalid: return `null`.',
    '',
    'The flag values are in scope (`__GFP_DMA` = 0x01, `__GFP_HIGHMEM` = 0x02, `__GFP_DMA32` = 0x04,',
    '`__GFP_MOVABLE` = 0x08); you may also write the numbers.',
  ].join('\n'),
  signature: 'choose_zone(gfp: number, hasHighmem: boolean): string | null',
  starter: [
    'export default function choose_zone(gfp: number, hasHighmem: boolean): string | null {',
    '  // Look at the zone modifiers: __GFP_DMA 0x01, __GFP_HIGHMEM 0x02, __GFP_DMA32 0x04, __GFP_MOVABLE 0x08.',
    "  return 'Normal';",
    '}',
    '',
  ].join('\n'),
  hints: [
    'Only four bits matter: mask the GFP value with 0x0f first.',
    'More than one of DMA, DMA32 and HIGHMEM set is invalid, whatever MOVABLE says.',
    '__GFP_MOVABLE changes the zone only together with __GFP_HIGHMEM (that pair means ZONE_MOVABLE); on its own it only picks the migratetype.',
    'Without ZONE_HIGHMEM (x86-64), __GFP_HIGHMEM alone means ZONE_NORMAL.',
  ],
  show: (input) => {
    const [gfp, hm] = input as [number, boolean];
    return `choose_zone(0x${gfp.toString(16)} /* ${format_gfp(gfp)} */, ${hm})`;
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
      cases: () => [GFP_DMA, GFP_DMA32, GFP_KERNEL | __GFP_DMA, GFP_KERNEL | __GFP_DMA32, GFP_ATOMIC | __GFP_DMA32].map((g) => chooseZoneCase(g, false)),
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

/** Chapter 02's graded exercises. */
export const exercises: Exercise[] = [chooseZone];
/** Chapter 02's problem generators. */
export const problems: Problem[] = [];
