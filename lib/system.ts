/**
 * The System: one simulated machine and everything in it.
 *
 * Mirrors: the kernel as a whole; the boot order of init/main.c `start_kernel` (setup_arch →
 * memblock → paging_init/free_area_init → mm_core_init: memblock_free_all, kmem_cache_init,
 * vmalloc_init).
 * Models: the root object that owns all state — config, generator, clock, trace, counters,
 * the page array, memory content, nodes and zones, allocators, page tables, tasks — with the
 * kernel-named public API (alloc_pages, kmalloc, ...) as methods. No globals: two Systems can
 * live side by side.
 * Conventions for subsystems:
 *  - each subsystem is a module mirroring a kernel file and owns its state; the System holds
 *    one instance of it and exposes its public calls as thin methods;
 *  - views (/proc files, sysctls) are registered in `procfs` and `sysctls`;
 *  - each subsystem registers a validator (`registerValidator`); with `debug_vm` on, every
 *    mutating public call runs `validate()` afterwards (CONFIG_DEBUG_VM);
 *  - bad input throws KernelError before anything changes; allocation failure returns null.
 * See: chapter 00 (a tour of the simulator).
 */
import { Clock } from './base/clock.js';
import { VmBugError } from './base/errors.js';
import { Rng } from './base/rng.js';
import { TraceBuffer } from './base/trace.js';
import { i386Layout, X86_64_LA57_LAYOUT, X86_64_LAYOUT, type KernelLayout } from './arch/x86/page.js';
import { resolveConfig, type ResolvedConfig, type SystemConfig } from './config.js';
import { ProcFs } from './fs/procfs.js';
import { SysctlTable } from './kernel/sysctl.js';
import { PhysMem } from './mm/physmem.js';
// physical memory (owner: lib/mm/mm_init.ts, page_alloc.ts, vmstat.ts, memblock.ts)
import type { E820Entry } from './arch/x86/e820.js';
import type { BootResult } from './arch/x86/boot.js';
import type { Memblock } from './mm/memblock.js';
import type { PageArray } from './mm/mm_types.js';
import type { Buddy, Page } from './mm/page_alloc.js';
import type { VmStat } from './mm/vmstat.js';
import type { MeminfoHooks } from './fs/proc_meminfo.js';
import type { PageView } from './mm/inspect_phys.js';
import { mm_core_init, PhysMemApi } from './mm/mm_init_sys.js';
// paging
import { KernelError } from './base/errors.js';
import { parseAddr } from './base/format.js';
import type { AccessName, TranslateResult } from './arch/x86/mmu.js';
import type { Tlb, TlbConfig } from './arch/x86/tlb.js';
import { findTask, spawn, vm_init, type Task } from './kernel/fork.js';
import type { MmCore } from './mm/memory.js';
import type { MappingTable } from './mm/rmap.js';
import { kaslrLayout } from './arch/x86/kaslr.js';
import { createFile, type SimFile } from './mm/file.js';
import { VM_MAP } from './mm/vmalloc.js';
import { GFP_KERNEL as PG_GFP_KERNEL, __GFP_ZERO as PG__GFP_ZERO } from './mm/gfp.js';
// slab (owner: lib/mm/slab_sys.ts, slab_common.ts, slub.ts, kasan.ts, kmemleak.ts, page_owner.ts, mempool.ts)
import { slab_init } from './mm/slab_sys.js';
import type { SlabAllocator } from './mm/slab_common.js';
import type { KmemCache, SlabCtor } from './mm/slab.js';
import type { Kasan } from './mm/kasan.js';
import type { Kmemleak } from './mm/kmemleak.js';
import type { PageOwner } from './mm/page_owner.js';
import type { Shrinker } from './mm/slub.js';
import { mempool_alloc, mempool_create, mempool_destroy, mempool_free, type Mempool, type MempoolAllocFn, type MempoolFreeFn } from './mm/mempool.js';

/** A validator: throws VmBugError when its subsystem's invariants do not hold. */
export type Validator = () => void;

