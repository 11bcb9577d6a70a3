/**
 * Tasks and their address spaces: spawn, fork, exit, and user memory access through the MMU.
 *
 * Mirrors: kernel/fork.c (copy_process, dup_mm, dup_mmap, mm_init, mmput), kernel/exit.c
 * (do_exit → exit_mm), fs/exec.c (setup_arg_pages: the initial stack VMA), mm/mmap.c
 * (expand_stack), include/linux/mm_types.h (struct mm_struct: pgd, mmap_base, total_vm,
 * stack_vm, data_vm, exec_vm, hiwater_rss, hiwater_vm, rss_stat, pgtables_bytes, start_brk,
 * brk, start_stack; context.ctx_id and tlb_gen), arch/x86/mm/fault.c (user accesses that
 * fault), mm/init-mm.c (init_mm).
 * Models: a task (pid, comm, mm, min_flt/maj_flt) created with a [heap] and a [stack] VMA like a
 * freshly exec'd program after its first malloc; fork duplicating VMAs and PTEs (copy-on-write);
 * exit tearing the address space down (no page-table page may leak); user reads, writes and
 * instruction fetches going through the TLB, the page walk and the fault handler; the paging
 * initialisation at the end of boot; the VM validators (CONFIG_DEBUG_VM).
 * Simplifies: one thread per process, no ELF loading (no text/data/ld.so VMAs, no vdso), no
 * address randomisation, no signals beyond the SIGSEGV/SIGBUS errors thrown to the caller;
 * exited tasks are reaped at once.
 * See: chapter 08 (address spaces, fork and copy-on-write).
 */
import { KernelError, VmBugError } from '../base/errors.js';
import { hex } from '../base/format.js';
import { ACC_EXEC, ACC_READ, ACC_WRITE, Paging, type MmContext } from '../arch/x86/mmu.js';
import { _PAGE_PRESENT, _PAGE_PROTNONE, _PAGE_RW, _PAGE_SPECIAL, _PAGE_USER, entryPfn } from '../arch/x86/pgtable.js';
import type { TlbConfig } from '../arch/x86/tlb.js';
import { GFP_KERNEL } from '../mm/gfp.js';
import { copy_page_range, core, do_user_addr_fault, pagesOf, type MmCore } from '../mm/memory.js';
import {
  do_brk, do_mmap, do_munmap, exit_mmap, find_vma, insert_vm_struct, vm_stat_account, Vma, VM_ACCOUNT, VM_DONTCOPY,
  VM_GROWSDOWN, VM_MAYEXEC, VM_MAYREAD, VM_MAYWRITE, VM_MIXEDMAP, VM_PFNMAP, VM_READ, VM_SOFTDIRTY, VM_WRITE, type MmapOptions,
} from '../mm/mmap.js';
import { do_mprotect } from '../mm/mprotect.js';
import { do_mremap } from '../mm/mremap.js';
import { AnonVma, anon_vma_fork, MappingTable, PAGE_MAPPING_ANON, rmap_walk } from '../mm/rmap.js';
import { pageSource } from '../arch/x86/mmu.js';
import { PG } from '../mm/page_flags.js';
import { walk_page_range } from '../mm/pagewalk.js';
import { registerProcTaskMmu } from '../fs/proc_task_mmu.js';
import { Highmem } from '../mm/highmem.js';
import { Vmalloc } from '../mm/vmalloc.js';
import type { System } from '../system.js';

/** The stack rlimit (RLIMIT_STACK default 8 MiB). */
export const RLIMIT_STACK = 8 * 2 ** 20;

