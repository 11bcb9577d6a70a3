/**
 * kmalloc, the kmalloc caches, /proc/slabinfo and the slab allocator's public face.
 *
 * Mirrors: mm/slab_common.c (kmalloc_info, kmalloc_size_index, create_kmalloc_caches,
 * new_kmalloc_cache, kmalloc_fix_flags, __ksize, krealloc, kfree, slabinfo_show / cache_show,
 * print_slabinfo_header), include/linux/slab.h (KMALLOC_SHIFT_LOW/HIGH, KMALLOC_MAX_SIZE,
 * ZERO_SIZE_PTR, kmalloc_type, kmalloc_index), mm/slab.h (kmalloc_slab, slab_ksize), mm/slub.c
 * (__kmalloc_large_node, free_large_kmalloc, get_slabinfo, kmem_cache_init), procps slabtop.
 * Models: the 13 size classes (8 … 8k plus 96 and 192) in four families chosen by GFP (kmalloc-,
 * kmalloc-rcl-, dma-kmalloc-, kmalloc-cg-); sizes above 8 KiB straight from the page allocator
 * as compound pages; ZERO_SIZE_PTR; kzalloc/krealloc/ksize; kernel memory access through the
 * direct map (kread/kwrite, checked by KASAN when on); /proc/slabinfo (version 2.1) and a
 * slabtop summary; snapshots for the pictures and the REPL; the slab validator.
 * Simplifies: no CONFIG_RANDOM_KMALLOC_CACHES, no kmem_buckets; kmalloc-cg-* caches exist but
 * no memory cgroup charges them.
 * See: chapter 04 (slab), chapter 05 (kmalloc and debugging).
 */
import { KernelError, VmBugError } from '../base/errors.js';
import { hex, inexactAddress, padL, padR } from '../base/format.js';
import * as gfpConsts from './gfp.js';
import * as pageFlags from './page_flags.js';
import * as slabConsts from './slab.js';
import { KmemCache, type SlabCtor, type SlabHost } from './slab.js';
import { default_caller, Slub, type Shrinker } from './slub.js';

export {
  KMALLOC_SHIFT_LOW, KMALLOC_SHIFT_HIGH, KMALLOC_MAX_CACHE_SIZE, KMALLOC_MAX_SIZE, ZERO_SIZE_PTR, KMALLOC_NORMAL,
  KMALLOC_RECLAIM, KMALLOC_DMA, KMALLOC_CGROUP, KMALLOC_PREFIX, KMALLOC_SIZE_INDEX,
} from './slab.js';

// Imported constants bound again as this module's own consts, which V8 folds into optimised code
// (an imported binding is loaded and checked at every use; see page_alloc.ts).
const {
  __GFP_ACCOUNT, __GFP_COMP, __GFP_DMA, __GFP_DMA32, __GFP_HIGHMEM, __GFP_RECLAIMABLE, __GFP_ZERO, format_gfp, format_gfp_mode,
} = gfpConsts;
const { PGTY } = pageFlags;
const {
  fls, get_order, POISON_END, POISON_FREE, SLAB_ACCOUNT, SLAB_CACHE_DMA, SLAB_KMALLOC, SLAB_NO_MERGE,
  SLAB_POISON, SLAB_RECLAIM_ACCOUNT, SLAB_RED_ZONE, SLAB_STORE_USER, SLAB_TYPESAFE_BY_RCU, __OBJECT_POISON,
  OBJ_CODE_ALLOCATED, OBJ_CODE_QUARANTINED, OWED_NONE, OBJ_FREE, OBJ_QUARANTINED, SLAB_CPU, SLAB_CPU_PARTIAL, SLAB_FULL, SLAB_NODE_PARTIAL,
  SLAB_UNUSED, SLAB_WHERE, KMALLOC_MAX_CACHE_SIZE, KMALLOC_MAX_SIZE, ZERO_SIZE_PTR, KMALLOC_NORMAL,
  KMALLOC_RECLAIM, KMALLOC_DMA, KMALLOC_CGROUP, KMALLOC_PREFIX, KMALLOC_SIZE_INDEX,
  SL32, SL_FREE, SL_PFN, SL_CACHE, SL_INUSE, SL_OBJECTS, SL_BASE, SL_NODE, SL_CPU, SL_NEXT,
  SL_PREV, SL_SLABS, SL_ORDER, SL_FROZEN, SL_WHERE,
} = slabConsts;

/** kmalloc_info[index].size. */
export function kmalloc_info_size(index: number): number {
  return index === 1 ? 96 : index === 2 ? 192 : 1 << index;
}

/** kmalloc_info[index].name[type]: `kmalloc-96`, `dma-kmalloc-1k`, ... */
export function kmalloc_cache_name(index: number, type = KMALLOC_NORMAL): string {
  const size = kmalloc_info_size(index);
  return KMALLOC_PREFIX[type] + (size >= 1024 ? `${size / 1024}k` : String(size));
}

/** kmalloc_index(): the class index for `size` (1..8192), as kmalloc_slab computes it. */
export function kmalloc_index(size: number): number {
  return size <= 192 ? KMALLOC_SIZE_INDEX[(size - 1) >> 3] : fls(size - 1);
}

/** kmalloc_type(): the family a GFP mask selects. */
export function kmalloc_type(gfp: number): number {
  if ((gfp & (__GFP_RECLAIMABLE | __GFP_DMA | __GFP_ACCOUNT)) === 0) return KMALLOC_NORMAL;
  if (gfp & __GFP_DMA) return KMALLOC_DMA;
  if (gfp & __GFP_RECLAIMABLE) return KMALLOC_RECLAIM;
  return KMALLOC_CGROUP;
}

/** One line of /proc/slabinfo (struct slabinfo of get_slabinfo). */
export interface SlabInfo {
  name: string;
  active_objs: number;
  num_objs: number;
  objsize: number;
  objperslab: number;
  pagesperslab: number;
  active_slabs: number;
  num_slabs: number;
}

/** A cache in a snapshot (kmem -s). */
export interface CacheSnapshot {
  name: string;
  object_size: number;
  size: number;
  align: number;
  offset: number;
  inuse: number;
  red_left_pad: number;
  order: number;
  objects_per_slab: number;
  min_partial: number;
  cpu_partial: number;
  cpu_partial_slabs: number;
  flags: number;
  refcount: number;
  aliases: string[];
  /** Objects handed out (exact: cpu freelists count as free). */
  allocated: number;
  total_objects: number;
  slabs: number;
  nr_partial: number;
  /** struct kmem_cache address. */
  addr: number;
}

/** One object in a slab snapshot. */
export interface ObjectSnapshot {
  index: number;
  addr: number;
  /** 'allocated', 'free' (on a freelist) or 'quarantined' (KASAN). */
  state: 'allocated' | 'free' | 'quarantined';
  /** 'cpu' when on the owning cpu's lockless freelist, 'slab' on the slab's own freelist. */
  list: 'cpu' | 'slab' | null;
  /** Free pointer stored in the object's bytes (free objects), else null. */
  fp: number | null;
}

/** One slab in a cache snapshot (kmem -S). */
export interface SlabSnapshot {
  id: number;
  /** struct slab address (the head page's struct page in vmemmap). */
  pfn: number;
  addr: number;
  order: number;
  node: number;
  where: (typeof SLAB_WHERE)[number];
  cpu: number;
  frozen: boolean;
  inuse: number;
  objects: number;
  /** First object of the slab's own freelist (0 = NULL). */
  freelist: number;
  /** First object of the cpu freelist, for a cpu slab. */
  cpu_freelist: number;
  /** Free objects in the order the freelists link them (cpu freelist first). */
  chain: number[];
  objs: ObjectSnapshot[];
}

