/**
 * SLUB: the slab allocator. Object caches carved out of pages from the buddy allocator.
 *
 * Mirrors: mm/slub.c (kmem_cache_open, calculate_sizes, calculate_order, calc_slab_order,
 * set_min_partial, set_cpu_partial, allocate_slab, new_slab, ___slab_alloc, get_partial_node,
 * put_cpu_partial, __put_partials, deactivate_slab, do_slab_free, __slab_free,
 * free_to_partial_list, alloc_single_from_partial, __kmem_cache_do_shrink, flush_all,
 * __kmem_cache_shutdown), mm/slab.h (struct slab, struct kmem_cache), mm/slab_common.c
 * (kmem_cache_create, find_mergeable, slab_unmergeable, calculate_alignment, kmem_cache_destroy,
 * kmem_cache_shrink, the slab_caches list), mm/shrinker.c (do_shrink_slab).
 * Models: per-cpu slabs with their lockless freelist, per-cpu partial lists (not frozen, as in
 * 6.8+), per-node partial lists with min_partial, full slabs; the free pointer stored in the
 * bytes of each free object (mid-object, or after the object with a ctor, RCU or poisoning);
 * alignment and SLAB_HWCACHE_ALIGN; constructors; cache merging (aliases); slab pages from the
 * buddy allocator with the kernel's order calculation and accounting in NR_SLAB_*_B; debug
 * caches (slab_debug=) taking the kernel's debug paths (no per-cpu slabs, objects checked on
 * every alloc and free); shrinkers.
 * Simplifies: no locks or cmpxchg (one CPU runs at a time; `cpu` says which), so no
 * kmem_cache_cpu.tid either;
 * CONFIG_SLAB_FREELIST_RANDOM and CONFIG_SLAB_FREELIST_HARDENED are off, so a freelist runs in
 * address order and the stored pointer is the plain address of the next free object;
 * get_partial looks at the local node only (no get_any_partial); the simulator keeps a private
 * copy of every free pointer and of each object's state (the allocation fast path follows that
 * copy), so a caller that scribbles over a free pointer (sys.kwrite) gets the kernel's
 * "Freechain corrupt" report when the object is handed out and the freelist is restored instead
 * of the machine crashing; bad frees are refused even without slab_debug=F; the object layout
 * uses x86-64 sizes (8-byte words, 32-byte struct track) on i386 too.
 * See: chapter 04 (slab), chapter 05 (kmalloc and debugging).
 */
import { KernelError, VmBugError } from '../base/errors.js';
import { hex } from '../base/format.js';
import * as gfpConsts from './gfp.js';
import * as pageFlags from './page_flags.js';
import * as slabConsts from './slab.js';
import { KmemCache, type SlabCtor, type SlabDebugBlock, type SlabHost } from './slab.js';
import * as dbg from './slub_debug.js';

export {
  OBJ_FREE, OBJ_ALLOCATED, OBJ_QUARANTINED, OBJ_CODE_ALLOCATED, OBJ_CODE_QUARANTINED, TAINT_BAD_PAGE, TAINT_WARN,
  SLAB_UNUSED, SLAB_CPU, SLAB_CPU_PARTIAL, SLAB_NODE_PARTIAL, SLAB_FULL, SLAB_WHERE,
} from './slab.js';

// The constants and helpers this module imports, bound again as its own consts: V8 folds a
// module's own consts into optimised code but loads an imported binding, and checks it for the
// temporal dead zone, at every use (see page_alloc.ts).
const {
  __GFP_COMP, __GFP_DMA, __GFP_DMA32, __GFP_NOFAIL, __GFP_NORETRY, __GFP_NOWARN, __GFP_RECLAIMABLE, __GFP_ZERO, format_gfp_mode,
} = gfpConsts;
const { PGTY } = pageFlags;
const {
  ALIGN, ARCH_KMALLOC_MINALIGN, fls, get_order, ilog2, L1_CACHE_BYTES, MAX_OBJS_PER_PAGE, MAX_PARTIAL,
  MIN_PARTIAL, parse_slab_debug, POISON_INUSE, SLAB_ACCOUNT, SLAB_CACHE_DMA, SLAB_CACHE_DMA32, SLAB_DEBUG_FLAGS,
  SLAB_FLAGS_PERMITTED, SLAB_HWCACHE_ALIGN, SLAB_KMALLOC, SLAB_MERGE_SAME, SLAB_NEVER_MERGE, SLAB_NO_USER_FLAGS,
  SLAB_POISON, SLAB_RECLAIM_ACCOUNT, SLAB_RED_ZONE, SLAB_STORE_USER, SLAB_TYPESAFE_BY_RCU, SLUB_MAX_ORDER,
  SLUB_RED_ACTIVE, SLUB_RED_INACTIVE, slab_debug_flags_for, TRACK_SIZE, WORD, __OBJECT_POISON, SLAB_FAILSLAB, SLAB_NO_MERGE, SLAB_TRACE,
  OBJ_FREE, OBJ_ALLOCATED, OBJ_QUARANTINED, OBJ_CODE_ALLOCATED, OBJ_CODE_QUARANTINED, OWED_NONE, TAINT_BAD_PAGE, TAINT_WARN,
  SLAB_UNUSED, SLAB_CPU, SLAB_CPU_PARTIAL, SLAB_NODE_PARTIAL, SLAB_FULL,
  SL32, SL_FREE, SL_CACHE, SL_INUSE, SL_OBJECTS, SL_BASE, SL_NODE, SL_CPU, SL_NEXT,
  SL_PREV, SL_SLABS, SL_ORDER, SL_FROZEN, SL_WHERE, SL_PFN, SLAB_ID_LIMIT, obj_index,
} = slabConsts;

const PAGE_SIZE = 4096;
const SHRINK_PROMOTE_MAX = 32;
/** Size of struct kmem_cache_node with CONFIG_SLUB_DEBUG (cache line aligned). */
const KMEM_CACHE_NODE_SIZE = 64;

/** A shrinker's view of one reclaim request (struct shrink_control). */
export interface ShrinkControl {
  /** GFP mask of the allocation that triggered reclaim. */
  gfp_mask: number;
  /** Node being reclaimed. */
  nid: number;
  /** Objects to scan (set by do_shrink_slab before scan_objects). */
  nr_to_scan: number;
  /** Objects the shrinker scanned (it may set this). */
  nr_scanned: number;
}

/** struct shrinker: a cache of reclaimable objects that reclaim can ask to shrink. */
export interface Shrinker {
  /** Name as shown in /sys/kernel/debug/shrinker. */
  name: string;
  /** How many objects could be freed now (0 = nothing to do). */
  count_objects(sc: ShrinkControl): number;
  /** Free up to sc.nr_to_scan objects; return the number freed, or SHRINK_STOP. */
  scan_objects(sc: ShrinkControl): number;
  /** Cost of recreating an object (DEFAULT_SEEKS = 2). */
  seeks?: number;
  /** Objects per scan_objects call (0 = SHRINK_BATCH, 128). */
  batch?: number;
  /** Work carried over to the next call (nr_deferred). */
  nr_deferred?: number;
}
/** scan_objects' "stop, I cannot make progress" answer. */
export const SHRINK_STOP = -1;
/** Default cost of recreating an object. */
export const DEFAULT_SEEKS = 2;
/** Default objects per scan batch. */
export const SHRINK_BATCH = 128;

/** One alloc or free record (struct track / kasan_track, with the simulated call site). */
export interface ObjTrack {
  caller: string;
  pid: number;
  comm: string;
  cpu: number;
  /** jiffies at the time. */
  when: number;
  /** Simulated ns at the time. */
  ns: number;
}

/** Per-object records kept when user tracking, KASAN or kmemleak need them. */
export interface ObjInfo {
  alloc?: ObjTrack;
  free?: ObjTrack;
  /** The size the caller asked for (kmalloc), else the object size. */
  orig_size: number;
}

/** Hooks of the debugging tools (KASAN, kmemleak), called on the slow path only. */
export interface SlabDebugHooks {
  /** After an object is handed out: `size` is what the caller asked for. */
  onAlloc?(s: KmemCache, obj: number, size: number): void;
  /** Before an object goes back. Return false to keep it (KASAN quarantine). */
  onFree?(s: KmemCache, obj: number): boolean;
  /** A new slab's bytes are ready (before any object is handed out). */
  onNewSlab?(s: KmemCache, base: number, bytes: number): void;
  /** A slab's pages go back to the page allocator. */
  onDiscardSlab?(s: KmemCache, base: number, bytes: number): void;
}

/**
 * struct slab of every slab, indexed by slab id: one 64-byte Int32 record each (the SL_* fields of
 * slab.ts), plus the head pfn and the first object's address in two Float64Arrays, since those
 * pass 2^31 (the record repeats the head pfn while it is below 2^31, for the free path). One
 * record is one cache line, as a struct slab is.
 */
