import { describe, expect, it } from 'vitest';
import { Tlb, TlbArray, TLB_NR_DYN_ASIDS } from '../lib/arch/x86/tlb.js';
import { vmSystem } from './paging-helpers.js';

describe('TLB arrays', () => {
  it('is set-associative with true LRU within a set', () => {
    const t = new TlbArray('t', { entries: 64, ways: 4 });
    // five pages in set 3
    const keys = [3, 19, 35, 51, 67];
    for (const k of keys.slice(0, 4)) t.insert(k, 12, 0, k + 1000, 0);
    expect(t.lookup(3, 12, 0)).toBeGreaterThanOrEqual(0); // 3 is now most recent
    t.insert(67, 12, 0, 1067, 0); // evicts 19, the least recently used
    expect(t.lookup(19, 12, 0)).toBe(-1);
    expect(t.lookup(3, 12, 0)).toBeGreaterThanOrEqual(0);
    expect(t.lookup(35, 12, 1)).toBe(-1); // another ASID does not match
  });
});

describe('the MMU TLB', () => {
  it('keeps a context\'s entries across switches with PCID, loses them without', () => {
    for (const pcid of [true, false]) {
      const sys = vmSystem();
      (sys.tlb.config as { pcid: boolean }).pcid = pcid;
      const a = sys.spawn('a');
      const b = sys.spawn('b');
      const pa = a.mmap(0, 4096, 'rw', 'private|anonymous');
      const pb = b.mmap(0, 4096, 'rw', 'private|anonymous');
      a.write(pa, [1]);
      b.write(pb, [2]);
      expect(sys.translate(a, pa).tlb).toBe(pcid ? 'l1' : 'miss');
    }
  });

  it('recycles the oldest of TLB_NR_DYN_ASIDS address spaces', () => {
    const sys = vmSystem();
    const ts = Array.from({ length: TLB_NR_DYN_ASIDS + 1 }, (_, i) => sys.spawn(`t${i}`));
    const addrs = ts.map((t) => t.mmap(0, 4096, 'rw', 'private|anonymous'));
    ts.forEach((t, i) => t.write(addrs[i], [i]));
    // the seventh context took the ASID of the oldest one, flushing it
    expect(sys.translate(ts[0], addrs[0]).tlb).toBe('miss');
    expect(sys.translate(ts[6], addrs[6]).tlb).toBe('l1');
  });

  it('flushes single pages up to 33 pages, the whole mm beyond', () => {
    const sys = vmSystem();
    const t = sys.spawn('f');
    const a = t.mmap(0, 64 * 4096, 'rw', 'private|anonymous');
    for (let i = 0; i < 40; i++) t.write(a + i * 4096, [i]);
    const st = sys.tlb.stats;
    const pf = st.page_flushes;
    const ff = st.full_flushes;
    sys.flush_tlb_range(t, a, a + 33 * 4096);
    expect(st.page_flushes - pf).toBe(33);
    sys.flush_tlb_range(t, a, a + 34 * 4096);
    expect(st.full_flushes - ff).toBe(1);
  });

  it('keeps global kernel entries across CR3 switches until flush_tlb_all', () => {
    const sys = vmSystem('pc-4g');
    const a = sys.spawn('a');
    const b = sys.spawn('b');
    const kva = sys.layout.page_offset + 0x40001000;
    const r = sys.translate(null, kva);
    expect(r.fault).toBeNull();
    expect(r.page_size).toBe(2 ** 30);
    expect(r.levels.at(-1)!.flags).toEqual(expect.arrayContaining(['global', 'pse', 'nx']));
    const pb = b.mmap(0, 4096, 'rw', 'private|anonymous');
    b.write(pb, [1]);
    expect(sys.translate(a, kva, 'read', { mode: 'kernel' }).tlb).toBe('l1');
    sys.flush_tlb_all();
    expect(sys.translate(a, kva, 'read', { mode: 'kernel' }).tlb).toBe('miss');
  });

  it('a write through a clean entry walks to set the dirty bit', () => {
    const sys = vmSystem();
    const t = sys.spawn('d');
    const a = t.mmap(0, 8192, 'rw', 'private|anonymous');
    t.write(a, [1]);
    const c = t.fork(); // write-protects and cleans nothing in the parent, but flushes it
    c.exit();
    t.read(a, 1);
    const w0 = sys.tlb.stats.walks;
    t.write(a, [2]);
    expect(sys.tlb.stats.walks).toBeGreaterThan(w0);
    expect(sys.translate(t, a, 'write').levels.at(-1)!.flags).toContain('dirty');
  });

  it('reports a snapshot with hit rates and the ASID slots', () => {
    const t = new Tlb();
    const s = t.inspect();
    expect(s.arrays[0]).toMatchObject({ name: 'dTLB-4K', sets: 16, ways: 4 });
    expect(s.asids).toHaveLength(TLB_NR_DYN_ASIDS);
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });
});

describe('CPU features from the command line', () => {
  it('clearcpuid=pcid,smap turns PCID and SMAP off', () => {
    const sys = vmSystem({ preset: 'tiny', cmdline: 'clearcpuid=pcid,smap' });
    expect(sys.tlb.config.pcid).toBe(false);
    expect(sys.mmcore.pg.smap).toBe(false);
    expect(sys.mmcore.pg.smep).toBe(true);
  });
});

describe('TLB geometry experiments', () => {
  it('a fully associative 64-entry TLB keeps 64 pages that conflict in a 4-way one', () => {
    const run = (ways: number) => {
      const sys = vmSystem();
      sys.configureTlb({ l1_4k: { entries: 64, ways }, l2: { entries: 0, ways: 1 } });
      const t = sys.spawn('g');
      const a = t.mmap(0, 256 * 4096, 'rw', 'private|anonymous');
      const pages = Array.from({ length: 8 }, (_, i) => a + i * 16 * 4096); // all in one set of a 16-set TLB
      for (const p of pages) t.write(p, [1]);
      const h0 = sys.tlb.stats.l1_hits;
      for (let k = 0; k < 3; k++) for (const p of pages) t.read(p, 1);
      return sys.tlb.stats.l1_hits - h0;
    };
    expect(run(4)).toBe(0); // 8 pages cycling through a 4-way set under LRU: every access misses
    expect(run(64)).toBe(24);
  });
});