/** A cache with all its slabs. */
export interface CacheDetail extends CacheSnapshot {
  slabList: SlabSnapshot[];
}

/** The kmalloc classes' occupancy (for the class picture). */
export interface KmallocClassSnapshot {
  name: string;
  size: number;
  allocated: number;
  total: number;
  slabs: number;
  pagesperslab: number;
}

/** What `kmem ADDR` prints about a slab address. */
export interface SlabAddrInfo {
  cache: string;
  slab: number;
  object: number;
  index: number;
  offset: number;
  state: 'allocated' | 'free' | 'quarantined' | 'padding';
  size: number;
}

/** The NULL of a failed kmalloc (its own function: see SlabAllocator.kmalloc). */
function kmalloc_null(): null {
  return null;
}

/**
 * The slab allocator of a System: SLUB plus kmalloc. `sys.slab` holds it; the System exposes
 * its calls as `sys.kmalloc`, `sys.kmem_cache_create`, ...
 */
export class SlabAllocator {
  /** The SLUB engine (caches, slabs, freelists). */
  readonly slub: Slub;
  /** kmalloc_caches[type][index]. */
  readonly kmalloc_caches: KmemCache[][] = [[], [], [], []];
  /** kmalloc_caches[KMALLOC_NORMAL] (the common case). */
  private readonly kmalloc_normal: KmemCache[] = this.kmalloc_caches[KMALLOC_NORMAL];
  private readonly host: SlabHost;
  /** The System's debug_vm flag holder and the trace ring (read on every call). */
  private readonly flags: { readonly debug_vm: boolean };
  private readonly trace: SlabHost['trace'];
  /** Bytes of kmalloc_large pages per node (counted in nr_slab_unreclaimable_B). */
  readonly large_B: Float64Array;
  /** Objects written through kwrite while free in a poisoned cache (their poison is the caller's doing). */
  readonly scribbled = new Set<number>();
  /** Access checker installed by KASAN (throws after its report). */
  accessCheck: ((addr: number, len: number, write: boolean, caller: string | undefined) => void) | null = null;
  /** Extra kmalloc hooks (KASAN redzones for kmalloc_large). */
  largeHooks: { onAlloc(addr: number, size: number, order: number): void; onFree(addr: number, order: number): void }[] = [];

  constructor(host: SlabHost) {
    this.host = host;
    this.flags = host.flagsRef ?? host;
    this.trace = host.trace;
    this.slub = new Slub(host);
    this.large_B = new Float64Array(this.slub.nnodes);
  }

  /** kmem_cache_init(): the bootstrap caches and the kmalloc arrays (at the end of boot). */
  kmem_cache_init(): void {
    this.slub.bootstrap();
    this.create_kmalloc_caches();
  }