class SlabTable {
  /** Records allocated. */
  cap = 0;
  // The three arrays start empty and `grow` replaces them at once, in the constructor: V8 then
  // knows them as fields that change from the start. A field it took for a constant would, on
  // the first grow inside a busy loop, throw away every optimized function that read it.
  /** The records: field F of slab `id` is `i32[id << SL32 | F]`. */
  i32 = new Int32Array(0);
  /** Head pfn of each slab (NaN while the id is unused: no pfn is within NaN pages of it). */
  pfn = new Float64Array(0);
  /** Address of each slab's first object (the slab's start + the left red zone). */
  first = new Float64Array(0);
  /**
   * The simulator's record of every object, in one pool: each slab owns `objects` entries from
   * its SL_BASE. A free object holds the index of the next free object in its freelist (-1 =
   * NULL: the simulator's copy of the free pointer); an allocated object holds
   * OBJ_CODE_ALLOCATED, a quarantined one OBJ_CODE_QUARANTINED. 16 bits suffice (a slab holds at
   * most MAX_OBJS_PER_PAGE = 32767 objects) and keep the pool small enough to stay in cache.
   */
  obj = new Int16Array(1 << 16);
  /**
   * Per pool entry, the free pointer the object's bytes are still owed (see physmem.ts): the
   * index of the object it points to, -1 for NULL, or OWED_NONE. It outlives the object's free
   * state (an allocated object's bytes keep its last free pointer until something writes them).
   */
  owed = new Int16Array(1 << 16).fill(OWED_NONE);
  /** Pool top and freed ranges by length. */
  objTop = 0;
  readonly objFree = new Map<number, number[]>();
  /** Ids of discarded slabs, reused first. */
  freeIds: number[] = [];
  /** Ids handed out so far (ids at or above it were never used). */
  top = 0;
  constructor() {
    this.grow(256);
  }
  /** Room for `n` records; new ones are unused, on no list and of no cache or cpu. */
  grow(n: number): void {
    const i32 = new Int32Array(n << SL32);
    const pfn = new Float64Array(n).fill(NaN);
    const first = new Float64Array(n);
    i32.set(this.i32);
    pfn.set(this.pfn);
    first.set(this.first);
    this.i32 = i32;
    this.pfn = pfn;
    this.first = first;
    for (let id = this.cap; id < n; id++) {
      i32[id << SL32 | SL_CACHE] = -1;
      i32[id << SL32 | SL_CPU] = -1;
      i32[id << SL32 | SL_NEXT] = -1;
      i32[id << SL32 | SL_PREV] = -1;
      i32[id << SL32 | SL_FREE] = -1;
      i32[id << SL32 | SL_PFN] = -1;
    }
    this.cap = n;
  }
  /** A range of `n` pool entries. */
  allocObjs(n: number): number {
    const fr = this.objFree.get(n);
    if (fr && fr.length) return fr.pop()!;
    while (this.objTop + n > this.obj.length) {
      const o = new Int16Array(this.obj.length * 2);
      o.set(this.obj);
      this.obj = o;
      const w = new Int16Array(o.length).fill(OWED_NONE);
      w.set(this.owed);
      this.owed = w;
    }
    const b = this.objTop;
    this.objTop += n;
    return b;
  }
  /** Gives a slab's range back. */
  freeObjs(b: number, n: number): void {
    let fr = this.objFree.get(n);
    if (!fr) this.objFree.set(n, (fr = []));
    fr.push(b);
  }
  /** OBJ_FREE, OBJ_ALLOCATED or OBJ_QUARANTINED of object i of slab id. */
  state(id: number, i: number): number {
    const v = this.obj[this.i32[id << SL32 | SL_BASE] + i];
    return v === OBJ_CODE_ALLOCATED ? OBJ_ALLOCATED : v === OBJ_CODE_QUARANTINED ? OBJ_QUARANTINED : OBJ_FREE;
  }
  /** A slab id: a discarded one, or a new one. */
  alloc(): number {
    if (this.freeIds.length) return this.freeIds.pop()!;
    if (this.top === SLAB_ID_LIMIT) return -1;
    if (this.top === this.cap) this.grow(Math.min(this.cap * 2, SLAB_ID_LIMIT));
    return this.top++;
  }
}

/**
 * The slab allocator of one System: every cache, every slab, and the kmalloc arrays
 * (filled by slab_common.ts `create_kmalloc_caches`).
 */
export class Slub {
  /** The machine. */
  readonly host: SlabHost;
  /** Number of CPUs and nodes. */
  readonly ncpus: number;
  readonly nnodes: number;
  /** Node of each cpu (cpu_to_node). */
  readonly cpu_to_node: Int32Array;
  /** Where the current cpu number lives (the page allocator's, once booted). */
  cpuRef: { cpu: number } = { cpu: 0 };
  /** The cpu the next call runs on (smp_processor_id()). */
  get cpu(): number {
    return this.cpuRef.cpu;
  }
  set cpu(v: number) {
    if (!Number.isInteger(v) || v < 0 || v >= this.ncpus) throw new KernelError(`cpu ${v} is not online (0..${this.ncpus - 1})`, 'EINVAL');
    this.cpuRef.cpu = v;
  }
  /** Every cache ever created, by id (destroyed ones have alive = false). */
  readonly caches: KmemCache[] = [];
  /** slab_caches: live caches in creation order (/proc/slabinfo prints the newest first). */
  readonly slab_caches: KmemCache[] = [];
  /** struct slab of every slab. */
  readonly slabs = new SlabTable();
  /** Parsed slab_debug= blocks. */
  readonly debugBlocks: SlabDebugBlock[];
  /** slab_nomerge (boot option `slab_nomerge`). */
  readonly nomerge: boolean;
  /** Bytes in slab pages per node: [reclaimable, unreclaimable] (NR_SLAB_*_B). */
  readonly nr_slab_reclaimable_B: Float64Array;
  readonly nr_slab_unreclaimable_B: Float64Array;
  /** kmalloc_large allocations: head pfn → order and requested size. */
  readonly large = new Map<number, { order: number; size: number }>();
  /** Per-object records (only filled when a tool needs them). */
  readonly objinfo = new Map<number, ObjInfo>();
  /** Registered shrinkers. */
  readonly shrinkers: Shrinker[] = [];
  /** Debugging tools' hooks; when any is set every allocation takes the slow path. */
  readonly hooks: SlabDebugHooks[] = [];
  /** True when the fast paths must not be used (a tool is on or failslab is armed). */
  slowpath = false;
  /** failslab: fail the allocation every `interval`th time while `times` is not 0 (-1 = forever). */
  readonly failslab = { times: 0, interval: 1, count: 0, cache_filter: false };
  /** The tainted mask (TAINT_BAD_PAGE is set by the first report). */
  tainted = 0;
  /** The `kmem_cache` and `kmem_cache_node` caches (after boot). */
  kmem_cache: KmemCache | null = null;
  kmem_cache_node: KmemCache | null = null;
  /** Nonzero while a constructor runs (the slab is half built: no validation then). */
  inCtor = 0;
  /** Tells page_owner which call site the next page allocation comes from. */
  pageCallerHook: ((caller: string) => void) | null = null;
  /** Set by slab_common.ts when the kmalloc caches exist. */
  kmalloc_ready = false;

  /** The simulated memory (free pointers are read and written in its bytes). */
  private readonly mem: SlabHost['mem'];
  /** PAGE_OFFSET, fixed once the slab allocator is up (objects already carry it). */
  readonly page_offset: number;
  private readonly memSize: number;
  private readonly maxPfn: number;
  /** Pages below this are freed by kfree's fast path: the ones that exist, up to 2^31 (int32). */
  readonly fastPfnLimit: number;
  private readonly pagePrivate: Int32Array;
  private readonly pageType: Uint8Array;

  constructor(host: SlabHost) {
    this.host = host;
    this.page_offset = host.layout.page_offset;
    this.memSize = host.mem.size;
    this.maxPfn = host.pages.max_pfn;
    this.fastPfnLimit = Math.min(this.maxPfn, 2 ** 31);
    this.pagePrivate = host.pages.private_;
    this.pageType = host.pages.page_type;
    this.mem = host.mem;
    host.mem.setSettler((pfn) => this.settle_page(pfn));
    const cfg = host.config;
    this.ncpus = cfg.cpus;
    this.nnodes = cfg.nodes.length;
    this.cpu_to_node = new Int32Array(this.ncpus);
    let c = 0;
    for (const n of cfg.nodes) for (let i = 0; i < n.cpus && c < this.ncpus; i++) this.cpu_to_node[c++] = n.id;
    this.nr_slab_reclaimable_B = new Float64Array(this.nnodes);
    this.nr_slab_unreclaimable_B = new Float64Array(this.nnodes);
    this.debugBlocks = parse_slab_debug(cfg.cmdline);
    this.nomerge = /(^|\s)(slab_nomerge|slub_nomerge)(\s|$)/.test(cfg.cmdline);
  }

  // ---------------------------------------------------------------------------------------
  // Memory access: the free pointer lives in the object's bytes.
  // ---------------------------------------------------------------------------------------

  /**
   * Writes the free pointers owed to slab page `pfn` into its bytes (PhysMem calls it before
   * anything touches an owed page): each object whose free pointer lies in that page and is owed
   * one gets it, and is owed nothing after.
   */
  private settle_page(pfn: number): void {
    const t = this.slabs;
    const id = this.pagePrivate[pfn];
    if (!(id >= 0 && id < t.top) || t.i32[id << SL32 | SL_WHERE] === SLAB_UNUSED) throw new VmBugError('slab: free pointers owed to a page that is not a slab page', `pfn ${pfn}`);
    const s = this.caches[t.i32[id << SL32 | SL_CACHE]];
    const first = t.first[id];
    const firstPhys = first - this.page_offset;
    const b = t.i32[id << SL32 | SL_BASE];
    // The objects whose free pointer (at s.offset) lies in this page.
    const start = pfn * PAGE_SIZE - firstPhys - s.offset;
    const lo = Math.max(0, Math.ceil(start / s.size));
    const hi = Math.min(t.i32[id << SL32 | SL_OBJECTS] - 1, Math.floor((start + PAGE_SIZE - 1) / s.size));
    const owed = t.owed;
    for (let i = lo; i <= hi; i++) {
      const p = owed[b + i];
      if (p === OWED_NONE) continue;
      owed[b + i] = OWED_NONE;
      this.mem.writePtr(firstPhys + i * s.size + s.offset, p < 0 ? 0 : first + p * s.size);
    }
  }

  /** Physical address of a direct-map address. */
  pa(addr: number): number {
    return addr - this.page_offset;
  }
  /** Direct-map address of a physical address. */
  va(phys: number): number {
    return this.page_offset + phys;
  }

  // ---------------------------------------------------------------------------------------
  // Cache geometry
  // ---------------------------------------------------------------------------------------

