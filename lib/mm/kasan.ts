/**
 * KASAN (generic): shadow memory that marks every 8-byte granule as accessible or not, checked on
 * each kernel memory access, with the kernel's report.
 *
 * Mirrors: mm/kasan/generic.c (memory_is_poisoned, kasan_cache_create's redzones, the
 * quarantine), mm/kasan/common.c (__kasan_slab_alloc, __kasan_kmalloc, __kasan_slab_free,
 * __kasan_kmalloc_large, kasan_poison_slab), mm/kasan/report.c and report_generic.c
 * (print_error_description, describe_object_addr, print_memory_metadata,
 * get_shadow_bug_type, kasan_report_invalid_free), mm/kasan/kasan.h (shadow values),
 * mm/kasan/quarantine.c.
 * Models: one shadow byte per 8 bytes of direct-mapped memory (00 accessible, 01..07 partly,
 * FC slab redzone, FB freed object, FE kmalloc_large redzone, FF free page); objects poisoned
 * and unpoisoned by the slab allocator; freed objects held in a quarantine (1/32 of RAM) before
 * SLUB may reuse them; checks on sys.kread / sys.kwrite with the report in the kernel's layout
 * (bug type, access, stack, allocation and free stacks, the object, the page, the shadow rows
 * with `>` and `^`); double-free and invalid-free reports.
 * Simplifies: shadow is kept sparsely per page (only pages that hold something other than 00);
 * pages outside slabs and kmalloc_large read as 00 unless they are free (FF, computed from the
 * page allocator); stacks are the simulated call sites; reports are always printed (as with
 * kasan_multi_shot) and the bad access is refused (the kernel completes it after the report);
 * the allocation metadata lives beside the object in the simulator, not in its bytes.
 * See: chapter 05 (kmalloc and debugging).
 */
import { KernelError } from '../base/errors.js';
import { hex, hexDigits } from '../base/format.js';
import { decode_page_flags, pagetype_name } from './page_flags.js';
import { SL32, SL_BASE, SL_CACHE, SL_OBJECTS, type KmemCache } from './slab.js';
import type { SlabAllocator } from './slab_common.js';
import { OBJ_ALLOCATED, OBJ_CODE_ALLOCATED, OBJ_CODE_QUARANTINED, TAINT_BAD_PAGE, type ObjTrack, type Slub } from './slub.js';

/** Shadow values (mm/kasan/kasan.h). */
export const KASAN_PAGE_FREE = 0xff;
export const KASAN_PAGE_REDZONE = 0xfe;
export const KASAN_SLAB_REDZONE = 0xfc;
export const KASAN_SLAB_FREE = 0xfb;
/** Granule size of generic KASAN. */
export const KASAN_GRANULE_SIZE = 8;
/** Quarantine size: 1/32 of RAM (QUARANTINE_FRACTION). */
export const QUARANTINE_FRACTION = 32;

const PAGE = 4096;
const SHADOW_PER_PAGE = PAGE / KASAN_GRANULE_SIZE;

/** One report, kept for tests and the course (the text also goes to dmesg). */
export interface KasanReport {
  bug_type: string;
  addr: number;
  size: number;
  write: boolean;
  /** Object the address belongs to (0 if none). */
  object: number;
  cache: string;
  text: string;
}

/** The KASAN state of a System (`sys.kasan`). */
export class Kasan {
  /** True once enabled (kasan=on, or enable() before the first allocation). */
  enabled = false;
  /** Reports so far. */
  readonly reports: KasanReport[] = [];
  /** Freed objects waiting before SLUB may reuse them, oldest first. */
  readonly quarantine: { obj: number; cache: KmemCache; bytes: number }[] = [];
  /** Bytes in the quarantine, and the limit. */
  quarantine_bytes = 0;
  quarantine_max: number;
  private shadow = new Map<number, Uint8Array>();
  private readonly sa: SlabAllocator;
  private readonly sl: Slub;
  private readonly isFreePage: (pfn: number) => boolean;

  constructor(sa: SlabAllocator, isFreePage: (pfn: number) => boolean) {
    this.sa = sa;
    this.sl = sa.slub;
    this.isFreePage = isFreePage;
    this.quarantine_max = Math.floor(sa.slub.host.config.memory / QUARANTINE_FRACTION);
  }

