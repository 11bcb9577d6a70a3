/**
 * Chapter 06 (paging and page tables): exercises and problem generators.
 *
 * Mirrors: arch/x86/include/asm/pgtable_types.h (_PAGE_* bits, the pfn field),
 * pgtable_64_types.h / pgtable-2level_types.h / pgtable-3level_types.h (shifts, PTRS_PER_*),
 * include/linux/pgtable.h (pgd_index ... pte_index), mm/memory.c (__pte_alloc, __pmd_alloc:
 * tables are allocated on first use).
 * Models: the learner splits addresses into indices, decodes entries and counts table pages;
 * the checker reads the answers off the simulator: the walks of `sys.translate` on real
 * machines (i386, PAE, x86-64 4- and 5-level), the entries the tables hold, and the VmPTE of a
 * process after it touched its pages.
 * See: chapters/06-paging/chapter.md.
 */
import { Rng } from '../../base/rng.js';
import {
  decodeEntry, entryPfn, pgIndex, type LevelName, type PagingLevel,
} from '../../arch/x86/pgtable.js';
import { createSystem, type System } from '../../system.js';
import type { Exercise, GradeCase, Problem, ProblemInstance } from '../types.js';

/** A hardware level as the exercises hand it to the learner. */
interface LevelSpec {
  name: string;
  shift: number;
  bits: number;
}

/** The machines of the chapter, by paging mode. */
const MACHINES: Record<string, unknown> = {
  'i386-2level': 'i386-highmem',
  'i386-pae': 'i386-pae',
  'x86_64-4level': 'tiny',
  'x86_64-5level': { preset: 'tiny', la57: true },
};

const bootCache = new Map<string, System>();
/** A booted machine per paging mode (shared by the cases of one grading run). */
function machine(mode: string): System {
  let s = bootCache.get(mode);
  if (!s) {
    s = createSystem(MACHINES[mode] as string);
    bootCache.set(mode, s);
  }
  return s;
}

/** The hardware levels of a machine, as specs. */
function levelSpecs(sys: System): LevelSpec[] {
  return sys.mmcore.pg.g.walk.map((l) => ({ name: l.name, shift: l.shift, bits: l.bits }));
}

function asLevel(s: LevelSpec): PagingLevel {
  return { name: s.name as LevelName, shift: s.shift, bits: s.bits, ptrs: 2 ** s.bits, folded: false, hugeLeaf: false, size: 2 ** s.shift };
}

// ---------------------------------------------------------------- split an address

/** The simulator's index of `vaddr` at every level, then the offset in the smallest page. */
function splitOracle(vaddr: number, levels: LevelSpec[]): number[] {
  const out = levels.map((l) => pgIndex(vaddr, asLevel(l)));
  const page = 2 ** levels[levels.length - 1].shift;
  out.push(vaddr - Math.floor(vaddr / page) * page);
  return out;
}

/** A case from a real walk: map a page at a random spot, touch it, and read the walk's indices. */
function walkCase(mode: string, rng: Rng | null, fixed?: number): GradeCase {
  const sys = machine(mode);
  const t = sys.spawn('split');
  // mmap hands out addresses above 47 bits only on request, even with LA57 (DEFAULT_MAP_WINDOW)
  const top = sys.layout.arch === 'i386' ? 0xb0000000 : 2 ** 47 - 2 ** 32;
  const addr = fixed ?? (0x10000000 + Math.floor((rng ? rng.float() : 0.5) * ((top - 0x10000000) / 4096 - 16)) * 4096);
  const a = t.mmap(addr, 4096, 'rw', 'private|anonymous|fixed');
  t.write(a, [7]);
  const off = rng ? rng.int(4096) : 0x123;
  const r = sys.translate(t, a + off);
  const levels = levelSpecs(sys);
  const expected = [...r.levels.map((l) => l.index), off];
  t.exit();
  return { input: [a + off, levels], expected };
}

