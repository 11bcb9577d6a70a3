/**
 * mmlab's public API: everything notebooks, the REPL, the course and tests import.
 * See ../README.md and shared DESIGN.md for the stable names.
 */
export { createSystem, System } from './system.js';
export type { Validator } from './system.js';
export { PRESETS, DEFAULT_PRESET, resolveConfig } from './config.js';
export type { SystemConfig, ResolvedConfig, NodeConfig, ResolvedNode } from './config.js';
export { VmBugError, KernelError, ConfigError } from './base/errors.js';
export { hex, parseAddr, parseSize, humanSize } from './base/format.js';
export { XorShift32, Rng } from './base/rng.js';
export { HZ, COST_NS } from './base/clock.js';
export type { TraceEvent } from './base/trace.js';
export * from './mm/gfp.js';
export { PG, PGTY, decode_page_flags, parse_page_flags } from './mm/page_flags.js';
// physical memory core (boot, memblock, zones, buddy allocator, counters, /proc)
export type { Page, AllocHooks } from './mm/page_alloc.js';
export { Buddy, int_sqrt, min_free_kbytes_for, zone_batchsize, MAX_RECLAIM_RETRIES } from './mm/page_alloc.js';
export { Memblock, MemblockType, MEMBLOCK_ALLOC_ANYWHERE, MEMBLOCK_ALLOC_ACCESSIBLE, PHYS_ADDR_MAX, INIT_MEMBLOCK_REGIONS, NUMA_NO_NODE, MEMBLOCK_NONE, MEMBLOCK_HOTPLUG, MEMBLOCK_MIRROR, MEMBLOCK_NOMAP } from './mm/memblock.js';
export type { MemblockRegion, MemblockOptions } from './mm/memblock.js';
export { Zone, PgData, PerCpuPages, MAX_PAGE_ORDER, NR_PAGE_ORDERS, PAGE_ALLOC_COSTLY_ORDER } from './mm/mmzone.js';
export { VmStat } from './mm/vmstat.js';
export { FailPageAlloc, FaultAttr } from './mm/fail_page_alloc.js';
export type { FaultConfig } from './mm/fail_page_alloc.js';
export { inspectZones, inspectMemmap, inspectFreeBlocks, inspectE820, inspectMemblock } from './mm/inspect_phys.js';
export type { PageView } from './mm/inspect_phys.js';
export type { MeminfoHooks } from './fs/proc_meminfo.js';
export type { E820Entry } from './arch/x86/e820.js';