  /**
   * Switches KASAN on. The slab caches are given KASAN's layout (redzones and metadata), which
   * needs them empty: refused with a KernelError when a cache other than the boot caches holds
   * objects (enable it right after createSystem, or boot with `kasan=on`).
   */
  enable(): void {
    if (this.enabled) return;
    const sl = this.sl;
    const busy: string[] = [];
    for (const s of sl.slab_caches) {
      if (s === sl.kmem_cache || s === sl.kmem_cache_node) continue;
      if (sl.objects_in_use(s) > 0) busy.push(s.name);
    }
    if (busy.length) throw new KernelError(`kasan: cannot enable: caches already hold objects (${busy.slice(0, 5).join(', ')}); enable KASAN before allocating, or boot with kasan=on`, 'EBUSY');
    for (const s of sl.slab_caches) {
      if (s === sl.kmem_cache || s === sl.kmem_cache_node) continue;
      sl.kmem_cache_shrink(s);
      sl.relayout(s, true);
    }
    sl.kasanOn = true;
    this.enabled = true;
    sl.hooks.push({
      onNewSlab: (s, base, bytes) => this.onNewSlab(s, base, bytes),
      onDiscardSlab: (_s, base, bytes) => this.dropShadow(base, bytes),
      onAlloc: (s, obj, size) => (s ? this.onAlloc(s, obj, size) : undefined),
      onFree: (s, obj) => (s ? this.onFree(s, obj) : true),
    });
    sl.slowpath = sl.computeSlowpath();
    this.sa.accessCheck = (addr, len, write, caller) => this.check(addr, len, write, caller);
    this.sa.kasanFreeCheck = (addr, s, fn, caller) => this.checkFree(addr, s, fn, caller);
    this.sa.onKsize = (addr, size) => this.unpoison(addr, size);
    this.sa.onKrealloc = (addr, size) => {
      const id = sl.addrToSlab(addr);
      if (id < 0) return;
      const s = sl.caches[sl.slabs.i32[id << SL32 | SL_CACHE]];
      this.unpoison(addr, size);
      const end = addr + Math.ceil(size / 8) * 8;
      this.poison(end, addr + Math.ceil(s.object_size / 8) * 8 - end, KASAN_SLAB_REDZONE);
    };
    this.sa.flushQuarantine = (s) => this.quarantine_remove_cache(s);
    this.sa.largeHooks.push({
      onAlloc: (addr, size, order) => {
        this.dropShadow(addr, PAGE << order);
        const end = addr + Math.ceil(size / 8) * 8;
        this.unpoison(addr, size);
        this.poison(end, addr + (PAGE << order) - end, KASAN_PAGE_REDZONE);
      },
      onFree: (addr, order) => this.poison(addr, PAGE << order, KASAN_PAGE_FREE),
    });
  }

  /** Called by the page allocator hook: a page handed out is accessible again. */
  onPageAlloc(pfn: number, order: number): void {
    for (let p = pfn; p < pfn + (1 << order); p++) this.shadow.delete(p);
  }

  // Shadow ---------------------------------------------------------------------------------

  private shadowPage(pfn: number, create: boolean): Uint8Array | undefined {
    let s = this.shadow.get(pfn);
    if (!s && create) this.shadow.set(pfn, (s = new Uint8Array(SHADOW_PER_PAGE)));
    return s;
  }

  /** The shadow byte of the granule holding `addr` (kasan_mem_to_shadow). */
  shadowByte(addr: number): number {
    const phys = this.sl.pa(addr);
    const pfn = Math.floor(phys / PAGE);
    const s = this.shadow.get(pfn);
    if (s) return s[(phys - pfn * PAGE) >> 3];
    if (pfn >= 0 && pfn < this.sl.host.pages.max_pfn && this.isFreePage(pfn)) return KASAN_PAGE_FREE;
    return 0;
  }

  /** kasan_poison(): granules of [addr, addr+size) get `value` (addr and size granule-aligned). */
  poison(addr: number, size: number, value: number): void {
    for (let a = addr; a < addr + size; a += KASAN_GRANULE_SIZE) {
      const phys = this.sl.pa(a);
      const pfn = Math.floor(phys / PAGE);
      this.shadowPage(pfn, true)![(phys - pfn * PAGE) >> 3] = value;
    }
  }

