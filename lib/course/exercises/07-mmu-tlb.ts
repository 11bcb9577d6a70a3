/**
 * Chapter 07 (MMU and TLB): exercises and problem generators.
 *
 * Mirrors: arch/x86/mm/tlb.c (switch_mm_irqs_off, choose_new_asid, flush_tlb_mm_range with
 * tlb_single_page_flush_ceiling, flush_tlb_all, flush_tlb_kernel_range), the CPU's TLB (a
 * set-associative cache of translations, LRU within a set; INVLPG; PCID-tagged entries; global
 * entries).
 * Models: the learner predicts what the TLB does; the checker runs the simulator's TLB
 * (lib/arch/x86/tlb.ts: TlbArray, Tlb) and the flush functions of the paging unit
 * (lib/arch/x86/mmu.ts) on a booted machine, and reads the outcome back.
 * See: chapters/07-mmu-tlb/chapter.md.
 */
import { Rng } from '../../base/rng.js';
import type { MmContext } from '../../arch/x86/mmu.js';
import { ASID_GLOBAL, Tlb, TlbArray, TLB_NR_DYN_ASIDS, TLBF_GLOBAL } from '../../arch/x86/tlb.js';
import { createSystem, type System } from '../../system.js';
import type { Exercise, GradeCase, Problem, ProblemInstance } from '../types.js';

// ---------------------------------------------------------------- hits and misses

interface TlbRunInput {
  /** Entries in the TLB. */
  entries: number;
  /** Ways per set (entries / ways sets, a power of two). */
  ways: number;
  /** Virtual page numbers accessed, in order. */
  vpns: number[];
}

/** Runs the accesses through the simulator's TLB array: 'H' for a hit, 'M' for a miss (then filled). */
function tlbRun(q: TlbRunInput): { out: string; log: string[] } {
  const t = new TlbArray('exercise', { entries: q.entries, ways: q.ways });
  let out = '';
  const log: string[] = [];
  for (const vpn of q.vpns) {
    const set = vpn & t.setMask;
    if (t.lookup(vpn, 12, 0) >= 0) {
      out += 'H';
      log.push(`vpn ${vpn} → set ${set}: hit`);
      continue;
    }
    const base = set * t.ways;
    const before: number[] = [];
    for (let i = base; i < base + t.ways; i++) if (t.key[i] === t.key[i]) before.push(t.key[i]);
    const way = t.insert(vpn, 12, 0, vpn, 0);
    const evicted = before.length === t.ways ? before.find((k) => !Array.from(t.key.subarray(base, base + t.ways)).includes(k)) : undefined;
    out += 'M';
    log.push(`vpn ${vpn} → set ${set}: miss, filled into way ${way - base}${evicted !== undefined ? ` (evicting vpn ${evicted}, the least recently used)` : ''}`);
  }
  return { out, log };
}

const runCase = (entries: number, ways: number, vpns: number[]): GradeCase => {
  const q = { entries, ways, vpns };
  return { input: [q], expected: tlbRun(q).out };
};

/** An access sequence with some locality: loops over a working set, with strays. */
function randomVpns(rng: Rng, n: number, span: number): number[] {
  const ws = Array.from({ length: 2 + rng.int(10) }, () => rng.int(span));
  return Array.from({ length: n }, () => (rng.chance(0.75) ? ws[rng.int(ws.length)] : rng.int(span)));
}

