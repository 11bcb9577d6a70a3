import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  hbar, hexTo256, paint, paintCells, stripAnsi, truncate, visibleWidth, termBuddy, termFreeLists, termMemmap, termZones,
  zoneStatusLine, showBuddy, showMemmap, showZones, showFreeLists, STATE_GLYPHS, LEVEL_SHORT,
} from '../lib/view/term/index.js';
import { watermarkLevel } from '../lib/view/svg/zones.js';
import * as F from './view-fixtures.js';

const ESC = '\u001b';

/** Every picture, at a given width and colour. */
function pictures(width: number, color: boolean): [string, string][] {
  return [
    ['memmap tiny', termMemmap(F.tinyMemmap(), { width, color })],
    ['memmap two zones', termMemmap(F.twoZoneMemmap(), { width, color })],
    ['memmap pc-4g by zone', termMemmap(F.pc4gMemmap(), { width, color, colorBy: 'zone', maxRows: 20 })],
    ['memmap numa by migratetype', termMemmap(F.numaMemmap(), { width, color, colorBy: 'migratetype', maxRows: 16 })],
    ['buddy', termBuddy(F.pc4gZones(), { width, color })],
    ['buddy by type', termBuddy(F.numaZones(), { width, color, byType: true })],
    ['free lists', termFreeLists(F.tinyFreeBlocks(), { width, color, zone: F.tinyZone() })],
    ['zones', termZones(F.i386Zones(), { width, color })],
    ['status', zoneStatusLine(F.numaZones(), width, { color })],
  ];
}

describe('terminal kit', () => {
  it('measures, truncates and pads around escape codes', () => {
    const s = paint('hello', { fg: '#D55E00', bold: true }, true);
    expect(s).toContain(ESC);
    expect(stripAnsi(s)).toBe('hello');
    expect(visibleWidth(s)).toBe(5);
    expect(stripAnsi(truncate(s, 3))).toBe('he…');
    expect(truncate(s, 3).endsWith(`${ESC}[0m`)).toBe(true);
    expect(paint('x', { fg: '#000000' }, false)).toBe('x');
    expect(hexTo256('#000000')).toBe(16);
    expect(hexTo256('#ffffff')).toBe(231);
  });

  it('truncate never exceeds the width (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string(), fc.boolean())), fc.integer({ min: 0, max: 40 }), (parts, w) => {
        const s = parts.map(([t, c]) => paint(t.replace(/\u001b/g, ''), { fg: '#0072B2' }, c)).join('');
        expect(visibleWidth(truncate(s, w))).toBeLessThanOrEqual(Math.max(w, 0));
        if (visibleWidth(s) <= w) expect(truncate(s, w)).toBe(s);
      }),
    );
  });

  it('draws bars of exactly the width asked', () => {
    fc.assert(
      fc.property(fc.nat(1000), fc.nat(1000), fc.integer({ min: 1, max: 60 }), (v, max, w) => {
        const b = hbar(v, max, w);
        expect(visibleWidth(b)).toBe(w);
        if (v > 0 && max > 0) expect(b.trim().length).toBeGreaterThan(0);
      }),
    );
    expect(hbar(1, 1, 4)).toBe('████');
    expect(hbar(1, 2, 4)).toBe('██  ');
  });

  it('merges runs of one colour into one escape sequence', () => {
    const s = paintCells([{ glyph: 'a', bg: '#ffffff' }, { glyph: 'b', bg: '#ffffff' }, { glyph: 'c', bg: '#000000' }], true);
    expect(s.split(`${ESC}[0m`)).toHaveLength(3);
    expect(stripAnsi(s)).toBe('abc');
    expect(paintCells([{ glyph: 'a', bg: '#ffffff' }], false)).toBe('a');
  });
});

