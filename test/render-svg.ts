/**
 * Renders every kind of SVG picture to PNG with headless chromium, for looking at them.
 *
 *   npx tsx test/render-svg.ts [outdir] [name-filter]     (default outdir /tmp/mmlab-render)
 *
 * Pictures come from the hand-made snapshots of test/view-fixtures.ts and, when
 * lib/mm/inspect_phys.ts is present, from real systems (tiny, pc-4g, i386-highmem,
 * numa-2x8g). Each SVG is wrapped in a small HTML page on a grey background (to show the
 * picture's own edges) and screenshotted at the picture's size. Also prints the terminal
 * pictures to stdout.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { svgBuddy, svgFreeLists, svgMemmap, svgZones } from '../lib/view/svg/index.js';
import { termBuddy, termFreeLists, termMemmap, termZones, zoneStatusLine } from '../lib/view/term/index.js';
import { toDisplay } from '../lib/view/show.js';
import * as F from './view-fixtures.js';
import type { FreeBlock, MemmapSnapshot, ZoneSnapshot } from '../lib/view/snapshots.js';

const out = process.argv[2] ?? '/tmp/mmlab-render';
const filter = process.argv[3] ?? '';
mkdirSync(out, { recursive: true });

const pics: [string, string][] = [];
const terms: [string, string][] = [];

function add(name: string, svg: string | undefined): void {
  if (svg && name.includes(filter)) pics.push([name, svg]);
}

add('memmap-tiny-state', svgMemmap(F.tinyMemmap()));
add('memmap-twozone-state', svgMemmap(F.twoZoneMemmap()));
add('memmap-tiny-migratetype', svgMemmap(F.tinyMemmap(), { colorBy: 'migratetype' }));
add('memmap-pc4g-state', svgMemmap(F.pc4gMemmap()));
add('memmap-pc4g-zone', svgMemmap(F.pc4gMemmap(), { colorBy: 'zone' }));
add('memmap-i386-zone', svgMemmap(F.i386Memmap(), { colorBy: 'zone' }));
add('memmap-numa-state', svgMemmap(F.numaMemmap()));
add('buddy-pc4g', svgBuddy(F.pc4gZones()));
add('buddy-pc4g-bytype', svgBuddy(F.pc4gZones(), { byType: true }));
add('buddy-numa', svgBuddy(F.numaZones()));
add('freelists-tiny', svgFreeLists(F.tinyFreeBlocks(), { zone: F.tinyZone() }));
add('zones-pc4g', svgZones(F.pc4gZones()));
add('zones-i386', svgZones(F.i386Zones()));
add('zones-numa', svgZones(F.numaZones()));
add('show-table', toDisplay([{ name: 'a', pages: 12, ok: true }, { name: 'b<c>', pages: 3000, ok: false }]).html);

terms.push(['term memmap tiny', termMemmap(F.tinyMemmap(), { width: 100 })]);
terms.push(['term memmap twozone', termMemmap(F.twoZoneMemmap(), { width: 80, maxRows: 40 })]);
terms.push(['term memmap numa', termMemmap(F.numaMemmap(), { width: 80, maxRows: 24, colorBy: 'zone' })]);
terms.push(['term buddy pc4g', termBuddy(F.pc4gZones(), { width: 80 })]);
terms.push(['term freelists', termFreeLists(F.tinyFreeBlocks(), { width: 80 })]);
terms.push(['term zones', termZones(F.pc4gZones(), { width: 80 })]);
terms.push(['term status', zoneStatusLine(F.numaZones(), 80)]);

async function real(): Promise<void> {
  if (!existsSync(new URL('../lib/mm/inspect_phys.ts', import.meta.url))) return;
  const lib = await import('../lib/index.js');
  const ip = (await import('../lib/mm/inspect_phys.js' as string)) as {
    inspectZones(s: unknown): ZoneSnapshot[];
    inspectMemmap(s: unknown, o?: { cells?: number }): MemmapSnapshot;
    inspectFreeBlocks(s: unknown, node: number, zoneIdx: number, max?: number): FreeBlock[];
  };
  for (const preset of ['tiny', 'pc-4g', 'i386-highmem', 'numa-2x8g']) {
    const sys = lib.createSystem(preset);
    const zones = ip.inspectZones(sys);
    const mm = ip.inspectMemmap(sys, preset === 'tiny' ? {} : { cells: 4096 });
    add(`real-${preset}-memmap`, svgMemmap(mm));
    add(`real-${preset}-memmap-zone`, svgMemmap(mm, { colorBy: 'zone' }));
    add(`real-${preset}-buddy`, svgBuddy(zones, { byType: true }));
    add(`real-${preset}-zones`, svgZones(zones));
    const z0 = zones[0];
    add(`real-${preset}-freelists`, svgFreeLists(ip.inspectFreeBlocks(sys, z0.node, z0.zoneIdx, 200), { zone: z0 }));
    terms.push([`real ${preset} memmap`, termMemmap(mm, { width: 100, maxRows: 32 })]);
    terms.push([`real ${preset} zones`, termZones(zones, { width: 100 })]);
  }
}

function dims(svg: string): [number, number] {
  const m = /<svg[^>]*\swidth="(\d+)"[^>]*\sheight="(\d+)"/.exec(svg);
  return m ? [Number(m[1]), Number(m[2])] : [1000, 700];
}

real().then(() => {
  for (const [name, svg] of pics) {
    const isSvg = svg.startsWith('<svg');
    const [w, h] = isSvg ? dims(svg) : [900, 300];
    const html = `<!doctype html><html><body style="margin:0;padding:10px;background:#30343a">${svg}</body></html>`;
    const hp = join(out, `${name}.html`);
    writeFileSync(hp, html);
    if (isSvg) writeFileSync(join(out, `${name}.svg`), svg);
    execFileSync('chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', `--screenshot=${join(out, name + '.png')}`,
      `--window-size=${w + 20},${h + 20}`, `file://${hp}`], { stdio: 'ignore' });
    console.log(`${name}: ${w}x${h}, ${svg.length} bytes -> ${join(out, name + '.png')}`);
  }
  if (!filter || filter === 'term') for (const [name, t] of terms) console.log(`\n== ${name}\n${t}`);
});