  /** calculate_alignment(): SLAB_HWCACHE_ALIGN halves the line while the object fits twice. */
  calculate_alignment(flags: number, align: number, size: number): number {
    if (flags & SLAB_HWCACHE_ALIGN) {
      let ralign = L1_CACHE_BYTES;
      while (size <= ralign / 2) ralign /= 2;
      align = Math.max(align, ralign);
    }
    align = Math.max(align, ARCH_KMALLOC_MINALIGN);
    return ALIGN(align, WORD);
  }

  /** min_objects of calculate_order: slub_min_objects or 4 × (fls(nr_cpus) + 1). */
  min_objects(): number {
    const m = /(?:^|\s)sl[au]b_min_objects=(\d+)/.exec(this.host.config.cmdline);
    if (m && Number(m[1]) > 0) return Number(m[1]);
    return 4 * (fls(this.ncpus) + 1);
  }

  /** slub_max_order (boot option slab_max_order=, default 3). */
  max_order(): number {
    const m = /(?:^|\s)sl[au]b_max_order=(\d+)/.exec(this.host.config.cmdline);
    return m ? Math.min(Number(m[1]), 10) : SLUB_MAX_ORDER;
  }

  /** slub_min_order (boot option slab_min_order=, default 0). */
  min_order(): number {
    const m = /(?:^|\s)sl[au]b_min_order=(\d+)/.exec(this.host.config.cmdline);
    return m ? Math.min(Number(m[1]), 10) : 0;
  }

  /** calculate_order(): the slab order for objects of `size` bytes. */
  calculate_order(size: number): number {
    const max_order = this.max_order();
    const order_objects = (order: number) => Math.floor((PAGE_SIZE << order) / size);
    const max_objects = Math.max(order_objects(max_order), 1);
    const min_objects = Math.min(this.min_objects(), max_objects);
    const min_order = Math.max(this.min_order(), get_order(min_objects * size));
    if (order_objects(min_order) > MAX_OBJS_PER_PAGE) return get_order(size * MAX_OBJS_PER_PAGE) - 1;
    for (let fraction = 16; fraction > 1; fraction /= 2) {
      let order = min_order;
      for (; order <= max_order; order++) {
        const slab_size = PAGE_SIZE << order;
        if (slab_size % size <= slab_size / fraction) break;
      }
      if (order <= max_order) return order;
    }
    return get_order(size);
  }

  /** calculate_sizes(): the object layout (free pointer, red zones, tracking, KASAN metadata). */
  private calculate_sizes(s: KmemCache, kasan: boolean): void {
    const flags = s.flags;
    s.red_left_pad = 0;
    let size = ALIGN(s.object_size, WORD);
    if (flags & SLAB_POISON && !(flags & SLAB_TYPESAFE_BY_RCU) && !s.ctor) s.flags |= __OBJECT_POISON;
    else s.flags &= ~__OBJECT_POISON;
    if (flags & SLAB_RED_ZONE && size === s.object_size) size += WORD;
    s.inuse = size;
    const origSize = (flags & (SLAB_KMALLOC | SLAB_STORE_USER | SLAB_RED_ZONE)) === (SLAB_KMALLOC | SLAB_STORE_USER | SLAB_RED_ZONE);
    if (flags & SLAB_TYPESAFE_BY_RCU || flags & SLAB_POISON || s.ctor || (flags & SLAB_RED_ZONE && (s.object_size < WORD || origSize))) {
      s.offset = size;
      size += WORD;
    } else {
      s.offset = Math.floor(s.object_size / 2 / WORD) * WORD;
    }
    if (flags & SLAB_STORE_USER) {
      size += 2 * TRACK_SIZE;
      if (flags & SLAB_KMALLOC) size += WORD;
    }
    if (kasan) {
      // kasan_cache_create (generic): alloc metadata after the object, then the optimal redzone.
      size += 16;
      const rz = optimal_redzone(s.object_size);
      size = Math.max(size, s.object_size + rz);
    }
    if (flags & SLAB_RED_ZONE) {
      size += WORD;
      s.red_left_pad = ALIGN(WORD, s.align);
      size += s.red_left_pad;
    }
    size = ALIGN(size, s.align);
    s.size = size;
    s.reciprocal_size = 1 / size;
    const order = this.calculate_order(size);
    s.allocflags = __GFP_COMP;
    if (s.flags & SLAB_CACHE_DMA) s.allocflags |= __GFP_DMA;
    if (s.flags & SLAB_CACHE_DMA32) s.allocflags |= __GFP_DMA32;
    if (s.flags & SLAB_RECLAIM_ACCOUNT) s.allocflags |= __GFP_RECLAIMABLE;
    s.oo_order = order;
    s.oo_objects = Math.floor((PAGE_SIZE << order) / size);
    s.min_order = get_order(size);
    s.min_objects = Math.floor((PAGE_SIZE << s.min_order) / size);
    // set_min_partial(s, ilog2(s->size) / 2)
    s.min_partial = Math.min(MAX_PARTIAL, Math.max(MIN_PARTIAL, Math.floor(ilog2(s.size) / 2)));
    s.debug = (s.flags & SLAB_DEBUG_FLAGS) !== 0;
    // set_cpu_partial()
    let nr = 0;
    if (!s.debug) nr = s.size >= PAGE_SIZE ? 6 : s.size >= 1024 ? 24 : s.size >= 256 ? 52 : 120;
    s.cpu_partial = nr;
    s.cpu_partial_slabs = Math.ceil((nr * 2) / s.oo_objects);
  }

  /** Recomputes the layout of a cache that has no slabs (KASAN being switched on). */
  relayout(s: KmemCache, kasan: boolean): void {
    for (let n = 0; n < this.nnodes; n++) if (s.nr_slabs[n] !== 0) throw new KernelError(`relayout: ${s.name} still has slabs`, 'EBUSY');
    this.calculate_sizes(s, kasan);
  }

  /** True when KASAN is on (set by kasan.ts before the first cache is created). */
  kasanOn = false;

  /** slab_unmergeable(). */
  slab_unmergeable(s: KmemCache): boolean {
    if (this.nomerge || s.flags & SLAB_NEVER_MERGE) return true;
    if (s.ctor) return true;
    if (s.usersize) return true; // CONFIG_HARDENED_USERCOPY
    return false;
  }

  /** find_mergeable(): an existing cache that can serve objects of `size` with these flags. */
  find_mergeable(size: number, align: number, flags: number, name: string, ctor: SlabCtor | null): KmemCache | null {
    if (this.nomerge || ctor) return null;
    flags = this.kmem_cache_flags(flags, name);
    if (flags & SLAB_NEVER_MERGE) return null;
    size = ALIGN(size, WORD);
    align = this.calculate_alignment(flags, align, size);
    size = ALIGN(size, align);
    for (let i = this.slab_caches.length - 1; i >= 0; i--) {
      const s = this.slab_caches[i];
      if (this.slab_unmergeable(s)) continue;
      if (size > s.size) continue;
      if ((flags & SLAB_MERGE_SAME) !== (s.flags & SLAB_MERGE_SAME)) continue;
      if ((s.size & ~(align - 1)) !== s.size) continue;
      if (s.size - size >= WORD) continue;
      return s;
    }
    return null;
  }

  /** kmem_cache_flags(): add the slab_debug= flags that name this cache. */
  kmem_cache_flags(flags: number, name: string): number {
    if (flags & SLAB_NO_USER_FLAGS) return flags;
    return flags | slab_debug_flags_for(this.debugBlocks, name);
  }

  /**
   * Creates a cache without validation or merging (create_cache / create_boot_cache). Used by
   * kmem_cache_create and by boot for the kmalloc caches.
   */
  create_cache(name: string, object_size: number, align: number, flags: number, ctor: SlabCtor | null, usersize = 0): KmemCache {
    flags = this.kmem_cache_flags(flags, name);
    const s = new KmemCache(this.caches.length, name, object_size, align, flags, ctor, this.ncpus, this.nnodes);
    s.usersize = usersize;
    this.calculate_sizes(s, this.kasanOn);
    this.caches.push(s);
    this.slab_caches.push(s);
    // The struct kmem_cache and its kmem_cache_node structs are slab objects themselves.
    if (this.kmem_cache && this.kmem_cache_node) {
      s.addr = this.slab_alloc(this.kmem_cache, 0xcc0, 0, 'kmem_cache_create_usercopy+0x11a/0x2d0') || 0;
      for (let n = 0; n < this.nnodes; n++) this.slab_alloc(this.kmem_cache_node, 0xcc0, 0, 'init_kmem_cache_nodes+0x6b/0x190');
    }
    return s;
  }

  /** Boot: the two bootstrap caches (kmem_cache_init before create_kmalloc_caches). */
  bootstrap(): void {
    const node = this.create_cache('kmem_cache_node', KMEM_CACHE_NODE_SIZE, this.calculate_alignment(SLAB_HWCACHE_ALIGN, 0, KMEM_CACHE_NODE_SIZE), SLAB_HWCACHE_ALIGN | SLAB_NO_MERGE, null);
    const kcSize = 216 + 8 * this.nnodes;
    const kc = this.create_cache('kmem_cache', kcSize, this.calculate_alignment(SLAB_HWCACHE_ALIGN, 0, kcSize), SLAB_HWCACHE_ALIGN | SLAB_NO_MERGE, null);
    this.kmem_cache_node = node;
    this.kmem_cache = kc;
    // bootstrap() adds kmem_cache to slab_caches before kmem_cache_node.
    this.slab_caches.splice(0, 2, kc, node);
    // bootstrap(): the static structs move into slab objects.
    for (const s of [node, kc]) {
      s.addr = this.slab_alloc(kc, 0xcc0, 0, 'bootstrap+0x2a/0x110') || 0;
      for (let n = 0; n < this.nnodes; n++) this.slab_alloc(node, 0xcc0, 0, 'bootstrap+0x7d/0x110');
    }
  }

