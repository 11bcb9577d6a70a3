#!/usr/bin/env node
/**
 * The `mmlab` executable: the interactive REPL on a terminal, or the non-interactive runner for
 * `-e`, `run FILE` and piped input (which never loads Ink). `mmlab --help` lists the options.
 */
import { readFileSync } from 'node:fs';
import { runCli } from './cli.js';
import './commands/index.js';
import { createTerminalSession } from './tty.js';

// On a terminal without a script, start loading Ink now: its modules load (and yoga's
// WebAssembly compiles) while the machine boots.
const wantsRepl = !!process.stdin.isTTY && !process.argv.slice(2).some((a) => /^(-e|--eval|run|-h|--help|--version)$/.test(a) || !a.startsWith('-'));
const inkP = wantsRepl ? import('./interactive.js') : null;
inkP?.catch(() => {}); // reported when awaited

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

const status = await runCli(process.argv.slice(2), {
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
