import { describe, expect, it } from 'vitest';
import { vmSystem } from './paging-helpers.js';

function vmstat(sys: { read(p: string): string }, key: string): number {
  const m = new RegExp(`^${key} (\\d+)$`, 'm').exec(sys.read('/proc/vmstat'));
  return m ? Number(m[1]) : NaN;
}

describe('file mappings', () => {
  it('reads file pages with a major fault, then minor ones from the cache', () => {
    const sys = vmSystem();
    const data = new Uint8Array(3 * 4096).map((_, i) => (i * 7) & 0xff);
    const f = sys.createFile('/usr/lib/libdemo.so', data);
    const t = sys.spawn('reader');
    const maj0 = vmstat(sys, 'pgmajfault');
    const a = t.mmap(0, 3 * 4096, 'r', 'private', { file: f });
    expect(Array.from(t.read(a + 4096, 4))).toEqual(Array.from(data.subarray(4096, 4100)));
    expect(t.maj_flt).toBe(1);
    const u = sys.spawn('other');
    const b = u.mmap(0, 3 * 4096, 'r', 'private', { file: f });
    u.read(b + 4096, 1);
    expect(u.maj_flt).toBe(0);
    expect(u.min_flt).toBe(1);
    expect(vmstat(sys, 'pgmajfault') - maj0).toBe(1);
    expect(sys.translate(t, a + 4096).pfn).toBe(sys.translate(u, b + 4096).pfn);
    sys.validate();
  });

  it('private writes copy, shared writes are seen by every mapper', () => {
    const sys = vmSystem();
    const f = sys.createFile('/data/shared.bin', new Uint8Array(8192).fill(3));
    const p = sys.spawn('p');
    const q = sys.spawn('q');
    const ps = p.mmap(0, 8192, 'rw', 'shared', { file: f });
    const qs = q.mmap(0, 8192, 'rw', 'shared', { file: f });
    const pp = p.mmap(0, 8192, 'rw', 'private', { file: f });
    p.write(ps, [9]);
    expect(q.read(qs, 1)[0]).toBe(9);
    p.write(pp + 4096, [7]);
    expect(q.read(qs + 4096, 1)[0]).toBe(3);
    expect(p.read(pp + 4096, 1)[0]).toBe(7);
    const c = p.fork();
    c.write(ps + 1, [5]); // shared mapping stays shared after fork
    expect(q.read(qs + 1, 1)[0]).toBe(5);
    sys.validate();
  });

  it('raises SIGBUS beyond the end of the file', () => {
    const sys = vmSystem();
    const f = sys.createFile('/tmp/short', 100);
    const t = sys.spawn('bus');
    const a = t.mmap(0, 8192, 'r', 'private', { file: f });
    expect(t.read(a + 99, 1)[0]).toBe(0);
    expect(() => t.read(a + 4096, 1)).toThrow(/SIGBUS/);
  });

  it('shared anonymous memory is a /dev/zero (deleted) mapping shared across fork', () => {
    const sys = vmSystem();
    const t = sys.spawn('shm');
    const a = t.mmap(0, 4096, 'rw', 'shared|anonymous');
    const c = t.fork();
    c.write(a, [42]);
    expect(t.read(a, 1)[0]).toBe(42);
    expect(sys.read(`/proc/${t.pid}/maps`)).toMatch(/rw-s 00000000 00:01 \d+ +\/dev\/zero \(deleted\)\n/);
  });
});

describe('faults and counters', () => {
  it('grows the stack downwards and keeps PROT_NONE data', () => {
    const sys = vmSystem();
    const t = sys.spawn('st');
    const stack = t.mm!.vmas.find((v) => v.vm_flags & 0x100)!;
    const below = stack.vm_start - 10 * 4096;
    t.write(below, [1]);
    expect(stack.vm_start).toBe(below);
    const a = t.mmap(0, 4096, 'rw', 'private|anonymous');
    t.write(a, [77]);
    t.mprotect(a, 4096, 'none');
    expect(() => t.read(a, 1)).toThrow(/SIGSEGV/);
    t.mprotect(a, 4096, 'r');
    expect(t.read(a, 1)[0]).toBe(77);
    sys.validate();
  });

  it('counts pgfault, AnonPages and PageTables in /proc', () => {
    const sys = vmSystem('pc-4g');
    const m = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(sys.read('/proc/meminfo'))![1]);
    const pf0 = vmstat(sys, 'pgfault');
    const anon0 = m('AnonPages');
    const pt0 = m('PageTables');
    const t = sys.spawn('c');
    const a = t.mmap(0, 100 * 4096, 'rw', 'private|anonymous');
    sys.debug_vm = false;
    for (let i = 0; i < 100; i++) t.write(a + i * 4096, [1]);
    sys.validate();
    expect(vmstat(sys, 'pgfault') - pf0).toBe(100);
    expect(m('AnonPages') - anon0).toBe(400);
    expect(m('PageTables') - pt0).toBeGreaterThanOrEqual(16); // pgd + pud + pmd + pte pages
    t.exit();
    expect(m('AnonPages')).toBe(anon0);
    expect(m('PageTables')).toBe(pt0);
  });
});

