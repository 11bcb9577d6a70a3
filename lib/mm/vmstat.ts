/**
 * Memory counters: the zone, NUMA, node and event counters behind /proc/vmstat,
 * /proc/zoneinfo, /proc/meminfo and the per-node sysfs files.
 *
 * Mirrors: include/linux/mmzone.h (enum zone_stat_item, enum numa_stat_item,
 * enum node_stat_item), include/linux/vmstat.h (enum vm_stat_item), include/linux/vm_event_item.h
 * (enum vm_event_item), mm/vmstat.c (vmstat_text, the order /proc/vmstat prints).
 * Models: every counter the kernel prints, kept where the kernel keeps it: zone items per zone
 * (`nr_free_pages`), NUMA events per zone (`numa_hit`), node items per node (`nr_anon_pages`,
 * `nr_slab_unreclaimable_B`, `nr_page_table_pages`), events machine-wide (`pgfault`). /proc/vmstat
 * prints the sums. Counters are stored in Float64Arrays, addressed by a numeric index so that hot
 * paths pay one array store: look the index up once with {@link VmStat.id}.
 * The configuration assumed (it decides which names exist), an x86-64 defconfig-like build:
 * CONFIG_NUMA, CONFIG_SWAP, CONFIG_COMPACTION, CONFIG_MIGRATION, CONFIG_TRANSPARENT_HUGEPAGE
 * (with PUD support on x86-64), CONFIG_NUMA_BALANCING, CONFIG_HUGETLB_PAGE, CONFIG_IOMMU_SUPPORT,
 * CONFIG_ZONE_DMA, CONFIG_ZONE_DMA32 (x86-64) or CONFIG_HIGHMEM (i386) on; CONFIG_ZSMALLOC,
 * CONFIG_UNACCEPTED_MEMORY, CONFIG_SHADOW_CALL_STACK, CONFIG_CMA, CONFIG_MEMORY_BALLOON,
 * CONFIG_DEBUG_TLBFLUSH, CONFIG_KSM, CONFIG_ZSWAP, CONFIG_ZONE_DEVICE, CONFIG_PER_VMA_LOCK_STATS and
 * CONFIG_DEBUG_STACK_USAGE off.
 * Units as in the kernel: `nr_slab_reclaimable_B`/`nr_slab_unreclaimable_B` are bytes (printed in
 * /proc/vmstat as pages under the names without `_B`), `nr_kernel_stack` is KiB, every other
 * item is pages or events. THP items (`nr_anon_transparent_hugepages`, ...) are stored in pages and
 * printed in huge pages, as the kernel does.
 * Simplifies: no per-CPU differentials (vm_stat_diff) and thresholds: every update goes straight
 * to the counter, so values are always exact (the kernel's are exact only after a fold).
 * See: chapter 02 (nodes, zones, GFP), chapter 03 (the buddy allocator).
 */
import { MAX_NR_ZONES } from './gfp.js';

/** Where a counter lives. */
export type VmStatKind = 'zone' | 'numa' | 'node' | 'global' | 'event';

/** zone_stat_item names (x86-64 defconfig-like: no ZSMALLOC, no UNACCEPTED_MEMORY). */
export const ZONE_STAT_ITEMS: readonly string[] = [
  'nr_free_pages', 'nr_zone_inactive_anon', 'nr_zone_active_anon', 'nr_zone_inactive_file',
  'nr_zone_active_file', 'nr_zone_unevictable', 'nr_zone_write_pending', 'nr_mlock', 'nr_bounce',
  'nr_free_cma',
];

/** numa_stat_item names (CONFIG_NUMA). */
export const NUMA_STAT_ITEMS: readonly string[] = ['numa_hit', 'numa_miss', 'numa_foreign', 'numa_interleave', 'numa_local', 'numa_other'];

/**
 * node_stat_item names as /proc/vmstat prints them, except that the two slab items carry the
 * kernel's `_B` suffix (they are bytes; /proc/vmstat drops the suffix and prints pages).
 */
