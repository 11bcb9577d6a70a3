/**
 * Slab allocator types and constants: struct kmem_cache, the SLAB_* cache flags, poison bytes
 * and the slab_debug= boot option.
 *
 * Mirrors: include/linux/slab.h (enum _slab_flag_bits, SLAB_* flags, KMALLOC_SHIFT_*,
 * KMALLOC_MAX_*, ZERO_SIZE_PTR, enum kmalloc_cache_type), mm/slab_common.c (size_index[]),
 * mm/slub.c (where a slab is: the cpu slab, the partial lists, full), mm/slab.h (struct
 * kmem_cache fields, SLAB_DEBUG_FLAGS, SLAB_NEVER_MERGE), include/linux/poison.h (POISON_*,
 * SLUB_RED_*), mm/slub.c (setup_slub_debug / parse_slub_debug_flags, struct track).
 * Models: the flag values of a 6.12 x86-64 Debian-like build (CONFIG_MEMCG, CONFIG_KFENCE,
 * CONFIG_SLAB_OBJ_EXT on; DEBUG_OBJECTS, FAILSLAB, KASAN_GENERIC off), the per-cache geometry
 * and the per-cpu/per-node state of SLUB kept in typed arrays, and the parsing of
 * `slab_debug=`/`slub_debug=`.
 * Simplifies: SLAB_FAILSLAB and SLAB_KASAN get bits above the kernel's last bit so that the
 * simulator can use them without shifting the kernel's values (the kernel compiles them out in
 * this configuration).
 * See: chapter 04 (slab), chapter 05 (kmalloc and debugging).
 */

/** Bit values of the cache flags (slab_flags_t), as a 6.12 x86-64 distribution kernel has them. */
export const SLAB_CONSISTENCY_CHECKS = 1 << 0;
/** Red zones around every object (slab_debug Z). */
export const SLAB_RED_ZONE = 1 << 1;
/** Poison free objects with 0x6b/0xa5 (slab_debug P). */
export const SLAB_POISON = 1 << 2;
/** A kmalloc cache. */
export const SLAB_KMALLOC = 1 << 3;
/** Align objects on a cache line (when they are large enough). */
export const SLAB_HWCACHE_ALIGN = 1 << 4;
/** Slab pages from ZONE_DMA. */
export const SLAB_CACHE_DMA = 1 << 5;
/** Slab pages from ZONE_DMA32. */
export const SLAB_CACHE_DMA32 = 1 << 6;
/** Record the last allocation and free of each object (slab_debug U). */
export const SLAB_STORE_USER = 1 << 7;
/** Panic when the cache cannot be created. */
export const SLAB_PANIC = 1 << 8;
/** Objects may be reused before an RCU grace period: the free pointer goes after the object. */
export const SLAB_TYPESAFE_BY_RCU = 1 << 9;
/** Trace every allocation and free of this cache (slab_debug T). */
export const SLAB_TRACE = 1 << 10;
/** Do not let kmemleak track the objects. */
export const SLAB_NOLEAKTRACE = 1 << 11;
/** Never merge this cache with another. */
export const SLAB_NO_MERGE = 1 << 12;
/** Charge objects to the memory cgroup. */
export const SLAB_ACCOUNT = 1 << 13;
/** Ignore slab_debug= for this cache. */
export const SLAB_NO_USER_FLAGS = 1 << 14;
/** KFENCE must not sample this cache. */
export const SLAB_SKIP_KFENCE = 1 << 15;
/** Reclaimable objects (counted in SReclaimable). */
export const SLAB_RECLAIM_ACCOUNT = 1 << 16;
/** Internal: objects are poisoned (set by calculate_sizes when P is on and there is no ctor). */
export const __OBJECT_POISON = 1 << 17;
/** Internal: the cache may use cmpxchg_double. */
export const __CMPXCHG_DOUBLE = 1 << 18;
/** Internal: no object extension vector. */
export const SLAB_NO_OBJ_EXT = 1 << 19;
/** Fault injection for this cache (slab_debug A); a simulator bit, see the header. */
export const SLAB_FAILSLAB = 1 << 24;

