import { describe, expect, it } from 'vitest';
import { KernelError } from '../lib/base/errors.js';
import { GEOMETRY_I386, GEOMETRY_I386_PAE, GEOMETRY_X86_64, GEOMETRY_X86_64_LA57, isCanonical, pgIndex } from '../lib/arch/x86/pgtable.js';
import { pagesInUse, vmSystem } from './paging-helpers.js';

describe('page-table geometry', () => {
  it('names and splits the levels like Linux', () => {
    expect(GEOMETRY_X86_64.walk.map((l) => l.name)).toEqual(['pgd', 'pud', 'pmd', 'pte']);
    expect(GEOMETRY_X86_64.levels.filter((l) => l.folded).map((l) => l.name)).toEqual(['p4d']);
    expect(GEOMETRY_X86_64_LA57.walk.map((l) => [l.name, l.shift])).toEqual([['pgd', 48], ['p4d', 39], ['pud', 30], ['pmd', 21], ['pte', 12]]);
    expect(GEOMETRY_I386.walk.map((l) => [l.name, l.bits])).toEqual([['pgd', 10], ['pte', 10]]);
    expect(GEOMETRY_I386_PAE.walk.map((l) => [l.name, l.bits])).toEqual([['pgd', 2], ['pmd', 9], ['pte', 9]]);
  });
  it('indexes addresses, kernel ones included', () => {
    const [pgd, pud, pmd, pte] = GEOMETRY_X86_64.walk;
    const a = 0x7f0000001000;
    expect([pgIndex(a, pgd), pgIndex(a, pud), pgIndex(a, pmd), pgIndex(a, pte)]).toEqual([254, 0, 0, 1]);
    const k = -0x778000000000; // 0xffff888000000000
    expect(pgIndex(k, pgd)).toBe(273);
    expect(isCanonical(GEOMETRY_X86_64, 2 ** 47)).toBe(false);
    expect(isCanonical(GEOMETRY_X86_64, k)).toBe(true);
  });
});

describe('tasks, faults and page tables', () => {
  it('spawns a task with [heap] and [stack] and demand-pages anonymous memory', () => {
    const sys = vmSystem();
    const t = sys.spawn('app');
    expect(t.mm!.vmas.length).toBe(2);
    const base = t.mmap(0, 64 << 10, 'rw', 'private|anonymous');
    expect(base % 4096).toBe(0);
    expect(t.read(base, 4)).toEqual(new Uint8Array(4));
    t.write(base + 10, new Uint8Array([1, 2, 3]));
    expect(Array.from(t.read(base + 10, 3))).toEqual([1, 2, 3]);
    expect(t.min_flt).toBe(2); // zero page read, then the write fault replacing it
    const r = sys.translate(t, base + 10);
    expect(r.tlb).toBe('l1');
    expect(r.levels.map((l) => l.level)).toEqual(['pgd', 'pud', 'pmd', 'pte']);
    expect(r.levels[3].flags).toEqual(expect.arrayContaining(['present', 'rw', 'user', 'accessed', 'dirty', 'nx']));
    expect(r.fault).toBeNull();
    sys.validate();
  });

  it('faults with SIGSEGV on bad accesses and logs the kernel line', () => {
    const sys = vmSystem();
    const t = sys.spawn('bad');
    const ro = t.mmap(0, 4096, 'r', 'private|anonymous');
    expect(() => t.write(ro, [1])).toThrow(/SIGSEGV/);
    expect(() => t.read(0x1000, 1)).toThrow(KernelError);
    const log = (sys as unknown as { dmesg?: string[] }).dmesg;
    if (Array.isArray(log)) expect(log.join('\n')).toMatch(/bad\[\d+\]: segfault at 1000 ip 0000000000000000 sp 0000000000000000 error 4/);
    expect(() => t.exec(ro)).toThrow(/NX/);
  });

  it('copy-on-write after fork keeps both sides\' bytes and frees everything at exit', () => {
    const sys = vmSystem();
    const before = pagesInUse(sys);
    const p = sys.spawn('parent');
    const a = p.mmap(0, 8 * 4096, 'rw', 'private|anonymous');
    p.write(a, new Uint8Array([7, 7, 7]));
    p.write(a + 4096, new Uint8Array([9]));
    const c = p.fork();
    expect(Array.from(c.read(a, 3))).toEqual([7, 7, 7]);
    c.write(a, new Uint8Array([1]));
    expect(p.read(a, 1)[0]).toBe(7);
    expect(c.read(a, 1)[0]).toBe(1);
    p.write(a + 4096, new Uint8Array([5]));
    expect(c.read(a + 4096, 1)[0]).toBe(9);
    c.exit();
    // the parent is the only owner again: its write reuses the page in place
    const pfnBefore = sys.translate(p, a).pfn;
    p.write(a, new Uint8Array([8]));
    expect(sys.translate(p, a).pfn).toBe(pfnBefore);
    p.exit();
    sys.validate();
    expect(pagesInUse(sys)).toBe(before);
  });

  it('munmap, mprotect, mremap and brk split and merge VMAs as the kernel does', () => {
    const sys = vmSystem();
    const t = sys.spawn('vm');
    const a = t.mmap(0, 16 * 4096, 'rw', 'private|anonymous');
    for (let i = 0; i < 16; i++) t.write(a + i * 4096, [i + 1]);
    const n0 = t.mm!.vmas.length;
    t.mprotect(a + 4 * 4096, 4096, 'r');
    expect(t.mm!.vmas.length).toBe(n0 + 2);
    t.mprotect(a + 4 * 4096, 4096, 'rw');
    expect(t.mm!.vmas.length).toBe(n0);
    t.munmap(a + 8 * 4096, 4096);
    expect(t.mm!.vmas.length).toBe(n0 + 1);
    expect(() => t.read(a + 8 * 4096, 1)).toThrow(/SIGSEGV/);
    const b = t.mremap(a, 8 * 4096, 32 * 4096, 'maymove');
    for (let i = 0; i < 8; i++) expect(t.read(b + i * 4096, 1)[0]).toBe(i + 1);
    for (let i = 9; i < 16; i++) expect(t.read(a + i * 4096, 1)[0]).toBe(i + 1);
    const brk0 = t.brk();
    expect(t.brk(brk0 + 8192)).toBe(brk0 + 8192);
    t.write(brk0, [42]);
    expect(t.brk(brk0)).toBe(brk0);
    t.exit();
    sys.validate();
  });

  it('refuses bad input before changing anything', () => {
    const sys = vmSystem();
    const t = sys.spawn('x');
    const n = t.mm!.vmas.length;
    expect(() => t.mmap(0, 0, 'rw', 'private|anonymous')).toThrow(/EINVAL/);
    expect(() => t.mmap(0, 4096, 'rw', 'anonymous')).toThrow(/MAP_SHARED/);
    expect(() => t.munmap(123, 4096)).toThrow(/aligned/);
    const a = t.mmap(0, 4096, 'rw', 'private|anonymous');
    expect(() => t.mprotect(a, 8192, 'r')).toThrow(/ENOMEM/);
    expect(t.mm!.vmas.length).toBe(n + 1);
  });
});

