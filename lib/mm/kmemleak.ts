/**
 * kmemleak: finds allocated objects that nothing points to any more, like a tracing garbage
 * collector that reports instead of freeing.
 *
 * Mirrors: mm/kmemleak.c (create_object / delete_object on kmalloc and kmem_cache_alloc, the
 * scan: kmemleak_scan → scan_gray_list → scan_block with lookup_object(pointer, alias),
 * unreferenced_object, the MSECS_MIN_AGE rule, print_unreferenced, hex_dump_object,
 * /sys/kernel/debug/kmemleak read and its `scan`/`clear` commands), Documentation/dev-tools/kmemleak.rst.
 * Models: every slab and kmalloc_large object with its size, comm, pid, jiffies and call site;
 * roots (the kernel's data and bss sections and task stacks) as named root pointers registered
 * with {@link Kmemleak.root}; a scan that marks objects reachable from the roots, then from the
 * 8-byte aligned words inside reachable objects (a pointer anywhere inside an object keeps it
 * alive); objects younger than 5 s of simulated time are not reported; the report text.
 * Simplifies: no automatic scan thread (call scan(); the kernel scans every 600 s); min_count is
 * 1 for every object (no kmemleak_not_leak / kmemleak_ignore annotations beyond `ignore()`);
 * objects allocated before kmemleak was enabled are not tracked.
 * See: chapter 05 (kmalloc and debugging).
 */
import { KernelError } from '../base/errors.js';
import { hex } from '../base/format.js';
import { HZ } from '../base/clock.js';
import { SLAB_NOLEAKTRACE, type KmemCache } from './slab.js';
import type { SlabAllocator } from './slab_common.js';
import { hex_dump_plain } from './slub_debug.js';

/** Minimum age of a reported object (MSECS_MIN_AGE), in jiffies. */
export const MIN_AGE_JIFFIES = (5000 * HZ) / 1000;

/** One tracked object (struct kmemleak_object). */
export interface KmemleakObject {
  pointer: number;
  size: number;
  comm: string;
  pid: number;
  jiffies: number;
  caller: string;
  /** Set once reported (OBJECT_REPORTED). */
  reported: boolean;
  /** Not reported even when unreferenced (kmemleak_ignore / kmemleak_not_leak). */
  ignored: boolean;
}

/** The kmemleak state of a System (`sys.kmemleak`). */
export class Kmemleak {
  /** True once enabled (kmemleak=on, or enable()). */
  enabled = false;
  /** Tracked objects by start address. */
  readonly objects = new Map<number, KmemleakObject>();
  /** Named root pointers (the simulated data/bss and stacks). */
  readonly roots = new Map<string, number>();
  private sorted: number[] | null = null;
  private readonly sa: SlabAllocator;

  constructor(sa: SlabAllocator) {
    this.sa = sa;
  }

  /** Starts tracking allocations (objects already allocated are not tracked). */
  enable(): void {
    if (this.enabled) return;
    this.enabled = true;
    const sl = this.sa.slub;
    sl.hooks.push({
      onAlloc: (s, obj, size) => this.create_object(s, obj, size),
      onFree: (_s, obj) => {
        this.delete_object(obj);
        return true;
      },
    });
    sl.slowpath = sl.computeSlowpath();
  }

  private create_object(s: KmemCache | null, obj: number, size: number): void {
    if (s && s.flags & SLAB_NOLEAKTRACE) return;
    const info = this.sa.slub.objinfo.get(obj);
    const t = info?.alloc;
    this.objects.set(obj, {
      pointer: obj,
      size: s ? s.object_size : size,
      comm: t ? t.comm : 'swapper/0',
      pid: t ? t.pid : 0,
      jiffies: t ? t.when : this.sa.slub.host.clock.jiffies,
      caller: t ? t.caller : '?',
      reported: false,
      ignored: false,
    });
    this.sorted = null;
  }

  private delete_object(obj: number): void {
    if (this.objects.delete(obj)) this.sorted = null;
  }

  /** Sets (or with null clears) a root pointer: a global variable holding `value`. */
  root(name: string, value: number | null): void {
    if (typeof name !== 'string' || !name) throw new KernelError('kmemleak: a root needs a name', 'EINVAL');
    if (value === null) this.roots.delete(name);
    else if (!Number.isInteger(value)) throw new KernelError(`kmemleak: root ${name}: ${String(value)} is not a pointer`, 'EINVAL');
    else this.roots.set(name, value);
  }

