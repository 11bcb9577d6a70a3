/**
 * W2 — MMU translate (TLB + page walk), as shared/bench/WORKLOADS.md defines it.
 *
 * One process maps 1 GiB of private anonymous memory at 0x7f0000000000 (MAP_FIXED) and writes
 * one byte to every page (262144 write faults; not timed). Then N = 10^7 timed reads at
 * xorshift32-chosen addresses (90 % in a hot set of 64 pages), each translated by the TLB
 * (walking the 4-level tables on a miss) and the byte read from the page.
 * Prints one JSON line: {"workload":"W2","ops":N,"seconds":S,"ops_per_s":R,"tlb_hit_rate":H,
 * "l1_hit_rate":H1,"walks":W,"checked":true}. tlb_hit_rate is the first-level dTLB's rate (the
 * native reference models only that TLB, 64 entries, 4-way, LRU); the STLB's extra hits are in
 * `stlb_hits`.
 * Run: npm run bench -- W2, or node dist/test/bench/w2.js [-n OPS].
 */
import * as gen from './xorshift.js';
import { createSystem } from '../../lib/system.js';

// The generator bound as this module's own consts, so that V8 inlines it without re-checking an
// imported binding on every iteration.
const { XORSHIFT_SEED, xorshift, xorshiftU32 } = gen;

const BASE = 0x7f0000000000;
const PAGES = 262144;
const HOT = 64;

/** The byte written to page p (never 0), as the native reference writes it. */
function w2Byte(p: number): number {
  return 1 + (p % 251);
}

/** Runs W2 and returns its JSON record. */
export function run(ops = 10_000_000): Record<string, number | string | boolean> {
  const sys = createSystem({ arch: 'x86_64', memory: '4G', nodes: 1, swap: 0 });
  const t = sys.spawn('w2');
  t.mmap(BASE, PAGES * 4096, 'rw', 'private|anonymous|fixed');
  sys.flush_tlb_all();
  const one = new Uint8Array(1);
  for (let p = 0; p < PAGES; p++) {
    one[0] = w2Byte(p);
    t.write(BASE + p * 4096, one);
  }
  const st = sys.tlb.stats;
  const l1h0 = st.l1_hits;
  const l2h0 = st.l2_hits;
  const look0 = st.lookups;
  const walks0 = st.walks;
  let x = XORSHIFT_SEED;
  let sum = 0;
  let bad = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < ops; i++) {
    x = xorshift(x);
    const page = xorshiftU32(x) % 10 !== 0 ? (((x >>> 8) % HOT) * 4099) % PAGES : (x >>> 8) % PAGES;
    const off = (x >>> 4) & 0xff8;
    const b = t.readByte(BASE + page * 4096 + off);
    sum += b;
    if (off === 0 && b !== w2Byte(page)) bad++;
  }
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const lookups = st.lookups - look0;
  const l1 = (st.l1_hits - l1h0) / lookups;
  return {
    workload: 'W2',
    ops,
    seconds: Number(secs.toFixed(6)),
    ops_per_s: Math.round(ops / secs),
    tlb_hit_rate: Number(l1.toFixed(6)),
    stlb_hits: st.l2_hits - l2h0,
    walks: st.walks - walks0,
    checksum: sum,
    checked: bad === 0,
  };
}

const invoked = process.argv[1] && /w2\.(js|ts)$/.test(process.argv[1]);
if (invoked) {
  const i = process.argv.indexOf('-n');
  const n = i > 0 ? Number(process.argv[i + 1]) : 10_000_000;
  console.log(JSON.stringify(run(n)));
}
