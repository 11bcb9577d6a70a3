import { describe, expect, it } from 'vitest';
import { VmBugError } from '../lib/base/errors.js';
import { vmSystem } from './paging-helpers.js';

describe('translate', () => {
  it('returns a JSON-safe walk with indexes, entries and flags', () => {
    const sys = vmSystem();
    const t = sys.spawn('w');
    const a = t.mmap(0x7f0000000000, 4096, 'rw', 'private|anonymous|fixed');
    expect(a).toBe(0x7f0000000000);
    t.write(a + 8, [5]);
    sys.flush_tlb_all();
    const r = sys.translate(t, a + 8, 'read');
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    expect(r.tlb).toBe('miss');
    expect(r.levels.map((l) => [l.level, l.index, l.bits])).toEqual([['pgd', 254, [39, 47]], ['pud', 0, [30, 38]], ['pmd', 0, [21, 29]], ['pte', 0, [12, 20]]]);
    expect(r.folded).toEqual(['p4d']);
    expect(r.levels[3].entry).toMatch(/^80000000[0-9a-f]{5}067$/); // NX | present rw user accessed dirty
    expect(r.phys).toMatch(/^0x[0-9a-f]+008$/);
  });

  it('reports non-canonical addresses and missing levels', () => {
    const sys = vmSystem();
    const t = sys.spawn('n');
    const r = sys.translate(t, 0x800000000000);
    expect(r.fault).toMatchObject({ kind: 'non-canonical' });
    const r2 = sys.translate(t, 0x100000000);
    expect(r2.fault!.kind).toBe('not-present');
    expect(r2.fault!.error_code).toBe(4);
  });

  it('enforces SMEP and SMAP for kernel-mode accesses to user pages', () => {
    const sys = vmSystem();
    const t = sys.spawn('s');
    const a = t.mmap(0, 4096, 'rwx', 'private|anonymous');
    t.write(a, [0x90]);
    expect(sys.translate(t, a, 'exec', { mode: 'kernel' }).fault!.reason).toMatch(/SMEP/);
    expect(sys.translate(t, a, 'read', { mode: 'kernel' }).fault!.reason).toMatch(/SMAP/);
    sys.mmcore.pg.smap = false;
    expect(sys.translate(t, a, 'read', { mode: 'kernel' }).fault).toBeNull();
    expect(sys.translate(t, a, 'exec').fault).toBeNull();
  });

  it('sets accessed on the way down and dirty only on writes', () => {
    const sys = vmSystem();
    const t = sys.spawn('a');
    const a = t.mmap(0, 4096, 'rw', 'private|anonymous');
    t.write(a, [1]);
    const pg = sys.mmcore.pg;
    // clear A and D in the PTE as reclaim would, then flush
    const leaf = sys.translate(t, a).levels.at(-1)!;
    const idx = leaf.index;
    pg.tm.set(leaf.table_pfn, idx, pg.tm.lo(leaf.table_pfn, idx) & ~0x60, pg.tm.hi(leaf.table_pfn, idx));
    sys.flush_tlb_page(t, a);
    expect(sys.translate(t, a, 'read').levels.at(-1)!.flags).not.toContain('dirty');
    expect(sys.translate(t, a, 'read').levels.at(-1)!.flags).toContain('accessed');
  });

  it('walks five levels with LA57, two on i386, three with PAE (PSE leaves for lowmem)', () => {
    const la57 = vmSystem({ arch: 'x86_64', memory: '64M', la57: true });
    const t = la57.spawn('x');
    const a = t.mmap(0, 4096, 'rw', 'private|anonymous');
    t.write(a, [1]);
    expect(la57.translate(t, a).levels.map((l) => l.level)).toEqual(['pgd', 'p4d', 'pud', 'pmd', 'pte']);
    const i386 = vmSystem({ arch: 'i386', memory: '64M' });
    const k = i386.translate(null, 0xc0400000 + 0x123);
    expect(k.page_size).toBe(4 << 20);
    expect(k.levels).toHaveLength(1);
    expect(k.levels[0].entry).toHaveLength(8);
    const pae = vmSystem({ arch: 'i386', memory: '64M', pae: true });
    const k2 = pae.translate(null, 0xc0200000);
    expect(k2.page_size).toBe(2 << 20);
    expect(k2.levels.map((l) => l.level)).toEqual(['pgd', 'pmd']);
  });

  it('the validators catch a broken mapcount, a leaked table and a stale TLB entry', () => {
    const sys = vmSystem();
    const t = sys.spawn('v');
    const a = t.mmap(0, 4096, 'rw', 'private|anonymous');
    t.write(a, [1]);
    const pfn = sys.translate(t, a).pfn!;
    const pages = (sys as unknown as { pages: { mapcount: Int32Array } }).pages;
    pages.mapcount[pfn]++;
    expect(() => sys.validate()).toThrow(/mapcount/);
    pages.mapcount[pfn]--;
    sys.validate();
    // a stale TLB entry: clear the PTE behind the TLB's back
    const leaf = sys.translate(t, a).levels.at(-1)!;
    const pg = sys.mmcore.pg;
    const save = [pg.tm.lo(leaf.table_pfn, leaf.index), pg.tm.hi(leaf.table_pfn, leaf.index)];
    pg.tm.set(leaf.table_pfn, leaf.index, 0, 0);
    expect(() => sys.validate()).toThrow(VmBugError);
    pg.tm.set(leaf.table_pfn, leaf.index, save[0], save[1]);
    sys.validate();
    const leaked = pg.allocTable(t.mm!.ctx_id);
    expect(() => sys.validate()).toThrow(/leaked/);
    pg.freeTable(leaked);
    sys.validate();
  });
});
