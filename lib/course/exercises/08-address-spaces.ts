/**
 * Chapter 08 (address spaces): exercises and problem generators.
 *
 * Mirrors: mm/memory.c (handle_mm_fault, do_anonymous_page with the zero page, do_fault /
 * do_read_fault / do_cow_fault / do_shared_fault, do_wp_page, copy_page_range, mm_account_fault),
 * arch/x86/mm/fault.c (access_error, SIGSEGV), kernel/fork.c (dup_mmap, vma_needs_copy),
 * mm/mprotect.c and mm/vma.c (splitting and merging VMAs), mm/mmap.c (munmap).
 * Models: the learner predicts faults, resident pages and VMA layouts; the checker runs the
 * operations on the simulator (lib/kernel/fork.ts tasks with their faults, lib/mm/mprotect.ts,
 * lib/mm/mmap.ts) and reads min_flt/maj_flt, the RSS counters, the page tables and mm->vmas.
 * See: chapters/08-address-spaces/chapter.md.
 */
import { Rng } from '../../base/rng.js';
import type { Task } from '../../kernel/fork.js';
import { VM_EXEC, VM_READ, VM_SHARED, VM_WRITE } from '../../mm/mmap.js';
import { MM_ANONPAGES } from '../../mm/memory.js';
import { createSystem, type System } from '../../system.js';
import type { Exercise, GradeCase, Problem, ProblemInstance } from '../types.js';

const sysCache: { sys: System | null } = { sys: null };
/** A shared machine for the cases (every case uses fresh processes and fresh files). */
function machine(): System {
  return (sysCache.sys ??= createSystem('tiny'));
}
let fileSeq = 0;

// ---------------------------------------------------------------- which fault?

interface RegionSpec {
  /** Name used by the operations (A, B, ...). */
  name: string;
  pages: number;
  /** 'r', 'rw', 'rx', 'rwx' or 'none'. */
  prot: string;
  /** 'private' or 'shared'. */
  map: 'private' | 'shared';
  /** Backed by a file (of exactly `pages` pages, not yet in the page cache), else anonymous (private only). */
  file: boolean;
}
interface FaultOp {
  /** Who runs it: the parent, or the child (after a fork). */
  who: 'parent' | 'child';
  op: 'read' | 'write' | 'exec' | 'fork';
  region?: string;
  page?: number;
}
interface FaultInput {
  regions: RegionSpec[];
  ops: FaultOp[];
}
type Outcome = 'none' | 'minor' | 'major' | 'segv';

/** One access by a task; the outcome from its fault counters (or the SIGSEGV). */
function accessOutcome(t: Task, op: 'read' | 'write' | 'exec', addr: number): Outcome {
  const min = t.min_flt;
  const maj = t.maj_flt;
  try {
    if (op === 'read') t.read(addr, 1);
    else if (op === 'write') t.write(addr, [0x5a]);
    else t.exec(addr);
  } catch (e) {
    if (String((e as Error).message).startsWith('SIGSEGV')) return 'segv';
    throw e;
  }
  if (t.maj_flt > maj) return 'major';
  return t.min_flt > min ? 'minor' : 'none';
}