  /** kasan_unpoison(): [addr, addr+size) accessible, the last granule partly when size % 8. */
  unpoison(addr: number, size: number): void {
    const full = Math.floor(size / KASAN_GRANULE_SIZE);
    for (let g = 0; g < full; g++) {
      const phys = this.sl.pa(addr + g * 8);
      const pfn = Math.floor(phys / PAGE);
      this.shadowPage(pfn, true)![(phys - pfn * PAGE) >> 3] = 0;
    }
    if (size % 8) {
      const phys = this.sl.pa(addr + full * 8);
      const pfn = Math.floor(phys / PAGE);
      this.shadowPage(pfn, true)![(phys - pfn * PAGE) >> 3] = size % 8;
    }
  }

  private dropShadow(base: number, bytes: number): void {
    const pfn = Math.floor(this.sl.pa(base) / PAGE);
    for (let p = pfn; p < pfn + bytes / PAGE; p++) this.shadow.delete(p);
  }

  // Slab hooks -----------------------------------------------------------------------------

  private onNewSlab(_s: KmemCache, base: number, bytes: number): void {
    this.poison(base, bytes, KASAN_SLAB_REDZONE);
  }

  private onAlloc(s: KmemCache, obj: number, size: number): void {
    this.unpoison(obj, size);
    const end = obj + Math.ceil(size / 8) * 8;
    const objEnd = obj + Math.ceil(s.object_size / 8) * 8;
    if (objEnd > end) this.poison(end, objEnd - end, KASAN_SLAB_REDZONE);
  }

  /** __kasan_slab_free(): poison the object and put it in quarantine. Returns false (kept). */
  private onFree(s: KmemCache, obj: number): boolean {
    this.poison(obj, Math.ceil(s.object_size / 8) * 8, KASAN_SLAB_FREE);
    const sl = this.sl;
    const id = sl.addrToSlab(obj);
    const i = sl.objIndex(s, id, obj);
    sl.slabs.obj[sl.slabs.i32[id << SL32 | SL_BASE] + i] = OBJ_CODE_QUARANTINED;
    this.quarantine.push({ obj, cache: s, bytes: s.size });
    this.quarantine_bytes += s.size;
    while (this.quarantine_bytes > this.quarantine_max && this.quarantine.length) this.release(0);
    return false;
  }

  /** Takes quarantine entry `k` out and really frees it into SLUB. */
  private release(k: number): void {
    const sl = this.sl;
    const [q] = this.quarantine.splice(k, 1);
    this.quarantine_bytes -= q.bytes;
    const id = sl.addrToSlab(q.obj);
    const i = sl.objIndex(q.cache, id, q.obj);
    sl.slabs.obj[sl.slabs.i32[id << SL32 | SL_BASE] + i] = OBJ_CODE_ALLOCATED;
    sl.do_slab_free(q.cache, id, q.obj, undefined);
  }

  /** quarantine_remove_cache(): free every quarantined object of a cache. */
  quarantine_remove_cache(s: KmemCache): void {
    for (let k = this.quarantine.length - 1; k >= 0; k--) if (this.quarantine[k].cache === s) this.release(k);
  }

  /** Empties the whole quarantine (kasan_quarantine_reduce under memory pressure). */
  quarantine_reduce(): void {
    while (this.quarantine.length) this.release(0);
  }

  // Checks ---------------------------------------------------------------------------------

  /** memory_is_poisoned(): the first bad byte of [addr, addr+len), or null. */
  first_bad_addr(addr: number, len: number): number | null {
    for (let a = addr; a < addr + len; a++) {
      const v = this.shadowByte(a);
      if (v === 0) {
        a = Math.floor(a / 8) * 8 + 7; // whole granule fine
        continue;
      }
      if (v < 8) {
        if ((a & 7) >= v) return a;
        continue;
      }
      return a;
    }
    return null;
  }

  /** Checks an access; on a bad one prints the report and throws KernelError. */
  check(addr: number, len: number, write: boolean, caller: string | undefined): void {
    if (len === 0) return;
    const bad = this.first_bad_addr(addr, len);
    if (bad === null) return;
    const r = this.report(addr, len, write, bad, caller ?? (write ? 'kwrite+0x1d/0x40' : 'kread+0x1d/0x40'));
    throw new KernelError(`BUG: KASAN: ${r.bug_type} in ${caller ?? (write ? 'kwrite' : 'kread')}: ${write ? 'Write' : 'Read'} of size ${len} at addr ${hexDigits(addr)}`, 'EFAULT');
  }

