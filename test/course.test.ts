/**
 * The grader and the exercises: every reference solution scores 100 %, every starter and
 * every wrong solution loses points; the sandbox survives loops, throws, floods and tampering;
 * hidden tests never leak their cases; learner ids change the hidden cases.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  exercisePoints, formatReportHtml, formatReportText, generateCases, getExercise, gradeExercise, listExercises, listProblems,
  runInSandbox, starterFunctionName, type Exercise,
} from '../lib/course/index.js';
import { main as cli } from '../lib/course/cli.js';

const SOL = join(process.cwd(), 'test', 'solutions');

function solutionFiles(ex: Exercise): { reference: string; wrong: string[] } {
  const [chapter, slug] = ex.id.split('/');
  const dir = join(SOL, chapter);
  const files = existsSync(dir) ? readdirSync(dir) : [];
  return {
    reference: join(dir, `${slug}.ts`),
    wrong: files.filter((f) => f.startsWith(`${slug}.wrong-`) && f.endsWith('.ts')).map((f) => join(dir, f)),
  };
}

describe('exercise catalog', () => {
  const exs = listExercises();
  it('has at least three graded exercises for chapters 01, 02 and 03', () => {
    for (const ch of ['01-boot', '02-zones', '03-buddy']) {
      expect(exs.filter((e) => e.chapter === ch).length, ch).toBeGreaterThanOrEqual(3);
    }
  });
  it('ids are unique and well formed, tests are consistent', () => {
    expect(new Set(exs.map((e) => e.id)).size).toBe(exs.length);
    for (const e of exs) {
      expect(e.id).toMatch(/^\d\d-[a-z0-9-]+\/[a-z0-9-]+$/);
      expect(e.id.startsWith(e.chapter + '/')).toBe(true);
      expect(starterFunctionName(e)).toBeTruthy();
      const names = new Set(e.tests.map((t) => t.name));
      expect(names.size).toBe(e.tests.length);
      for (const t of e.tests) for (const d of t.dependsOn ?? []) expect(names.has(d), `${e.id}: ${t.name} depends on ${d}`).toBe(true);
      expect(e.tests.some((t) => t.hidden), `${e.id} has a hidden test`).toBe(true);
      expect(e.tests.some((t) => !t.hidden), `${e.id} has a visible test`).toBe(true);
      expect(exercisePoints(e)).toBeGreaterThan(0);
    }
  });
  it('every problem generator is deterministic and explains its answer', () => {
    for (const p of listProblems()) {
      const a = p.generate(7);
      expect(p.generate(7)).toEqual(a);
      expect(a.steps.length).toBeGreaterThan(1);
      expect(a.answer.length).toBeGreaterThan(0);
    }
  });
});

describe.each(listExercises().map((e) => [e.id, e] as const))('%s', (_id, ex) => {
  const files = solutionFiles(ex);
  it('reference solution scores 100 %', async () => {
    expect(existsSync(files.reference), files.reference).toBe(true);
    const r = await gradeExercise(ex, readFileSync(files.reference, 'utf8'));
    expect(r.percent, formatReportText(r)).toBe(100);
    // and for another learner's hidden variant
    const r2 = await gradeExercise(ex, readFileSync(files.reference, 'utf8'), { learner: 'ada', seed: 3 });
    expect(r2.percent, formatReportText(r2)).toBe(100);
  });
  it('starter scores below 100 %', async () => {
    const r = await gradeExercise(ex, ex.starter);
    expect(r.loadError).toBeUndefined();
    expect(r.percent).toBeLessThan(100);
  });
  it('at least two plausible wrong solutions lose points', async () => {
    expect(files.wrong.length).toBeGreaterThanOrEqual(2);
    for (const f of files.wrong) {
      const r = await gradeExercise(ex, readFileSync(f, 'utf8'));
      expect(r.loadError, f).toBeUndefined();
      expect(r.earned, `${f}\n${formatReportText(r)}`).toBeLessThan(r.total);
    }
  });
});

describe('grader behaviour', () => {
  const ex = getExercise('02-zones/choose-zone');
  const ref = readFileSync(join(SOL, '02-zones', 'choose-zone.ts'), 'utf8');

  it('hidden tests show a hint but never their inputs or expected values', async () => {
    const r = await gradeExercise(ex, 'export default function f(g: number, a: string) { return a === "i386" ? "Normal" : "HighMem"; }');
    const hidden = r.tests.filter((t) => t.hidden);
    expect(hidden.length).toBeGreaterThan(0);
    const cases = generateCases(ex);
    const hiddenCases = ex.tests.flatMap((t, i) => (t.hidden ? cases[i] : []));
    for (const t of hidden) {
      expect(t.status).not.toBe('pass');
      expect(t.hint).toBeTruthy();
      expect(t.logs).toBeUndefined();
      for (const c of hiddenCases) expect(t.message).not.toContain(JSON.stringify(c.input));
      expect(t.message).not.toMatch(/expected|0x/);
    }
  });
  it('says "visible tests passed", not "all passed"', async () => {
    const r = await gradeExercise(ex, ref);
    expect(r.summary).toMatch(/Visible tests passed: \d+ of \d+\./);
    expect(r.summary).not.toMatch(/all passed/i);
    expect(formatReportHtml(r)).toContain('mmlab-grade');
  });
  it('partial credit and dependencies', async () => {
    // Right for DMA/DMA32/invalid only: 'ordinary' fails, so tests depending on it are skipped.
    const r = await gradeExercise(ex, 'export default function f(g: number) { if ((g&1)+((g>>1)&1)+((g>>2)&1) > 1) return null; return g & 1 ? "DMA" : g & 4 ? "DMA32" : "Movable"; }');
    const by = Object.fromEntries(r.tests.map((t) => [t.name, t]));
    expect(by['DMA and DMA32'].status).toBe('pass');
    expect(by['ordinary kernel allocations'].status).toBe('fail');
    expect(r.earned).toBeGreaterThan(0);
    expect(r.earned).toBeLessThan(r.total);
    const skipped = await gradeExercise(ex, 'export default function f(g: number, a: string) { if ((g&1)+((g>>1)&1)+((g>>2)&1) > 1) return null; if (g&1) return "DMA"; if (g&4) return "DMA32"; if (g&2) return (g&8) ? "Movable" : a === "i386" ? "HighMem" : "Normal"; return g & 8 ? "X" : "Normal"; }');
    const t = skipped.tests.find((x) => x.name === 'random masks')!;
    expect(t.status).not.toBe('pass');
  });
  it('learner ids change the hidden cases, not the visible ones', () => {
    const a = generateCases(ex, { learner: 'ada' });
    const b = generateCases(ex, { learner: 'bob' });
    ex.tests.forEach((t, i) => {
      if (t.hidden) expect(a[i]).not.toEqual(b[i]);
      else expect(a[i]).toEqual(b[i]);
    });
  });
  it('an endless loop, a throw, a flood of output and tampering each score zero without hanging', async () => {
    const bad = {
      loop: 'export default function f() { for (;;) {} }',
      throws: 'export default function f() { throw new Error("nope"); }',
      flood: 'export default function f() { for (;;) console.log("spam spam spam spam"); }',
      tamper: 'export default function f() { (globalThis as any).process.exit(0); return "Normal"; }',
      requireFs: 'export default function f() { const fs = require("fs"); fs.writeFileSync("/tmp/x", "y"); return "Normal"; }',
      syntax: 'export default function f( { return 1 }',
      noExport: 'export const x = 1;',
      hugeResult: 'export default function f() { return "x".repeat(1e6); }',
    };
    const t0 = Date.now();
    for (const [what, src] of Object.entries(bad)) {
      const r = await gradeExercise(ex, src, { timeoutMs: 300 });
      expect(r.percent, what).toBe(0);
      expect(r.tests.every((t) => t.earned === 0), what).toBe(true);
      const text = formatReportText(r);
      expect(text.length, what).toBeLessThan(20000);
      if (what === 'loop') expect(text).toMatch(/too long|endless loop/);
      if (what === 'throws') expect(text).toContain('nope');
      if (what === 'flood') expect(text).toMatch(/printed more than/);
      if (what === 'syntax') expect(r.loadError).toMatch(/syntax error at 1:/);
      if (what === 'tamper') expect(text).toMatch(/threw TypeError/);
      if (what === 'requireFs') expect(text).toMatch(/not available in the grader's sandbox/);
      if (what === 'noExport') expect(r.loadError).toMatch(/default export/);
      if (what === 'hugeResult') expect(text).toMatch(/more than \d+ characters/);
    }
    expect(Date.now() - t0).toBeLessThan(30000);
  });
  it('the sandbox recovers from a worker that must be terminated', async () => {
    // A blocking wait is not stopped by the vm timeout: the watchdog terminates the worker and
    // the next cases run in a fresh one. (Promise loops are caught by the vm timeout.)
    const code = 'exports.default = function (n) { if (n === 1) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20000); if (n === 2) Promise.resolve().then(function spin() { for(;;){} }); return n * 2; };';
    const r = await runInSandbox(code, '(fn, input) => fn(input)', 'default', [0, 1, 2, 3].map((n) => ({ key: String(n), input: n })), { timeoutMs: 200 });
    expect(r[0]).toMatchObject({ status: 'ok', output: 0 });
    expect(r[1].status).toBe('timeout');
    expect(r[2].status).toBe('timeout');
    expect(r[3]).toMatchObject({ status: 'ok', output: 6 });
  });
  it('grades a function value (the notebook path)', async () => {
    function choose_zone(gfp: number, arch: string): string | null {
      const z = gfp & 7;
      if (z & (z - 1)) return null;
      if (gfp & 1) return 'DMA';
      if (gfp & 4) return arch === 'i386' ? 'Normal' : 'DMA32';
      if (gfp & 2) return gfp & 8 ? 'Movable' : arch === 'i386' ? 'HighMem' : 'Normal';
      return 'Normal';
    }
    const r = await gradeExercise(ex, choose_zone);
    expect(r.percent).toBe(100);
  });
});

describe('grade CLI', () => {
  it('--list prints every exercise with its points', async () => {
    const out: string[] = [];
    expect(await cli(['--list'], (s) => out.push(s))).toBe(0);
    for (const e of listExercises()) expect(out.join('\n')).toContain(e.id);
  });
  it('grades a file as text and as JSON; exit code 0 only at 100 %', async () => {
    const out: string[] = [];
    expect(await cli(['02-zones/choose-zone', join(SOL, '02-zones', 'choose-zone.ts')], (s) => out.push(s))).toBe(0);
    expect(out.join('\n')).toMatch(/Score (\d+)\/\1 \(100 %\)/);
    const js: string[] = [];
    const wrong = join(SOL, '02-zones', 'choose-zone.wrong-movable-first.ts');
    expect(await cli(['02-zones/choose-zone', wrong, '--json'], (s) => js.push(s))).toBe(1);
    const rep = JSON.parse(js.join('\n'));
    expect(rep.earned).toBeLessThan(rep.total);
  });
  it('usage errors exit 2', async () => {
    const out: string[] = [];
    expect(await cli(['nope/nope', 'x.ts'], (s) => out.push(s))).toBe(2);
    expect(await cli(['02-zones/choose-zone', '/nonexistent.ts'], (s) => out.push(s))).toBe(2);
    expect(await cli([], (s) => out.push(s))).toBe(2);
  });
});
