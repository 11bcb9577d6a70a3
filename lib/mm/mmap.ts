/**
 * Virtual memory areas: mmap, munmap, brk and the VMA bookkeeping.
 *
 * Mirrors: mm/mmap.c (do_mmap, mmap_region, get_unmapped_area / vm_unmapped_area top-down,
 * do_brk_flags, brk, vm_stat_account, expand_downwards), arch/x86/kernel/sys_x86_64.c
 * (arch_get_unmapped_area_topdown), mm/vma.c (vma_merge_new_range, vma_merge_existing_range,
 * is_mergeable_vma, is_mergeable_anon_vma, split_vma, do_vmi_align_munmap, vma_modify), mm/util.c (mmap_base),
 * include/linux/mm.h (VM_* flags), include/uapi/asm-generic/mman-common.h (PROT_*, MAP_*).
 * Models: each mm's VMAs as a sorted array (the kernel's maple tree), split and merged as the
 * kernel does (same flags apart from VM_SOFTDIRTY, same file with contiguous offsets, anon_vmas
 * compatible by is_mergeable_anon_vma, never VM_SPECIAL; munmap never merges, brk only extends
 * the VMA below the old break, mremap's in-place growth only absorbs the next VMA); the top-down
 * mmap layout below the stack (mmap_base = TASK_SIZE − 128 MiB without randomisation), the stack
 * guard gap, the 47-bit DEFAULT_MAP_WINDOW that LA57 leaves for a hint above it or MAP_FIXED
 * (arch/x86/kernel/sys_x86_64.c, arch/x86/mm/mmap.c mmap_address_hint_valid), MAP_FIXED /
 * MAP_FIXED_NOREPLACE / MAP_POPULATE, shared anonymous memory as a "/dev/zero (deleted)" shmem
 * file, the brk heap, vm_stat_account totals.
 * Simplifies: no mlock, no hugetlb, no userfaultfd, no memory policy, no overcommit accounting
 * (VM_ACCOUNT is set as the kernel sets it, nothing is charged); no address randomisation.
 * Mappings must end at or below 2^53 (EXACT_ADDR_LIMIT: JS numbers hold every byte address
 * below it exactly); LA57 requests Linux would satisfy above it are refused with a KernelError.
 * See: chapter 08 (address spaces, mmap).
 */
import { KernelError } from '../base/errors.js';
import type { MmStruct, Task } from '../kernel/fork.js';
import type { System } from '../system.js';
import { createFile, evict_deleted_file, type SimFile } from './file.js';
import { core, free_pgtables, handle_mm_fault, zap_page_range } from './memory.js';
import { anon_vma_clone, unlink_anon_vmas, type AnonVma } from './rmap.js';

export * from './vm_flags.js';
import { VM_ACCOUNT, VM_DONTEXPAND, VM_EXEC, VM_GROWSDOWN, VM_IO, VM_MAYEXEC, VM_MAYREAD, VM_MAYSHARE, VM_MAYWRITE, VM_MIXEDMAP, VM_NORESERVE, VM_PFNMAP, VM_READ, VM_SHARED, VM_SOFTDIRTY, VM_STACK, VM_WRITE } from './vm_flags.js';

/** PROT_* (mman-common.h). */
export const PROT_NONE = 0;
export const PROT_READ = 1;
export const PROT_WRITE = 2;
export const PROT_EXEC = 4;
/** MAP_* (mman-common.h, x86). */
export const MAP_SHARED = 0x01;
export const MAP_PRIVATE = 0x02;
export const MAP_FIXED = 0x10;
export const MAP_ANONYMOUS = 0x20;
export const MAP_GROWSDOWN = 0x100;
export const MAP_NORESERVE = 0x4000;
export const MAP_POPULATE = 0x8000;
export const MAP_FIXED_NOREPLACE = 0x100000;

const MAP_NAMES: Record<string, number> = {
  shared: MAP_SHARED, private: MAP_PRIVATE, fixed: MAP_FIXED, anonymous: MAP_ANONYMOUS, anon: MAP_ANONYMOUS,
  growsdown: MAP_GROWSDOWN, noreserve: MAP_NORESERVE, populate: MAP_POPULATE, fixed_noreplace: MAP_FIXED_NOREPLACE,
};

