/**
 * The physical memory map as an SVG picture: one square per page (or per bucket of pages on
 * a big machine), coloured by page state, zone or migratetype, with zone and node boundaries
 * drawn as lines, zone brackets labelled on the right, and pfn / physical-address labels on
 * the left.
 *
 * Mirrors: what `page_owner`/`page-types` (tools/mm) and /proc/zoneinfo tell about the page
 * array (mem_map), drawn the way textbooks draw it.
 * Models: a pure function of a MemmapSnapshot (from `inspectMemmap`); the cell-colouring and
 * re-bucketing helpers here are shared with the terminal map (../term/memmap.ts).
 * Simplifies: a bucket of pages is drawn in the colour of its majority; the tooltip gives
 * the counts.
 * See: chapter on physical memory (zones, nodes, the page array).
 */
import { PAGE_STATES, type MemmapCell, type MemmapSnapshot, type PageState } from '../snapshots.js';
import {
  INK, MUTED, NODE_LINE, RULE, STATE_COLORS, STATE_LABELS, ZONE_LINE, UNKNOWN_COLOR,
  fmtBytes, fmtPfn, fmtPhys, legend, line, migratetypeColor, path, placeLabels, rect, svgDoc, text, textWidth,
  titleBlock, zoneColor, MIGRATETYPE_COLORS, num, tip, ZONE_COLORS, type LegendEntry, PAGE_SHIFT, fmtCount,
} from './kit.js';

/** What the cells of a memory map are coloured by. */
export type MemmapColorBy = 'state' | 'zone' | 'migratetype';

/** Options of {@link svgMemmap}. */
export interface MemmapSvgOptions {
  /** Colour cells by page state (default), zone or migratetype. */
  colorBy?: MemmapColorBy;
  /** Cells per row (default: 64, or 128 for more than 8192 cells). */
  columns?: number;
  /** Side of a cell in pixels (default: chosen so the grid is about 640 px wide). */
  cellSize?: number;
  /** Merge cells so that at most this many are drawn (default 16384). */
  maxCells?: number;
  /** Title (default "Physical memory map"). */
  title?: string;
  /** Tooltips on every cell (default true). */
  tooltips?: boolean;
  /** log2 of the page size (default 12). */
  pageShift?: number;
  /** Pages per pageblock, marked when colouring by migratetype (default 512: pageblock_order 9). */
  pageblockPages?: number;
}

/** The key a cell is coloured by ('' for a hole when colouring by zone or migratetype). */
export function cellKey(c: MemmapCell, by: MemmapColorBy): string {
  if (by === 'state') return c.state;
  if (c.state === 'hole') return '';
  return by === 'zone' ? c.zone : c.migratetype;
}

/** The fill colour of a key from {@link cellKey}. */
export function keyColor(key: string, by: MemmapColorBy): string {
  if (by === 'state') return STATE_COLORS[key as PageState] ?? UNKNOWN_COLOR;
  if (key === '') return STATE_COLORS.hole;
  return by === 'zone' ? zoneColor(key) : migratetypeColor(key);
}

/** The legend label of a key from {@link cellKey}. */
export function keyLabel(key: string, by: MemmapColorBy): string {
  if (by === 'state') return STATE_LABELS[key as PageState] ?? key;
  return key === '' ? 'hole' : key;
}

/** Page counts per state of one cell (a whole cell of its state when `counts` is absent). */
export function cellCounts(c: MemmapCell, pagesPerCell: number): Partial<Record<PageState, number>> {
  return c.counts ?? { [c.state]: pagesPerCell };
}

/**
 * Pages per colouring key over the whole map, in legend order (page states in PAGE_STATES
 * order, zones and migratetypes in palette order, unknown names after them).
 */