export const NODE_STAT_ITEMS: readonly string[] = [
  'nr_inactive_anon', 'nr_active_anon', 'nr_inactive_file', 'nr_active_file', 'nr_unevictable',
  'nr_slab_reclaimable_B', 'nr_slab_unreclaimable_B', 'nr_isolated_anon', 'nr_isolated_file',
  'workingset_nodes', 'workingset_refault_anon', 'workingset_refault_file', 'workingset_activate_anon',
  'workingset_activate_file', 'workingset_restore_anon', 'workingset_restore_file', 'workingset_nodereclaim',
  'nr_anon_pages', 'nr_mapped', 'nr_file_pages', 'nr_dirty', 'nr_writeback', 'nr_writeback_temp',
  'nr_shmem', 'nr_shmem_hugepages', 'nr_shmem_pmdmapped', 'nr_file_hugepages', 'nr_file_pmdmapped',
  'nr_anon_transparent_hugepages', 'nr_vmscan_write', 'nr_vmscan_immediate_reclaim', 'nr_dirtied',
  'nr_written', 'nr_throttled_written', 'nr_kernel_misc_reclaimable', 'nr_foll_pin_acquired',
  'nr_foll_pin_released', 'nr_kernel_stack', 'nr_page_table_pages', 'nr_sec_page_table_pages',
  'nr_iommu_pages', 'nr_swapcached', 'pgpromote_success', 'pgpromote_candidate', 'pgdemote_kswapd',
  'pgdemote_direct', 'pgdemote_khugepaged',
];

/** Node items counted in bytes (vmstat_item_in_bytes). */
const BYTES_ITEMS = new Set(['nr_slab_reclaimable_B', 'nr_slab_unreclaimable_B']);
/** Node items printed in huge pages (vmstat_item_print_in_thp). */
const THP_ITEMS = new Set(['nr_shmem_hugepages', 'nr_shmem_pmdmapped', 'nr_file_hugepages', 'nr_file_pmdmapped', 'nr_anon_transparent_hugepages']);

/** vm_stat_item names: machine-wide values. */
export const GLOBAL_STAT_ITEMS: readonly string[] = ['nr_dirty_threshold', 'nr_dirty_background_threshold', 'nr_memmap_pages', 'nr_memmap_boot_pages'];

/** The per-zone event names for an architecture (`TEXTS_FOR_ZONES`). */
function zoneTexts(prefix: string, arch: 'x86_64' | 'i386'): string[] {
  return arch === 'x86_64'
    ? [`${prefix}_dma`, `${prefix}_dma32`, `${prefix}_normal`, `${prefix}_movable`]
    : [`${prefix}_dma`, `${prefix}_normal`, `${prefix}_high`, `${prefix}_movable`];
}