/** Page-table geometries of other machines (arm64 with 16 KiB and 64 KiB pages): data only. */
const OTHER_GEOMETRIES: LevelSpec[][] = [
  [{ name: 'pgd', shift: 47, bits: 1 }, { name: 'pud', shift: 36, bits: 11 }, { name: 'pmd', shift: 25, bits: 11 }, { name: 'pte', shift: 14, bits: 11 }],
  [{ name: 'pgd', shift: 42, bits: 6 }, { name: 'pmd', shift: 29, bits: 13 }, { name: 'pte', shift: 16, bits: 13 }],
];

const splitAddress: Exercise = {
  id: '06-paging/split-address',
  chapter: '06-paging',
  title: 'Split a virtual address into table indices',
  kind: 'implement',
  prompt: [
    'Write `split(vaddr, levels)` for **any** paging geometry. `levels` lists the hardware levels,',
    'top first, each as `{ name, shift, bits }`: the level\'s index is the `bits` address bits',
    'starting at bit `shift` (x86-64 4-level: pgd 39/9, pud 30/9, pmd 21/9, pte 12/9; i386:',
    'pgd 22/10, pte 12/10). Return an array with one index per level, top first, followed by the',
    'offset inside the page (the bits below the last level\'s shift). `vaddr` is a user address,',
    'below 2^53.',
  ].join('\n'),
  signature: 'split(vaddr: number, levels: { name: string; shift: number; bits: number }[]): number[]',
  starter: [
    'export default function split(vaddr: number, levels: { name: string; shift: number; bits: number }[]): number[] {',
    '  // Every level takes 9 bits ... right?',
    '  const out = levels.map((l) => (vaddr >> l.shift) & 511);',
    '  out.push(vaddr & 4095);',
    '  return out;',
    '}',
    '',
  ].join('\n'),
  hints: [
    'The index of a level is (vaddr / 2^shift) mod 2^bits, and the offset is vaddr mod 2^(last shift).',
    'Not every geometry uses 9 bits per level or 4 KiB pages: read `bits` and `shift`.',
    'JavaScript\'s `>>`, `>>>` and `&` work on 32 bits: for x86-64 addresses use Math.floor(vaddr / 2 ** shift) % 2 ** bits.',
  ],
  show: (input) => {
    const [v, levels] = input as [number, LevelSpec[]];
    return `split(0x${v.toString(16)}, [${levels.map((l) => `${l.name} ${l.shift}/${l.bits}`).join(', ')}])`;
  },
  tests: [
    {
      name: 'i386, two levels',
      points: 2,
      hint: 'i386 without PAE: 10 bits of PGD index (bits 22-31), 10 bits of PTE index (12-21), 12 bits of offset.',
      cases: () => [walkCase('i386-2level', null, 0x08048000), walkCase('i386-2level', null, 0xbfffe000)],
    },
    {
      name: 'x86-64, four levels',
      points: 3,
      dependsOn: ['i386, two levels'],
      hint: 'A user address near the top of the 47-bit half has PGD index 255; it is above 2^32.',
      cases: () => [walkCase('x86_64-4level', null, 0x555555559000), walkCase('x86_64-4level', null, 0x7ffff7ff0000), walkCase('x86_64-4level', null, 0x400000)],
    },
    {
      name: 'PAE and 5-level',
      points: 2,
      dependsOn: ['i386, two levels'],
      hint: 'PAE\'s top level has only 2 bits (4 entries); 5-level paging adds a level (bits 48-56) above the 4-level ones.',
      cases: () => [walkCase('i386-pae', null, 0xb7ff0000), walkCase('x86_64-5level', null, 0x7ffff7ff0000), walkCase('x86_64-5level', null, 0x555555559000)],
    },
    {
      name: 'random addresses on every machine',
      points: 3,
      hidden: true,
      dependsOn: ['x86-64, four levels', 'PAE and 5-level'],
      hint: 'All four x86 paging modes, addresses anywhere in user space.',
      cases: (rng) => Object.keys(MACHINES).flatMap((m) => [walkCase(m, rng), walkCase(m, rng)]),
    },
    {
      name: 'other geometries',
      points: 2,
      hidden: true,
      dependsOn: ['random addresses on every machine'],
      hint: 'Pages of 16 KiB or 64 KiB and levels of 11, 13 or 6 bits (arm64): nothing may assume 9 bits or 4 KiB.',
      cases: (rng) => OTHER_GEOMETRIES.flatMap((g) => Array.from({ length: 4 }, () => {
        const v = Math.floor(rng.float() * 2 ** 47);
        return { input: [v, g], expected: splitOracle(v, g) };
      })),
    },
  ],
};

