/**
 * Sysctls: named tunables with ranges and side effects.
 *
 * Mirrors: kernel/sysctl.c (proc_dointvec_minmax and friends), mm/page_alloc.c and
 * mm/vmscan.c sysctl tables (vm.min_free_kbytes, vm.watermark_scale_factor, vm.swappiness ...).
 * Models: each subsystem registers its knobs with a range and a handler that applies the new
 * value (e.g. recomputing watermarks). Values appear as /proc/sys/vm/<name> files too.
 * Simplifies: integer knobs (vectors such as lowmem_reserve_ratio are space-separated lists).
 */
import { KernelError } from '../base/errors.js';

/** One tunable. */
export interface SysctlEntry {
  /** Dotted name, e.g. 'vm.swappiness'. */
  name: string;
  /** One line of help. */
  help: string;
  /** Current value (a number, or a list of numbers for vector knobs). */
  get(): number | number[];
  /** Applies a value already checked against min/max; may throw KernelError to refuse. */
  set(v: number | number[]): void;
  /** Inclusive range for each number. */
  min: number;
  max: number;
  /** Number of values for vector knobs (default 1). */
  length?: number;
}

/** The table of sysctls. One per System. */
export class SysctlTable {
  private entries = new Map<string, SysctlEntry>();

  /** Registers a knob (replacing one of the same name). */
  register(e: SysctlEntry): void {
    this.entries.set(e.name, e);
  }
  /** The entry, or a KernelError naming the closest names. */
  lookup(name: string): SysctlEntry {
    const key = name.replace(/\//g, '.').replace(/^\.?proc\.sys\./, '');
    const e = this.entries.get(key);
    if (!e) {
      const known = [...this.entries.keys()];
      const near = known.filter((k) => k.includes(key.split('.').pop() ?? '')).slice(0, 3);
      throw new KernelError(`sysctl: cannot stat /proc/sys/${key.replace(/\./g, '/')}: No such file or directory` +
        (near.length ? ` (did you mean ${near.join(', ')}?)` : ''), 'ENOENT');
    }
    return e;
  }
  /** Reads a value. */
  get(name: string): number | number[] {
    return this.lookup(name).get();
  }
  /**
   * Writes a value after checking it; a KernelError (EINVAL) with the accepted range when out of
   * range. Nothing changes on error.
   */
  set(name: string, value: number | number[] | string): void {
    const e = this.lookup(name);
    const len = e.length ?? 1;
    let vals: number[];
    if (typeof value === 'string') vals = value.trim().split(/\s+/).map(Number);
    else vals = Array.isArray(value) ? value : [value];
    if (vals.length !== len || vals.some((v) => !Number.isInteger(v))) {
      throw new KernelError(`sysctl: setting key "${e.name}": Invalid argument (expected ${len === 1 ? 'an integer' : `${len} integers`} in ${e.min}..${e.max})`);
    }
    for (const v of vals) {
      if (v < e.min || v > e.max) {
        throw new KernelError(`sysctl: setting key "${e.name}": Invalid argument (${v} is outside ${e.min}..${e.max})`);
      }
    }
    e.set(len === 1 ? vals[0] : vals);
  }
  /** All names, sorted. */
  names(): string[] {
    return [...this.entries.keys()].sort();
  }
  /** The text of /proc/sys/<path> for a knob: the value(s) and a newline, tab-separated for vectors. */
  procText(name: string): string {
    const v = this.get(name);
    return (Array.isArray(v) ? v.join('\t') : String(v)) + '\n';
  }
}