/** vm_event_item names in vmstat_text order for an architecture. */
export function vmEventNames(arch: 'x86_64' | 'i386'): string[] {
  return [
    'pgpgin', 'pgpgout', 'pswpin', 'pswpout',
    ...zoneTexts('pgalloc', arch), ...zoneTexts('allocstall', arch), ...zoneTexts('pgskip', arch),
    'pgfree', 'pgactivate', 'pgdeactivate', 'pglazyfree', 'pgfault', 'pgmajfault', 'pglazyfreed',
    'pgrefill', 'pgreuse', 'pgsteal_kswapd', 'pgsteal_direct', 'pgsteal_khugepaged', 'pgscan_kswapd',
    'pgscan_direct', 'pgscan_khugepaged', 'pgscan_direct_throttle', 'pgscan_anon', 'pgscan_file',
    'pgsteal_anon', 'pgsteal_file', 'zone_reclaim_success', 'zone_reclaim_failed', 'pginodesteal',
    'slabs_scanned', 'kswapd_inodesteal', 'kswapd_low_wmark_hit_quickly', 'kswapd_high_wmark_hit_quickly',
    'pageoutrun', 'pgrotated', 'drop_pagecache', 'drop_slab', 'oom_kill',
    'numa_pte_updates', 'numa_huge_pte_updates', 'numa_hint_faults', 'numa_hint_faults_local', 'numa_pages_migrated',
    'pgmigrate_success', 'pgmigrate_fail', 'thp_migration_success', 'thp_migration_fail', 'thp_migration_split',
    'compact_migrate_scanned', 'compact_free_scanned', 'compact_isolated', 'compact_stall', 'compact_fail',
    'compact_success', 'compact_daemon_wake', 'compact_daemon_migrate_scanned', 'compact_daemon_free_scanned',
    'htlb_buddy_alloc_success', 'htlb_buddy_alloc_fail',
    'unevictable_pgs_culled', 'unevictable_pgs_scanned', 'unevictable_pgs_rescued', 'unevictable_pgs_mlocked',
    'unevictable_pgs_munlocked', 'unevictable_pgs_cleared', 'unevictable_pgs_stranded',
    'thp_fault_alloc', 'thp_fault_fallback', 'thp_fault_fallback_charge', 'thp_collapse_alloc',
    'thp_collapse_alloc_failed', 'thp_file_alloc', 'thp_file_fallback', 'thp_file_fallback_charge',
    'thp_file_mapped', 'thp_split_page', 'thp_split_page_failed', 'thp_deferred_split_page',
    'thp_underused_split_page', 'thp_split_pmd', 'thp_scan_exceed_none_pte', 'thp_scan_exceed_swap_pte',
    'thp_scan_exceed_share_pte', ...(arch === 'x86_64' ? ['thp_split_pud'] : []), 'thp_zero_page_alloc',
    'thp_zero_page_alloc_failed', 'thp_swpout', 'thp_swpout_fallback',
    'swap_ra', 'swap_ra_hit', 'swpin_zero', 'swpout_zero',
    'direct_map_level2_splits', 'direct_map_level3_splits',
  ];
}

/** Something that names a zone: a zone object with a global id, or that id (nid * MAX_NR_ZONES + zone index). */
export type ZoneRef = number | { readonly id: number };

/**
 * The counters of one System. Index space: [zone items][numa items][node items][global items][events],
 * the order /proc/vmstat prints. `id(name)` gives a counter's index; the `*_idx` methods take it.
 */
export class VmStat {
  /** Every counter name in /proc/vmstat order (slab items with their `_B` suffix). */
  readonly names: readonly string[];
  /** Kind of each counter, by index. */
  readonly kinds: readonly VmStatKind[];
  /** Number of nodes. */
  readonly nr_nodes: number;
  /** Zone items, [zoneId * NR_ZONE_ITEMS + item]. */
  readonly zoneVals: Float64Array;
  /** NUMA events, [zoneId * NR_NUMA_ITEMS + item]. */
  readonly numaVals: Float64Array;
  /** Node items, [nid * NR_NODE_ITEMS + item]. */
  readonly nodeVals: Float64Array;
  /** vm_stat_item values (set by their owners; dirty thresholds may be computed by a hook). */
  readonly globalVals: Float64Array;
  /** Event counters, [item]. */
  readonly events: Float64Array;
  /** Hooks computing a global item on read (e.g. `nr_dirty_threshold` from the writeback code). */
  readonly globalHooks: Record<string, () => number> = {};
  /** First index of each kind. */
  readonly ZONE0 = 0;
  readonly NUMA0: number;
  readonly NODE0: number;
  readonly GLOBAL0: number;
  readonly EVENT0: number;
  private index = new Map<string, number>();

