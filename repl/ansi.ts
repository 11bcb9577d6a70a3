/**
 * Terminal colours for REPL output.
 *
 * The palette avoids white, black, blue and yellow text so that it reads on dark and on light
 * backgrounds: emphasis is bold, values are cyan, good news green, warnings magenta, errors red,
 * secondary text dim. With `enabled` false every function returns its text unchanged (pipes,
 * files, tests, NO_COLOR).
 */

/** A set of colouring functions, on or off. */
export interface Ansi {
  /** True when the functions add escape codes. */
  readonly enabled: boolean;
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  cyan(s: string): string;
  magenta(s: string): string;
  /** Bold red: error labels. */
  err(s: string): string;
  /** Bold cyan: headings. */
  head(s: string): string;
}

const wrap = (open: string, close: string) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;

const ON: Ansi = {
  enabled: true,
  bold: wrap('1', '22'),
  dim: wrap('2', '22'),
  red: wrap('31', '39'),
  green: wrap('32', '39'),
  cyan: wrap('36', '39'),
  magenta: wrap('35', '39'),
  err: (s) => `\x1b[1;31m${s}\x1b[22;39m`,
  head: (s) => `\x1b[1;36m${s}\x1b[22;39m`,
};

const id = (s: string) => s;
const OFF: Ansi = { enabled: false, bold: id, dim: id, red: id, green: id, cyan: id, magenta: id, err: id, head: id };

/** The colour functions, enabled or not. */
export function ansi(enabled: boolean): Ansi {
  return enabled ? ON : OFF;
}

// eslint-disable-next-line no-control-regex
const SGR = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** Removes ANSI escape sequences (for width computations and plain output). */
export function stripAnsi(s: string): string {
  return s.replace(SGR, '');
}

/**
 * Whether to colour output written to `stream`: a TTY, and neither NO_COLOR nor
 * FORCE_COLOR=0 set (FORCE_COLOR=1 colours even a pipe).
 */
export function wantColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return !!stream.isTTY;
}
