/**
 * memblock: the boot-time memory allocator.
 *
 * Mirrors: mm/memblock.c (memblock_add_range, memblock_insert_region, memblock_merge_regions,
 * memblock_isolate_range, memblock_remove_range, memblock_double_array, __next_mem_range,
 * memblock_find_in_range_node, memblock_alloc_range_nid, memblock_alloc_internal),
 * include/linux/memblock.h (struct memblock, memblock_type, memblock_region, MEMBLOCK_* flags,
 * MEMBLOCK_ALLOC_ANYWHERE/ACCESSIBLE), tools/testing/memblock (its test cases run against
 * {@link Memblock} in test/memblock.test.ts).
 * Models: two sorted, minimal region arrays ("memory" and "reserved"), adding with overlap
 * handling and merging of neighbours with the same node and flags, removal with splitting,
 * array doubling (which reserves the new array in the "reserved" type itself), and allocation
 * top-down (default) or bottom-up from memory minus reserved, with node fallback.
 * Simplifies: addresses are numbers; PHYS_ADDR_MAX is 2^64 - 1 rounded to a double (2^64), so
 * sizes capped near the top of the address space are exact to the kernel's only for bases that
 * are multiples of 2^12 or coarser; arrays are JS arrays with a `max` capacity counter (the
 * doubled array's address is still found and reserved as the kernel does). Mirror and hotplug
 * flags are stored and respected in merging; MEMBLOCK_MIRROR allocation preference is not modelled.
 * See: chapter 01 (physical memory and boot).
 */
import { KernelError } from '../base/errors.js';

/** Region flags (enum memblock_flags). */
export const MEMBLOCK_NONE = 0x0;
export const MEMBLOCK_HOTPLUG = 0x1;
export const MEMBLOCK_MIRROR = 0x2;
export const MEMBLOCK_NOMAP = 0x4;
export const MEMBLOCK_DRIVER_MANAGED = 0x8;
export const MEMBLOCK_RSRV_NOINIT = 0x10;

/** The largest physical address (~0), as a double. */
export const PHYS_ADDR_MAX = 2 ** 64 - 1;
/** Allocation limit meaning "anywhere" (~0). */
export const MEMBLOCK_ALLOC_ANYWHERE = PHYS_ADDR_MAX;
/** Allocation limit meaning "up to current_limit" (0). */
export const MEMBLOCK_ALLOC_ACCESSIBLE = 0;
/** Initial capacity of each region array (INIT_MEMBLOCK_REGIONS). */
export const INIT_MEMBLOCK_REGIONS = 128;
/** "No node" (NUMA_NO_NODE). */
export const NUMA_NO_NODE = -1;
/** MAX_NUMNODES, the node id stored in an unset region. */
export const MAX_NUMNODES = 64;
/** sizeof(struct memblock_region) on 64-bit with NUMA. */
export const MEMBLOCK_REGION_SIZE = 24;

/** struct memblock_region. */
export interface MemblockRegion {
  base: number;
  size: number;
  flags: number;
  nid: number;
}

/** struct memblock_type. */
export class MemblockType {
  /** Number of regions. */
  cnt = 0;
  /** Capacity of the array. */
  max: number;
  /** Sum of region sizes. */
  total_size = 0;
  /** The regions, sorted by base (only the first `cnt` are valid). */
  regions: MemblockRegion[] = [];
  readonly name: string;
  /** Physical address of the array once it was doubled (0 = the static initial array). */
  arrayPhys = 0;
  constructor(name: string, max = INIT_MEMBLOCK_REGIONS) {
    this.name = name;
    this.max = max;
  }
  /** The valid regions (copies). */
  list(): MemblockRegion[] {
    return this.regions.slice(0, this.cnt).map((r) => ({ ...r }));
  }
}

/** Options of a standalone memblock. */
export interface MemblockOptions {
  /** SMP_CACHE_BYTES: the alignment used when a caller passes 0 (64 on x86, 32 in the kernel's test harness). */
  smpCacheBytes?: number;
  /** Page size used by array doubling (PAGE_SIZE). */
  pageSize?: number;
  /** Converts a physical address to the pointer memblock_alloc returns (default: identity). */
  phys_to_virt?: (phys: number) => number;
  /** Zeroes allocated memory (memblock_alloc is zeroing; the _raw variants are not). */
  clear?: (phys: number, size: number) => void;
  /** Receives warning lines (the kernel's WARN/dump_stack). */
  log?: (line: string) => void;
}