  /**
   * kmem_cache_create(name, size, align, flags, ctor): a new cache, or an existing compatible one
   * (an alias). Throws KernelError on bad arguments (the kernel prints the same line and returns
   * NULL).
   */
  kmem_cache_create(name: string, size: number, align: number, flags: number, ctor: SlabCtor | null = null): KmemCache {
    const fail = (why: string, errno = 'EINVAL') => {
      this.printk(`kmem_cache_create(${name}) ${why}`);
      return new KernelError(`kmem_cache_create(${name}) ${why}`, errno);
    };
    if (typeof name !== 'string' || name.length === 0) throw fail('integrity check failed');
    if (!Number.isInteger(size) || size < 1 || size > 4 << 20) throw fail('integrity check failed');
    if (/\s/.test(name)) throw fail('integrity check failed: name contains a space (it confuses parsers)');
    if (!Number.isInteger(align) || align < 0 || (align & (align - 1)) !== 0) throw fail(`failed with error -22: align ${align} is not a power of two`);
    if (!Number.isInteger(flags) || flags & ~SLAB_FLAGS_PERMITTED) throw fail(`failed with error -22: unknown flags 0x${(flags >>> 0).toString(16)}`);
    if (ctor !== null && typeof ctor !== 'function') throw fail('failed with error -22: ctor is not a function');
    if (this.slab_caches.some((c) => c.name === name) || this.slab_caches.some((c) => c.aliases.includes(name))) {
      this.printk(`kmem_cache of name '${name}' already exists`);
    }
    const alias = this.find_mergeable(size, align, flags, name, ctor);
    if (alias) {
      alias.refcount++;
      alias.aliases.push(name);
      alias.object_size = Math.max(alias.object_size, size);
      alias.inuse = Math.max(alias.inuse, ALIGN(size, WORD));
      this.host.checkpoint();
      return alias;
    }
    const a = this.calculate_alignment(flags, align, size);
    const s = this.create_cache(name, size, a, flags, ctor);
    if (s.oo_objects === 0) {
      this.remove_cache(s);
      throw fail('failed with error -22');
    }
    this.host.checkpoint();
    return s;
  }

  private remove_cache(s: KmemCache): void {
    s.alive = false;
    const i = this.slab_caches.indexOf(s);
    if (i >= 0) this.slab_caches.splice(i, 1);
  }

  /** Throws KernelError unless `s` is a live cache of this allocator. */
  checkCache(s: KmemCache, fn: string): void {
    if (!(s instanceof KmemCache) || this.caches[s.id] !== s) throw new KernelError(`${fn}: not a kmem_cache`, 'EINVAL');
    if (!s.alive) throw new KernelError(`${fn}: cache ${s.name} was destroyed`, 'EINVAL');
  }

  // ---------------------------------------------------------------------------------------
  // Slabs
  // ---------------------------------------------------------------------------------------

  /** Address of object `i` of slab `id`. */
  objAddr(id: number, i: number): number {
    return this.slabs.first[id] + i * this.caches[this.slabs.i32[id << SL32 | SL_CACHE]].size;
  }

  /** Index of the object at address `obj` (an object boundary) in slab `id` of cache `s`. */
  objIndex(s: KmemCache, id: number, obj: number): number {
    return Math.round((obj - this.slabs.first[id]) / s.size);
  }

  /** slab->freelist as an address: the first object on the slab's own freelist, or 0 (NULL). */
  slab_freelist(id: number): number {
    const f = this.slabs.i32[id << SL32 | SL_FREE];
    return f < 0 ? 0 : this.objAddr(id, f);
  }

  /**
   * The slab holding direct-map address `addr` (any byte of its pages), or -1 (virt_to_slab).
   */
  addrToSlab(addr: number): number {
    const phys = addr - this.page_offset;
    if (!(phys >= 0 && phys < this.memSize)) return -1;
    return this.pfnToSlab(Math.floor(phys / PAGE_SIZE));
  }

  /** The slab owning page `pfn`, or -1. */
  pfnToSlab(pfn: number): number {
    if (!(pfn >= 0 && pfn < this.maxPfn)) return -1;
    const id = this.pagePrivate[pfn];
    const t = this.slabs;
    // page->private of a slab page holds its slab id; a live slab owns [pfn, pfn + 2^order).
    if (!(id >= 0 && id < t.top && (id | 0) === id) || t.i32[id << SL32 | SL_WHERE] === SLAB_UNUSED) return -1;
    const head = t.pfn[id];
    if (pfn < head || pfn >= head + (1 << t.i32[id << SL32 | SL_ORDER])) return -1;
    return id;
  }

  /** allocate_slab(): pages from the buddy allocator, cut into objects; -1 on failure. */
  private allocate_slab(s: KmemCache, gfp: number, node: number): number {
    const host = this.host;
    const flags = (gfp & ~(__GFP_ZERO | __GFP_COMP)) | s.allocflags;
    let order = s.oo_order;
    let objects = s.oo_objects;
    let alloc_gfp = flags;
    if (s.oo_order > s.min_order) alloc_gfp = (flags | __GFP_NOWARN | __GFP_NORETRY) & ~__GFP_NOFAIL;
    this.pageCallerHook?.('allocate_slab+0x1ba/0x500');
    let pfn = host.buddy.alloc(alloc_gfp, order, node);
    if (pfn < 0 && s.oo_order > s.min_order) {
      order = s.min_order;
      objects = s.min_objects;
      this.pageCallerHook?.('allocate_slab+0x1ba/0x500');
      pfn = host.buddy.alloc(flags, order, node);
    }
    if (pfn < 0) return -1;
    const t = this.slabs;
    const id = t.alloc();
    if (id < 0) {
      // More struct slabs than the simulator's table holds (SLAB_ID_LIMIT): out of memory.
      host.buddy.free(pfn, order);
      return -1;
    }
    const nid = host.pfn_to_nid ? host.pfn_to_nid(pfn) : node;
    const nr = 1 << order;
    const pages = host.pages;
    pages.page_type[pfn] = PGTY.slab;
    for (let i = 0; i < nr; i++) pages.private_[pfn + i] = id;
    for (let i = 0; i < nr; i++) this.mem.pageForWrite(pfn + i);
    const base = this.va(pfn * PAGE_SIZE);
    t.i32[id << SL32 | SL_CACHE] = s.id;
    t.pfn[id] = pfn;
    t.i32[id << SL32 | SL_PFN] = pfn < 2 ** 31 ? pfn : -1;
    t.i32[id << SL32 | SL_ORDER] = order;
    t.i32[id << SL32 | SL_NODE] = nid;
    t.first[id] = base + s.red_left_pad;
    t.i32[id << SL32 | SL_INUSE] = 0;
    t.i32[id << SL32 | SL_OBJECTS] = objects;
    t.i32[id << SL32 | SL_FROZEN] = 0;
    t.i32[id << SL32 | SL_WHERE] = SLAB_FULL;
    t.i32[id << SL32 | SL_CPU] = -1;
    t.i32[id << SL32 | SL_NEXT] = -1;
    t.i32[id << SL32 | SL_PREV] = -1;
    t.i32[id << SL32 | SL_SLABS] = 0;
    const ob = t.allocObjs(objects);
    t.i32[id << SL32 | SL_BASE] = ob;
    const next = t.obj;
    // account_slab()
    const bytes = PAGE_SIZE << order;
    if (s.flags & SLAB_RECLAIM_ACCOUNT) this.nr_slab_reclaimable_B[nid] += bytes;
    else this.nr_slab_unreclaimable_B[nid] += bytes;
    host.vmstat?.mod_node(nid, s.flags & SLAB_RECLAIM_ACCOUNT ? 'nr_slab_reclaimable_B' : 'nr_slab_unreclaimable_B', bytes);
    s.nr_slabs[nid]++;
    s.total_objects[nid] += objects;
    // setup_slab_debug(): poison the whole slab with POISON_INUSE first.
    if (s.flags & SLAB_POISON) host.mem.fill(pfn * PAGE_SIZE, POISON_INUSE, bytes);
    for (const h of this.hooks) h.onNewSlab?.(s, base, bytes);
    // setup_object() on each object, then the freelist in address order: object i's free pointer
    // holds object i + 1's address, the last one NULL. (The free pointer lies outside what a
    // constructor or the debug set-up writes, so the order of the two passes does not matter.)
    const first = t.first[id];
    if (s.debug || s.ctor) {
      for (let i = 0; i < objects; i++) {
        const obj = first + i * s.size;
        if (s.debug) dbg.setup_object_debug(this, s, obj);
        if (s.ctor) {
          this.inCtor++;
          try {
            s.ctor(obj);
          } finally {
            this.inCtor--;
          }
        }
      }
    }
    for (let i = 0; i < objects; i++) next[ob + i] = i + 1 < objects ? i + 1 : -1;
    // The freelist's pointers are owed to the pages like a free's (see free_object), so that the
    // host touches a slab page only when something reads or writes it; a debug cache's (and any
    // unaligned layout's) are written at once.
    const fp0 = this.pa(first) + s.offset;
    let owe = !s.debug && (fp0 & 7) === 0 && (s.size & 7) === 0;
    for (let i = 0; owe && i < nr; i++) owe = this.mem.owe(pfn + i);
    if (owe) t.owed.set(next.subarray(ob, ob + objects), ob);
    else {
      this.mem.writePtrRun(fp0, s.size, objects - 1, first + s.size, s.size);
      this.mem.writePtr(fp0 + (objects - 1) * s.size, 0);
    }
    t.i32[id << SL32 | SL_FREE] = 0;
    return id;
  }

