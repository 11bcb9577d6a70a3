/**
 * The simulator views the REPL commands share: the inspect functions of lib/mm/inspect_phys.ts
 * and a reader of /proc/meminfo.
 */
import type { System } from '../lib/index.js';
import { inspectFreeBlocks, inspectMemmap, inspectZones, pageView, type PageView } from '../lib/mm/inspect_phys.js';
import type { FreeBlock, MemmapSnapshot, ZoneSnapshot } from '../lib/view/snapshots.js';

export type { PageView };

/** inspectZones(sys): every zone's snapshot. */
export function zones(sys: System): ZoneSnapshot[] {
  return inspectZones(sys);
}

/** inspectMemmap(sys, opts). */
export function memmap(sys: System, opts: { start?: number; end?: number; cells?: number }): MemmapSnapshot {
  return inspectMemmap(sys, opts);
}

/** inspectFreeBlocks(sys, node, zoneIdx). */
export function freeBlocks(sys: System, node: number, zoneIdx: number): FreeBlock[] {
  return inspectFreeBlocks(sys, node, zoneIdx);
}

/** The decoded struct page of `pfn` (KernelError outside RAM). */
export function page(sys: System, pfn: number): PageView {
  return pageView(sys, pfn);
}

/**
 * /proc/meminfo as numbers: every `Name: value [kB]` line, in kB for sized fields and as counts
 * for the HugePages_* lines.
 */
export function meminfo(sys: System): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of sys.read('/proc/meminfo').split('\n')) {
    const m = /^([\w()]+):\s+(\d+)/.exec(line);
    if (m) out[m[1]] = Number(m[2]);
  }
  return out;
}