/**
 * struct memblock and its API. After {@link Memblock.freeze} (memblock_free_all) every mutating
 * call throws a KernelError, as the kernel discards memblock after boot.
 */
export class Memblock {
  /** Allocate bottom-up instead of top-down. */
  bottom_up = false;
  /** Allocations stay below this address. */
  current_limit = MEMBLOCK_ALLOC_ANYWHERE;
  memory = new MemblockType('memory');
  reserved = new MemblockType('reserved');
  /** memblock_allow_resize() was called. */
  can_resize = false;
  /** Set by memblock_free_all: memblock is gone. */
  frozen = false;
  private readonly smp: number;
  private readonly pageSize: number;
  private readonly toVirt: (p: number) => number;
  private readonly clearFn?: (p: number, s: number) => void;
  private readonly log: (l: string) => void;

  constructor(opts: MemblockOptions = {}) {
    this.smp = opts.smpCacheBytes ?? 64;
    this.pageSize = opts.pageSize ?? 4096;
    this.toVirt = opts.phys_to_virt ?? ((p) => p);
    this.clearFn = opts.clear;
    this.log = opts.log ?? (() => undefined);
  }

  private check(fn: string): void {
    if (this.frozen) throw new KernelError(`memblock: ${fn} called after memblock_free_all`);
  }

  /** Marks memblock as handed over: later calls throw. */
  freeze(): void {
    this.frozen = true;
  }

  /** Allows the region arrays to grow (memblock_allow_resize). */
  memblock_allow_resize(): void {
    this.check('memblock_allow_resize');
    this.can_resize = true;
  }

  /** Chooses bottom-up (true) or top-down allocation. */
  memblock_set_bottom_up(enable: boolean): void {
    this.check('memblock_set_bottom_up');
    this.bottom_up = enable;
  }

  /** Sets the allocation limit. */
  memblock_set_current_limit(limit: number): void {
    this.check('memblock_set_current_limit');
    this.current_limit = limit;
  }

  /** Registers RAM [base, base+size) on no particular node. Returns 0 or -ENOMEM (-12). */
  memblock_add(base: number, size: number): number {
    this.check('memblock_add');
    return this.add_range(this.memory, base, size, MAX_NUMNODES, MEMBLOCK_NONE);
  }

  /** Registers RAM on node `nid` with `flags`. */
  memblock_add_node(base: number, size: number, nid: number, flags = MEMBLOCK_NONE): number {
    this.check('memblock_add_node');
    return this.add_range(this.memory, base, size, nid, flags);
  }

  /** Drops RAM. */
  memblock_remove(base: number, size: number): number {
    this.check('memblock_remove');
    return this.remove_range(this.memory, base, size);
  }

  /** Marks [base, base+size) as used. */
  memblock_reserve(base: number, size: number): number {
    this.check('memblock_reserve');
    return this.add_range(this.reserved, base, size, MAX_NUMNODES, MEMBLOCK_NONE);
  }

  /** Unreserves a physical range (memblock_phys_free). */
  memblock_phys_free(base: number, size: number): number {
    this.check('memblock_phys_free');
    return this.remove_range(this.reserved, base, size);
  }

  /** Unreserves the range behind a pointer returned by memblock_alloc (memblock_free). */
  memblock_free(ptr: number, size: number, virt_to_phys: (v: number) => number = (v) => v): number {
    this.check('memblock_free');
    return this.remove_range(this.reserved, virt_to_phys(ptr), size);
  }

  /** Sets or clears flags on the memory regions covering a range (memblock_setclr_flag). */
  memblock_mark(base: number, size: number, flag: number, set = true): number {
    this.check('memblock_mark');
    const r = this.isolate_range(this.memory, base, size);
    if (r === null) return -12;
    for (let i = r[0]; i < r[1]; i++) {
      const g = this.memory.regions[i];
      g.flags = set ? g.flags | flag : g.flags & ~flag;
    }
    this.merge_regions(this.memory, r[0], r[1]);
    return 0;
  }

  /** Allocates physical memory: an address or 0 (memblock_phys_alloc). */
  memblock_phys_alloc(size: number, align: number): number {
    return this.memblock_phys_alloc_range(size, align, 0, MEMBLOCK_ALLOC_ACCESSIBLE);
  }

