import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  coarsenMemmap, esc, fmtBytes, fmtKB, fmtPfn, fmtPhys, legend, memmapBoundaries, memmapTotals, placeLabels, svgBuddy, svgDoc,
  svgFreeLists, svgMemmap, svgZones, watermarkLevel, buddyinfoLine, STATE_COLORS, ZONE_COLORS, LEVEL_TEXT, blockWidth, shortCount, orderSize,
} from '../lib/view/svg/index.js';
import { PAGE_STATES, type MemmapSnapshot } from '../lib/view/snapshots.js';
import * as F from './view-fixtures.js';
import { checkXml } from './view-xml.js';

function svgInfo(svg: string) {
  const info = checkXml(svg);
  expect(info.root).toBe('svg');
  const m = /^<svg[^>]*\swidth="(\d+)"[^>]*\sheight="(\d+)"[^>]*\sviewBox="0 0 (\d+) (\d+)"/.exec(svg);
  expect(m, 'svg has width, height and viewBox').not.toBeNull();
  expect(m![1]).toBe(m![3]);
  expect(m![2]).toBe(m![4]);
  return { ...info, width: Number(m![1]), height: Number(m![2]) };
}

/** The `<rect>`s of the cell group of a memory map. */
function cellRects(svg: string): string[] {
  const g = /<g class="cells">([\s\S]*?)<\/g>/.exec(svg);
  expect(g).not.toBeNull();
  return g![1].match(/<rect[^>]*>/g) ?? [];
}

describe('svg kit', () => {
  it('escapes text and attribute values', () => {
    expect(esc(`<a href="x">&'`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&#39;');
    const svg = svgDoc(100, 50, '', { title: 'a <b> & "c"' });
    expect(svgInfo(svg).texts).toContain('a &lt;b&gt; &amp; &quot;c&quot;');
  });

  it('formats numbers like the kernel', () => {
    expect(fmtKB(3840)).toBe('15360kB');
    expect(fmtPfn(0x1a2b)).toBe('0x1a2b');
    expect(fmtPhys(0x100, 9)).toBe('0x000100000');
    expect(fmtBytes(4 * 2 ** 30)).toBe('4 GiB');
    expect(fmtBytes(1536 * 1024)).toBe('1.5 MiB');
    expect(fmtBytes(96)).toBe('96 B');
    expect(shortCount(1024)).toBe('1024');
    expect(shortCount(245736)).toBe('246k');
    expect(orderSize(0)).toBe('4K');
    expect(orderSize(10)).toBe('4M');
    expect(blockWidth(10)).toBeGreaterThan(blockWidth(9));
  });

  it('places labels at least `gap` apart, in range, keeping order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 12 }), (wish) => {
        const gap = 20;
        const hi = Math.max(1000, wish.length * gap);
        const pos = placeLabels(wish, gap, 0, hi);
        const order = wish.map((_, i) => i).sort((a, b) => wish[a] - wish[b] || a - b);
        for (let k = 1; k < order.length; k++) expect(pos[order[k]] - pos[order[k - 1]]).toBeGreaterThanOrEqual(gap - 1e-9);
        for (const p of pos) expect(p).toBeGreaterThanOrEqual(-1e-9);
        for (const p of pos) expect(p).toBeLessThanOrEqual(hi + 1e-9);
      }),
    );
  });

  it('wraps a legend within its width', () => {
    const entries = PAGE_STATES.map((s) => ({ label: s, color: STATE_COLORS[s], value: '12 MiB' }));
    const l = legend(entries, 0, 0, 300);
    expect(l.width).toBeLessThanOrEqual(300);
    expect(l.height).toBeGreaterThan(20);
    checkXml(`<g>${l.svg}</g>`);
  });
});

describe('svgMemmap', () => {
  it('draws every page of tiny as one rect, with legend and zone label', () => {
    const snap = F.tinyMemmap();
    const svg = svgMemmap(snap);
    const info = svgInfo(svg);
    expect(cellRects(svg)).toHaveLength(4096);
    const texts = info.texts.join('\n');
    for (const t of memmapTotals(snap, 'state')) expect(texts).toContain(t.key === 'free' ? 'free (buddy)' : '');
    expect(texts).toContain('reserved');
    expect(texts).toContain('hole (no RAM)');
    expect(texts).toContain('DMA');
    expect(texts).toContain('pfn 0x1a0 · phys 0x1a0000');
    // Cells take the colour of their state.
    const rects = cellRects(svg);
    snap.cells.forEach((c, i) => expect(rects[i]).toContain(`fill="${STATE_COLORS[c.state]}"`));
  });

  it('marks a zone boundary in the middle of a row and labels both zones', () => {
    const svg = svgMemmap(F.twoZoneMemmap());
    const info = svgInfo(svg);
    const texts = info.texts.join('\n');
    expect(texts).toContain('zone boundary at pfn 0x7e5');
    expect(texts).toMatch(/\bDMA\b/);
    expect(texts).toMatch(/\bNormal\b/);
    expect(svg).toMatch(/<path d="M[\d.]+ [\d.]+H[\d.]+V[\d.]+H[\d.]+"/);
  });

  it('colours by zone and by migratetype', () => {
    const byZone = svgMemmap(F.i386Memmap(), { colorBy: 'zone' });
    svgInfo(byZone);
    for (const z of ['DMA', 'Normal', 'HighMem']) expect(byZone).toContain(`fill="${ZONE_COLORS[z]}"`);
    expect(byZone).toContain('coloured by zone');
    const byType = svgMemmap(F.tinyMemmap(), { colorBy: 'migratetype' });
    expect(svgInfo(byType).texts.join('\n')).toContain('Movable');
  });

  it('marks node boundaries on a NUMA machine and scales a big map', () => {
    const snap = F.numaMemmap();
    const svg = svgMemmap(snap, { maxCells: 4096 });
    const info = svgInfo(svg);
    expect(cellRects(svg)).toHaveLength(4096);
    const texts = info.texts.join('\n');
    expect(texts).toContain('node boundary at pfn 0x240000');
    expect(texts).toContain('Node 1 Normal');
    expect(texts).toContain('node boundary');
  });

  it('keeps every page when merging cells', () => {
    const snap = F.pc4gMemmap();
    for (const f of [2, 3, 7]) {
      const c = coarsenMemmap(snap, f);
      expect(c.cells).toHaveLength(Math.ceil(snap.cells.length / f));
      const sum = (m: MemmapSnapshot) => memmapTotals(m, 'state').reduce((a, t) => a + t.pages, 0);
      expect(sum(c)).toBe(snap.end_pfn - snap.start_pfn);
      expect(sum(c)).toBe(sum(snap));
    }
  });

  it('finds zone and node boundaries', () => {
    const b = memmapBoundaries(F.numaMemmap());
    expect(b.map((x) => x.pfn)).toEqual([0x1000, 0x100000, 0x240000]); // pfn 1 falls inside cell 0
    expect(b.map((x) => x.node)).toEqual([false, false, true]);
    expect(memmapBoundaries(F.tinyMemmap()).map((x) => x.pfn)).toEqual([1]);
  });

  it('survives an empty map', () => {
    svgInfo(svgMemmap({ start_pfn: 0, end_pfn: 0, pagesPerCell: 1, cells: [], zones: [] }));
  });
});

