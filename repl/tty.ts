/**
 * The interactive session's terminal plumbing that does not need Ink: while TypeScript runs,
 * the terminal leaves raw mode so that Ctrl-C is a SIGINT, which `breakOnSigint` turns into an
 * interrupted evaluation (the REPL keeps running).
 */
import { Session, type SessionOptions } from './session.js';

const ignoreSigint = () => {};

/** A session for the process's terminal (width from stdout, Ctrl-C interrupts TypeScript). */
export function createTerminalSession(opts: SessionOptions): Session {
  const stdin = process.stdin;
  return new Session({
    ...opts,
    width: process.stdout.columns || 80,
    breakOnSigint: true,
    onLongWork: {
      start() {
        if (stdin.isTTY) {
          process.on('SIGINT', ignoreSigint);
          stdin.setRawMode(false);
        }
      },
      end() {
        if (stdin.isTTY) {
          stdin.setRawMode(true);
          process.off('SIGINT', ignoreSigint);
        }
      },
    },
  });
}