/** struct mm_struct. */
export class MmStruct implements MmContext {
  /** pfn of the PGD. */
  pgd = -1;
  /** mm->context.ctx_id. */
  readonly ctx_id: number;
  /** mm->context.tlb_gen. */
  tlb_gen = 1;
  /** VMAs sorted by address. */
  vmas: Vma[] = [];
  /** rss_stat: MM_FILEPAGES, MM_ANONPAGES, MM_SWAPENTS, MM_SHMEMPAGES. */
  readonly rss = [0, 0, 0, 0];
  /** Bytes of page tables below the PGD (VmPTE). */
  pgtables_bytes = 0;
  total_vm = 0;
  locked_vm = 0;
  pinned_vm = 0;
  data_vm = 0;
  exec_vm = 0;
  stack_vm = 0;
  hiwater_rss = 0;
  hiwater_vm = 0;
  /** TASK_SIZE of this mm. */
  task_size: number;
  /** Highest address mmap hands out without a hint (DEFAULT_MAP_WINDOW). */
  mmap_limit: number;
  /** Top of the top-down mmap area. */
  mmap_base: number;
  /** Bottom-up base (TASK_UNMAPPED_BASE). */
  mmap_legacy_base: number;
  /** Upper bound of user page tables (for free_pgtables). */
  pgtable_ceiling: number;
  start_brk = 0;
  brk = 0;
  start_stack = 0;
  /** Pid of the owner. */
  owner = 0;
  constructor(ctx_id: number, layout: { task_size: number; mmap_limit: number; ceiling: number }) {
    this.ctx_id = ctx_id;
    this.task_size = layout.task_size;
    this.mmap_limit = layout.mmap_limit;
    this.mmap_base = layout.mmap_limit - 128 * 2 ** 20;
    this.mmap_legacy_base = Math.ceil(layout.task_size / 3 / 4096) * 4096;
    this.pgtable_ceiling = layout.ceiling;
  }
  /** find_vma. */
  find_vma(addr: number): Vma | null {
    return find_vma(this, addr);
  }
  /** Resident pages (file + anon + shmem). */
  get rss_pages(): number {
    return this.rss[0] + this.rss[1] + this.rss[3];
  }
}

/** A process. */
export class Task {
  /** Minor and major faults (/proc/PID/stat fields 10 and 12). */
  min_flt = 0;
  maj_flt = 0;
  /** SIGSEGVs delivered. */
  segfaults = 0;
  /** 'R' while alive, 'X' after exit. */
  state: 'R' | 'X' = 'R';
  /** The paging unit and RAM, cached off the System for the access hot path. */
  private readonly pg: Paging;
  private readonly ram: System['mem'];
  constructor(
    private readonly sys: System,
    /** Process id. */
    readonly pid: number,
    /** Command name (at most 15 characters, as TASK_COMM_LEN). */
    readonly comm: string,
    /** The address space (null after exit). */
    public mm: MmStruct | null,
    /** Parent pid (0 = none). */
    readonly ppid: number,
  ) {
    this.pg = core(sys).pg;
    this.ram = sys.mem;
  }

  private liveMm(op: string): MmStruct {
    if (!this.mm) throw new KernelError(`${op}: task ${this.pid} (${this.comm}) has exited (ESRCH)`, 'ESRCH');
    return this.mm;
  }

  /**
   * mmap: `t.mmap(0, 64 << 20, 'rw', 'private|anonymous')` → the address. `prot` as 'rwx'
   * letters or PROT_* bits, `flags` as names or MAP_* bits, `{ file, offset }` for a file.
   */
  mmap(addr: number, len: number, prot: number | string, flags: number | string, opts: MmapOptions = {}): number {
    this.liveMm('mmap');
    const a = do_mmap(this.sys, this, addr, len, prot, flags, opts);
    this.sys.checkpoint();
    return a;
  }
  /** munmap. */
  munmap(addr: number, len: number): void {
    do_munmap(this.sys, this.liveMm('munmap'), addr, len);
    this.sys.checkpoint();
  }
  /** mprotect. */
  mprotect(addr: number, len: number, prot: number | string): void {
    do_mprotect(this.sys, this.liveMm('mprotect'), addr, len, prot);
    this.sys.checkpoint();
  }
  /** mremap (flags: MREMAP_MAYMOVE = 1, MREMAP_FIXED = 2, or 'maymove|fixed'). Returns the new address. */
  mremap(addr: number, oldLen: number, newLen: number, flags: number | string = 0, newAddr = 0): number {
    const r = do_mremap(this.sys, this, addr, oldLen, newLen, flags, newAddr);
    this.sys.checkpoint();
    return r;
  }
  /** brk: `brk(0)` (or no argument) returns the current break. */
  brk(addr = 0): number {
    const r = do_brk(this.sys, this.liveMm('brk'), addr);
    this.sys.checkpoint();
    return r;
  }

  /** One access through the MMU, running the fault handler as needed. Returns the physical address. */
  access(addr: number, kind: number): number {
    const mm = this.liveMm('access');
    if (!Number.isSafeInteger(addr)) throw new KernelError(`access: ${addr} is not an address`, 'EFAULT');
    const pg = core(this.sys).pg;
    for (let tries = 0; tries < 4; tries++) {
      const p = pg.access(mm, addr, kind, true);
      if (p >= 0) return p;
      do_user_addr_fault(this.sys, this, addr, pg.outErr, pg.outWhy);
    }
    throw new VmBugError('fault loop: the fault handler did not make progress', hex(addr));
  }