/** Flags that make a cache a debug cache (mm/slab.h SLAB_DEBUG_FLAGS). */
export const SLAB_DEBUG_FLAGS = SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER | SLAB_TRACE | SLAB_CONSISTENCY_CHECKS;
/** Flags that forbid merging (mm/slab_common.c SLAB_NEVER_MERGE). */
export const SLAB_NEVER_MERGE = SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER | SLAB_TRACE | SLAB_TYPESAFE_BY_RCU |
  SLAB_NOLEAKTRACE | SLAB_FAILSLAB | SLAB_NO_MERGE;
/** Flags that must be equal for two caches to merge (SLAB_MERGE_SAME). */
export const SLAB_MERGE_SAME = SLAB_RECLAIM_ACCOUNT | SLAB_CACHE_DMA | SLAB_CACHE_DMA32 | SLAB_ACCOUNT;
/** Flags a caller of kmem_cache_create may pass (SLAB_FLAGS_PERMITTED, simplified to the known bits). */
export const SLAB_FLAGS_PERMITTED = SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON | SLAB_KMALLOC |
  SLAB_HWCACHE_ALIGN | SLAB_CACHE_DMA | SLAB_CACHE_DMA32 | SLAB_STORE_USER | SLAB_PANIC | SLAB_TYPESAFE_BY_RCU |
  SLAB_TRACE | SLAB_NOLEAKTRACE | SLAB_NO_MERGE | SLAB_ACCOUNT | SLAB_NO_USER_FLAGS | SLAB_SKIP_KFENCE |
  SLAB_RECLAIM_ACCOUNT | SLAB_FAILSLAB;

/** Names of the flags, for printing (`slab_flags_names`). */
export const SLAB_FLAG_NAMES: ReadonlyArray<readonly [string, number]> = [
  ['SLAB_CONSISTENCY_CHECKS', SLAB_CONSISTENCY_CHECKS], ['SLAB_RED_ZONE', SLAB_RED_ZONE], ['SLAB_POISON', SLAB_POISON],
  ['SLAB_KMALLOC', SLAB_KMALLOC], ['SLAB_HWCACHE_ALIGN', SLAB_HWCACHE_ALIGN], ['SLAB_CACHE_DMA', SLAB_CACHE_DMA],
  ['SLAB_CACHE_DMA32', SLAB_CACHE_DMA32], ['SLAB_STORE_USER', SLAB_STORE_USER], ['SLAB_PANIC', SLAB_PANIC],
  ['SLAB_TYPESAFE_BY_RCU', SLAB_TYPESAFE_BY_RCU], ['SLAB_TRACE', SLAB_TRACE], ['SLAB_NOLEAKTRACE', SLAB_NOLEAKTRACE],
  ['SLAB_NO_MERGE', SLAB_NO_MERGE], ['SLAB_ACCOUNT', SLAB_ACCOUNT], ['SLAB_NO_USER_FLAGS', SLAB_NO_USER_FLAGS],
  ['SLAB_SKIP_KFENCE', SLAB_SKIP_KFENCE], ['SLAB_RECLAIM_ACCOUNT', SLAB_RECLAIM_ACCOUNT],
  ['__OBJECT_POISON', __OBJECT_POISON], ['SLAB_FAILSLAB', SLAB_FAILSLAB],
];

/** Formats a flags word as `SLAB_HWCACHE_ALIGN|SLAB_ACCOUNT` (0 prints as `0`). */
export function format_slab_flags(flags: number): string {
  const out: string[] = [];
  let rest = flags;
  for (const [n, v] of SLAB_FLAG_NAMES) {
    if (flags & v) {
      out.push(n);
      rest &= ~v;
    }
  }
  if (rest) out.push('0x' + rest.toString(16));
  return out.length ? out.join('|') : '0';
}

/** Poison bytes (include/linux/poison.h). */
export const POISON_INUSE = 0x5a;
/** Fill of a free object. */
export const POISON_FREE = 0x6b;
/** Last byte of a free object. */
export const POISON_END = 0xa5;
/** Red zone byte while the object is free. */
export const SLUB_RED_INACTIVE = 0xbb;
/** Red zone byte while the object is allocated. */
export const SLUB_RED_ACTIVE = 0xcc;

