import { describe, expect, it } from 'vitest';
import {
  hasKind, htmlTable, isFreeBlockList, isMemmapSnapshot, isZoneList, isZoneSnapshot, listViews, makeShow, registerView, textTable,
  toDisplay, toTerminal,
} from '../lib/view/show.js';
import { visibleWidth } from '../lib/view/term/kit.js';
import * as F from './view-fixtures.js';
import { checkXml } from './view-xml.js';

describe('toDisplay', () => {
  it('recognises the physical-memory snapshots by shape', () => {
    expect(isZoneSnapshot(F.pc4gZones()[0])).toBe(true);
    expect(isZoneList(F.pc4gZones())).toBe(true);
    expect(isMemmapSnapshot(F.tinyMemmap())).toBe(true);
    expect(isFreeBlockList(F.tinyFreeBlocks())).toBe(true);
    expect(isZoneList([])).toBe(false);
    expect(isMemmapSnapshot({ cells: [] })).toBe(false);
    expect(isFreeBlockList([{ pfn: 1 }])).toBe(false);
  });

  it('draws snapshots as SVG with a plain-text form', () => {
    const cases: [unknown, string][] = [
      [F.tinyMemmap(), 'Physical memory map'],
      [F.pc4gZones(), 'Zone watermarks'],
      [F.pc4gZones()[1], 'Zone watermarks'],
      [F.tinyFreeBlocks(), 'free_area[10]'],
    ];
    for (const [x, want] of cases) {
      const d = toDisplay(x);
      expect(d.svg, want).toBeDefined();
      expect(checkXml(d.svg!).root).toBe('svg');
      expect(d.svg).toContain(want);
      expect(d.text.length).toBeGreaterThan(0);
      expect(d.text).not.toContain('\u001b');
    }
    const buddy = toDisplay(F.pc4gZones(), { as: 'buddy', byType: true });
    expect(buddy.svg).toContain('Buddy allocator');
    expect(buddy.svg).toContain('Unmovable');
    expect(toDisplay(F.tinyMemmap(), { colorBy: 'zone' }).svg).toContain('coloured by zone');
    expect(toDisplay(F.tinyFreeBlocks(), { zone: F.tinyZone() }).svg).toContain('zone DMA');
  });

  it('shows plain objects and arrays as escaped tables', () => {
    const rows = [{ name: '<b>', pages: 12 }, { name: 'x&y', pages: 3000, extra: { a: 1 } }];
    const d = toDisplay(rows);
    expect(d.svg).toBeUndefined();
    checkXml(d.html!);
    expect(d.html).toContain('&lt;b&gt;');
    expect(d.html).toContain('x&amp;y');
    expect(d.html).toContain('<th');
    expect(d.html).toContain('{&quot;a&quot;:1}');
    expect(d.text.split('\n')[0]).toMatch(/^name\s+pages\s+extra$/);
    expect(d.text).toContain(' 3000');
    checkXml(toDisplay({ a: 1, b: 'two' }).html!);
    expect(toDisplay({ a: 1, b: 'two' }).text).toMatch(/a\s+1/);
    expect(toDisplay([1, 2, 3]).text).toContain('value');
    expect(toDisplay(new Map([['k', 1]])).text).toContain('k');
    expect(toDisplay(new Uint8Array([7, 8])).text).toContain('8');
    expect(toDisplay(42)).toEqual({ text: '42' });
    expect(toDisplay('hi')).toEqual({ text: 'hi' });
    expect(toDisplay(null)).toEqual({ text: 'null' });
  });

  it('caps big tables', () => {
    const big = Array.from({ length: 500 }, (_, i) => ({ i }));
    expect(htmlTable(big)).toContain('… 300 more');
    expect(textTable(big)).toContain('… 300 more');
  });

  it('lets other views register, newest first, and unregister', () => {
    const tagged = { kind: 'test-kind', n: 3 };
    expect(toDisplay(tagged).html).toBeDefined();
    const off = registerView((x) => hasKind(x, 'test-kind'), (x) => ({ svg: '<svg xmlns="http://www.w3.org/2000/svg"/>', text: `n=${(x as { n: number }).n}` }), {
      name: 'test-kind',
      terminal: (x, o) => `T${(x as { n: number }).n} w${o.width}`,
    });
    try {
      expect(listViews()).toContain('test-kind');
      expect(toDisplay(tagged)).toEqual({ svg: '<svg xmlns="http://www.w3.org/2000/svg"/>', text: 'n=3' });
      expect(toTerminal(tagged, { width: 50 })).toBe('T3 w50');
      expect(toDisplay(tagged, { as: 'table' }).html).toContain('test-kind');
    } finally {
      off();
    }
    expect(listViews()).not.toContain('test-kind');
    expect(toDisplay(tagged).svg).toBeUndefined();
  });

  it('rejects an unknown or unsuitable view name', () => {
    expect(() => toDisplay(1, { as: 'nope' })).toThrow(/no view named 'nope'/);
    expect(() => toDisplay(1, { as: 'memmap' })).toThrow(/cannot draw/);
  });
});

describe('toTerminal and makeShow', () => {
  it('prints within the width, in colour or plain', () => {
    for (const x of [F.tinyMemmap(), F.pc4gZones(), F.tinyFreeBlocks(), [{ a: 'x'.repeat(200) }], { long: 'y'.repeat(300) }]) {
      for (const color of [true, false]) {
        const t = toTerminal(x, { width: 60, color });
        for (const l of t.split('\n')) expect(visibleWidth(l)).toBeLessThanOrEqual(60);
        if (!color) expect(t).not.toContain('\u001b');
      }
    }
    expect(toTerminal(F.pc4gZones(), { as: 'buddy', color: false })).toContain('nr_free');
  });

  it('sends SVG, HTML or text to a display sink', () => {
    const got: string[] = [];
    const show = makeShow({ svg: () => got.push('svg'), html: () => got.push('html'), text: (s) => got.push(`text:${s}`) });
    show(F.pc4gZones());
    show([{ a: 1 }]);
    show(5);
    expect(got).toEqual(['svg', 'html', 'text:5']);
    const inline: string[] = [];
    makeShow({ svg: () => inline.push('svg'), html: (s) => inline.push(s.slice(0, 4)) }, { inlineSvg: true })(F.pc4gZones());
    expect(inline).toEqual(['<svg']);
    const html: string[] = [];
    makeShow({ svg: () => undefined, html: (s) => html.push(s) })('<x>');
    expect(html).toEqual(['<pre>&lt;x&gt;</pre>']);
  });
});
