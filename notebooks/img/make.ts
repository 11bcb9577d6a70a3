/**
 * Draws the pictures the README shows (run: npx tsx notebooks/img/make.ts). They are made by
 * the simulator itself, so re-running this after a change keeps the README true.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSystem, GFP_KERNEL } from '../../lib/index.js';
import { inspectMemmap, inspectZones } from '../../lib/mm/inspect_phys.js';
import { svgMemmap, svgZones } from '../../lib/view/svg/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const sys = createSystem({ preset: 'tiny', seed: 1 });
// A little life: kernel objects, a few page blocks, and a process touching memory.
for (let i = 0; i < 300; i++) sys.kmalloc(64 + (i % 7) * 200, GFP_KERNEL);
for (let o = 0; o < 4; o++) sys.alloc_pages(GFP_KERNEL, o);
const t = sys.spawn('app');
const base = t.mmap(0, 2 << 20, 'rw', 'private|anonymous');
for (let off = 0; off < 2 << 20; off += 4096 * 3) t.write(base + off, new Uint8Array([1]));

writeFileSync(join(here, 'memmap-tiny.svg'), svgMemmap(inspectMemmap(sys), { tooltips: false, title: 'tiny (16 MiB): every page frame, by state' }));
writeFileSync(join(here, 'zones-pc-4g.svg'), svgZones(inspectZones(createSystem('pc-4g'))));
console.log('wrote memmap-tiny.svg, zones-pc-4g.svg');