/** sizeof(void *) on x86-64. */
export const WORD = 8;
/** sizeof(struct track) with CONFIG_STACKDEPOT: addr 8, handle 4, cpu 4, pid 4, pad 4, when 8. */
export const TRACK_SIZE = 32;
/** L1 cache line size (cache_line_size() on x86-64). */
export const L1_CACHE_BYTES = 64;
/** ARCH_KMALLOC_MINALIGN / ARCH_SLAB_MINALIGN: the alignment every object gets. */
export const ARCH_KMALLOC_MINALIGN = 8;
/** slub_max_order default (PAGE_ALLOC_COSTLY_ORDER). */
export const SLUB_MAX_ORDER = 3;
/** MAX_OBJS_PER_PAGE (mm/slab.h): objects are counted in 15 bits. */
export const MAX_OBJS_PER_PAGE = 32767;
/** MIN_PARTIAL / MAX_PARTIAL: bounds of a cache's min_partial. */
export const MIN_PARTIAL = 5;
export const MAX_PARTIAL = 10;


/** A constructor run on every object of a new slab (`void ctor(void *obj)`), given the address. */
export type SlabCtor = (obj: number) => void;

/**
 * struct kmem_cache: one object cache. Created by `kmem_cache_create` (or at boot for the kmalloc
 * caches); the handle callers pass back to kmem_cache_alloc/free.
 */
export class KmemCache {
  /** Index in the allocator's cache table. */
  readonly id: number;
  /** Name (shown in /proc/slabinfo). */
  readonly name: string;
  /** Size the caller asked for (grows when another cache merges into this one). */
  object_size: number;
  /** Bytes per object slot, metadata included (the stride in the slab). */
  size = 0;
  /**
   * 1 / size, so that an object's index is a multiply instead of a divide (the kernel keeps
   * `reciprocal_size` for obj_to_index for the same reason; see `obj_index`).
   */
  reciprocal_size = 0;
  /** Offset of the free pointer inside a free object. */
  offset = 0;
  /** Bytes in use per slot before the free pointer when it sits after the object. */
  inuse = 0;
  /** Alignment of every object. */
  align: number;
  /** Left red zone bytes (slab_debug Z). */
  red_left_pad = 0;
  /** Cache flags (SLAB_*), debug flags from slab_debug= included. */
  flags: number;
  /** Object constructor, or null. */
  readonly ctor: SlabCtor | null;
  /** Number of kmem_cache_create calls this cache serves (itself plus aliases). */
  refcount = 1;
  /** Names of caches merged into this one (sysfs aliases). */
  readonly aliases: string[] = [];
  /** oo: preferred order and objects per slab. */
  oo_order = 0;
  oo_objects = 0;
  /** min: fallback order and objects per slab. */
  min_order = 0;
  min_objects = 0;
  /** Empty slabs kept on each node's partial list. */
  min_partial = 0;
  /** Target objects on each cpu's partial list and the slab limit derived from it. */
  cpu_partial = 0;
  cpu_partial_slabs = 0;
  /** GFP bits added to every slab allocation (__GFP_COMP, GFP_DMA, __GFP_RECLAIMABLE). */
  allocflags = 0;
  /** Hardened-usercopy region (kmalloc caches: the whole object). */
  useroffset = 0;
  usersize = 0;
  /** Address of this struct kmem_cache object (allocated from the `kmem_cache` cache), or 0. */
  addr = 0;
  /** False once destroyed. */
  alive = true;
  /** True when any debug flag is on or KASAN is: no per-cpu slabs, every object checked. */
  debug = false;
  // Per-cpu and per-node state in typed arrays (struct kmem_cache_cpu / kmem_cache_node).
  /** kmem_cache_cpu.slab per cpu: slab id or -1. */
  c_slab: Int32Array;
  /**
   * kmem_cache_cpu.freelist per cpu, as the index of the first free object in the cpu slab
   * (c_slab), or -1 for NULL. (Every object on a cpu freelist belongs to that cpu's slab; the
   * address is the slab's first object + index × size, `Slub.objAddr`.)
   */
  c_free: Int32Array;
  /**
   * Per cpu, the address of the cpu slab's first object while there is one (the slab table's
   * `first`, kept here so that the allocation fast path reads the cache only).
   */
  c_first: Float64Array;
  /** kmem_cache_cpu.partial per cpu: first slab id of the per-cpu partial list or -1. */
  c_partial: Int32Array;
  /** kmem_cache_node.partial per node: head and tail slab ids (-1 = empty). */
  n_partial_head: Int32Array;
  n_partial_tail: Int32Array;
  /** kmem_cache_node.nr_partial per node. */
  nr_partial: Int32Array;
  /** kmem_cache_node.nr_slabs / total_objects per node. */
  nr_slabs: Float64Array;
  total_objects: Float64Array;