/** Runs the regions and operations on the simulator. */
function faultRun(q: FaultInput): { outcomes: Outcome[]; log: string[] } {
  const sys = machine();
  const parent = sys.spawn('faults');
  let child: Task | null = null;
  const base = new Map<string, number>();
  for (const r of q.regions) {
    const file = r.file ? sys.createFile(`/data/f${++fileSeq}`, r.pages * 4096) : undefined;
    const flags = r.file ? r.map : `${r.map}|anonymous`;
    base.set(r.name, parent.mmap(0, r.pages * 4096, r.prot, flags, file ? { file } : {}));
  }
  const outcomes: Outcome[] = [];
  const log: string[] = [];
  for (const o of q.ops) {
    if (o.op === 'fork') {
      child = parent.fork('child');
      log.push('fork(): the child gets a copy of every VMA; anonymous (and CoW-touched) pages are shared read-only, untouched file mappings are not copied');
      continue;
    }
    const t = o.who === 'child' ? child! : parent;
    const r = q.regions.find((x) => x.name === o.region)!;
    const rss0 = t.mm!.rss_pages;
    const res = accessOutcome(t, o.op, base.get(r.name)! + o.page! * 4096);
    outcomes.push(res);
    log.push(`${o.who} ${o.op} ${r.name}[${o.page}] (${r.file ? 'file' : 'anon'} ${r.map} ${r.prot}): ${res}${res === 'segv' ? '' : ` — min_flt ${t.min_flt}, maj_flt ${t.maj_flt}, RSS ${rss0} → ${t.mm!.rss_pages} pages`}`);
  }
  if (child) child.exit();
  parent.exit();
  return { outcomes, log };
}

const faultCase = (q: FaultInput): GradeCase => ({ input: [q], expected: faultRun(q).outcomes });

const R = (name: string, pages: number, prot: string, map: 'private' | 'shared', file: boolean): RegionSpec => ({ name, pages, prot, map, file });
const op = (who: 'parent' | 'child', o: FaultOp['op'], region?: string, page?: number): FaultOp => ({ who, op: o, region, page });

function randomFaultInput(rng: Rng, withFork: boolean): FaultInput {
  const templates: [string, 'private' | 'shared', boolean][] = [
    ['rw', 'private', false], ['r', 'private', false], ['rw', 'private', true], ['r', 'private', true],
    ['rw', 'shared', true], ['rx', 'private', true], ['none', 'private', false], ['rwx', 'private', false],
  ];
  const regions: RegionSpec[] = [];
  const n = 2 + rng.int(3);
  for (let i = 0; i < n; i++) {
    const [prot, map, file] = templates[rng.int(templates.length)];
    regions.push(R(String.fromCharCode(65 + i), 2 + rng.int(3), prot, map, file));
  }
  const ops: FaultOp[] = [];
  const forkAt = withFork ? 4 + rng.int(6) : -1;
  const kinds: FaultOp['op'][] = ['read', 'read', 'write', 'write', 'exec'];
  for (let i = 0; i < 16; i++) {
    if (i === forkAt) {
      ops.push(op('parent', 'fork'));
      continue;
    }
    const r = regions[rng.int(regions.length)];
    const who = forkAt >= 0 && i > forkAt && rng.chance(0.5) ? 'child' : 'parent';
    ops.push(op(who, kinds[rng.int(kinds.length)], r.name, rng.int(r.pages)));
  }
  return { regions, ops };
}