  /** Reads `len` bytes of user memory (faulting pages in; zero page for untouched anon memory). */
  read(addr: number, len: number): Uint8Array {
    this.liveMm('read');
    if (!Number.isSafeInteger(len) || len < 0) throw new KernelError(`read: bad length ${len}`, 'EINVAL');
    const out = new Uint8Array(len);
    let done = 0;
    while (done < len) {
      const a = addr + done;
      const n = Math.min(len - done, 4096 - (a % 4096));
      const p = this.access(a, ACC_READ);
      out.set(this.sys.mem.read(p, n), done);
      done += n;
    }
    this.sys.checkpoint();
    return out;
  }

  /** Writes bytes to user memory (write faults: CoW, zero-page replacement, new pages). */
  write(addr: number, bytes: Uint8Array | number[]): void {
    this.liveMm('write');
    const data = bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes);
    let done = 0;
    while (done < data.length) {
      const a = addr + done;
      const n = Math.min(data.length - done, 4096 - (a % 4096));
      const p = this.access(a, ACC_WRITE);
      this.sys.mem.write(p, data.subarray(done, done + n));
      done += n;
    }
    this.sys.checkpoint();
  }

  /** An instruction fetch at `addr` (NX and SMEP checks); returns the physical address. */
  exec(addr: number): number {
    const p = this.access(addr, ACC_EXEC);
    this.sys.checkpoint();
    return p;
  }

  /** Reads one byte (the hot path of the W2 benchmark: TLB, walk on a miss, the byte). */
  readByte(addr: number): number {
    const pg = this.pg;
    let p = pg.access(this.mm!, addr, ACC_READ, true);
    if (p < 0) p = this.access(addr, ACC_READ);
    const pfn = Math.floor(p / 4096);
    if (!this.ram.hasContent(pfn)) return 0;
    return pg.tm.chunkBytes(pfn)[(pfn % 262144) * 4096 + (p - pfn * 4096)];
  }

  /** fork: a child with a copy-on-write copy of this address space. */
  fork(comm = this.comm): Task {
    const mm = this.liveMm('fork');
    const child = dup_task(this.sys, this, mm, comm);
    this.sys.checkpoint();
    return child;
  }

  /** exit: tears the address space down (exit_mmap, free the PGD) and reaps the task. */
  exit(): void {
    const mm = this.liveMm('exit');
    mmput(this.sys, mm);
    this.mm = null;
    this.state = 'X';
    tasksOf(this.sys).delete(this.pid);
    this.sys.checkpoint();
  }

  /** expand_stack: grows a VM_GROWSDOWN VMA down to cover `addr`; false if not allowed. */
  expand_stack(vma: Vma, addr: number): boolean {
    const mm = this.liveMm('expand_stack');
    const a = Math.floor(addr / 4096) * 4096;
    if (!(vma.vm_flags & VM_GROWSDOWN) || a >= vma.vm_start || a < 65536) return false;
    if (vma.vm_end - a > RLIMIT_STACK) return false;
    const i = mm.vmas.indexOf(vma);
    const prev = i > 0 ? mm.vmas[i - 1] : null;
    if (prev && prev.vm_end > a - 256 * 4096) return false;
    const grow = (vma.vm_start - a) / 4096;
    vma.vm_start = a;
    vma.vm_pgoff -= grow;
    vm_stat_account(mm, vma.vm_flags, grow);
    return true;
  }

  /** The walk of one access at `addr`, as {@link System.translate} reports it. */
  translate(addr: number, access: 'read' | 'write' | 'exec' = 'read') {
    return core(this.sys).pg.translate(this.liveMm('translate'), addr, access, true, { pid: this.pid, comm: this.comm });
  }
}

/** The task table of a System (pid → task). */
export function tasksOf(sys: System): Map<number, Task> {
  return sys.taskTable;
}

function userLayout(sys: System): { task_size: number; mmap_limit: number; ceiling: number; stack_top: number; start_brk: number } {
  const L = sys.layout;
  if (L.arch === 'i386') return { task_size: L.task_size, mmap_limit: L.task_size, ceiling: L.task_size, stack_top: L.task_size, start_brk: 0x56559000 };
  const window = 2 ** 47 - 4096; // DEFAULT_MAP_WINDOW
  return { task_size: L.task_size, mmap_limit: window, ceiling: 2 ** (core(sys).pg.g.va_bits - 1), stack_top: window, start_brk: 0x555555559000 };
}