describe('architectures', () => {
  for (const cfg of [
    { arch: 'i386' as const, memory: '64M' },
    { arch: 'i386' as const, memory: '64M', pae: true },
    { arch: 'x86_64' as const, memory: '64M', la57: true },
  ]) {
    it(`walks ${cfg.arch}${cfg.pae ? ' PAE' : ''}${cfg.la57 ? ' LA57' : ''}`, () => {
      const sys = vmSystem(cfg);
      const t = sys.spawn('a');
      const a = t.mmap(0, 3 * 4096, 'rw', 'private|anonymous');
      t.write(a + 5, [0xab]);
      const c = t.fork();
      c.write(a + 5, [0xcd]);
      expect(t.read(a + 5, 1)[0]).toBe(0xab);
      const r = sys.translate(c, a + 5);
      expect(r.levels.length).toBe(sys.mmcore.pg.g.walk.length);
      expect(r.phys).not.toBeNull();
      c.exit();
      t.exit();
      sys.validate();
    });
  }
});

describe('the public API of DESIGN.md', () => {
  it('runs the example as written', async () => {
    const { createSystem } = await import('../lib/index.js');
    const sys = createSystem({ arch: 'x86_64', memory: '4G', nodes: 1, swap: '0', seed: 1 });
    const t = sys.spawn('app');
    const base = t.mmap(0, 64 << 20, 'rw', 'private|anonymous');
    t.write(base, new Uint8Array([1, 2, 3]));
    expect(Array.from(t.read(base, 3))).toEqual([1, 2, 3]);
    const child = t.fork();
    expect(Array.from(child.read(base, 3))).toEqual([1, 2, 3]);
    const r = sys.translate(t, base);
    expect(r.phys).not.toBeNull();
    const v = sys.vmalloc(5 * 4096)!;
    sys.vfree(v);
    sys.validate();
    expect(sys.read(`/proc/${t.pid}/status`)).toContain('VmRSS:');
  });
  it('prints i386 vmallocinfo with 32-bit addresses', () => {
    const sys = vmSystem('i386-highmem');
    const v = sys.vmalloc(8192)!;
    expect(sys.read('/proc/vmallocinfo')).toContain(`0x${v.toString(16).padStart(8, '0')}-0x${(v + 3 * 4096).toString(16)}   12288 pages=2 vmalloc N0=2\n`);
  });
});
