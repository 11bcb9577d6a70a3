/**
 * VMA merging as Linux 6.12 does it (mprotect_fixup / vma_modify_flags, vma_merge_new_range,
 * is_mergeable_anon_vma), shmem first touches as minor faults, and LA57 addresses above the
 * 47-bit mmap window.
 */
import { describe, expect, it } from 'vitest';
import { KernelError } from '../lib/base/errors.js';
import type { Task } from '../lib/kernel/fork.js';
import { VM_ACCOUNT } from '../lib/mm/mmap.js';
import { vmSystem } from './paging-helpers.js';

const P = 4096;

/** The VMAs of a task inside [base, base + pages*P) as [first page, end page, rwx] triples. */
function layout(t: Task, base: number, pages: number): [number, number, string][] {
  return t.mm!.vmas
    .filter((v) => v.vm_end > base && v.vm_start < base + pages * P)
    .map((v) => [(v.vm_start - base) / P, (v.vm_end - base) / P, (v.vm_flags & 1 ? 'r' : '-') + (v.vm_flags & 2 ? 'w' : '-') + (v.vm_flags & 4 ? 'x' : '-')]);
}

function vmstat(sys: { read(p: string): string }, key: string): number {
  const m = new RegExp(`^${key} (\\d+)$`, 'm').exec(sys.read('/proc/vmstat'));
  return m ? Number(m[1]) : NaN;
}

describe('mprotect splits only when flags change, and merges back', () => {
  it('leaves a VMA whole when the protection does not change', () => {
    const sys = vmSystem();
    const t = sys.spawn('same');
    const a = t.mmap(0, 8 * P, 'rw', 'private|anonymous');
    const n = t.mm!.vmas.length;
    t.mprotect(a + 2 * P, 3 * P, 'rw');
    expect(t.mm!.vmas.length).toBe(n);
    expect(layout(t, a, 8)).toEqual([[0, 8, 'rw-']]);
    sys.validate();
  });

  it('merges the middle back after mprotect r then rw (4 pages, as in Linux)', () => {
    const sys = vmSystem();
    const t = sys.spawn('mid');
    const a = t.mmap(0, 4 * P, 'rw', 'private|anonymous');
    t.mprotect(a + P, 2 * P, 'r');
    expect(layout(t, a, 4)).toEqual([[0, 1, 'rw-'], [1, 3, 'r--'], [3, 4, 'rw-']]);
    t.mprotect(a + P, 2 * P, 'rw');
    expect(layout(t, a, 4)).toEqual([[0, 4, 'rw-']]);
    sys.validate();
  });

  it('merges touched pieces (same anon_vma) and keeps their bytes', () => {
    const sys = vmSystem();
    const t = sys.spawn('touched');
    const a = t.mmap(0, 6 * P, 'rw', 'private|anonymous');
    for (let i = 0; i < 6; i++) t.write(a + i * P, [i + 1]);
    t.mprotect(a + 2 * P, 2 * P, 'r');
    // pages already faulted keep VM_ACCOUNT when turning read-only (they have an anon_vma)
    expect(t.mm!.find_vma(a + 2 * P)!.vm_flags & VM_ACCOUNT).toBe(VM_ACCOUNT);
    t.mprotect(a + 2 * P, 2 * P, 'rw');
    expect(layout(t, a, 6)).toEqual([[0, 6, 'rw-']]);
    for (let i = 0; i < 6; i++) expect(t.read(a + i * P, 1)[0]).toBe(i + 1);
    t.write(a + 3 * P, [99]);
    expect(t.read(a + 3 * P, 1)[0]).toBe(99);
    sys.validate();
  });

  it('changes only the VMAs that differ over a range spanning several', () => {
    const sys = vmSystem();
    const t = sys.spawn('span');
    const a = t.mmap(0, 10 * P, 'rw', 'private|anonymous');
    t.mprotect(a + 2 * P, 2 * P, 'r');
    t.mprotect(a + 6 * P, 2 * P, 'r');
    // [0,2) rw [2,4) r [4,6) rw [6,8) r [8,10) rw; making [3, 7) r joins the middle
    t.mprotect(a + 3 * P, 4 * P, 'r');
    expect(layout(t, a, 10)).toEqual([[0, 2, 'rw-'], [2, 8, 'r--'], [8, 10, 'rw-']]);
    t.mprotect(a, 10 * P, 'rw');
    expect(layout(t, a, 10)).toEqual([[0, 10, 'rw-']]);
    sys.validate();
  });

  it('drops VM_ACCOUNT of an untouched anonymous VMA turning read-only, restores it on rw', () => {
    const sys = vmSystem();
    const t = sys.spawn('acct');
    const a = t.mmap(0, 2 * P, 'rw', 'private|anonymous');
    t.mprotect(a, 2 * P, 'r');
    expect(t.mm!.find_vma(a)!.vm_flags & VM_ACCOUNT).toBe(0);
    t.mprotect(a, 2 * P, 'rw');
    expect(t.mm!.find_vma(a)!.vm_flags & VM_ACCOUNT).toBe(VM_ACCOUNT);
  });

  it('refuses a merge between a faulted VMA and an untouched neighbour (is_mergeable_anon_vma)', () => {
    const sys = vmSystem();
    const t = sys.spawn('anon');
    const base = 0x7f0000000000;
    // untouched left, faulted right: the right one keeps its own VMA after becoming rw
    t.mmap(base, 2 * P, 'rw', 'private|anonymous|fixed');
    t.mmap(base + 2 * P, 2 * P, 'rwx', 'private|anonymous|fixed');
    t.write(base + 2 * P, [5]);
    t.mprotect(base + 2 * P, 2 * P, 'rw');
    expect(layout(t, base, 4)).toEqual([[0, 2, 'rw-'], [2, 4, 'rw-']]);
    // faulted left, untouched right: the range has no anon_vma yet and the left one links to
    // exactly one, so they merge
    const b2 = 0x7f0000100000;
    t.mmap(b2, 2 * P, 'rw', 'private|anonymous|fixed');
    t.write(b2, [6]);
    t.mmap(b2 + 2 * P, 2 * P, 'rwx', 'private|anonymous|fixed');
    t.mprotect(b2 + 2 * P, 2 * P, 'rw');
    expect(layout(t, b2, 4)).toEqual([[0, 4, 'rw-']]);
    expect(t.read(b2, 1)[0]).toBe(6);
    sys.validate();
  });

  it('does not merge a forked child\'s heap with its brk growth (anon_vma chain of two)', () => {
    const sys = vmSystem();
    const p = sys.spawn('heap');
    const b0 = p.brk();
    p.brk(b0 + 2 * P);
    p.write(b0, [1]);
    const c = p.fork('child');
    const heapVmas = (t: Task) => t.mm!.vmas.filter((v) => v.vm_start >= t.mm!.start_brk && v.vm_end <= t.mm!.brk + P).length;
    expect(heapVmas(c)).toBe(1);
    c.brk(b0 + 4 * P);
    expect(heapVmas(c)).toBe(2);
    p.brk(b0 + 4 * P);
    expect(heapVmas(p)).toBe(1);
    c.write(b0 + 3 * P, [2]);
    expect(c.read(b0, 1)[0]).toBe(1);
    sys.validate();
    c.exit();
    p.exit();
  });
});

