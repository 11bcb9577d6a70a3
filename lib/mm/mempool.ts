/**
 * Memory pools: a reserve of preallocated elements for allocations that must make progress
 * when the allocator fails.
 *
 * Mirrors: mm/mempool.c (mempool_init_node / mempool_create_node, mempool_alloc, mempool_free,
 * mempool_resize, mempool_destroy, mempool_alloc_slab / mempool_free_slab, mempool_kmalloc /
 * mempool_kfree, mempool_alloc_pages / mempool_free_pages), include/linux/mempool.h.
 * Models: `min_nr` elements allocated up front and kept in `elements`; mempool_alloc first asks
 * the underlying allocator with the mask weakened (no direct reclaim, no I/O, no warnings, no
 * emergency reserves), then takes a reserved element, then retries with the full mask;
 * mempool_free refills the reserve before giving anything back. The pool struct and its element
 * array are kmalloc'ed like the kernel's.
 * Simplifies: nothing sleeps: where the kernel would wait (io_schedule_timeout) for another
 * task to free an element, mempool_alloc returns null, and logs that it would have waited.
 * See: chapter 04 (slab: mempool).
 */
import { KernelError } from '../base/errors.js';
import { __GFP_DIRECT_RECLAIM, __GFP_IO, __GFP_NOMEMALLOC, __GFP_NORETRY, __GFP_NOWARN, GFP_KERNEL } from './gfp.js';

/** The element allocator of a pool: returns an element (a number: address or pfn) or null. */
export type MempoolAllocFn = (gfp: number, pool_data: unknown) => number | null;
/** Gives an element back to the underlying allocator. */
export type MempoolFreeFn = (element: number, pool_data: unknown) => void;

/** What the pool needs from the System. */
export interface MempoolHost {
  kmalloc(size: number, gfp: number, caller?: string): number | null;
  kfree(addr: number | null, caller?: string): void;
  readonly dmesg: string[];
}

/** mempool_t. */
export class Mempool {
  /** Reserve size. */
  min_nr: number;
  /** Reserved elements (a stack: the last added is taken first). */
  readonly elements: number[] = [];
  readonly alloc: MempoolAllocFn;
  readonly free: MempoolFreeFn;
  readonly pool_data: unknown;
  /** Address of the kmalloc'ed mempool_t and of its element array. */
  addr = 0;
  elements_addr = 0;
  /** Counters for the chapter: taken from the allocator, from the reserve, failures. */
  readonly stats = { from_allocator: 0, from_reserve: 0, failed: 0, refilled: 0 };
  alive = true;
  constructor(min_nr: number, alloc: MempoolAllocFn, free: MempoolFreeFn, pool_data: unknown) {
    this.min_nr = min_nr;
    this.alloc = alloc;
    this.free = free;
    this.pool_data = pool_data;
  }
  /** curr_nr: reserved elements now. */
  get curr_nr(): number {
    return this.elements.length;
  }
}

/** sizeof(mempool_t) on x86-64 (lock, min_nr, curr_nr, elements, pool_data, alloc, free, wait). */
const SIZEOF_MEMPOOL_T = 72;

/** mempool_create(): a pool with `min_nr` elements allocated now; null when they cannot be. */
export function mempool_create(host: MempoolHost, min_nr: number, alloc: MempoolAllocFn, free: MempoolFreeFn, pool_data: unknown = null): Mempool | null {
  if (!Number.isInteger(min_nr) || min_nr < 0) throw new KernelError(`mempool_create: min_nr ${String(min_nr)} is not a count`, 'EINVAL');
  if (typeof alloc !== 'function' || typeof free !== 'function') throw new KernelError('mempool_create: alloc and free must be functions', 'EINVAL');
  const pool = new Mempool(min_nr, alloc, free, pool_data);
  const addr = host.kmalloc(SIZEOF_MEMPOOL_T, GFP_KERNEL | 0x100, 'mempool_create_node_noprof+0x5c/0xd0');
  if (addr === null) return null;
  pool.addr = addr;
  if (min_nr > 0) {
    const arr = host.kmalloc(Math.max(1, min_nr) * 8, GFP_KERNEL, 'mempool_init_node+0x5a/0x170');
    if (arr === null) {
      host.kfree(addr);
      return null;
    }
    pool.elements_addr = arr;
  }
  while (pool.elements.length < min_nr) {
    const e = alloc(GFP_KERNEL, pool_data);
    if (e === null) {
      mempool_destroy(host, pool);
      return null;
    }
    pool.elements.push(e);
  }
  return pool;
}