  /** discard_slab(): the pages go back to the buddy allocator. */
  discard_slab(s: KmemCache, id: number): void {
    const t = this.slabs;
    const host = this.host;
    const pfn = t.pfn[id];
    const order = t.i32[id << SL32 | SL_ORDER];
    // The free pointers still owed to these pages are written while they are slab pages: freed
    // pages keep their content, as real RAM does.
    for (let i = 0; i < 1 << order; i++) this.mem.settle(pfn + i);
    if (s.debug) dbg.check_slab_on_discard(this, s, id);
    const nid = t.i32[id << SL32 | SL_NODE];
    const bytes = PAGE_SIZE << order;
    for (const h of this.hooks) h.onDiscardSlab?.(s, this.va(pfn * PAGE_SIZE), bytes);
    s.nr_slabs[nid]--;
    s.total_objects[nid] -= t.i32[id << SL32 | SL_OBJECTS];
    if (s.flags & SLAB_RECLAIM_ACCOUNT) this.nr_slab_reclaimable_B[nid] -= bytes;
    else this.nr_slab_unreclaimable_B[nid] -= bytes;
    host.vmstat?.mod_node(nid, s.flags & SLAB_RECLAIM_ACCOUNT ? 'nr_slab_reclaimable_B' : 'nr_slab_unreclaimable_B', -bytes);
    const pages = host.pages;
    pages.page_type[pfn] = PGTY.none;
    for (let i = 0; i < 1 << order; i++) pages.private_[pfn + i] = 0;
    t.freeObjs(t.i32[id << SL32 | SL_BASE], t.i32[id << SL32 | SL_OBJECTS]);
    if (this.fpScribbled.size) {
      const lo = this.va(pfn * PAGE_SIZE);
      for (const o of [...this.fpScribbled]) if (o >= lo && o < lo + bytes) this.fpScribbled.delete(o);
      this.slowpath = this.computeSlowpath();
    }
    t.i32[id << SL32 | SL_WHERE] = SLAB_UNUSED;
    // No page is ever within NaN pages of the head pfn: free_object's range check fails.
    t.pfn[id] = NaN;
    t.i32[id << SL32 | SL_PFN] = -1;
    t.i32[id << SL32 | SL_CACHE] = -1;
    t.i32[id << SL32 | SL_FREE] = -1;
    t.i32[id << SL32 | SL_INUSE] = 0;
    t.i32[id << SL32 | SL_NEXT] = -1;
    t.i32[id << SL32 | SL_PREV] = -1;
    t.i32[id << SL32 | SL_CPU] = -1;
    t.freeIds.push(id);
    host.buddy.free(pfn, order);
  }

  // Node partial list (add_partial / remove_partial) -------------------------------------

  private add_partial(s: KmemCache, id: number, tail: boolean): void {
    const t = this.slabs;
    const n = t.i32[id << SL32 | SL_NODE];
    t.i32[id << SL32 | SL_WHERE] = SLAB_NODE_PARTIAL;
    t.i32[id << SL32 | SL_CPU] = -1;
    s.nr_partial[n]++;
    if (s.n_partial_head[n] < 0) {
      t.i32[id << SL32 | SL_NEXT] = t.i32[id << SL32 | SL_PREV] = -1;
      s.n_partial_head[n] = s.n_partial_tail[n] = id;
    } else if (tail) {
      const last = s.n_partial_tail[n];
      t.i32[id << SL32 | SL_PREV] = last;
      t.i32[id << SL32 | SL_NEXT] = -1;
      t.i32[last << SL32 | SL_NEXT] = id;
      s.n_partial_tail[n] = id;
    } else {
      const h = s.n_partial_head[n];
      t.i32[id << SL32 | SL_NEXT] = h;
      t.i32[id << SL32 | SL_PREV] = -1;
      t.i32[h << SL32 | SL_PREV] = id;
      s.n_partial_head[n] = id;
    }
  }

  private remove_partial(s: KmemCache, id: number): void {
    const t = this.slabs;
    const n = t.i32[id << SL32 | SL_NODE];
    const p = t.i32[id << SL32 | SL_PREV];
    const nx = t.i32[id << SL32 | SL_NEXT];
    if (p >= 0) t.i32[p << SL32 | SL_NEXT] = nx;
    else s.n_partial_head[n] = nx;
    if (nx >= 0) t.i32[nx << SL32 | SL_PREV] = p;
    else s.n_partial_tail[n] = p;
    t.i32[id << SL32 | SL_NEXT] = t.i32[id << SL32 | SL_PREV] = -1;
    s.nr_partial[n]--;
    t.i32[id << SL32 | SL_WHERE] = SLAB_FULL;
  }

  /** put_cpu_partial(): push a slab on this cpu's partial list, draining it when full. */
  private put_cpu_partial(s: KmemCache, id: number, drain: boolean): void {
    const t = this.slabs;
    const c = this.cpuRef.cpu;
    let old = s.c_partial[c];
    let slabs = 0;
    let toPut = -1;
    if (old >= 0) {
      if (drain && t.i32[old << SL32 | SL_SLABS] >= s.cpu_partial_slabs) {
        toPut = old;
        old = -1;
      } else slabs = t.i32[old << SL32 | SL_SLABS];
    }
    slabs++;
    t.i32[id << SL32 | SL_SLABS] = slabs;
    t.i32[id << SL32 | SL_NEXT] = old;
    t.i32[id << SL32 | SL_PREV] = -1;
    t.i32[id << SL32 | SL_WHERE] = SLAB_CPU_PARTIAL;
    t.i32[id << SL32 | SL_CPU] = c;
    s.c_partial[c] = id;
    if (toPut >= 0) this.__put_partials(s, toPut);
  }

  /** __put_partials(): move a detached cpu partial list to the node lists. */
  private __put_partials(s: KmemCache, head: number): void {
    const t = this.slabs;
    let discard: number[] | null = null;
    let id = head;
    while (id >= 0) {
      const nx = t.i32[id << SL32 | SL_NEXT];
      t.i32[id << SL32 | SL_NEXT] = -1;
      const n = t.i32[id << SL32 | SL_NODE];
      if (t.i32[id << SL32 | SL_INUSE] === 0 && s.nr_partial[n] >= s.min_partial) {
        t.i32[id << SL32 | SL_WHERE] = SLAB_FULL;
        (discard ??= []).push(id);
      } else this.add_partial(s, id, true);
      id = nx;
    }
    if (discard) for (const d of discard) this.discard_slab(s, d);
  }

  /** put_partials(): flush this cpu's partial list. */
  private put_partials_cpu(s: KmemCache, c: number): void {
    const head = s.c_partial[c];
    if (head < 0) return;
    s.c_partial[c] = -1;
    this.__put_partials(s, head);
  }

  /** deactivate_slab(): give the cpu slab back, merging the cpu freelist into the slab's. */
  private deactivate_slab(s: KmemCache, c: number): void {
    const t = this.slabs;
    const id = s.c_slab[c];
    if (id < 0) return;
    const slabFree = t.i32[id << SL32 | SL_FREE];
    const tailPos = slabFree >= 0; // remote frees: DEACTIVATE_TO_TAIL
    // Walk the cpu freelist and splice it in front of the slab freelist.
    const head = s.c_free[c];
    if (head >= 0) {
      const next = t.obj;
      const b = t.i32[id << SL32 | SL_BASE];
      let cnt = 0;
      let last = -1;
      for (let i = head; i >= 0; i = next[b + i]) {
        cnt++;
        last = i;
      }
      next[b + last] = slabFree;
      this.mem.writePtr(this.pa(this.objAddr(id, last)) + s.offset, this.slab_freelist(id));
      t.i32[id << SL32 | SL_FREE] = head;
      t.i32[id << SL32 | SL_INUSE] -= cnt;
    }
    s.c_slab[c] = -1;
    s.c_free[c] = -1;
    t.i32[id << SL32 | SL_FROZEN] = 0;
    t.i32[id << SL32 | SL_CPU] = -1;
    t.i32[id << SL32 | SL_WHERE] = SLAB_FULL;
    const n = t.i32[id << SL32 | SL_NODE];
    if (t.i32[id << SL32 | SL_INUSE] === 0 && s.nr_partial[n] >= s.min_partial) this.discard_slab(s, id);
    else if (t.i32[id << SL32 | SL_FREE] >= 0) this.add_partial(s, id, tailPos);
  }

  /** flush_all(): every cpu gives back its slab and partial list. */
  flush_all(s: KmemCache): void {
    for (let c = 0; c < this.ncpus; c++) {
      this.deactivate_slab(s, c);
      this.put_partials_cpu(s, c);
    }
  }

  // ---------------------------------------------------------------------------------------
  // Allocation
  // ---------------------------------------------------------------------------------------

  /**
   * slab_alloc_node(): one object from cache `s`, or 0 when no memory. `size` is the size the
   * caller asked for (kmalloc), 0 for the object size. `caller` names the simulated call site.
   */
  slab_alloc(s: KmemCache, gfp: number, size: number, caller: string | undefined): number {
    if (this.slowpath || s.debug) return this.slab_alloc_slow(s, gfp, size, caller);
    const c = this.cpuRef.cpu;
    let i = s.c_free[c];
    if (i < 0) {
      if (this.___slab_alloc(s, gfp, c) === 0) return 0;
      i = s.c_free[c];
    }
    // Fast path (and load_freelist after ___slab_alloc): pop the lockless per-cpu freelist. It
    // follows the simulator's copy of the free pointers; the bytes are compared on the slow path
    // while a free pointer is known to be overwritten (fpScribbled), which is reported there.
    const t = this.slabs;
    const id = s.c_slab[c];
    const bi = t.i32[id << SL32 | SL_BASE] + i;
    const pool = t.obj;
    s.c_free[c] = pool[bi];
    pool[bi] = OBJ_CODE_ALLOCATED;
    const obj = s.c_first[c] + i * s.size;
    if (gfp & __GFP_ZERO) this.host.mem.fill(obj - this.page_offset, 0, s.object_size);
    return obj;
  }

  /** The general path: failslab, debug caches, tools' hooks. */
  private slab_alloc_slow(s: KmemCache, gfp: number, size: number, caller: string | undefined): number {
    if (this.should_failslab(s, gfp)) return 0;
    let obj: number;
    if (s.debug) obj = this.alloc_debug(s, gfp, size, caller);
    else {
      const c = this.cpu;
      if (s.c_free[c] < 0 && this.___slab_alloc(s, gfp, c) === 0) return 0;
      obj = this.take_cpu_object(s, c);
    }
    if (obj === 0) return 0;
    this.post_alloc(s, obj, gfp, size || s.object_size, caller);
    return obj;
  }

