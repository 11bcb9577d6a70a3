/**
 * The `mmlab` command line: argument parsing and the non-interactive runner (scripts, `-e`,
 * piped input). Output is plain text unless stdout is a terminal; the exit status is 1 when a
 * command failed, 2 for a bad command line.
 */
import { PRESETS, type SystemConfig } from '../lib/index.js';
import { machineLine } from './commands/sim.js';
import { show } from './evaluate.js';
import { parseUint } from './parse.js';
import { Session, type SessionOptions } from './session.js';

/** `mmlab --help`. */
export const USAGE = `mmlab — a simulator of Linux memory management (modelled on Linux 6.12)

usage:
  mmlab [OPTIONS]                      interactive REPL (when stdin is a terminal)
  mmlab [OPTIONS] -e 'CMD; CMD' ...    run commands and exit
  mmlab [OPTIONS] run FILE...          run a file of REPL commands, or a .ts file against sys
  CMDS | mmlab [OPTIONS]               run commands read from stdin

options:
  -e, --eval CMDS      commands to run (repeatable; ';' separates commands)
  -p, --preset NAME    machine preset (${Object.keys(PRESETS).join(', ')})
  --config JSON        machine config, e.g. '{"memory":"64M","swap":"16M"}'
  --seed N             seed of the machine's random choices
  --code               print the equivalent TypeScript of each command
  --timeout MS         time limit of a TypeScript evaluation (default 2000)
  -x, --echo           print each command before its output (scripts)
  --debug-vm           check every invariant after each change (slower)
  --color, --no-color  force colours on or off (default: on for a terminal)
  -h, --help           this text
  --version            the version

Inside, 'help' lists the commands. Examples:
  mmlab -e 'kmem -i'
  mmlab --preset tiny -e 'alloc_pages 3; cat /proc/buddyinfo'
  echo 'free -m' | mmlab
`;

/** The parsed command line. */
export interface CliArgs {
  /** Machine config (preset name or object). */
  config: SystemConfig | string;
  /** Commands from -e, in order. */
  evals: string[];
  /** Files from `run FILE` (or bare FILE arguments). */
  files: string[];
  code: boolean;
  echo: boolean;
  debugVm: boolean;
  timeout?: number;
  /** Forced colour choice (undefined: decide from the terminal). */
  color?: boolean;
  help: boolean;
  version: boolean;
}

/** Parses argv (without node and the script). Throws an Error with a one-line message. */
export function parseArgs(argv: string[]): CliArgs {
  const a: CliArgs = { config: 'pc-4g', evals: [], files: [], code: false, echo: false, debugVm: false, help: false, version: false };
  let preset: string | undefined;
  let json: SystemConfig | undefined;
  let seed: number | undefined;
  const need = (i: number, opt: string) => {
    if (i >= argv.length) throw new Error(`option ${opt} needs a value`);
    return argv[i];
  };
  for (let i = 0; i < argv.length; i++) {
    const w = argv[i];
    const eq = w.startsWith('--') ? w.indexOf('=') : -1;
    const opt = eq > 0 ? w.slice(0, eq) : w;
    const val = () => (eq > 0 ? w.slice(eq + 1) : need(++i, opt));
    switch (opt) {
      case '-e':
      case '--eval':
        a.evals.push(val());
        break;
      case '-p':
      case '--preset':
        preset = val();
        if (!PRESETS[preset]) throw new Error(`unknown preset '${preset}' (presets: ${Object.keys(PRESETS).join(', ')})`);
        break;
      case '--config': {
        const t = val();
        try {
          json = JSON.parse(t) as SystemConfig;
        } catch (e) {
          throw new Error(`--config: bad JSON: ${(e as Error).message}`);
        }
        if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error('--config: expected a JSON object');
        break;
      }
      case '--seed':
        seed = parseUint(val(), '--seed', 0xffffffff);
        break;
      case '--timeout':
        a.timeout = Math.max(1, parseUint(val(), '--timeout', 3_600_000));
        break;
      case '--code':
        a.code = true;
        break;
      case '-x':
      case '--echo':
        a.echo = true;
        break;
      case '--debug-vm':
        a.debugVm = true;
        break;
      case '--color':
        a.color = true;
        break;
      case '--no-color':
        a.color = false;
        break;
      case '-h':
      case '--help':
        a.help = true;
        break;
      case '--version':
        a.version = true;
        break;
      case 'run':
        if (i + 1 >= argv.length) throw new Error('run: missing FILE');
        while (i + 1 < argv.length && !argv[i + 1].startsWith('-')) a.files.push(argv[++i]);
        break;
      default:
        if (w.startsWith('-') && w !== '-') throw new Error(`unknown option '${w}' (mmlab --help lists them)`);
        a.files.push(w);
    }
  }
  if (json) a.config = { ...(preset ? { preset } : {}), ...json, ...(seed !== undefined ? { seed } : {}) };
  else if (seed !== undefined) a.config = { preset: preset ?? 'pc-4g', seed };
  else if (preset) a.config = preset;
  return a;
}

/** Where the runner writes. */
export interface RunIo {
  out(text: string): void;
  err(text: string): void;
}

