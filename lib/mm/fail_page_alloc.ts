/**
 * Fault injection: make allocations fail on purpose, to exercise error paths.
 *
 * Mirrors: lib/fault-inject.c (struct fault_attr, should_fail_ex, fail_dump), mm/fail_page_alloc.c
 * (fail_page_alloc: ignore-gfp-wait / ignore-gfp-highmem / min-order, should_fail_alloc_page),
 * Documentation/fault-injection/fault-injection.rst (the knobs, /proc/<pid>/fail-nth).
 * Models: a {@link FaultAttr} with probability (percent), interval, times, space and a "fail the
 * Nth call" counter (the per-task fail-nth file), random choices from the System's generator, the
 * "FAULT_INJECTION: forcing a failure." report; and fail_page_alloc's filters on top. The slab
 * allocator can build its failslab on the same FaultAttr.
 * Simplifies: no task filter, no stack-trace filter, one fail-nth counter per attribute (not per task).
 * See: chapter 03 (the buddy allocator: when allocation fails).
 */
import { __GFP_DIRECT_RECLAIM, __GFP_HIGHMEM, __GFP_NOFAIL, __GFP_NOWARN } from './gfp.js';

/** What `configure` accepts. */
export interface FaultConfig {
  /** Fail the Nth call from now (1 = the next one), once; 0 = off (like /proc/self/fail-nth). */
  nth?: number;
  /** Percent chance of failing each eligible call (0..100). */
  probability?: number;
  /** Fail only every interval-th eligible call (default 1). */
  interval?: number;
  /** How many failures at most; -1 = no limit (default -1 once probability is set). */
  times?: number;
  /** Let this many bytes/pages of calls succeed first (space). */
  space?: number;
  /** Do not print the FAULT_INJECTION report. */
  verbose?: number;
  /** fail_page_alloc only: skip allocations that may sleep in reclaim (default true). */
  ignore_gfp_wait?: boolean;
  /** Alias of ignore_gfp_wait (the file's newer name). */
  ignore_gfp_reclaim?: boolean;
  /** fail_page_alloc only: skip __GFP_HIGHMEM allocations (default true). */
  ignore_gfp_highmem?: boolean;
  /** fail_page_alloc only: fail only orders >= min_order (default 1). */
  min_order?: number;
}

/** struct fault_attr. */
export class FaultAttr {
  readonly name: string;
  probability = 0;
  interval = 1;
  times = 1;
  space = 0;
  verbose = 2;
  /** Calls counted for `interval`. */
  count = 0;
  /** fail-nth: calls left until a forced failure (0 = off). */
  fail_nth = 0;
  /** Failures injected so far (ours). */
  failures = 0;
  private rand: () => number;
  private log: (line: string) => void;

  constructor(name: string, rand: () => number, log: (line: string) => void) {
    this.name = name;
    this.rand = rand;
    this.log = log;
  }

  /** True when this call must fail (`should_fail_ex`). `size` counts against `space`. */
  should_fail(size: number, nowarn: boolean): boolean {
    if (this.fail_nth > 0) {
      if (--this.fail_nth === 0) return this.fail(nowarn);
      return false;
    }
    if (this.probability === 0) return false;
    if (this.times === 0) return false;
    if (this.space > size) {
      this.space -= size;
      return false;
    }
    if (this.interval > 1) {
      this.count++;
      if (this.count % this.interval) return false;
    }
    if (this.probability <= Math.floor(this.rand() * 100)) return false;
    return this.fail(nowarn);
  }

  private fail(nowarn: boolean): boolean {
    if (!nowarn && this.verbose) {
      this.log('FAULT_INJECTION: forcing a failure.');
      this.log(`name ${this.name}, interval ${this.interval}, probability ${this.probability}, space ${this.space}, times ${this.times}`);
    }
    if (this.times !== -1 && this.times > 0) this.times--;
    this.failures++;
    return true;
  }
}

/** fail_page_alloc: a FaultAttr plus the page allocator's filters. */
export class FailPageAlloc {
  readonly attr: FaultAttr;
  ignore_gfp_reclaim = true;
  ignore_gfp_highmem = true;
  min_order = 1;
  /** True once anything could fail: lets the allocator skip the check in one branch. */
  active = false;

  constructor(rand: () => number, log: (line: string) => void) {
    this.attr = new FaultAttr('fail_page_alloc', rand, log);
  }

  /** Sets knobs; unspecified ones keep their values. Throws RangeError on a bad value. */
  configure(c: FaultConfig): void {
    const int = (k: string, v: unknown, lo: number, hi: number): number => {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) throw new RangeError(`fail_page_alloc: ${k} must be an integer in ${lo}..${hi}`);
      return v;
    };
    if (c.probability !== undefined) {
      this.attr.probability = int('probability', c.probability, 0, 100);
      if (c.times === undefined && this.attr.times === 1) this.attr.times = -1;
    }
    if (c.interval !== undefined) this.attr.interval = int('interval', c.interval, 1, 2 ** 31);
    if (c.times !== undefined) this.attr.times = int('times', c.times, -1, 2 ** 31);
    if (c.space !== undefined) this.attr.space = int('space', c.space, 0, 2 ** 31);
    if (c.verbose !== undefined) this.attr.verbose = int('verbose', c.verbose, 0, 2);
    if (c.nth !== undefined) this.attr.fail_nth = int('nth', c.nth, 0, 2 ** 31);
    if (c.ignore_gfp_wait !== undefined) this.ignore_gfp_reclaim = !!c.ignore_gfp_wait;
    if (c.ignore_gfp_reclaim !== undefined) this.ignore_gfp_reclaim = !!c.ignore_gfp_reclaim;
    if (c.ignore_gfp_highmem !== undefined) this.ignore_gfp_highmem = !!c.ignore_gfp_highmem;
    if (c.min_order !== undefined) this.min_order = int('min_order', c.min_order, 0, 10);
    this.active = this.attr.probability > 0 || this.attr.fail_nth > 0;
  }

  /** Number of failures injected so far. */
  get failures(): number {
    return this.attr.failures;
  }

  /** should_fail_alloc_page: true when this allocation must fail. */
  should_fail_alloc_page(gfp: number, order: number): boolean {
    if (order < this.min_order) return false;
    if (gfp & __GFP_NOFAIL) return false;
    if (this.ignore_gfp_highmem && gfp & __GFP_HIGHMEM) return false;
    if (this.ignore_gfp_reclaim && gfp & __GFP_DIRECT_RECLAIM) return false;
    const r = this.attr.should_fail(1 << order, (gfp & __GFP_NOWARN) !== 0);
    this.active = this.attr.probability > 0 || this.attr.fail_nth > 0;
    return r;
  }
}