const tlbHits: Exercise = {
  id: '07-mmu-tlb/tlb-hits',
  chapter: '07-mmu-tlb',
  title: 'Hits and misses in a set-associative TLB',
  kind: 'predict',
  prompt: [
    'A TLB with `q.entries` entries in sets of `q.ways` ways caches 4 KiB translations. The set of',
    'virtual page number `vpn` is `vpn mod (entries / ways)`. On a lookup the TLB searches only that',
    'set; on a miss the translation is filled into the set, replacing an empty way or else the',
    '**least recently used** way of the set (a hit counts as a use). Write `predict(q)` that returns',
    'one letter per access of `q.vpns`: `H` for a hit, `M` for a miss. The TLB starts empty.',
  ].join('\n'),
  signature: 'predict(q: { entries: number; ways: number; vpns: number[] }): string',
  starter: [
    'export default function predict(q: { entries: number; ways: number; vpns: number[] }): string {',
    '  // Anything seen before is a hit.',
    '  const seen = new Set<number>();',
    '  let out = "";',
    '  for (const v of q.vpns) { out += seen.has(v) ? "H" : "M"; seen.add(v); }',
    '  return out;',
    '}',
    '',
  ].join('\n'),
  hints: [
    'Keep one list per set; a page can only live in its own set, so two pages of the same set compete even when other sets are empty.',
    'On a hit, move the page to the most-recently-used end of its set\'s list; on a miss, drop the least recently used page if the set is full.',
    'ways = entries means one set (fully associative); ways = 1 means direct-mapped.',
  ],
  show: (input) => {
    const q = (input as [TlbRunInput])[0];
    return `predict({ entries: ${q.entries}, ways: ${q.ways}, vpns: [${q.vpns.join(', ')}] })`;
  },
  tests: [
    {
      name: 'fully associative',
      points: 2,
      hint: 'Four entries, one set: the fifth distinct page evicts the least recently used one.',
      cases: () => [runCase(4, 4, [1, 2, 3, 1, 4, 5, 2, 1]), runCase(4, 4, [7, 7, 8, 9, 10, 7, 11, 8])],
    },
    {
      name: 'direct-mapped and 2-way',
      points: 3,
      dependsOn: ['fully associative'],
      hint: 'With 4 sets, pages 0, 4, 8 all fall into set 0 and fight over its ways while the other sets stay empty.',
      cases: () => [runCase(4, 1, [0, 4, 0, 4, 1, 5, 2]), runCase(8, 2, [0, 4, 8, 0, 12, 4, 1, 9, 0])],
    },
    {
      name: 'hits refresh the LRU order',
      points: 2,
      dependsOn: ['direct-mapped and 2-way'],
      hint: 'A hit makes the page the most recently used: in [1, 2, 1, 3] on a 2-entry TLB, 3 evicts 2, not 1.',
      cases: () => [runCase(2, 2, [1, 2, 1, 3, 1, 2]), runCase(8, 4, [0, 2, 4, 6, 0, 8, 2, 10, 0, 4])],
    },
    {
      name: 'random workloads',
      points: 4,
      hidden: true,
      dependsOn: ['hits refresh the LRU order'],
      hint: 'Sizes from 2 to 64 entries, 1 to 16 ways, and sequences with loops and strays.',
      cases: (rng) => [[4, 2], [8, 8], [16, 4], [64, 4], [32, 1], [64, 16]].map(([e, w]) => runCase(e, w, randomVpns(rng, 40, 3 * e + rng.int(2 * e))))
    },
  ],
};

// ---------------------------------------------------------------- flushes

interface FlushEntry {
  /** Start of the page (4 KiB); kernel addresses are negative (sign-extended, as a C long). */
  vaddr: number;
  /** ASID (0..5) of the address space it belongs to, or 'global'. */
  asid: number | 'global';
}
interface FlushInput {
  entries: FlushEntry[];
  op:
    | { name: 'flush_tlb_page'; asid: number; addr: number }
    | { name: 'flush_tlb_range'; asid: number; start: number; end: number }
    | { name: 'flush_tlb_mm'; asid: number }
    | { name: 'flush_tlb_all' }
    | { name: 'flush_tlb_kernel_range'; start: number; end: number };
}

const flushSys: { sys: System | null } = { sys: null };
/**
 * Loads the entries into the first-level TLB of a booted machine (the slots of ASIDs 0..5 hold
 * contexts 1001..1006), runs the flush through the paging unit, and returns the survivors' indices.
 */