  /** Allocates physical memory within [start, end) (memblock_phys_alloc_range). */
  memblock_phys_alloc_range(size: number, align: number, start: number, end: number): number {
    this.check('memblock_phys_alloc_range');
    return this.alloc_range_nid(size, align, start, end, NUMA_NO_NODE, false);
  }

  /** Allocates physical memory on a node, falling back to any node (memblock_phys_alloc_try_nid). */
  memblock_phys_alloc_try_nid(size: number, align: number, nid: number): number {
    this.check('memblock_phys_alloc_try_nid');
    return this.alloc_range_nid(size, align, 0, MEMBLOCK_ALLOC_ACCESSIBLE, nid, false);
  }

  /** Allocates zeroed memory anywhere accessible; a pointer or null (memblock_alloc). */
  memblock_alloc(size: number, align: number): number | null {
    return this.memblock_alloc_try_nid(size, align, 0, MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE);
  }

  /** memblock_alloc_try_nid: zeroed memory in [min_addr, max_addr) preferring node `nid`. */
  memblock_alloc_try_nid(size: number, align: number, min_addr: number, max_addr: number, nid: number): number | null {
    this.check('memblock_alloc_try_nid');
    const p = this.alloc_internal(size, align, min_addr, max_addr, nid, false);
    if (p !== null && this.clearFn) this.clearFn(p, size);
    return p === null ? null : this.toVirt(p);
  }

  /** memblock_alloc_try_nid_raw: like memblock_alloc_try_nid without zeroing. */
  memblock_alloc_try_nid_raw(size: number, align: number, min_addr: number, max_addr: number, nid: number): number | null {
    this.check('memblock_alloc_try_nid_raw');
    const p = this.alloc_internal(size, align, min_addr, max_addr, nid, false);
    return p === null ? null : this.toVirt(p);
  }

  /** memblock_alloc_exact_nid_raw: only node `nid`, no fallback, not zeroed. */
  memblock_alloc_exact_nid_raw(size: number, align: number, min_addr: number, max_addr: number, nid: number): number | null {
    this.check('memblock_alloc_exact_nid_raw');
    const p = this.alloc_internal(size, align, min_addr, max_addr, nid, true);
    return p === null ? null : this.toVirt(p);
  }

  /** memblock_alloc_low: zeroed memory below 4 GiB (ARCH_LOW_ADDRESS_LIMIT on x86). */
  memblock_alloc_low(size: number, align: number): number | null {
    return this.memblock_alloc_try_nid(size, align, 0, 2 ** 32, NUMA_NO_NODE);
  }

  /** Sum of memory regions (memblock_phys_mem_size). */
  memblock_phys_mem_size(): number {
    return this.memory.total_size;
  }

  /** Sum of reserved regions (memblock_reserved_size). */
  memblock_reserved_size(): number {
    return this.reserved.total_size;
  }

  /** Start of the first memory region (memblock_start_of_DRAM). */
  memblock_start_of_DRAM(): number {
    return this.memory.cnt ? this.memory.regions[0].base : 0;
  }

  /** End of the last memory region (memblock_end_of_DRAM). */
  memblock_end_of_DRAM(): number {
    const i = this.memory.cnt - 1;
    return i >= 0 ? this.memory.regions[i].base + this.memory.regions[i].size : 0;
  }

  /** True when [base, base+size) is fully reserved... or any part of it is (memblock_is_region_reserved). */
  memblock_is_region_reserved(base: number, size: number): boolean {
    const end = base + size;
    for (let i = 0; i < this.reserved.cnt; i++) {
      const r = this.reserved.regions[i];
      if (r.base < end && base < r.base + r.size) return true;
    }
    return false;
  }