// ---------------------------------------------------------------- decode an entry

/** Entries harvested from real walks: [entry hex, level name]. */
function harvestEntries(mode: string, rng: Rng | null): GradeCase[] {
  const sys = machine(mode);
  const t = sys.spawn('decode');
  const out: GradeCase[] = [];
  const add = (steps: { level: string; entry: string }[]): void => {
    for (const s of steps) out.push({ input: [s.entry, s.level], expected: oracleDecode(s.entry, s.level) });
  };
  const base = t.mmap(0, 8 * 4096, 'rw', 'private|anonymous');
  const code = t.mmap(0, 2 * 4096, 'rwx', 'private|anonymous');
  t.write(base, [1]); // anonymous page, dirty, NX
  t.read(base + 4096, 1); // the zero page, read-only, special
  t.write(code, [0xc3]); // executable
  t.write(base + 2 * 4096, [2]);
  t.mprotect(base + 2 * 4096, 4096, 'none'); // PROT_NONE: not present, protnone
  t.write(base + 3 * 4096, [3]);
  const child = t.fork();
  child.write(base + 3 * 4096, [4]); // the parent's entry is write-protected for CoW
  const pick = [base, base + 4096, code, base + 2 * 4096, base + 3 * 4096];
  for (const a of rng ? pick.filter(() => rng.chance(0.8)) : pick) add(sys.mmcore.pg.peekWalk(t.mm!.pgd, a).slice(-1));
  add(sys.mmcore.pg.peekWalk(t.mm!.pgd, base).slice(0, 1)); // a top-level table entry
  // kernel entries: the direct map (huge leaves where RAM allows) and the kernel image
  const L = sys.layout;
  const koffs = rng ? [rng.int(2 ** 20) * 4096, 3 * 2 ** 20 + rng.int(1024) * 4096] : [0x123000, 5 * 2 ** 20];
  for (const o of koffs) add(sys.mmcore.pg.peekWalk(sys.mmcore.pg.init_mm.pgd, L.page_offset + (o % Math.min(L.direct_map_size, sys.mem.size - 2 ** 20))).slice(-1));
  child.exit();
  t.exit();
  return out;
}

function oracleDecode(hexEntry: string, level: string): { pfn: number; flags: string[] } {
  const lo = parseInt(hexEntry.slice(-8), 16);
  const hi = hexEntry.length > 8 ? parseInt(hexEntry.slice(0, -8), 16) : 0;
  return { pfn: entryPfn(lo, hi), flags: decodeEntry(lo, hi, level as LevelName) };
}

