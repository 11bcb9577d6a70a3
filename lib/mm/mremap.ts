/**
 * Resizing and moving a mapping.
 *
 * Mirrors: mm/mremap.c (do_mremap/SYSCALL mremap, mremap_to, vma_expandable, move_vma,
 * move_page_tables/move_ptes), mm/vma.c (copy_vma).
 * Models: shrinking (unmapping the tail), growing in place when the space after the VMA is
 * free, and moving (MREMAP_MAYMOVE, MREMAP_FIXED): a new VMA with the same vm_pgoff and
 * anon_vma, the PTEs moved entry by entry (pages, their mapcounts and page->index are untouched,
 * so rmap still finds them), the old range's TLB entries flushed and its VMA removed.
 * Simplifies: no MREMAP_DONTUNMAP, no huge-PMD moves, no commit accounting.
 * See: chapter 08 (mremap).
 */
import { KernelError } from '../base/errors.js';
import type { MmStruct, Task } from '../kernel/fork.js';
import type { System } from '../system.js';
import { core, pte_table } from './memory.js';
import {
  check_exact_range, do_munmap, find_vma, get_unmapped_area, insert_vm_struct, vm_stat_account, vma_lookup, vma_merge_neighbours,
  Vma, VM_GROWSDOWN, VM_DONTEXPAND, VM_SOFTDIRTY,
} from './mmap.js';
import { walk_page_range } from './pagewalk.js';
import { anon_vma_clone } from './rmap.js';
import { pgIndex } from '../arch/x86/pgtable.js';

/** MREMAP_* flags. */
export const MREMAP_MAYMOVE = 1;
export const MREMAP_FIXED = 2;

function parseFlags(f: number | string): number {
  if (typeof f === 'number') return f;
  let v = 0;
  for (const w of f.toLowerCase().split(/[|,\s]+/).filter(Boolean)) {
    const n = w.replace(/^mremap_/, '');
    if (n === 'maymove') v |= MREMAP_MAYMOVE;
    else if (n === 'fixed') v |= MREMAP_FIXED;
    else throw new KernelError(`mremap: unknown flag '${w}' (maymove, fixed)`, 'EINVAL');
  }
  return v;
}

/** mremap. Returns the (possibly new) address; KernelError (EINVAL, EFAULT, ENOMEM) with nothing changed. */
export function do_mremap(sys: System, task: Task, addr: number, oldLen: number, newLen: number, flagsIn: number | string, newAddr: number): number {
  const mm = task.mm;
  if (!mm) throw new KernelError('mremap: task has exited (ESRCH)', 'ESRCH');
  const flags = parseFlags(flagsIn);
  if (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED)) throw new KernelError(`mremap: bad flags 0x${flags.toString(16)} (EINVAL)`, 'EINVAL');
  if (flags & MREMAP_FIXED && !(flags & MREMAP_MAYMOVE)) throw new KernelError('mremap: MREMAP_FIXED needs MREMAP_MAYMOVE (EINVAL)', 'EINVAL');
  if (!Number.isSafeInteger(addr) || addr % 4096) throw new KernelError(`mremap: 0x${addr.toString(16)} is not page aligned (EINVAL)`, 'EINVAL');
  if (!Number.isSafeInteger(newLen) || newLen <= 0 || !Number.isSafeInteger(oldLen) || oldLen < 0) throw new KernelError('mremap: bad length (EINVAL)', 'EINVAL');
  oldLen = Math.ceil(oldLen / 4096) * 4096;
  newLen = Math.ceil(newLen / 4096) * 4096;
  const vma = vma_lookup(mm, addr);
  if (!vma || addr + oldLen > vma.vm_end || oldLen === 0) throw new KernelError(`mremap: 0x${addr.toString(16)}+${oldLen} is not inside one mapping (EFAULT)`, 'EFAULT');
  if (flags & MREMAP_FIXED) {
    if (!Number.isInteger(newAddr) || newAddr % 4096 || newLen > mm.task_size || newAddr > mm.task_size - newLen || newAddr < 65536) throw new KernelError('mremap: bad new address (EINVAL)', 'EINVAL');
    check_exact_range('mremap', newAddr, newLen);
    if (newAddr < addr + oldLen && addr < newAddr + newLen) throw new KernelError('mremap: old and new ranges overlap (EINVAL)', 'EINVAL');
    do_munmap(sys, mm, newAddr, newLen);
    if (oldLen > newLen) {
      do_munmap(sys, mm, addr + newLen, oldLen - newLen);
      oldLen = newLen;
    }
    return move_vma(sys, mm, vma_lookup(mm, addr)!, addr, oldLen, newLen, newAddr);
  }
  if (newLen <= oldLen) {
    if (newLen < oldLen) do_munmap(sys, mm, addr + newLen, oldLen - newLen);
    return addr;
  }
  // grow in place when the VMA ends where the old range ends and the space after it is free
  if (vma.vm_end === addr + oldLen && !(vma.vm_flags & VM_DONTEXPAND)) {
    const next = find_vma(mm, vma.vm_end);
    // vma_expandable: free up to the next VMA (its guard gap) and below TASK_SIZE
    const limit = next ? (next.vm_flags & VM_GROWSDOWN ? next.vm_start - 256 * 4096 : next.vm_start) : mm.task_size;
    if (addr + newLen <= limit && addr + newLen <= mm.task_size) {
      check_exact_range('mremap', addr, newLen);
      const grow = (addr + newLen - vma.vm_end) / 4096;
      vma.vm_end = addr + newLen;
      vm_stat_account(mm, vma.vm_flags, grow);
      // vma_merge_extend: the grown VMA may absorb the next one (never its previous)
      vma_merge_neighbours(sys, mm, vma, false);
      return addr;
    }
  }
  if (!(flags & MREMAP_MAYMOVE)) throw new KernelError('mremap: cannot grow in place and MREMAP_MAYMOVE not given (ENOMEM)', 'ENOMEM');
  const to = get_unmapped_area(mm, 0, newLen);
  if (to < 0) throw new KernelError(`mremap: no free range of ${newLen} bytes (ENOMEM)`, 'ENOMEM');
  return move_vma(sys, mm, vma, addr, oldLen, newLen, to);
}

