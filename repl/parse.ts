/**
 * Parsing of REPL input: words with shell-like quoting, splitting a line into commands at `;`,
 * numbers as C writes them, and the edit distance behind "did you mean".
 */
import { parseAddr } from '../lib/base/format.js';

/** A mistake in how a command was typed: printed as one line plus the command's usage. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * Splits a command line into words. Single and double quotes group words; a backslash escapes
 * the next character outside single quotes. An unterminated quote is a {@link UsageError}.
 */
export function splitWords(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote) {
      if (ch === quote) quote = null;
      else if (ch === '\\' && quote === '"' && i + 1 < line.length) cur += line[++i];
      else cur += ch;
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < line.length) {
      cur += line[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += ch;
      inWord = true;
    }
  }
  if (quote) throw new UsageError(`unterminated ${quote === '"' ? 'double' : 'single'} quote`);
  if (inWord) out.push(cur);
  return out;
}

/** Splits at `;` outside quotes (the pieces are trimmed; empty pieces are dropped). */
export function splitStatements(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote) {
      if (ch === '\\' && i + 1 < line.length) {
        cur += ch + line[++i];
        continue;
      }
      if (ch === quote) quote = null;
      cur += ch;
    } else if (ch === '"' || ch === "'" || ch === '`') {
      quote = ch;
      cur += ch;
    } else if (ch === ';') {
      if (cur.trim()) out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

/**
 * Parses a non-negative integer written in decimal or hex (`4096`, `0x1000`, `1_000`); `what`
 * names the argument in the error.
 */
export function parseUint(text: string | undefined, what: string, max = Number.MAX_SAFE_INTEGER): number {
  if (text === undefined) throw new UsageError(`missing ${what}`);
  const t = text.replace(/_/g, '');
  if (!/^(0x[0-9a-f]+|\d+)$/i.test(t)) throw new UsageError(`${what}: '${text}' is not a non-negative integer`);
  const n = Number(t);
  if (!Number.isSafeInteger(n) || n > max) throw new UsageError(`${what}: ${text} is out of range (0..${max})`);
  return n;
}

/**
 * Parses an address word as crash reads it: `0x`-prefixed hex, decimal, or hex without the
 * prefix when it has a letter a–f (`ffff888100042000`, as `kmem -S` and `kmem -s` print
 * addresses). Throws parseAddr's RangeError for anything else.
 */
export function parseAddrWord(word: string): number {
  const t = /^[0-9a-f]+$/i.test(word) && /[a-f]/i.test(word) ? '0x' + word : word;
  return parseAddr(t);
}

/** Levenshtein distance (for "did you mean"). */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  if (Math.abs(m - n) > 8) return Math.abs(m - n);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = [i];
    for (let j = 1; j <= n; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[n];
}

/** The candidates closest to `word` (distance at most max(1, len/3)), best first. */
export function closest(word: string, candidates: Iterable<string>, limit = 3): string[] {
  const w = word.toLowerCase();
  const max = Math.max(1, Math.floor(w.length / 3));
  const scored: [string, number][] = [];
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase());
    if (d <= max || (w.length >= 3 && c.startsWith(w))) scored.push([c, d]);
  }
  scored.sort((x, y) => x[1] - y[1] || x[0].localeCompare(y[0]));
  return scored.slice(0, limit).map(([c]) => c);
}