const faultKinds: Exercise = {
  id: '08-address-spaces/fault-kinds',
  chapter: '08-address-spaces',
  title: 'Minor, major or SIGSEGV?',
  kind: 'predict',
  prompt: [
    'A process maps the regions in `q.regions` (anonymous regions are private; none of their pages',
    'is touched yet; every file region',
    'maps its own file, whose pages are **not** in the page cache yet; there is no readahead or',
    'fault-around, so a fault brings in exactly one page). It then runs `q.ops` in',
    'order: one-byte reads, writes and instruction fetches (`exec`) of a page of a region, and',
    'possibly a `fork`, after which ops with `who: "child"` run in the child. Write `predict(q)`',
    'that returns, for every access (not the fork), what it costs: `none` (the TLB or page tables',
    'already allow it), `minor` (a fault fixed without I/O), `major` (a fault that had to read the',
    'file) or `segv` (the access is not allowed: the process gets SIGSEGV). A refused access changes',
    'nothing — with one x86 subtlety: the fault handler checks a VMA\'s exec permission only when the',
    'page is present, so an `exec` of a not-present page in a readable, non-executable region first',
    'faults the page in like a read (filling the page cache, mapping the zero page ...) and only the',
    'retry gets SIGSEGV.',
  ].join('\n'),
  signature: "predict(q: { regions: { name: string; pages: number; prot: string; map: 'private' | 'shared'; file: boolean }[]; ops: { who: 'parent' | 'child'; op: string; region?: string; page?: number }[] }): string[]",
  starter: [
    "export default function predict(q: { regions: { name: string; pages: number; prot: string; map: 'private' | 'shared'; file: boolean }[]; ops: { who: 'parent' | 'child'; op: string; region?: string; page?: number }[] }): string[] {",
    '  // The first touch of a page faults; after that it is mapped.',
    '  const seen = new Set<string>();',
    '  const out: string[] = [];',
    '  for (const o of q.ops) {',
    "    if (o.op === 'fork') continue;",
    '    const k = `${o.region}:${o.page}`;',
    "    out.push(seen.has(k) ? 'none' : 'minor');",
    '    seen.add(k);',
    '  }',
    '  return out;',
    '}',
    '',
  ].join('\n'),
  hints: [
    'Check permissions first: a write needs w, an exec needs x (NX otherwise), and PROT_NONE allows nothing. A refused access changes nothing.',
    'Anonymous memory: a read maps the shared zero page read-only (minor), so a later write faults again (minor). File pages: the first touch of a page reads it from disk (major); later faults on the same file page, in any process, find it in the page cache (minor).',
    'fork shares anonymous pages read-only: the next write by either process faults (minor, copy or reuse). The child\'s file mappings without private copies are not copied at fork: its first access to such a page faults (minor).',
  ],
  show: (input) => {
    const q = (input as [FaultInput])[0];
    const regs = q.regions.map((r) => `${r.name}: ${r.pages}p ${r.file ? 'file' : 'anon'} ${r.map} ${r.prot}`).join('; ');
    const ops = q.ops.map((o) => (o.op === 'fork' ? 'fork' : `${o.who === 'child' ? 'c:' : ''}${o.op} ${o.region}[${o.page}]`)).join(', ');
    return `predict(regions { ${regs} }, ops [${ops}])`;
  },
  tests: [
    {
      name: 'anonymous memory and the zero page',
      points: 2,
      hint: 'Read, then write, then read the same anonymous page: minor, minor, none.',
      cases: () => [faultCase({ regions: [R('A', 2, 'rw', 'private', false)], ops: [op('parent', 'read', 'A', 0), op('parent', 'write', 'A', 0), op('parent', 'read', 'A', 0), op('parent', 'write', 'A', 1), op('parent', 'read', 'A', 1)] })],
    },
    {
      name: 'file pages: major, then minor',
      points: 2,
      dependsOn: ['anonymous memory and the zero page'],
      hint: 'The first touch of a file page reads it from disk: major. A private write to a page already read copies it without I/O: minor.',
      cases: () => [faultCase({ regions: [R('F', 3, 'rw', 'private', true), R('S', 2, 'rw', 'shared', true)], ops: [op('parent', 'read', 'F', 0), op('parent', 'write', 'F', 0), op('parent', 'write', 'F', 1), op('parent', 'read', 'S', 1), op('parent', 'write', 'S', 1), op('parent', 'write', 'S', 0)] })],
    },
    {
      name: 'permissions',
      points: 2,
      dependsOn: ['anonymous memory and the zero page'],
      hint: 'A write to a read-only region, an exec of a region without x, any access to PROT_NONE: segv.',
      cases: () => [faultCase({ regions: [R('A', 2, 'rw', 'private', false), R('R', 2, 'r', 'private', false), R('N', 1, 'none', 'private', false), R('X', 1, 'rx', 'private', true)], ops: [op('parent', 'exec', 'A', 0), op('parent', 'write', 'R', 0), op('parent', 'read', 'R', 0), op('parent', 'read', 'N', 0), op('parent', 'exec', 'X', 0), op('parent', 'write', 'X', 0)] })],
    },
    {
      name: 'fork and copy-on-write',
      points: 3,
      dependsOn: ['file pages: major, then minor'],
      hint: 'After fork, the first write by either process to a shared anonymous page faults (minor); reads do not. The child faults on file pages the parent had mapped (minor: they are cached).',
      cases: () => [faultCase({ regions: [R('A', 2, 'rw', 'private', false), R('F', 2, 'r', 'private', true)], ops: [op('parent', 'write', 'A', 0), op('parent', 'read', 'F', 0), op('parent', 'fork'), op('child', 'read', 'A', 0), op('child', 'write', 'A', 0), op('parent', 'write', 'A', 0), op('child', 'read', 'F', 0), op('child', 'read', 'F', 1), op('parent', 'read', 'F', 1)] })],
    },
    {
      name: 'random programs',
      points: 4,
      hidden: true,
      dependsOn: ['fork and copy-on-write', 'permissions'],
      hint: 'All kinds of regions (anonymous and file, private and shared, r/rw/rx/rwx/none), with and without fork.',
      cases: (rng) => Array.from({ length: 6 }, (_, k) => faultCase(randomFaultInput(rng, k % 3 !== 0))),
    },
  ],
};