const decodeEntryEx: Exercise = {
  id: '06-paging/decode-entry',
  chapter: '06-paging',
  title: 'Decode a page-table entry',
  kind: 'implement',
  prompt: [
    'Write `decode(entry, level)`: `entry` is a page-table entry as hex digits (16 for the 64-bit',
    'entries of PAE and x86-64, 8 for i386 without PAE), `level` the level it was read from',
    '(`pgd`, `p4d`, `pud`, `pmd` or `pte`). Return `{ pfn, flags }`: the page frame number (bits',
    '12–51; 12–31 for 32-bit entries) and the names of the set bits, in bit order:',
    '`present` (0), `rw` (1), `user` (2), `pwt` (3), `pcd` (4), `accessed` (5), `dirty` (6), bit 7',
    '(`pse` in an upper level, where it means "this entry maps a huge page"; `pat` in a PTE),',
    'bit 8 (`global`, or `protnone` when `present` is clear: Linux\'s PROT_NONE marker), `special`',
    '(9, a software bit) and `nx` (63).',
  ].join('\n'),
  signature: 'decode(entry: string, level: string): { pfn: number; flags: string[] }',
  starter: [
    'export default function decode(entry: string, level: string): { pfn: number; flags: string[] } {',
    '  const v = parseInt(entry, 16);',
    '  const names = ["present", "rw", "user", "pwt", "pcd", "accessed", "dirty", "pse", "global", "special"];',
    '  return { pfn: Math.floor(v / 4096), flags: names.filter((_, i) => Math.floor(v / 2 ** i) % 2 === 1) };',
    '}',
    '',
  ].join('\n'),
  hints: [
    'A 64-bit entry does not fit a JavaScript number exactly: split the hex string into a high and a low 32-bit half.',
    'The pfn is bits 12..51 only: bit 63 is NX, and it must not end up in the pfn.',
    'Bit 7 is PSE only above the PTE level; bit 8 is `protnone` when the entry is not present.',
  ],
  show: (input) => `decode('${(input as string[])[0]}', '${(input as string[])[1]}')`,
  tests: [
    {
      name: 'user entries on x86-64',
      points: 3,
      hint: 'A written anonymous page: present, rw, user, accessed, dirty and nx (bit 63); the pfn stops at bit 51.',
      cases: () => harvestEntries('x86_64-4level', null).slice(0, 6),
    },
    {
      name: 'kernel entries: global and huge',
      points: 2,
      dependsOn: ['user entries on x86-64'],
      hint: 'The direct map uses 2 MiB leaves at the PMD level: bit 7 there is `pse`.',
      cases: () => harvestEntries('x86_64-4level', null).slice(6),
    },
    {
      name: 'i386 entries',
      points: 2,
      dependsOn: ['user entries on x86-64'],
      hint: '8 hex digits: 32-bit entries, pfn in bits 12-31, no NX bit.',
      cases: () => harvestEntries('i386-2level', null),
    },
    {
      name: 'entries from random machines',
      points: 4,
      hidden: true,
      dependsOn: ['kernel entries: global and huge', 'i386 entries'],
      hint: 'PAE entries (64-bit on a 32-bit machine), 5-level tables, PROT_NONE entries and zero-page mappings.',
      cases: (rng) => ['i386-pae', 'x86_64-5level', rng.chance(0.5) ? 'i386-2level' : 'x86_64-4level'].flatMap((m) => harvestEntries(m, rng)),
    },
  ],
};

// ---------------------------------------------------------------- count page-table pages

interface TablesInput {
  paging: string;
  levels: LevelSpec[];
  /** [first address, pages] of each range touched (page aligned). */
  ranges: [number, number][];
}

/** Touches every page of the ranges in a fresh process and reads VmPTE (pgtables_bytes). */
function tablesCase(mode: string, ranges: [number, number][]): GradeCase {
  const sys = machine(mode);
  const t = sys.spawn('tables');
  for (const [start, pages] of ranges) {
    t.mmap(start, pages * 4096, 'rw', 'private|anonymous|fixed');
    for (let p = 0; p < pages; p++) t.write(start + p * 4096, [1]);
  }
  const expected = t.mm!.pgtables_bytes / 4096;
  t.exit();
  const input: TablesInput = { paging: mode, levels: levelSpecs(sys), ranges };
  return { input: [input], expected };
}

