import { describe, expect, it } from 'vitest';
import { createSystem, GFP_KERNEL } from '../lib/index.js';
import { inspectFreeBlocks, inspectMemmap, inspectZones } from '../lib/mm/inspect_phys.js';
import { toDisplay, toTerminal } from '../lib/view/show.js';
import { memmapBoundaries, STATE_COLORS, svgBuddy, svgFreeLists, svgMemmap, svgZones, type MemmapColorBy } from '../lib/view/svg/index.js';
import { STATE_GLYPHS, termBuddy, termFreeLists, termMemmap, termZones, visibleWidth, zoneStatusLine } from '../lib/view/term/index.js';
import { checkXml } from './view-xml.js';

const PRESETS = ['tiny', 'pc-4g', 'i386-highmem', 'numa-2x8g'];

function wellFormed(svg: string): string {
  const info = checkXml(svg);
  expect(info.root).toBe('svg');
  return info.texts.join('\n');
}

function fits(text: string, width: number, color: boolean): void {
  for (const l of text.split('\n')) expect(visibleWidth(l)).toBeLessThanOrEqual(width);
  expect(text.includes('\u001b')).toBe(color);
}

describe('pictures of real systems', () => {
  for (const preset of PRESETS) {
    it(`draws ${preset}`, () => {
      const sys = createSystem(preset);
      sys.debug_vm = true;
      const zones = inspectZones(sys);
      expect(zones.length).toBeGreaterThan(0);
      const mm = inspectMemmap(sys, preset === 'tiny' ? {} : { cells: 4096 });

      for (const colorBy of ['state', 'zone', 'migratetype'] as MemmapColorBy[]) {
        const texts = wellFormed(svgMemmap(mm, { colorBy }));
        for (const z of mm.zones) expect(texts).toContain(z.zone);
      }
      const svg = svgMemmap(mm);
      const cellRects = (/<g class="cells">([\s\S]*?)<\/g>/.exec(svg)![1].match(/<rect /g) ?? []).length;
      expect(cellRects).toBe(mm.cells.length);
      if (preset === 'tiny') {
        expect(mm.pagesPerCell).toBe(1);
        expect(cellRects).toBe(mm.end_pfn - mm.start_pfn);
        expect(cellRects).toBeGreaterThan(4000);
      }
      if (preset === 'numa-2x8g') {
        expect(memmapBoundaries(mm).some((b) => b.node)).toBe(true);
        expect(svg).toContain('node boundary at pfn');
      }
      const zt = wellFormed(svgZones(zones));
      const bt = wellFormed(svgBuddy(zones, { byType: true }));
      for (const z of zones) {
        expect(zt).toContain(`Node ${z.node}, zone ${z.zone}`);
        expect(bt).toContain(`Node ${z.node}, zone ${z.zone}`);
      }
      const z0 = zones.reduce((a, b) => (b.free > a.free ? b : a));
      const blocks = inspectFreeBlocks(sys, z0.node, z0.zoneIdx, 64);
      expect(blocks.length).toBeGreaterThan(0);
      const ft = wellFormed(svgFreeLists(blocks, { zone: z0 }));
      expect(ft).toContain('free_area[10]');

      for (const [width, color] of [[80, true], [60, false], [132, false]] as [number, boolean][]) {
        fits(termMemmap(mm, { width, color, maxRows: 32 }), width, color);
        fits(termBuddy(zones, { width, color, byType: true }), width, color);
        fits(termZones(zones, { width, color }), width, color);
        fits(termFreeLists(blocks, { width, color, zone: z0 }), width, color);
        fits(toTerminal(mm, { width, color }), width, color);
        for (const l of zoneStatusLine(zones, width, { color }).split('\n')) expect(visibleWidth(l)).toBeLessThanOrEqual(width);
      }
      expect(toDisplay(zones).svg).toBeDefined();
      expect(toDisplay(mm).svg).toBeDefined();
      expect(toDisplay(blocks, { zone: z0 }).svg).toBeDefined();
    });
  }
});

describe('pictures follow the system', () => {
  it('shows an allocated block in the map, the tooltip and the terminal', () => {
    const sys = createSystem('tiny');
    sys.debug_vm = true;
    const page = sys.alloc_pages(GFP_KERNEL, 2);
    expect(page).not.toBeNull();
    const pfn = page!.pfn;
    const mm = inspectMemmap(sys);
    const state = mm.cells[pfn].state;
    expect(state).toBe('allocated');
    const svg = svgMemmap(mm);
    const rects = /<g class="cells">([\s\S]*?)<\/g>/.exec(svg)![1].split('</rect>');
    expect(rects[pfn]).toContain(`fill="${STATE_COLORS.allocated}"`);
    expect(rects[pfn]).toContain(`pfn 0x${pfn.toString(16)} `);
    expect(rects[pfn]).toContain('order-2 head');
    const text = termMemmap(mm, { width: 100, color: false, maxRows: 64 });
    const row = text.split('\n').find((l) => l.trim().startsWith(`0x${(pfn - (pfn % 64)).toString(16)} `))!;
    expect(row.replace(/^\s*0x[0-9a-f]+ /, '')[pfn % 64]).toBe(STATE_GLYPHS.allocated);
    sys.__free_pages(page!, 2);
    const again = inspectMemmap(sys);
    expect(['free', 'pcp']).toContain(again.cells[pfn].state); // order-2 frees go to the per-cpu lists first
    const after = inspectZones(sys)[0];
    expect(svgZones([after])).toContain(`free ${after.free.toLocaleString('en-US')}`);
  });
});
