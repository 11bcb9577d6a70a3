/**
 * W5 — kmalloc churn, as shared/bench/WORKLOADS.md defines it.
 *
 * Machine: x86-64, one node, 4 GiB, no swap (everything on). Live-set cap L = 100000 objects,
 * N = 10^7 operations: fill to L/2, then a random walk between kmalloc of a size from
 * [8,16,32,64,96,128,192,256,512,1024,2048,4096] with GFP_KERNEL and kfree of a random live
 * object (swap-remove). Timed: the loop only. It calls `sys.kmalloc` / `sys.kfree`, the public
 * API (SLUB fast paths, slow paths and the page allocator behind them).
 * Prints {"workload":"W5","ops":N,"seconds":S,"ops_per_s":R,"failures":F}.
 * Run: npm run bench -- W5, or node dist/test/bench/w5.js [-n OPS].
 */
import * as gen from './xorshift.js';
import { createSystem } from '../../lib/system.js';
import { GFP_KERNEL } from '../../lib/mm/gfp.js';

// The generator bound as this module's own consts, so that V8 inlines it without re-checking an
// imported binding on every iteration.
const { XORSHIFT_SEED, xorshift } = gen;

/** Runs W5 and returns its JSON record. */
export function run(ops = 10_000_000): Record<string, number | string | boolean> {
  const sys = createSystem({ arch: 'x86_64', memory: '4G', nodes: 1, swap: 0 });
  const L = 100000;
  const obj = new Float64Array(L);
  const SIZES = [8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096];
  const gfp = GFP_KERNEL;
  let live = 0;
  let failures = 0;
  let x = XORSHIFT_SEED;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < ops; i++) {
    x = xorshift(x);
    if (live < L / 2 || (live < L && (x & 1) === 0)) {
      const p = sys.kmalloc(SIZES[(x >>> 1) % 12], gfp);
      if (p !== null) obj[live++] = p;
      else failures++;
    } else {
      const j = (x >>> 4) % live;
      sys.kfree(obj[j]);
      obj[j] = obj[--live];
    }
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { workload: 'W5', ops, seconds: Number(seconds.toFixed(6)), ops_per_s: Math.round(ops / seconds), failures };
}

if (process.argv[1] && /w5\.js$/.test(process.argv[1])) {
  const i = process.argv.indexOf('-n');
  console.log(JSON.stringify(run(i > 0 ? Number(process.argv[i + 1]) : undefined)));
}