/** Random page-aligned ranges that do not overlap, some crossing table boundaries on purpose. */
function randomRanges(rng: Rng, mode: string): [number, number][] {
  const top = mode.startsWith('i386') ? 0xb0000000 : 2 ** 46;
  const out: [number, number][] = [];
  const n = 1 + rng.int(4);
  for (let i = 0; i < n; i++) {
    const pages = 1 + rng.int(rng.chance(0.3) ? 700 : 40);
    let start: number;
    if (rng.chance(0.4)) {
      // straddle a 2 MiB (or 4 MiB) boundary
      const b = (1 + rng.int(Math.floor(top / 2 ** 22) - 2)) * 2 ** 22;
      start = b - (1 + rng.int(pages)) * 4096;
    } else {
      start = 0x10000000 + rng.int(Math.floor((top - 0x10000000) / 4096) - pages - 1) * 4096;
    }
    if (out.some(([s, p]) => start < s + p * 4096 + 4096 && s < start + pages * 4096 + 4096)) continue;
    out.push([start, pages]);
  }
  return out;
}

const tablePages: Exercise = {
  id: '06-paging/table-pages',
  chapter: '06-paging',
  title: 'How many page-table pages does a mapping need?',
  kind: 'predict',
  prompt: [
    'A fresh process (its PGD exists, nothing below it) writes one byte to every page of the',
    'ranges in `q.ranges` (`[first address, number of pages]`). The kernel allocates a page-table',
    'page the first time an entry below a not-yet-present entry is needed. Write `count(q)` that',
    'returns how many page-table pages **below the PGD** the process then has (what VmPTE in',
    '/proc/PID/status shows, divided by 4 KiB). `q.levels` are the hardware levels, top first, as',
    '`{ name, shift, bits }`; `q.paging` names the mode (`i386-2level`, `x86_64-4level` or',
    '`x86_64-5level`).',
  ].join('\n'),
  signature: 'count(q: { paging: string; levels: { name: string; shift: number; bits: number }[]; ranges: [number, number][] }): number',
  starter: [
    'export default function count(q: { paging: string; levels: { name: string; shift: number; bits: number }[]; ranges: [number, number][] }): number {',
    '  // One PTE table maps 512 pages.',
    '  let n = 0;',
    '  for (const [, pages] of q.ranges) n += Math.ceil(pages / 512);',
    '  return n;',
    '}',
    '',
  ].join('\n'),
  hints: [
    'A table at level d is needed once for every distinct entry of level d-1 the pages go through.',
    'Two pages share a table at level d when they agree on all address bits from levels[d-1].shift upwards: count distinct Math.floor(addr / 2 ** levels[d-1].shift).',
    'Count the levels below the top one; ranges may straddle table boundaries, and different ranges may share tables.',
  ],
  show: (input) => {
    const q = (input as [TablesInput])[0];
    return `count({ paging: '${q.paging}', ranges: [${q.ranges.map(([s, p]) => `[0x${s.toString(16)}, ${p}]`).join(', ')}] })`;
  },
  tests: [
    {
      name: 'one small range',
      points: 2,
      hint: 'Eight pages in one 2 MiB region need one PTE table, one PMD table and one PUD table on x86-64.',
      cases: () => [tablesCase('x86_64-4level', [[0x7f0000000000, 8]]), tablesCase('i386-2level', [[0x40000000, 8]])],
    },
    {
      name: 'ranges that straddle boundaries',
      points: 3,
      dependsOn: ['one small range'],
      hint: 'Two pages on either side of a 2 MiB boundary need two PTE tables; on either side of a 1 GiB boundary, also two PMD tables.',
      cases: () => [
        tablesCase('x86_64-4level', [[0x40000000 - 4096, 2]]),
        tablesCase('x86_64-4level', [[0x7f0000200000 - 4096, 2], [0x7f0000400000, 600]]),
        tablesCase('i386-2level', [[0x00800000 - 8192, 4], [0x40000000, 1]]),
      ],
    },
    {
      name: 'five levels',
      points: 2,
      dependsOn: ['one small range'],
      hint: 'With LA57 every path has one more table (a P4D table).',
      cases: () => [tablesCase('x86_64-5level', [[0x7f0000000000, 3]]), tablesCase('x86_64-5level', [[2 ** 39 - 4096, 2]])],
    },
    {
      name: 'random ranges',
      points: 4,
      hidden: true,
      dependsOn: ['ranges that straddle boundaries', 'five levels'],
      hint: 'Several ranges, some sharing tables with each other, on all three geometries.',
      cases: (rng) => ['i386-2level', 'x86_64-4level', 'x86_64-5level', 'x86_64-4level'].map((m) => tablesCase(m, randomRanges(rng, m))),
    },
  ],
};