  constructor(arch: 'x86_64' | 'i386', nr_nodes: number) {
    this.nr_nodes = nr_nodes;
    const ev = vmEventNames(arch);
    this.names = [...ZONE_STAT_ITEMS, ...NUMA_STAT_ITEMS, ...NODE_STAT_ITEMS, ...GLOBAL_STAT_ITEMS, ...ev];
    this.NUMA0 = ZONE_STAT_ITEMS.length;
    this.NODE0 = this.NUMA0 + NUMA_STAT_ITEMS.length;
    this.GLOBAL0 = this.NODE0 + NODE_STAT_ITEMS.length;
    this.EVENT0 = this.GLOBAL0 + GLOBAL_STAT_ITEMS.length;
    const kinds: VmStatKind[] = [];
    this.names.forEach((n, i) => {
      this.index.set(n, i);
      kinds.push(i < this.NUMA0 ? 'zone' : i < this.NODE0 ? 'numa' : i < this.GLOBAL0 ? 'node' : i < this.EVENT0 ? 'global' : 'event');
    });
    this.index.set('nr_slab_reclaimable', this.index.get('nr_slab_reclaimable_B')!);
    this.index.set('nr_slab_unreclaimable', this.index.get('nr_slab_unreclaimable_B')!);
    this.kinds = kinds;
    const nz = nr_nodes * MAX_NR_ZONES;
    this.zoneVals = new Float64Array(nz * ZONE_STAT_ITEMS.length);
    this.numaVals = new Float64Array(nz * NUMA_STAT_ITEMS.length);
    this.nodeVals = new Float64Array(nr_nodes * NODE_STAT_ITEMS.length);
    this.globalVals = new Float64Array(GLOBAL_STAT_ITEMS.length);
    this.events = new Float64Array(ev.length);
  }

  /** The index of a counter; a RangeError naming it when it does not exist. */
  id(name: string): number {
    const i = this.index.get(name);
    if (i === undefined) throw new RangeError(`vmstat: no counter named '${name}'`);
    return i;
  }

  /** True when a counter of this name exists. */
  has(name: string): boolean {
    return this.index.has(name);
  }

  /** Kind of a counter by name. */
  kind(name: string): VmStatKind {
    return this.kinds[this.id(name)];
  }

  /** Counts an event (`count_vm_events`). For zone or node items use mod_zone / mod_node. */
  inc(name: string, n = 1): void {
    this.add(name, n);
  }

  /** Adds `delta` to an event or global counter. Zone and node items need their zone or node. */
  add(name: string, delta: number): void {
    const i = this.id(name);
    const k = this.kinds[i];
    if (k === 'event') this.events[i - this.EVENT0] += delta;
    else if (k === 'global') this.globalVals[i - this.GLOBAL0] += delta;
    else throw new RangeError(`vmstat: '${name}' is a ${k} counter: use mod_${k === 'node' ? 'node(nid' : 'zone(zone'}, '${name}', delta)`);
  }

  /** Adds `delta` to a node counter (`mod_node_page_state`). */
  mod_node(nid: number, name: string, delta: number): void {
    const i = this.id(name);
    if (this.kinds[i] !== 'node') throw new RangeError(`vmstat: '${name}' is not a node counter`);
    if (!(nid >= 0 && nid < this.nr_nodes)) throw new RangeError(`vmstat: no node ${nid}`);
    this.nodeVals[nid * NODE_STAT_ITEMS.length + (i - this.NODE0)] += delta;
  }

  /** Adds `delta` to a zone counter (`mod_zone_page_state`) or a zone's NUMA event. */
  mod_zone(zone: ZoneRef, name: string, delta: number): void {
    const z = typeof zone === 'number' ? zone : zone.id;
    const i = this.id(name);
    if (this.kinds[i] === 'zone') this.zoneVals[z * ZONE_STAT_ITEMS.length + i] += delta;
    else if (this.kinds[i] === 'numa') this.numaVals[z * NUMA_STAT_ITEMS.length + (i - this.NUMA0)] += delta;
    else throw new RangeError(`vmstat: '${name}' is not a zone counter`);
  }