describe('shared anonymous memory faults (shmem)', () => {
  it('counts the first touch as minor, without I/O, and accounts Shmem', () => {
    const sys = vmSystem();
    const t = sys.spawn('shm');
    const maj0 = vmstat(sys, 'pgmajfault');
    const shmem0 = vmstat(sys, 'nr_shmem');
    const a = t.mmap(0, 3 * P, 'rw', 'shared|anonymous');
    const ns = sys.clock.ns;
    expect(t.read(a, 1)[0]).toBe(0);
    t.write(a + P, [7]);
    expect(t.maj_flt).toBe(0);
    expect(t.min_flt).toBe(2); // a read of one page, a write to another: both minor
    // shmem needs no write-notify: the read mapped the page writable, so the write does not fault
    t.write(a, [1]);
    expect([t.min_flt, t.maj_flt]).toEqual([2, 0]);
    expect(sys.translate(t, a).levels[3].flags).toEqual(expect.arrayContaining(['rw', 'dirty']));
    expect(vmstat(sys, 'pgmajfault')).toBe(maj0);
    expect(vmstat(sys, 'nr_shmem') - shmem0).toBe(2);
    expect(sys.clock.ns - ns).toBeLessThan(100_000); // no disk read charged
    expect(sys.read(`/proc/${t.pid}/status`)).toMatch(/RssShmem:\s+8 kB/);
    const c = t.fork('child');
    c.read(a + P, 1);
    expect(c.maj_flt).toBe(0);
    expect(c.read(a + P, 1)[0]).toBe(7);
    sys.validate();
    c.exit();
    t.munmap(a, 3 * P);
    expect(vmstat(sys, 'nr_shmem')).toBe(shmem0);
    sys.validate();
  });

  it('still counts a file page read from disk as major, and write-notifies it', () => {
    const sys = vmSystem();
    const f = sys.createFile('/data/blob', 2 * P);
    const t = sys.spawn('file');
    const a = t.mmap(0, 2 * P, 'rw', 'shared', { file: f });
    t.read(a, 1);
    expect(t.maj_flt).toBe(1);
    t.write(a, [1]); // mapped read-only by the read fault: a minor write-notify fault
    expect([t.min_flt, t.maj_flt]).toEqual([1, 1]);
    expect(vmstat(sys, 'nr_shmem')).toBe(0);
  });

  it('mprotect back to rw makes shmem entries writable at once', () => {
    const sys = vmSystem();
    const t = sys.spawn('shmprot');
    const a = t.mmap(0, 2 * P, 'rw', 'shared|anonymous');
    t.read(a, 1);
    t.mprotect(a, 2 * P, 'r');
    expect(sys.translate(t, a).levels[3].flags).not.toContain('rw');
    t.mprotect(a, 2 * P, 'rw');
    const f0 = t.min_flt;
    t.write(a, [3]);
    expect(t.min_flt).toBe(f0);
    expect(t.read(a, 1)[0]).toBe(3);
    sys.validate();
  });
});