function mm_alloc(sys: System, pid: number): MmStruct | null {
  const pg = core(sys).pg;
  const lay = userLayout(sys);
  const mm = new MmStruct(pg.newContextId(), lay);
  mm.owner = pid;
  const pgd = pg.pgd_alloc(mm.ctx_id);
  if (pgd < 0) return null;
  mm.pgd = pgd;
  // PAE preallocates the user PMDs with the PGD (preallocate_pmds → mm_inc_nr_pmds)
  if (pg.g.mode === 'i386-pae') mm.pgtables_bytes += pg.kernelPgdBoundary * 4096;
  return mm;
}

function nextPid(sys: System): number {
  return ++core(sys).last_pid;
}

/**
 * spawn: a new process with an empty address space plus a [heap] (132 KiB after the program's
 * first malloc) and a [stack] VMA of 132 KiB below STACK_TOP, as exec leaves them.
 */
export function spawn(sys: System, comm: string): Task {
  if (typeof comm !== 'string' || comm.length === 0) throw new KernelError('spawn: a command name is needed', 'EINVAL');
  const pid = nextPid(sys);
  const mm = mm_alloc(sys, pid);
  if (!mm) throw new KernelError('spawn: out of memory for page tables (ENOMEM)', 'ENOMEM');
  const lay = userLayout(sys);
  const task = new Task(sys, pid, comm.slice(0, 15), mm, 0);
  // setup_arg_pages: the stack VMA (VM_STACK_FLAGS), 128 KiB + one page
  const stackFlags = VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC | VM_GROWSDOWN | VM_ACCOUNT | VM_SOFTDIRTY;
  const sEnd = lay.stack_top;
  const sStart = sEnd - 0x21000;
  const stack = new Vma(mm, sStart, sEnd, stackFlags, sStart / 4096, null);
  insert_vm_struct(mm, stack);
  vm_stat_account(mm, stackFlags, stack.pages);
  mm.start_stack = sEnd - 0x1000 + 0x100;
  // the heap after the first brk of 132 KiB
  mm.start_brk = mm.brk = lay.start_brk;
  do_brk(sys, mm, lay.start_brk + 0x21000);
  tasksOf(sys).set(pid, task);
  if (sys.trace.enabled) sys.trace.emit('task_newtask', { pid, comm: task.comm, clone_flags: 0, oom_score_adj: 0 });
  sys.checkpoint();
  return task;
}

/** vma_needs_copy: fork copies PTEs only where a fault could not recreate them. */
function vma_needs_copy(vma: Vma): boolean {
  if (vma.vm_flags & (VM_PFNMAP | VM_MIXEDMAP)) return true;
  return vma.anon_vma !== null;
}

function dup_task(sys: System, parent: Task, old: MmStruct, comm: string): Task {
  const pid = nextPid(sys);
  const mm = mm_alloc(sys, pid);
  if (!mm) throw new KernelError('fork: out of memory (ENOMEM)', 'ENOMEM');
  const c = core(sys);
  mm.start_brk = old.start_brk;
  mm.brk = old.brk;
  mm.start_stack = old.start_stack;
  mm.mmap_base = old.mmap_base;
  mm.hiwater_vm = old.hiwater_vm;
  for (const v of old.vmas) {
    if (v.vm_flags & VM_DONTCOPY) continue;
    const n = new Vma(mm, v.vm_start, v.vm_end, v.vm_flags, v.vm_pgoff, v.vm_file);
    anon_vma_fork(c.mappings, n, v);
    insert_vm_struct(mm, n);
    vm_stat_account(mm, n.vm_flags, n.pages);
    if (vma_needs_copy(v) && !copy_page_range(sys, mm, old, v)) {
      mmput(sys, mm);
      throw new KernelError('fork: out of memory copying page tables (ENOMEM)', 'ENOMEM');
    }
  }
  // the parent's writable PTEs became read-only: flush its TLB entries
  c.pg.flush_tlb_mm(old);
  const child = new Task(sys, pid, comm.slice(0, 15), mm, parent.pid);
  tasksOf(sys).set(pid, child);
  if (sys.trace.enabled) sys.trace.emit('task_newtask', { pid, comm: child.comm, clone_flags: 0x11, oom_score_adj: 0 });
  return child;
}

/** mmput: the last user is gone: exit_mmap, free the PGD, forget the TLB context. */
export function mmput(sys: System, mm: MmStruct): void {
  const pg = core(sys).pg;
  exit_mmap(sys, mm);
  if (pg.current === mm) pg.current = null;
  pg.tlb.forget(mm.ctx_id);
  pg.pgd_free(mm.pgd);
  mm.pgd = -1;
}