  constructor(id: number, name: string, object_size: number, align: number, flags: number, ctor: SlabCtor | null, ncpus: number, nnodes: number) {
    this.id = id;
    this.name = name;
    this.object_size = object_size;
    this.align = align;
    this.flags = flags;
    this.ctor = ctor;
    this.c_slab = new Int32Array(ncpus).fill(-1);
    this.c_free = new Int32Array(ncpus).fill(-1);
    this.c_first = new Float64Array(ncpus);
    this.c_partial = new Int32Array(ncpus).fill(-1);
    this.n_partial_head = new Int32Array(nnodes).fill(-1);
    this.n_partial_tail = new Int32Array(nnodes).fill(-1);
    this.nr_partial = new Int32Array(nnodes);
    this.nr_slabs = new Float64Array(nnodes);
    this.total_objects = new Float64Array(nnodes);
  }
}

/** One parsed block of slab_debug=: the flags and the cache names (empty = every cache). */
export interface SlabDebugBlock {
  flags: number;
  /** Cache names; a trailing `*` matches a prefix. Empty means all caches. */
  caches: string[];
}

/** slab_debug letters (Documentation/mm/slub.rst). */
const DEBUG_LETTERS: Record<string, number> = {
  f: SLAB_CONSISTENCY_CHECKS,
  z: SLAB_RED_ZONE,
  p: SLAB_POISON,
  u: SLAB_STORE_USER,
  t: SLAB_TRACE,
  a: SLAB_FAILSLAB,
};
/** DEBUG_DEFAULT_FLAGS: F, Z, P and U. */
export const DEBUG_DEFAULT_FLAGS = SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER;

/**
 * Parses the value of `slab_debug=` (or the older `slub_debug=`) from a command line: blocks
 * separated by `;`, each `<letters>[,<cache>,...]`. A bare `slab_debug` means FZPU for all
 * caches; `-` switches debugging off; `O` is accepted and ignored. Returns [] when the option is
 * absent. Throws a RangeError naming an unknown letter.
 */
export function parse_slab_debug(cmdline: string): SlabDebugBlock[] {
  let value: string | null = null;
  for (const word of cmdline.split(/\s+/)) {
    const m = /^(slab_debug|slub_debug)(?:=(.*))?$/.exec(word);
    if (m) value = m[2] ?? '';
  }
  if (value === null) return [];
  if (value === '') return [{ flags: DEBUG_DEFAULT_FLAGS, caches: [] }];
  const out: SlabDebugBlock[] = [];
  for (const block of value.split(';')) {
    if (!block) continue;
    const comma = block.indexOf(',');
    const letters = comma < 0 ? block : block.slice(0, comma);
    const caches = comma < 0 ? [] : block.slice(comma + 1).split(',').filter((c) => c);
    let flags = 0;
    if (letters === '') flags = DEBUG_DEFAULT_FLAGS;
    for (const ch of letters.toLowerCase()) {
      if (ch === '-') {
        flags = 0;
        continue;
      }
      if (ch === 'o') continue;
      const f = DEBUG_LETTERS[ch];
      if (f === undefined) throw new RangeError(`slab_debug: unknown option '${ch}'`);
      flags |= f;
    }
    out.push({ flags, caches });
  }
  return out;
}

/** The debug flags slab_debug= gives the cache `name` (kmem_cache_flags). */
export function slab_debug_flags_for(blocks: readonly SlabDebugBlock[], name: string): number {
  let global = -1;
  for (const b of blocks) {
    if (b.caches.length === 0) {
      if (global < 0) global = b.flags;
      continue;
    }
    for (const c of b.caches) {
      if (c === name || (c.endsWith('*') && name.startsWith(c.slice(0, -1)))) return b.flags;
    }
  }
  return global < 0 ? 0 : global;
}

/** fls(): index of the highest set bit, 1-based; fls(0) = 0. */
export function fls(x: number): number {
  return x === 0 ? 0 : 32 - Math.clz32(x);
}