  /** kmemleak_ignore(): never report this object. */
  ignore(obj: number): void {
    const o = this.objects.get(obj);
    if (!o) throw new KernelError(`kmemleak: Trying to ignore unknown object at ${hex(obj)}`, 'EINVAL');
    o.ignored = true;
  }

  /** lookup_object(pointer, alias = 1): the object whose [pointer, pointer+size) holds `ptr`. */
  lookup(ptr: number): KmemleakObject | null {
    if (!this.sorted) this.sorted = [...this.objects.keys()].sort((a, b) => a - b);
    const a = this.sorted;
    let lo = 0;
    let hi = a.length - 1;
    let best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (a[mid] <= ptr) {
        best = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (best < 0) return null;
    const o = this.objects.get(a[best])!;
    return ptr < o.pointer + Math.max(1, o.size) ? o : null;
  }

  /**
   * kmemleak_scan(): marks everything reachable from the roots; reports (once) the unreachable
   * objects older than 5 s. Returns the number of new suspected leaks and logs it as the kernel does.
   */
  scan(): number {
    if (!this.enabled) throw new KernelError('kmemleak: not enabled (boot with kmemleak=on or call sys.kmemleak.enable())', 'EPERM');
    const sl = this.sa.slub;
    const mem = sl.host.mem;
    const black = new Set<number>();
    const gray: KmemleakObject[] = [];
    const reach = (ptr: number) => {
      const o = this.lookup(ptr);
      if (o && !black.has(o.pointer)) {
        black.add(o.pointer);
        gray.push(o);
      }
    };
    for (const v of this.roots.values()) reach(v);
    // scan_gray_list(): the words of each reachable object may point to more objects.
    while (gray.length) {
      const o = gray.pop()!;
      const bytes = mem.read(sl.pa(o.pointer), o.size);
      const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      for (let off = 0; off + 8 <= bytes.length; off += 8) {
        const v = dv.getInt32(off + 4, true) * 4294967296 + dv.getUint32(off, true);
        if (v < 0) reach(v);
      }
    }
    const now = sl.host.clock.jiffies;
    let newLeaks = 0;
    for (const o of this.objects.values()) {
      if (black.has(o.pointer) || o.ignored) {
        if (black.has(o.pointer)) o.reported = false;
        continue;
      }
      if (now - o.jiffies < MIN_AGE_JIFFIES) continue;
      if (!o.reported) {
        o.reported = true;
        newLeaks++;
      }
    }
    if (newLeaks) sl.printk(`kmemleak: ${newLeaks} new suspected memory leaks (see /sys/kernel/debug/kmemleak)`);
    return newLeaks;
  }

  /** `echo clear > /sys/kernel/debug/kmemleak`: forget the current suspects (mark them ignored). */
  clear(): void {
    for (const o of this.objects.values()) if (o.reported) o.ignored = true;
  }

  /** The objects currently reported as leaks. */
  leaks(): KmemleakObject[] {
    return [...this.objects.values()].filter((o) => o.reported && !o.ignored).sort((a, b) => a.pointer - b.pointer);
  }

  /** The text of /sys/kernel/debug/kmemleak. */
  show(): string {
    const sl = this.sa.slub;
    const out: string[] = [];
    for (const o of this.leaks()) {
      const len = Math.min(o.size, 32);
      const bytes = sl.host.mem.read(sl.pa(o.pointer), o.size);
      out.push(`unreferenced object 0x${hex(o.pointer).slice(2).padStart(8, '0')} (size ${o.size}):`);
      out.push(`  comm "${o.comm}", pid ${o.pid}, jiffies ${o.jiffies}`);
      out.push(`  hex dump (first ${len} bytes):`);
      out.push(...hex_dump_plain('    ', bytes.subarray(0, len)));
      out.push(`  backtrace (crc ${crc32(bytes).toString(16)}):`);
      out.push('    kmemleak_alloc+0x4e/0x90', '    __kmalloc_cache_noprof+0x2b8/0x360', `    ${o.caller}`);
    }
    return out.length ? out.join('\n') + '\n' : '';
  }
}

/** CRC-32 (the checksum kmemleak keeps of an object's bytes). */
export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) {
    c ^= data[i];
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}
