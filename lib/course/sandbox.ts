/**
 * The grader's sandbox: learner code runs in a worker thread, inside a fresh `vm` context,
 * with a time budget per test and caps on output.
 *
 * Mirrors: nothing in the kernel; ours (the course).
 * Models: one worker per grading run. The learner's module (already transpiled to CommonJS)
 * is evaluated in a context that has no `require` (only a read-only prelude of constants),
 * no `process` and no file system. Each test calls the exercise's harness, which calls the
 * learner's function; inputs enter the context and results leave it as JSON text, so no object
 * of the worker's own realm is ever handed to learner code. A test that loops forever is
 * stopped by the vm timeout; a worker that stops answering (an async loop, memory blow-up) is
 * terminated and the remaining tests run in a fresh worker. Nothing the learner does can reach
 * the grader in the main thread.
 * Simplifies: `vm` is not a security boundary against a determined attacker (it isolates
 * honest mistakes and casual tampering: infinite loops, throws, huge output, touching globals).
 * See: chapters/README.md (exercises and grading).
 */
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';

/** One call of the harness: an id and a JSON-safe input. */
export interface SandboxCase {
  /** Caller's key, returned with the result. */
  key: string;
  /** The input passed to the harness (JSON-safe). */
  input: unknown;
  /** Cases of one group (one test) stop after the first timeout or flood (default: own group). */
  group?: string;
}

/** The outcome of one case. */
export interface SandboxResult {
  key: string;
  /** 'ok': `output` holds the harness's return value; otherwise `error` says what happened. */
  status: 'ok' | 'throw' | 'timeout' | 'output' | 'load' | 'crash' | 'skipped';
  output?: unknown;
  /** A one-line message for the learner (the thrown message, or what limit was hit). */
  error?: string;
  /** What the learner's code printed (console.log/warn/error), capped. */
  logs: string;
}

/** Limits of a sandbox run. */
export interface SandboxOptions {
  /** Milliseconds per case (default 1000). */
  timeoutMs?: number;
  /** Characters of console output kept per case before the case fails (default 20000). */
  maxLogChars?: number;
  /** Characters of a result's JSON text before the case fails (default 200000). */
  maxOutputChars?: number;
  /** Heap limit of the worker in MiB (default 128). */
  heapMb?: number;
  /** Read-only values learner code may import (any `import ... from '<anything>'`). */
  prelude?: Record<string, unknown>;
}

/** The script that sets up the learner's global scope inside the vm context. */
const CONTEXT_SOURCE = String.raw`
var __logs = '', __logOver = false;
function __fmt(a) { try { return typeof a === 'string' ? a : JSON.stringify(a); } catch (e) { return String(a); } }
function __log() { var s = Array.prototype.map.call(arguments, __fmt).join(' ') + '\n';
  if (__logs.length + s.length > __maxLog) { __logOver = true; __logs += s.slice(0, Math.max(0, __maxLog - __logs.length));
    throw new Error('output limit reached'); }
  else __logs += s; }
var console = { log: __log, info: __log, warn: __log, error: __log, debug: __log, table: __log, dir: __log };
var __prelude = Object.freeze(JSON.parse(__preludeJson));
function require(name) {
  if (/^(node:|fs|path|os|child_process|worker_threads|vm|module|process|net|http|https|crypto)(\/|$)/.test(String(name)))
    throw new Error("require('" + name + "') is not available in the grader's sandbox (no modules, files or processes)");
  return __prelude;
}
var module = { exports: {} }; var exports = module.exports;
`;

/**
 * The worker's program (plain JavaScript, evaluated with `eval: true`). It receives the
 * module text, the harness source and the cases, and posts one message per case.
 */
const WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const vm = require('node:vm');
const d = workerData;
// Asynchronous callers listen on parentPort; the synchronous runner passes its own port and a
// shared counter it waits on (Atomics.wait), bumped after every message.
const out = d.port || parentPort;
const sig = d.signal ? new Int32Array(d.signal) : null;
function post(m) { out.postMessage(m); if (sig) { Atomics.add(sig, 0, 1); Atomics.notify(sig, 0); } }
const ctx = vm.createContext(Object.create(null), { codeGeneration: { strings: true, wasm: false }, microtaskMode: 'afterEvaluate' });
// Everything learner code can see is created inside the context from text.
ctx.__maxLog = d.maxLogChars;
ctx.__preludeJson = JSON.stringify(d.prelude);
vm.runInContext(d.contextSource, ctx);
function take() {
  const r = vm.runInContext('(function(){var r = JSON.stringify({logs: __logs, over: __logOver}); __logs = ""; __logOver = false; return r;})()', ctx);
  return JSON.parse(r);
}
function msg(e) {
  if (e && typeof e === 'object' && 'message' in e) return String(e.name || 'Error') + ': ' + String(e.message);
  try { return 'threw ' + JSON.stringify(e); } catch (_) { return 'threw ' + String(e); }
}
try {
  vm.runInContext(d.code, ctx, { timeout: d.timeoutMs, filename: 'solution.ts' });
  vm.runInContext('var __harness = (' + d.harness + ');', ctx, { filename: 'harness.js' });
  vm.runInContext('var __fn = module.exports && (module.exports[' + JSON.stringify(d.exportName) + '] !== undefined ? module.exports[' + JSON.stringify(d.exportName) + '] : (typeof module.exports === "function" ? module.exports : undefined));', ctx);
  if (vm.runInContext('typeof __fn', ctx) !== 'function') {
    const l = take();
    post({ load: 'your file must export a function as ' + (d.exportName === 'default' ? 'its default export' : d.exportName), logs: l.logs });
    process.exit(0);
  }
} catch (e) {
  const l = take();
  const timeout = e && e.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT';
  post({ load: timeout ? 'loading your file took longer than ' + d.timeoutMs + ' ms (a loop at top level?)' : 'loading your file failed: ' + msg(e), logs: l.logs });
  process.exit(0);
}
const failedGroups = new Set();
let timeouts = 0;
for (const c of d.cases) {
  // After a timeout or a flood, the rest of that group (one test) is not run; after three
  // timeouts nothing more is.
  if (failedGroups.has(c.group) || timeouts >= 3) {
    post({ result: { key: c.key, status: 'skipped', error: 'not run after an earlier case of this test hit a limit', logs: '' } });
    continue;
  }
  post({ start: c.key });
  let res;
  try {
    ctx.__inputJson = JSON.stringify(c.input);
    const out = vm.runInContext('(function(){ var r = __harness(__fn, JSON.parse(__inputJson)); if (r && typeof r.then === "function") throw new Error("return a value, not a Promise"); return r === undefined ? "null" : JSON.stringify(r); })()', ctx, { timeout: d.timeoutMs, filename: 'harness.js' });
    const l = take();
    if (l.over) res = { key: c.key, status: 'output', error: 'your code printed more than ' + d.maxLogChars + ' characters', logs: l.logs };
    else if (typeof out !== 'string') res = { key: c.key, status: 'throw', error: 'your function returned something that is not JSON data', logs: l.logs };
    else if (out.length > d.maxOutputChars) res = { key: c.key, status: 'output', error: 'your function returned more than ' + d.maxOutputChars + ' characters of data', logs: l.logs };
    else res = { key: c.key, status: 'ok', output: JSON.parse(out), logs: l.logs };
  } catch (e) {
    const l = take();
    if (l.over) res = { key: c.key, status: 'output', error: 'your code printed more than ' + d.maxLogChars + ' characters', logs: l.logs };
    else if (e && e.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') res = { key: c.key, status: 'timeout', error: 'stopped after ' + d.timeoutMs + ' ms (an endless loop?)', logs: l.logs };
    else res = { key: c.key, status: 'throw', error: msg(e), logs: l.logs };
  }
  if (res.status === 'timeout' || res.status === 'output') { failedGroups.add(c.group); if (res.status === 'timeout') timeouts++; }
  post({ result: res });
}
post({ done: true });
`;

/** The limits of a run: the options with their defaults filled in. */
function sandboxLimits(opts: SandboxOptions): { timeoutMs: number; maxLogChars: number; maxOutputChars: number; prelude: Record<string, unknown> } {
  return {
    timeoutMs: opts.timeoutMs ?? 1000,
    maxLogChars: opts.maxLogChars ?? 20000,
    maxOutputChars: opts.maxOutputChars ?? 200000,
    prelude: opts.prelude ?? {},
  };
}

/**
 * Runs `harness(learnerFn, input)` for every case in a worker thread and returns one result per
 * case, in order. Never throws for anything the learner's code does, and always settles.
 */
export function runInSandbox(
  code: string,
  harness: string,
  exportName: string,
  cases: SandboxCase[],
  opts: SandboxOptions = {},
): Promise<SandboxResult[]> {
  const limits = sandboxLimits(opts);
  const timeoutMs = limits.timeoutMs;
  const results = new Map<string, SandboxResult>();
  const runBatch = (pending: SandboxCase[]): Promise<void> =>
    new Promise<void>((resolve) => {
      let current: string | undefined;
      let finished = false;
      let worker: Worker;
      try {
        worker = new Worker(WORKER_SOURCE, {
          eval: true,
          workerData: { code, harness, exportName, cases: pending.map((c) => ({ ...c, group: c.group ?? c.key })), contextSource: CONTEXT_SOURCE, ...limits },
          resourceLimits: { maxOldGenerationSizeMb: opts.heapMb ?? 128, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 },
          stdout: true,
          stderr: true,
        });
      } catch (e) {
        for (const c of pending) results.set(c.key, { key: c.key, status: 'crash', error: `could not start the sandbox: ${(e as Error).message}`, logs: '' });
        resolve();
        return;
      }
      // Watchdog: the vm timeout stops synchronous loops; this catches everything else.
      let watchdog: ReturnType<typeof setTimeout> | undefined;
      const arm = (ms: number): void => {
        if (watchdog) clearTimeout(watchdog);
        watchdog = setTimeout(() => fail('timeout', `stopped after ${timeoutMs} ms (the worker stopped answering)`), ms);
      };
      const finish = (): void => {
        if (finished) return;
        finished = true;
        if (watchdog) clearTimeout(watchdog);
        void worker.terminate().catch(() => undefined);
        resolve();
      };
      const fail = (status: SandboxResult['status'], error: string): void => {
        if (finished) return;
        const key = current ?? pending.find((c) => !results.has(c.key))?.key;
        if (key !== undefined && !results.has(key)) results.set(key, { key, status, error, logs: '' });
        finish();
      };
      // Starting a worker and loading the solution get a generous budget; each case gets its own.
      arm(timeoutMs * 2 + 5000);
      worker.on('message', (m: { start?: string; result?: SandboxResult; load?: string; logs?: string; done?: boolean }) => {
        arm(m.start !== undefined ? timeoutMs + 1000 : timeoutMs * 2 + 5000);
        if (m.start !== undefined) current = m.start;
        else if (m.result) {
          results.set(m.result.key, m.result);
          current = undefined;
        } else if (m.load !== undefined) {
          for (const c of pending) results.set(c.key, { key: c.key, status: 'load', error: m.load, logs: m.logs ?? '' });
          finish();
        } else if (m.done) finish();
      });
      worker.on('error', (e: Error) => {
        const oom = /heap|memory|allocation/i.test(e.message);
        fail('crash', oom ? 'your code used too much memory' : `the sandbox stopped: ${e.message}`);
      });
      worker.on('exit', () => fail('crash', 'your code ended the sandbox (process.exit or a crash)'));
    });

  return (async () => {
    let guard = cases.length + 1;
    for (;;) {
      const pending = cases.filter((c) => !results.has(c.key));
      if (!pending.length || guard-- <= 0) break;
      await runBatch(pending);
      const stillLoad = pending.some((c) => results.get(c.key)?.status === 'load');
      if (stillLoad) break;
    }
    return cases.map((c) => results.get(c.key) ?? { key: c.key, status: 'crash' as const, error: 'not run', logs: '' });
  })();
}

type WorkerMessage = { start?: string; result?: SandboxResult; load?: string; logs?: string; done?: boolean };

/**
 * The same as {@link runInSandbox}, but blocking: the calling thread waits (Atomics.wait) for
 * each message of the worker, with the same per-case budget. For callers that cannot await,
 * such as a synchronous REPL command. A worker that dies without a word is reported as having
 * run out of time.
 */
export function runInSandboxSync(
  code: string,
  harness: string,
  exportName: string,
  cases: SandboxCase[],
  opts: SandboxOptions = {},
): SandboxResult[] {
  const limits = sandboxLimits(opts);
  const timeoutMs = limits.timeoutMs;
  const results = new Map<string, SandboxResult>();
  for (let guard = cases.length + 1; guard > 0; guard--) {
    const pending = cases.filter((c) => !results.has(c.key));
    if (!pending.length) break;
    const signal = new SharedArrayBuffer(4);
    const counter = new Int32Array(signal);
    const { port1, port2 } = new MessageChannel();
    let worker: Worker;
    try {
      worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: {
          code, harness, exportName, cases: pending.map((c) => ({ ...c, group: c.group ?? c.key })),
          contextSource: CONTEXT_SOURCE, port: port2, signal, ...limits,
        },
        transferList: [port2],
        resourceLimits: { maxOldGenerationSizeMb: opts.heapMb ?? 128, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 },
        stdout: true,
        stderr: true,
      });
    } catch (e) {
      for (const c of pending) results.set(c.key, { key: c.key, status: 'crash', error: `could not start the sandbox: ${(e as Error).message}`, logs: '' });
      break;
    }
    worker.unref();
    let seen = 0;
    let current: string | undefined;
    let finished = false;
    let budget = timeoutMs * 2 + 5000;
    let loadFailed = false;
    while (!finished) {
      const waited = Atomics.wait(counter, 0, seen, budget);
      for (let m = receiveMessageOnPort(port1); m; m = receiveMessageOnPort(port1)) {
        const msg = m.message as WorkerMessage;
        if (msg.start !== undefined) {
          current = msg.start;
          budget = timeoutMs + 1000;
        } else if (msg.result) {
          results.set(msg.result.key, msg.result);
          current = undefined;
          budget = timeoutMs * 2 + 5000;
        } else if (msg.load !== undefined) {
          for (const c of pending) results.set(c.key, { key: c.key, status: 'load', error: msg.load, logs: msg.logs ?? '' });
          loadFailed = true;
          finished = true;
        } else if (msg.done) finished = true;
      }
      seen = Atomics.load(counter, 0);
      if (!finished && waited === 'timed-out' && Atomics.load(counter, 0) === seen) {
        const key = current ?? pending.find((c) => !results.has(c.key))?.key;
        if (key !== undefined && !results.has(key)) results.set(key, { key, status: 'timeout', error: `stopped after ${timeoutMs} ms (the worker stopped answering)`, logs: '' });
        finished = true;
      }
    }
    void worker.terminate().catch(() => undefined);
    port1.close();
    if (loadFailed) break;
  }
  return cases.map((c) => results.get(c.key) ?? { key: c.key, status: 'crash' as const, error: 'not run', logs: '' });
}
