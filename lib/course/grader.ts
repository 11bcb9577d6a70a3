/**
 * The grader: runs a learner's solution against an exercise's tests and scores it.
 *
 * Mirrors: nothing in the kernel; ours (the course).
 * Models: TypeScript is transpiled with the `typescript` package (transpileModule, CommonJS),
 * then every case of every test runs in the sandbox (lib/course/sandbox.ts: a worker thread with
 * a time budget). The main thread compares each result with the simulator's answer. Points per
 * test, partial credit across tests, tests that depend on others, hidden tests that show only a
 * hint, per-learner hidden cases (the learner id seeds them). The report is plain data; the
 * text, JSON and HTML forms below are what the CLI, the REPL and the notebooks print.
 * See: chapters/README.md (exercises and grading).
 */
import { Rng } from '../base/rng.js';
import * as gfp from '../mm/gfp.js';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { findRepoRoot } from './chapters.js';
import { runInSandbox, runInSandboxSync, type SandboxCase, type SandboxOptions, type SandboxResult } from './sandbox.js';
import type { Exercise, GradeCase, GradeReport, TestReport } from './types.js';

/** Options of a grading run. */
export interface GradeOptions {
  /** Learner id: changes the hidden cases (default '' = the shared variant). */
  learner?: string;
  /** Seed of the hidden cases (default 1). */
  seed?: number;
  /** Milliseconds per case (default 1000). */
  timeoutMs?: number;
}

/** The default harness: call the learner's function with the input as its argument list. */
export const CALL_HARNESS = '(fn, input) => fn(...input)';

/** FNV-1a over a string: stable seeds from ids. */
export function hashSeed(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Structural equality of JSON data (key order ignored). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
  return ak.length === bk.length && ak.every((k) => deepEqual(ao[k], bo[k]));
}

/** Short JSON for messages (cut at `max` characters). */
export function brief(v: unknown, max = 160): string {
  let s: string;
  try {
    s = v === undefined ? 'undefined' : JSON.stringify(v);
  } catch {
    s = String(v);
  }
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}

/**
 * The values learner code may import (from any module name): the GFP flags, zone and
 * migratetype constants, and a few page-allocator constants. Read-only plain data.
 */
export function coursePrelude(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(gfp)) {
    if (typeof v === 'number' || (Array.isArray(v) && v.every((x) => typeof x === 'string'))) out[k] = v;
  }
  Object.assign(out, { PAGE_SHIFT: 12, PAGE_SIZE: 4096, MAX_PAGE_ORDER: 10, NR_PAGE_ORDERS: 11, pageblock_order: 9 });
  return out;
}

type TsModule = typeof import('typescript');
let tsModule: TsModule | undefined;
/** The `typescript` package, loaded on first use (synchronously, from the repository root). */
function loadTs(): TsModule {
  if (!tsModule) {
    const bases = [join(process.cwd(), 'package.json')];
    try {
      bases.push(join(findRepoRoot(), 'package.json'));
    } catch {
      /* not inside the repository: the cwd must do */
    }
    let err: unknown;
    for (const b of bases) {
      try {
        tsModule = createRequire(b)('typescript') as TsModule;
        break;
      } catch (e) {
        err = e;
      }
    }
    if (!tsModule) throw new Error(`the grader needs the 'typescript' package: ${(err as Error)?.message}`);
  }
  return tsModule;
}

/**
 * Transpiles a learner's TypeScript module to CommonJS JavaScript. Returns the code, or the
 * first syntax error as `line:col message`.
 */
export function transpileSolution(source: string): { code?: string; error?: string } {
  const ts = loadTs();
  const out = ts.transpileModule(source, {
    fileName: 'solution.ts',
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: false, removeComments: false },
  });
  const diag = (out.diagnostics ?? []).find((d) => d.category === ts.DiagnosticCategory.Error);
  if (diag) {
    const text = ts.flattenDiagnosticMessageText(diag.messageText, ' ');
    if (diag.file && diag.start !== undefined) {
      const { line, character } = diag.file.getLineAndCharacterOfPosition(diag.start);
      return { error: `syntax error at ${line + 1}:${character + 1}: ${text}` };
    }
    return { error: `syntax error: ${text}` };
  }
  return { code: out.outputText };
}