// ---------------------------------------------------------------- RSS after fork

interface RssInput {
  pages: number;
  /** Pages the parent reads, then writes, before the fork. */
  readBefore: number[];
  writeBefore: number[];
  /** Accesses after the fork, in order. */
  after: { who: 'parent' | 'child'; page: number; write: boolean }[];
}

/** Runs it: [parent RssAnon, child RssAnon, distinct anonymous frames mapped] in pages. */
function rssRun(q: RssInput): number[] {
  const sys = machine();
  const p = sys.spawn('rss');
  const a = p.mmap(0, q.pages * 4096, 'rw', 'private|anonymous');
  for (const g of q.readBefore) p.read(a + g * 4096, 1);
  for (const g of q.writeBefore) p.write(a + g * 4096, [1]);
  const c = p.fork('rss-child');
  for (const s of q.after) {
    const t = s.who === 'child' ? c : p;
    if (s.write) t.write(a + s.page * 4096, [2]);
    else t.read(a + s.page * 4096, 1);
  }
  const pg = sys.mmcore.pg;
  const zero = sys.mmcore.zero_pfn;
  const frames = new Set<number>();
  for (const t of [p, c]) {
    for (let g = 0; g < q.pages; g++) {
      const leaf = pg.peekWalk(t.mm!.pgd, a + g * 4096).slice(-1)[0];
      if (leaf && leaf.present && leaf.leaf && leaf.pfn !== zero) frames.add(leaf.pfn);
    }
  }
  const out = [p.mm!.rss[MM_ANONPAGES], c.mm!.rss[MM_ANONPAGES], frames.size];
  c.exit();
  p.exit();
  return out;
}

const rssCase = (q: RssInput): GradeCase => ({ input: [q], expected: rssRun(q) });

function randomRss(rng: Rng): RssInput {
  const pages = 4 + rng.int(8);
  const pick = (n: number): number[] => Array.from({ length: n }, () => rng.int(pages));
  return {
    pages,
    readBefore: pick(rng.int(4)),
    writeBefore: pick(1 + rng.int(pages)),
    after: Array.from({ length: 4 + rng.int(10) }, () => ({ who: rng.chance(0.5) ? 'child' : 'parent', page: rng.int(pages), write: rng.chance(0.7) })),
  };
}