  /** kasan_report_invalid_free(): frees of quarantined objects or of addresses inside objects. */
  private checkFree(addr: number, s: KmemCache | null, fn: string, caller: string | undefined): void {
    const sl = this.sl;
    const id = sl.addrToSlab(addr);
    if (id < 0) return;
    const cache = sl.caches[sl.slabs.i32[id << SL32 | SL_CACHE]];
    const rel = addr - sl.slabs.first[id];
    const i = rel / cache.size;
    let type: string | null = null;
    if (!Number.isInteger(i)) type = 'invalid-free';
    else if (sl.slabs.state(id, i) !== OBJ_ALLOCATED) type = 'double-free';
    if (!type) return;
    void s;
    const text = this.buildReport(type, addr, 0, false, addr, caller ?? `${fn}+0x11e/0x3b0`, true);
    this.reports.push({ bug_type: type, addr, size: 0, write: false, object: 0, cache: cache.name, text });
    throw new KernelError(`BUG: KASAN: ${type} in ${caller ?? fn}: Free of addr ${hexDigits(addr)}`, 'EINVAL');
  }

  /** get_shadow_bug_type(). */
  bug_type(first_bad: number): string {
    let v = this.shadowByte(first_bad);
    if (v > 0 && v <= 7) v = this.shadowByte(first_bad + 8 - (first_bad & 7));
    switch (v) {
      case KASAN_PAGE_REDZONE:
      case KASAN_SLAB_REDZONE:
        return 'slab-out-of-bounds';
      case KASAN_PAGE_FREE:
        return 'use-after-free';
      case KASAN_SLAB_FREE:
      case 0xfa:
        return 'slab-use-after-free';
      case 0xf9:
        return 'global-out-of-bounds';
      case 0xf8:
        return 'vmalloc-out-of-bounds';
      default:
        return v < 8 ? 'out-of-bounds' : 'unknown-crash';
    }
  }

  private report(addr: number, len: number, write: boolean, bad: number, caller: string): KasanReport {
    const bug = this.bug_type(bad);
    const text = this.buildReport(bug, addr, len, write, bad, caller, false);
    const loc = this.objectAt(addr);
    const r: KasanReport = { bug_type: bug, addr, size: len, write, object: loc ? loc.obj : 0, cache: loc ? loc.cache.name : '', text };
    this.reports.push(r);
    return r;
  }

  /** The object nearest to `addr` in its slab (kasan_find_first_bad_addr / nearest_obj). */
  private objectAt(addr: number): { obj: number; cache: KmemCache; size: number } | null {
    const sl = this.sl;
    const id = sl.addrToSlab(addr);
    if (id >= 0) {
      const s = sl.caches[sl.slabs.i32[id << SL32 | SL_CACHE]];
      let i = Math.floor((addr - sl.slabs.first[id]) / s.size);
      i = Math.max(0, Math.min(sl.slabs.i32[id << SL32 | SL_OBJECTS] - 1, i));
      const obj = sl.objAddr(id, i);
      const st = sl.slabs.state(id, i);
      const info = sl.objinfo.get(obj);
      const size = st === OBJ_ALLOCATED && info ? info.orig_size : s.object_size;
      return { obj, cache: s, size };
    }
    return null;
  }