/** ilog2() of a positive integer. */
export function ilog2(x: number): number {
  return 31 - Math.clz32(x);
}

/** get_order(size): the smallest order whose block holds `size` bytes. */
export function get_order(size: number): number {
  if (size <= 4096) return 0;
  return fls(Math.ceil(size / 4096) - 1);
}

/** ALIGN(x, a) for a power-of-two a. */
export function ALIGN(x: number, a: number): number {
  return Math.ceil(x / a) * a;
}

/**
 * What the slab allocator needs from the System (a structural view, so that this module does
 * not import system.ts).
 */
export interface SlabHost {
  readonly config: { cpus: number; nodes: readonly { id: number; cpus: number }[]; cmdline: string; memory: number };
  readonly layout: { page_offset: number; kernel_text: number };
  readonly mem: {
    readonly size: number;
    pageForWrite(pfn: number): Uint8Array;
    pageIfWritten(pfn: number): Uint8Array | null;
    hasContent(pfn: number): boolean;
    read(phys: number, len: number): Uint8Array;
    write(phys: number, data: Uint8Array): void;
    fill(phys: number, v: number, len: number): void;
    readPtr(phys: number): number;
    writePtr(phys: number, v: number): void;
    writePtrRun(phys: number, stride: number, n: number, v0: number, step: number): void;
    setSettler(fn: (pfn: number) => void): void;
    owe(pfn: number): boolean;
    isOwed(pfn: number): boolean;
    settle(pfn: number): void;
    readonly owedPages: number;
  };
  readonly pages: {
    readonly max_pfn: number;
    readonly flags: Uint32Array;
    readonly page_type: Uint8Array;
    readonly private_: Int32Array;
    readonly _refcount: Int32Array;
    readonly mapcount: Int32Array;
    readonly compound_head: Uint32Array;
    readonly compound_order: Uint8Array;
  };
  readonly clock: { jiffies: number; ns: number };
  readonly trace: { enabled: boolean; emit(name: string, fields: Record<string, number | string | boolean>): void };
  readonly dmesg: string[];
  /** The page allocator: a block of 2^order pages (pfn) or -1; and its free. */
  readonly buddy: { alloc(gfp: number, order: number, nid?: number): number; free(pfn: number, order: number): void };
  /** Node of a pfn (optional: the slab's node is the requested one without it). */
  pfn_to_nid?(pfn: number): number;
  /** Node counters (nr_slab_reclaimable_B / nr_slab_unreclaimable_B are bytes). */
  readonly vmstat?: { mod_node(nid: number, name: string, delta: number): void; inc?(name: string, n?: number): void };
  /** The running task, if tasks exist. */
  readonly current?: { pid: number; comm: string } | null;
  /** The object whose `debug_vm` field is the System's (read directly on hot paths). */
  readonly flagsRef?: { readonly debug_vm: boolean };
  /** CONFIG_DEBUG_VM: validate after every mutating call. */
  readonly debug_vm: boolean;
  checkpoint(): void;
}

// ---- kmalloc classes (include/linux/slab.h, mm/slab_common.c size_index[])

/** Smallest kmalloc class is 2^3 bytes. */
export const KMALLOC_SHIFT_LOW = 3;
/** Largest kmalloc class is 2^13 bytes (PAGE_SHIFT + 1). */
export const KMALLOC_SHIFT_HIGH = 13;
/** Largest size served by a kmalloc cache. */
export const KMALLOC_MAX_CACHE_SIZE = 1 << KMALLOC_SHIFT_HIGH;
/** Largest kmalloc at all: 2^(MAX_PAGE_ORDER + PAGE_SHIFT) = 4 MiB. */
export const KMALLOC_MAX_SIZE = 1 << 22;
/** What kmalloc(0) returns: a non-NULL pointer that faults when used. */
export const ZERO_SIZE_PTR = 16;

/** kmalloc cache families (enum kmalloc_cache_type, in the kernel's order). */
export const KMALLOC_NORMAL = 0;
export const KMALLOC_RECLAIM = 1;
export const KMALLOC_DMA = 2;
export const KMALLOC_CGROUP = 3;
/** Name prefixes of the families. */
export const KMALLOC_PREFIX = ['kmalloc-', 'kmalloc-rcl-', 'dma-kmalloc-', 'kmalloc-cg-'] as const;