// ---- boot ----

/** Options of the paging subsystem (part of the System's boot). */
export interface VmInitOptions {
  tlb?: Partial<TlbConfig>;
}

/**
 * vm_init: the paging part of boot. Builds init_mm's tables (the direct map with huge leaves,
 * the kernel image, the vmalloc area's upper tables), takes the zero page, and registers the
 * validators. Call after the page allocator is up.
 */
export function vm_init(sys: System, opts: VmInitOptions = {}): MmCore {
  // clearcpuid=pcid,smep,smap on the command line turns those CPU features off
  const m = /(?:^|\s)clearcpuid=(\S+)/.exec(sys.config.cmdline);
  const cleared = new Set(m ? m[1].split(',').map((x) => x.trim().toLowerCase()) : []);
  const pg = new Paging(sys, { ...(opts.tlb ?? {}), ...(cleared.has('pcid') ? { pcid: false } : {}) });
  if (cleared.has('smep')) pg.smep = false;
  if (cleared.has('smap')) pg.smap = false;
  const mappings = new MappingTable();
  const c: MmCore = { pg, mappings, zero_pfn: -1, nr_anon_mapped: 0, nr_file_mapped: 0, pgfault: 0, pgmajfault: 0, last_pid: 0, vmalloc: null as unknown as Vmalloc, highmem: null as unknown as Highmem };
  sys.mmcore = c;
  sys.mappings = mappings;
  sys.taskTable.clear();
  const ram = ramRanges(sys);
  const image = kernelImage(sys);
  pg.initKernelTables(ram, image);
  // empty_zero_page
  const z = pageSource(sys).alloc(GFP_KERNEL, 0);
  if (z < 0) throw new VmBugError('vm_init: no memory for the zero page');
  sys.mem.clearPage(z);
  const pages = pagesOf(sys);
  pages.flags[z] |= 1 << PG.reserved;
  pages._refcount[z] = 1;
  c.zero_pfn = z;
  pg.switch_mm(pg.init_mm);
  c.vmalloc = new Vmalloc(sys);
  c.highmem = new Highmem(sys);
  sys.registerValidator('paging', () => validate_vm(sys));
  sys.registerValidator('vmalloc', () => c.vmalloc.validate());
  sys.registerValidator('highmem', () => c.highmem.validate());
  registerProcTaskMmu(sys);
  sys.procfs.register('/proc/vmallocinfo', () => c.vmalloc.show());
  sys.meminfoHooks.vmallocUsedPages = () => c.vmalloc.nr_vmalloc_pages;
  sys.meminfoHooks.directMapKB = () => ({ ...pg.directMapKB });
  return c;
}

/** Physical RAM ranges to direct-map: memblock.memory at hand-over. */
function ramRanges(sys: System): [number, number][] {
  return sys.boot.memblock_at_handover.memory.map((r) => [r.base, r.base + r.size] as [number, number]);
}

/** The kernel image's physical range, 2 MiB aligned (from boot's image layout when there is one). */
function kernelImage(sys: System): [number, number] {
  const img = sys.boot.image;
  const end = img.start + (img.codeK + img.rodataK + img.rwdataK + img.initK + img.bssK) * 1024;
  return [Math.floor(img.start / 2 ** 21) * 2 ** 21, Math.ceil(end / 2 ** 21) * 2 ** 21];
}

// ---- validators (CONFIG_DEBUG_VM) ----

/**
 * The VM invariants: every user PTE lies inside a VMA and points at a page whose mapcount counts
 * it; rmap finds exactly the mappings the tables hold; RSS counters match; every table page is
 * PGTY.table, reachable from a PGD and counted (so none leaks after exit); every TLB entry is
 * still allowed by the tables.
 */
