/**
 * Seeded pseudo-random generators. Every random choice in a System comes from its own
 * {@link Rng}, so the same config, seed and operations give the same event trace.
 *
 * Mirrors: nothing in the kernel (it uses get_random_*); ours.
 * xorshift32 is also the generator of shared/bench/WORKLOADS.md.
 */

/** xorshift32 exactly as WORKLOADS.md defines it (state 2463534242 by default). */
export class XorShift32 {
  /** The current 32-bit state. */
  state: number;
  constructor(seed = 2463534242) {
    this.state = seed >>> 0 || 2463534242;
  }
  /** The next 32-bit unsigned value. */
  next(): number {
    let x = this.state;
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    this.state = x;
    return x;
  }
}

/** The simulator's generator: splitmix32-seeded xorshift128, small, fast, reproducible. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  /** The seed this generator started from. */
  readonly seed: number;
  constructor(seed: number) {
    this.seed = seed >>> 0;
    let s = this.seed;
    const mix = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix() || 1;
  }
  /** A uniform 32-bit unsigned integer. */
  u32(): number {
    const t = this.a ^ (this.a << 11);
    this.a = this.b;
    this.b = this.c;
    this.c = this.d;
    this.d = (this.d ^ (this.d >>> 19) ^ (t ^ (t >>> 8))) >>> 0;
    return this.d;
  }
  /** A uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor((this.u32() / 4294967296) * n);
  }
  /** A uniform float in [0, 1). */
  float(): number {
    return this.u32() / 4294967296;
  }
  /** True with probability p. */
  chance(p: number): boolean {
    return this.float() < p;
  }
  /** One element of a non-empty array. */
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  /** The generator's state, to restore it later (undo, snapshots). */
  save(): number[] {
    return [this.a, this.b, this.c, this.d];
  }
  /** Restores a state returned by {@link Rng.save}. */
  restore(s: readonly number[]): void {
    [this.a, this.b, this.c, this.d] = s;
  }
}