  private buildReport(bug: string, addr: number, len: number, write: boolean, bad: number, caller: string, isFree: boolean): string {
    const sl = this.sl;
    const cur = sl.host.current;
    const comm = cur ? cur.comm : 'swapper/0';
    const pid = cur ? cur.pid : 0;
    const L: string[] = ['=================================================================='];
    L.push(`BUG: KASAN: ${bug} in ${caller}`);
    if (isFree) L.push(`Free of addr ${hexDigits(addr)} by task ${comm}/${pid}`);
    else L.push(`${write ? 'Write' : 'Read'} of size ${len} at addr ${hexDigits(addr)} by task ${comm}/${pid}`);
    L.push('');
    L.push(`CPU: ${sl.cpu} UID: 0 PID: ${pid} Comm: ${comm} ${sl.print_tainted()} 6.12.0-mmlab #1`);
    L.push('Call Trace:', ' <TASK>', ' dump_stack_lvl+0x5d/0x80', ' print_report+0xc1/0x5e0');
    L.push(isFree ? ' kasan_report_invalid_free+0xc0/0xf0' : ' kasan_report+0xbe/0xf0');
    L.push(` ${caller}`, ' </TASK>', '');
    const loc = this.objectAt(addr);
    if (loc) {
      const info = sl.objinfo.get(loc.obj);
      const stack = (t: ObjTrack, label: string, frames: string[]) => {
        L.push(`${label} by task ${t.pid}:`, ' kasan_save_stack+0x33/0x60', ' kasan_save_track+0x14/0x30', ...frames.map((f) => ' ' + f), ` ${t.caller}`, '');
      };
      if (info?.alloc) stack(info.alloc, 'Allocated', [loc.cache.flags & 8 ? '__kasan_kmalloc+0x8f/0xa0' : '__kasan_slab_alloc+0x8a/0xa0', loc.cache.flags & 8 ? '__kmalloc_noprof+0x1a9/0x410' : 'kmem_cache_alloc_noprof+0x11f/0x300']);
      if (info?.free) stack(info.free, 'Freed', ['kasan_save_free_info+0x3b/0x60', '__kasan_slab_free+0x37/0x50', loc.cache.flags & 8 ? 'kfree+0x11e/0x3b0' : 'kmem_cache_free+0x106/0x3c0']);
      L.push(`The buggy address belongs to the object at ${hexDigits(loc.obj)}`, ` which belongs to the cache ${loc.cache.name} of size ${loc.cache.object_size}`);
      let rel: string;
      let bytes: number;
      if (addr < loc.obj) {
        rel = 'to the left';
        bytes = loc.obj - addr;
      } else if (addr >= loc.obj + loc.size) {
        rel = 'to the right';
        bytes = addr - (loc.obj + loc.size);
      } else {
        rel = 'inside';
        bytes = addr - loc.obj;
      }
      const state = bug === 'slab-out-of-bounds' ? 'allocated ' : bug === 'slab-use-after-free' ? 'freed ' : '';
      L.push(`The buggy address is located ${bytes} bytes ${rel} of`, ` ${state}${loc.size}-byte region [${hexDigits(loc.obj)}, ${hexDigits(loc.obj + loc.size)})`, '');
    }
    // The page.
    const pfn = Math.floor(sl.pa(addr) / PAGE);
    if (pfn >= 0 && pfn < sl.host.pages.max_pfn) {
      const pg = sl.host.pages;
      const head = pg.compound_head[pfn] ? pg.compound_head[pfn] - 1 : pfn;
      L.push('The buggy address belongs to the physical page:');
      L.push(`page: refcount:${pg._refcount[head]} mapcount:${pg.mapcount[head]} mapping:0000000000000000 index:0x0 pfn:0x${pfn.toString(16)}`);
      if (head !== pfn) L.push(`head: order:${pg.compound_order[head]} mapcount:0 entire_mapcount:0 nr_pages_mapped:0 pincount:0`);
      L.push(`flags: ${hex(pg.flags[head])}(${decode_page_flags(pg.flags[head]).join('|')})`);
      if (pg.page_type[head]) L.push(`page_type: ${pg.page_type[head].toString(16)}(${pagetype_name(pg.page_type[head])})`);
      L.push('page dumped because: kasan: bad access detected', '');
    }
    // Memory state around the buggy address: 2 rows either side, 16 granules (128 bytes) a row.
    L.push('Memory state around the buggy address:');
    const row0 = Math.floor(bad / 128) * 128;
    for (let r = -2; r <= 2; r++) {
      const row = row0 + r * 128;
      const cells: string[] = [];
      for (let g = 0; g < 16; g++) cells.push(this.shadowByte(row + g * 8).toString(16).padStart(2, '0'));
      L.push(`${r === 0 ? '>' : ' '}${hexDigits(row)}: ${cells.join(' ')}`);
      if (r === 0) {
        const off = 3 + 16 + Math.floor((bad - row) / 8) * 3 + 1;
        L.push('^'.padStart(off));
      }
    }
    L.push('==================================================================');
    sl.tainted |= TAINT_BAD_PAGE;
    const text = L.join('\n');
    sl.printk(text);
    return text;
  }
}
