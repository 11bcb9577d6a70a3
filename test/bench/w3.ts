/**
 * W3 — boot, as shared/bench/WORKLOADS.md defines it: create a machine and return when it is
 * ready for allocations. Cases: "16G" (16 GiB, one node) and "1T-8node" (1 TiB, 8 nodes of
 * 128 GiB). Each case runs in a fresh process (the runner spawns `node w3.js --case NAME`) and
 * prints {"workload":"W3","case":NAME,"seconds":S,"peak_rss_mb":M}, M being the process's own
 * peak resident memory (module loading included): VmHWM of /proc/self/status. Not
 * getrusage's ru_maxrss: Linux keeps the parent's high-water mark across fork and exec, so a
 * child spawned by a runner that already touched 1 GiB would report the runner's peak.
 * Run: npm run bench -- W3, or node dist/test/bench/w3.js --case 1T-8node.
 */
import { readFileSync } from 'node:fs';
import { createSystem } from '../../lib/system.js';
import { GFP_KERNEL } from '../../lib/mm/gfp.js';

/** The W3 cases and their machines. */
export const CASES: Record<string, { memory: string; nodes: number; cpus: number }> = {
  '16G': { memory: '16G', nodes: 1, cpus: 2 },
  '1T-8node': { memory: '1T', nodes: 8, cpus: 16 },
};

/** This process's peak RSS in KiB (VmHWM), falling back to getrusage off Linux. */
function peakRssKb(): number {
  try {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]);
  } catch {
    // not Linux: below
  }
  return process.resourceUsage().maxRSS;
}

/** Boots one case in this process and returns its JSON record. */
export function runCase(name: string): Record<string, number | string | boolean> {
  const c = CASES[name];
  if (!c) throw new Error(`W3: unknown case '${name}' (cases: ${Object.keys(CASES).join(', ')})`);
  const t0 = process.hrtime.bigint();
  const sys = createSystem({ arch: 'x86_64', memory: c.memory, nodes: c.nodes, cpus: c.cpus, swap: 0 });
  // Ready for allocations: one allocation and free prove it.
  const p = sys.buddy.alloc(GFP_KERNEL, 0);
  if (p < 0) throw new Error('W3: the booted machine cannot allocate');
  sys.buddy.free(p, 0);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const peak_rss_mb = Math.round(peakRssKb() / 1024);
  return { workload: 'W3', case: name, seconds: Number(seconds.toFixed(6)), peak_rss_mb };
}

if (process.argv[1] && /w3\.js$/.test(process.argv[1])) {
  const i = process.argv.indexOf('--case');
  const names = i > 0 ? [process.argv[i + 1]] : Object.keys(CASES);
  for (const n of names) console.log(JSON.stringify(runCase(n)));
}
