/**
 * Changing the protection of a range.
 *
 * Mirrors: mm/mprotect.c (do_mprotect_pkey, mprotect_fixup, change_protection,
 * change_pte_range, can_change_pte_writable), mm/vma.c (vma_modify_flags).
 * Models: VMAs whose flags do not change are left alone (no split); the others are split at the
 * range's ends, their flags changed (refused with EACCES beyond VM_MAY*, ENOMEM over a hole,
 * both before anything changes; VM_ACCOUNT set for private writable, dropped by an untouched
 * anonymous VMA turning read-only) and merged with neighbours that became compatible, the
 * PTEs rewritten with the new protection keeping pfn, accessed and dirty bits (pte_modify):
 * PROT_NONE makes entries non-present with the PROTNONE bit, a private writable mapping
 * regains write access only for exclusively owned anonymous pages (others take a CoW fault),
 * a shared file one for dirty entries (write-notify), a shared shmem one at once. The TLB is
 * flushed for the range.
 * Simplifies: no protection keys, no NUMA-hinting PROT_NONE, no commit accounting.
 * See: chapter 08 (mprotect).
 */
import { KernelError } from '../base/errors.js';
import { _PAGE_ACCESSED, _PAGE_DIRTY, _PAGE_GLOBAL, _PAGE_NX_HI, _PAGE_PRESENT, _PAGE_PROTNONE, _PAGE_RW, _PAGE_SPECIAL, _PAGE_USER, entryPfn } from '../arch/x86/pgtable.js';
import type { MmStruct } from '../kernel/fork.js';
import type { System } from '../system.js';
import { core, pagesOf, vm_get_page_prot, vma_wants_writenotify } from './memory.js';
import {
  calc_vm_prot_bits, find_vma, parseProt, split_vma, vm_stat_account, vma_merge_neighbours, VM_ACCOUNT, VM_EXEC,
  VM_NORESERVE, VM_READ, VM_SHARED, VM_WRITE, type Vma,
} from './mmap.js';
import { walk_page_range } from './pagewalk.js';
import { PG } from './page_flags.js';
import { PAGE_MAPPING_ANON } from './rmap.js';

/** mprotect(addr, len, prot). Throws KernelError (EINVAL, ENOMEM, EACCES) with nothing changed. */
export function do_mprotect(sys: System, mm: MmStruct, start: number, len: number, protIn: number | string): void {
  const prot = parseProt(protIn);
  if (!Number.isSafeInteger(start)) throw new KernelError(`mprotect: address ${start} is not an exact integer address (EINVAL)`, 'EINVAL');
  if (start % 4096 || start < 0) throw new KernelError(`mprotect: 0x${start.toString(16)} is not page aligned (EINVAL)`, 'EINVAL');
  if (!Number.isSafeInteger(len) || len < 0) throw new KernelError(`mprotect: bad length ${len} (EINVAL)`, 'EINVAL');
  const end = start + Math.ceil(len / 4096) * 4096;
  if (end === start) return;
  if (end > mm.task_size) throw new KernelError('mprotect: range beyond TASK_SIZE (ENOMEM)', 'ENOMEM');
  // check the whole range first: no holes, VM_MAY* allow it
  let a = start;
  const newbits = calc_vm_prot_bits(prot);
  while (a < end) {
    const v = find_vma(mm, a);
    if (!v || v.vm_start > a) throw new KernelError(`mprotect: 0x${a.toString(16)} is not mapped (ENOMEM)`, 'ENOMEM');
    if (newbits & ~(v.vm_flags >> 4) & (VM_READ | VM_WRITE | VM_EXEC)) throw new KernelError('mprotect: protection not allowed by VM_MAY* (EACCES)', 'EACCES');
    a = v.vm_end;
  }
  a = start;
  while (a < end) {
    let v = find_vma(mm, a)!;
    const vEnd = Math.min(v.vm_end, end);
    const old = v.vm_flags;
    let nf = (old & ~(VM_READ | VM_WRITE | VM_EXEC)) | newbits;
    // mprotect_fixup: nothing to do (and no split) when the flags stay the same
    if (nf !== old) {
      if (nf & VM_WRITE) {
        if (!(old & (VM_ACCOUNT | VM_WRITE | VM_SHARED | VM_NORESERVE))) nf |= VM_ACCOUNT;
      } else if (old & VM_ACCOUNT && !v.vm_file && !v.anon_vma) {
        // an anonymous range with no pages yet gives its commit back
        nf &= ~VM_ACCOUNT;
      }
      // vma_modify_flags: split off the parts outside [a, vEnd), change the flags, then merge
      // with neighbours that have become compatible (same result as vma_merge_existing_range)
      if (v.vm_start < a) v = split_vma(mm, v, a);
      if (v.vm_end > vEnd) split_vma(mm, v, vEnd);
      vm_stat_account(mm, old, -v.pages);
      v.vm_flags = nf;
      vm_stat_account(mm, nf, v.pages);
      change_protection(sys, mm, v);
      vma_merge_neighbours(sys, mm, v);
    }
    a = vEnd;
  }
}

/** change_protection over a whole VMA with its (new) flags. */
export function change_protection(sys: System, mm: MmStruct, vma: Vma): void {
  const c = core(sys);
  const pg = c.pg;
  const tm = pg.tm;
  const pages = pagesOf(sys);
  const [prot, nx] = vm_get_page_prot(vma.vm_flags);
  const shared = (vma.vm_flags & VM_SHARED) !== 0;
  const wantsWrite = (vma.vm_flags & VM_WRITE) !== 0;
  // a shared writable VMA without write-notify (shmem) takes the write bit from its protection
  const direct = shared && wantsWrite && !vma_wants_writenotify(vma);
  const keep = _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_SPECIAL;
  let changed = false;
  walk_page_range(pg, mm.pgd, vma.vm_start, vma.vm_end, {
    pte_entry: (table, idx) => {
      const lo = tm.lo(table, idx);
      const hi = tm.hi(table, idx);
      if (!(lo & (_PAGE_PRESENT | _PAGE_PROTNONE))) return;
      const pfn = entryPfn(lo, hi);
      let nlo = (lo & ~0xfff) | (lo & keep) | (prot & ~(_PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY));
      if (direct && nlo & _PAGE_PRESENT) nlo |= _PAGE_RW;
      else if (wantsWrite && !(lo & _PAGE_SPECIAL) && nlo & _PAGE_PRESENT) {
        // can_change_pte_writable
        const ok = shared ? (lo & _PAGE_DIRTY) !== 0 : (pages.mapping[pfn] & PAGE_MAPPING_ANON) !== 0 && (pages.flags[pfn] & (1 << PG.anon_exclusive)) !== 0;
        if (ok) nlo |= _PAGE_RW;
      }
      const nhi = pg.g.hasNX ? (hi & ~_PAGE_NX_HI) | (nx && nlo & _PAGE_PRESENT ? _PAGE_NX_HI : 0) : hi;
      if (nlo !== lo || nhi !== hi) {
        tm.set(table, idx, nlo >>> 0, nhi >>> 0);
        changed = true;
      }
    },
  });
  if (changed) pg.flush_tlb_mm_range(mm, vma.vm_start, vma.vm_end);
}

/** Bits pte_modify replaces (for documentation and views). */
export const PTE_PROT_BITS = _PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_GLOBAL;