describe('/proc/PID files', () => {
  it('prints maps exactly as the kernel does', () => {
    const sys = vmSystem();
    const t = sys.spawn('app');
    const a = t.mmap(0, 64 << 10, 'rw', 'private|anonymous');
    expect(a).toBe(0x7ffff7fff000 - (64 << 10));
    expect(sys.read(`/proc/${t.pid}/maps`)).toBe(
      '555555559000-55555557a000 rw-p 00000000 00:00 0                          [heap]\n' +
        '7ffff7fef000-7ffff7fff000 rw-p 00000000 00:00 0 \n' +
        '7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0                          [stack]\n',
    );
  });

  it('prints smaps and status with the kernel\'s fields', () => {
    const sys = vmSystem();
    const t = sys.spawn('app');
    const a = t.mmap(0, 4 * 4096, 'rw', 'private|anonymous');
    t.write(a, [1]);
    t.write(a + 4096, [1]);
    const c = t.fork();
    const sm = sys.read(`/proc/${t.pid}/smaps`);
    const block = sm.split('\n').slice(sm.split('\n').findIndex((l) => l.startsWith(a.toString(16))), undefined).slice(0, 25).join('\n');
    expect(block).toContain('Size:                 16 kB\nKernelPageSize:        4 kB\nMMUPageSize:           4 kB\nRss:                   8 kB\nPss:                   4 kB\nPss_Dirty:             4 kB\nShared_Clean:          0 kB\nShared_Dirty:          8 kB\n');
    expect(block).toContain('Private_Hugetlb:       0 kB\n');
    expect(block).toMatch(/VmFlags: rd wr mr mw me ac sd \n?/);
    const st = sys.read(`/proc/${c.pid}/status`);
    expect(st).toMatch(new RegExp(`^Name:\\tapp\\nUmask:\\t0022\\nState:\\tR \\(running\\)\\nTgid:\\t${c.pid}\\n`));
    expect(st).toContain(`PPid:\t${t.pid}\n`);
    expect(st).toMatch(/\nVmRSS:\t {7}8 kB\nRssAnon:\t {7}8 kB\nRssFile:\t {7}0 kB\nRssShmem:\t {7}0 kB\n/);
    expect(st).toMatch(/\nVmPTE:\t {6}\d\d kB\nVmSwap:\t {7}0 kB\nHugetlbPages:\t {7}0 kB\n/);
    expect(() => sys.read('/proc/999/maps')).toThrow(/No such file/);
  });
});

describe('reclaim and swap contract (rmap)', () => {
  it('folio_referenced clears young bits; try_to_unmap leaves swap entries that fault back in', async () => {
    const { folio_referenced, try_to_unmap, add_new_anon_rmap, set_user_pte, pte_table } = await import('../lib/mm/memory.js');
    const sys = vmSystem();
    const store = new Map<number, Uint8Array>();
    let nextSlot = 1;
    sys.mmcore.swap = {
      do_swap_page(task, vma, table, idx, addr, lo, _hi, write) {
        const slot = lo >>> 12;
        const b = (sys as unknown as { buddy: { alloc(g: number, o: number): number } }).buddy;
        const pfn = b.alloc(0x400cc0, 0);
        (sys as unknown as { pages: { _refcount: Int32Array } }).pages._refcount[pfn] = 1;
        sys.mem.pageForWrite(pfn).set(store.get(slot)!);
        store.delete(slot);
        sys.mmcore.pg.tm.set(table, idx, 0, 0);
        vma.mm.rss[2]--;
        add_new_anon_rmap(sys, vma, pfn, addr);
        set_user_pte(sys, vma, addr, pfn, write, write);
        if (task) task.maj_flt += 0;
        return 0x4;
      },
      free_swap_entry(lo) {
        store.delete(lo >>> 12);
      },
      swap_duplicate() {},
    };
    const t = sys.spawn('sw');
    const a = t.mmap(0, 2 * 4096, 'rw', 'private|anonymous');
    t.write(a, [11, 12, 13]);
    const pfn = sys.translate(t, a).pfn!;
    expect(folio_referenced(sys, pfn)).toBe(1);
    expect(folio_referenced(sys, pfn)).toBe(0);
    const pages = (sys as unknown as { pages: { _refcount: Int32Array } }).pages;
    pages._refcount[pfn]++; // the reclaimer's own reference
    const n = try_to_unmap(sys, pfn, () => {
      const slot = nextSlot++;
      store.set(slot, sys.mem.read(pfn * 4096, 4096));
      return [slot << 12, 0];
    });
    expect(n).toBe(1);
    pages._refcount[pfn]--;
    (sys as unknown as { buddy: { free(p: number, o: number): void } }).buddy.free(pfn, 0);
    expect(t.mm!.rss[2]).toBe(1);
    expect(sys.read(`/proc/${t.pid}/smaps`)).toMatch(/Swap: +4 kB/);
    sys.validate();
    expect(Array.from(t.read(a, 3))).toEqual([11, 12, 13]);
    expect(t.mm!.rss[2]).toBe(0);
    expect(pte_table(sys, t.mm!, a, false)).toBeGreaterThan(0);
    sys.validate();
  });
});