/** stack_guard_gap: 256 pages kept free below a stack VMA. */
export const STACK_GUARD_GAP = 256 * 4096;
/** mmap_min_addr (Debian default 65536). */
export const MMAP_MIN_ADDR = 65536;
/** MIN_GAP in mmap_base(): 128 MiB between the stack top and mmap_base. */
const MIN_GAP = 128 * 2 ** 20;

/** Parses PROT_* given as a number, or as 'rwx' letters / 'read|write' / 'none'. */
export function parseProt(prot: number | string): number {
  if (typeof prot === 'number') {
    if (!Number.isInteger(prot) || prot < 0 || prot & ~7) throw new KernelError(`mmap: bad prot 0x${prot.toString(16)}`, 'EINVAL');
    return prot;
  }
  const t = prot.trim().toLowerCase();
  if (t === '' || t === 'none' || t === '---') return PROT_NONE;
  if (/^[rwx-]{1,3}$/.test(t)) return (t.includes('r') ? PROT_READ : 0) | (t.includes('w') ? PROT_WRITE : 0) | (t.includes('x') ? PROT_EXEC : 0);
  let p = 0;
  for (const w of t.split(/[|,\s]+/).filter(Boolean)) {
    const n = w.replace(/^prot_/, '');
    if (n === 'read') p |= PROT_READ;
    else if (n === 'write') p |= PROT_WRITE;
    else if (n === 'exec') p |= PROT_EXEC;
    else if (n !== 'none') throw new KernelError(`mmap: unknown protection '${w}' (r, w, x, none)`, 'EINVAL');
  }
  return p;
}

/** Parses MAP_* given as a number or as names: 'private|anonymous', 'shared', 'fixed' ... */
export function parseMapFlags(flags: number | string): number {
  if (typeof flags === 'number') return flags;
  let f = 0;
  for (const w of flags.trim().toLowerCase().split(/[|,\s]+/).filter(Boolean)) {
    const v = MAP_NAMES[w.replace(/^map_/, '')];
    if (v === undefined) throw new KernelError(`mmap: unknown flag '${w}' (${Object.keys(MAP_NAMES).join(', ')})`, 'EINVAL');
    f |= v;
  }
  return f;
}

/** calc_vm_prot_bits. */
export function calc_vm_prot_bits(prot: number): number {
  return (prot & PROT_READ ? VM_READ : 0) | (prot & PROT_WRITE ? VM_WRITE : 0) | (prot & PROT_EXEC ? VM_EXEC : 0);
}

/** struct vm_area_struct. */
export class Vma {
  /** Links to anon_vmas (anon_vma_chain). */
  avc = new Set<AnonVma>();
  /** The VMA's own anon_vma (new anonymous pages point here). */
  anon_vma: AnonVma | null = null;
  constructor(
    public mm: MmStruct,
    public vm_start: number,
    public vm_end: number,
    public vm_flags: number,
    public vm_pgoff: number,
    public vm_file: SimFile | null,
  ) {}
  /** Pages covered. */
  get pages(): number {
    return (this.vm_end - this.vm_start) / 4096;
  }
}

// ---- the VMA "tree" ----

/** Index of the first VMA with vm_end > addr (mm.vmas.length if none). */
export function vmaIndex(mm: MmStruct, addr: number): number {
  const v = mm.vmas;
  let lo = 0;
  let hi = v.length;
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if (v[m].vm_end > addr) hi = m;
    else lo = m + 1;
  }
  return lo;
}

/** find_vma: the first VMA ending above `addr` (which may start above it), or null. */
export function find_vma(mm: MmStruct, addr: number): Vma | null {
  const i = vmaIndex(mm, addr);
  return i < mm.vmas.length ? mm.vmas[i] : null;
}

/** vma_lookup: the VMA containing `addr`, or null. */
export function vma_lookup(mm: MmStruct, addr: number): Vma | null {
  const v = find_vma(mm, addr);
  return v && v.vm_start <= addr ? v : null;
}

function insertVma(mm: MmStruct, vma: Vma): void {
  const i = vmaIndex(mm, vma.vm_start);
  mm.vmas.splice(i, 0, vma);
  if (vma.vm_file) vma.vm_file.i_mapping.i_mmap.add(vma);
}

