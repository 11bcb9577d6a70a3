/**
 * The benchmark generator of shared/bench/WORKLOADS.md (xorshift32), written for speed: the
 * state is kept as a signed 32-bit integer, so V8 never converts it to a double (the seed,
 * 2463534242, is above 2^31). The bits are exactly those of the definition; callers read them
 * with `>>>` (which yields the unsigned value) and use `xorshiftU32` where they need the whole
 * unsigned number (e.g. `r % 10`).
 */

/** The initial state of WORKLOADS.md, as a signed 32-bit integer. */
export const XORSHIFT_SEED = 2463534242 | 0;

/** One step: the next state (same bits as WORKLOADS.md's next(), as a signed 32-bit integer). */
export function xorshift(x: number): number {
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  return x | 0;
}

/** The unsigned value of a state (what WORKLOADS.md's next() returns). */
export function xorshiftU32(x: number): number {
  return x >>> 0;
}
