/**
 * The parts of the simulator's public API (shared DESIGN.md) that the REPL commands call, typed
 * in one place, plus small readers of /proc text shared by several commands.
 */
import * as lib from '../lib/index.js';
import type { System } from '../lib/index.js';
import type { FreeBlock, MemmapSnapshot, ZoneSnapshot } from '../lib/view/snapshots.js';

/** What alloc_pages returns: at least the first pfn (and usually the order). */
export interface PageRef {
  pfn: number;
  order?: number;
}

/** The kernel-named calls and views of a System the REPL uses (DESIGN.md "Public API"). */
export interface MmApi {
  alloc_pages(gfp: number, order: number): PageRef | null;
  __free_pages(page: PageRef | number, order: number): void;
  __get_free_pages(gfp: number, order: number): number | null;
  free_pages(addr: number, order: number): void;
  page(pfn: number): object;
  vmstat: { get(name: string): number; readonly names: readonly string[] };
  dmesg: string[];
  boot_log: string[];
}

/** The system with its mm API typed. */
export function mm(sys: System): System & MmApi {
  return sys as System & MmApi;
}

type InspectFns = {
  inspectZones?: (sys: System) => ZoneSnapshot[];
  inspectMemmap?: (sys: System, opts?: { start?: number; end?: number; cells?: number }) => MemmapSnapshot;
  inspectFreeBlocks?: (sys: System, node: number, zone: string | number) => FreeBlock[];
};
const inspect = lib as unknown as InspectFns;

/** inspectZones(sys) from lib/mm/inspect_phys.ts. */
export function zones(sys: System): ZoneSnapshot[] {
  if (!inspect.inspectZones) throw new Error('inspectZones is not available in this build of lib/');
  return inspect.inspectZones(sys);
}

/** inspectMemmap(sys, opts). */
export function memmap(sys: System, opts: { start?: number; end?: number; cells?: number }): MemmapSnapshot {
  if (!inspect.inspectMemmap) throw new Error('inspectMemmap is not available in this build of lib/');
  return inspect.inspectMemmap(sys, opts);
}

/** inspectFreeBlocks(sys, node, zone). */
export function freeBlocks(sys: System, node: number, zone: string | number): FreeBlock[] {
  if (!inspect.inspectFreeBlocks) throw new Error('inspectFreeBlocks is not available in this build of lib/');
  return inspect.inspectFreeBlocks(sys, node, zone);
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