function detachVma(sys: System, mm: MmStruct, vma: Vma): void {
  const i = mm.vmas.indexOf(vma);
  if (i >= 0) mm.vmas.splice(i, 1);
  unlink_anon_vmas(core(sys).mappings, vma);
  if (vma.vm_file) {
    vma.vm_file.i_mapping.i_mmap.delete(vma);
    if (vma.vm_file.deleted && vma.vm_file.i_mapping.i_mmap.size === 0) evict_deleted_file(sys, vma.vm_file);
  }
}

/** vm_stat_account: total_vm and the exec/stack/data totals of /proc/PID/status. */
export function vm_stat_account(mm: MmStruct, flags: number, npages: number): void {
  mm.total_vm += npages;
  if ((flags & (VM_EXEC | VM_WRITE | VM_STACK)) === VM_EXEC) mm.exec_vm += npages;
  else if ((flags & VM_STACK) === VM_STACK) mm.stack_vm += npages;
  else if ((flags & (VM_WRITE | VM_SHARED | VM_STACK)) === VM_WRITE) mm.data_vm += npages;
  if (mm.total_vm > mm.hiwater_vm) mm.hiwater_vm = mm.total_vm;
}

/** split_vma: cuts `vma` at `addr`; returns the new upper part. */
export function split_vma(mm: MmStruct, vma: Vma, addr: number): Vma {
  const n = new Vma(mm, addr, vma.vm_end, vma.vm_flags, vma.vm_pgoff + (addr - vma.vm_start) / 4096, vma.vm_file);
  anon_vma_clone(n, vma);
  vma.vm_end = addr;
  insertVma(mm, n);
  return n;
}

/** VM_SPECIAL: mappings that never merge (include/linux/mm.h). */
export const VM_SPECIAL = VM_IO | VM_DONTEXPAND | VM_PFNMAP | VM_MIXEDMAP;

/**
 * is_mergeable_anon_vma: a range whose pages would belong to `av1` may join a VMA using `av2`
 * when they are the same anon_vma, or when one side has none yet and `vma` (the neighbour, or
 * null when two neighbours are compared) links to exactly one anon_vma (a VMA that forked
 * children, or was forked, keeps its own).
 */
export function is_mergeable_anon_vma(av1: AnonVma | null, av2: AnonVma | null, vma: Vma | null): boolean {
  if ((!av1 || !av2) && (!vma || vma.avc.size === 1)) return true;
  return av1 === av2;
}

/** is_mergeable_vma: same flags apart from VM_SOFTDIRTY, same file. */
function is_mergeable_vma(v: Vma, flags: number, file: SimFile | null): boolean {
  return ((v.vm_flags ^ flags) & ~VM_SOFTDIRTY) === 0 && v.vm_file === file;
}

/**
 * can_vma_merge_after: may a range starting at `start` (flags, file, pgoff, anon_vma `av`)
 * extend `prev`? prev must end at `start` with a contiguous offset (can_vma_merge_left).
 */
export function can_vma_merge_after(prev: Vma, start: number, flags: number, file: SimFile | null, pgoff: number, av: AnonVma | null): boolean {
  return prev.vm_end === start && is_mergeable_vma(prev, flags, file) &&
    is_mergeable_anon_vma(av, prev.anon_vma, prev) && prev.vm_pgoff + prev.pages === pgoff;
}

/** can_vma_merge_before: may the range [.., end) of `pages` pages at `pgoff` be absorbed by `next`? */
export function can_vma_merge_before(next: Vma, end: number, flags: number, file: SimFile | null, pgoff: number, pages: number, av: AnonVma | null): boolean {
  return next.vm_start === end && is_mergeable_vma(next, flags, file) &&
    is_mergeable_anon_vma(av, next.anon_vma, next) && next.vm_pgoff === pgoff + pages;
}

/** Can VMA `b` directly follow `a` as one VMA (the rules above with `b` as the range)? */
export function can_merge(a: Vma, b: Vma): boolean {
  return !(b.vm_flags & VM_SPECIAL) && can_vma_merge_after(a, b.vm_start, b.vm_flags, b.vm_file, b.vm_pgoff, b.anon_vma);
}