function flushOracle(q: FlushInput): number[] {
  const sys = (flushSys.sys ??= createSystem('tiny'));
  const pg = sys.mmcore.pg;
  pg.flush_tlb_all();
  const tlb = pg.tlb;
  const saved = tlb.slots.map((s) => ({ ...s }));
  tlb.slots.forEach((s, a) => { s.ctx_id = 1001 + a; s.tlb_gen = 1; });
  const mm = (asid: number): MmContext => ({ pgd: -1, ctx_id: 1001 + asid, tlb_gen: 1 });
  const keyOf = (e: FlushEntry): number => Math.floor(e.vaddr / 4096);
  for (const e of q.entries) {
    const g = e.asid === 'global';
    tlb.l1.insert(keyOf(e), 12, g ? ASID_GLOBAL : (e.asid as number), 0, g ? TLBF_GLOBAL : 0);
  }
  const op = q.op;
  if (op.name === 'flush_tlb_page') pg.flush_tlb_page(mm(op.asid), op.addr);
  else if (op.name === 'flush_tlb_range') pg.flush_tlb_mm_range(mm(op.asid), op.start, op.end);
  else if (op.name === 'flush_tlb_mm') pg.flush_tlb_mm(mm(op.asid));
  else if (op.name === 'flush_tlb_all') pg.flush_tlb_all();
  else pg.flush_tlb_kernel_range(op.start, op.end);
  const left = tlb.l1.entries().filter((x) => x.valid);
  const out: number[] = [];
  q.entries.forEach((e, i) => {
    const tag = e.asid === 'global' ? -1 : e.asid;
    if (left.some((x) => x.vpn === keyOf(e) && x.asid === tag)) out.push(i);
  });
  pg.flush_tlb_all();
  saved.forEach((s, a) => { tlb.slots[a].ctx_id = s.ctx_id; tlb.slots[a].tlb_gen = s.tlb_gen; });
  return out;
}

const KBASE = -0x778000000000; // 0xffff888000000000 (the direct map) as a signed 64-bit number
const flushCase = (entries: FlushEntry[], op: FlushInput['op']): GradeCase => {
  const q: FlushInput = { entries, op };
  return { input: [q], expected: flushOracle(q) };
};
const U = 0x7f0000000000;
const P = 4096;
/** A TLB with entries of two processes (ASIDs 1 and 2) at the same addresses, and kernel globals. */
const mixedEntries: FlushEntry[] = [
  { vaddr: U, asid: 1 }, { vaddr: U + P, asid: 1 }, { vaddr: U + 40 * P, asid: 1 },
  { vaddr: U, asid: 2 }, { vaddr: U + P, asid: 2 },
  { vaddr: KBASE, asid: 'global' }, { vaddr: KBASE + 3 * P, asid: 'global' },
];

/** Random entries that never put more than 4 into one set of the 64-entry, 4-way L1. */
function randomFlushCase(rng: Rng): GradeCase {
  const entries: FlushEntry[] = [];
  const perSet = new Map<number, number>();
  const add = (vaddr: number, asid: number | 'global'): void => {
    const set = Math.floor(vaddr / P) & 15;
    if ((perSet.get(set) ?? 0) >= 4 || entries.some((e) => e.vaddr === vaddr && e.asid === asid)) return;
    perSet.set(set, (perSet.get(set) ?? 0) + 1);
    entries.push({ vaddr, asid });
  };
  for (let i = 0; i < 14; i++) {
    if (rng.chance(0.25)) add(KBASE + rng.int(64) * P, 'global');
    else add(U + rng.int(80) * P, rng.int(TLB_NR_DYN_ASIDS));
  }
  const asid = rng.int(TLB_NR_DYN_ASIDS);
  const start = U + rng.int(40) * P;
  const kstart = KBASE + rng.int(32) * P;
  const ops: FlushInput['op'][] = [
    { name: 'flush_tlb_page', asid, addr: rng.chance(0.3) ? KBASE + rng.int(64) * P : U + rng.int(80) * P },
    { name: 'flush_tlb_range', asid, start, end: start + (1 + rng.int(50)) * P },
    { name: 'flush_tlb_mm', asid },
    { name: 'flush_tlb_all' },
    { name: 'flush_tlb_kernel_range', start: kstart, end: kstart + (1 + rng.int(40)) * P },
  ];
  return flushCase(entries, ops[rng.int(ops.length)]);
}