const rssAfterFork: Exercise = {
  id: '08-address-spaces/rss-after-fork',
  chapter: '08-address-spaces',
  title: 'Resident pages after fork and copy-on-write',
  kind: 'predict',
  prompt: [
    'A process maps `q.pages` pages of private anonymous memory. Before forking it reads the pages',
    'in `q.readBefore` and then writes the pages in `q.writeBefore`. It forks; then the accesses',
    'in `q.after` run in order (a read or a write of one page, by the parent or the child). Write',
    '`predict(q)` returning `[parentRssAnon, childRssAnon, frames]`: the RssAnon of each process in',
    'pages (as /proc/PID/status counts it) and the number of distinct physical frames holding their',
    'anonymous data at the end.',
  ].join('\n'),
  signature: "predict(q: { pages: number; readBefore: number[]; writeBefore: number[]; after: { who: 'parent' | 'child'; page: number; write: boolean }[] }): number[]",
  starter: [
    "export default function predict(q: { pages: number; readBefore: number[]; writeBefore: number[]; after: { who: 'parent' | 'child'; page: number; write: boolean }[] }): number[] {",
    '  // fork copies the memory: both have what the parent wrote.',
    '  const n = new Set(q.writeBefore).size;',
    '  return [n, n, 2 * n];',
    '}',
    '',
  ].join('\n'),
  hints: [
    'fork copies no data: both processes map the same frames, so each counts them in its RSS while only one frame exists per page.',
    'A read of a never-written page maps the zero page: no RSS, no frame. A write to it gets a fresh page (RSS + 1, frames + 1).',
    'A write to a shared page gives the writer its own copy (frames + 1, its RSS unchanged) — unless the other process already copied it, then the writer simply reuses the page.',
  ],
  show: (input) => {
    const q = (input as [RssInput])[0];
    return `predict({ pages: ${q.pages}, readBefore: [${q.readBefore}], writeBefore: [${q.writeBefore}], after: [${q.after.map((s) => `${s.who[0]}${s.write ? 'W' : 'R'}${s.page}`).join(' ')}] })`;
  },
  tests: [
    {
      name: 'fork shares, writes copy',
      points: 2,
      hint: 'Write 3 pages, fork: RSS 3 and 3, but 3 frames. The child writes one: still 3 and 3, now 4 frames.',
      cases: () => [rssCase({ pages: 4, readBefore: [], writeBefore: [0, 1, 2], after: [] }), rssCase({ pages: 4, readBefore: [], writeBefore: [0, 1, 2], after: [{ who: 'child', page: 1, write: true }] })],
    },
    {
      name: 'the zero page and new pages',
      points: 2,
      dependsOn: ['fork shares, writes copy'],
      hint: 'Pages only read are not resident; a page first written after the fork belongs only to the writer.',
      cases: () => [rssCase({ pages: 6, readBefore: [4, 5], writeBefore: [0], after: [{ who: 'child', page: 4, write: false }, { who: 'child', page: 5, write: true }, { who: 'parent', page: 3, write: true }] })],
    },
    {
      name: 'both write the same page',
      points: 2,
      dependsOn: ['fork shares, writes copy'],
      hint: 'Child writes page 0 (copy), then the parent writes page 0: the parent is now the only user of the old frame and reuses it.',
      cases: () => [rssCase({ pages: 2, readBefore: [], writeBefore: [0, 1], after: [{ who: 'child', page: 0, write: true }, { who: 'parent', page: 0, write: true }, { who: 'parent', page: 1, write: true }] })],
    },
    {
      name: 'random runs',
      points: 4,
      hidden: true,
      dependsOn: ['the zero page and new pages', 'both write the same page'],
      hint: 'Repeated writes, reads of shared and never-written pages, by both processes.',
      cases: (rng) => Array.from({ length: 8 }, () => rssCase(randomRss(rng))),
    },
  ],
};

// ---------------------------------------------------------------- VMAs after mprotect and munmap

interface VmaInput {
  /** Pages of the private anonymous rw region (untouched). */
  pages: number;
  ops: ({ op: 'mprotect'; page: number; count: number; prot: string } | { op: 'munmap'; page: number; count: number })[];
}

const VBASE = 0x7f0000000000;

function permsOf(flags: number): string {
  return (flags & VM_READ ? 'r' : '-') + (flags & VM_WRITE ? 'w' : '-') + (flags & VM_EXEC ? 'x' : '-') + (flags & VM_SHARED ? 's' : 'p');
}