/** Merges `b` into `a` (a precedes b); `b` disappears (dup_anon_vma when `a` has none). */
function mergeInto(sys: System, mm: MmStruct, a: Vma, b: Vma): void {
  if (!a.anon_vma && b.anon_vma) anon_vma_clone(a, b);
  a.vm_end = b.vm_end;
  a.vm_flags |= b.vm_flags & VM_SOFTDIRTY;
  detachVma(sys, mm, b);
}

/**
 * The merge step of vma_merge_new_range / vma_merge_existing_range: `vma` (in the tree, with its
 * final flags) joins its previous neighbour (can_vma_merge_left) and/or its next one
 * (can_vma_merge_right; when both, prev's and next's anon_vmas must also be compatible with
 * each other). VM_SPECIAL mappings never merge. `withPrev` false only tries next (mremap's
 * vma_merge_extend, where the growing VMA is itself "prev"). Returns the survivor.
 */
export function vma_merge_neighbours(sys: System, mm: MmStruct, vma: Vma, withPrev = true): Vma {
  if (vma.vm_flags & VM_SPECIAL) return vma;
  const i = mm.vmas.indexOf(vma);
  const prev = withPrev && i > 0 ? mm.vmas[i - 1] : undefined;
  const next = i + 1 < mm.vmas.length ? mm.vmas[i + 1] : undefined;
  const f = vma.vm_flags;
  const left = !!prev && can_vma_merge_after(prev, vma.vm_start, f, vma.vm_file, vma.vm_pgoff, vma.anon_vma);
  const right = !!next && can_vma_merge_before(next, vma.vm_end, f, vma.vm_file, vma.vm_pgoff, vma.pages, vma.anon_vma) &&
    (!left || is_mergeable_anon_vma(prev!.anon_vma, next.anon_vma, null));
  if (right) mergeInto(sys, mm, vma, next!);
  if (left) {
    mergeInto(sys, mm, prev!, vma);
    return prev!;
  }
  return vma;
}

// ---- layout ----

/** vm_start_gap: a stack VMA's start less the guard gap. */
function vm_start_gap(v: Vma): number {
  return v.vm_flags & VM_GROWSDOWN ? Math.max(0, v.vm_start - STACK_GUARD_GAP) : v.vm_start;
}

/** mmap_base(): the top of the top-down mmap area (no randomisation). */
export function mmap_base(stackTop: number): number {
  return stackTop - MIN_GAP;
}

/**
 * The first address a JS number cannot hold for every byte below it: 2^53. Page-aligned
 * addresses above it are exact, but byte addresses inside such pages are not, so mappings must
 * end at or below it (a simulator limit; only LA57's 56-bit user space reaches beyond it).
 */
export const EXACT_ADDR_LIMIT = 2 ** 53;

/** Throws a KernelError when [start, start+len) reaches above {@link EXACT_ADDR_LIMIT}. */
export function check_exact_range(what: string, start: number, len: number): void {
  if (start + len > EXACT_ADDR_LIMIT) {
    throw new KernelError(`${what}: 0x${start.toString(16)} + ${len} reaches above 2^53: Linux allows it (below TASK_SIZE), but the simulator cannot address those bytes exactly with JS numbers (ENOMEM)`, 'ENOMEM');
  }
}

/**
 * mmap_address_hint_valid (arch/x86/mm/mmap.c): the hint fits below TASK_SIZE and does not
 * straddle DEFAULT_MAP_WINDOW (the 47-bit window; equal to TASK_SIZE without LA57).
 */
export function mmap_address_hint_valid(mm: MmStruct, addr: number, len: number): boolean {
  if (mm.task_size - len < addr) return false;
  return (addr > mm.mmap_limit) === (addr + len > mm.mmap_limit);
}

/**
 * get_unmapped_area (arch_get_unmapped_area_topdown): a valid hint that is free is taken;
 * otherwise the highest gap below mmap_base that fits (vm_unmapped_area with
 * VM_UNMAPPED_AREA_TOPDOWN), then bottom-up as a fallback. The search stays in the default
 * 47-bit window (mm.mmap_limit) unless the hint lies above it: then it may use the whole
 * TASK_SIZE (LA57). Returns −1 when nothing fits.
 */
