/**
 * vmalloc: virtually contiguous kernel memory from scattered pages.
 *
 * Mirrors: mm/vmalloc.c (alloc_vmap_area with the lowest-address fit, __get_vm_area_node
 * adding one guard page, __vmalloc_area_node allocating order-0 pages one by one with
 * __GFP_HIGHMEM and the pages[] array itself vmalloc'ed when it exceeds a page, vmap, vfree,
 * vunmap, vmalloc_info_show with the per-CPU vmap nodes of 64-bit kernels, vmalloc_nr_pages),
 * include/linux/vmalloc.h (struct vm_struct, struct vmap_area, VM_* flags).
 * Models: busy vmap_areas over [VMALLOC_START, VMALLOC_END) as a sorted array; each vmalloc
 * takes the lowest hole that fits size + guard page, allocates its pages from the buddy
 * allocator (physically scattered), and maps them with 4 KiB PTEs in init_mm's tables (which
 * every process shares); vfree clears the PTEs and frees the pages at once but frees the range
 * lazily (free_vmap_area_noflush): it stays reserved, and its stale TLB entries allowed, until
 * more than lazy_max_pages (fls(CPUs) × 32 MiB) are pending or an allocation finds no room; then
 * one flush purges them all. /proc/vmallocinfo prints the exact kernel line format, "unpurged
 * vm_area" lines included; VmallocUsed counts vmalloc'ed pages.
 * Simplifies: the purge runs synchronously (the kernel schedules drain_vmap_work); no huge vmap
 * mappings, no per-CPU vmap blocks (vm_map_ram); callers are names given by the caller of the API (%pS of the return
 * address in the kernel) and omitted when none is given.
 * See: chapter 08 (vmalloc and highmem).
 */
import { KernelError, VmBugError } from '../base/errors.js';
import { hexDigits } from '../base/format.js';
import { pageSource } from '../arch/x86/mmu.js';
import type { System } from '../system.js';
import { GFP_KERNEL, __GFP_DMA, __GFP_DMA32, __GFP_HIGHMEM, __GFP_ZERO } from './gfp.js';
import { core, pagesOf } from './memory.js';

/** vm_struct flags. */
export const VM_IOREMAP = 0x1;
export const VM_ALLOC = 0x2;
export const VM_MAP = 0x4;
export const VM_USERMAP = 0x8;
export const VM_DMA_COHERENT = 0x10;
export const VM_NO_GUARD = 0x40;
export const VM_SPARSE = 0x1000;

/** struct vm_struct + its vmap_area. */
export interface VmStruct {
  /** va_start (= addr). */
  addr: number;
  /** Size including the guard page. */
  size: number;
  flags: number;
  /** The pages mapped (pfns). */
  pages: number[];
  /** Caller as %pS prints it, or '' (none). */
  caller: string;
  /** True when pages[] itself lives in vmalloc space (more than 512 pages). */
  vpages: boolean;
  /** The nested area holding pages[] (freed with this one). */
  pagesArea: VmStruct | null;
}

/** One area as /proc/vmallocinfo and views see it. */
export interface VmallocAreaSnapshot {
  start: string;
  end: string;
  size: number;
  caller: string;
  pages: number;
  kind: 'vmalloc' | 'vmap' | 'ioremap';
  vpages: boolean;
  nodes: Record<number, number>;
}

/** The vmalloc allocator of a System. */
export class Vmalloc {
  /** Busy areas, sorted by address. */
  readonly busy: VmStruct[] = [];
  /** Lazily freed areas: unmapped, pages freed, but their range still reserved until the purge flushes the TLB. */
  readonly lazy: { addr: number; size: number }[] = [];
  /** vmap_lazy_nr: pages of lazily freed ranges. */
  vmap_lazy_nr = 0;
  /** Purges done (__purge_vmap_area_lazy). */
  purges = 0;
  /** vmalloc_nr_pages(). */
  nr_vmalloc_pages = 0;
  constructor(private readonly sys: System) {}

  private get start(): number {
    return this.sys.layout.vmalloc_start;
  }
  private get end(): number {
    return this.sys.layout.vmalloc_end;
  }

  /**
   * alloc_vmap_area: the lowest address where `size` fits (busy and not yet purged ranges are
   * taken); when nothing fits, purge the lazy areas and try again. Null if none (addresses may
   * be negative).
   */
  alloc_vmap_area(size: number): number | null {
    const a = this.lowestFit(size);
    if (a !== null || !this.lazy.length) return a;
    this.purge_vmap_area_lazy();
    return this.lowestFit(size);
  }

