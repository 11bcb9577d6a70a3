/**
 * Tab completion: command names, their options and arguments (each command's completer:
 * sysctl names, presets, /proc paths, GFP flags, handles ...), and in TypeScript the members
 * of `sys.` (or of any dotted path of plain names) and the names in scope.
 */
import { splitWords } from './parse.js';
import type { Session } from './session.js';

/** The result of completing a line. */
export interface Completion {
  /** The line with the word under the cursor extended (to the single match or the common prefix). */
  line: string;
  /** Every candidate for the word (shown when there are several). */
  candidates: string[];
}

/** Longest common prefix of words. */
export function commonPrefix(words: string[]): string {
  if (!words.length) return '';
  let p = words[0];
  for (const w of words) while (!w.startsWith(p)) p = p.slice(0, -1);
  return p;
}

/** Own and inherited property names of a value (no Object.prototype, no private `_`/`#` names first). */
export function memberNames(v: unknown): string[] {
  if (v === null || v === undefined) return [];
  const out = new Set<string>();
  let o: object | null = typeof v === 'object' || typeof v === 'function' ? (v as object) : Object(v);
  while (o && o !== Object.prototype && o !== Function.prototype) {
    for (const k of Object.getOwnPropertyNames(o)) if (k !== 'constructor' && !/^\d+$/.test(k)) out.add(k);
    o = Object.getPrototypeOf(o);
  }
  return [...out].sort((a, b) => Number(a.startsWith('_')) - Number(b.startsWith('_')) || a.localeCompare(b));
}

function finish(line: string, start: number, partial: string, all: string[], addSpace: boolean): Completion {
  const candidates = [...new Set(all.filter((c) => c.startsWith(partial)))].sort();
  if (!candidates.length) return { line, candidates };
  if (candidates.length === 1) {
    const c = candidates[0];
    const space = addSpace && !c.endsWith('/') && !c.endsWith('|') ? ' ' : '';
    return { line: line.slice(0, start) + c + space, candidates };
  }
  const p = commonPrefix(candidates);
  return { line: line.slice(0, start) + (p.length > partial.length ? p : partial), candidates };
}

/** Completes `line` (the cursor is at its end). Never throws. */
export function complete(line: string, session: Session): Completion {
  try {
    return completeInner(line, session);
  } catch {
    return { line, candidates: [] };
  }
}

function completeInner(line: string, session: Session): Completion {
  const reg = session.registry;
  // The statement being typed is the text after the last ';' (when the line starts with a command).
  const semi = line.lastIndexOf(';');
  const stmtStart = semi >= 0 && reg.get(line.trimStart().split(/\s/)[0]) ? semi + 1 : 0;
  const stmt = line.slice(stmtStart);
  const lead = stmt.length - stmt.trimStart().length;
  const body = stmt.trimStart();
  const firstWord = /^\S*/.exec(body)![0];
  const atFirstWord = firstWord.length === body.length;
  const cmd = reg.get(firstWord);

  if (!atFirstWord && cmd) {
    let words: string[];
    try {
      words = splitWords(body);
    } catch {
      return { line, candidates: [] };
    }
    const endsWithSpace = /\s$/.test(body);
    const partial = endsWithSpace ? '' : (words.pop() ?? '');
    const args = words.slice(1);
    const start = line.length - partial.length;
    const cands = cmd.complete ? cmd.complete(args, partial, { sys: session.sys, session }) : (cmd.options ?? []).map((o) => o.flag.split(/\s/)[0]);
    return finish(line, start, partial, cands, true);
  }

  // TypeScript: a dotted path under the cursor completes members; a bare word completes commands and names.
  const m = /([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\.([\w$]*)$/.exec(line);
  if (m) {
    const obj = resolvePath(session, m[1]);
    const start = line.length - m[2].length;
    return finish(line, start, m[2], memberNames(obj), false);
  }
  const w = /[A-Za-z_$][\w$]*$/.exec(line);
  const partial = w ? w[0] : '';
  const start = line.length - partial.length;
  const names = [...Object.keys(session.evaluator.context)];
  const isFirst = stmtStart + lead + partial.length === line.length;
  return finish(line, start, partial, isFirst ? [...reg.words(), ...names] : names, isFirst);
}

/** The value of a dotted path of plain names in the TypeScript scope (no calls, no getters run twice). */
function resolvePath(session: Session, path: string): unknown {
  const parts = path.split('.');
  const ctx = session.evaluator.context as Record<string, unknown>;
  let v: unknown = parts[0] in ctx ? ctx[parts[0]] : undefined;
  for (const p of parts.slice(1)) {
    if (v === null || v === undefined) return undefined;
    v = (v as Record<string, unknown>)[p];
  }
  return v;
}