export function validate_vm(sys: System): void {
  const c = core(sys);
  const pg = c.pg;
  const tm = pg.tm;
  const pages = pagesOf(sys);
  const seen = new Map<number, number>();
  const reach = new Set<number>();
  const mms: MmStruct[] = [];
  for (const t of tasksOf(sys).values()) if (t.mm) mms.push(t.mm);
  // kernel tables (cached until a kernel table page comes or goes)
  let kc = kernelReachCache.get(pg);
  if (!kc || kc.version !== pg.kernelTablesVersion) {
    const set = new Set<number>();
    collectTables(pg, pg.init_mm.pgd, 0, set, true);
    kc = { version: pg.kernelTablesVersion, set };
    kernelReachCache.set(pg, kc);
  }
  for (const t of kc.set) reach.add(t);
  let anonMapped = 0;
  for (const mm of mms) {
    const rss = [0, 0, 0, 0];
    let swapents = 0;
    let userTables = 0;
    const mine = new Set<number>();
    collectTables(pg, mm.pgd, 0, mine, false);
    for (const t of mine) {
      if (t !== mm.pgd && pg.tablePages.get(t) === mm.ctx_id) userTables++;
      reach.add(t);
    }
    if (userTables * 4096 !== mm.pgtables_bytes) throw new VmBugError('mm: pgtables_bytes does not match the page tables', `pid ${mm.owner}: ${mm.pgtables_bytes} bytes vs ${userTables} tables`);
    for (const v of mm.vmas) {
      if (v.vm_start >= v.vm_end || v.vm_start % 4096 || v.vm_end % 4096) throw new VmBugError('vma: bad range', `${hex(v.vm_start)}-${hex(v.vm_end)}`);
    }
    for (let i = 1; i < mm.vmas.length; i++) {
      if (mm.vmas[i - 1].vm_end > mm.vmas[i].vm_start) throw new VmBugError('vma: overlapping or unsorted VMAs', `pid ${mm.owner} at ${hex(mm.vmas[i].vm_start)}`);
    }
    walk_page_range(pg, mm.pgd, 0, mm.pgtable_ceiling, {
      pte_entry: (table, idx, addr) => {
        const lo = tm.lo(table, idx);
        const hi = tm.hi(table, idx);
        if (lo === 0 && hi === 0) return;
        const v = mm.find_vma(addr);
        if (!v || v.vm_start > addr) throw new VmBugError('pte outside any vma', `pid ${mm.owner} ${hex(addr)}`);
        if (!(lo & (_PAGE_PRESENT | _PAGE_PROTNONE))) {
          // a swap entry (owned by the swap subsystem)
          if (!core(sys).swap) throw new VmBugError('pte: swap entry without a swap subsystem', `pid ${mm.owner} ${hex(addr)}`);
          swapents++;
          return;
        }
        if (lo & _PAGE_PRESENT && !(lo & _PAGE_USER)) throw new VmBugError('pte: user page without the user bit', hex(addr));
        const pfn = entryPfn(lo, hi);
        if (lo & _PAGE_SPECIAL) {
          if (pfn !== c.zero_pfn) throw new VmBugError('pte: special entry that is not the zero page', hex(addr));
          if (lo & _PAGE_RW) throw new VmBugError('pte: writable zero page', hex(addr));
          return;
        }
        if (lo & _PAGE_RW && !(v.vm_flags & VM_WRITE)) throw new VmBugError('pte: writable entry in a VMA without VM_WRITE', hex(addr));
        seen.set(pfn, (seen.get(pfn) ?? 0) + 1);
        rss[pages.mapping[pfn] & PAGE_MAPPING_ANON ? 1 : 0]++;
        const idxExpect = v.vm_pgoff + (addr - v.vm_start) / 4096;
        if (pages.index[pfn] !== idxExpect) throw new VmBugError('rmap: page->index does not match its address', `pid ${mm.owner} ${hex(addr)} pfn ${pfn}`);
      },
    });
    if (swapents !== mm.rss[2]) throw new VmBugError('mm: MM_SWAPENTS does not match the swap PTEs', `pid ${mm.owner}: ${mm.rss[2]} vs ${swapents}`);
    if (rss[0] !== mm.rss[0] + mm.rss[3] || rss[1] !== mm.rss[1]) throw new VmBugError('mm: RSS counters do not match the page tables', `pid ${mm.owner}: file ${mm.rss[0]} anon ${mm.rss[1]} vs tables file ${rss[0]} anon ${rss[1]}`);
  }
  for (const [pfn, n] of seen) {
    if (pages.mapcount[pfn] !== n) throw new VmBugError('page mapcount does not count its PTEs', `pfn ${pfn}: mapcount ${pages.mapcount[pfn]}, mapped by ${n} PTEs`);
    if (pages._refcount[pfn] < n) throw new VmBugError('page refcount below its mapcount', `pfn ${pfn}`);
    if (pages.mapping[pfn] & PAGE_MAPPING_ANON) anonMapped++;
    const obj = c.mappings.resolve(pages.mapping[pfn]);
    if (!obj) throw new VmBugError('rmap: mapped page with no anon_vma/address_space', `pfn ${pfn}`);
    const hits = rmap_walk(sys, pfn, (vma, address, p) => pteMapsPfn(sys, vma.mm, address, p));
    if (hits.length !== n) throw new VmBugError('rmap disagrees with the page tables', `pfn ${pfn}: ${n} PTEs, rmap finds ${hits.length}`);
    if (obj instanceof AnonVma && !(pages.mapping[pfn] & PAGE_MAPPING_ANON)) throw new VmBugError('rmap: bad mapping bit', `pfn ${pfn}`);
  }
  if (anonMapped !== c.nr_anon_mapped) throw new VmBugError('NR_ANON_MAPPED does not match the mapped anonymous pages', `${c.nr_anon_mapped} counted, ${anonMapped} found`);
  for (const t of reach) {
    if (pages.page_type[t] !== 0xf2) throw new VmBugError('page table page is not PGTY.table', `pfn ${t}`);
    if (!pg.tablePages.has(t)) throw new VmBugError('reachable page table not accounted', `pfn ${t}`);
  }
  for (const t of pg.tablePages.keys()) {
    if (!reach.has(t)) throw new VmBugError('page table page leaked (allocated but unreachable)', `pfn ${t} owner ${pg.tablePages.get(t)}`);
  }
  if (pg.tablePages.size !== pg.counters.nr_page_table_pages) throw new VmBugError('nr_page_table_pages is wrong', `${pg.counters.nr_page_table_pages} vs ${pg.tablePages.size}`);
  validate_tlb(sys, mms);
}