  private lowestFit(size: number): number | null {
    const taken = [...this.busy.map((v) => ({ addr: v.addr, size: v.size })), ...this.lazy].sort((x, y) => x.addr - y.addr);
    let a = this.start;
    for (const v of taken) {
      if (v.addr - a >= size) return a;
      if (v.addr + v.size > a) a = v.addr + v.size;
    }
    return this.end - a >= size ? a : null;
  }

  /** lazy_max_pages: fls(num_online_cpus) × 32 MiB of pages. */
  get lazy_max_pages(): number {
    const cpus = this.sys.config.cpus;
    return (32 - Math.clz32(cpus)) * ((32 * 2 ** 20) / 4096);
  }

  /**
   * __purge_vmap_area_lazy: one TLB flush for the whole span of the lazily freed ranges, after
   * which they can be reused.
   */
  purge_vmap_area_lazy(): void {
    if (!this.lazy.length) return;
    let lo = Infinity;
    let hi = -Infinity;
    for (const l of this.lazy) {
      lo = Math.min(lo, l.addr);
      hi = Math.max(hi, l.addr + l.size);
    }
    core(this.sys).pg.flush_tlb_kernel_range(lo, hi);
    this.lazy.length = 0;
    this.vmap_lazy_nr = 0;
    this.purges++;
  }

  /** True when `addr` lies in a lazily freed (unmapped, not yet flushed) range. */
  isLazy(addr: number): boolean {
    return this.lazy.some((l) => addr >= l.addr && addr < l.addr + l.size);
  }

  private insert(v: VmStruct): void {
    let i = 0;
    while (i < this.busy.length && this.busy[i].addr < v.addr) i++;
    this.busy.splice(i, 0, v);
  }

  /** __get_vm_area_node: reserves [addr, addr + size + guard). Null when the area is full. */
  get_vm_area(size: number, flags: number, caller: string): VmStruct | null {
    const total = Math.ceil(size / 4096) * 4096 + (flags & VM_NO_GUARD ? 0 : 4096);
    const addr = this.alloc_vmap_area(total);
    if (this.sys.trace.enabled) {
      this.sys.trace.emit('alloc_vmap_area', { va_start: hexDigits(addr ?? 0, 0), size: total, align: 4096, vstart: hexDigits(this.start, 0), vend: hexDigits(this.end, 0), failed: addr === null ? 1 : 0 });
    }
    if (addr === null) return null;
    const v: VmStruct = { addr, size: total, flags, pages: [], caller, vpages: false, pagesArea: null };
    this.insert(v);
    return v;
  }

  /** The area starting at `addr`, or undefined. */
  find(addr: number): VmStruct | undefined {
    return this.busy.find((v) => v.addr === addr);
  }

  /** The area containing `addr` (guard page included), or undefined. */
  lookup(addr: number): VmStruct | undefined {
    return this.busy.find((v) => addr >= v.addr && addr < v.addr + v.size);
  }

  private mapPages(v: VmStruct): boolean {
    const pg = core(this.sys).pg;
    for (let i = 0; i < v.pages.length; i++) {
      if (!pg.setKernelPte(v.addr + i * 4096, v.pages[i], true, true)) return false;
    }
    return true;
  }

  /**
   * free_vmap_area_noflush: clears the PTEs (vunmap_range_noflush) and moves the range to the
   * lazy list without flushing the TLB; past lazy_max_pages the lazy ranges are purged.
   */
  private free_vmap_area_noflush(v: VmStruct): void {
    const pg = core(this.sys).pg;
    for (let i = 0; i < v.pages.length; i++) pg.clearKernelPte(v.addr + i * 4096);
    this.remove(v);
    let i = 0;
    while (i < this.lazy.length && this.lazy[i].addr < v.addr) i++;
    this.lazy.splice(i, 0, { addr: v.addr, size: v.size });
    this.vmap_lazy_nr += v.size / 4096;
    if (this.vmap_lazy_nr > this.lazy_max_pages) this.purge_vmap_area_lazy();
  }

  private remove(v: VmStruct): void {
    const i = this.busy.indexOf(v);
    if (i >= 0) this.busy.splice(i, 1);
  }

