/**
 * Slab pictures: a cache's slabs as rows of object cells (allocated, free, quarantined) with the
 * freelists drawn as arrows from each free object to the next; and the kmalloc classes'
 * occupancy as bars.
 *
 * Mirrors: what `slabinfo -v` / crash `kmem -S` show of struct slab (mm/slub.c): objects,
 * inuse, the per-cpu lockless freelist and the slab's own freelist.
 * Models: pure functions of the CacheDetail / KmallocClassSnapshot snapshots of
 * lib/mm/slab_common.ts.
 * Simplifies: at most `maxSlabs` slabs are drawn (the rest are counted in the subtitle); a slab
 * with many objects wraps onto several lines of cells.
 * See: chapter 04 (slab).
 */
import type { CacheDetail, KmallocClassSnapshot, SlabSnapshot } from '../../mm/slab_common.js';
import { hex } from '../../base/format.js';
import { INK, legend, line, MUTED, OKABE_ITO, path, rect, RULE, svgDoc, text, titleBlock } from './kit.js';

/** Colours of object states. */
export const SLAB_OBJECT_COLORS = {
  allocated: OKABE_ITO.vermillion,
  free: '#e8eef5',
  quarantined: OKABE_ITO.yellow,
} as const;
/** Arrow colours: the cpu's lockless freelist and the slab's own freelist. */
export const FREELIST_COLORS = { cpu: OKABE_ITO.blue, slab: OKABE_ITO.green } as const;

/** Options of {@link svgSlabCache}. */
export interface SlabSvgOptions {
  /** Picture width in pixels (default 900). */
  width?: number;
  /** Most slabs drawn (default 8). */
  maxSlabs?: number;
  /** Draw the freelist arrows (default true). */
  arrows?: boolean;
}

/**
 * One cache: per slab a labelled band of object cells, freelists as arrows.
 *
 * @example show(svgSlabCache(sys.slab.inspectCacheDetail('kmalloc-256')))
 */
export function svgSlabCache(c: CacheDetail, opts: SlabSvgOptions = {}): string {
  const W = opts.width ?? 900;
  const maxSlabs = opts.maxSlabs ?? 8;
  const arrows = opts.arrows ?? true;
  const left = 16;
  const labelW = 210;
  const gridW = W - left - labelW - 16;
  const perLine = Math.max(8, Math.min(c.objects_per_slab, 64));
  const cell = Math.max(6, Math.min(28, Math.floor(gridW / perLine)));
  const cellH = Math.min(22, Math.max(10, cell));
  const slabs = c.slabList.slice(0, maxSlabs);
  const head = titleBlock(
    `${c.name}: ${c.objects_per_slab} objects of ${c.size} B per slab (order ${c.order})`,
    `object_size ${c.object_size}, align ${c.align}, free pointer at +${c.offset}; ${c.slabs} slabs, ${c.allocated}/${c.total_objects} objects allocated` +
      (c.slabList.length > slabs.length ? `; first ${slabs.length} of ${c.slabList.length} slabs shown` : ''),
    left,
    22,
  );
  let y = 22 + head.height + 8;
  const body: string[] = [head.svg];
  const lg = legend(
    [
      { color: SLAB_OBJECT_COLORS.allocated, label: 'allocated' },
      { color: SLAB_OBJECT_COLORS.free, label: 'free' },
      { color: SLAB_OBJECT_COLORS.quarantined, label: 'KASAN quarantine' },
      { color: FREELIST_COLORS.cpu, label: 'cpu freelist', lineDash: '' },
      { color: FREELIST_COLORS.slab, label: 'slab freelist', lineDash: '' },
    ],
    left,
    y,
    W - 2 * left,
  );
  body.push(lg.svg);
  y += lg.height + 10;
  for (const s of slabs) {
    const lines = Math.ceil(s.objects / perLine);
    const h = Math.max(lines * (cellH + 10) + 8, 52);
    body.push(rect(left, y - 4, W - 2 * left, h, { fill: '#fafbfc', stroke: RULE, rx: 4 }));
    body.push(text(left + 8, y + 12, `slab ${hex(s.addr)}`, { size: 11, weight: 'bold' }));
    const where = s.where === 'cpu' ? `cpu slab of cpu${s.cpu}` : s.where === 'cpu-partial' ? `cpu${s.cpu} partial list` : s.where === 'node-partial' ? `node ${s.node} partial list` : 'full (on no list)';
    body.push(text(left + 8, y + 27, where, { size: 11, fill: MUTED }));
    body.push(text(left + 8, y + 42, `inuse ${s.inuse}/${s.objects}${s.frozen ? ', frozen' : ''}`, { size: 11, fill: MUTED }));
    const gx = left + labelW;
    const pos = (i: number) => ({ x: gx + (i % perLine) * cell, y: y + Math.floor(i / perLine) * (cellH + 10) });
    for (const o of s.objs) {
      const p = pos(o.index);
      body.push(rect(p.x + 0.5, p.y + 0.5, cell - 1, cellH - 1, {
        fill: SLAB_OBJECT_COLORS[o.state],
        stroke: '#9aa4b1',
        strokeWidth: 0.5,
        title: `object ${o.index} at ${hex(o.addr)}: ${o.state}${o.fp !== null ? `, free pointer ${o.fp === 0 ? 'NULL' : hex(o.fp)}` : ''}`,
      }));
    }
    if (arrows) body.push(freelistArrows(s, pos, cell, cellH));
    y += h + 8;
  }
  if (!slabs.length) {
    body.push(text(left, y + 14, 'no slabs: the cache holds no pages', { fill: MUTED }));
    y += 24;
  }
  return svgDoc(W, y + 8, body.join(''), { title: `slabs of ${c.name}`, css: '' });
}