  /** create_kmalloc_caches(): for each family, 96, 192, then 8 … 8k. */
  private create_kmalloc_caches(): void {
    for (let type = KMALLOC_NORMAL; type <= KMALLOC_CGROUP; type++) {
      for (const idx of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]) {
        let flags = SLAB_KMALLOC;
        if (type === KMALLOC_RECLAIM) flags |= SLAB_RECLAIM_ACCOUNT;
        else if (type === KMALLOC_CGROUP) flags |= SLAB_ACCOUNT;
        else if (type === KMALLOC_DMA) flags |= SLAB_CACHE_DMA;
        if (type === KMALLOC_NORMAL) flags |= SLAB_NO_MERGE; // CONFIG_MEMCG
        const size = kmalloc_info_size(idx);
        // create_boot_cache(): kmalloc caches align to the largest power of two dividing the size.
        const align = this.slub.calculate_alignment(flags, Math.max(8, size & -size), size);
        this.kmalloc_caches[type][idx] = this.slub.create_cache(kmalloc_cache_name(idx, type), size, align, flags, null, size);
      }
    }
    this.slub.kmalloc_ready = true;
  }

  // ---------------------------------------------------------------------------------------
  // kmalloc
  // ---------------------------------------------------------------------------------------

  /** kmalloc_slab(): the cache kmalloc(size, gfp) uses, or null when the page allocator serves it. */
  kmalloc_slab(size: number, gfp: number): KmemCache | null {
    if (size <= 0 || size > KMALLOC_MAX_CACHE_SIZE) return null;
    return this.kmalloc_caches[kmalloc_type(gfp)][kmalloc_index(size)];
  }

  /** kmalloc(): `size` bytes; the direct-map address, ZERO_SIZE_PTR for 0, or null. */
  kmalloc(size: number, gfp: number, caller?: string): number | null {
    let idx: number;
    if (size > 0 && size <= 192 && (size | 0) === size) idx = KMALLOC_SIZE_INDEX[(size - 1) >> 3];
    else if (size > 192 && size <= KMALLOC_MAX_CACHE_SIZE && (size | 0) === size) idx = 32 - Math.clz32(size - 1);
    else return this.kmalloc_odd(size, gfp, caller);
    if (gfp & (__GFP_DMA32 | __GFP_HIGHMEM) || (gfp | 0) !== gfp || gfp < 0) gfp = this.kmalloc_fix_flags(gfp);
    const s = gfp & (__GFP_RECLAIMABLE | __GFP_DMA | __GFP_ACCOUNT) ? this.kmalloc_caches[kmalloc_type(gfp)][idx] : this.kmalloc_normal[idx];
    const obj = this.slub.slab_alloc(s, gfp, size, caller);
    // Kept out of line: V8 inlines kmalloc into its callers only while it stays small.
    if (this.trace.enabled || this.flags.debug_vm) this.kmalloc_done(s, obj, size, gfp, caller);
    // NULL comes back from a call of its own: while no kmalloc has failed, V8 compiles that
    // call as a bail-out, so the address stays an unboxed number (no heap number per kmalloc).
    if (obj === 0) return kmalloc_null();
    return obj;
  }

  /** After a kmalloc from a cache: the trace event and the debug_vm checkpoint. */
  private kmalloc_done(s: KmemCache, obj: number, size: number, gfp: number, caller: string | undefined): void {
    if (this.trace.enabled) this.trace.emit('kmalloc', { call_site: caller ?? default_caller(size), ptr: hex(obj), bytes_req: size, bytes_alloc: s.size, gfp_flags: format_gfp(gfp), node: -1 });
    if (this.flags.debug_vm) this.host.checkpoint();
  }

  /** kmalloc of 0, of large sizes and of bad sizes. */
  private kmalloc_odd(size: number, gfp: number, caller?: string): number | null {
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 0) throw new KernelError(`kmalloc: size ${String(size)} is not a byte count`, 'EINVAL');
    if (size === 0) return ZERO_SIZE_PTR;
    if (!Number.isInteger(gfp) || gfp < 0 || gfp > 0x7fffff) throw new KernelError(`kmalloc: ${String(gfp)} is not a GFP mask`, 'EINVAL');
    return this.kmalloc_large(size, gfp, caller);
  }

  /** kmalloc_fix_flags(): a mask with zone bits kmalloc cannot honour is fixed up, with a warning. */
  private kmalloc_fix_flags(gfp: number): number {
    if (!Number.isInteger(gfp) || gfp < 0 || gfp > 0x7fffff) throw new KernelError(`kmalloc: ${String(gfp)} is not a GFP mask`, 'EINVAL');
    const invalid = gfp & (__GFP_DMA32 | __GFP_HIGHMEM);
    const fixed = gfp & ~(__GFP_DMA32 | __GFP_HIGHMEM);
    this.slub.printk(`Unexpected gfp: 0x${invalid.toString(16)} (${format_gfp(invalid)}). Fixing up to gfp: ${format_gfp_mode(fixed)}. Fix your code!`);
    return fixed;
  }

  /** __kmalloc_large_node(): a compound page block of order get_order(size). */
  kmalloc_large(size: number, gfp: number, caller?: string): number | null {
    if (size > KMALLOC_MAX_SIZE) {
      this.slub.printk(`WARNING: CPU: ${this.slub.cpu} PID: ${this.host.current?.pid ?? 0} at mm/page_alloc.c:4737 __alloc_pages_noprof+0x2ca/0x340`);
      return null;
    }
    if (gfp & (__GFP_DMA32 | __GFP_HIGHMEM)) gfp = this.kmalloc_fix_flags(gfp);
    const order = get_order(size);
    this.slub.pageCallerHook?.('__kmalloc_large_node_noprof+0x1e/0xb0');
    const pfn = this.host.buddy.alloc(gfp | __GFP_COMP, order);
    if (pfn < 0) return null;
    const bytes = 4096 << order;
    if (gfp & __GFP_ZERO) this.host.mem.fill(pfn * 4096, 0, bytes);
    this.slub.large.set(pfn, { order, size });
    const nid = this.host.pfn_to_nid ? this.host.pfn_to_nid(pfn) : 0;
    this.large_B[nid] += bytes;
    this.slub.nr_slab_unreclaimable_B[nid] += bytes;
    this.host.vmstat?.mod_node(nid, 'nr_slab_unreclaimable_B', bytes);
    const addr = this.slub.va(pfn * 4096);
    for (const h of this.largeHooks) h.onAlloc(addr, size, order);
    if (this.slub.hooks.length) this.slub.objinfo.set(addr, { orig_size: size, alloc: this.slub.track(caller ?? default_caller(size)) });
    for (const h of this.slub.hooks) h.onAlloc?.(null as unknown as KmemCache, addr, size);
    if (this.host.trace.enabled) this.host.trace.emit('kmalloc', { call_site: caller ?? default_caller(size), ptr: hex(addr), bytes_req: size, bytes_alloc: bytes, gfp_flags: format_gfp(gfp), node: -1 });
    this.host.checkpoint();
    return addr;
  }

  /** kfree(): frees a kmalloc (or any slab) object; NULL and ZERO_SIZE_PTR are ignored. */
  kfree(addr: number | null, caller?: string): void {
    // Fast path: a valid, allocated object of a non-debug cache while no tool runs (NULL,
    // ZERO_SIZE_PTR and anything else that is not such an object fail free_object's checks). The
    // address goes over as its page and the offset in that page, two int32s, so that V8 boxes
    // no address into a heap number on the way. `=== true`: a pointer comparison, where a bare
    // call result would be converted to boolean.
    const sl = this.slub;
    if (typeof addr === 'number' && !sl.slowpath) {
      const phys = addr - sl.page_offset;
      const pfn = Math.floor(phys / 4096);
      const off = phys - pfn * 4096;
      const o = off | 0;
      if (pfn >= 0 && pfn < sl.fastPfnLimit && o === off && sl.free_object(pfn | 0, o, OBJ_CODE_ALLOCATED) === true) {
        if (this.trace.enabled || this.flags.debug_vm) this.kfree_done(addr, caller);
        return;
      }
    }
    if (addr === null || addr === 0 || addr === ZERO_SIZE_PTR) return;
    this.kfree_slow(addr, caller, 'kfree');
  }

  /** After a fast kfree: the trace event and the debug_vm checkpoint. */
  private kfree_done(addr: number, caller: string | undefined): void {
    if (this.trace.enabled) this.trace.emit('kfree', { call_site: caller ?? 'kfree', ptr: hex(addr) });
    if (this.flags.debug_vm) this.host.checkpoint();
  }

  /**
   * Refuses, for `fn`, an address argument that is not an integer or lies beyond 2^53 (a hex
   * literal of a kernel address may have been rounded on its way in: the message says how to
   * write one exactly).
   */
  private checkAddrArg(addr: unknown, fn: string, errno: string, what = 'an address'): asserts addr is number {
    if (typeof addr === 'bigint') throw new KernelError(`${fn}: 0x${addr.toString(16)}n is a BigInt; addresses are numbers here: kaddr(0x${addr.toString(16)}n), parseAddr('0x${addr.toString(16)}') or a $N handle`, errno);
    if (typeof addr !== 'number' || !Number.isInteger(addr)) throw new KernelError(`${fn}: ${String(addr)} is not ${what}`, errno);
    const inexact = inexactAddress(addr);
    if (inexact) throw new KernelError(`${fn}: ${inexact}`, errno);
  }

  private kfree_slow(addr: number, caller: string | undefined, fn: string): void {
    const sl = this.slub;
    this.checkAddrArg(addr, fn, 'EINVAL');
    const id = sl.addrToSlab(addr);
    if (id < 0) {
      this.free_large_kmalloc(addr, caller, fn);
      return;
    }
    const s = sl.caches[sl.slabs.i32[id << SL32 | SL_CACHE]];
    this.kasanFreeCheck?.(addr, s, fn, caller);
    sl.checkFree(null, addr, fn);
    sl.slab_free(s, id, addr, caller);
    if (this.host.trace.enabled) this.host.trace.emit('kfree', { call_site: caller ?? fn, ptr: hex(addr) });
    this.host.checkpoint();
  }

  /** Installed by KASAN: reports double-free/invalid-free of quarantined objects before SLUB checks. */
  kasanFreeCheck: ((addr: number, s: KmemCache | null, fn: string, caller: string | undefined) => void) | null = null;

  /** free_large_kmalloc(). */
  private free_large_kmalloc(addr: number, caller: string | undefined, fn: string): void {
    const sl = this.slub;
    const phys = sl.pa(addr);
    const pfn = phys / 4096;
    const rec = Number.isInteger(pfn) ? sl.large.get(pfn) : undefined;
    if (!rec) {
      this.kasanFreeCheck?.(addr, null, fn, caller);
      const msg = `${fn}: ${hex(addr)} was not allocated by kmalloc`;
      sl.printk(msg);
      throw new KernelError(msg, 'EINVAL');
    }
    const bytes = 4096 << rec.order;
    for (const h of this.largeHooks) h.onFree(addr, rec.order);
    for (const h of sl.hooks) h.onFree?.(null as unknown as KmemCache, addr);
    sl.objinfo.delete(addr);
    sl.large.delete(pfn);
    const nid = this.host.pfn_to_nid ? this.host.pfn_to_nid(pfn) : 0;
    this.large_B[nid] -= bytes;
    sl.nr_slab_unreclaimable_B[nid] -= bytes;
    this.host.vmstat?.mod_node(nid, 'nr_slab_unreclaimable_B', -bytes);
    this.host.buddy.free(pfn, rec.order);
    if (this.host.trace.enabled) this.host.trace.emit('kfree', { call_site: caller ?? fn, ptr: hex(addr) });
    this.host.checkpoint();
  }

  /** kzalloc(): kmalloc with __GFP_ZERO. */
  kzalloc(size: number, gfp: number, caller?: string): number | null {
    return this.kmalloc(size, gfp | __GFP_ZERO, caller);
  }

  /** ksize(): the usable size of a kmalloc object (slab_ksize, or the whole compound page). */
  ksize(addr: number): number {
    if (addr === ZERO_SIZE_PTR || addr === 0 || addr === null) return 0;
    this.checkAddrArg(addr, 'ksize', 'EINVAL');
    const sl = this.slub;
    const id = sl.addrToSlab(addr);
    if (id < 0) {
      const pfn = sl.pa(addr) / 4096;
      const rec = Number.isInteger(pfn) ? sl.large.get(pfn) : undefined;
      if (!rec) throw new KernelError(`ksize: ${hex(addr)} was not allocated by kmalloc`, 'EINVAL');
      return 4096 << rec.order;
    }
    sl.checkFree(null, addr, 'ksize');
    const s = sl.caches[sl.slabs.i32[id << SL32 | SL_CACHE]];
    const ks = slab_ksize(s, sl.kasanOn);
    this.onKsize?.(addr, ks);
    return ks;
  }

  /** What ksize() would return, without ksize()'s side effect (KASAN unpoisons the slot); 0 if unknown. */
  usable_size(addr: number): number {
    const sl = this.slub;
    const id = sl.addrToSlab(addr);
    if (id < 0) {
      const rec = sl.large.get(sl.pa(addr) / 4096);
      return rec ? 4096 << rec.order : 0;
    }
    return slab_ksize(sl.caches[sl.slabs.i32[id << SL32 | SL_CACHE]], sl.kasanOn);
  }

  /** Installed by KASAN: ksize() makes the whole slot accessible. */
  onKsize: ((addr: number, size: number) => void) | null = null;

  /** krealloc(): grow or shrink an allocation, moving it when it no longer fits. */
  krealloc(addr: number | null, new_size: number, gfp: number, caller?: string): number | null {
    if (!Number.isInteger(new_size) || new_size < 0) throw new KernelError(`krealloc: size ${String(new_size)} is not a byte count`, 'EINVAL');
    if (addr !== null) this.checkAddrArg(addr, 'krealloc', 'EINVAL');
    if (new_size === 0) {
      this.kfree(addr, caller);
      return ZERO_SIZE_PTR;
    }
    const p = addr === null || addr === 0 || addr === ZERO_SIZE_PTR ? 0 : addr;
    const ks = p ? this.ksize(p) : 0;
    if (p && ks >= new_size) {
      this.onKrealloc?.(p, new_size);
      if (gfp & __GFP_ZERO) {
        // Zero what lies beyond the new size inside the slot (krealloc with __GFP_ZERO).
        const old = this.slub.objinfo.get(p)?.orig_size ?? 0;
        if (old && new_size > old) this.host.mem.fill(this.slub.pa(p) + old, 0, new_size - old);
      }
      const info = this.slub.objinfo.get(p);
      if (info) info.orig_size = new_size;
      return p;
    }
    const ret = this.kmalloc(new_size, gfp, caller);
    if (ret !== null && p) {
      const data = this.host.mem.read(this.slub.pa(p), Math.min(ks, new_size));
      this.host.mem.write(this.slub.pa(ret), data);
      this.kfree(p, caller);
    }
    return ret;
  }

  /** Installed by KASAN: krealloc in place re-poisons the tail. */
  onKrealloc: ((addr: number, size: number) => void) | null = null;

  // ---------------------------------------------------------------------------------------
  // kmem_cache_* API
  // ---------------------------------------------------------------------------------------

  /** kmem_cache_create(). */
  kmem_cache_create(name: string, size: number, align: number, flags: number, ctor?: SlabCtor | null): KmemCache {
    return this.slub.kmem_cache_create(name, size, align ?? 0, flags ?? 0, ctor ?? null);
  }

  /** kmem_cache_alloc(): one object, or null. */
  kmem_cache_alloc(s: KmemCache, gfp: number, caller?: string): number | null {
    this.slub.checkCache(s, 'kmem_cache_alloc');
    if (!Number.isInteger(gfp) || gfp < 0 || gfp > 0x7fffff) throw new KernelError(`kmem_cache_alloc: ${String(gfp)} is not a GFP mask`, 'EINVAL');
    const obj = this.slub.slab_alloc(s, gfp, 0, caller);
    if (this.host.trace.enabled) this.host.trace.emit('kmem_cache_alloc', { call_site: caller ?? 'kmem_cache_alloc', ptr: hex(obj), bytes_req: s.object_size, bytes_alloc: s.size, gfp_flags: format_gfp(gfp), node: -1, name: s.name });
    this.host.checkpoint();
    return obj === 0 ? null : obj;
  }

  /** kmem_cache_free(): the object must come from `s`. */
  kmem_cache_free(s: KmemCache, obj: number, caller?: string): void {
    this.slub.checkCache(s, 'kmem_cache_free');
    if (obj === 0) throw new KernelError('kmem_cache_free: 0 is not an object', 'EINVAL');
    this.checkAddrArg(obj, 'kmem_cache_free', 'EINVAL', 'an object');
    this.kasanFreeCheck?.(obj, s, 'kmem_cache_free', caller);
    const id = this.slub.checkFree(s, obj, 'kmem_cache_free');
    this.slub.slab_free(s, id, obj, caller);
    if (this.host.trace.enabled) this.host.trace.emit('kmem_cache_free', { call_site: caller ?? 'kmem_cache_free', ptr: hex(obj), name: s.name });
    this.host.checkpoint();
  }

  /** kmem_cache_destroy(). */
  kmem_cache_destroy(s: KmemCache): void {
    this.slub.checkCache(s, 'kmem_cache_destroy');
    if (s.flags & SLAB_KMALLOC) throw new KernelError(`kmem_cache_destroy: ${s.name} is a kmalloc cache`, 'EPERM');
    if (s === this.slub.kmem_cache || s === this.slub.kmem_cache_node) throw new KernelError(`kmem_cache_destroy: ${s.name} is a boot cache`, 'EPERM');
    this.slub.kmem_cache_destroy(s, this.flushQuarantine ?? undefined);
    this.host.checkpoint();
  }

  /** Installed by KASAN: empties the quarantine of a cache being destroyed. */
  flushQuarantine: ((s: KmemCache) => void) | null = null;

  /** kmem_cache_shrink(): free the empty slabs. Returns the number of slabs freed. */
  kmem_cache_shrink(s: KmemCache): number {
    this.slub.checkCache(s, 'kmem_cache_shrink');
    const n = this.slub.kmem_cache_shrink(s);
    this.host.checkpoint();
    return n;
  }

  /**
   * failslab (/sys/kernel/debug/failslab): make slab allocations fail, every `interval`-th one,
   * `times` times (-1: until switched off with times 0). `cache_filter` limits it to caches with
   * SLAB_FAILSLAB (slab_debug=A). __GFP_NOFAIL allocations never fail.
   */
  configure_failslab(c: { times: number; interval?: number; cache_filter?: boolean }): void {
    if (!Number.isInteger(c.times) || c.times < -1) throw new KernelError(`failslab: times ${String(c.times)} is not -1 or a count`, 'EINVAL');
    const f = this.slub.failslab;
    f.times = c.times;
    f.interval = Math.max(1, c.interval ?? 1);
    f.cache_filter = !!c.cache_filter;
    f.count = 0;
    this.slub.slowpath = this.slub.computeSlowpath();
  }

  /** Finds a live cache by name (or alias). */
  find_cache(name: string): KmemCache | null {
    for (const s of this.slub.slab_caches) if (s.name === name || s.aliases.includes(name)) return s;
    return null;
  }

  /** register_shrinker(). */
  register_shrinker(sh: Shrinker): void {
    this.slub.register_shrinker(sh);
  }

  // ---------------------------------------------------------------------------------------
  // Kernel memory access
  // ---------------------------------------------------------------------------------------

  private checkRange(addr: number, len: number, fn: string): number {
    this.checkAddrArg(addr, fn, 'EFAULT');
    if (!Number.isInteger(len) || len < 0) throw new KernelError(`${fn}: bad length ${String(len)}`, 'EINVAL');
    const phys = this.slub.pa(addr);
    if (addr >= 0 && addr < 4096 || (addr >= 0 && addr < 65536)) {
      const what = addr === ZERO_SIZE_PTR || addr < 4096 ? 'NULL pointer dereference' : 'page fault';
      const msg = `BUG: kernel ${what}, address: ${hexDigits16(addr)}`;
      this.slub.printk(`${msg}\n#PF: supervisor ${fn === 'kwrite' ? 'write' : 'read'} access in kernel mode\n#PF: error_code(0x000${fn === 'kwrite' ? 2 : 0}) - not-present page`);
      throw new KernelError(msg, 'EFAULT');
    }
    if (!(phys >= 0 && phys + len <= this.host.mem.size)) {
      const msg = `BUG: unable to handle page fault for address: ${hexDigits16(addr)}`;
      this.slub.printk(`${msg}\n#PF: supervisor ${fn === 'kwrite' ? 'write' : 'read'} access in kernel mode`);
      throw new KernelError(msg, 'EFAULT');
    }
    return phys;
  }

  /** Reads kernel memory through the direct map (KASAN checks it when on). */
  kread(addr: number, len: number, caller?: string): Uint8Array {
    const phys = this.checkRange(addr, len, 'kread');
    if (this.accessCheck) this.accessCheck(addr, len, false, caller);
    return this.host.mem.read(phys, len);
  }

  /** Writes kernel memory through the direct map (KASAN checks it when on). */
  kwrite(addr: number, bytes: Uint8Array | number[], caller?: string): void {
    const data = bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes);
    const phys = this.checkRange(addr, data.length, 'kwrite');
    if (this.accessCheck) this.accessCheck(addr, data.length, true, caller);
    this.noteScribble(addr, data.length);
    this.host.mem.write(phys, data);
    if (!this.slub.inCtor) this.host.checkpoint();
  }

  /** Remembers free objects of poisoned caches that a write touches (their poison is no longer the allocator's). */
  private noteScribble(addr: number, len: number): void {
    const sl = this.slub;
    for (let a = addr; a < addr + len; ) {
      const id = sl.addrToSlab(a);
      const pageEnd = sl.va((Math.floor(sl.pa(a) / 4096) + 1) * 4096);
      if (id >= 0) {
        const s = sl.caches[sl.slabs.i32[id << SL32 | SL_CACHE]];
        const t = sl.slabs;
        const lo = Math.max(0, Math.floor((a - t.first[id]) / s.size));
        const hi = Math.min(t.i32[id << SL32 | SL_OBJECTS] - 1, Math.floor((Math.min(addr + len, pageEnd) - 1 - t.first[id]) / s.size));
        for (let i = lo; i <= hi; i++) {
          const o = sl.objAddr(id, i);
          const free = t.state(id, i) === OBJ_FREE;
          if (free || s.flags & SLAB_RED_ZONE) this.scribbled.add(o);
          // A write over a free object's free pointer: checked when the object is handed out.
          if (free && addr < o + s.offset + 8 && addr + len > o + s.offset) {
            sl.fpScribbled.add(o);
            sl.slowpath = true;
          }
        }
      }
      a = pageEnd;
    }
  }

  // ---------------------------------------------------------------------------------------
  // /proc/slabinfo, slabtop, snapshots
  // ---------------------------------------------------------------------------------------

  /** get_slabinfo() of one cache. */
  get_slabinfo(s: KmemCache): SlabInfo {
    const t = this.slub.slabs;
    let nr_slabs = 0;
    let nr_objs = 0;
    let nr_free = 0;
    for (let n = 0; n < this.slub.nnodes; n++) {
      nr_slabs += s.nr_slabs[n];
      nr_objs += s.total_objects[n];
      for (let id = s.n_partial_head[n]; id >= 0; id = t.i32[id << SL32 | SL_NEXT]) nr_free += t.i32[id << SL32 | SL_OBJECTS] - t.i32[id << SL32 | SL_INUSE];
    }
    return {
      name: s.name,
      active_objs: nr_objs - nr_free,
      num_objs: nr_objs,
      objsize: s.size,
      objperslab: s.oo_objects,
      pagesperslab: 1 << s.oo_order,
      active_slabs: nr_slabs,
      num_slabs: nr_slabs,
    };
  }

  /** The text of /proc/slabinfo (newest cache first, as the slab_caches list runs). */
  slabinfo(): string {
    const out = [
      'slabinfo - version: 2.1',
      '# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>',
    ];
    const caches = this.slub.slab_caches;
    for (let i = caches.length - 1; i >= 0; i--) {
      const si = this.get_slabinfo(caches[i]);
      out.push(
        `${padR(si.name, 17)} ${padL(si.active_objs, 6)} ${padL(si.num_objs, 6)} ${padL(si.objsize, 6)} ${padL(si.objperslab, 4)} ${padL(si.pagesperslab, 4)}` +
          ` : tunables ${padL(0, 4)} ${padL(0, 4)} ${padL(0, 4)} : slabdata ${padL(si.active_slabs, 6)} ${padL(si.num_slabs, 6)} ${padL(0, 6)}`,
      );
    }
    return out.join('\n') + '\n';
  }

  /**
   * A slabtop-style summary (procps-ng slabtop -o): the totals, then the caches sorted by number
   * of objects (or by `sort`: 'objs', 'active', 'size', 'slabs', 'name', 'cache').
   */
  slabtop(sort: 'objs' | 'active' | 'size' | 'slabs' | 'name' | 'cache' = 'objs', limit = 20): string {
    const infos = this.slub.slab_caches.map((s) => this.get_slabinfo(s));
    let aObj = 0, tObj = 0, aSl = 0, tSl = 0, aC = 0, aSz = 0, tSz = 0;
    let minO = Infinity, maxO = 0;
    for (const i of infos) {
      aObj += i.active_objs; tObj += i.num_objs; aSl += i.active_slabs; tSl += i.num_slabs;
      if (i.active_objs) aC++;
      aSz += i.active_objs * i.objsize; tSz += i.num_objs * i.objsize;
      minO = Math.min(minO, i.objsize); maxO = Math.max(maxO, i.objsize);
    }
    const pct = (a: number, b: number) => (b ? (100 * a) / b : 0).toFixed(1);
    const k = (b: number) => (b / 1024).toFixed(2);
    const lines = [
      ` Active / Total Objects (% used)    : ${aObj} / ${tObj} (${pct(aObj, tObj)}%)`,
      ` Active / Total Slabs (% used)      : ${aSl} / ${tSl} (${pct(aSl, tSl)}%)`,
      ` Active / Total Caches (% used)     : ${aC} / ${infos.length} (${pct(aC, infos.length)}%)`,
      ` Active / Total Size (% used)       : ${k(aSz)}K / ${k(tSz)}K (${pct(aSz, tSz)}%)`,
      ` Minimum / Average / Maximum Object : ${k(infos.length ? minO : 0)}K / ${k(tObj ? tSz / tObj : 0)}K / ${k(maxO)}K`,
      '',
      '  OBJS ACTIVE  USE OBJ SIZE  SLABS OBJ/SLAB CACHE SIZE NAME',
    ];
    const cacheSize = (i: SlabInfo) => i.num_slabs * i.pagesperslab * 4;
    const key: Record<string, (i: SlabInfo) => number | string> = {
      objs: (i) => -i.num_objs, active: (i) => -i.active_objs, size: (i) => -i.objsize, slabs: (i) => -i.num_slabs,
      name: (i) => i.name, cache: (i) => -cacheSize(i),
    };
    const f = key[sort] ?? key.objs;
    const sorted = [...infos].sort((a, b) => {
      const x = f(a), y = f(b);
      return x < y ? -1 : x > y ? 1 : 0;
    });
    for (const i of sorted.slice(0, limit)) {
      const use = i.num_objs ? Math.floor((100 * i.active_objs) / i.num_objs) : 0;
      lines.push(`${padL(i.num_objs, 6)} ${padL(i.active_objs, 6)} ${padL(use, 3)}% ${padL((i.objsize / 1024).toFixed(2), 7)}K ${padL(i.num_slabs, 6)} ${padL(i.objperslab, 8)} ${padL(cacheSize(i), 9)}K ${i.name}`);
    }
    return lines.join('\n') + '\n';
  }

  /** Snapshot of one cache's summary. */
  inspectCache(s: KmemCache): CacheSnapshot {
    let slabs = 0, total = 0, nr_partial = 0;
    for (let n = 0; n < this.slub.nnodes; n++) {
      slabs += s.nr_slabs[n];
      total += s.total_objects[n];
      nr_partial += s.nr_partial[n];
    }
    return {
      name: s.name, object_size: s.object_size, size: s.size, align: s.align, offset: s.offset, inuse: s.inuse,
      red_left_pad: s.red_left_pad, order: s.oo_order, objects_per_slab: s.oo_objects, min_partial: s.min_partial,
      cpu_partial: s.cpu_partial, cpu_partial_slabs: s.cpu_partial_slabs, flags: s.flags, refcount: s.refcount,
      aliases: [...s.aliases], allocated: this.slub.objects_in_use(s), total_objects: total, slabs, nr_partial, addr: s.addr,
    };
  }

  /** Snapshots of every live cache (kmem -s), newest first like /proc/slabinfo. */
  inspectSlabCaches(): CacheSnapshot[] {
    return [...this.slub.slab_caches].reverse().map((s) => this.inspectCache(s));
  }

  /** A cache with every slab and object (kmem -S NAME). Throws KernelError for an unknown name. */
  inspectCacheDetail(name: string | KmemCache): CacheDetail {
    const s = typeof name === 'string' ? this.find_cache(name) : name;
    if (!s || !s.alive) throw new KernelError(`kmem: invalid cache name: ${String(name)}`, 'ENOENT');
    const sl = this.slub;
    const t = sl.slabs;
    const slabList: SlabSnapshot[] = [];
    const order: number[] = [];
    // Cpu slabs, cpu partial lists, node partial lists, then full slabs: the kernel's walk order.
    for (let c = 0; c < sl.ncpus; c++) {
      if (s.c_slab[c] >= 0) order.push(s.c_slab[c]);
      for (let id = s.c_partial[c]; id >= 0; id = t.i32[id << SL32 | SL_NEXT]) order.push(id);
    }
    for (let n = 0; n < sl.nnodes; n++) for (let id = s.n_partial_head[n]; id >= 0; id = t.i32[id << SL32 | SL_NEXT]) order.push(id);
    for (let id = 0; id < t.top; id++) if (t.i32[id << SL32 | SL_WHERE] === SLAB_FULL && t.i32[id << SL32 | SL_CACHE] === s.id) order.push(id);
    for (const id of order) {
      const cpuHead = t.i32[id << SL32 | SL_WHERE] === SLAB_CPU ? s.c_free[t.i32[id << SL32 | SL_CPU]] : -1;
      const cpuFl = cpuHead < 0 ? 0 : sl.objAddr(id, cpuHead);
      const onCpu = new Set<number>();
      const inSlabList = new Set<number>();
      const chain: number[] = [];
      for (const [head, set] of [[cpuHead, onCpu], [t.i32[id << SL32 | SL_FREE], inSlabList]] as const) {
        let i = head;
        let guard = 0;
        while (i >= 0 && guard++ <= t.i32[id << SL32 | SL_OBJECTS]) {
          set.add(i);
          chain.push(sl.objAddr(id, i));
          i = t.obj[t.i32[id << SL32 | SL_BASE] + i];
        }
      }
      const objs: ObjectSnapshot[] = [];
      for (let i = 0; i < t.i32[id << SL32 | SL_OBJECTS]; i++) {
        const addr = sl.objAddr(id, i);
        const sti = t.state(id, i);
        const state = sti === OBJ_FREE ? 'free' : sti === OBJ_QUARANTINED ? 'quarantined' : 'allocated';
        objs.push({
          index: i, addr, state,
          list: state === 'free' ? (onCpu.has(i) ? 'cpu' : inSlabList.has(i) ? 'slab' : null) : null,
          fp: state === 'free' ? sl.host.mem.readPtr(sl.pa(addr) + s.offset) : null,
        });
      }
      slabList.push({
        id, pfn: t.pfn[id], addr: sl.va(t.pfn[id] * 4096), order: t.i32[id << SL32 | SL_ORDER], node: t.i32[id << SL32 | SL_NODE], where: SLAB_WHERE[t.i32[id << SL32 | SL_WHERE]],
        cpu: t.i32[id << SL32 | SL_CPU], frozen: t.i32[id << SL32 | SL_FROZEN] === 1, inuse: t.i32[id << SL32 | SL_INUSE], objects: t.i32[id << SL32 | SL_OBJECTS], freelist: sl.slab_freelist(id),
        cpu_freelist: cpuFl, chain, objs,
      });
    }
    return { ...this.inspectCache(s), slabList };
  }

  /** kmalloc classes of one family with their occupancy. */
  inspectKmallocClasses(type = KMALLOC_NORMAL): KmallocClassSnapshot[] {
    const out: KmallocClassSnapshot[] = [];
    for (const idx of [3, 4, 5, 6, 1, 7, 2, 8, 9, 10, 11, 12, 13]) {
      const s = this.kmalloc_caches[type][idx];
      const c = this.inspectCache(s);
      out.push({ name: s.name, size: s.size, allocated: c.allocated, total: c.total_objects, slabs: c.slabs, pagesperslab: 1 << s.oo_order });
    }
    return out;
  }

  /** `kmem ADDR`: the cache, object and state behind a direct-map address, or null. */
  lookupAddr(addr: number): SlabAddrInfo | null {
    const sl = this.slub;
    const id = sl.addrToSlab(addr);
    if (id < 0) return null;
    const t = sl.slabs;
    const s = sl.caches[t.i32[id << SL32 | SL_CACHE]];
    const rel = addr - t.first[id];
    let i = Math.floor(rel / s.size);
    if (rel < 0 || i >= t.i32[id << SL32 | SL_OBJECTS]) {
      i = Math.max(0, Math.min(t.i32[id << SL32 | SL_OBJECTS] - 1, i));
      return { cache: s.name, slab: sl.va(t.pfn[id] * 4096), object: sl.objAddr(id, i), index: -1, offset: rel, state: 'padding', size: s.object_size };
    }
    const st = t.state(id, i);
    return {
      cache: s.name, slab: sl.va(t.pfn[id] * 4096), object: sl.objAddr(id, i), index: i, offset: rel - i * s.size,
      state: st === OBJ_FREE ? 'free' : st === OBJ_QUARANTINED ? 'quarantined' : 'allocated', size: s.object_size,
    };
  }

  /** Bytes in slab pages (Slab = SReclaimable + SUnreclaim), machine-wide. */
  slab_bytes(): { reclaimable: number; unreclaimable: number } {
    let r = 0, u = 0;
    for (let n = 0; n < this.slub.nnodes; n++) {
      r += this.slub.nr_slab_reclaimable_B[n];
      u += this.slub.nr_slab_unreclaimable_B[n];
    }
    return { reclaimable: r, unreclaimable: u };
  }

  // ---------------------------------------------------------------------------------------
  // Validator
  // ---------------------------------------------------------------------------------------

  /** Checks every slab invariant; throws VmBugError naming the first broken one. */
  validate(): void {
    const sl = this.slub;
    const t = sl.slabs;
    const pages = this.host.pages;
    const bug = (inv: string, detail: string) => {
      throw new VmBugError(`slab: ${inv}`, detail);
    };
    const recl = new Float64Array(sl.nnodes);
    const unrecl = new Float64Array(sl.nnodes);
    const perCache = new Map<number, { slabs: Float64Array; objs: Float64Array; partial: Int32Array }>();
    const seenList = new Uint8Array(t.top);
    // Free pointers owed to the bytes (physmem.ts) may only be owed to slab pages: other code
    // reaches its pages through views of its own. Counted over the slabs below.
    let owedPagesSeen = 0;
    // Lists first: cpu slabs, cpu partial lists, node partial lists.
    for (const s of sl.slab_caches) {
      for (let c = 0; c < sl.ncpus; c++) {
        const id = s.c_slab[c];
        if (id >= 0) {
          if (s.debug) bug('debug cache with a cpu slab', s.name);
          if (t.i32[id << SL32 | SL_WHERE] !== SLAB_CPU || t.i32[id << SL32 | SL_CPU] !== c || !t.i32[id << SL32 | SL_FROZEN] || t.i32[id << SL32 | SL_CACHE] !== s.id) bug('cpu slab state', `${s.name} cpu ${c} slab ${id}`);
          if (s.c_first[c] !== t.first[id]) bug('cpu slab first object', `${s.name} cpu ${c} slab ${id}`);
          seenList[id]++;
        } else if (s.c_free[c] !== -1) bug('cpu freelist without a cpu slab', `${s.name} cpu ${c}`);
        let n = 0;
        for (let id2 = s.c_partial[c]; id2 >= 0; id2 = t.i32[id2 << SL32 | SL_NEXT]) {
          if (++n > t.top) bug('cpu partial list is cyclic', s.name);
          if (t.i32[id2 << SL32 | SL_WHERE] !== SLAB_CPU_PARTIAL || t.i32[id2 << SL32 | SL_CPU] !== c || t.i32[id2 << SL32 | SL_FROZEN] || t.i32[id2 << SL32 | SL_CACHE] !== s.id) bug('cpu partial slab state', `${s.name} cpu ${c} slab ${id2}`);
          if (t.i32[id2 << SL32 | SL_FREE] < 0) bug('cpu partial slab without free objects', `${s.name} slab ${id2}`);
          seenList[id2]++;
        }
        if (s.c_partial[c] >= 0 && t.i32[s.c_partial[c] << SL32 | SL_SLABS] !== n) bug('cpu partial slabs count', `${s.name} cpu ${c}: head says ${t.i32[s.c_partial[c] << SL32 | SL_SLABS]}, list has ${n}`);
      }
      for (let n = 0; n < sl.nnodes; n++) {
        let cnt = 0;
        let prev = -1;
        for (let id = s.n_partial_head[n]; id >= 0; id = t.i32[id << SL32 | SL_NEXT]) {
          if (++cnt > t.top) bug('node partial list is cyclic', s.name);
          if (t.i32[id << SL32 | SL_WHERE] !== SLAB_NODE_PARTIAL || t.i32[id << SL32 | SL_FROZEN] || t.i32[id << SL32 | SL_CACHE] !== s.id || t.i32[id << SL32 | SL_NODE] !== n) bug('node partial slab state', `${s.name} node ${n} slab ${id}`);
          if (t.i32[id << SL32 | SL_PREV] !== prev) bug('node partial list links', `${s.name} slab ${id}`);
          if (t.i32[id << SL32 | SL_FREE] < 0) bug('node partial slab without free objects', `${s.name} slab ${id}`);
          seenList[id]++;
          prev = id;
        }
        if (s.n_partial_tail[n] !== prev) bug('node partial list tail', s.name);
        if (cnt !== s.nr_partial[n]) bug('nr_partial', `${s.name} node ${n}: counter ${s.nr_partial[n]}, list ${cnt}`);
      }
    }
    for (let id = 0; id < t.top; id++) {
      const w = t.i32[id << SL32 | SL_WHERE];
      if (w === SLAB_UNUSED) continue;
      const s = sl.caches[t.i32[id << SL32 | SL_CACHE]];
      if (!s || !s.alive) bug('slab of a dead cache', `slab ${id}`);
      if (w !== SLAB_FULL && seenList[id] !== 1) bug('slab on the wrong number of lists', `${s.name} slab ${id} (${SLAB_WHERE[w]}) seen ${seenList[id]}`);
      if (w === SLAB_FULL && (seenList[id] !== 0 || t.i32[id << SL32 | SL_FREE] >= 0 || t.i32[id << SL32 | SL_FROZEN])) bug('full slab state', `${s.name} slab ${id}`);
      const pfn = t.pfn[id];
      const nr = 1 << t.i32[id << SL32 | SL_ORDER];
      if (pages.page_type[pfn] !== PGTY.slab) bug('slab page without PGTY_slab', `pfn ${pfn}`);
      for (let p = 0; p < nr; p++) if (pages.private_[pfn + p] !== id) bug('slab page does not point to its slab', `pfn ${pfn + p}`);
      if (t.first[id] !== sl.va(pfn * 4096) + s.red_left_pad) bug('slab first object', `${s.name} slab ${id}`);
      if (t.i32[id << SL32 | SL_PFN] !== (pfn < 2 ** 31 ? pfn : -1)) bug('slab head pfn in the record', `${s.name} slab ${id}`);
      if (t.i32[id << SL32 | SL_OBJECTS] !== s.oo_objects && t.i32[id << SL32 | SL_OBJECTS] !== s.min_objects) bug('objects per slab', `${s.name} slab ${id}: ${t.i32[id << SL32 | SL_OBJECTS]}`);
      // Freelists: acyclic, inside the slab, only free objects, every free object on exactly one.
      const ob = t.i32[id << SL32 | SL_BASE];
      const pool = t.obj;
      const mark = new Uint8Array(t.i32[id << SL32 | SL_OBJECTS]);
      const walk = (head: number, what: string): number => {
        if (head === -1) return 0;
        if (!(head >= 0 && head < t.i32[id << SL32 | SL_OBJECTS])) bug('freelist head outside its slab', `${s.name} slab ${id} ${what} index ${head}`);
        let i = head;
        let n = 0;
        while (i >= 0) {
          if (i >= t.i32[id << SL32 | SL_OBJECTS]) bug('freelist link outside its slab', `${s.name} slab ${id} ${what}`);
          if (mark[i]) bug('freelist is cyclic or shared', `${s.name} slab ${id} ${what} object ${i}`);
          if (pool[ob + i] < -1) bug('allocated object on a freelist', `${s.name} slab ${id} ${what} object ${i}`);
          mark[i] = 1;
          n++;
          i = pool[ob + i];
        }
        return n;
      };
      const onSlab = walk(t.i32[id << SL32 | SL_FREE], 'slab freelist');
      const onCpu = w === SLAB_CPU ? walk(s.c_free[t.i32[id << SL32 | SL_CPU]], 'cpu freelist') : 0;
      let free = 0;
      for (let i = 0; i < t.i32[id << SL32 | SL_OBJECTS]; i++) {
        const v = pool[ob + i];
        if (v >= -1) {
          free++;
          if (!mark[i]) bug('free object on no freelist', `${s.name} slab ${id} object ${i}`);
        } else if (v !== OBJ_CODE_ALLOCATED && v !== OBJ_CODE_QUARANTINED) bug('object state', `${s.name} slab ${id} object ${i}`);
      }
      if (free !== onSlab + onCpu) bug('free objects vs freelists', `${s.name} slab ${id}`);
      // Owed free pointers: a free object is owed its freelist link, any object only a pointer
      // into its slab, and the page that holds the pointer is marked owed.
      const owed = t.owed;
      for (let i = 0; i < t.i32[id << SL32 | SL_OBJECTS]; i++) {
        const o = owed[ob + i];
        if (o === OWED_NONE) continue;
        if (!(o >= -1 && o < t.i32[id << SL32 | SL_OBJECTS])) bug('owed free pointer outside its slab', `${s.name} slab ${id} object ${i}`);
        if (pool[ob + i] >= -1 && o !== pool[ob + i]) bug('owed free pointer is not the freelist link', `${s.name} slab ${id} object ${i}`);
        const fp = pfn * 4096 + s.red_left_pad + i * s.size + s.offset;
        if (!this.host.mem.isOwed(Math.floor(fp / 4096))) bug('owed free pointer on a page not marked owed', `${s.name} slab ${id} object ${i}`);
      }
      for (let p = 0; p < nr; p++) if (this.host.mem.isOwed(pfn + p)) owedPagesSeen++;
      if (t.i32[id << SL32 | SL_INUSE] !== t.i32[id << SL32 | SL_OBJECTS] - onSlab) bug('inuse', `${s.name} slab ${id}: inuse ${t.i32[id << SL32 | SL_INUSE]}, objects ${t.i32[id << SL32 | SL_OBJECTS]}, on slab freelist ${onSlab}`);
      if (w === SLAB_CPU_PARTIAL && t.i32[id << SL32 | SL_INUSE] === t.i32[id << SL32 | SL_OBJECTS]) bug('cpu partial slab is full', `${s.name} slab ${id}`);
      // Poison of free objects in poisoned caches (unless the caller scribbled on them).
      if (s.flags & __OBJECT_POISON && !sl.kasanOn) {
        for (let i = 0; i < t.i32[id << SL32 | SL_OBJECTS]; i++) {
          if (pool[ob + i] < -1) continue;
          const obj = sl.objAddr(id, i);
          if (this.scribbled.has(obj)) continue;
          const b = this.host.mem.read(sl.pa(obj), s.object_size);
          for (let j = 0; j < s.object_size; j++) {
            if (b[j] !== (j === s.object_size - 1 ? POISON_END : POISON_FREE)) bug('poison of a free object', `${s.name} object ${hex(obj)} byte ${j}`);
          }
        }
      }
      const bytes = 4096 << t.i32[id << SL32 | SL_ORDER];
      const node = t.i32[id << SL32 | SL_NODE];
      if (s.flags & SLAB_RECLAIM_ACCOUNT) recl[node] += bytes;
      else unrecl[node] += bytes;
      let pc = perCache.get(s.id);
      if (!pc) perCache.set(s.id, (pc = { slabs: new Float64Array(sl.nnodes), objs: new Float64Array(sl.nnodes), partial: new Int32Array(sl.nnodes) }));
      pc.slabs[node]++;
      pc.objs[node] += t.i32[id << SL32 | SL_OBJECTS];
    }
    if (owedPagesSeen !== this.host.mem.owedPages) bug('free pointers owed to a page that is not a slab page', `${this.host.mem.owedPages} pages owed, ${owedPagesSeen} of them slab pages`);
    for (const s of sl.slab_caches) {
      const pc = perCache.get(s.id);
      for (let n = 0; n < sl.nnodes; n++) {
        if ((pc ? pc.slabs[n] : 0) !== s.nr_slabs[n]) bug('nr_slabs', `${s.name} node ${n}: counter ${s.nr_slabs[n]}, slabs ${pc ? pc.slabs[n] : 0}`);
        if ((pc ? pc.objs[n] : 0) !== s.total_objects[n]) bug('total_objects', `${s.name} node ${n}`);
      }
    }
    for (const [pfn, rec] of sl.large) {
      const nid = this.host.pfn_to_nid ? this.host.pfn_to_nid(pfn) : 0;
      unrecl[nid] += 4096 << rec.order;
      if (pages.page_type[pfn] === PGTY.buddy) bug('kmalloc_large block is free in the buddy allocator', `pfn ${pfn}`);
    }
    for (let n = 0; n < sl.nnodes; n++) {
      if (recl[n] !== sl.nr_slab_reclaimable_B[n]) bug('NR_SLAB_RECLAIMABLE_B', `node ${n}: counter ${sl.nr_slab_reclaimable_B[n]}, slabs ${recl[n]}`);
      if (unrecl[n] !== sl.nr_slab_unreclaimable_B[n]) bug('NR_SLAB_UNRECLAIMABLE_B', `node ${n}: counter ${sl.nr_slab_unreclaimable_B[n]}, slabs ${unrecl[n]}`);
    }
  }
}