/**
 * Turns a function's source text (from `fn.toString()` in a notebook) into a module whose
 * default export is that function. Method shorthand (`name(a) { ... }`) is accepted too.
 */
export function functionModule(fnSource: string): string {
  const s = fnSource.trim();
  const isExpr = /^(async\s+)?function\b/.test(s) || /^(async\s*)?\(/.test(s) || /^(async\s+)?[A-Za-z_$][\w$]*\s*=>/.test(s);
  return isExpr ? `export default (${s});\n` : `export default (function ${s});\n`;
}

/** Generated cases by exercise, learner and seed (generation boots machines: do it once). */
const caseCache = new Map<string, GradeCase[][]>();
const CASE_CACHE_MAX = 64;

/** The cases of every test for one grading variant, generated in the main thread (memoised). */
export function generateCases(ex: Exercise, opts: GradeOptions = {}): GradeCase[][] {
  const learner = opts.learner ?? '';
  const seed = opts.seed ?? 1;
  const key = `${ex.id}|${learner}|${seed}`;
  const hit = caseCache.get(key);
  if (hit) return hit;
  const cases = buildCases(ex, learner, seed);
  if (caseCache.size >= CASE_CACHE_MAX) caseCache.delete(caseCache.keys().next().value as string);
  caseCache.set(key, cases);
  return cases;
}

function buildCases(ex: Exercise, learner: string, seed: number): GradeCase[][] {
  return ex.tests.map((t) => {
    // Visible tests get the same cases for everyone; hidden ones depend on learner and seed.
    const rng = new Rng(hashSeed(`${ex.id}|${t.name}|${t.hidden ? `${learner}|${seed}` : 'visible'}`));
    return t.cases(rng);
  });
}

/** Total points of an exercise. */
export function exercisePoints(ex: Exercise): number {
  return ex.tests.reduce((s, t) => s + t.points, 0);
}

function failureText(r: SandboxResult): string {
  switch (r.status) {
    case 'timeout':
      return `took too long: ${r.error}`;
    case 'output':
      return r.error ?? 'too much output';
    case 'crash':
      return r.error ?? 'the sandbox crashed';
    case 'skipped':
      return 'was not run: earlier cases hit the time limit';
    default:
      return `threw ${r.error}${/ReferenceError: (process|require|Buffer|setTimeout|setInterval|setImmediate|fetch|__dirname|__filename) is not defined/.test(r.error ?? '') ? ' (the sandbox has no process, timers, modules or files: keep to plain computation)' : ''}`;
  }
}

/** Everything a grading run needs before the sandbox runs. */
interface Prepared {
  caseSets: GradeCase[][];
  code?: string;
  loadError?: string;
  cases: SandboxCase[];
  sandbox: SandboxOptions;
}

function prepare(ex: Exercise, solution: string | ((...args: never[]) => unknown), opts: GradeOptions): Prepared {
  const source = typeof solution === 'function' ? functionModule(solution.toString()) : solution;
  const compiled = transpileSolution(source);
  const caseSets = generateCases(ex, opts);
  const cases: SandboxCase[] = [];
  caseSets.forEach((cs, t) => cs.forEach((c, i) => cases.push({ key: `${t}:${i}`, input: c.input, group: `t${t}` })));
  return { caseSets, code: compiled.code, loadError: compiled.error, cases, sandbox: { timeoutMs: opts.timeoutMs ?? 1000, prelude: coursePrelude() } };
}

/**
 * Grades a solution: `solution` is a TypeScript module's source text (default export = the
 * solution) or a function (its source is sent to the sandbox; it must not use variables from
 * outside itself). Never throws because of the solution.
 */
export async function gradeExercise(ex: Exercise, solution: string | ((...args: never[]) => unknown), opts: GradeOptions = {}): Promise<GradeReport> {
  const p = prepare(ex, solution, opts);
  const results = p.code === undefined ? [] : await runInSandbox(p.code, ex.harness ?? CALL_HARNESS, 'default', p.cases, p.sandbox);
  return score(ex, p, results, opts);
}

/** {@link gradeExercise} for callers that cannot await (the REPL): blocks until graded. */
export function gradeExerciseSync(ex: Exercise, solution: string | ((...args: never[]) => unknown), opts: GradeOptions = {}): GradeReport {
  const p = prepare(ex, solution, opts);
  const results = p.code === undefined ? [] : runInSandboxSync(p.code, ex.harness ?? CALL_HARNESS, 'default', p.cases, p.sandbox);
  return score(ex, p, results, opts);
}

function score(ex: Exercise, p: Prepared, results: SandboxResult[], opts: GradeOptions): GradeReport {
  const learner = opts.learner ?? '';
  const seed = opts.seed ?? 1;
  const total = exercisePoints(ex);
  const base = { id: ex.id, title: ex.title, learner, seed, total };
  const caseSets = p.caseSets;
  let loadError = p.loadError;
  const load = results.find((r) => r.status === 'load');
  if (load) loadError = load.error;
  const byKey = new Map(results.map((r) => [r.key, r]));
  const reports: TestReport[] = [];
  const passed = new Set<string>();
  ex.tests.forEach((t, ti) => {
    const rep: TestReport = { name: t.name, hidden: !!t.hidden, points: t.points, earned: 0, status: 'fail', message: '' };
    if (loadError !== undefined) {
      rep.status = 'error';
      rep.message = loadError;
      reports.push(rep);
      return;
    }
    let msg = '';
    let status: TestReport['status'] = 'pass';
    let logs = '';
    for (let i = 0; i < caseSets[ti].length && status === 'pass'; i++) {
      const c = caseSets[ti][i];
      const r = byKey.get(`${ti}:${i}`);
      logs += r?.logs ?? '';
      if (!r || r.status !== 'ok') {
        status = 'error';
        msg = t.hidden ? hiddenFailure(r) : `${safeShow(ex, c.input)} ${r ? failureText(r) : 'was not run'}`;
        continue;
      }
      const ok = ex.accept ? safeAccept(ex, r.output, c.expected, c.input) : deepEqual(r.output, c.expected);
      if (!ok) {
        status = 'fail';
        msg = t.hidden ? 'a hidden case gave a wrong answer' : `${safeShow(ex, c.input)}: expected ${brief(c.expected)}, got ${brief(r.output)}`;
      }
    }
    const unmet = (t.dependsOn ?? []).filter((d) => !passed.has(d));
    if (status === 'pass' && unmet.length) {
      rep.status = 'skipped';
      rep.message = `not scored until ${unmet.map((d) => `'${d}'`).join(' and ')} pass${unmet.length > 1 ? '' : 'es'}`;
    } else if (status === 'pass') {
      rep.status = 'pass';
      rep.earned = t.points;
      rep.message = t.hidden ? 'hidden test passed' : `${caseSets[ti].length} case${caseSets[ti].length === 1 ? '' : 's'} passed`;
      passed.add(t.name);
    } else {
      rep.status = status;
      rep.message = msg;
      rep.hint = t.hint;
      if (unmet.length) rep.message += ` (also needs ${unmet.map((d) => `'${d}'`).join(' and ')})`;
    }
    if (!t.hidden && logs && rep.status !== 'pass') rep.logs = logs.length > 2000 ? logs.slice(0, 2000) + '…' : logs;
    reports.push(rep);
  });
  const earned = reports.reduce((s, r) => s + r.earned, 0);
  const percent = total ? Math.floor((earned * 100) / total) : 0;
  const vis = reports.filter((r) => !r.hidden);
  const hid = reports.filter((r) => r.hidden);
  const count = (rs: TestReport[]): string => `${rs.filter((r) => r.status === 'pass').length} of ${rs.length}`;
  let summary = `Score ${earned}/${total} (${percent} %). Visible tests passed: ${count(vis)}.`;
  if (hid.length) summary += ` Hidden tests passed: ${count(hid)}.`;
  if (loadError !== undefined) summary = `Score 0/${total} (0 %). The solution did not load: ${loadError}`;
  return { ...base, earned, percent, tests: reports, summary, ...(loadError !== undefined ? { loadError } : {}) };
}

function safeShow(ex: Exercise, input: unknown): string {
  try {
    return ex.show(input);
  } catch {
    return brief(input);
  }
}

function safeAccept(ex: Exercise, actual: unknown, expected: unknown, input: unknown): boolean {
  try {
    return !!ex.accept?.(actual, expected, input);
  } catch {
    return false;
  }
}

/** The message of a hidden test that did not run cleanly: the kind of trouble, nothing more. */
function hiddenFailure(r: SandboxResult | undefined): string {
  if (!r) return 'a hidden case was not run';
  switch (r.status) {
    case 'timeout':
      return 'a hidden case took too long (an endless loop?)';
    case 'output':
      return 'a hidden case produced too much output';
    case 'crash':
      return 'a hidden case crashed the sandbox';
    case 'skipped':
      return 'a hidden case was not run: earlier cases hit the time limit';
    default:
      return 'your function threw an error on a hidden case';
  }
}

const MARK: Record<TestReport['status'], string> = { pass: 'PASS', fail: 'FAIL', error: 'ERROR', skipped: 'SKIP' };

/** The report as plain text (CLI and REPL). */
export function formatReportText(r: GradeReport): string {
  const lines = [`${r.id} — ${r.title}${r.learner ? ` (learner ${r.learner})` : ''}`];
  for (const t of r.tests) {
    lines.push(`  ${MARK[t.status].padEnd(5)} ${t.hidden ? '[hidden] ' : ''}${t.name}  ${t.earned}/${t.points}`);
    if (t.status !== 'pass') {
      if (t.message) lines.push(`        ${t.message}`);
      if (t.hint) lines.push(`        hint: ${t.hint}`);
      if (t.logs) lines.push(...t.logs.trimEnd().split('\n').slice(0, 10).map((l) => `        | ${l}`));
    }
  }
  lines.push(r.summary);
  return lines.join('\n');
}

/** The report as JSON text (CLI `--json`). */
export function formatReportJson(r: GradeReport): string {
  return JSON.stringify(r, null, 2);
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The report as an HTML fragment (notebooks). Self-contained inline styles. */
export function formatReportHtml(r: GradeReport): string {
  const colour: Record<TestReport['status'], string> = { pass: '#1a7f37', fail: '#cf222e', error: '#cf222e', skipped: '#9a6700' };
  const rows = r.tests
    .map((t) => {
      const detail = t.status === 'pass' ? esc(t.message) : [t.message && esc(t.message), t.hint && `<i>hint: ${esc(t.hint)}</i>`, t.logs && `<pre style="margin:2px 0">${esc(t.logs)}</pre>`].filter(Boolean).join('<br>');
      return `<tr style="vertical-align:top"><td style="color:${colour[t.status]};font-weight:bold;padding:2px 8px;text-align:left">${MARK[t.status]}</td>` +
        `<td style="padding:2px 8px;text-align:left">${esc(t.name)}${t.hidden ? ' <i style="color:#59636e">(hidden)</i>' : ''}</td>` +
        `<td style="padding:2px 8px;text-align:right">${t.earned}/${t.points}</td><td style="padding:2px 8px;text-align:left">${detail}</td></tr>`;
    })
    .join('');
  const bar = `<div style="background:#eee;width:240px;height:10px;border-radius:5px;display:inline-block;vertical-align:middle">` +
    `<div style="background:${r.percent === 100 ? '#1a7f37' : '#d4a72c'};width:${Math.round(2.4 * r.percent)}px;height:10px;border-radius:5px"></div></div>`;
  return `<div class="mmlab-grade" style="font-family:sans-serif;font-size:13px;border:1px solid #ccc;border-radius:6px;padding:8px;margin:4px 0">` +
    `<div style="font-weight:bold;margin-bottom:4px">${esc(r.id)} — ${esc(r.title)}</div>` +
    `<table style="border-collapse:collapse;margin:0">${rows}</table>` +
    `<div style="margin-top:6px">${bar} <b>${r.earned}/${r.total}</b> ${esc(r.summary.replace(/^Score \d+\/\d+ \(\d+ %\)\. ?/, ''))}</div></div>`;
}