/** The VMAs covering the region after the operations: [first page, end page, perms]. */
function vmaRun(q: VmaInput): [number, number, string][] {
  const sys = machine();
  const t = sys.spawn('vmas');
  t.mmap(VBASE, q.pages * 4096, 'rw', 'private|anonymous|fixed');
  for (const o of q.ops) {
    if (o.op === 'munmap') t.munmap(VBASE + o.page * 4096, o.count * 4096);
    else t.mprotect(VBASE + o.page * 4096, o.count * 4096, o.prot);
  }
  const out = t.mm!.vmas
    .filter((v) => v.vm_end > VBASE && v.vm_start < VBASE + q.pages * 4096)
    .map((v) => [(v.vm_start - VBASE) / 4096, (v.vm_end - VBASE) / 4096, permsOf(v.vm_flags)] as [number, number, string]);
  t.exit();
  return out;
}

const vmaCase = (q: VmaInput): GradeCase => ({ input: [q], expected: vmaRun(q) });

/** Random operations; an mprotect only over pages still mapped (mprotect of a hole is ENOMEM). */
function randomVmaInput(rng: Rng): VmaInput {
  const pages = 8 + rng.int(12);
  const mapped = new Array<boolean>(pages).fill(true);
  const perms = new Array<string>(pages).fill('rw');
  const ops: VmaInput['ops'] = [];
  const prots = ['r', 'rw', 'rx', 'none', 'rw'];
  for (let i = 0; i < 3 + rng.int(5); i++) {
    const page = rng.int(pages);
    const count = 1 + rng.int(Math.min(6, pages - page));
    if (rng.chance(0.25)) {
      ops.push({ op: 'munmap', page, count });
      for (let k = page; k < page + count; k++) mapped[k] = false;
    } else if (mapped.slice(page, page + count).every(Boolean)) {
      // Any protection: a range that already has it is left alone (mprotect_fixup's early
      // return), and pieces that end up alike merge again.
      const prot = prots[rng.int(prots.length)];
      ops.push({ op: 'mprotect', page, count, prot });
      for (let k = page; k < page + count; k++) perms[k] = prot;
    }
  }
  return { pages, ops };
}