export function get_unmapped_area(mm: MmStruct, hint: number, len: number): number {
  const low = MMAP_MIN_ADDR;
  if (len > mm.task_size) return -1;
  const a0 = hint ? Math.floor(hint / 4096) * 4096 : 0;
  if (a0 && a0 >= low && mmap_address_hint_valid(mm, a0, len)) {
    const v = find_vma(mm, a0);
    if (!v || a0 + len <= vm_start_gap(v)) {
      const pv = mm.vmas[vmaIndex(mm, a0) - 1];
      if (!pv || pv.vm_end <= a0) return a0;
    }
  }
  // a hint above DEFAULT_MAP_WINDOW opens the full address space
  const wide = a0 > mm.mmap_limit ? mm.task_size - mm.mmap_limit : 0;
  const limit = mm.mmap_limit + wide;
  // top-down: the highest gap below mmap_base that fits
  const high = Math.min(mm.mmap_base + wide, limit);
  const v = mm.vmas;
  for (let i = v.length; i >= 0; i--) {
    const gapStart = Math.max(low, i > 0 ? v[i - 1].vm_end : low);
    const gapEnd = Math.min(high, i < v.length ? vm_start_gap(v[i]) : limit);
    if (gapEnd - gapStart >= len) return gapEnd - len;
    if (i > 0 && v[i - 1].vm_end <= low) break;
  }
  // bottom-up fallback (arch_get_unmapped_area)
  let a = Math.max(low, mm.mmap_legacy_base);
  for (const vma of v) {
    if (a + len <= vm_start_gap(vma) && a + len <= limit) return a;
    if (vma.vm_end > a) a = vma.vm_end;
  }
  return a + len <= limit ? a : -1;
}

// ---- mmap / munmap / brk ----

/** Options of {@link do_mmap}. */
export interface MmapOptions {
  /** The file to map (MAP_SHARED or MAP_PRIVATE without MAP_ANONYMOUS). */
  file?: SimFile;
  /** File offset in bytes (page aligned). */
  offset?: number;
}

/**
 * do_mmap: creates a mapping and returns its address. Throws KernelError (EINVAL, ENOMEM,
 * EEXIST, EBADF) before changing anything when the request is bad.
 */
