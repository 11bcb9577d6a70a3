/**
 * The simulated /proc and /sys: a table from paths to text generators.
 *
 * Mirrors: fs/proc/generic.c (proc_create_single), fs/proc/base.c (per-pid directories).
 * Models: each subsystem registers the files it owns; `sys.read(path)` produces the text
 * from the live state, as the kernel's show functions do. Per-process files
 * (`/proc/<pid>/maps`) are served by pattern handlers.
 * Simplifies: read-only, whole-file reads; writes go through `sys.sysctl` or subsystem APIs.
 */
import { KernelError } from '../base/errors.js';

/** A generator of one file's text. */
export type ProcShow = () => string;
/** A handler for a family of paths; returns undefined when the path is not its own. */
export type ProcPattern = (path: string) => string | undefined;

/** The table of readable files. One per System. */
export class ProcFs {
  private files = new Map<string, ProcShow>();
  private patterns: { prefix: string; handler: ProcPattern; example: string }[] = [];

  /** Registers a file. A second registration of the same path replaces the first. */
  register(path: string, show: ProcShow): void {
    this.files.set(path, show);
  }
  /** Registers a handler for paths under `prefix` (e.g. '/proc/' for /proc/<pid>/maps). */
  registerPattern(prefix: string, example: string, handler: ProcPattern): void {
    this.patterns.push({ prefix, handler, example });
  }
  /** The file's text; a KernelError (ENOENT) when no such file exists. */
  read(path: string): string {
    const p = path.trim().replace(/\/+$/, '');
    const f = this.files.get(p);
    if (f) return f();
    for (const { prefix, handler } of this.patterns) {
      if (p.startsWith(prefix)) {
        const text = handler(p);
        if (text !== undefined) return text;
      }
    }
    throw new KernelError(`cat: ${path}: No such file or directory`, 'ENOENT');
  }
  /** True when `read(path)` would find a file. */
  exists(path: string): boolean {
    try {
      this.read(path);
      return true;
    } catch {
      return false;
    }
  }
  /** Every fixed path, sorted, plus the examples of the pattern families. */
  list(): string[] {
    return [...this.files.keys(), ...this.patterns.map((p) => p.example)].sort();
  }
}
