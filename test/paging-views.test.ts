import { describe, expect, it } from 'vitest';
import { inspectAddressSpace } from '../lib/kernel/fork.js';
import { svgAddressSpace, svgTlb, svgWalk } from '../lib/view/svg/paging.js';
import { termAddressSpace, termTlb, termWalk } from '../lib/view/term/paging.js';
import { stripAnsi, visibleWidth } from '../lib/view/term/kit.js';
import { vmSystem } from './paging-helpers.js';

describe('paging pictures', () => {
  const sys = vmSystem();
  const t = sys.spawn('pic');
  const a = t.mmap(0, 8 * 4096, 'rw', 'private|anonymous');
  t.write(a, [1]);
  const r = sys.translate(t, a + 5);
  it('draws the walk as SVG with every level and the page', () => {
    const svg = svgWalk(r);
    expect(svg.startsWith('<svg')).toBe(true);
    for (const l of ['PGD table', 'PUD table', 'PMD table', 'PTE table', r.levels[3].entry, r.phys!]) expect(svg).toContain(l);
    expect(svg).toContain('sign ext.');
  });
  it('draws a fault when the walk stops', () => {
    const svg = svgWalk(sys.translate(t, 0x200000000));
    expect(svg).toContain('#PF not-present');
    expect(svg).toContain('(unused)');
  });
  it('draws the address space and the TLB', () => {
    const as = inspectAddressSpace(sys, t.pid);
    expect(as.vmas.map((v) => v.name)).toEqual(['[heap]', '', '[stack]']);
    expect(svgAddressSpace(as)).toContain('[stack]');
    const tl = svgTlb(sys.tlb.inspect());
    expect(tl).toContain('dTLB-4K: 16 sets × 4 ways');
  });
  it('terminal versions fit the width and are plain without colour', () => {
    for (const w of [40, 80, 120]) {
      for (const s of [termWalk(r, { width: w }), termAddressSpace(inspectAddressSpace(sys, t.pid), { width: w }), termTlb(sys.tlb.inspect(), { width: w })]) {
        for (const line of s.split('\n')) expect(visibleWidth(line)).toBeLessThanOrEqual(w);
      }
    }
    const plain = termWalk(r, { color: false, width: 100 });
    expect(plain).toBe(stripAnsi(plain));
    expect(plain).toContain('=> phys ' + r.phys);
  });
});

describe('KASLR', () => {
  it('moves the direct map, vmalloc and vmemmap bases by seed, PUD aligned, in order', () => {
    const a = vmSystem({ preset: 'tiny', kaslr: true, seed: 5 });
    const b = vmSystem({ preset: 'tiny', kaslr: true, seed: 6 });
    const c = vmSystem({ preset: 'tiny', kaslr: true, seed: 5 });
    expect(a.layout.page_offset).toBe(c.layout.page_offset);
    expect(a.layout.page_offset).not.toBe(b.layout.page_offset);
    for (const s of [a, b]) {
      const L = s.layout;
      expect(Math.abs(L.page_offset % 2 ** 30)).toBe(0);
      expect(L.page_offset).toBeLessThan(L.vmalloc_start);
      expect(L.vmalloc_end).toBeLessThanOrEqual(L.vmemmap_start);
      const r = s.translate(null, L.page_offset + 0x3000);
      expect(r.phys).toBe('0x3000');
    }
  });
});

describe('i386 /proc/PID/maps', () => {
  it('pads to column 49 on 32-bit', () => {
    const sys = vmSystem('i386-highmem');
    const t = sys.spawn('a');
    const maps = sys.read(`/proc/${t.pid}/maps`);
    expect(maps.split('\n')[0]).toBe('56559000-5657a000 rw-p 00000000 00:00 0          [heap]');
  });
});