  /** Free ranges (memory minus reserved), ascending, optionally of one node (for_each_free_mem_range). */
  free_ranges(nid = NUMA_NO_NODE): { start: number; end: number; nid: number }[] {
    const out: { start: number; end: number; nid: number }[] = [];
    const res = this.reserved.regions.slice(0, this.reserved.cnt);
    for (let i = 0; i < this.memory.cnt; i++) {
      const m = this.memory.regions[i];
      if (nid !== NUMA_NO_NODE && m.nid !== nid) continue;
      if (m.flags & MEMBLOCK_NOMAP) continue;
      let s = m.base;
      const e = m.base + m.size;
      for (const r of res) {
        const rs = r.base;
        const re = r.base + r.size;
        if (re <= s) continue;
        if (rs >= e) break;
        if (rs > s) out.push({ start: s, end: rs, nid: m.nid });
        s = Math.max(s, re);
        if (s >= e) break;
      }
      if (s < e) out.push({ start: s, end: e, nid: m.nid });
    }
    return out;
  }

  // ---- internals (mm/memblock.c) ----

  private cap_size(base: number, size: number): number {
    return Math.min(size, PHYS_ADDR_MAX - base);
  }

  private insert_region(type: MemblockType, idx: number, base: number, size: number, nid: number, flags: number): void {
    type.regions.splice(idx, 0, { base, size, flags, nid });
    type.cnt++;
    type.total_size += size;
  }

  private remove_region(type: MemblockType, r: number): void {
    type.total_size -= type.regions[r].size;
    type.regions.splice(r, 1);
    type.cnt--;
  }

  private merge_regions(type: MemblockType, start_rgn: number, end_rgn: number): void {
    let i = start_rgn > 0 ? start_rgn - 1 : 0;
    end_rgn = Math.min(end_rgn, type.cnt - 1);
    while (i < end_rgn) {
      const cur = type.regions[i];
      const next = type.regions[i + 1];
      if (cur.base + cur.size !== next.base || cur.nid !== next.nid || cur.flags !== next.flags) {
        i++;
        continue;
      }
      cur.size += next.size;
      type.regions.splice(i + 1, 1);
      type.cnt--;
      end_rgn--;
    }
  }

  private double_array(type: MemblockType, new_area_start: number, new_area_size: number): boolean {
    if (!this.can_resize) {
      this.log(`memblock: ${type.name} is full, can't resize`);
      return false;
    }
    const old_size = type.max * MEMBLOCK_REGION_SIZE;
    const new_size = old_size * 2;
    const new_alloc_size = Math.ceil(new_size / this.pageSize) * this.pageSize;
    // Look above the area being added first, then below it, as the kernel does.
    let addr = this.find_in_range_node(new_alloc_size, this.pageSize, new_area_start + new_area_size, this.current_limit, NUMA_NO_NODE);
    if (!addr && new_area_size) addr = this.find_in_range_node(new_alloc_size, this.pageSize, 0, Math.min(new_area_start, this.current_limit), NUMA_NO_NODE);
    if (!addr) {
      this.log(`memblock: Failed to double ${type.name} array from ${type.max} to ${type.max * 2} entries !`);
      return false;
    }
    const old_phys = type.arrayPhys;
    const old_alloc_size = Math.ceil(old_size / this.pageSize) * this.pageSize;
    type.max *= 2;
    type.arrayPhys = addr;
    if (old_phys) this.remove_range(this.reserved, old_phys, old_alloc_size);
    this.add_range(this.reserved, addr, new_alloc_size, MAX_NUMNODES, MEMBLOCK_NONE);
    return true;
  }

  private add_range(type: MemblockType, base: number, size: number, nid: number, flags: number): number {
    size = this.cap_size(base, size);
    const end = base + size;
    if (!size) return 0;
    if (type.cnt === 0) {
      type.regions = [{ base, size, flags, nid }];
      type.cnt = 1;
      type.total_size = size;
      return 0;
    }
    const obase = base;
    let insert = type.cnt * 2 + 1 <= type.max;
    for (;;) {
      base = obase;
      let nr_new = 0;
      let start_rgn = -1;
      let end_rgn = 0;
      let idx = 0;
      for (; idx < type.cnt; idx++) {
        const rgn = type.regions[idx];
        const rbase = rgn.base;
        const rend = rbase + rgn.size;
        if (rbase >= end) break;
        if (rend <= base) continue;
        if (rbase > base) {
          nr_new++;
          if (insert) {
            if (start_rgn === -1) start_rgn = idx;
            end_rgn = idx + 1;
            this.insert_region(type, idx++, base, rbase - base, nid, flags);
          }
        }
        base = Math.min(rend, end);
      }
      if (base < end) {
        nr_new++;
        if (insert) {
          if (start_rgn === -1) start_rgn = idx;
          end_rgn = idx + 1;
          this.insert_region(type, idx, base, end - base, nid, flags);
        }
      }
      if (!nr_new) return 0;
      if (!insert) {
        while (type.cnt + nr_new > type.max) if (!this.double_array(type, obase, size)) return -12;
        insert = true;
        continue;
      }
      this.merge_regions(type, start_rgn, end_rgn);
      return 0;
    }
  }