  /**
   * __vmalloc_node: `size` bytes of virtually contiguous memory (rounded up to pages), pages
   * allocated one by one. Returns the address or null (nothing is left allocated on failure).
   */
  vmalloc(size: number, gfp = GFP_KERNEL, caller = ''): number | null {
    if (!Number.isSafeInteger(size) || size <= 0) return null;
    const nr = Math.ceil(size / 4096);
    const v = this.get_vm_area(nr * 4096, VM_ALLOC, caller);
    if (!v) return null;
    // the pages[] array: kmalloc'ed up to a page, vmalloc'ed (nested) beyond
    if (nr * 8 > 4096) {
      const inner = this.vmalloc(nr * 8, GFP_KERNEL | __GFP_ZERO, caller);
      if (inner === null) {
        this.remove(v);
        return null;
      }
      v.vpages = true;
      v.pagesArea = this.find(inner)!;
    }
    const src = pageSource(this.sys);
    const pages = pagesOf(this.sys);
    const g = gfp & (__GFP_DMA | __GFP_DMA32) ? gfp : gfp | __GFP_HIGHMEM;
    for (let i = 0; i < nr; i++) {
      const pfn = src.alloc(g, 0);
      if (pfn < 0) {
        this.release(v);
        return null;
      }
      pages._refcount[pfn] = 1;
      if (gfp & __GFP_ZERO) this.sys.mem.clearPage(pfn);
      v.pages.push(pfn);
    }
    if (!this.mapPages(v)) {
      this.release(v);
      return null;
    }
    this.nr_vmalloc_pages += nr;
    return v.addr;
  }

  private release(v: VmStruct): void {
    const pg = core(this.sys).pg;
    for (let i = 0; i < v.pages.length; i++) {
      const t = pg.tableFor(pg.init_mm.pgd, v.addr + i * 4096, pg.pteDepth, false, 0);
      if (t >= 0) pg.clearKernelPte(v.addr + i * 4096);
    }
    this.freePages(v);
    this.remove(v);
    if (v.pagesArea) this.vfree(v.pagesArea.addr);
  }

  private freePages(v: VmStruct): void {
    const src = pageSource(this.sys);
    const pages = pagesOf(this.sys);
    for (const pfn of v.pages) {
      pages._refcount[pfn] = 0;
      src.free(pfn, 0);
    }
    v.pages = [];
  }

  /** vfree: unmaps and frees a vmalloc area. A KernelError for an address that is not one. */
  vfree(addr: number): void {
    const v = this.find(addr);
    if (!v || !(v.flags & VM_ALLOC)) throw new KernelError(`vfree: Trying to vfree() nonexistent vm area (0x${hexDigits(addr)})`, 'EINVAL');
    this.nr_vmalloc_pages -= v.pages.length;
    this.free_vmap_area_noflush(v);
    this.freePages(v);
    if (v.pagesArea) this.vfree(v.pagesArea.addr);
  }

  /** vmap: maps existing pages (pfns) contiguously. The caller keeps owning the pages. */
  vmap(pfns: number[], flags = VM_MAP, caller = ''): number | null {
    if (!Array.isArray(pfns) || pfns.length === 0) throw new KernelError('vmap: no pages given', 'EINVAL');
    const max = Math.floor(this.sys.mem.size / 4096);
    for (const p of pfns) if (!Number.isInteger(p) || p < 0 || p >= max) throw new KernelError(`vmap: pfn ${p} is not a page of this machine`, 'EINVAL');
    const v = this.get_vm_area(pfns.length * 4096, flags, caller);
    if (!v) return null;
    v.pages = [...pfns];
    if (!this.mapPages(v)) {
      v.pages = [];
      this.remove(v);
      return null;
    }
    return v.addr;
  }

  /** vunmap: removes a vmap mapping (the pages stay with their owner). */
  vunmap(addr: number): void {
    const v = this.find(addr);
    if (!v || !(v.flags & VM_MAP)) throw new KernelError(`vunmap: Trying to vunmap() nonexistent vm area (0x${hexDigits(addr)})`, 'EINVAL');
    this.free_vmap_area_noflush(v);
    v.pages = [];
  }

  /** nr_vmap_nodes: one per possible CPU on 64-bit (up to 128), one on 32-bit. */
  private get nr_vmap_nodes(): number {
    return this.sys.config.arch === 'x86_64' ? Math.min(128, Math.max(1, this.sys.config.cpus)) : 1;
  }

