/**
 * TypeScript evaluation for the REPL: any line that is not a command runs here, against the
 * live `sys` and every export of lib/ in scope.
 *
 * How: a line is first compiled as JavaScript (most expressions are); only when that is a
 * syntax error is it transpiled with the `typescript` package's `transpileModule` (loaded on
 * first use: it costs ~0.4 s). It then runs in a `node:vm` context that lives as long as the
 * session, so declarations persist; top-level `const`/`let` become `var` so that a name can be
 * declared again on a later line. A `timeout` stops infinite loops, and with `breakOnSigint`
 * Ctrl-C interrupts a long evaluation (the interactive REPL leaves raw mode meanwhile).
 */
import { hex } from '../lib/base/format.js';
import { createRequire } from 'node:module';
import * as util from 'node:util';
import * as vm from 'node:vm';

type TS = typeof import('typescript');
let tsModule: TS | null = null;
/** The TypeScript compiler, loaded on first need (it is a large module). */
function typescript(): TS {
  if (!tsModule) {
    const require = createRequire(import.meta.url);
    try {
      tsModule = require('typescript') as TS;
    } catch {
      throw new SyntaxError("TypeScript-only syntax needs the 'typescript' package (npm install typescript); plain JavaScript works without it");
    }
  }
  return tsModule;
}

/** An evaluation that ran past its time limit or was interrupted with Ctrl-C. */
export class EvalInterrupted extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EvalInterrupted';
  }
}

/** The outcome of one evaluation. */
export interface EvalResult {
  /** The completion value of the code. */
  value: unknown;
  /** Text written with console.log/info/warn/error during the evaluation. */
  logs: string[];
  /** True when the code is a declaration (its value is not worth printing). */
  declaration: boolean;
}

/** Options of {@link Evaluator.evaluate}. */
export interface EvalOptions {
  /** Milliseconds before the evaluation is stopped (default 2000). */
  timeout?: number;
  /** Let SIGINT (Ctrl-C outside raw mode) interrupt the evaluation. */
  breakOnSigint?: boolean;
  /** Name shown in stack traces. */
  filename?: string;
}

const DECL = /^\s*(const|let|var|function|class|async\s+function|type|interface|enum|declare)\b/;