export function do_mmap(sys: System, task: Task, addr: number, len: number, protIn: number | string, flagsIn: number | string, opts: MmapOptions = {}): number {
  const mm = task.mm!;
  const prot = parseProt(protIn);
  const flags = parseMapFlags(flagsIn);
  const off = opts.offset ?? 0;
  if (!Number.isSafeInteger(len) || len <= 0) throw new KernelError(`mmap: length ${len} is invalid (EINVAL)`, 'EINVAL');
  if (!Number.isInteger(addr) || addr < 0) throw new KernelError(`mmap: address ${addr} is invalid (EINVAL)`, 'EINVAL');
  if (!Number.isSafeInteger(addr) && addr % 4096) throw new KernelError(`mmap: address ${addr} is above 2^53 and not page aligned: a JS number cannot hold it exactly (EINVAL)`, 'EINVAL');
  if (off % 4096 || off < 0) throw new KernelError(`mmap: offset ${off} is not page aligned (EINVAL)`, 'EINVAL');
  const type = flags & (MAP_SHARED | MAP_PRIVATE);
  if (type !== MAP_SHARED && type !== MAP_PRIVATE) throw new KernelError('mmap: exactly one of MAP_SHARED and MAP_PRIVATE is needed (EINVAL)', 'EINVAL');
  const anon = (flags & MAP_ANONYMOUS) !== 0;
  if (!anon && !opts.file) throw new KernelError('mmap: no file given and MAP_ANONYMOUS not set (EBADF)', 'EBADF');
  if (anon && opts.file) throw new KernelError('mmap: MAP_ANONYMOUS with a file (EINVAL)', 'EINVAL');
  len = Math.ceil(len / 4096) * 4096;
  const fixed = (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) !== 0;
  if (fixed && addr % 4096) throw new KernelError(`mmap: MAP_FIXED address 0x${addr.toString(16)} is not page aligned (EINVAL)`, 'EINVAL');
  if (len > mm.task_size) throw new KernelError(`mmap: length ${len} exceeds the address space (ENOMEM)`, 'ENOMEM');
  let start: number;
  if (fixed) {
    // no window check for MAP_FIXED: anything below TASK_SIZE (__get_unmapped_area)
    if (addr > mm.task_size - len || addr < MMAP_MIN_ADDR) throw new KernelError(`mmap: 0x${addr.toString(16)} + ${len} is outside the user address space (ENOMEM)`, 'ENOMEM');
    if (flags & MAP_FIXED_NOREPLACE) {
      const v = find_vma(mm, addr);
      if (v && v.vm_start < addr + len) throw new KernelError(`mmap: MAP_FIXED_NOREPLACE range 0x${addr.toString(16)} overlaps a mapping (EEXIST)`, 'EEXIST');
    }
    start = addr;
  } else {
    start = get_unmapped_area(mm, addr, len);
    if (sys.trace.enabled) {
      sys.trace.emit('vm_unmapped_area', { addr: '0x' + (start < 0 ? 0 : start).toString(16), err: start < 0 ? -12 : 0, total_vm: '0x' + mm.total_vm.toString(16), flags: '0x1', len: '0x' + len.toString(16), lo: '0x' + MMAP_MIN_ADDR.toString(16), hi: '0x' + mm.mmap_base.toString(16), mask: '0x0', ofs: '0x0' });
    }
    if (start < 0) throw new KernelError(`mmap: no free range of ${len} bytes (ENOMEM)`, 'ENOMEM');
  }
  check_exact_range('mmap', start, len);
  let vm_flags = calc_vm_prot_bits(prot) | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
  if (flags & MAP_GROWSDOWN) vm_flags |= VM_GROWSDOWN;
  if (type === MAP_SHARED) vm_flags |= VM_SHARED | VM_MAYSHARE;
  if (flags & MAP_NORESERVE) vm_flags |= VM_NORESERVE;
  if ((vm_flags & (VM_NORESERVE | VM_SHARED | VM_WRITE)) === VM_WRITE) vm_flags |= VM_ACCOUNT;
  let file = opts.file ?? null;
  let pgoff = off / 4096;
  if (anon && type === MAP_SHARED) {
    // shmem_zero_setup: shared anonymous memory is a deleted /dev/zero file
    file = createFile(sys, '/dev/zero (deleted)', len, [0, 1]);
    file.deleted = true;
    file.shmem = true;
    pgoff = 0;
  } else if (anon) {
    pgoff = start / 4096;
  }
  if (fixed) do_munmap(sys, mm, start, len);
  mmap_region(sys, mm, start, len, vm_flags | VM_SOFTDIRTY, pgoff, file);
  if (flags & MAP_POPULATE) {
    const v = vma_lookup(mm, start)!;
    const write = (vm_flags & (VM_WRITE | VM_SHARED)) === VM_WRITE;
    for (let a = start; a < start + len; a += 4096) {
      const vv = vma_lookup(mm, a) ?? v;
      handle_mm_fault(sys, task, vv, a, write);
    }
  }
  return start;
}

/** mmap_region: the VMA for [start, start+len), merged with its neighbours when possible. */
export function mmap_region(sys: System, mm: MmStruct, start: number, len: number, vm_flags: number, pgoff: number, file: SimFile | null): Vma {
  const vma = new Vma(mm, start, start + len, vm_flags, pgoff, file);
  insertVma(mm, vma);
  vm_stat_account(mm, vm_flags, len / 4096);
  return vma_merge_neighbours(sys, mm, vma);
}

/**
 * do_munmap: removes [start, start+len) from the address space: splits VMAs at the ends,
 * zaps their PTEs, frees page tables left empty between the neighbours, drops the VMAs.
 */