const vmasAfter: Exercise = {
  id: '08-address-spaces/vmas-after',
  chapter: '08-address-spaces',
  title: 'Predict the VMAs after mprotect and munmap',
  kind: 'predict',
  prompt: [
    'A process maps `q.pages` pages of private anonymous memory with PROT_READ|PROT_WRITE (no page',
    'touched; no other mapping next to it). Then it runs `q.ops`: `mprotect` and `munmap` of',
    '`count` pages starting at page `page` of the region. Write `predict(q)` that returns the VMAs',
    'covering the region afterwards, in address order, as `[first page, end page (exclusive),',
    'perms]` with perms as /proc/PID/maps prints them (`rw-p`, `r--p`, `---p` ...). Pages are',
    'counted from the start of the region.',
  ].join('\n'),
  signature: "predict(q: { pages: number; ops: { op: 'mprotect' | 'munmap'; page: number; count: number; prot?: string }[] }): [number, number, string][]",
  starter: [
    "export default function predict(q: { pages: number; ops: { op: 'mprotect' | 'munmap'; page: number; count: number; prot?: string }[] }): [number, number, string][] {",
    '  // mprotect changes the permissions of the whole mapping.',
    "  let perms = 'rw-p';",
    "  for (const o of q.ops) if (o.op === 'mprotect') perms = (o.prot!.includes('r') ? 'r' : '-') + (o.prot!.includes('w') ? 'w' : '-') + (o.prot!.includes('x') ? 'x' : '-') + 'p';",
    '  return [[0, q.pages, perms]];',
    '}',
    '',
  ].join('\n'),
  hints: [
    'Keep the permissions per page; a VMA is a maximal run of mapped pages with the same permissions.',
    'mprotect splits a VMA at the range\'s ends; munmap punches a hole (possibly splitting a VMA in two).',
    'Neighbours that end up with the same permissions merge again into one VMA (vma_merge), e.g. after mprotect back to rw.',
  ],
  show: (input) => {
    const q = (input as [VmaInput])[0];
    return `predict({ pages: ${q.pages}, ops: [${q.ops.map((o) => (o.op === 'munmap' ? `munmap(${o.page}, ${o.count})` : `mprotect(${o.page}, ${o.count}, '${o.prot}')`)).join(', ')}] })`;
  },
  tests: [
    {
      name: 'one mprotect splits',
      points: 2,
      hint: 'mprotect of pages 4..7 of a 16-page region leaves three VMAs: 0-4 rw-p, 4-8 r--p, 8-16 rw-p.',
      cases: () => [vmaCase({ pages: 16, ops: [{ op: 'mprotect', page: 4, count: 4, prot: 'r' }] }), vmaCase({ pages: 8, ops: [{ op: 'mprotect', page: 0, count: 2, prot: 'none' }] })],
    },
    {
      name: 'munmap punches holes',
      points: 2,
      dependsOn: ['one mprotect splits'],
      hint: 'munmap in the middle leaves two VMAs with a hole between them.',
      cases: () => [vmaCase({ pages: 10, ops: [{ op: 'munmap', page: 3, count: 2 }] }), vmaCase({ pages: 10, ops: [{ op: 'mprotect', page: 2, count: 6, prot: 'rx' }, { op: 'munmap', page: 4, count: 2 }] })],
    },
    {
      name: 'neighbours merge again',
      points: 3,
      dependsOn: ['one mprotect splits'],
      hint: 'mprotect back to rw makes the three pieces identical: they merge into one VMA.',
      cases: () => [
        vmaCase({ pages: 16, ops: [{ op: 'mprotect', page: 4, count: 4, prot: 'r' }, { op: 'mprotect', page: 4, count: 4, prot: 'rw' }] }),
        vmaCase({ pages: 12, ops: [{ op: 'mprotect', page: 2, count: 3, prot: 'r' }, { op: 'mprotect', page: 5, count: 3, prot: 'r' }] }),
      ],
    },
    {
      name: 'random sequences',
      points: 4,
      hidden: true,
      dependsOn: ['munmap punches holes', 'neighbours merge again'],
      hint: 'Long sequences mixing mprotect (r, rw, rx, none) and munmap, at the region\'s edges too.',
      cases: (rng) => Array.from({ length: 8 }, () => vmaCase(randomVmaInput(rng))),
    },
  ],
};

// ---------------------------------------------------------------- problem: a program's faults

const faultProblem: Problem = {
  id: '08-address-spaces/faults',
  chapter: '08-address-spaces',
  title: 'Which accesses fault, and how?',
  generate(seed: number): ProblemInstance {
    const rng = new Rng(seed * 65537 + 8);
    const q = randomFaultInput(rng, true);
    q.ops = q.ops.slice(0, 10);
    const { outcomes, log } = faultRun(q);
    const question = [
      'A process maps these regions (no page touched yet, files not cached):',
      ...q.regions.map((r) => `  ${r.name}: ${r.pages} pages, ${r.file ? 'a file' : 'anonymous'}, MAP_${r.map.toUpperCase()}, prot ${r.prot}`),
      'Then these operations run in order:',
      ...q.ops.map((o, i) => `  ${i + 1}. ${o.op === 'fork' ? 'the parent forks' : `${o.who} ${o.op}s page ${o.page} of ${o.region}`}`),
      'For every access: no fault, a minor fault, a major fault, or SIGSEGV?',
    ].join('\n');
    return { id: this.id, seed, title: this.title, question, answer: outcomes.join(', '), steps: log };
  },
};

/** Chapter 08's graded exercises. */
export const exercises: Exercise[] = [faultKinds, rssAfterFork, vmasAfter];
/** Chapter 08's problem generators. */
export const problems: Problem[] = [faultProblem];