  /** slab_post_alloc_hook(): zeroing, tracking and the tools' hooks. */
  private post_alloc(s: KmemCache, obj: number, gfp: number, size: number, caller: string | undefined): void {
    if (gfp & __GFP_ZERO) {
      const zero = s.flags & (SLAB_STORE_USER | SLAB_RED_ZONE) && s.flags & SLAB_KMALLOC ? size : s.object_size;
      this.host.mem.fill(this.pa(obj), 0, zero);
    }
    if (this.hooks.length || s.flags & SLAB_STORE_USER) {
      const info: ObjInfo = this.objinfo.get(obj) ?? { orig_size: size };
      info.orig_size = size;
      info.alloc = this.track(caller ?? default_caller(size));
      info.free = undefined;
      this.objinfo.set(obj, info);
    }
    for (const h of this.hooks) h.onAlloc?.(s, obj, size);
  }

  /** A track record for now. */
  track(caller: string): ObjTrack {
    const cur = this.host.current;
    return {
      caller,
      pid: cur ? cur.pid : 0,
      comm: cur ? cur.comm : 'swapper/0',
      cpu: this.cpu,
      when: this.host.clock.jiffies,
      ns: this.host.clock.ns,
    };
  }

  /** should_failslab(): fault injection for slab allocations. */
  private should_failslab(s: KmemCache, gfp: number): boolean {
    const f = this.failslab;
    if (f.times === 0) return false;
    if (f.cache_filter && !(s.flags & SLAB_FAILSLAB)) return false;
    if (gfp & __GFP_NOFAIL) return false;
    f.count++;
    if (f.count % Math.max(1, f.interval) !== 0) return false;
    if (f.times > 0) f.times--;
    this.slowpath = this.computeSlowpath();
    this.printk(`FAULT_INJECTION: forcing a failure.\nname failslab, interval ${f.interval}, probability 100, space 0, times ${f.times}`);
    return true;
  }

  /** True when the fast paths must be skipped. */
  computeSlowpath(): boolean {
    return this.hooks.length > 0 || this.failslab.times !== 0 || this.fpScribbled.size > 0;
  }

  /** Free objects whose free-pointer bytes a caller overwrote (checked when they are handed out). */
  readonly fpScribbled = new Set<number>();

  /** Compares the free pointer in the bytes of `obj` with the freelist (freelist_corrupted). */
  private checkFp(s: KmemCache, id: number, obj: number, next: number): void {
    if (this.mem.readPtr(obj - this.page_offset + s.offset) !== next) dbg.freechain_corrupt(this, s, id, obj, next);
    if (this.fpScribbled.size && this.fpScribbled.delete(obj) && this.fpScribbled.size === 0) this.slowpath = this.computeSlowpath();
  }

  /**
   * Hands out the head of cpu `c`'s (non-empty) freelist and returns its address: the freelist
   * moves on to the object's free pointer (get_freepointer, checked against the object's real
   * bytes) and the object is marked allocated. The general path's pop (slab_alloc_slow).
   */
  private take_cpu_object(s: KmemCache, c: number): number {
    const t = this.slabs;
    const id = s.c_slab[c];
    const i = s.c_free[c];
    const bi = t.i32[id << SL32 | SL_BASE] + i;
    const ni = t.obj[bi];
    const obj = this.objAddr(id, i);
    this.checkFp(s, id, obj, ni < 0 ? 0 : this.objAddr(id, ni));
    s.c_free[c] = ni;
    t.obj[bi] = OBJ_CODE_ALLOCATED;
    return obj;
  }

  /**
   * ___slab_alloc(): the slow path of a non-debug cache, on cpu `c` whose freelist is empty. Fills
   * the cpu freelist (objects freed remotely to the cpu slab, else a slab from the cpu partial
   * list, the node partial list or the page allocator) and returns 1; returns 0 when no memory.
   * The caller pops the first object (load_freelist), as its fast path does.
   */
  private ___slab_alloc(s: KmemCache, gfp: number, c: number): number {
    const t = this.slabs;
    const i32 = t.i32;
    let id = s.c_slab[c];
    if (id >= 0) {
      // get_freelist(): take the objects freed remotely to the cpu slab (each lowered inuse; with
      // none, inuse is still objects and the freelist NULL).
      const free = i32[id << SL32 | SL_FREE];
      if (free >= 0) {
        i32[id << SL32 | SL_FREE] = -1;
        i32[id << SL32 | SL_INUSE] = i32[id << SL32 | SL_OBJECTS];
        s.c_free[c] = free;
        return 1;
      }
      // deactivate_slab() of a full cpu slab: it goes on no list.
      i32[id << SL32 | SL_FROZEN] = 0;
      i32[id << SL32 | SL_WHERE] = SLAB_FULL;
      i32[id << SL32 | SL_CPU] = -1;
      s.c_slab[c] = -1;
    }
    // new_slab: the per-cpu partial list first.
    id = s.c_partial[c];
    if (id >= 0) {
      s.c_partial[c] = i32[id << SL32 | SL_NEXT];
      i32[id << SL32 | SL_NEXT] = -1;
    } else {
      id = this.get_partial_node(s, this.cpu_to_node[c]);
      if (id < 0) {
        id = this.allocate_slab(s, gfp, this.cpu_to_node[c]);
        if (id < 0) {
          this.slab_out_of_memory(s, gfp);
          return 0;
        }
      }
    }
    // freeze_slab(): the slab's freelist becomes the cpu freelist. (The records again from the
    // table: allocate_slab may have grown it.)
    const rec = t.i32;
    s.c_free[c] = rec[id << SL32 | SL_FREE];
    rec[id << SL32 | SL_FREE] = -1;
    rec[id << SL32 | SL_INUSE] = rec[id << SL32 | SL_OBJECTS];
    rec[id << SL32 | SL_FROZEN] = 1;
    rec[id << SL32 | SL_WHERE] = SLAB_CPU;
    rec[id << SL32 | SL_CPU] = c;
    s.c_slab[c] = id;
    // The first object's address from the head pfn in the record when it is there (the table's
    // copy is in a cache line of its own).
    const head = rec[id << SL32 | SL_PFN];
    s.c_first[c] = head >= 0 ? this.page_offset + head * PAGE_SIZE + s.red_left_pad : t.first[id];
    return 1;
  }

  /** get_partial_node(): take slabs from the node partial list (one for the cpu, some for its partial list). */
  private get_partial_node(s: KmemCache, n: number): number {
    const t = this.slabs;
    let partial = -1;
    let partial_slabs = 0;
    let id = s.n_partial_head[n];
    while (id >= 0) {
      const nx = t.i32[id << SL32 | SL_NEXT];
      this.remove_partial(s, id);
      if (partial < 0) {
        partial = id;
        if (s.cpu_partial_slabs === 0) break;
      } else {
        this.put_cpu_partial(s, id, false);
        if (++partial_slabs > s.cpu_partial_slabs / 2) break;
      }
      id = nx;
    }
    return partial;
  }

  /** slab_out_of_memory(): the kernel's warning when a slab cannot be allocated. */
  private slab_out_of_memory(s: KmemCache, gfp: number): void {
    if (gfp & __GFP_NOWARN) return;
    const lines = [
      `SLUB: Unable to allocate memory on node -1, gfp=${format_gfp_mode(gfp)}`,
      `  cache: ${s.name}, object size: ${s.object_size}, buffer size: ${s.size}, default order: ${s.oo_order}, min order: ${s.min_order}`,
    ];
    for (let n = 0; n < this.nnodes; n++) {
      let free = 0;
      const t = this.slabs;
      for (let id = s.n_partial_head[n]; id >= 0; id = t.i32[id << SL32 | SL_NEXT]) free += t.i32[id << SL32 | SL_OBJECTS] - t.i32[id << SL32 | SL_INUSE];
      lines.push(`  node ${n}: slabs: ${s.nr_slabs[n]}, objs: ${s.total_objects[n]}, free: ${free}`);
    }
    this.printk(lines.join('\n'));
  }

  /** Allocation from a debug cache (alloc_single_from_partial / alloc_single_from_new_slab). */
  private alloc_debug(s: KmemCache, gfp: number, size: number, caller: string | undefined): number {
    const t = this.slabs;
    const n = this.cpu_to_node[this.cpu];
    let id = s.n_partial_head[n];
    let fresh = false;
    if (id < 0) {
      id = this.allocate_slab(s, gfp & ~__GFP_ZERO, n);
      if (id < 0) {
        this.slab_out_of_memory(s, gfp);
        return 0;
      }
      fresh = true;
    }
    const i = t.i32[id << SL32 | SL_FREE];
    const obj = this.objAddr(id, i);
    const ni = t.obj[t.i32[id << SL32 | SL_BASE] + i];
    this.checkFp(s, id, obj, ni < 0 ? 0 : this.objAddr(id, ni));
    // alloc_debug_processing(): the object must still hold its free-state bytes.
    dbg.alloc_consistency_checks(this, s, id, obj);
    t.i32[id << SL32 | SL_FREE] = ni;
    t.i32[id << SL32 | SL_INUSE]++;
    t.obj[t.i32[id << SL32 | SL_BASE] + i] = OBJ_CODE_ALLOCATED;
    dbg.init_object(this, s, obj, SLUB_RED_ACTIVE, size || s.object_size);
    if (s.flags & SLAB_TRACE) this.printk(`TRACE ${s.name} alloc ${hex(obj)} inuse=${t.i32[id << SL32 | SL_INUSE]} fp=${hex(this.slab_freelist(id))}`);
    if (fresh) {
      if (t.i32[id << SL32 | SL_INUSE] < t.i32[id << SL32 | SL_OBJECTS]) this.add_partial(s, id, false);
    } else if (t.i32[id << SL32 | SL_INUSE] === t.i32[id << SL32 | SL_OBJECTS]) this.remove_partial(s, id);
    if (s.flags & SLAB_STORE_USER) dbg.set_track(this, s, obj, 0, caller ?? default_caller(size || s.object_size));
    return obj;
  }