export function memmapTotals(m: MemmapSnapshot, by: MemmapColorBy): { key: string; pages: number }[] {
  const tot = new Map<string, number>();
  for (let i = 0; i < m.cells.length; i++) {
    const c = m.cells[i];
    const n = cellPages(m, i);
    if (by === 'state') {
      const cc = cellCounts(c, n);
      for (const k of Object.keys(cc) as PageState[]) tot.set(k, (tot.get(k) ?? 0) + (cc[k] ?? 0));
    } else {
      const k = cellKey(c, by);
      tot.set(k, (tot.get(k) ?? 0) + n);
    }
  }
  const order: string[] = by === 'state' ? PAGE_STATES.slice() : by === 'zone' ? Object.keys(ZONE_COLORS) : Object.keys(MIGRATETYPE_COLORS);
  if (by !== 'state') order.push('');
  const keys = Array.from(tot.keys()).filter((k) => (tot.get(k) ?? 0) > 0);
  keys.sort((a, b) => rank(order, a) - rank(order, b));
  return keys.map((key) => ({ key, pages: tot.get(key) ?? 0 }));
}

function rank(order: string[], k: string): number {
  const i = order.indexOf(k);
  return i < 0 ? order.length - 1 + 0.5 : i;
}

/** Pages covered by cell `i` (the last cell may be short). */
export function cellPages(m: MemmapSnapshot, i: number): number {
  const c = m.cells[i];
  const next = i + 1 < m.cells.length ? m.cells[i + 1].pfn : m.end_pfn;
  return Math.max(1, Math.min(m.pagesPerCell, next - c.pfn));
}

function majority(vals: string[]): string {
  const n = new Map<string, number>();
  let best = vals[0] ?? '';
  let bestN = 0;
  for (const v of vals) {
    const k = (n.get(v) ?? 0) + 1;
    n.set(v, k);
    if (k > bestN) {
      best = v;
      bestN = k;
    }
  }
  return best;
}

/**
 * Merges every `factor` consecutive cells into one (for drawing a big map in less room).
 * Counts are summed; the state is the majority of the pages; zone, node and migratetype are
 * those of the majority of the non-hole cells. Returns the snapshot itself when factor <= 1.
 */
export function coarsenMemmap(m: MemmapSnapshot, factor: number): MemmapSnapshot {
  const f = Math.floor(factor);
  if (f <= 1) return m;
  const cells: MemmapCell[] = [];
  for (let i = 0; i < m.cells.length; i += f) {
    const counts: Partial<Record<PageState, number>> = {};
    const zones: string[] = [];
    const types: string[] = [];
    const nodes: string[] = [];
    for (let j = i; j < Math.min(i + f, m.cells.length); j++) {
      const c = m.cells[j];
      const cc = cellCounts(c, cellPages(m, j));
      for (const k of Object.keys(cc) as PageState[]) counts[k] = (counts[k] ?? 0) + (cc[k] ?? 0);
      if (c.state !== 'hole' || c.zone) {
        zones.push(c.zone);
        types.push(c.migratetype);
        nodes.push(String(c.node));
      }
    }
    let state: PageState = 'hole';
    let best = -1;
    for (const s of PAGE_STATES) {
      const v = counts[s] ?? 0;
      if (v > best) {
        best = v;
        state = s;
      }
    }
    const first = m.cells[i];
    cells.push({
      pfn: first.pfn,
      state,
      counts,
      zone: zones.length ? majority(zones) : first.zone,
      node: nodes.length ? Number(majority(nodes)) : first.node,
      migratetype: types.length ? majority(types) : first.migratetype,
    });
  }
  return { start_pfn: m.start_pfn, end_pfn: m.end_pfn, pagesPerCell: m.pagesPerCell * f, cells, zones: m.zones };
}

/** The smallest power of two at least `n` (1 for n <= 1): merge factors stay powers of two so row labels stay round. */
export function pow2AtLeast(n: number): number {
  let f = 1;
  while (f < n) f *= 2;
  return f;
}

/** A zone or node boundary inside the map, as a cell index. */
export interface MemmapBoundary {
  /** Cell index where the new zone (or hole) starts. */
  cell: number;
  pfn: number;
  /** True when the node changes here (drawn stronger). */
  node: boolean;
}