  /** Fast form of mod_node with a cached index. */
  mod_node_idx(nid: number, idx: number, delta: number): void {
    this.nodeVals[nid * NODE_STAT_ITEMS.length + (idx - this.NODE0)] += delta;
  }

  /** Fast form of mod_zone for zone items, with a cached index. */
  mod_zone_idx(zoneId: number, idx: number, delta: number): void {
    this.zoneVals[zoneId * ZONE_STAT_ITEMS.length + idx] += delta;
  }

  /** Fast form of inc for events, with a cached index. */
  count_event_idx(idx: number, n: number): void {
    this.events[idx - this.EVENT0] += n;
  }

  /** A zone counter (or NUMA event) of one zone. */
  zone(zone: ZoneRef, name: string): number {
    const z = typeof zone === 'number' ? zone : zone.id;
    const i = this.id(name);
    if (this.kinds[i] === 'zone') return this.zoneVals[z * ZONE_STAT_ITEMS.length + i];
    if (this.kinds[i] === 'numa') return this.numaVals[z * NUMA_STAT_ITEMS.length + (i - this.NUMA0)];
    throw new RangeError(`vmstat: '${name}' is not a zone counter`);
  }

  /** A node counter of one node. */
  node(nid: number, name: string): number {
    const i = this.id(name);
    if (this.kinds[i] !== 'node') throw new RangeError(`vmstat: '${name}' is not a node counter`);
    return this.nodeVals[nid * NODE_STAT_ITEMS.length + (i - this.NODE0)];
  }

  /** The machine-wide value of a counter (sum over zones or nodes), in its stored unit. */
  get(name: string): number {
    return this.valueAt(this.id(name));
  }

  private valueAt(i: number): number {
    const k = this.kinds[i];
    if (k === 'event') return this.events[i - this.EVENT0];
    if (k === 'global') {
      const hook = this.globalHooks[this.names[i]];
      return hook ? hook() : this.globalVals[i - this.GLOBAL0];
    }
    let s = 0;
    if (k === 'zone') {
      const n = ZONE_STAT_ITEMS.length;
      for (let z = 0; z < this.nr_nodes * MAX_NR_ZONES; z++) s += this.zoneVals[z * n + i];
    } else if (k === 'numa') {
      const n = NUMA_STAT_ITEMS.length;
      for (let z = 0; z < this.nr_nodes * MAX_NR_ZONES; z++) s += this.numaVals[z * n + i - this.NUMA0];
    } else {
      const n = NODE_STAT_ITEMS.length;
      for (let nid = 0; nid < this.nr_nodes; nid++) s += this.nodeVals[nid * n + i - this.NODE0];
    }
    return s;
  }

  /** A node item's value in pages as the kernel prints it (bytes items shifted, THP items in huge pages). */
  static printNode(name: string, v: number): number {
    if (BYTES_ITEMS.has(name)) return Math.floor(v / 4096);
    if (THP_ITEMS.has(name)) return Math.floor(v / 512);
    return v;
  }

  /** The printed name of an item (`nr_slab_reclaimable_B` prints as `nr_slab_reclaimable`). */
  static printName(name: string): string {
    return name.endsWith('_B') ? name.slice(0, -2) : name;
  }

  /** The text of /proc/vmstat (`vmstat_show`): one `name value` line per counter. */
  procText(): string {
    const out: string[] = [];
    for (let i = 0; i < this.names.length; i++) {
      const name = this.names[i];
      let v = this.valueAt(i);
      if (this.kinds[i] === 'node') v = VmStat.printNode(name, v);
      out.push(`${VmStat.printName(name)} ${Math.max(0, Math.floor(v))}`);
    }
    return out.join('\n') + '\n';
  }

  /** All counters as a name → value record (machine-wide sums), for snapshots. */
  snapshot(): Record<string, number> {
    const r: Record<string, number> = {};
    for (let i = 0; i < this.names.length; i++) r[this.names[i]] = this.valueAt(i);
    return r;
  }
}