  // ---------------------------------------------------------------------------------------
  // Free
  // ---------------------------------------------------------------------------------------

  /**
   * Checks that `obj` may be freed to cache `s` (or to its own cache when `s` is null) and
   * returns its slab id. Throws KernelError, after the kernel's report, when it may not.
   */
  checkFree(s: KmemCache | null, obj: number, fn: string): number {
    const id = this.addrToSlab(obj);
    if (id < 0) {
      const msg = `${fn}: ${hex(obj)} was not allocated by kmalloc or a slab cache`;
      this.printk(msg);
      throw new KernelError(msg, 'EINVAL');
    }
    const t = this.slabs;
    const own = this.caches[t.i32[id << SL32 | SL_CACHE]];
    if (s && s !== own) {
      const msg = `${fn}: Wrong slab cache. ${s.name} but object is from ${own.name}`;
      this.printk(`WARNING: CPU: ${this.cpu} PID: ${this.host.current?.pid ?? 0} at mm/slub.c:4700 cache_from_obj+0x60/0xa0\n${msg}`);
      throw new KernelError(msg, 'EINVAL');
    }
    const off = obj - t.first[id];
    const i = off / own.size;
    if (!Number.isInteger(i) || i < 0 || i >= t.i32[id << SL32 | SL_OBJECTS]) {
      dbg.slab_err(this, own, id, `Invalid object pointer ${hex(obj)}`);
      throw new KernelError(`${fn}: BUG ${own.name}: Invalid object pointer ${hex(obj)} (not the start of an object)`, 'EINVAL');
    }
    const st = t.state(id, i);
    if (st === OBJ_FREE) {
      dbg.object_err(this, own, id, obj, 'Object already free');
      throw new KernelError(`${fn}: BUG ${own.name}: Object already free (double free of ${hex(obj)})`, 'EINVAL');
    }
    return id;
  }

  /** slab_free(): frees `obj` (already checked with checkFree) into its cache. */
  slab_free(s: KmemCache, id: number, obj: number, caller: string | undefined): void {
    if (this.hooks.length) {
      let keep = false;
      for (const h of this.hooks) if (h.onFree && !h.onFree(s, obj)) keep = true;
      if (keep) {
        const info = this.objinfo.get(obj);
        if (info) info.free = this.track(caller ?? 'kfree+0x11e/0x3b0');
        return;
      }
    }
    this.do_slab_free(s, id, obj, caller);
  }

  /** do_slab_free(): the object goes onto the cpu freelist when it belongs to the cpu slab. */
  do_slab_free(s: KmemCache, id: number, obj: number, caller: string | undefined): void {
    if (s.debug) {
      this.free_debug(s, id, obj, caller);
      return;
    }
    if (this.objinfo.size !== 0) {
      const info = this.objinfo.get(obj);
      if (info) {
        info.free = this.track(caller ?? 'kfree+0x11e/0x3b0');
        if (!this.hooks.length) this.objinfo.delete(obj);
      }
    }
    // The object was checked (checkFree); it may be allocated, or coming out of KASAN's
    // quarantine. The free itself is kfree's fast path, told which state to expect.
    const t = this.slabs;
    const phys = obj - this.page_offset;
    const pfn = Math.floor(phys / PAGE_SIZE);
    const code = t.obj[t.i32[id << SL32 | SL_BASE] + this.objIndex(s, id, obj)];
    if (this.free_object(pfn, phys - pfn * PAGE_SIZE, code) !== true) throw new VmBugError('slab: do_slab_free of an object free_object refuses', hex(obj));
  }

  /**
   * do_slab_free() and __slab_free() of the object at byte `off` of page `pfn`, whose pool code
   * must be `code` (OBJ_CODE_ALLOCATED, or OBJ_CODE_QUARANTINED when KASAN releases it): it must
   * be an object of a live slab of a non-debug cache, addressed at its start. Returns false with
   * nothing changed when it is not (kfree then takes the checked path). kfree's fast path calls
   * it with OBJ_CODE_ALLOCATED (when no debugging tool runs): an address travels as its page and
   * the offset in that page, two int32s, so that V8 boxes no address on the way.
   * The object goes onto the cpu freelist when it belongs to this cpu's slab, else onto the
   * slab's own freelist, and the slab moves between lists when it was full or is now empty.
   * The same checks as addrToSlab + the object state, done once with local references; kfree's
   * fast path and the general path share this one function, so V8 compiles one body for both.
   */
  free_object(pfn: number, off: number, code: number): boolean {
    // page->private holds the slab id (undefined beyond the last page fails the test too).
    const id = this.pagePrivate[pfn];
    const t = this.slabs;
    if (!(id >= 0 && id < t.top)) return false;
    const i32 = t.i32;
    // A live slab owns 2^order pages from its head pfn (in the record below 2^31; a discarded
    // slab's is -1 there and NaN in the table).
    const head = i32[id << SL32 | SL_PFN];
    const d = pfn - (head >= 0 ? head : t.pfn[id]);
    if (!(d >= 0 && d < 1 << i32[id << SL32 | SL_ORDER])) return false;
    const s = this.caches[i32[id << SL32 | SL_CACHE]];
    if (s.debug) return false;
    // Offset from the first object; a negative one never passes the boundary check below.
    const rel = d * PAGE_SIZE + off - s.red_left_pad;
    const i = obj_index(s, rel);
    if (i * s.size !== rel || i >= i32[id << SL32 | SL_OBJECTS]) return false;
    const bi = i32[id << SL32 | SL_BASE] + i;
    if (t.obj[bi] !== code) return false;
    const c = this.cpuRef.cpu;
    const cpuSlab = s.c_slab[c] === id;
    const prior = cpuSlab ? s.c_free[c] : i32[id << SL32 | SL_FREE];
    // set_freepointer(): the simulator's copy, then the object's bytes: owed to its page (see
    // physmem.ts) when the pointer is aligned and the page has content, else stored now.
    t.obj[bi] = prior;
    const fp = off + s.offset;
    if ((fp & 7) === 0 && this.mem.owe(pfn + (fp >> 12))) t.owed[bi] = prior;
    else this.mem.writePtr(pfn * PAGE_SIZE + fp, prior < 0 ? 0 : t.first[id] + prior * s.size);
    if (cpuSlab) {
      s.c_free[c] = i;
      return true;
    }
    // __slab_free()
    i32[id << SL32 | SL_FREE] = i;
    const inuse = i32[id << SL32 | SL_INUSE] - 1;
    i32[id << SL32 | SL_INUSE] = inuse;
    // Another cpu's slab keeps its place; so does a partial slab that still has objects in use.
    if (i32[id << SL32 | SL_FROZEN] === 0 && (prior < 0 || inuse === 0)) this.slab_free_lists(s, id, prior < 0);
    return true;
  }

  /** __slab_free()'s list moves: a full slab becomes partial, an empty partial slab may go. */
  private slab_free_lists(s: KmemCache, id: number, wasFull: boolean): void {
    const t = this.slabs;
    const n = t.i32[id << SL32 | SL_NODE];
    const empty = t.i32[id << SL32 | SL_INUSE] === 0;
    // Every test is evaluated on every call, the rare ones too, so that V8 compiles them from the
    // start: only an actual discard (its calls never ran before) still bails out the first time.
    const onNode = t.i32[id << SL32 | SL_WHERE] === SLAB_NODE_PARTIAL;
    const nodeFull = s.nr_partial[n] >= s.min_partial;
    if (wasFull) {
      if (s.cpu_partial_slabs > 0) this.put_cpu_partial(s, id, true);
      else if (empty && nodeFull) this.discard_slab(s, id);
      else this.add_partial(s, id, true);
      return;
    }
    if (empty && onNode && nodeFull) {
      this.remove_partial(s, id);
      this.discard_slab(s, id);
    }
  }

  /** free_to_partial_list(): the free path of a debug cache. */
  private free_debug(s: KmemCache, id: number, obj: number, caller: string | undefined): void {
    const t = this.slabs;
    // free_debug_processing(): consistency checks first; a corrupted object is not freed.
    if (!dbg.free_consistency_checks(this, s, id, obj)) {
      dbg.slab_fix(this, s, `Object at ${hex(obj)} not freed`);
      throw new KernelError(`kfree: BUG ${s.name}: object ${hex(obj)} is corrupt and was not freed (see dmesg)`, 'EINVAL');
    }
    if (s.flags & SLAB_STORE_USER) dbg.set_track(this, s, obj, 1, caller ?? 'kfree+0x11e/0x3b0');
    if (s.flags & SLAB_TRACE) this.printk(`TRACE ${s.name} free ${hex(obj)} inuse=${t.i32[id << SL32 | SL_INUSE]} fp=${hex(this.slab_freelist(id))}`);
    dbg.init_object(this, s, obj, SLUB_RED_INACTIVE, s.object_size);
    const i = this.objIndex(s, id, obj);
    const info = this.objinfo.get(obj);
    if (info) info.free = this.track(caller ?? 'kfree+0x11e/0x3b0');
    const prior = t.i32[id << SL32 | SL_FREE];
    t.obj[t.i32[id << SL32 | SL_BASE] + i] = prior;
    this.mem.writePtr(this.pa(obj) + s.offset, this.slab_freelist(id));
    t.i32[id << SL32 | SL_FREE] = i;
    t.i32[id << SL32 | SL_INUSE]--;
    const n = t.i32[id << SL32 | SL_NODE];
    if (t.i32[id << SL32 | SL_INUSE] === 0 && s.nr_partial[n] >= s.min_partial) {
      if (prior >= 0) this.remove_partial(s, id);
      this.discard_slab(s, id);
    } else if (prior < 0) this.add_partial(s, id, true);
  }

  // ---------------------------------------------------------------------------------------
  // Shrink and destroy
  // ---------------------------------------------------------------------------------------

