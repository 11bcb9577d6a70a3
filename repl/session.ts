/**
 * A REPL session: one live System, the TypeScript scope, allocation handles (`$1`, `$2` ...),
 * settings, and the log of mutating commands behind `undo`.
 *
 * Undo: the simulator is deterministic (same config + seed + operations → same state), so the
 * session keeps no snapshots. It records every statement that may change the machine (mutating
 * commands, `reset`/`seed`, and every TypeScript line that compiled, did not time out and may
 * change something — see {@link mayMutate});
 * `undo` drops the last one, builds a fresh System from the session's first config and replays
 * the rest silently. Read-only commands (`kmem -i`, `cat`, `help` ...) are not logged, so
 * `undo` always takes back the last change. TypeScript lines that use outside state
 * (Math.random, Date) replay differently: use `sys.rng` instead.
 *
 * Every input line is split at `;` when its first word is a command; each statement is a
 * command (first word registered) or else TypeScript. Errors never escape `exec`: each becomes
 * one line (plus the usage for a mistyped command).
 */
import * as lib from '../lib/index.js';
import { ConfigError, createSystem, KernelError, VmBugError, type System, type SystemConfig } from '../lib/index.js';
import { ansi, type Ansi } from './ansi.js';
import { EvalInterrupted, Evaluator, isJavaScript, show } from './evaluate.js';
import { splitStatements, splitWords, UsageError } from './parse.js';
import { registry as defaultRegistry, type Command, type CommandContext, type CommandOutput, type Registry } from './registry.js';

/** An allocation made from the REPL, named `$N`. */
export interface Handle {
  /** N of `$N`. */
  id: number;
  /** `$N`. */
  name: string;
  /** `page`: from alloc_pages (value is the page); `vaddr`: from __get_free_pages (value is the address). */
  kind: 'page' | 'vaddr';
  /** First page frame. */
  pfn: number;
  /** Allocation order. */
  order: number;
  /** The GFP mask it was allocated with. */
  gfp: number;
  /** Kernel virtual address (vaddr handles). */
  addr?: number;
  /** What the TypeScript scope sees as `$N`. */
  value: unknown;
}

/** The outcome of one statement. */
export interface ExecResult {
  /** The statement as typed. */
  input: string;
  /** Output text (may hold ANSI colours when the session colours). */
  text: string;
  /** False when the statement failed (error printed in `text`). */
  ok: boolean;
  /** The statement asked to leave the REPL. */
  exit?: boolean;
  /** What ran: a command, TypeScript, or nothing. */
  kind: 'command' | 'ts' | 'empty';
}

/** Options of a session. */
export interface SessionOptions {
  /** The machine: a preset name or a config (default: the default preset). */
  config?: SystemConfig | string;
  /** Colour the output (default false). */
  color?: boolean;
  /** Output width in columns (default 80). */
  width?: number;
  /** Time limit of a TypeScript evaluation, in ms (default 2000). */
  timeout?: number;
  /** Print the equivalent TypeScript of each command (`--code`). */
  code?: boolean;
  /** Let Ctrl-C (SIGINT) interrupt a TypeScript evaluation. */
  breakOnSigint?: boolean;
  /** Run the validators after every mutating call (sys.debug_vm). */
  debugVm?: boolean;
  /** The command registry (default: the shared one). */
  registry?: Registry;
  /** Called around TypeScript evaluations (the interactive REPL leaves raw mode so Ctrl-C is a signal). */
  onLongWork?: { start(): void; end(): void };
}

/** Turns anything thrown by a command or the simulator into one line (plus usage). */
export function formatError(e: unknown, c: Ansi, cmd?: Command): string {
  const where = cmd ? `${cmd.name}: ` : '';
  if (e instanceof UsageError) return `${c.err('error:')} ${where}${e.message}` + (cmd ? `\n${c.dim('usage:')} ${cmd.usage}` : '');
  if (e instanceof KernelError) return c.red(e.message);
  if (e instanceof VmBugError) return `${c.err(e.message)}\n${c.dim("a simulator invariant broke: 'undo' takes back the last change")}`;
  if (e instanceof ConfigError) return `${c.err('error:')} ${where}${e.message}`;
  if (e instanceof EvalInterrupted) return `${c.err('interrupted:')} ${e.message}`;
  if (isErrorLike(e)) {
    // Errors thrown inside the TypeScript scope come from another realm: not `instanceof Error`.
    const name = e.name && e.name !== 'Error' ? `${e.name}: ` : '';
    return `${c.err('error:')} ${where}${name}${e.message}`;
  }
  return `${c.err('error:')} ${where}thrown: ${String(e)}`;
}

/** An Error from this realm or from the vm context's realm. */
function isErrorLike(e: unknown): e is { name: string; message: string } {
  return typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string' && typeof (e as { name?: unknown }).name === 'string';
}

/** The error's class name, across realms. */
function errorName(e: unknown): string {
  return isErrorLike(e) ? e.name : '';
}

