/**
 * The simulated clock: `jiffies` and nanoseconds.
 *
 * Mirrors: kernel/time/jiffies.c, include/linux/jiffies.h (HZ, jiffies, INITIAL_JIFFIES).
 * Models: a tick counter advanced by `tick(n)` and a nanosecond clock advanced both by ticks
 * and by the costs of simulated work (the cost model charges TLB misses, walks, faults, I/O).
 * Simplifies: HZ is fixed at 250 (CONFIG_HZ_250, Debian's default); jiffies start at 0, not at
 * INITIAL_JIFFIES (-300 s), so that traces read naturally.
 */

/** Ticks per second (CONFIG_HZ). */
export const HZ = 250;
/** Nanoseconds per jiffy. */
export const NSEC_PER_JIFFY = 1_000_000_000 / HZ;

/** Costs in simulated nanoseconds charged by simulated work (a documented cost model). */
export const COST_NS = {
  /** A TLB hit. */
  tlbHit: 1,
  /** One memory reference of a page walk (a miss in the paging-structure caches). */
  walkLevel: 20,
  /** Entering and leaving the page-fault handler, excluding any I/O. */
  fault: 1000,
  /** Reading or writing one page from or to a disk (swap, file). */
  diskPage: 100_000,
  /** Zeroing or copying one 4 KiB page. */
  pageCopy: 250,
} as const;

/** Simulated time. One per System. */
export class Clock {
  /** Ticks since boot. */
  jiffies = 0;
  /** Nanoseconds since boot (ticks plus charged costs). */
  ns = 0;
  /** Advances by `n` ticks. */
  tick(n = 1): void {
    this.jiffies += n;
    this.ns += n * NSEC_PER_JIFFY;
  }
  /** Charges `ns` nanoseconds of simulated work; jiffies follow when a tick boundary passes. */
  charge(ns: number): void {
    this.ns += ns;
    const j = Math.floor(this.ns / NSEC_PER_JIFFY);
    if (j > this.jiffies) this.jiffies = j;
  }
  /** Seconds since boot, as a float. */
  seconds(): number {
    return this.ns / 1e9;
  }
}
