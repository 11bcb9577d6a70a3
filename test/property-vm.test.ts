/**
 * Property test of the VM: seeded random sequences of mmap, munmap, mprotect, mremap, brk,
 * fork, exit, reads and writes, with every invariant validated after each step (debug_vm) and
 * every byte read back equal to what the model says was written.
 */
import { describe, expect, it } from 'vitest';
import type { Task } from '../lib/kernel/fork.js';
import { VM_READ, VM_WRITE } from '../lib/mm/mmap.js';
import { pagesInUse, vmSystem } from './paging-helpers.js';

function xorshift(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

type Shadow = Map<number, number>;

function runSequence(seed: number, steps: number, cfg: { la57?: boolean; [k: string]: unknown }): void {
  const sys = vmSystem(cfg);
  const high = cfg.la57 === true;
  let highMaps = 0;
  const before = pagesInUse(sys);
  const rnd = xorshift(seed);
  const pick = <T>(xs: T[]): T => xs[rnd() % xs.length];
  const tasks: { t: Task; mem: Shadow }[] = [];
  const spawn = () => tasks.push({ t: sys.spawn(`p${tasks.length}`), mem: new Map() });
  const files = [0, 1].map((i) => sys.createFile(`/data/f${i}`, new Uint8Array(8 * 4096).map((_, k) => (k * (i + 3) + 1) & 0xff)));
  // the byte a never-written address reads: the file's byte for file mappings, else 0
  const backing = (t: Task, addr: number): number => {
    const v = t.mm!.find_vma(addr)!;
    if (!v.vm_file || v.vm_file.path.startsWith('/dev/zero')) return 0;
    const off = v.vm_pgoff * 4096 + (addr - v.vm_start);
    return off < v.vm_file.size ? v.vm_file.data[off] : 0;
  };
  spawn();
  const dropRange = (mem: Shadow, s: number, e: number) => {
    for (const k of [...mem.keys()]) if (k >= s && k < e) mem.delete(k);
  };
  for (let step = 0; step < steps; step++) {
    const op = rnd() % 14;
    const cur = pick(tasks);
    const { t, mem } = cur;
    const vmas = t.mm!.vmas;
    const v = vmas.length ? pick(vmas) : null;
    if (op === 0 && tasks.length < 4) spawn();
    else if (op === 1) {
      const len = (1 + (rnd() % 12)) * 4096;
      const prot = pick(['rw', 'r', 'rw', 'rwx']);
      if (high && rnd() % 2) {
        // LA57: a hint above the 47-bit window; an occupied one sends Linux's search up to
        // TASK_SIZE, beyond what JS numbers address exactly: refused, nothing changed
        const hint = 2 ** 48 + (rnd() % 4096) * 2 ** 20;
        const n = t.mm!.vmas.length;
        try {
          expect(t.mmap(hint, len, prot, 'private|anonymous')).toBe(hint);
          highMaps++;
        } catch (e) {
          expect(String(e)).toMatch(/2\^53/);
          expect(t.mm!.vmas.length).toBe(n);
        }
      } else {
        t.mmap(0, len, prot, 'private|anonymous');
      }
    } else if (op === 2 && v && vmas.length > 2) {
      const pages = v.pages;
      const s = v.vm_start + (rnd() % pages) * 4096;
      const n = 1 + (rnd() % Math.max(1, (v.vm_end - s) / 4096));
      t.munmap(s, n * 4096);
      dropRange(mem, s, s + n * 4096);
    } else if (op === 3 && v) {
      const s = v.vm_start + (rnd() % v.pages) * 4096;
      const n = 1 + (rnd() % Math.max(1, (v.vm_end - s) / 4096));
      const prot = pick(['r', 'rw', 'none', 'rw']);
      t.mprotect(s, n * 4096, prot);
      // mprotect_fixup: the same protection again changes nothing (no split)
      const snap = () => t.mm!.vmas.map((x) => [x.vm_start, x.vm_end, x.vm_flags]);
      const once = snap();
      t.mprotect(s, n * 4096, prot);
      expect(snap()).toEqual(once);
    } else if ((op === 4 || op === 5 || op === 6) && v) {
      const addr = v.vm_start + (rnd() % (v.vm_end - v.vm_start));
      const len = Math.min(1 + (rnd() % 64), v.vm_end - addr);
      const bytes = new Uint8Array(len).map(() => 1 + (rnd() % 255));
      if (v.vm_flags & VM_WRITE) {
        t.write(addr, bytes);
        bytes.forEach((b, i) => mem.set(addr + i, b));
      } else {
        expect(() => t.write(addr, bytes)).toThrow(/SIGSEGV/);
      }
    } else if ((op === 7 || op === 8) && v) {
      const addr = v.vm_start + (rnd() % (v.vm_end - v.vm_start));
      const len = Math.min(1 + (rnd() % 64), v.vm_end - addr);
      if (v.vm_flags & (VM_READ | VM_WRITE)) {
        const got = t.read(addr, len);
        for (let i = 0; i < len; i++) expect(got[i], `pid ${t.pid} at ${(addr + i).toString(16)}`).toBe(mem.get(addr + i) ?? backing(t, addr + i));
      } else {
        expect(() => t.read(addr, len)).toThrow(/SIGSEGV/);
      }
    } else if (op === 9 && tasks.length < 5) {
      const c = t.fork();
      tasks.push({ t: c, mem: new Map(mem) });
    } else if (op === 10 && tasks.length > 1) {
      t.exit();
      tasks.splice(tasks.indexOf(cur), 1);
    } else if (op === 12) {
      const f = pick(files);
      const pages = 1 + (rnd() % 8);
      const off = rnd() % (9 - pages);
      t.mmap(0, pages * 4096, pick(['r', 'rw']), 'private', { file: f, offset: off * 4096 });
    } else if (op === 13) {
      const mm = t.mm!;
      const nb = mm.brk + ((rnd() % 9) - 4) * 4096;
      const old = mm.brk;
      const got = t.brk(nb);
      if (got < old) dropRange(mem, Math.ceil(got / 4096) * 4096, Math.ceil(old / 4096) * 4096);
    } else if (op === 11 && v && !(v.vm_flags & 0x100)) {
      const oldLen = v.vm_end - v.vm_start;
      const newLen = Math.max(4096, oldLen + (((rnd() % 9) - 4) * 4096));
      const old = v.vm_start;
      const to = t.mremap(old, oldLen, newLen, 'maymove');
      const moved: [number, number][] = [];
      for (const [k, b] of mem) if (k >= old && k < old + oldLen) moved.push([k, b]);
      dropRange(mem, old, old + oldLen);
      for (const [k, b] of moved) if (k - old < newLen) mem.set(k - old + to, b);
    }
    sys.validate();
  }
  if (high) expect(highMaps).toBeGreaterThan(2);
  // final check of every written byte that is still mapped and readable
  for (const { t, mem } of tasks) {
    for (const [k, b] of mem) {
      const vv = t.mm!.find_vma(k);
      if (vv && vv.vm_start <= k && vv.vm_flags & (VM_READ | VM_WRITE)) expect(t.read(k, 1)[0]).toBe(b);
      void backing;
    }
  }
  for (const { t } of tasks) t.exit();
  sys.validate();
  // what is left is the page cache of the two files
  expect(pagesInUse(sys)).toBe(before + files.reduce((n, f) => n + f.i_mapping.nrpages, 0));
}

describe('random VM operation sequences (validated every step)', () => {
  for (const seed of [1, 2, 3, 4]) {
    it(`x86-64 seed ${seed}`, () => runSequence(seed * 7919, 160, { preset: 'tiny' }));
  }
  it('x86-64 LA57 (mappings above 2^47)', () => runSequence(4242, 160, { preset: 'tiny', la57: true }));
  it('i386 PAE', () => runSequence(99, 120, { arch: 'i386', memory: '64M', pae: true }));
  it('i386', () => runSequence(77, 120, { arch: 'i386', memory: '64M' }));
});