/** Words that start TypeScript statements (never a mistyped command). */
const KEYWORDS = new Set(
  'abstract async await break case catch class const continue debugger declare default delete do else enum export for function if import in instanceof interface let namespace new return switch throw try type typeof var void while with yield'.split(' '),
);

/**
 * Whether a TypeScript line may change anything (so undo must replay it): it declares, assigns,
 * calls, constructs, deletes or increments. Pure reads (`$1.pfn`, `x + 1`) are not recorded.
 */
export function mayMutate(src: string): boolean {
  const code = src.replace(/(['"])(?:\\.|(?!\1)[^\\])*\1/g, '""');
  return /\(|\+\+|--|\bdelete\b|\bnew\b|\b(?:const|let|var|function|class)\b|(?:^|[^=!<>])=(?![=>])/.test(code);
}

const COMMAND_WORD = /^([A-Za-z_][\w-]*|\?)(?=\s|$)/;

/** One REPL session. */
export class Session {
  /** The commands. */
  readonly registry: Registry;
  /** The machine the session started with (undo replays from it). */
  readonly initialConfig: SystemConfig | string;
  /** The machine's current config (changed by reset/seed). */
  config: SystemConfig | string;
  /** The live system. */
  sys!: System;
  /** The TypeScript scope. */
  evaluator!: Evaluator;
  /** Allocation handles by number. */
  handles = new Map<number, Handle>();
  private nextHandle = 1;
  /** Mutating statements since the session began, oldest first (what undo replays). */
  readonly log: string[] = [];
  /** Print the equivalent TypeScript after each command. */
  codeMode: boolean;
  /** Colour output. */
  readonly color: boolean;
  /** Colour functions. */
  readonly c: Ansi;
  /** Output width. */
  width: number;
  /** TypeScript time limit (ms). */
  timeout: number;
  /** True while undo replays the log (commands print nothing then). */
  replaying = false;
  private readonly opts: SessionOptions;

  constructor(opts: SessionOptions = {}) {
    this.opts = opts;
    this.registry = opts.registry ?? defaultRegistry;
    this.initialConfig = opts.config ?? lib.DEFAULT_PRESET;
    this.config = this.initialConfig;
    this.color = !!opts.color;
    this.c = ansi(this.color);
    this.width = opts.width ?? 80;
    this.timeout = opts.timeout ?? 2000;
    this.codeMode = !!opts.code;
    this.boot(this.initialConfig);
  }

  /** The preset name of the current machine, or 'custom'. */
  get machineName(): string {
    return this.sys.config.preset;
  }

  /** Builds a fresh System and TypeScript scope (handles are forgotten). */
  private boot(config: SystemConfig | string): void {
    const sys = createSystem(config);
    if (this.opts.debugVm) sys.debug_vm = true;
    this.sys = sys;
    this.config = config;
    for (const h of this.handles.values()) this.evaluator?.delete(h.name);
    this.handles.clear();
    if (!this.evaluator) this.evaluator = new Evaluator({ ...lib, handles: this.handles });
    this.evaluator.set('sys', sys);
    this.evaluator.set('handles', this.handles);
  }

  /** Replaces the machine (reset/seed). Throws ConfigError before changing anything. */
  reset(config: SystemConfig | string): void {
    lib.resolveConfig(config);
    this.boot(config);
  }

  /** The context commands run with. */
  context(): CommandContext {
    return { session: this, sys: this.sys, c: this.c, width: this.width };
  }

  /** Names a new allocation `$N`, visible in TypeScript as `$N` too. */
  addHandle(h: Omit<Handle, 'id' | 'name'>): Handle {
    const id = this.nextHandle++;
    const handle: Handle = { ...h, id, name: `$${id}` };
    this.handles.set(id, handle);
    this.evaluator.set(handle.name, handle.value);
    return handle;
  }

  /** The handle `$N` (or undefined). */
  handle(word: string): Handle | undefined {
    const m = /^\$(\d+)$/.exec(word);
    return m ? this.handles.get(Number(m[1])) : undefined;
  }

  /** Forgets a handle (after its memory was freed). */
  dropHandle(h: Handle): void {
    this.handles.delete(h.id);
    this.evaluator.delete(h.name);
  }

  /** Forgets every handle whose range contains `pfn` (after a free by pfn or address). */
  dropHandlesAt(pfn: number): void {
    for (const h of [...this.handles.values()]) if (pfn >= h.pfn && pfn < h.pfn + 2 ** h.order) this.dropHandle(h);
  }

  /** Runs one input line (one or more statements). Never throws. */
  exec(line: string): ExecResult[] {
    const text = line.trim();
    if (!text || text.startsWith('#')) return [{ input: line, text: '', ok: true, kind: 'empty' }];
    let parts: string[];
    const m = COMMAND_WORD.exec(text);
    if (m && this.registry.get(m[1] === '?' ? 'help' : m[1])) parts = splitStatements(text);
    else parts = [text];
    const out: ExecResult[] = [];
    for (const p of parts) {
      const r = this.execStatement(p);
      out.push(r);
      if (r.exit) break;
    }
    return out;
  }

  /** Runs one statement. Never throws. */
  execStatement(stmt: string): ExecResult {
    const text = stmt.trim();
    if (!text || text.startsWith('#')) return { input: stmt, text: '', ok: true, kind: 'empty' };
    const m = COMMAND_WORD.exec(text);
    const cmd = m ? this.registry.get(m[1] === '?' ? 'help' : m[1]) : undefined;
    if (cmd && m) return this.runCommand(cmd, text, text.slice(m[1].length));
    return this.runTypeScript(text);
  }

  private runCommand(cmd: Command, stmt: string, rest: string): ExecResult {
    const c = this.c;
    let args: string[];
    try {
      args = cmd.rawArgs ? (rest.trim() ? [rest.trim()] : []) : splitWords(rest);
    } catch (e) {
      return { input: stmt, text: formatError(e, c, cmd), ok: false, kind: 'command' };
    }
    let showCode = this.codeMode;
    if (args.includes('--code')) {
      showCode = true;
      args = args.filter((a) => a !== '--code');
    }
    let mutates = false;
    let out: string | CommandOutput;
    try {
      mutates = typeof cmd.mutates === 'function' ? cmd.mutates(args) : !!cmd.mutates;
      out = cmd.run(this.context(), args);
    } catch (e) {
      return { input: stmt, text: formatError(e, c, cmd), ok: false, kind: 'command' };
    }
    if (mutates && !this.replaying) this.log.push(stmt);
    const res: CommandOutput = typeof out === 'string' ? { text: out } : out;
    let txt = res.text;
    if (showCode && res.code) txt = c.dim(`// TS: ${res.code}`) + (txt ? '\n' + txt : '');
    return { input: stmt, text: txt, ok: true, exit: res.exit, kind: 'command' };
  }

  private runTypeScript(src: string): ExecResult {
    const c = this.c;
    // `word args` where word is not a name in scope and the line is not JavaScript: a mistyped
    // command. Answer without loading the TypeScript compiler.
    if (!this.replaying && /^[A-Za-z_][\w-]*\s+\S/.test(src) && !KEYWORDS.has(src.split(/\s/)[0]) && !isJavaScript(src)) {
      const hint = this.unknownCommandHint(src);
      if (hint) return { input: src, text: hint, ok: false, kind: 'ts' };
    }
    let r;
    this.opts.onLongWork?.start();
    try {
      r = this.evaluator.evaluate(src, { timeout: this.timeout, breakOnSigint: this.opts.breakOnSigint });
    } catch (e) {
      const logs = this.evaluator.pendingLogs();
      const compileError = e instanceof SyntaxError;
      if (compileError && !this.replaying) {
        const hint = this.unknownCommandHint(src);
        if (hint) return { input: src, text: hint, ok: false, kind: 'ts' };
      }
      if (!compileError && !(e instanceof EvalInterrupted) && !this.replaying && mayMutate(src)) this.log.push(src);
      if (errorName(e) === 'ReferenceError' && !this.replaying && /^[A-Za-z_$][\w$]*\s*$/.test(src.split(/\s/)[0] ?? '')) {
        const hint = this.unknownCommandHint(src);
        if (hint) return { input: src, text: hint, ok: false, kind: 'ts' };
      }
      const msg = formatError(e, c);
      return { input: src, text: [...logs, msg].join('\n'), ok: false, kind: 'ts' };
    } finally {
      this.opts.onLongWork?.end();
    }
    if (!this.replaying && mayMutate(src)) this.log.push(src);
    const lines = [...r.logs];
    if (r.value !== undefined || (!r.declaration && r.logs.length === 0)) lines.push(show(r.value, this.color, this.width));
    return { input: src, text: lines.join('\n'), ok: true, kind: 'ts' };
  }

  /**
   * When a line that failed as TypeScript starts with a word that is neither a command nor a
   * defined name, the message is "unknown command" with the closest command names.
   */
  private unknownCommandHint(src: string): string | null {
    const m = /^([A-Za-z_$][\w$-]*)/.exec(src);
    if (!m) return null;
    const word = m[1];
    if (KEYWORDS.has(word) || (!word.includes('-') && this.evaluator.has(word))) return null;
    const near = this.registry.suggest(word);
    const c = this.c;
    return `${c.err('error:')} unknown command '${word}'` + (near.length ? ` — did you mean ${near.map((n) => c.bold(n)).join(', ')}?` : '') + c.dim("  ('help' lists commands)");
  }

  /** Takes back the last mutating statement by replaying the others on a fresh machine. */
  undo(): string {
    const last = this.log.pop();
    if (last === undefined) throw new UsageError('nothing to undo');
    this.replay();
    return last;
  }

  /** Rebuilds the machine from the first config and replays the log silently. */
  private replay(): void {
    const saved = [...this.log];
    this.evaluator = undefined as unknown as Evaluator;
    this.nextHandle = 1;
    this.handles = new Map();
    this.boot(this.initialConfig);
    this.replaying = true;
    try {
      for (const stmt of saved) this.execStatement(stmt);
    } finally {
      this.replaying = false;
    }
  }
}