/** The zone and node boundaries strictly inside the map, sorted, one per cell index. */
export function memmapBoundaries(m: MemmapSnapshot): MemmapBoundary[] {
  const zs = m.zones.slice().sort((a, b) => a.start_pfn - b.start_pfn);
  const at = new Map<number, MemmapBoundary>();
  const add = (pfn: number, node: boolean) => {
    if (pfn <= m.start_pfn || pfn >= m.end_pfn) return;
    const cell = Math.round((pfn - m.start_pfn) / m.pagesPerCell);
    if (cell <= 0 || cell >= m.cells.length) return;
    const old = at.get(cell);
    if (old) old.node = old.node || node;
    else at.set(cell, { cell, pfn, node });
  };
  for (let i = 0; i < zs.length; i++) {
    const prev = zs[i - 1];
    add(zs[i].start_pfn, !!prev && prev.node !== zs[i].node);
    const next = zs[i + 1];
    if (!next || next.start_pfn !== zs[i].end_pfn) add(zs[i].end_pfn, !next || next.node !== zs[i].node);
  }
  return Array.from(at.values()).sort((a, b) => a.cell - b.cell);
}

/** Hex digits needed for the largest physical address of the map. */
function physDigits(m: MemmapSnapshot, pageShift: number): number {
  return Math.max(5, (Math.max(1, m.end_pfn) * 2 ** pageShift - 1).toString(16).length);
}

function cellTitle(m: MemmapSnapshot, i: number, pageShift: number): string {
  const c = m.cells[i];
  const n = cellPages(m, i);
  const where = c.state === 'hole' && !c.zone ? 'hole' : `node ${c.node} ${c.zone}${c.migratetype ? ' · ' + c.migratetype : ''}`;
  if (n === 1 && !c.counts) {
    const ord = c.order !== undefined ? ` (order-${c.order} head)` : '';
    return `pfn ${fmtPfn(c.pfn)} · phys ${fmtPhys(c.pfn, 0, pageShift)}\n${STATE_LABELS[c.state]}${ord}\n${where}`;
  }
  const cc = cellCounts(c, n);
  const parts = PAGE_STATES.filter((s) => (cc[s] ?? 0) > 0).map((s) => `${STATE_LABELS[s]} ${cc[s]}`);
  return `pfn ${fmtPfn(c.pfn)}-${fmtPfn(c.pfn + n - 1)} · ${fmtBytes(n * 2 ** pageShift)}\n${parts.join(', ')}\n${where}`;
}

/**
 * Draws a memory map as an SVG document. Big snapshots are merged down to `maxCells` cells.
 *
 * @example svgMemmap(inspectMemmap(sys), { colorBy: 'zone' })
 */
