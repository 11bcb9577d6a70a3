/**
 * W1 — buddy churn (page allocator), as shared/bench/WORKLOADS.md defines it.
 *
 * Machine: x86-64, one node, 4 GiB, no swap (zones, watermarks and per-cpu lists on). Live-set cap
 * L = 100000 blocks, N = 10^7 operations: fill to L/2, then a random walk between allocation
 * (orders [0,0,0,0,1,1,2,3]) and freeing a random live block. Timed: the loop only.
 * It calls `sys.buddy.alloc(GFP_KERNEL, order)` / `sys.buddy.free(pfn, order)`: the System's
 * internal fast entries, which run the same algorithm as sys.alloc_pages / sys.__free_pages
 * without building a Page object per call.
 * Prints {"workload":"W1","ops":N,"seconds":S,"ops_per_s":R,"failures":F,"free_pages_end":P}.
 * Run: npm run bench -- W1, or node dist/test/bench/w1.js [-n OPS].
 */
import { createSystem } from '../../lib/system.js';
import { GFP_KERNEL } from '../../lib/mm/gfp.js';
import * as gen from './xorshift.js';

// The generator bound as this module's own consts, so that V8 inlines it without re-checking an
// imported binding on every iteration.
const { XORSHIFT_SEED, xorshift } = gen;

/** Runs W1 and returns its JSON record. */
export function run(ops = 10_000_000): Record<string, number | string | boolean> {
  const sys = createSystem({ arch: 'x86_64', memory: '4G', nodes: 1, swap: 0 });
  const b = sys.buddy;
  const L = 100000;
  const pfns = new Int32Array(L);
  const ords = new Int8Array(L);
  const OT = [0, 0, 0, 0, 1, 1, 2, 3];
  const gfp = GFP_KERNEL;
  let live = 0;
  let failures = 0;
  let x = XORSHIFT_SEED;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < ops; i++) {
    x = xorshift(x);
    if (live < L / 2 || (live < L && (x & 1) === 0)) {
      const o = OT[(x >>> 1) & 7];
      const p = b.alloc(gfp, o);
      if (p >= 0) {
        pfns[live] = p;
        ords[live] = o;
        live++;
      } else failures++;
    } else {
      const j = (x >>> 4) % live;
      b.free(pfns[j], ords[j]);
      live--;
      pfns[j] = pfns[live];
      ords[j] = ords[live];
    }
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const free_pages_end = sys.vmstat.get('nr_free_pages');
  return { workload: 'W1', ops, seconds: Number(seconds.toFixed(6)), ops_per_s: Math.round(ops / seconds), failures, free_pages_end };
}

if (process.argv[1] && /w1\.js$/.test(process.argv[1])) {
  const i = process.argv.indexOf('-n');
  console.log(JSON.stringify(run(i > 0 ? Number(process.argv[i + 1]) : undefined)));
}