// ---------------------------------------------------------------- problem: walk by hand

const walkProblem: Problem = {
  id: '06-paging/walk',
  chapter: '06-paging',
  title: 'Translate an address by hand from a page-table dump',
  generate(seed: number): ProblemInstance {
    const rng = new Rng(seed * 7919 + 6);
    const modes = ['x86_64-4level', 'i386-2level', 'i386-pae', 'x86_64-5level'];
    const mode = modes[seed % modes.length];
    const sys = createSystem(MACHINES[mode] as string);
    const t = sys.spawn('walk');
    const pages = 4 + rng.int(8);
    const a = t.mmap(0, pages * 4096, 'rw', 'private|anonymous');
    for (let p = 0; p < pages; p++) if (rng.chance(0.7)) t.write(a + p * 4096, [p]);
    const page = rng.int(pages);
    t.write(a + page * 4096, [0xaa]);
    const vaddr = a + page * 4096 + rng.int(4096);
    const r = sys.translate(t, vaddr, 'read');
    const g = sys.mmcore.pg.g;
    const dump: string[] = [];
    for (const s of r.levels) {
      dump.push(`  table at pfn ${s.table_pfn} (${s.level}): entry ${s.index} = ${s.entry}`);
      const other = (s.index + 1 + rng.int(3)) % (2 ** (s.bits[1] - s.bits[0] + 1));
      const lo = sys.mmcore.pg.tm.lo(s.table_pfn, other);
      const hi = sys.mmcore.pg.tm.hi(s.table_pfn, other);
      if (lo || hi) dump.push(`  table at pfn ${s.table_pfn} (${s.level}): entry ${other} = ${g.entryBytes === 8 ? (hi >>> 0).toString(16).padStart(8, '0') : ''}${(lo >>> 0).toString(16).padStart(8, '0')}`);
    }
    dump.sort();
    const question = [
      `A process on a ${mode} machine (${g.walk.map((l) => `${l.name} bits ${l.shift}-${l.shift + l.bits - 1}`).join(', ')}, offset bits 0-11) reads 0x${vaddr.toString(16)}.`,
      `CR3 holds pfn ${r.levels[0].table_pfn}. These entries are in memory (hex; 64-bit entries have NX at bit 63):`,
      ...dump,
      '1. Which index does each level use?',
      '2. Which physical address does the read reach, and which flags does the final entry carry?',
    ].join('\n');
    const steps = r.levels.map((s) => `${s.level}: bits ${s.bits[0]}-${s.bits[1]} of the address give index ${s.index}; table pfn ${s.table_pfn}, entry ${s.index} = ${s.entry} → ${s.flags.join(', ')}${s.leaf ? ` — a leaf: page frame ${s.pfn}` : ` — the next table is pfn ${s.pfn}`}.`);
    steps.push(`offset = 0x${(vaddr % 4096).toString(16)}: physical address = pfn ${r.pfn} × 4096 + offset = ${r.phys}.`);
    return {
      id: this.id, seed, title: this.title, question,
      answer: [`1. ${r.levels.map((s) => `${s.level} ${s.index}`).join(', ')}, offset 0x${(vaddr % 4096).toString(16)}`, `2. ${r.phys} (${r.levels[r.levels.length - 1].flags.join(', ')})`].join('\n'),
      steps,
    };
  },
};

/** Chapter 06's graded exercises. */
export const exercises: Exercise[] = [splitAddress, decodeEntryEx, tablePages];
/** Chapter 06's problem generators. */
export const problems: Problem[] = [walkProblem];