/** move_vma: a new VMA at `to` takes over the pages of [addr, addr+oldLen); the old range goes. */
function move_vma(sys: System, mm: MmStruct, vma: Vma, addr: number, oldLen: number, newLen: number, to: number): number {
  const pg = core(sys).pg;
  const tm = pg.tm;
  const pgoff = vma.vm_pgoff + (addr - vma.vm_start) / 4096;
  const nv = new Vma(mm, to, to + newLen, vma.vm_flags | VM_SOFTDIRTY, pgoff, vma.vm_file);
  anon_vma_clone(nv, vma);
  insert_vm_struct(mm, nv);
  vm_stat_account(mm, nv.vm_flags, nv.pages);
  // move_ptes
  const moved: [number, number, number][] = [];
  walk_page_range(pg, mm.pgd, addr, addr + oldLen, {
    pte_entry: (table, idx, a) => {
      const lo = tm.lo(table, idx);
      const hi = tm.hi(table, idx);
      if (lo === 0 && hi === 0) return;
      moved.push([a, lo, hi]);
      tm.set(table, idx, 0, 0);
    },
  });
  const pteLevel = pg.g.walk[pg.pteDepth];
  for (const [a, lo, hi] of moved) {
    const dst = a - addr + to;
    const t = pte_table(sys, mm, dst, true);
    if (t < 0) {
      // out of page tables: put everything back and fail
      for (const [b, l2, h2] of moved) {
        const st = pte_table(sys, mm, b, false);
        const dt = pte_table(sys, mm, b - addr + to, false);
        if (dt >= 0) tm.set(dt, pgIndex(b - addr + to, pteLevel), 0, 0);
        if (st >= 0) tm.set(st, pgIndex(b, pteLevel), l2, h2);
      }
      do_munmap(sys, mm, to, newLen);
      throw new KernelError('mremap: out of memory for page tables (ENOMEM)', 'ENOMEM');
    }
    tm.set(t, pgIndex(dst, pteLevel), lo, hi);
  }
  if (moved.length) pg.flush_tlb_mm_range(mm, addr, addr + oldLen);
  do_munmap(sys, mm, addr, oldLen);
  vma_merge_neighbours(sys, mm, nv);
  return to;
}