describe('LA57: mappings above the 47-bit window', () => {
  it('keeps the default window but takes MAP_FIXED and hints above 2^47', () => {
    const sys = vmSystem({ preset: 'tiny', la57: true });
    const t = sys.spawn('high');
    const low = t.mmap(0, P, 'rw', 'private|anonymous');
    expect(low).toBeLessThan(2 ** 47);
    const f = t.mmap(2 ** 48, 2 * P, 'rw', 'private|anonymous|fixed');
    expect(f).toBe(2 ** 48);
    t.write(f + P + 5, [3]);
    expect(t.read(f + P + 5, 1)[0]).toBe(3);
    const r = sys.translate(t, f + P);
    expect(r.levels.map((l) => l.level)).toEqual(['pgd', 'p4d', 'pud', 'pmd', 'pte']);
    expect(r.levels[0].index).toBe(1);
    const h = t.mmap(2 ** 52, P, 'rw', 'private|anonymous');
    expect(h).toBe(2 ** 52);
    t.write(h, [4]);
    // the highest exactly addressable page
    const top = t.mmap(2 ** 53 - P, P, 'r', 'private|anonymous|fixed');
    expect(t.read(top + P - 1, 1)[0]).toBe(0);
    t.mprotect(h, P, 'r');
    t.munmap(f, 2 * P);
    sys.validate();
    t.exit();
  });

  it('refuses with a clear KernelError what JS numbers cannot address exactly', () => {
    const sys = vmSystem({ preset: 'tiny', la57: true });
    const t = sys.spawn('huge');
    const n = t.mm!.vmas.length;
    expect(() => t.mmap(2 ** 54, P, 'rw', 'private|anonymous|fixed')).toThrow(/2\^53/);
    expect(() => t.mmap(2 ** 53 - P, 2 * P, 'rw', 'private|anonymous|fixed')).toThrow(KernelError);
    expect(() => t.mmap(2 ** 53 + 2, P, 'rw', 'private|anonymous')).toThrow(/not page aligned/);
    // an occupied hint above the window: Linux searches up to TASK_SIZE, far above 2^53
    t.mmap(2 ** 50, P, 'rw', 'private|anonymous');
    expect(() => t.mmap(2 ** 50, P, 'rw', 'private|anonymous')).toThrow(/2\^53/);
    expect(t.mm!.vmas.length).toBe(n + 1);
    // beyond TASK_SIZE (2^56 - 4096) is ENOMEM, as in Linux
    try {
      t.mmap(2 ** 56, P, 'rw', 'private|anonymous|fixed');
      expect.unreachable();
    } catch (e) {
      expect((e as KernelError).errno).toBe('ENOMEM');
    }
    sys.validate();
  });

  it('still rejects addresses above 47 bits with 4-level paging', () => {
    const sys = vmSystem();
    const t = sys.spawn('four');
    expect(() => t.mmap(2 ** 47, P, 'rw', 'private|anonymous|fixed')).toThrow(/ENOMEM/);
    const h = t.mmap(2 ** 48, P, 'rw', 'private|anonymous');
    expect(h).toBeLessThan(2 ** 47);
  });
});