/** kmalloc_size_index[(size - 1) / 8] for sizes up to 192 (index 1 = 96, 2 = 192). */
export const KMALLOC_SIZE_INDEX = new Uint8Array([3, 4, 5, 5, 6, 6, 6, 6, 1, 1, 1, 1, 7, 7, 7, 7, 2, 2, 2, 2, 2, 2, 2, 2]);

// ---- where a slab is (mm/slub.c)

/** Where a slab is (the lists of mm/slub.c). */
export const SLAB_UNUSED = 0;
/** The current slab of some cpu (frozen). */
export const SLAB_CPU = 1;
/** On some cpu's partial list. */
export const SLAB_CPU_PARTIAL = 2;
/** On its node's partial list. */
export const SLAB_NODE_PARTIAL = 3;
/** Every object allocated, on no list (debug caches keep it on the node's full list). */
export const SLAB_FULL = 4;
/** Names of the places, for snapshots. */
export const SLAB_WHERE = ['unused', 'cpu', 'cpu-partial', 'node-partial', 'full'] as const;

/**
 * obj_to_index() (mm/slab.h): the index of the object `rel` bytes after a slab's first object,
 * by multiplying with `s.reciprocal_size` and rounding. Exact for every multiple of the size in a
 * slab (the product is off by far less than one half); for any other `rel` the result is just
 * some integer, so a caller that may hold an interior pointer checks `i * s.size === rel`.
 */
export function obj_index(s: KmemCache, rel: number): number {
  return (rel * s.reciprocal_size + 0.5) | 0;
}

// ---- the simulator's struct slab (mm/slab.h): one 64-byte record per slab id
//
// Field F of slab `id` is `i32[id << SL32 | F]`: sixteen 32-bit words, one cache line, read
// through a single Int32Array so that the allocator's fast paths hold one array in registers.
// (Shift-or rather than multiply-add: the index stays a small integer with no overflow check.)
// The two fields that need more than 32 bits, the head pfn and the first object's address, live
// in Float64Arrays beside the records (`SlabTable.pfn` and `SlabTable.first`).
//
//   the head pfn again when it is below 2^31 (-1 otherwise, and for an unused id, so that the
//   free path finds a slab's pages in the record itself), order, cache id, objects, first pool
//   entry (base), free (index of the first object on the slab's own freelist, -1 = NULL), inuse,
//   frozen; then node, where (SLAB_UNUSED ... SLAB_FULL), next, prev, slabs (the cpu partial
//   count, valid at a list's head) and cpu.
//
// The free path reads the first eight words; they stay in one cache line even when the host's
// array is only 16-byte aligned (as large allocations from the C library are).

/** log2 of the record size in 32-bit words (16 words = 64 bytes). */
export const SL32 = 4;
/** Slab ids stay below this, so that `id << SL32` is a positive int32. */
export const SLAB_ID_LIMIT = 1 << 24;
/** Record fields (32-bit words). */
export const SL_PFN = 0;
export const SL_ORDER = 1;
export const SL_CACHE = 2;
export const SL_OBJECTS = 3;
export const SL_BASE = 4;
export const SL_FREE = 5;
export const SL_INUSE = 6;
export const SL_FROZEN = 7;
export const SL_NODE = 8;
export const SL_WHERE = 9;
export const SL_NEXT = 10;
export const SL_PREV = 11;
export const SL_SLABS = 12;
export const SL_CPU = 13;

/** Object states kept by the simulator beside the real bytes. */
export const OBJ_FREE = 0;
/** Handed out to a caller. */
export const OBJ_ALLOCATED = 1;
/** Freed by the caller but held back in KASAN's quarantine (still allocated for SLUB). */
export const OBJ_QUARANTINED = 2;
/** Pool codes of the non-free states (free objects hold their next index, or -1). */
export const OBJ_CODE_ALLOCATED = -2;
export const OBJ_CODE_QUARANTINED = -3;
/** `SlabTable.owed` of an object whose free pointer bytes are written (nothing owed). */
export const OWED_NONE = -32768;

/** TAINT_BAD_PAGE and TAINT_WARN bits. */
export const TAINT_BAD_PAGE = 1 << 5;
export const TAINT_WARN = 1 << 9;