const kernelReachCache = new WeakMap<Paging, { version: number; set: Set<number> }>();

function collectTables(pg: Paging, table: number, depth: number, out: Set<number>, kernel: boolean): void {
  if (out.has(table)) return;
  out.add(table);
  const w = pg.g.walk;
  if (depth === w.length - 1) return;
  const L = w[depth];
  const from = depth === 0 && !kernel && pg.g.mode !== 'i386-pae' ? 0 : 0;
  const to = depth === 0 && !kernel && pg.g.mode !== 'i386-pae' ? pg.kernelPgdBoundary : L.ptrs;
  for (let i = from; i < to; i++) {
    const lo = pg.tm.lo(table, i);
    if (!(lo & _PAGE_PRESENT) || (L.hugeLeaf && lo & 0x80)) continue;
    if (depth === 0 && !kernel && pg.g.mode === 'i386-pae' && i >= pg.kernelPgdBoundary) continue;
    collectTables(pg, entryPfn(lo, pg.tm.hi(table, i)), depth + 1, out, kernel);
  }
}

/** True when the PTE for `addr` in `mm` maps `pfn`. */
export function pteMapsPfn(sys: System, mm: MmStruct, addr: number, pfn: number): boolean {
  const pg = core(sys).pg;
  const t = pg.tableFor(mm.pgd, addr, pg.pteDepth, false, -1);
  if (t < 0) return false;
  const idx = Math.floor(addr / 4096) & (pg.g.walk[pg.pteDepth].ptrs - 1);
  const lo = pg.tm.lo(t, idx);
  if (!(lo & (_PAGE_PRESENT | _PAGE_PROTNONE)) || lo & _PAGE_SPECIAL) return false;
  return entryPfn(lo, pg.tm.hi(t, idx)) === pfn;
}

/** The TLB never holds a translation (or a permission) the tables no longer give. */
function validate_tlb(sys: System, mms: MmStruct[]): void {
  const pg = core(sys).pg;
  const tlb = pg.tlb;
  const byCtx = new Map<number, MmContext>();
  for (const mm of mms) byCtx.set(mm.ctx_id, mm);
  byCtx.set(0, pg.init_mm);
  const arrays = tlb.l2 ? [tlb.l1, tlb.l1_2m, tlb.l1_1g, tlb.l2] : [tlb.l1, tlb.l1_2m, tlb.l1_1g];
  for (const arr of arrays) {
    for (let i = 0; i < arr.size; i++) {
      const key = arr.key[i];
      if (key !== key) continue;
      const shift = arr.shift[i];
      const vaddr = key * 2 ** shift;
      let mm: MmContext | undefined;
      if (arr.asid[i] === 255) mm = pg.init_mm;
      else {
        const slot = tlb.slots[arr.asid[i]];
        if (!tlb.config.pcid) mm = pg.current ?? undefined;
        else mm = slot ? byCtx.get(slot.ctx_id) : undefined;
        if (!slot || slot.ctx_id === 0 || !mm) {
          if (tlb.config.pcid && slot && slot.ctx_id !== 0 && !byCtx.has(slot.ctx_id)) throw new VmBugError('tlb: entry of an address space that no longer exists', `asid ${arr.asid[i]} ${hex(vaddr)}`);
          continue;
        }
        // a stale generation is flushed before use (switch_mm); entries then do not count
        if (slot.tlb_gen < mm.tlb_gen && pg.current !== mm) continue;
      }
      const leafPfn = pg.leafOf(mm.pgd, vaddr);
      // vfree leaves TLB entries of the freed range until the lazy purge: that range is not reused before
      if (leafPfn < 0 && arr.asid[i] === 255 && core(sys).vmalloc.isLazy(vaddr)) continue;
      if (leafPfn < 0) throw new VmBugError('tlb: entry for an address the tables no longer map', `${arr.name} ${hex(vaddr)}`);
      const leafSize = 2 ** pg.leafShift;
      const expect = leafPfn + Math.floor((((vaddr % leafSize) + leafSize) % leafSize) / 4096);
      if (arr.pfn[i] !== expect || 2 ** shift !== leafSize) throw new VmBugError('tlb: entry maps a different page than the tables', `${arr.name} ${hex(vaddr)}: tlb pfn ${arr.pfn[i]}, tables pfn ${expect}`);
      if (arr.flags[i] & 1 && !pg.leafRw) throw new VmBugError('tlb: writable entry for a read-only mapping', `${arr.name} ${hex(vaddr)}`);
    }
  }
}