/** Arrows between consecutive free objects of the cpu freelist and of the slab freelist. */
function freelistArrows(s: SlabSnapshot, pos: (i: number) => { x: number; y: number }, cell: number, cellH: number): string {
  const out: string[] = [];
  const byAddr = new Map(s.objs.map((o) => [o.addr, o]));
  const chainOf = (head: number, color: string) => {
    let a = head;
    let guard = 0;
    let first = true;
    while (a !== 0 && guard++ <= s.objects) {
      const o = byAddr.get(a);
      if (!o) break;
      const p = pos(o.index);
      if (first) {
        out.push(line(p.x + cell / 2, p.y - 5, p.x + cell / 2, p.y + 2, { stroke: color, width: 2 }));
        first = false;
      }
      const nextAddr = o.fp ?? 0;
      const n = byAddr.get(nextAddr);
      if (!n) break;
      const q = pos(n.index);
      const x1 = p.x + cell / 2, y1 = p.y + cellH / 2, x2 = q.x + cell / 2, y2 = q.y + cellH / 2;
      const bend = Math.min(16, 4 + Math.abs(x2 - x1) / 6);
      const d = `M${x1},${y1} C${x1},${y1 - bend} ${x2},${y2 - bend} ${x2},${y2 - 2}`;
      out.push(path(d, { stroke: color, width: 1.4 }));
      out.push(path(`M${x2 - 3},${y2 - 6} L${x2},${y2 - 2} L${x2 + 3},${y2 - 6}`, { stroke: color, width: 1.4 }));
      a = nextAddr;
    }
  };
  chainOf(s.cpu_freelist, FREELIST_COLORS.cpu);
  chainOf(s.freelist, FREELIST_COLORS.slab);
  return out.join('');
}

/**
 * The kmalloc classes of one family: a bar per class with its allocated and total objects.
 *
 * @example show(svgKmallocClasses(sys.slab.inspectKmallocClasses()))
 */
export function svgKmallocClasses(classes: KmallocClassSnapshot[], opts: { width?: number; title?: string } = {}): string {
  const W = opts.width ?? 760;
  const left = 16;
  const nameW = 120;
  const barX = left + nameW;
  const barW = W - barX - 190;
  const head = titleBlock(opts.title ?? 'kmalloc size classes', 'occupancy of each class: allocated objects of the objects its slabs hold; slab memory', left, 22);
  let y = 22 + head.height + 10;
  const body = [head.svg];
  for (const c of classes) {
    body.push(text(left, y + 13, c.name, { size: 12 }));
    const pct = c.total ? (100 * c.allocated) / c.total : 0;
    if (c.total) {
      body.push(rect(barX, y, barW, 18, { fill: SLAB_OBJECT_COLORS.free, stroke: '#9aa4b1', strokeWidth: 0.5, title: `${c.total} objects in ${c.slabs} slabs of ${c.pagesperslab} page(s)` }));
      body.push(rect(barX, y, (barW * c.allocated) / c.total, 18, { fill: SLAB_OBJECT_COLORS.allocated, title: `${c.allocated} allocated (${pct.toFixed(1)}%)` }));
    } else body.push(text(barX + 6, y + 13, 'no slabs', { size: 11, fill: MUTED }));
    const kb = (c.slabs * c.pagesperslab * 4);
    body.push(text(barX + barW + 10, y + 13, `${c.allocated}/${c.total} (${pct.toFixed(0)}%) · ${kb} KiB`, { size: 11, fill: MUTED }));
    y += 24;
  }
  body.push(line(barX, 22 + head.height + 4, barX, y, { stroke: INK, width: 1 }));
  return svgDoc(W, y + 10, body.join(''), { title: opts.title ?? 'kmalloc size classes' });
}
