/**
 * The prompt's history, persisted across runs: one line per entry in ~/.mmlab_history (or the
 * file named by MMLAB_HISTFILE; an empty MMLAB_HISTFILE keeps history in memory only).
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Entries kept in the file. */
export const HISTORY_MAX = 1000;

/** The history file for an environment, or null for none. */
export function historyFile(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.MMLAB_HISTFILE !== undefined) return env.MMLAB_HISTFILE || null;
  return join(homedir(), '.mmlab_history');
}

/** A history list backed by a file. */
export class History {
  /** Entries, oldest first. */
  readonly entries: string[];
  private readonly file: string | null;

  constructor(file: string | null) {
    this.file = file;
    this.entries = [];
    if (file) {
      try {
        const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim());
        this.entries = lines.slice(-HISTORY_MAX);
        if (lines.length > 2 * HISTORY_MAX) writeFileSync(file, this.entries.join('\n') + '\n');
      } catch {
        // no history yet
      }
    }
  }

  /** Adds a line (not an empty one, nor a repeat of the last). */
  add(line: string): void {
    const l = line.replace(/[\r\n]+/g, ' ');
    if (!l.trim() || this.entries[this.entries.length - 1] === l) return;
    this.entries.push(l);
    if (this.entries.length > HISTORY_MAX) this.entries.shift();
    if (this.file) {
      try {
        appendFileSync(this.file, l + '\n');
      } catch {
        // an unwritable history file is not worth an error
      }
    }
  }
}
