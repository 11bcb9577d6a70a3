/**
 * The physical memory map in the terminal: one character per page (or per bucket of pages),
 * a glyph and a colour per page state, zone or migratetype, a pfn label per row, and a rule
 * line wherever a zone or node starts (a row that a boundary cuts is printed in two parts, so
 * the columns stay aligned).
 *
 * Mirrors: the same data as ../svg/memmap.ts (the page array, zones, nodes).
 * Models: a pure function of a MemmapSnapshot; big maps are merged to fit `maxRows`.
 * Simplifies: a bucket shows the state of the majority of its pages.
 * See: chapter on physical memory.
 */
import type { MemmapSnapshot, PageState } from '../snapshots.js';
import { STATE_LABELS, fmtBytes, fmtCount, fmtPfn, PAGE_SHIFT } from '../svg/kit.js';
import { cellKey, coarsenMemmap, pow2AtLeast, keyColor, keyLabel, memmapBoundaries, memmapTotals, type MemmapColorBy } from '../svg/memmap.js';
import { dim, fitLines, legendLines, paintCells, rule, termCtx, type TermOptions } from './kit.js';

/** Glyph of each page state (readable without colour). */
export const STATE_GLYPHS: Readonly<Record<PageState, string>> = {
  hole: ' ',
  reserved: '#',
  free: '.',
  pcp: ':',
  slab: 's',
  pagetable: 'p',
  anon: 'a',
  file: 'f',
  allocated: '@',
};

/** Glyph of each zone. */
export const ZONE_GLYPHS: Readonly<Record<string, string>> = { DMA: 'D', DMA32: '3', Normal: 'N', HighMem: 'H', Movable: 'M', Device: 'V' };

/** Glyph of each migratetype: the letters of the kernel's `show_migration_types` (mm/show_mem.c). */
export const MIGRATETYPE_GLYPHS: Readonly<Record<string, string>> = { Unmovable: 'U', Movable: 'M', Reclaimable: 'E', HighAtomic: 'H', CMA: 'C', Isolate: 'I' };

/** The glyph of a colouring key (see `cellKey`). */
export function keyGlyph(key: string, by: MemmapColorBy): string {
  if (by === 'state') return STATE_GLYPHS[key as PageState] ?? '?';
  if (key === '') return ' ';
  return (by === 'zone' ? ZONE_GLYPHS[key] : MIGRATETYPE_GLYPHS[key]) ?? (key.charAt(0) || '?');
}

/** The background of a key in the terminal: none for holes (no RAM shows as blank), else the picture palette. */
export function termKeyColor(key: string, by: MemmapColorBy): string | undefined {
  return key === '' || key === 'hole' ? undefined : keyColor(key, by);
}

/** Options of {@link termMemmap}. */
export interface MemmapTermOptions extends TermOptions {
  /** Colour (and glyph) by page state (default), zone or migratetype. */
  colorBy?: MemmapColorBy;
  /** Most grid rows to print (default 64); bigger maps are merged to fit. */
  maxRows?: number;
  /** Cells per row (default: the largest power of two that fits, at most 64). */
  columns?: number;
  /** Title line (default "Physical memory map"). */
  title?: string;
  /** log2 of the page size (default 12). */
  pageShift?: number;
}

/**
 * Draws a memory map for the terminal. Every line is at most `width` columns.
 *
 * @example console.log(termMemmap(inspectMemmap(sys), { width: 100, colorBy: 'zone' }))
 */