describe('svgBuddy and svgFreeLists', () => {
  it('draws each zone with bars per order', () => {
    const zones = F.pc4gZones();
    const svg = svgBuddy(zones);
    const texts = svgInfo(svg).texts.join('\n');
    for (const z of zones) expect(texts).toContain(`Node 0, zone ${z.zone}`);
    expect(texts).toContain(`order 10 (4M): ${zones[1].nr_free[10].toLocaleString('en-US')} blocks`);
    const z = zones[0];
    expect(buddyinfoLine({ ...z, nr_free: [1, 1, 4, 2, 5, 4, 3, 3, 4, 2, 752] }))
      .toBe('Node 0, zone      DMA      1      1      4      2      5      4      3      3      4      2    752 ');
    expect(texts).toContain(buddyinfoLine(zones[2]));
    const typed = svgBuddy(zones, { byType: true });
    const tt = svgInfo(typed).texts.join('\n');
    expect(tt).toContain('Movable');
    expect(tt).toContain('Unmovable');
  });

  it('draws one rect per listed free block, with its pfn', () => {
    const blocks = F.tinyFreeBlocks();
    const svg = svgFreeLists(blocks, { zone: F.tinyZone() });
    const info = svgInfo(svg);
    const texts = info.texts.join('\n');
    const blockRects = svg.match(/<rect[^>]*><title>order-\d+ block/g) ?? [];
    expect(blockRects).toHaveLength(blocks.length);
    for (const b of blocks) expect(texts).toContain(fmtPfn(b.pfn));
    expect(texts).toContain('free_area[10]');
    expect(texts).toContain('empty');
  });

  it('counts blocks it does not draw', () => {
    const blocks = F.makeFreeBlocks([40], 1);
    const svg = svgFreeLists(blocks, { maxPerOrder: 10 });
    expect(svgInfo(svg).texts.join('\n')).toContain('+30 more');
  });
});

describe('svgZones', () => {
  it('classifies free pages against the watermarks', () => {
    const z = F.pc4gZones()[2];
    expect(watermarkLevel({ ...z, free: z.min - 1 })).toBe('below_min');
    expect(watermarkLevel({ ...z, free: z.min })).toBe('below_low');
    expect(watermarkLevel({ ...z, free: z.low })).toBe('below_high');
    expect(watermarkLevel({ ...z, free: z.high })).toBe('ok');
    expect(watermarkLevel({ ...z, free: z.high, boost: 10 })).toBe('below_high');
  });

  it('draws a gauge per zone with its level and watermarks', () => {
    const zones = F.i386Zones();
    const svg = svgZones(zones);
    const texts = svgInfo(svg).texts.join('\n');
    for (const z of zones) {
      expect(texts).toContain(`Node 0, zone ${z.zone}`);
      expect(texts).toContain(LEVEL_TEXT[watermarkLevel(z)]);
      expect(texts).toContain(`protection (lowmem_reserve): (${z.lowmem_reserve.join(', ')})`);
    }
    expect(texts).toMatch(/min \d/);
    expect(texts).toMatch(/low \d/);
    expect(texts).toMatch(/high \d/);
  });
});

describe('degenerate input', () => {
  it('draws an empty zone and empty lists without NaN', () => {
    const empty = { ...F.makeZone(0, 'Movable', 4, 0, 0, 0, 0, 5), min: 0, low: 0, high: 0, promo: 0 };
    const outs = [
      svgZones([empty]), svgBuddy([empty]), svgBuddy([empty], { byType: true }), svgFreeLists([]), svgFreeLists([], { zone: empty }),
      svgMemmap({ start_pfn: 5, end_pfn: 6, pagesPerCell: 1, cells: [{ pfn: 5, state: 'free', zone: 'Normal', node: 0, migratetype: 'Movable' }], zones: [] }),
    ];
    for (const svg of outs) {
      svgInfo(svg);
      expect(svg).not.toMatch(/NaN|Infinity|undefined/);
    }
  });
});
