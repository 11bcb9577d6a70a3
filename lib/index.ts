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
export { inspectZones, inspectMemmap, inspectFreeBlocks, inspectE820, inspectMemblock, inspectDeferred } from './mm/inspect_phys.js';
export type { PageView } from './mm/inspect_phys.js';
export type { MeminfoHooks } from './fs/proc_meminfo.js';
export type { E820Entry } from './arch/x86/e820.js';
// paging: page tables, MMU and TLB, tasks and VMAs, faults, vmalloc, highmem
export { Task, MmStruct, inspectAddressSpace } from './kernel/fork.js';
export type { AddressSpaceSnapshot, VmaSnapshot } from './kernel/fork.js';
export type { TranslateResult, WalkStep, AccessName } from './arch/x86/mmu.js';
export { Tlb, TLB_NR_DYN_ASIDS, DEFAULT_TLB_CONFIG } from './arch/x86/tlb.js';
export type { TlbSnapshot, TlbConfig } from './arch/x86/tlb.js';
export { GEOMETRY_I386, GEOMETRY_I386_PAE, GEOMETRY_X86_64, GEOMETRY_X86_64_LA57, pagingGeometry, decodeEntry } from './arch/x86/pgtable.js';
export type { PagingGeometry, PagingLevel, LevelName } from './arch/x86/pgtable.js';
export { PROT_NONE, PROT_READ, PROT_WRITE, PROT_EXEC, MAP_SHARED, MAP_PRIVATE, MAP_FIXED, MAP_ANONYMOUS, MAP_POPULATE, MAP_FIXED_NOREPLACE } from './mm/mmap.js';
export { SimFile } from './mm/file.js';
export type { VmallocAreaSnapshot } from './mm/vmalloc.js';
export { svgWalk, svgAddressSpace, svgTlb } from './view/svg/paging.js';
export { termWalk, termAddressSpace, termTlb } from './view/term/paging.js';
// slab: SLUB caches, kmalloc, KASAN, kmemleak, page_owner, mempool
export { KmemCache, SLAB_CONSISTENCY_CHECKS, SLAB_RED_ZONE, SLAB_POISON, SLAB_HWCACHE_ALIGN, SLAB_CACHE_DMA, SLAB_CACHE_DMA32, SLAB_STORE_USER, SLAB_PANIC, SLAB_TYPESAFE_BY_RCU, SLAB_TRACE, SLAB_NOLEAKTRACE, SLAB_NO_MERGE, SLAB_ACCOUNT, SLAB_RECLAIM_ACCOUNT, POISON_FREE, POISON_END, POISON_INUSE, SLUB_RED_ACTIVE, SLUB_RED_INACTIVE, format_slab_flags } from './mm/slab.js';
export type { SlabCtor } from './mm/slab.js';
export { SlabAllocator, ZERO_SIZE_PTR, KMALLOC_MAX_CACHE_SIZE, KMALLOC_MAX_SIZE, kmalloc_index, kmalloc_cache_name, kmalloc_type } from './mm/slab_common.js';
export type { CacheSnapshot, CacheDetail, SlabSnapshot, ObjectSnapshot, KmallocClassSnapshot, SlabInfo, SlabAddrInfo } from './mm/slab_common.js';
export type { Shrinker, ShrinkControl } from './mm/slub.js';
export { Kasan } from './mm/kasan.js';
export type { KasanReport } from './mm/kasan.js';
export { Kmemleak } from './mm/kmemleak.js';
export { PageOwner } from './mm/page_owner.js';
export { Mempool } from './mm/mempool.js';
export { svgSlabCache, svgKmallocClasses } from './view/svg/slab.js';
export { termSlabCache, termKmallocClasses } from './view/term/slab.js';