  /** Splits regions at base and base+size; returns [start_rgn, end_rgn) of the regions inside, or null. */
  private isolate_range(type: MemblockType, base: number, size: number): [number, number] | null {
    size = this.cap_size(base, size);
    const end = base + size;
    let start_rgn = 0;
    let end_rgn = 0;
    if (!size) return [0, 0];
    while (type.cnt + 2 > type.max) if (!this.double_array(type, base, size)) return null;
    for (let idx = 0; idx < type.cnt; idx++) {
      const rgn = type.regions[idx];
      const rbase = rgn.base;
      const rend = rbase + rgn.size;
      if (rbase >= end) break;
      if (rend <= base) continue;
      if (rbase < base) {
        rgn.base = base;
        rgn.size -= base - rbase;
        type.total_size -= base - rbase;
        this.insert_region(type, idx, rbase, base - rbase, rgn.nid, rgn.flags);
      } else if (rend > end) {
        rgn.base = end;
        rgn.size -= end - rbase;
        type.total_size -= end - rbase;
        this.insert_region(type, idx--, rbase, end - rbase, rgn.nid, rgn.flags);
      } else {
        if (!end_rgn) start_rgn = idx;
        end_rgn = idx + 1;
      }
    }
    return [start_rgn, end_rgn];
  }

  private remove_range(type: MemblockType, base: number, size: number): number {
    const r = this.isolate_range(type, base, size);
    if (r === null) return -12;
    for (let i = r[1] - 1; i >= r[0]; i--) this.remove_region(type, i);
    return 0;
  }

  /** memblock_find_in_range_node: a free base address or 0. */
  private find_in_range_node(size: number, align: number, start: number, end: number, nid: number): number {
    if (end === MEMBLOCK_ALLOC_ACCESSIBLE || end === MEMBLOCK_ALLOC_ANYWHERE) end = this.current_limit;
    start = Math.max(start, this.pageSize);
    end = Math.max(start, end);
    const ranges = this.free_ranges(nid);
    if (this.bottom_up) {
      for (const r of ranges) {
        const s = Math.min(Math.max(r.start, start), end);
        const e = Math.min(Math.max(r.end, start), end);
        const cand = Math.ceil(s / align) * align;
        if (cand < e && e - cand >= size) return cand;
      }
    } else {
      for (let i = ranges.length - 1; i >= 0; i--) {
        const r = ranges[i];
        const s = Math.min(Math.max(r.start, start), end);
        const e = Math.min(Math.max(r.end, start), end);
        if (e < size) continue;
        const cand = Math.floor((e - size) / align) * align;
        if (cand >= s) return cand;
      }
    }
    return 0;
  }

  private alloc_range_nid(size: number, align: number, start: number, end: number, nid: number, exact_nid: boolean): number {
    if (!align) {
      this.log('memblock: alignment 0 passed; using SMP_CACHE_BYTES');
      align = this.smp;
    }
    let found = this.find_in_range_node(size, align, start, end, nid);
    if (found && this.add_range(this.reserved, found, size, MAX_NUMNODES, MEMBLOCK_NONE) === 0) return found;
    if (nid !== NUMA_NO_NODE && !exact_nid) {
      found = this.find_in_range_node(size, align, start, end, NUMA_NO_NODE);
      if (found && this.add_range(this.reserved, found, size, MAX_NUMNODES, MEMBLOCK_NONE) === 0) return found;
    }
    return 0;
  }

  private alloc_internal(size: number, align: number, min_addr: number, max_addr: number, nid: number, exact_nid: boolean): number | null {
    if (max_addr > this.current_limit) max_addr = this.current_limit;
    let alloc = this.alloc_range_nid(size, align, min_addr, max_addr, nid, exact_nid);
    if (!alloc && min_addr) alloc = this.alloc_range_nid(size, align, 0, max_addr, nid, exact_nid);
    return alloc ? alloc : null;
  }
}
