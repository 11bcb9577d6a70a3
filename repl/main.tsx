#!/usr/bin/env node
/**
 * The `mmlab` executable: the interactive REPL on a terminal, or the non-interactive runner for
 * `-e`, `run FILE` and piped input (which never loads Ink). `mmlab --help` lists the options.
 */
import { readFileSync } from 'node:fs';

/** True when the command line names no script, so a terminal gets the interactive REPL. */
function noScript(argv: string[]): boolean {
  const takesValue = new Set(['-p', '--preset', '--config', '--seed', '--timeout']);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (takesValue.has(a)) i++;
    else if (/^(-e|--eval|run|-h|--help|--version)$/.test(a) || a.startsWith('--eval=') || !a.startsWith('-')) return false;
  }
  return true;
}

// On a terminal without a script, start loading Ink first: its modules load (and yoga's
// WebAssembly compiles) while the simulator's modules load and the machine boots.
const argv = process.argv.slice(2);
const repl = !!process.stdin.isTTY && !!process.stdout.isTTY && noScript(argv);
// Ink draws only <Static> output when it believes it runs in CI (CI=true and the like); a person
// who starts the REPL on a terminal wants the prompt.
if (repl) process.env.CI = 'false';
const inkP = repl ? import('./interactive.js') : null;
inkP?.catch(() => {}); // an error is reported where it is awaited

const { runCli } = await import('./cli.js');
await import('./commands/index.js');
const { createTerminalSession } = await import('./tty.js');

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

const status = await runCli(argv, {
  out: (s) => process.stdout.write(s + '\n'),
  err: (s) => process.stderr.write(s + '\n'),
  readFile: (p) => readFileSync(p, 'utf8'),
  readStdin,
  stdinIsTTY: !!process.stdin.isTTY,
  stdoutIsTTY: !!process.stdout.isTTY,
  columns: process.stdout.columns,
  env: process.env,
  interactive: async (opts) => {
    const session = createTerminalSession(opts);
    return (await (inkP ?? import('./interactive.js'))).runInteractive(session);
  },
});
process.exitCode = status;