/** What a script run did. */
export interface RunStats {
  /** Statements that failed. */
  failed: number;
  /** A `quit` ended the script. */
  quit: boolean;
}

/** Runs REPL command text line by line (a file, -e text or piped input). */
export function runCommands(session: Session, text: string, source: string | null, io: RunIo, echo = false): RunStats {
  const stats: RunStats = { failed: 0, quit: false };
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n];
    if (!line.trim() || line.trim().startsWith('#')) continue;
    if (echo) io.out(`mmlab> ${line}`);
    for (const r of session.exec(line)) {
      if (!r.ok) {
        stats.failed++;
        const where = source ? `${source}:${n + 1}: ` : '';
        io.err(where + r.text);
      } else if (r.text) io.out(r.text);
      if (r.exit) {
        stats.quit = true;
        return stats;
      }
    }
  }
  return stats;
}

/** Lines `import ... from '.../lib/index.js'` are dropped from .ts scripts: lib is already in scope. */
export function stripLibImports(src: string): string {
  return src.replace(/^\s*import\s[^;]*?from\s+['"][^'"]*lib\/index(\.js|\.ts)?['"];?\s*$/gm, '');
}

/** Evaluates a TypeScript file against the session's `sys` (time limit: the larger of 60 s and --timeout). */
export function runTsFile(session: Session, src: string, source: string, io: RunIo): RunStats {
  try {
    const r = session.evaluator.evaluate(stripLibImports(src), { timeout: Math.max(60_000, session.timeout), filename: source });
    for (const l of r.logs) io.out(l);
    if (r.value !== undefined) io.out(typeof r.value === 'string' ? r.value : show(r.value, session.color, session.width));
    return { failed: 0, quit: false };
  } catch (e) {
    for (const l of session.evaluator.pendingLogs()) io.out(l);
    const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    io.err(`${source}: ${msg}`);
    return { failed: 1, quit: false };
  }
}

/** Environment of {@link runCli}. */
export interface CliEnv extends RunIo {
  /** Reads a file (for `run FILE`). */
  readFile(path: string): string;
  /** Reads all of stdin (piped input). */
  readStdin(): Promise<string>;
  /** Whether stdin is a terminal (no script given → interactive). */
  stdinIsTTY: boolean;
  /** Whether stdout is a terminal (colours). */
  stdoutIsTTY: boolean;
  /** Terminal width. */
  columns?: number;
  /** Starts the interactive REPL; resolves with its exit status. */
  interactive?(opts: SessionOptions): Promise<number>;
  /** NO_COLOR and friends. */
  env?: NodeJS.ProcessEnv;
}

/** Runs the CLI. Resolves with the exit status. */
export async function runCli(argv: string[], env: CliEnv): Promise<number> {
  let args: CliArgs;
  try {
    args = parseArgs(argv);
  } catch (e) {
    env.err(`mmlab: ${(e as Error).message}`);
    return 2;
  }
  if (args.help) {
    env.out(USAGE.trimEnd());
    return 0;
  }
  if (args.version) {
    env.out('mmlab 0.1.0');
    return 0;
  }
  const e = env.env ?? {};
  const noColor = e.NO_COLOR !== undefined && e.NO_COLOR !== '';
  const color = args.color ?? (env.stdoutIsTTY && !noColor);
  const opts: SessionOptions = { config: args.config, code: args.code, timeout: args.timeout, debugVm: args.debugVm, color, width: env.columns ?? 80 };
  const scripted = args.evals.length > 0 || args.files.length > 0;
  // The REPL needs a terminal on both sides; `mmlab | less` reads commands from the keyboard as a script.
  if (!scripted && env.stdinIsTTY && env.stdoutIsTTY && env.interactive) return env.interactive(opts);
  let session: Session;
  try {
    session = new Session(opts);
  } catch (err) {
    env.err(`mmlab: ${(err as Error).message}`);
    return 2;
  }
  let failed = 0;
  if (!scripted) {
    const text = await env.readStdin();
    failed += runCommands(session, text, null, env, args.echo).failed;
    return failed ? 1 : 0;
  }
  for (const ev of args.evals) {
    const r = runCommands(session, ev, null, env, args.echo);
    failed += r.failed;
    if (r.quit) return failed ? 1 : 0;
  }
  for (const f of args.files) {
    let text: string;
    try {
      text = f === '-' ? await env.readStdin() : env.readFile(f);
    } catch (err) {
      env.err(`mmlab: cannot read ${f}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      failed++;
      continue;
    }
    const r = /\.[cm]?[tj]s$/.test(f) ? runTsFile(session, text, f, env) : runCommands(session, text, f, env, args.echo);
    failed += r.failed;
    if (r.quit) break;
  }
  return failed ? 1 : 0;
}

/** The banner of the interactive REPL. */
export function banner(session: Session): string {
  const c = session.c;
  return [
    `${c.head('mmlab')} — a Linux memory-management simulator (modelled on Linux 6.12)`,
    `machine ${machineLine(session.context())}`,
    c.dim("'help' lists commands, Tab completes, 'quit' leaves; anything else is TypeScript on `sys`"),
  ].join('\n');
}