/** Top-level `const`/`let` at the start of a statement become `var` (redeclarable). */
function relaxDeclarations(js: string): string {
  return js.replace(/(^|[;\n])(\s*)(?:const|let)(\s+[A-Za-z_$[{])/g, '$1$2var$3');
}

/**
 * Transpiles TypeScript to JavaScript, throwing a SyntaxError with the compiler's first
 * message when the text does not parse.
 */
export function transpile(src: string): string {
  const ts = typescript();
  const out = ts.transpileModule(src, {
    reportDiagnostics: true,
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, isolatedModules: false, removeComments: false },
  });
  const d = out.diagnostics?.find((x) => x.category === ts.DiagnosticCategory.Error);
  if (d) throw new SyntaxError(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  return out.outputText.replace(/^export \{\};\s*$/m, '');
}

const TS_HINT = /[:<!?]|\b(as|satisfies|type|interface|enum|declare|namespace|abstract|implements|readonly|private|public|protected|keyof)\b/;

/** Compiled scripts by source, so that undo's replay does not compile a line twice. */
const scriptCache = new Map<string, vm.Script>();
const SCRIPT_CACHE_MAX = 1000;

/** Compiles `src` as JavaScript, or as TypeScript when it is not valid JavaScript (cached). */
export function compile(src: string, filename = 'repl'): vm.Script {
  const key = filename + '\0' + src;
  const hit = scriptCache.get(key);
  if (hit) return hit;
  const script = compileUncached(src, filename);
  if (scriptCache.size >= SCRIPT_CACHE_MAX) scriptCache.delete(scriptCache.keys().next().value as string);
  scriptCache.set(key, script);
  return script;
}

function compileUncached(src: string, filename: string): vm.Script {
  try {
    return new vm.Script(relaxDeclarations(src), { filename });
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    // Only text with TypeScript-only syntax is worth the compiler (annotations, generics,
    // `as`, `!`, declarations of types); anything else keeps the JavaScript engine's message.
    if (!TS_HINT.test(src)) throw e;
    let js: string;
    try {
      js = transpile(src);
    } catch (te) {
      // Report the JavaScript engine's message: it names the token, the TS one the rule.
      if (te instanceof SyntaxError && te.message.includes("'typescript' package")) throw te;
      throw te instanceof SyntaxError ? new SyntaxError(e.message) : te;
    }
    return new vm.Script(relaxDeclarations(js), { filename });
  }
}

/** True when `src` compiles as plain JavaScript (no TypeScript needed). */
export function isJavaScript(src: string): boolean {
  try {
    new vm.Script(relaxDeclarations(src));
    return true;
  } catch {
    return false;
  }
}

/** A persistent evaluation scope. */
export class Evaluator {
  /** The vm context: its global object holds `sys`, lib's exports and the user's variables. */
  readonly context: vm.Context;
  private logs: string[] = [];

  constructor(globals: Record<string, unknown>) {
    const capture = (...a: unknown[]) => {
      this.logs.push(util.format(...a));
    };
    const console = { log: capture, info: capture, warn: capture, error: capture, debug: capture, dir: capture, table: capture };
    this.context = vm.createContext({ ...globals, console });
  }

  /** Sets a global of the scope. */
  set(name: string, value: unknown): void {
    this.context[name] = value;
  }

  /** Removes a global of the scope. */
  delete(name: string): void {
    delete this.context[name];
  }

  /** Whether `name` is defined in the scope (as a global or a top-level declaration). */
  has(name: string): boolean {
    if (name in this.context) return true;
    if (!/^[A-Za-z_$][\w$]*$/.test(name)) return false;
    try {
      return new vm.Script(`typeof ${name} !== 'undefined'`).runInContext(this.context, { timeout: 50 }) === true;
    } catch {
      return false;
    }
  }

  /**
   * Evaluates `src`. Throws what the code throws (a SyntaxError when it does not compile), or
   * {@link EvalInterrupted} when it ran out of time or was interrupted.
   */
  evaluate(src: string, opts: EvalOptions = {}): EvalResult {
    const script = compile(src, opts.filename);
    this.logs = [];
    const timeout = opts.timeout ?? 2000;
    try {
      const value = script.runInContext(this.context, { timeout, breakOnSigint: !!opts.breakOnSigint, displayErrors: false });
      return { value, logs: this.logs, declaration: DECL.test(src) };
    } catch (e) {
      const code = (e as { code?: string })?.code;
      if (code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw new EvalInterrupted(`evaluation stopped after ${timeout} ms (time limit; change it with 'timeout MS')`);
      if (code === 'ERR_SCRIPT_EXECUTION_INTERRUPTED') throw new EvalInterrupted('evaluation interrupted (Ctrl-C)');
      throw e;
    }
  }

  /** Logs written by the last evaluation (also when it threw). */
  pendingLogs(): string[] {
    return this.logs;
  }
}

/**
 * Pretty-prints a value as the REPL shows it (util.inspect, depth 3, bounded length). A
 * negative integer in the x86-64 kernel half is a kernel virtual address in the simulator's
 * signed-64 representation (lib/base/format.ts): it is shown as the kernel spells it (from
 * the direct map up to the modules area; small negative numbers stay numbers).
 */
export function show(value: unknown, color: boolean, width = 80, maxLines = 200): string {
  if (typeof value === 'number' && Number.isInteger(value) && value <= -(2 ** 24) && value >= -(2 ** 47)) {
    const note = '(kernel address)';
    return `${color ? `\x1b[33m${hex(value)}\x1b[39m` : hex(value)} ${color ? `\x1b[2m${note}\x1b[22m` : note}`;
  }
  const text =
    typeof value === 'string'
      ? util.inspect(value, { colors: color })
      : util.inspect(value, { colors: color, depth: 3, maxArrayLength: 32, maxStringLength: 4000, breakLength: Math.max(40, width) });
  const lines = text.split('\n');
  if (lines.length <= maxLines) return text;
  return lines.slice(0, maxLines).join('\n') + `\n... (${lines.length - maxLines} more lines)`;
}