export function svgMemmap(snap: MemmapSnapshot, opts: MemmapSvgOptions = {}): string {
  const by = opts.colorBy ?? 'state';
  const pageShift = opts.pageShift ?? PAGE_SHIFT;
  const maxCells = opts.maxCells ?? 16384;
  const m = snap.cells.length > maxCells ? coarsenMemmap(snap, pow2AtLeast(Math.ceil(snap.cells.length / maxCells))) : snap;
  const n = m.cells.length;
  const cols = Math.max(1, Math.floor(opts.columns ?? (n > 8192 ? 128 : 64)));
  const rows = Math.max(1, Math.ceil(n / cols));
  const cs = opts.cellSize ?? Math.max(3, Math.min(16, Math.floor(640 / cols)));
  const gap = cs >= 6 ? 1 : 0;
  const pad = 16;
  const pfnDigits = Math.max(1, (Math.max(1, m.end_pfn) - 1).toString(16).length);
  const pd = physDigits(m, pageShift);
  const pfnColW = textWidth('0x' + 'f'.repeat(pfnDigits), 10.5) + 10;
  const physColW = textWidth('0x' + 'f'.repeat(pd), 10.5) + 6;
  const gridW = cols * cs;
  const gridH = rows * cs;

  // Zone brackets on the right.
  const zones = m.zones.slice().sort((a, b) => a.start_pfn - b.start_pfn);
  const multiNode = new Set(zones.map((z) => z.node)).size > 1;
  const zoneLabelW = Math.max(150, ...zones.map((z) => textWidth(`${multiNode ? `N${z.node} ` : ''}${z.zone}`, 12) + 20),
    ...zones.map((z) => textWidth(`${fmtPfn(z.start_pfn)}-${fmtPfn(z.end_pfn - 1)}`, 10.5) + 20));
  const width = pad + pfnColW + physColW + 6 + gridW + 16 + zoneLabelW + pad;

  const totalPages = m.end_pfn - m.start_pfn;
  const head = titleBlock(
    opts.title ?? 'Physical memory map',
    `${fmtPfn(m.start_pfn)}-${fmtPfn(m.end_pfn - 1)} · ${fmtCount(totalPages)} pages (${fmtBytes(totalPages * 2 ** pageShift)}) · ` +
      `${m.pagesPerCell === 1 ? '1 page' : `${fmtCount(m.pagesPerCell)} pages (${fmtBytes(m.pagesPerCell * 2 ** pageShift)})`} per cell · coloured by ${by}`,
    pad, pad,
  );
  const entries: LegendEntry[] = memmapTotals(m, by).map((t) => ({
    label: keyLabel(t.key, by),
    color: keyColor(t.key, by),
    value: fmtBytes(t.pages * 2 ** pageShift),
    title: `${keyLabel(t.key, by)}: ${fmtCount(t.pages)} pages`,
  }));
  if (by === 'migratetype') entries.push({ label: `pageblock (${opts.pageblockPages ?? 512} pages)`, color: '#c8c8c8', lineDash: '' });
  entries.push({ label: 'zone boundary', color: ZONE_LINE, lineDash: '' });
  if (multiNode) entries.push({ label: 'node boundary', color: NODE_LINE, lineDash: '' });
  const leg = legend(entries, pad, pad + head.height + 4, width - 2 * pad);

  const top = pad + head.height + 4 + leg.height + 26;
  const gx = pad + pfnColW + physColW + 6;
  const gy = top;
  let body = head.svg + leg.svg;

  // Column offsets along the top.
  body += text(pad, gy - 8, 'pfn', { size: 10.5, fill: MUTED });
  body += text(pad + pfnColW, gy - 8, 'phys', { size: 10.5, fill: MUTED });
  const colStep = cols <= 16 ? 4 : cols <= 64 ? 16 : 32;
  for (let c = 0; c < cols; c += colStep) {
    const off = c * m.pagesPerCell;
    body += line(gx + c * cs, gy - 5, gx + c * cs, gy - 1, { stroke: MUTED });
    body += text(gx + c * cs + 2, gy - 7, `+${fmtPfn(off)}`, { size: 9.5, fill: MUTED });
  }

  // Row labels: every row when it is tall enough, else every k-th (k a power of two).
  let every = 1;
  while (every * cs < 13) every *= 2;
  for (let r = 0; r < rows; r += every) {
    const i = r * cols;
    if (i >= n) break;
    const pfn = m.cells[i].pfn;
    const y = gy + r * cs + Math.min(cs, 13) / 2 + 0.5;
    body += text(pad + pfnColW - 8, y, fmtPfn(pfn), { size: 10.5, anchor: 'end', baseline: 'middle' });
    body += text(pad + pfnColW, y, fmtPhys(pfn, pd, pageShift), { size: 10.5, baseline: 'middle', fill: MUTED });
  }

  // The cells.
  const tips = opts.tooltips ?? true;
  // Fills are attributes, not CSS classes: a notebook may show the SVG as an <img> or
  // sanitise <style> away, and attributes survive both.
  let cells = '';
  for (let i = 0; i < n; i++) {
    const c = m.cells[i];
    const x = gx + (i % cols) * cs;
    const y = gy + Math.floor(i / cols) * cs;
    const a = `<rect x="${num(x)}" y="${num(y)}" width="${num(cs - gap)}" height="${num(cs - gap)}" fill="${keyColor(cellKey(c, by), by)}"`;
    cells += tips ? `${a}>${tip(cellTitle(m, i, pageShift))}</rect>` : `${a}/>`;
  }
  body += `<g class="cells">${cells}</g>`;
  body += rect(gx - 0.5, gy - 0.5, gridW + 1 - gap, gridH + 1 - gap, { stroke: RULE });

  // Pageblocks: migratetypes belong to pageblocks, so mark them when each is whole rows.
  const perRow = cols * m.pagesPerCell;
  const pb = opts.pageblockPages ?? 512;
  if (by === 'migratetype' && pb % perRow === 0 && pb / perRow >= 1) {
    const step = pb / perRow;
    let d = '';
    for (let r = step; r < rows; r += step) d += `M${gx - 0.5} ${gy + r * cs - gap / 2}H${gx + gridW - gap / 2}`;
    if (d) body += path(d, { stroke: '#ffffff', width: 2.5, title: `pageblock boundaries (every ${pb} pages)` });
  }

  // Boundaries: a staircase line between the cells before and after the boundary.
  for (const b of memmapBoundaries(m)) {
    const r = Math.floor(b.cell / cols);
    const c = b.cell % cols;
    const x = gx + c * cs - gap / 2;
    const y0 = gy + r * cs - gap / 2;
    const right = gx + gridW - gap / 2;
    const left = gx - gap / 2;
    let d: string;
    if (c === 0) d = `M${left} ${y0}H${right}`;
    else d = `M${left} ${y0 + cs}H${x}V${y0}H${right}`;
    const nodeB = b.node;
    body += path(d, {
      stroke: nodeB ? NODE_LINE : ZONE_LINE, width: nodeB ? 3 : 2, cap: 'square',
      title: `${nodeB ? 'node' : 'zone'} boundary at pfn ${fmtPfn(b.pfn)} (${fmtPhys(b.pfn, 0, pageShift)})`,
    });
  }

  // Zone brackets and labels on the right.
  const bx = gx + gridW + 10;
  const spans = zones.map((z) => {
    const a = Math.max(0, Math.round((z.start_pfn - m.start_pfn) / m.pagesPerCell));
    const e = Math.min(n, Math.round((z.end_pfn - m.start_pfn) / m.pagesPerCell));
    const y0 = gy + Math.floor(a / cols) * cs;
    const y1 = gy + Math.ceil(Math.max(a + 1, e) / cols) * cs - gap;
    return { z, y0, y1 };
  });
  const labelH = 40;
  const wish = spans.map((s) => (s.y0 + s.y1) / 2 - labelH / 2);
  const ys = placeLabels(wish, labelH + 2, gy, Math.max(gy, gy + gridH - labelH));
  spans.forEach((s, k) => {
    const col = zoneColor(s.z.zone);
    const xk = bx + (k % 2) * 5;
    body += path(`M${xk - 4} ${s.y0 + 1}H${xk}V${s.y1 - 1}H${xk - 4}`, { stroke: col === STATE_COLORS.hole ? INK : col, width: 3 });
    const ly = ys[k];
    const mid = (s.y0 + s.y1) / 2;
    const lx = bx + 16;
    if (Math.abs(ly + labelH / 2 - mid) > 2) body += path(`M${xk} ${mid}L${lx - 3} ${ly + 8}`, { stroke: MUTED, width: 0.8 });
    const pages = s.z.end_pfn - s.z.start_pfn;
    body += text(lx, ly + 10, `${multiNode ? `Node ${s.z.node} ` : ''}${s.z.zone}`, { size: 12, weight: 'bold', title: `node ${s.z.node} zone ${s.z.zone}: pfn ${fmtPfn(s.z.start_pfn)}-${fmtPfn(s.z.end_pfn - 1)}, ${fmtCount(pages)} pages` });
    body += text(lx, ly + 24, `${fmtPfn(s.z.start_pfn)}-${fmtPfn(s.z.end_pfn - 1)}`, { size: 10.5, fill: MUTED });
    body += text(lx, ly + 37, fmtBytes(pages * 2 ** pageShift), { size: 10.5, fill: MUTED });
  });

  const height = gy + gridH + pad + 4;
  return svgDoc(width, Math.max(height, Math.max(0, ...ys) + labelH + pad), body, { title: opts.title ?? 'Physical memory map' });
}