/** One simulated machine. Create it with {@link createSystem}. */
export class System {
  /** The validated configuration. */
  readonly config: ResolvedConfig;
  /** The seeded generator behind every random choice. */
  readonly rng: Rng;
  /** Simulated time. */
  readonly clock: Clock;
  /** Tracepoint ring buffer. */
  readonly trace: TraceBuffer;
  /** /proc and /sys files. */
  readonly procfs: ProcFs;
  /** vm.* and kernel.* tunables. */
  readonly sysctls: SysctlTable;
  /** Kernel address-space layout (direct map, vmalloc, ...). */
  layout: KernelLayout;
  /** The bytes of physical memory. */
  readonly mem: PhysMem;
  private _debug_vm = false;
  /**
   * When true, every mutating public call runs `validate()` afterwards (CONFIG_DEBUG_VM), and the
   * page allocator checks struct page on every free (check_pages_enabled).
   */
  get debug_vm(): boolean {
    return this._debug_vm;
  }
  set debug_vm(v: boolean) {
    this._debug_vm = v;
    if (this.buddy) this.buddy.check_pages = v;
  }
  private validators: { name: string; fn: Validator }[] = [];

  constructor(config: ResolvedConfig) {
    this.config = config;
    this.rng = new Rng(config.seed);
    this.clock = new Clock();
    this.trace = new TraceBuffer(this.clock, 8192, config.trace);
    this.procfs = new ProcFs();
    this.sysctls = new SysctlTable();
    const lowmem = Math.min(config.memory, 896 * 2 ** 20);
    this.layout = config.arch === 'i386' ? i386Layout(config.pae, lowmem) : config.la57 ? X86_64_LA57_LAYOUT : X86_64_LAYOUT;
    this.mem = new PhysMem(physSpan(config));
    // --- KASLR of the kernel's region bases (owner: lib/arch/x86/kaslr.ts) ---
    if (config.kaslr) this.layout = kaslrLayout(this.layout, config.seed, physSpan(config));
    // --- boot (owner: lib/arch/x86/boot.ts, lib/mm/memblock.ts, lib/mm/mm_init.ts) ---
    mm_core_init(this);
    // --- slab: kmem_cache_init at the end of mm_core_init (owner: lib/mm/slab_sys.ts) ---
    const slab = slab_init(this);
    this.slab = slab.slab;
    this.kasan = slab.kasan;
    this.kmemleak = slab.kmemleak;
    this.page_owner = slab.page_owner;
    // --- paging init (owner: lib/kernel/fork.ts vm_init): after the page allocator is up ---
    vm_init(this);
  }

  /** Adds a subsystem validator, run by {@link System.validate}. */
  registerValidator(name: string, fn: Validator): void {
    this.validators.push({ name, fn });
  }

  /** Checks every subsystem's invariants; throws VmBugError naming the first broken one. */
  validate(): void {
    for (const v of this.validators) {
      try {
        v.fn();
      } catch (e) {
        if (e instanceof VmBugError) throw e;
        throw new VmBugError(`${v.name}: validator crashed`, (e as Error).message);
      }
    }
  }

  /** Runs validate() when debug_vm is on. Subsystem methods call it after mutations. */
  checkpoint(): void {
    if (this.debug_vm) this.validate();
  }

  /** The text of a /proc or /sys file, exactly as the kernel prints it. */
  read(path: string): string {
    return this.procfs.read(path);
  }

  /** Reads a sysctl (`sysctl('vm.swappiness')`) or writes one (`sysctl('vm.swappiness', 100)`). */
  sysctl(name: string, value?: number | number[] | string): number | number[] {
    if (value !== undefined) {
      this.sysctls.set(name, value);
      this.checkpoint();
    }
    return this.sysctls.get(name);
  }