  /** addr_to_node_id: the vmap node of an address (16-page zones, round-robin). */
  private nodeOf(addr: number): number {
    const n = this.nr_vmap_nodes;
    if (n === 1) return 0;
    const q = Math.floor(addr / 65536);
    const unsignedQ = addr < 0 ? ((2 ** 48 % n) + (q % n) + n) % n : q % n;
    return ((unsignedQ % n) + n) % n;
  }

  /** Snapshot of the busy areas in the order /proc/vmallocinfo prints them. */
  inspect(): VmallocAreaSnapshot[] {
    const nodeOfPfn = (pfn: number): number => {
      const z = this.sys.buddy.page_zone(pfn);
      return z ? z.node : 0;
    };
    const order = [...this.busy].sort((a, b) => this.nodeOf(a.addr) - this.nodeOf(b.addr) || a.addr - b.addr);
    return order.map((v) => {
      const nodes: Record<number, number> = {};
      for (const p of v.pages) {
        const n = nodeOfPfn(p);
        nodes[n] = (nodes[n] ?? 0) + 1;
      }
      return {
        start: '0x' + hexDigits(v.addr, this.sys.config.arch === 'i386' ? 8 : 16),
        end: '0x' + hexDigits(v.addr + v.size, this.sys.config.arch === 'i386' ? 8 : 16),
        size: v.size,
        caller: v.caller,
        pages: v.flags & VM_ALLOC ? v.pages.length : 0,
        kind: v.flags & VM_ALLOC ? 'vmalloc' : v.flags & VM_IOREMAP ? 'ioremap' : 'vmap',
        vpages: v.vpages,
        nodes,
      };
    });
  }

  /** /proc/vmallocinfo. */
  show(): string {
    let out = '';
    for (const a of this.inspect()) {
      out += `${a.start}-${a.end} ${String(a.size).padStart(7)}`;
      if (a.caller) out += ` ${a.caller}`;
      if (a.pages) out += ` pages=${a.pages}`;
      out += ` ${a.kind}`;
      if (a.vpages) out += ' vpages';
      for (const n of Object.keys(a.nodes).map(Number).sort((x, y) => x - y)) out += ` N${n}=${a.nodes[n]}`;
      out += '\n';
    }
    // show_purge_info: the lazily freed ranges, per vmap node
    const w = this.sys.config.arch === 'i386' ? 8 : 16;
    const lazy = [...this.lazy].sort((a, b) => this.nodeOf(a.addr) - this.nodeOf(b.addr) || a.addr - b.addr);
    for (const l of lazy) out += `0x${hexDigits(l.addr, w)}-0x${hexDigits(l.addr + l.size, w)} ${String(l.size).padStart(7)} unpurged vm_area\n`;
    return out;
  }

  /** Invariants: areas sorted, disjoint, inside the range; every page mapped at its address. */
  validate(): void {
    const pg = core(this.sys).pg;
    let prevEnd = this.start;
    let total = 0;
    for (const v of this.busy) {
      if (v.addr < prevEnd || v.addr + v.size > this.end) throw new VmBugError('vmalloc: overlapping or out-of-range vmap_area', '0x' + hexDigits(v.addr));
      prevEnd = v.addr + v.size;
      if (v.flags & VM_ALLOC) total += v.pages.length;
      for (let i = 0; i < v.pages.length; i++) {
        const steps = pg.peekWalk(pg.init_mm.pgd, v.addr + i * 4096);
        const leaf = steps[steps.length - 1];
        if (!leaf || !leaf.leaf || leaf.pfn !== v.pages[i]) throw new VmBugError('vmalloc: page not mapped at its address', '0x' + hexDigits(v.addr + i * 4096));
      }
      if (!(v.flags & VM_NO_GUARD)) {
        const g = v.addr + v.size - 4096;
        const steps = pg.peekWalk(pg.init_mm.pgd, g);
        const leaf = steps[steps.length - 1];
        if (leaf && leaf.present) throw new VmBugError('vmalloc: guard page is mapped', '0x' + hexDigits(g));
      }
    }
    for (const l of this.lazy) {
      if (this.busy.some((v) => v.addr < l.addr + l.size && l.addr < v.addr + v.size)) throw new VmBugError('vmalloc: a lazily freed range was reused before the purge', '0x' + hexDigits(l.addr));
    }
    if (total !== this.nr_vmalloc_pages) throw new VmBugError('vmalloc: nr_vmalloc_pages is wrong', `${this.nr_vmalloc_pages} vs ${total}`);
  }
}