  /** __kmem_cache_do_shrink(): flush cpus, free empty slabs, sort partial lists. Returns slabs freed. */
  kmem_cache_shrink(s: KmemCache): number {
    this.flush_all(s);
    const t = this.slabs;
    let freed = 0;
    for (let n = 0; n < this.nnodes; n++) {
      const discard: number[] = [];
      const promote: number[][] = Array.from({ length: SHRINK_PROMOTE_MAX }, () => []);
      const rest: number[] = [];
      for (let id = s.n_partial_head[n]; id >= 0; id = t.i32[id << SL32 | SL_NEXT]) {
        const free = t.i32[id << SL32 | SL_OBJECTS] - t.i32[id << SL32 | SL_INUSE];
        if (free === t.i32[id << SL32 | SL_OBJECTS]) discard.push(id);
        else if (free <= SHRINK_PROMOTE_MAX) promote[free - 1].push(id);
        else rest.push(id);
      }
      const all = [...discard, ...promote.flat(), ...rest];
      for (const id of all) this.remove_partial(s, id);
      // Promote: slabs with the fewest free objects go to the head.
      for (let k = SHRINK_PROMOTE_MAX - 1; k >= 0; k--) {
        for (let j = promote[k].length - 1; j >= 0; j--) this.add_partial(s, promote[k][j], false);
      }
      for (const id of rest) this.add_partial(s, id, true);
      for (const id of discard) {
        this.discard_slab(s, id);
        freed++;
      }
    }
    return freed;
  }

  /** Objects of `s` currently allocated (inuse minus objects on cpu freelists). */
  objects_in_use(s: KmemCache): number {
    const t = this.slabs;
    let n = 0;
    for (let id = 0; id < t.top; id++) {
      if (t.i32[id << SL32 | SL_WHERE] === SLAB_UNUSED || t.i32[id << SL32 | SL_CACHE] !== s.id) continue;
      const b = t.i32[id << SL32 | SL_BASE];
      for (let i = 0; i < t.i32[id << SL32 | SL_OBJECTS]; i++) if (t.obj[b + i] < -1) n++;
    }
    return n;
  }

  /** kmem_cache_destroy(): drop one reference; the last one frees the cache (refused while objects remain). */
  kmem_cache_destroy(s: KmemCache, flushQuarantine?: (s: KmemCache) => void): void {
    if (s.refcount > 1) {
      s.refcount--;
      if (s.aliases.length) s.aliases.pop();
      return;
    }
    flushQuarantine?.(s);
    const inuse = this.objects_in_use(s);
    if (inuse > 0) {
      const lines = [`kmem_cache_destroy ${s.name}: Slab cache still has objects when called from kmem_cache_destroy+0x1e/0x1a0`];
      this.printk(lines.join('\n'));
      dbg.list_slab_objects(this, s);
      throw new KernelError(`kmem_cache_destroy ${s.name}: Slab cache still has objects (${inuse} in use)`, 'EBUSY');
    }
    this.flush_all(s);
    const t = this.slabs;
    for (let n = 0; n < this.nnodes; n++) {
      while (s.n_partial_head[n] >= 0) {
        const id = s.n_partial_head[n];
        this.remove_partial(s, id);
        this.discard_slab(s, id);
      }
    }
    for (let id = 0; id < t.top; id++) {
      if (t.i32[id << SL32 | SL_WHERE] !== SLAB_UNUSED && t.i32[id << SL32 | SL_CACHE] === s.id) this.discard_slab(s, id);
    }
    s.refcount = 0;
    this.remove_cache(s);
    if (this.kmem_cache && s.addr) {
      const id = this.addrToSlab(s.addr);
      if (id >= 0) this.slab_free(this.kmem_cache, id, s.addr, 'kmem_cache_destroy+0x10b/0x1a0');
      let left = this.nnodes;
      // Give back node structs: the most recently allocated allocated objects of kmem_cache_node.
      const kn = this.kmem_cache_node!;
      for (let sid = t.top - 1; sid >= 0 && left > 0; sid--) {
        if (t.i32[sid << SL32 | SL_WHERE] === SLAB_UNUSED || t.i32[sid << SL32 | SL_CACHE] !== kn.id) continue;
        for (let i = t.i32[sid << SL32 | SL_OBJECTS] - 1; i >= 0 && left > 0; i--) {
          if (t.state(sid, i) === OBJ_ALLOCATED) {
            this.slab_free(kn, sid, this.objAddr(sid, i), 'free_kmem_cache_nodes+0x5d/0xa0');
            left--;
          }
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------
  // Shrinkers
  // ---------------------------------------------------------------------------------------

  /** register_shrinker(). */
  register_shrinker(sh: Shrinker): void {
    if (!sh || typeof sh.count_objects !== 'function' || typeof sh.scan_objects !== 'function') {
      throw new KernelError('register_shrinker: a shrinker needs count_objects and scan_objects', 'EINVAL');
    }
    sh.nr_deferred = sh.nr_deferred ?? 0;
    this.shrinkers.push(sh);
  }

  /** unregister_shrinker(). */
  unregister_shrinker(sh: Shrinker): void {
    const i = this.shrinkers.indexOf(sh);
    if (i < 0) throw new KernelError(`unregister_shrinker: ${sh?.name ?? '?'} is not registered`, 'EINVAL');
    this.shrinkers.splice(i, 1);
  }

  /** shrink_slab(): asks every shrinker for work in proportion to 1/2^priority. Returns objects freed. */
  shrink_slab(gfp: number, nid: number, priority: number): number {
    let freed = 0;
    for (const sh of [...this.shrinkers]) freed += this.do_shrink_slab(sh, gfp, nid, priority);
    return freed;
  }

  /**
   * drop_slab() (echo 2 > /proc/sys/vm/drop_caches): shrink_slab at priority 0 on every node
   * until a round frees at most 10 objects. Returns the objects freed.
   */
  drop_slab(gfp: number): number {
    let total = 0;
    for (let nid = 0; nid < this.nnodes; nid++) {
      let freed: number;
      let rounds = 0;
      do {
        freed = this.shrink_slab(gfp, nid, 0);
        total += freed;
      } while (freed > 10 && ++rounds < 1000);
    }
    this.host.vmstat?.inc?.('drop_slab', 1);
    return total;
  }

  /** do_shrink_slab() (mm/shrinker.c). */
  do_shrink_slab(sh: Shrinker, gfp: number, nid: number, priority: number): number {
    const sc: ShrinkControl = { gfp_mask: gfp, nid, nr_to_scan: 0, nr_scanned: 0 };
    const freeable = sh.count_objects(sc);
    if (freeable <= 0) return 0;
    const seeks = sh.seeks ?? DEFAULT_SEEKS;
    let delta: number;
    if (seeks) delta = Math.floor((Math.floor(freeable / 2 ** priority) * 4) / seeks);
    else delta = Math.floor(freeable / 2);
    let total_scan = (sh.nr_deferred ?? 0) + delta;
    total_scan = Math.min(total_scan, 2 * freeable);
    const batch = sh.batch || SHRINK_BATCH;
    let freed = 0;
    let scanned = 0;
    while (total_scan >= batch || total_scan >= freeable) {
      const nr = Math.min(batch, total_scan);
      sc.nr_to_scan = nr;
      sc.nr_scanned = nr;
      const ret = sh.scan_objects(sc);
      if (ret === SHRINK_STOP) break;
      freed += ret;
      total_scan -= sc.nr_scanned;
      scanned += sc.nr_scanned;
      if (sc.nr_scanned <= 0) break;
    }
    if (scanned) this.host.vmstat?.inc?.('slabs_scanned', scanned);
    const next_deferred = Math.max(0, (sh.nr_deferred ?? 0) + delta - scanned);
    sh.nr_deferred = Math.min(next_deferred, 2 * freeable);
    if (this.host.trace.enabled) this.host.trace.emit('mm_shrink_slab_end', { shrinker_name: sh.name, nid, unused_scan: next_deferred, new_scan: delta, retval: freed, total_scan });
    return freed;
  }

  // ---------------------------------------------------------------------------------------
  // Log
  // ---------------------------------------------------------------------------------------

  /** Appends lines to the kernel log (prefixing nothing: the dmesg reader adds timestamps). */
  printk(text: string): void {
    for (const l of text.split('\n')) this.host.dmesg.push(l);
  }

  /** print_tainted(): "Not tainted" or "Tainted: G    B   W         ". */
  print_tainted(): string {
    if (!this.tainted) return 'Not tainted';
    const TRUE = 'PFSRMBUDAWCIOELKXTN';
    const FALSE = 'G' + ' '.repeat(18);
    let out = '';
    for (let i = 0; i < 19; i++) out += this.tainted & (1 << i) ? TRUE[i] : FALSE[i];
    return 'Tainted: ' + out;
  }
}



/** KASAN's optimal_redzone(): redzone bytes for an object size (mm/kasan/generic.c). */
export function optimal_redzone(object_size: number): number {
  return object_size <= 64 - 16 ? 16 : object_size <= 128 - 32 ? 32 : object_size <= 512 - 64 ? 64 :
    object_size <= 4096 - 128 ? 128 : object_size <= (1 << 14) - 256 ? 256 : object_size <= (1 << 15) - 512 ? 512 :
      object_size <= (1 << 16) - 1024 ? 1024 : 2048;
}

/** Simulated call sites used when the caller names none (by kmalloc size). */
export const DEFAULT_CALLERS = [
  'kobject_set_name_vargs+0x25/0xb0',
  'alloc_pipe_info+0x7c/0x1e0',
  'seq_open+0x34/0xa0',
  'load_elf_phdrs+0x63/0xb0',
  'single_open+0x32/0xa0',
  'alloc_fdtable+0x57/0x130',
  'kernfs_fop_open+0x173/0x3b0',
  'sk_prot_alloc+0x3b/0x140',
  '__alloc_skb+0x8e/0x1d0',
];

/** The default call site for an allocation of `size` bytes. */
export function default_caller(size: number): string {
  return DEFAULT_CALLERS[fls(size) % DEFAULT_CALLERS.length];
}