describe('terminal pictures', () => {
  for (const width of [20, 40, 80, 132]) {
    it(`stay within ${width} columns, with and without colour`, () => {
      for (const color of [true, false]) {
        for (const [name, text] of pictures(width, color)) {
          for (const line of text.split('\n')) {
            expect(visibleWidth(line), `${name} (color ${color}): ${stripAnsi(line)}`).toBeLessThanOrEqual(width);
          }
          if (!color) expect(text.includes(ESC), name).toBe(false);
          else if (!name.startsWith('status') || width >= 40) expect(text.includes(ESC), name).toBe(true);
        }
      }
    });
  }

  it('draws every page of tiny once, 64 to a row, pfn on the left', () => {
    const snap = F.tinyMemmap();
    const text = termMemmap(snap, { width: 80, color: false });
    // Rebuild the map from the printed rows: each row is "pfn glyphs", its first glyph at
    // column (pfn % 64) of the grid.
    const grid = new Array<string>(4096).fill(' ');
    let rows = 0;
    for (const l of text.split('\n')) {
      const m = /^\s*0x([0-9a-f]+)(?: (.*))?$/.exec(l);
      if (!m) continue;
      rows++;
      const pfn = parseInt(m[1], 16);
      const lead = pfn % 64;
      expect((m[2] ?? '').slice(0, lead).trim()).toBe('');
      Array.from((m[2] ?? '').slice(lead)).forEach((g, k) => (grid[pfn + k] = g));
    }
    expect(rows).toBeGreaterThanOrEqual(64);
    expect(grid.join('')).toBe(snap.cells.map((c) => STATE_GLYPHS[c.state]).join(''));
    expect(text).toContain('DMA  0x1-0xfff');
  });

  it('splits the row a zone boundary cuts, keeping columns aligned', () => {
    const text = termMemmap(F.twoZoneMemmap(), { width: 80, color: false });
    const lines = text.split('\n');
    const i = lines.findIndex((l) => l.includes('Normal') && l.startsWith('──'));
    expect(i).toBeGreaterThan(0);
    const before = lines[i - 1];
    const after = lines[i + 1];
    // Row 0x7c0 holds pfns 0x7c0..0x7ff; Normal starts at 0x7e5 (column 0x25).
    expect(before.trim().startsWith('0x7c0')).toBe(true);
    expect(after.trim().startsWith('0x7e5')).toBe(true);
    const col = (l: string) => l.length - l.replace(/^\s*0x[0-9a-f]+ /, '').length;
    const label = col(before);
    expect(after.slice(label).match(/^ */)![0].length).toBe(0x25);
    expect(stripAnsi(before).slice(label).length).toBeLessThanOrEqual(0x25);
  });

  it('shows free blocks per order and the free lists', () => {
    const zones = F.pc4gZones();
    const text = termBuddy(zones, { width: 80, color: false });
    for (const z of zones) expect(text).toContain(`Node 0, zone ${z.zone}`);
    const dma32 = text.split('\n').find((l) => /^\s+10\s+4M/.test(l) && l.includes(String(zones[1].nr_free[10])));
    expect(dma32).toBeDefined();
    const typed = termBuddy(zones, { width: 80, color: false, byType: true });
    expect(typed).toMatch(/M+/);
    const fl = termFreeLists(F.tinyFreeBlocks(), { width: 80, color: false, zone: F.tinyZone() });
    expect(fl).toContain('free_area[10]');
    expect(fl).toContain('→ 0x400M');
    expect(fl).toContain('(empty)');
  });

  it('shows watermarks and a one-line status per zone', () => {
    const zones = F.i386Zones();
    const text = termZones(zones, { width: 100, color: false });
    expect(text).toContain('^min');
    expect(text).toContain('^low');
    expect(text).toContain('^high');
    const st = zoneStatusLine(zones, 60, { color: false }).split('\n');
    expect(st).toHaveLength(zones.length);
    zones.forEach((z, i) => {
      expect(st[i]).toContain(z.zone);
      expect(st[i]).toContain(LEVEL_SHORT[watermarkLevel(z)]);
    });
  });

  it('exports the show* names the REPL calls', () => {
    expect(showMemmap).toBe(termMemmap);
    expect(showBuddy).toBe(termBuddy);
    expect(showZones).toBe(termZones);
    expect(showFreeLists).toBe(termFreeLists);
  });
});

describe('degenerate terminal input', () => {
  it('prints an empty zone and empty lists without NaN', () => {
    const empty = { ...F.makeZone(0, 'Movable', 4, 0, 0, 0, 0, 5), min: 0, low: 0, high: 0, promo: 0 };
    for (const t of [termZones([empty], { width: 50 }), termBuddy([empty], { width: 50, byType: true }), termFreeLists([], { width: 50 }),
      zoneStatusLine([empty], 50), termMemmap({ start_pfn: 0, end_pfn: 0, pagesPerCell: 1, cells: [], zones: [] }, { width: 50 })]) {
      expect(t).not.toMatch(/NaN|Infinity|undefined/);
      for (const l of t.split('\n')) expect(visibleWidth(l)).toBeLessThanOrEqual(50);
    }
  });
});