export function do_munmap(sys: System, mm: MmStruct, start: number, len: number): void {
  if (start % 4096 || start < 0) throw new KernelError(`munmap: 0x${start.toString(16)} is not page aligned (EINVAL)`, 'EINVAL');
  if (!Number.isSafeInteger(len) || len <= 0) throw new KernelError(`munmap: length ${len} is invalid (EINVAL)`, 'EINVAL');
  const end = start + Math.ceil(len / 4096) * 4096;
  if (end > mm.task_size) throw new KernelError(`munmap: range ends beyond TASK_SIZE (EINVAL)`, 'EINVAL');
  let v = find_vma(mm, start);
  if (!v || v.vm_start >= end) return;
  if (v.vm_start < start) v = split_vma(mm, v, start);
  const last = find_vma(mm, end - 1);
  if (last && last.vm_start < end && last.vm_end > end) split_vma(mm, last, end);
  const first = vmaIndex(mm, start);
  const victims: Vma[] = [];
  for (let i = first; i < mm.vmas.length && mm.vmas[i].vm_start < end; i++) victims.push(mm.vmas[i]);
  if (!victims.length) return;
  update_hiwater_rss(mm);
  for (const vma of victims) {
    zap_page_range(sys, mm, vma.vm_start, vma.vm_end);
    vm_stat_account(mm, vma.vm_flags, -vma.pages);
  }
  const lo = victims[0].vm_start;
  const hi = victims[victims.length - 1].vm_end;
  for (const vma of victims) detachVma(sys, mm, vma);
  const i = vmaIndex(mm, lo);
  const floor = i > 0 ? mm.vmas[i - 1].vm_end : 0;
  const ceiling = i < mm.vmas.length ? mm.vmas[i].vm_start : mm.pgtable_ceiling;
  free_pgtables(sys, mm, lo, hi, floor, ceiling);
}

/** update_hiwater_rss. */
export function update_hiwater_rss(mm: MmStruct): void {
  const rss = mm.rss[0] + mm.rss[1] + mm.rss[3];
  if (rss > mm.hiwater_rss) mm.hiwater_rss = rss;
}

/**
 * brk: moves the program break. Growing extends the heap VMA (do_brk_flags) unless it would
 * come within a guard gap of the next mapping; shrinking unmaps. Returns the new break, or the
 * old one when the request is refused (as the syscall does).
 */
export function do_brk(sys: System, mm: MmStruct, brk: number): number {
  if (!Number.isSafeInteger(brk) || brk < mm.start_brk) return mm.brk;
  const newbrk = Math.ceil(brk / 4096) * 4096;
  const oldbrk = Math.ceil(mm.brk / 4096) * 4096;
  if (newbrk === oldbrk) {
    mm.brk = brk;
    return brk;
  }
  if (brk <= mm.brk) {
    do_munmap(sys, mm, newbrk, oldbrk - newbrk);
    mm.brk = brk;
    return brk;
  }
  const next = find_vma(mm, oldbrk);
  if (next && newbrk + 4096 > vm_start_gap(next)) return mm.brk;
  if (newbrk > mm.mmap_limit) return mm.brk;
  const flags = VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC | VM_ACCOUNT | VM_SOFTDIRTY;
  // do_brk_flags: expand the VMA ending at the old break when it can take the range
  // (vma_merge_new_range with VMG_FLAG_JUST_EXPAND), else a new VMA, not merged further
  const prev = mm.vmas[vmaIndex(mm, oldbrk) - 1];
  if (prev && can_vma_merge_after(prev, oldbrk, flags, null, oldbrk / 4096, null)) {
    prev.vm_end = newbrk;
    prev.vm_flags |= VM_SOFTDIRTY;
  } else {
    insertVma(mm, new Vma(mm, oldbrk, newbrk, flags, oldbrk / 4096, null));
  }
  vm_stat_account(mm, flags, (newbrk - oldbrk) / 4096);
  mm.brk = brk;
  return brk;
}

/** Removes every VMA of an mm and its pages and tables (exit_mmap). */
export function exit_mmap(sys: System, mm: MmStruct): void {
  update_hiwater_rss(mm);
  for (const vma of mm.vmas) zap_page_range(sys, mm, vma.vm_start, vma.vm_end);
  free_pgtables(sys, mm, 0, mm.pgtable_ceiling, 0, mm.pgtable_ceiling);
  for (const vma of [...mm.vmas]) {
    vm_stat_account(mm, vma.vm_flags, -vma.pages);
    detachVma(sys, mm, vma);
  }
}

/** Adds a VMA without merging (fork's copies). */
export function insert_vm_struct(mm: MmStruct, vma: Vma): void {
  insertVma(mm, vma);
}

/** Detaches a VMA (for mremap's move). */
export function remove_vma(sys: System, mm: MmStruct, vma: Vma): void {
  detachVma(sys, mm, vma);
}