const flushSurvivors: Exercise = {
  id: '07-mmu-tlb/flush-survivors',
  chapter: '07-mmu-tlb',
  title: 'Which TLB entries survive a flush?',
  kind: 'predict',
  prompt: [
    'The TLB holds the 4 KiB translations in `q.entries`, each tagged with the ASID (PCID) of its',
    'address space or marked `global` (kernel mappings, shared by all). Kernel addresses are',
    'negative numbers here (a sign-extended 64-bit address read as a signed value). Then the kernel',
    'runs `q.op`:',
    '',
    '- `flush_tlb_page(asid, addr)`: INVLPG of that page — the ASID\'s entry and a global entry for it;',
    '- `flush_tlb_range(asid, start, end)`: page by page, but a range of more than 33 pages',
    '  (`tlb_single_page_flush_ceiling`) flushes the ASID\'s whole address space instead;',
    '- `flush_tlb_mm(asid)`: every non-global entry of that ASID;',
    '- `flush_tlb_all()`: everything, global entries included;',
    '- `flush_tlb_kernel_range(start, end)`: global entries in the range (over 33 pages: everything).',
    '',
    'Return the indices (into `q.entries`, ascending) of the entries still in the TLB afterwards.',
  ].join('\n'),
  signature: "survivors(q: { entries: { vaddr: number; asid: number | 'global' }[]; op: { name: string; asid?: number; addr?: number; start?: number; end?: number } }): number[]",
  starter: [
    "export default function survivors(q: { entries: { vaddr: number; asid: number | 'global' }[]; op: { name: string; asid?: number; addr?: number; start?: number; end?: number } }): number[] {",
    '  // A flush removes the entries of its ASID; everything else stays.',
    '  const out: number[] = [];',
    '  q.entries.forEach((e, i) => { if (e.asid !== q.op.asid) out.push(i); });',
    '  return out;',
    '}',
    '',
  ].join('\n'),
  hints: [
    'Only flush_tlb_all and INVLPG (flush_tlb_page, and the page-by-page range flush) remove global entries.',
    'A range flush covers the pages [start, end); count its pages to decide between page-by-page and the whole ASID.',
    'flush_tlb_kernel_range leaves the per-process entries alone unless it escalates to a full flush.',
  ],
  show: (input) => {
    const q = (input as [FlushInput])[0];
    const hexs = (v: number): string => (v < 0 ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`);
    const op = Object.entries(q.op).filter(([k]) => k !== 'name').map(([k, v]) => `${k}: ${typeof v === 'number' && k !== 'asid' ? hexs(v) : v}`).join(', ');
    return `survivors(entries [${q.entries.map((e, i) => `${i}: ${hexs(e.vaddr)}/${e.asid}`).join(', ')}], ${q.op.name}(${op}))`;
  },
  tests: [
    {
      name: 'one page and one address space',
      points: 2,
      hint: 'flush_tlb_page removes one page of one ASID; the same address in another ASID stays.',
      cases: () => [flushCase(mixedEntries, { name: 'flush_tlb_page', asid: 1, addr: U + P }), flushCase(mixedEntries, { name: 'flush_tlb_mm', asid: 2 })],
    },
    {
      name: 'global entries',
      points: 2,
      dependsOn: ['one page and one address space'],
      hint: 'flush_tlb_mm keeps global entries; flush_tlb_all drops them; INVLPG of a kernel page drops that global entry.',
      cases: () => [
        flushCase(mixedEntries, { name: 'flush_tlb_all' }),
        flushCase(mixedEntries, { name: 'flush_tlb_page', asid: 1, addr: KBASE + 3 * P }),
        flushCase(mixedEntries, { name: 'flush_tlb_kernel_range', start: KBASE, end: KBASE + 2 * P }),
      ],
    },
    {
      name: 'the 33-page ceiling',
      points: 3,
      dependsOn: ['one page and one address space'],
      hint: '[U, U + 2 pages) flushes two pages of ASID 1; [U, U + 34 pages) flushes all of ASID 1, even the entry at U + 40 pages.',
      cases: () => [
        flushCase(mixedEntries, { name: 'flush_tlb_range', asid: 1, start: U, end: U + 2 * P }),
        flushCase(mixedEntries, { name: 'flush_tlb_range', asid: 1, start: U, end: U + 33 * P }),
        flushCase(mixedEntries, { name: 'flush_tlb_range', asid: 1, start: U, end: U + 34 * P }),
        flushCase(mixedEntries, { name: 'flush_tlb_kernel_range', start: KBASE, end: KBASE + 40 * P }),
      ],
    },
    {
      name: 'random TLB contents and flushes',
      points: 4,
      hidden: true,
      dependsOn: ['global entries', 'the 33-page ceiling'],
      hint: 'All five operations, six ASIDs, ranges around the ceiling, INVLPG of kernel pages.',
      cases: (rng) => Array.from({ length: 12 }, () => randomFlushCase(rng)),
    },
  ],
};

// ---------------------------------------------------------------- choose an ASID

interface AsidInput {
  pcid: boolean;
  /** Events: a context switch to a context id, or the exit of a context. */
  events: { switch?: number; exit?: number }[];
}

/** The simulator's answer: for every switch, [asid loaded, whether the switch flushed the TLB]. */
function asidOracle(q: AsidInput): [number, boolean][] {
  const tlb = new Tlb({ pcid: q.pcid, l2: { entries: 0, ways: 1 } });
  const out: [number, boolean][] = [];
  for (const e of q.events) {
    if (e.exit !== undefined) {
      tlb.forget(e.exit);
      continue;
    }
    const before = tlb.stats.switch_flushes;
    tlb.switch_mm(e.switch!, 1);
    out.push([tlb.loaded_asid, tlb.stats.switch_flushes > before]);
  }
  return out;
}

const asidCase = (pcid: boolean, events: AsidInput['events']): GradeCase => {
  const q = { pcid, events };
  return { input: q, expected: asidOracle(q) };
};
const sw = (...ids: number[]): { switch: number }[] => ids.map((s) => ({ switch: s }));

const chooseAsid: Exercise = {
  id: '07-mmu-tlb/choose-asid',
  chapter: '07-mmu-tlb',
  title: 'Plug in the ASID policy of switch_mm',
  kind: 'policy',
  prompt: [
    'With PCIDs, a context switch need not flush the TLB: each CPU keeps `TLB_NR_DYN_ASIDS` = 6',
    'slots (ASIDs 0..5), each remembering which address space (context id) its TLB entries belong',
    'to. Your function is called on every context switch, `switch_to(state, ctx)`, and returns',
    '`[asid, flushed]`. `state` is yours to update and starts as',
    '`{ pcid, slots: [0, 0, 0, 0, 0, 0], next_asid: 1, loaded_ctx: 0 }` (slot value 0 = free;',
    'context ids start at 1). Follow `choose_new_asid()` of arch/x86/mm/tlb.c:',
    '',
    '- switching to the context already loaded does nothing (return its ASID, no flush);',
    '- a context that still owns a slot gets that ASID back, without a flush;',
    '- otherwise it takes the slot `next_asid` (then `next_asid` moves on; when it reaches 6 the',
    '  slot taken is 0 and `next_asid` becomes 1), and that ASID is flushed;',
    '- without PCID (`state.pcid` false) every switch to another context uses ASID 0 and flushes.',
    '',
    'When a process exits, the grader frees its slot (`slots[a] = 0`) and, if it was loaded, sets',
    '`loaded_ctx` to 0.',
  ].join('\n'),
  signature: 'switch_to(state: { pcid: boolean; slots: number[]; next_asid: number; loaded_ctx: number }, ctx: number): [number, boolean]',
  harness: [
    '(fn, input) => {',
    '  const state = { pcid: input.pcid, slots: [0, 0, 0, 0, 0, 0], next_asid: 1, loaded_ctx: 0 };',
    '  let loaded = 0;',
    '  const out = [];',
    '  for (const e of input.events) {',
    '    if (e.exit !== undefined) {',
    '      if (state.pcid) { const a = state.slots.indexOf(e.exit); if (a >= 0) state.slots[a] = 0; }',
    '      if (state.loaded_ctx === e.exit) state.loaded_ctx = 0;',
    '      continue;',
    '    }',
    '    const r = fn(state, e.switch);',
    '    out.push(Array.isArray(r) ? [r[0], !!r[1]] : r);',
    '  }',
    '  return out;',
    '}',
  ].join('\n'),
  starter: [
    'export default function switch_to(state: { pcid: boolean; slots: number[]; next_asid: number; loaded_ctx: number }, ctx: number): [number, boolean] {',
    '  // Flush on every switch, as CPUs without PCID must.',
    '  state.loaded_ctx = ctx;',
    '  return [0, true];',
    '}',
    '',
  ].join('\n'),
  hints: [
    'First compare ctx with state.loaded_ctx, then search state.slots for ctx.',
    'Round robin, not LRU: the slot after the last one handed out, whatever it holds.',
    'The wrap: next_asid 6 means "take slot 0 now, and slot 1 next time".',
  ],
  show: (input) => {
    const q = input as AsidInput;
    return `pcid ${q.pcid}, events ${q.events.map((e) => (e.exit !== undefined ? `exit(${e.exit})` : `${e.switch}`)).join(' ')}`;
  },
  tests: [
    {
      name: 'two processes ping-pong',
      points: 2,
      hint: 'Context 1 gets ASID 1, context 2 ASID 2 (both flushed once); switching back and forth afterwards flushes nothing.',
      cases: () => [asidCase(true, sw(1, 2, 1, 2, 1)), asidCase(true, sw(5, 5, 7, 5))],
    },
    {
      name: 'without PCID',
      points: 1,
      hint: 'Without PCID there is one ASID and every real switch flushes it.',
      cases: () => [asidCase(false, sw(1, 2, 1, 1, 3))],
    },
    {
      name: 'more processes than ASIDs',
      points: 3,
      dependsOn: ['two processes ping-pong'],
      hint: 'The seventh context takes slot 1 again (after 1..5 and 0), evicting its owner, who needs a fresh ASID and flush when it returns.',
      cases: () => [asidCase(true, sw(1, 2, 3, 4, 5, 6, 7, 1, 2, 7)), asidCase(true, sw(1, 2, 3, 4, 5, 6, 7, 8, 9, 3, 4))],
    },
    {
      name: 'exits free slots',
      points: 1,
      dependsOn: ['two processes ping-pong'],
      hint: 'An exited context no longer owns a slot, but next_asid does not move back to it.',
      cases: () => [asidCase(true, [...sw(1, 2, 3), { exit: 2 }, ...sw(4, 1, 3)]), asidCase(true, [...sw(1), { exit: 1 }, ...sw(1)])],
    },
    {
      name: 'random schedules',
      points: 4,
      hidden: true,
      dependsOn: ['more processes than ASIDs', 'exits free slots', 'without PCID'],
      hint: 'Up to 10 processes, long schedules, exits, with and without PCID.',
      cases: (rng) => Array.from({ length: 6 }, (_, k) => {
        const n = 3 + rng.int(8);
        const events: AsidInput['events'] = [];
        for (let i = 0; i < 30; i++) events.push(rng.chance(0.1) ? { exit: 1 + rng.int(n) } : { switch: 1 + rng.int(n) });
        return asidCase(k !== 0, events);
      }),
    },
  ],
};

// ---------------------------------------------------------------- problem: trace a TLB

const tlbProblem: Problem = {
  id: '07-mmu-tlb/tlb-trace',
  chapter: '07-mmu-tlb',
  title: 'Trace a small TLB',
  generate(seed: number): ProblemInstance {
    const rng = new Rng(seed * 104729 + 7);
    const [entries, ways] = [[4, 2], [8, 2], [4, 4], [8, 4], [4, 1]][rng.int(5)];
    const vpns = randomVpns(rng, 10 + rng.int(4), 3 * entries);
    const { out, log } = tlbRun({ entries, ways, vpns });
    const question = [
      `A TLB has ${entries} entries, ${ways}-way set associative (${entries / ways} set${entries / ways > 1 ? 's' : ''}, set = vpn mod ${entries / ways}, LRU replacement).`,
      `It starts empty. A program touches these virtual page numbers: ${vpns.join(', ')}.`,
      '1. Which accesses hit?',
      '2. What is the hit rate?',
    ].join('\n');
    const hits = [...out].filter((c) => c === 'H').length;
    return {
      id: this.id, seed, title: this.title, question,
      answer: [`1. ${out}`, `2. ${hits}/${vpns.length} = ${Math.round((100 * hits) / vpns.length)} %`].join('\n'),
      steps: log,
    };
  },
};

/** Chapter 07's graded exercises. */
export const exercises: Exercise[] = [tlbHits, flushSurvivors, chooseAsid];
/** Chapter 07's problem generators. */
export const problems: Problem[] = [tlbProblem];