/**
 * mempool_alloc(): an element, from the allocator if it can, else from the reserve. Returns null
 * only where the kernel would fail (no __GFP_DIRECT_RECLAIM) or would sleep (see the header).
 */
export function mempool_alloc(host: MempoolHost, pool: Mempool, gfp: number): number | null {
  if (!pool.alive) throw new KernelError('mempool_alloc: pool was destroyed', 'EINVAL');
  if (!Number.isInteger(gfp) || gfp < 0) throw new KernelError(`mempool_alloc: ${String(gfp)} is not a GFP mask`, 'EINVAL');
  const gfp_mask = gfp | __GFP_NOMEMALLOC | __GFP_NORETRY | __GFP_NOWARN;
  let gfp_temp = gfp_mask & ~(__GFP_DIRECT_RECLAIM | __GFP_IO);
  for (;;) {
    const e = pool.alloc(gfp_temp, pool.pool_data);
    if (e !== null) {
      pool.stats.from_allocator++;
      return e;
    }
    if (pool.elements.length) {
      pool.stats.from_reserve++;
      return pool.elements.pop()!;
    }
    if (gfp_temp !== gfp_mask) {
      gfp_temp = gfp_mask;
      continue;
    }
    pool.stats.failed++;
    if (gfp_mask & __GFP_DIRECT_RECLAIM) host.dmesg.push('mempool_alloc: reserve empty; the kernel would sleep until an element is freed (the simulator returns NULL)');
    return null;
  }
}

/** mempool_free(): refill the reserve first, else give the element back. */
export function mempool_free(pool: Mempool, element: number | null): void {
  if (element === null) return;
  if (!pool.alive) throw new KernelError('mempool_free: pool was destroyed', 'EINVAL');
  if (pool.elements.includes(element)) throw new KernelError(`mempool_free: element ${element} is already in the pool`, 'EINVAL');
  if (pool.elements.length < pool.min_nr) {
    pool.elements.push(element);
    pool.stats.refilled++;
    return;
  }
  pool.free(element, pool.pool_data);
}

/** mempool_resize(): change min_nr, freeing or allocating reserved elements. Returns false on failure. */
export function mempool_resize(pool: Mempool, new_min_nr: number): boolean {
  if (!Number.isInteger(new_min_nr) || new_min_nr < 1) throw new KernelError(`mempool_resize: ${String(new_min_nr)} is not a count`, 'EINVAL');
  while (pool.elements.length > new_min_nr) pool.free(pool.elements.pop()!, pool.pool_data);
  pool.min_nr = new_min_nr;
  while (pool.elements.length < new_min_nr) {
    const e = pool.alloc(GFP_KERNEL, pool.pool_data);
    if (e === null) return false;
    pool.elements.push(e);
  }
  return true;
}

/** mempool_destroy(): every reserved element goes back; the pool struct is freed. */
export function mempool_destroy(host: MempoolHost, pool: Mempool | null): void {
  if (!pool) return;
  if (!pool.alive) throw new KernelError('mempool_destroy: pool was already destroyed', 'EINVAL');
  while (pool.elements.length) pool.free(pool.elements.pop()!, pool.pool_data);
  pool.alive = false;
  if (pool.elements_addr) host.kfree(pool.elements_addr);
  if (pool.addr) host.kfree(pool.addr);
}