/** slab_ksize(): the bytes a caller may use in an object of `s`. */
export function slab_ksize(s: KmemCache, kasan: boolean): number {
  if (s.flags & (SLAB_RED_ZONE | SLAB_POISON)) return s.object_size;
  if (kasan) return s.object_size;
  if (s.flags & (SLAB_TYPESAFE_BY_RCU | SLAB_STORE_USER)) return s.inuse;
  return s.size;
}

function hexDigits16(addr: number): string {
  return hex(addr, 16).slice(2);
}

// -----------------------------------------------------------------------------------------
// Boot glue: what the System calls at the end of mm_core_init (kmem_cache_init).
// -----------------------------------------------------------------------------------------

/** The parts of the System the slab subsystem is built from (a structural view of System). */
export interface SlabSystemLike {
  readonly config: SlabHost['config'] & { memory: number };
  layout: { page_offset: number; kernel_text: number };
  readonly mem: SlabHost['mem'];
  readonly pages: SlabHost['pages'];
  readonly clock: SlabHost['clock'];
  readonly trace: SlabHost['trace'];
  readonly procfs: { register(path: string, show: () => string): void };
  readonly dmesg: string[];
  readonly buddy: {
    alloc(gfp: number, order: number, nid?: number): number;
    free(pfn: number, order: number): void;
    cpu: number;
    page_zone(pfn: number): { node: number } | undefined;
    get_pageblock_migratetype(pfn: number): number;
    readonly pageblock_order: number;
  };
  readonly vmstat: { mod_node(nid: number, name: string, delta: number): void };
  debug_vm: boolean;
  checkpoint(): void;
  validate(): void;
  registerValidator(name: string, fn: () => void): void;
}

/** Page allocator hooks (page_owner, KASAN), called after each block is allocated or freed. */
export interface PageAllocHook {
  alloc(pfn: number, order: number, gfp: number): void;
  free(pfn: number, order: number): void;
}

/**
 * Wraps the page allocator's fast entries so that `hooks` see every allocation and free. Nothing
 * is wrapped (and nothing costs) until the first hook is installed.
 */
export function install_page_alloc_hook(sys: SlabSystemLike, list: PageAllocHook[], hook: PageAllocHook): void {
  const b = sys.buddy as SlabSystemLike['buddy'] & { __slabHooked?: boolean };
  list.push(hook);
  if (b.__slabHooked) return;
  b.__slabHooked = true;
  const alloc0 = b.alloc;
  const free0 = b.free;
  b.alloc = function (gfp: number, order: number, nid?: number): number {
    const pfn = alloc0.call(b, gfp, order, nid);
    if (pfn >= 0) for (const h of list) h.alloc(pfn, order, gfp);
    return pfn;
  };
  b.free = function (pfn: number, order: number): void {
    free0.call(b, pfn, order);
    for (const h of list) h.free(pfn, order);
  };
}
