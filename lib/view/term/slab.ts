/**
 * Slab pictures for the terminal: a cache's slabs as rows of object glyphs with the freelists
 * spelled out, and the kmalloc classes' occupancy as bars.
 *
 * Mirrors: crash's `kmem -S CACHE` (per slab: address, objects, in use, free objects) and
 * slabtop's columns.
 * Models: pure functions of the CacheDetail / KmallocClassSnapshot snapshots of
 * lib/mm/slab_common.ts.
 * Simplifies: long freelists are cut after a few links (with a count of the rest).
 * See: chapter 04 (slab).
 */
import type { CacheDetail, KmallocClassSnapshot } from '../../mm/slab_common.js';
import { hex } from '../../base/format.js';
import { SLAB_OBJECT_COLORS, FREELIST_COLORS, svgKmallocClasses, svgSlabCache } from '../svg/slab.js';
import { registerView } from '../show.js';
import { bold, dim, fitLines, hbar, legendLines, paint, paintCells, rule, termCtx, type TermOptions } from './kit.js';

/** Glyphs of object states. */
export const SLAB_GLYPHS = { allocated: '█', free: '·', quarantined: 'q' } as const;

/** Options of {@link termSlabCache}. */
export interface SlabTermOptions extends TermOptions {
  /** Most slabs shown (default 8). */
  maxSlabs?: number;
  /** Freelist links shown per list (default 8). */
  maxLinks?: number;
}

/**
 * A cache: one block per slab: where it is, in-use count, its objects as glyphs (█ allocated,
 * · free, q quarantined) and its freelists as chains of object indices.
 *
 * @example console.log(termSlabCache(sys.slab.inspectCacheDetail('kmalloc-64'), { width: 100 }))
 */
export function termSlabCache(c: CacheDetail, opts: SlabTermOptions = {}): string {
  const { width, color } = termCtx(opts);
  const maxSlabs = opts.maxSlabs ?? 8;
  const maxLinks = opts.maxLinks ?? 8;
  const out: string[] = [];
  out.push(rule(`${c.name}: ${c.objects_per_slab} x ${c.size} B per slab, order ${c.order}`, width, color));
  out.push(dim(`object_size ${c.object_size}  align ${c.align}  free pointer +${c.offset}  slabs ${c.slabs}  allocated ${c.allocated}/${c.total_objects}  min_partial ${c.min_partial}  cpu_partial ${c.cpu_partial}`, color));
  out.push(...legendLines([
    { glyph: SLAB_GLYPHS.allocated, label: 'allocated', fg: SLAB_OBJECT_COLORS.allocated },
    { glyph: SLAB_GLYPHS.free, label: 'free' },
    { glyph: SLAB_GLYPHS.quarantined, label: 'KASAN quarantine', bg: SLAB_OBJECT_COLORS.quarantined },
  ], width, color));
  const per = Math.max(8, Math.min(64, width - 4));
  for (const s of c.slabList.slice(0, maxSlabs)) {
    const where = s.where === 'cpu' ? `cpu slab of cpu${s.cpu}` : s.where === 'cpu-partial' ? `cpu${s.cpu} partial` : s.where === 'node-partial' ? `node ${s.node} partial` : 'full';
    out.push(`${bold(hex(s.addr), color)} ${where}  inuse ${s.inuse}/${s.objects}${s.frozen ? ' frozen' : ''}`);
    for (let i = 0; i < s.objs.length; i += per) {
      const cells = s.objs.slice(i, i + per).map((o) => ({
        glyph: SLAB_GLYPHS[o.state],
        fg: o.state === 'allocated' ? SLAB_OBJECT_COLORS.allocated : undefined,
        bg: o.state === 'quarantined' ? SLAB_OBJECT_COLORS.quarantined : undefined,
      }));
      out.push('  ' + paintCells(cells, color));
    }
    const byAddr = new Map(s.objs.map((o) => [o.addr, o]));
    const chain = (head: number) => {
      const idx: string[] = [];
      let a = head;
      let n = 0;
      while (a !== 0 && n <= s.objects) {
        const o = byAddr.get(a);
        if (!o) break;
        if (idx.length < maxLinks) idx.push(String(o.index));
        n++;
        a = o.fp ?? 0;
      }
      return idx.length ? idx.join(' → ') + (n > idx.length ? ` → … (${n} free)` : ' → NULL') : 'NULL';
    };
    if (s.where === 'cpu') out.push('  ' + paint('cpu freelist:', { fg: FREELIST_COLORS.cpu }, color) + ' ' + chain(s.cpu_freelist));
    out.push('  ' + paint('slab freelist:', { fg: FREELIST_COLORS.slab }, color) + ' ' + chain(s.freelist));
  }
  if (c.slabList.length > maxSlabs) out.push(dim(`… ${c.slabList.length - maxSlabs} more slabs`, color));
  if (!c.slabList.length) out.push(dim('no slabs', color));
  return fitLines(out, width);
}

/**
 * The kmalloc classes: allocated/total objects and a bar of the occupancy.
 *
 * @example console.log(termKmallocClasses(sys.slab.inspectKmallocClasses()))
 */
export function termKmallocClasses(classes: KmallocClassSnapshot[], opts: TermOptions = {}): string {
  const { width, color } = termCtx(opts);
  const out = [rule('kmalloc size classes', width, color), bold('cache             objects      used  KiB  occupancy', color)];
  const barW = Math.max(4, width - 52);
  for (const c of classes) {
    const pct = c.total ? (100 * c.allocated) / c.total : 0;
    const left = `${c.name.padEnd(16)} ${`${c.allocated}/${c.total}`.padStart(10)} ${`${pct.toFixed(0)}%`.padStart(6)} ${String(c.slabs * c.pagesperslab * 4).padStart(5)}  `;
    out.push(left + (c.total ? paint(hbar(c.allocated, c.total, barW), { fg: SLAB_OBJECT_COLORS.allocated }, color) : dim('-', color)));
  }
  return fitLines(out, width);
}

// Views for show(): a CacheDetail (sys.slab.inspectCacheDetail(name)) and a list of kmalloc
// classes (sys.slab.inspectKmallocClasses()), recognised by shape.
function isCacheDetail(x: unknown): boolean {
  return typeof x === 'object' && x !== null && Array.isArray((x as { slabList?: unknown }).slabList) && typeof (x as { objects_per_slab?: unknown }).objects_per_slab === 'number';
}
function isKmallocClasses(x: unknown): boolean {
  return Array.isArray(x) && x.length > 0 && x.every((c) => typeof c === 'object' && c !== null && typeof (c as { pagesperslab?: unknown }).pagesperslab === 'number' && typeof (c as { allocated?: unknown }).allocated === 'number');
}
registerView(isCacheDetail, (x) => ({ svg: svgSlabCache(x as CacheDetail), text: termSlabCache(x as CacheDetail, { color: false }) }), {
  name: 'slab-cache',
  terminal: (x, o) => termSlabCache(x as CacheDetail, o),
});
registerView(isKmallocClasses, (x) => ({ svg: svgKmallocClasses(x as KmallocClassSnapshot[]), text: termKmallocClasses(x as KmallocClassSnapshot[], { color: false }) }), {
  name: 'kmalloc-classes',
  terminal: (x, o) => termKmallocClasses(x as KmallocClassSnapshot[], o),
});