  /** Advances simulated time by `n` jiffies, running timers (kswapd, writeback) as they fall due. */
  tick(n = 1): void {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`tick: ${n} is not a number of jiffies`);
    for (let i = 0; i < n; i++) {
      this.clock.tick(1);
      for (const t of this.timers) t(this.clock.jiffies);
    }
    this.checkpoint();
  }

  private timers: ((jiffies: number) => void)[] = [];
  /** Registers work to run on every jiffy (kswapd, flusher threads, kcompactd ...). */
  registerTimer(fn: (jiffies: number) => void): void {
    this.timers.push(fn);
  }

  // --- physical memory (owner: lib/mm/mm_init_sys.ts and the modules it names) ---
  /** struct page of every page frame (mem_map). */
  pages!: PageArray;
  /** The buddy allocator: zones, free lists, PCP; `buddy.alloc`/`buddy.free` are the fast entries. */
  buddy!: Buddy;
  /** Memory counters as /proc/vmstat names them. */
  vmstat!: VmStat;
  /** The boot-time allocator (frozen after boot: its calls then throw). */
  memblock!: Memblock;
  /** The firmware memory map. */
  e820!: E820Entry[];
  /** What boot printed. */
  boot_log!: string[];
  /** Everything boot left for inspection (image layout, memblock at hand-over, max_pfn ...). */
  boot!: BootResult;
  /** The kernel log (dmesg): allocation failures, warnings, OOM reports ... Others append too. */
  dmesg: string[] = [];
  /** Numbers /proc/meminfo needs from subsystems it does not own (VmallocUsed ...). */
  meminfoHooks!: MeminfoHooks;
  /** The public physical-memory calls (set up by mm_core_init). */
  physApi!: PhysMemApi;
  /** fail_page_alloc fault injection (`configure({ probability, nth, times, ... })`). */
  get fail_page_alloc(): Buddy['fail_page_alloc'] {
    return this.buddy.fail_page_alloc;
  }
  /** Allocates 2^order pages: a Page { pfn, order } or null. `nid` is the preferred node. */
  alloc_pages(gfp: number, order: number, nid?: number): Page | null {
    return this.physApi.alloc_pages(gfp, order, nid);
  }
  /** Frees a block from alloc_pages (a Page or its pfn) of that order. */
  __free_pages(page: Page | number, order: number): void {
    this.physApi.__free_pages(page, order);
  }
  /** Allocates and returns the kernel virtual address (direct map), or null. */
  __get_free_pages(gfp: number, order: number): number | null {
    return this.physApi.__get_free_pages(gfp, order);
  }
  /** Frees pages by their kernel virtual address. */
  free_pages(addr: number, order: number): void {
    this.physApi.free_pages(addr, order);
  }
  /** One zeroed page: its kernel virtual address or null. */
  get_zeroed_page(gfp: number): number | null {
    return this.physApi.__get_free_pages(gfp | 0x100, 0);
  }
  /** A decoded view of struct page for pfn (KernelError outside RAM). */
  page(pfn: number): PageView {
    return this.physApi.page(pfn);
  }

  // --- paging (owner: lib/arch/x86/{mmu,tlb,pgtable}.ts, lib/kernel/fork.ts, lib/mm/{memory,mmap,vmalloc,highmem}.ts) ---
  /** Page tables, TLB, zero page, fault counters (set up by vm_init at boot). */
  mmcore!: MmCore;
  /** The objects behind page->mapping (anon_vmas, address_spaces). */
  mappings!: MappingTable;
  /** Live tasks by pid. */
  taskTable: Map<number, Task> = new Map();

  /** A new process with its own mm: `sys.spawn('app')`. */
  spawn(comm: string): Task {
    return spawn(this, comm);
  }
  /** The task with this pid (KernelError ESRCH if none). */
  task(pid: number): Task {
    return findTask(this, pid);
  }
  /** Every live task, by pid. */
  get tasks(): Task[] {
    return [...this.taskTable.values()].sort((a, b) => a.pid - b.pid);
  }
  /**
   * The MMU's view of one access: TLB outcome, every level of the walk (index, entry, flags),
   * the physical address or the fault and why. `task` null (or mode 'kernel') walks as the kernel.
   */
  translate(task: Task | number | null, vaddr: number | string, access: AccessName = 'read', opts: { mode?: 'user' | 'kernel' } = {}): TranslateResult {
    const t = typeof task === 'number' ? findTask(this, task) : task;
    const a = parseAddr(vaddr);
    const pg = this.mmcore.pg;
    // no task: a kernel access in whatever address space is loaded (lazy TLB), the kernel half being shared
    const mm = t ? t.mm : pg.current ?? pg.init_mm;
    if (!mm) throw new KernelError(`translate: task ${t!.pid} has exited (ESRCH)`, 'ESRCH');
    const user = opts.mode ? opts.mode === 'user' : t !== null;
    return pg.translate(mm, a, access, user, t ? { pid: t.pid, comm: t.comm } : null);
  }
  /** The TLB of the (single) simulated CPU. */
  get tlb(): Tlb {
    return this.mmcore.pg.tlb;
  }
  /** Rebuilds the TLB with another geometry, e.g. `{ l1_4k: { entries: 64, ways: 8 }, pcid: false }` (starts empty). */
  configureTlb(cfg: Partial<TlbConfig>): Tlb {
    return this.mmcore.pg.setTlb(cfg);
  }
  /** flush_tlb_all: drops every TLB entry, global ones too. */
  flush_tlb_all(): void {
    this.mmcore.pg.flush_tlb_all();
  }
  /** flush_tlb_mm for a task's address space. */
  flush_tlb_mm(task: Task): void {
    if (task.mm) this.mmcore.pg.flush_tlb_mm(task.mm);
  }
  /** flush_tlb_page for one address of a task. */
  flush_tlb_page(task: Task, vaddr: number): void {
    if (task.mm) this.mmcore.pg.flush_tlb_page(task.mm, vaddr);
  }
  /** flush_tlb_range for [start, end) of a task (over 33 pages: the whole mm). */
  flush_tlb_range(task: Task, start: number, end: number): void {
    if (task.mm) this.mmcore.pg.flush_tlb_mm_range(task.mm, start, end);
  }
  /** vmalloc: `size` bytes of virtually contiguous kernel memory; the address or null. */
  vmalloc(size: number, caller?: string): number | null {
    const r = this.mmcore.vmalloc.vmalloc(size, PG_GFP_KERNEL, caller);
    this.checkpoint();
    return r;
  }
  /** vzalloc: vmalloc with the memory zeroed. */
  vzalloc(size: number, caller?: string): number | null {
    const r = this.mmcore.vmalloc.vmalloc(size, PG_GFP_KERNEL | PG__GFP_ZERO, caller);
    this.checkpoint();
    return r;
  }
  /** vfree: frees a vmalloc area (KernelError for anything else). */
  vfree(addr: number | string): void {
    this.mmcore.vmalloc.vfree(parseAddr(addr));
    this.checkpoint();
  }
  /** vmap: maps existing pages (by pfn) contiguously in the vmalloc area. */
  vmap(pfns: number[], caller?: string): number | null {
    const r = this.mmcore.vmalloc.vmap(pfns, VM_MAP, caller);
    this.checkpoint();
    return r;
  }
  /** vunmap: removes a vmap mapping. */
  vunmap(addr: number | string): void {
    this.mmcore.vmalloc.vunmap(parseAddr(addr));
    this.checkpoint();
  }
  /** kmap: a kernel address for a page (the PKMAP window for highmem on i386). */
  kmap(pfn: number): number {
    const r = this.mmcore.highmem.kmap(pfn);
    this.checkpoint();
    return r;
  }
  /** kunmap: releases a kmap. */
  kunmap(pfn: number): void {
    this.mmcore.highmem.kunmap(pfn);
    this.checkpoint();
  }
  /** kmap_local_page: a short-lived per-CPU mapping (fixmap slot on i386). */
  kmap_local_page(pfn: number): number {
    const r = this.mmcore.highmem.kmap_local_page(pfn);
    this.checkpoint();
    return r;
  }
  /** kunmap_local: undoes the latest kmap_local_page. */
  kunmap_local(vaddr: number): void {
    this.mmcore.highmem.kunmap_local(vaddr);
    this.checkpoint();
  }
  /** A file that tasks can map (`t.mmap(0, len, 'r', 'private', { file })`). */
  createFile(path: string, content: number | Uint8Array): SimFile {
    return createFile(this, path, content);
  }

  // --- slab (owner: lib/mm/slab_sys.ts, slab_common.ts, slub.ts, kasan.ts, kmemleak.ts, page_owner.ts, mempool.ts) ---
  /** The slab allocator: SLUB caches and kmalloc. */
  slab!: SlabAllocator;
  /** KASAN (boot with kasan=on, or `sys.kasan.enable()` before allocating). */
  kasan!: Kasan;
  /** kmemleak (boot with kmemleak=on, or `sys.kmemleak.enable()`); `sys.kmemleak.scan()`. */
  kmemleak!: Kmemleak;
  /** page_owner (boot with page_owner=on). */
  page_owner!: PageOwner;
  /** kmalloc: a direct-map address, ZERO_SIZE_PTR (16) for size 0, or null. */
  kmalloc(size: number, gfp: number, caller?: string): number | null {
    return this.slab.kmalloc(size, gfp, caller);
  }
  /** kfree: NULL and ZERO_SIZE_PTR are ignored; a bad pointer is refused with the kernel's report. */
  kfree(addr: number | null, caller?: string): void {
    this.slab.kfree(addr, caller);
  }
  /** kzalloc: kmalloc of zeroed memory. */
  kzalloc(size: number, gfp: number, caller?: string): number | null {
    return this.slab.kzalloc(size, gfp, caller);
  }
  /** krealloc: resize, moving the object when it no longer fits its slot. */
  krealloc(addr: number | null, size: number, gfp: number, caller?: string): number | null {
    return this.slab.krealloc(addr, size, gfp, caller);
  }
  /** ksize: the bytes usable in a kmalloc object. */
  ksize(addr: number): number {
    return this.slab.ksize(addr);
  }
  /** kmem_cache_create: a cache handle (possibly an existing cache it merged with). */
  kmem_cache_create(name: string, size: number, align: number, flags: number, ctor?: SlabCtor | null): KmemCache {
    return this.slab.kmem_cache_create(name, size, align, flags, ctor);
  }
  /** kmem_cache_alloc: an object address or null. */
  kmem_cache_alloc(cache: KmemCache, gfp: number, caller?: string): number | null {
    return this.slab.kmem_cache_alloc(cache, gfp, caller);
  }
  /** kmem_cache_free. */
  kmem_cache_free(cache: KmemCache, obj: number, caller?: string): void {
    this.slab.kmem_cache_free(cache, obj, caller);
  }
  /** kmem_cache_destroy (refused while objects are allocated). */
  kmem_cache_destroy(cache: KmemCache): void {
    this.slab.kmem_cache_destroy(cache);
  }
  /** kmem_cache_shrink: frees the cache's empty slabs; returns how many. */
  kmem_cache_shrink(cache: KmemCache): number {
    return this.slab.kmem_cache_shrink(cache);
  }
  /** Reads kernel memory through the direct map (checked by KASAN when on). */
  kread(addr: number, len: number, caller?: string): Uint8Array {
    return this.slab.kread(addr, len, caller);
  }
  /** Writes kernel memory through the direct map (checked by KASAN when on). */
  kwrite(addr: number, bytes: Uint8Array | number[], caller?: string): void {
    this.slab.kwrite(addr, bytes, caller);
  }
  /** register_shrinker: reclaim will ask it to free objects. */
  register_shrinker(shrinker: Shrinker): void {
    this.slab.register_shrinker(shrinker);
  }
  /** mempool_create: a pool with min_nr reserved elements, or null. */
  mempool_create(min_nr: number, alloc: MempoolAllocFn, free: MempoolFreeFn, pool_data?: unknown): Mempool | null {
    return mempool_create(this, min_nr, alloc, free, pool_data);
  }
  /** mempool_alloc: from the allocator, else from the reserve. */
  mempool_alloc(pool: Mempool, gfp: number): number | null {
    return mempool_alloc(this, pool, gfp);
  }
  /** mempool_free: refills the reserve first. */
  mempool_free(element: number | null, pool: Mempool): void {
    mempool_free(pool, element);
  }
  /** mempool_destroy. */
  mempool_destroy(pool: Mempool | null): void {
    mempool_destroy(this, pool);
  }
}

/** Bytes of physical address space the machine spans (RAM plus firmware holes). */
function physSpan(c: ResolvedConfig): number {
  // Holes below 4 GiB (the PCI window) push RAM above 4 GiB on x86; leave room for them.
  const hole = c.memory > 3 * 2 ** 30 ? 2 ** 30 : 0;
  return c.memory + hole;
}

/** Creates a machine from a config or a preset name ('tiny', 'pc-4g', 'i386-highmem', ...). */
export function createSystem(config: SystemConfig | string = 'pc-4g'): System {
  return new System(resolveConfig(config));
}