export function termMemmap(snap: MemmapSnapshot, opts: MemmapTermOptions = {}): string {
  const { width, color } = termCtx(opts);
  const by = opts.colorBy ?? 'state';
  const pageShift = opts.pageShift ?? PAGE_SHIFT;
  const digits = Math.max(1, (Math.max(1, snap.end_pfn) - 1).toString(16).length);
  const labelW = digits + 3; // "0x" + digits + space
  let cols = opts.columns ?? 1;
  if (!opts.columns) while (cols * 2 <= Math.min(64, width - labelW - 1)) cols *= 2;
  cols = Math.max(1, Math.min(cols, width - labelW));
  const maxRows = Math.max(1, opts.maxRows ?? 64);
  const m = snap.cells.length > cols * maxRows ? coarsenMemmap(snap, pow2AtLeast(Math.ceil(snap.cells.length / (cols * maxRows)))) : snap;
  const n = m.cells.length;
  const out: string[] = [];
  const total = m.end_pfn - m.start_pfn;
  out.push(rule(opts.title ?? 'Physical memory map', width, color));
  out.push(dim(`${fmtPfn(m.start_pfn)}-${fmtPfn(m.end_pfn - 1)}, ${fmtCount(total)} pages (${fmtBytes(total * 2 ** pageShift)}); ` +
    `${m.pagesPerCell === 1 ? 'one page' : `${fmtCount(m.pagesPerCell)} pages`} per character, by ${by}`, color));
  const leg = memmapTotals(m, by).map((t) => ({
    glyph: keyGlyph(t.key, by),
    bg: termKeyColor(t.key, by),
    label: t.key === '' || t.key === 'hole' ? 'hole (blank)' : by === 'state' ? shortState(t.key as PageState) : keyLabel(t.key, by),
    value: fmtBytes(t.pages * 2 ** pageShift),
  }));
  out.push(...legendLines(leg, width, color));

  const zones = m.zones.slice().sort((a, b) => a.start_pfn - b.start_pfn);
  const multiNode = new Set(zones.map((z) => z.node)).size > 1;
  const cellOf = (pfn: number) => Math.round((pfn - m.start_pfn) / m.pagesPerCell);
  const header = (cell: number): string => {
    const pfn = m.cells[cell]?.pfn ?? m.start_pfn + cell * m.pagesPerCell;
    const z = zones.find((q) => cellOf(q.start_pfn) === cell && q.end_pfn > q.start_pfn) ?? zones.find((q) => cellOf(q.start_pfn) <= cell && cellOf(q.end_pfn) > cell);
    if (!z || cellOf(z.end_pfn) <= cell) return rule(`no zone from pfn ${fmtPfn(pfn)}`, width, color);
    const pages = z.end_pfn - z.start_pfn;
    return rule(`${multiNode || z.node ? `Node ${z.node} ` : ''}${z.zone}  ${fmtPfn(z.start_pfn)}-${fmtPfn(z.end_pfn - 1)} ${fmtBytes(pages * 2 ** pageShift)}`, width, color);
  };
  const cuts = memmapBoundaries(m).map((b) => b.cell);
  const starts = [0, ...cuts];
  out.push(header(0));
  const rows = Math.ceil(n / cols);
  for (let r = 0; r < rows; r++) {
    const a = r * cols;
    const e = Math.min(n, a + cols);
    const inRow = starts.filter((s) => s > a && s < e);
    const segs = [a, ...inRow, e];
    for (let k = 0; k + 1 < segs.length; k++) {
      if (k > 0) out.push(header(segs[k]));
      let line = dim(fmtPfn(m.cells[segs[k]].pfn).padStart(labelW - 1), color) + ' ' + ' '.repeat(segs[k] - a);
      const row: { glyph: string; bg?: string }[] = [];
      for (let i = segs[k]; i < segs[k + 1]; i++) {
        const key = cellKey(m.cells[i], by);
        row.push({ glyph: keyGlyph(key, by), bg: termKeyColor(key, by) });
      }
      line += paintCells(row, color);
      out.push(line);
    }
    if (e < n && starts.includes(e)) out.push(header(e));
  }
  return fitLines(out, width);
}

function shortState(s: PageState): string {
  return s === 'pcp' ? 'pcp' : s === 'free' ? 'free' : s === 'hole' ? 'hole' : (STATE_LABELS[s] ?? s);
}