/** The task with this pid, or a KernelError (ESRCH). */
export function findTask(sys: System, pid: number): Task {
  const t = tasksOf(sys).get(pid);
  if (!t) throw new KernelError(`no such process: ${pid} (ESRCH)`, 'ESRCH');
  return t;
}


/** One VMA in an {@link AddressSpaceSnapshot}. */
export interface VmaSnapshot {
  /** Start and end (user addresses, exact numbers) and as hex. */
  start: number;
  end: number;
  startHex: string;
  endHex: string;
  /** 'rw-p' etc. as /proc/PID/maps prints it. */
  perms: string;
  /** '[heap]', '[stack]', a file path or ''. */
  name: string;
  /** Resident pages mapped by this VMA (zero page excluded). */
  rss: number;
  /** File offset in pages (vm_pgoff). */
  pgoff: number;
}

/** A task's address space for views: `inspectAddressSpace(sys, pid)`. */
export interface AddressSpaceSnapshot {
  pid: number;
  comm: string;
  /** Virtual address bits of user space (47, 56 or 32). */
  user_bits: number;
  task_size: number;
  vmas: VmaSnapshot[];
  /** RSS pages (anon, file) and page-table bytes. */
  rss_anon: number;
  rss_file: number;
  pgtables_bytes: number;
  brk: number;
  mmap_base: number;
}

/** Snapshot of a task's VMAs. */
export function inspectAddressSpace(sys: System, pid: number): AddressSpaceSnapshot {
  const t = findTask(sys, pid);
  const mm = t.mm;
  if (!mm) throw new KernelError(`task ${pid} has exited (ESRCH)`, 'ESRCH');
  const pg = core(sys).pg;
  const vmas = mm.vmas.map((v) => {
    let rss = 0;
    walk_page_range(pg, mm.pgd, v.vm_start, v.vm_end, {
      pte_entry: (table, idx) => {
        const lo = pg.tm.lo(table, idx);
        if (lo & _PAGE_PRESENT && !(lo & _PAGE_SPECIAL)) rss++;
      },
    });
    const f = v.vm_flags;
    const perms = `${f & 1 ? 'r' : '-'}${f & 2 ? 'w' : '-'}${f & 4 ? 'x' : '-'}${f & 0x80 ? 's' : 'p'}`;
    return {
      start: v.vm_start, end: v.vm_end, startHex: hex(v.vm_start), endHex: hex(v.vm_end), perms, name: vmaNameOf(mm, v), rss, pgoff: v.vm_pgoff,
    };
  });
  return {
    pid, comm: t.comm, user_bits: sys.config.arch === 'i386' ? 32 : 47, task_size: mm.task_size, vmas,
    rss_anon: mm.rss[1], rss_file: mm.rss[0], pgtables_bytes: mm.pgtables_bytes, brk: mm.brk, mmap_base: mm.mmap_base,
  };
}

function vmaNameOf(mm: MmStruct, v: Vma): string {
  if (v.vm_file) return v.vm_file.path;
  if (v.vm_start <= mm.brk && v.vm_end >= mm.start_brk) return '[heap]';
  if (v.vm_start <= mm.start_stack && v.vm_end >= mm.start_stack) return '[stack]';
  return '';
}
