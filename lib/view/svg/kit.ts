/**
 * The SVG picture toolkit shared by every picture of mmlab: escaping, the palette, text in a
 * monospace font stack, titles, legends, tooltips, label placement and kernel-style numbers.
 *
 * Mirrors: nothing in the kernel; the numbers it prints follow the kernel's own formats
 * (`show_free_areas` prints sizes as `15360kB`, pfns and physical addresses in hex).
 * Models: pure functions that return SVG strings. A picture is one `<svg>` element with
 * width, height and viewBox set and its own light background, so it reads the same in a
 * light or dark Jupyter theme. Tooltips are `<title>` children (shown on hover).
 * Simplifies: text widths are estimated (monospace, 0.6 em per character), not measured.
 * See: lib/view/README.md.
 */
import type { PageState } from '../snapshots.js';

/** The font stack of every picture (monospace, so widths can be estimated). */
export const FONT = "ui-monospace, SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', 'Liberation Mono', monospace";
/** Picture background (pictures carry their own, so dark notebook themes do not hide them). */
export const BG = '#ffffff';
/** Main text colour. */
export const INK = '#1f2328';
/** Secondary text colour (axis labels, subtitles). */
export const MUTED = '#5a6270';
/** Light rule colour (grid lines, panel borders). */
export const RULE = '#d0d7de';
/** Colour of zone boundaries. */
export const ZONE_LINE = '#1f2328';
/** Colour of node boundaries. */
export const NODE_LINE = '#b0002a';

/**
 * The Okabe–Ito colours (distinguishable with the common colour-vision deficiencies), plus
 * a few tints of them. Every palette below is built from these.
 */
export const OKABE_ITO = {
  orange: '#E69F00',
  sky: '#56B4E9',
  green: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  purple: '#CC79A7',
  black: '#000000',
} as const;

/** Fill colour of each page state in the memory map. */
export const STATE_COLORS: Readonly<Record<PageState, string>> = {
  hole: '#f1f1f1',
  reserved: '#6e6e6e',
  free: '#bfe6d3',
  pcp: OKABE_ITO.green,
  slab: OKABE_ITO.orange,
  pagetable: OKABE_ITO.purple,
  anon: OKABE_ITO.blue,
  file: OKABE_ITO.sky,
  allocated: OKABE_ITO.vermillion,
};

/** What each page state means, for legends and tooltips. */
export const STATE_LABELS: Readonly<Record<PageState, string>> = {
  hole: 'hole (no RAM)',
  reserved: 'reserved',
  free: 'free (buddy)',
  pcp: 'free (per-cpu list)',
  slab: 'slab',
  pagetable: 'page table',
  anon: 'anon',
  file: 'page cache',
  allocated: 'other allocated',
};

/** Fill colour of each zone (by the name /proc prints). */
export const ZONE_COLORS: Readonly<Record<string, string>> = {
  DMA: OKABE_ITO.orange,
  DMA32: OKABE_ITO.sky,
  Normal: OKABE_ITO.green,
  HighMem: OKABE_ITO.purple,
  Movable: OKABE_ITO.yellow,
  Device: '#999999',
};

/** Fill colour of each migratetype (names as MIGRATETYPE_NAMES, plus CMA). */
export const MIGRATETYPE_COLORS: Readonly<Record<string, string>> = {
  Unmovable: OKABE_ITO.vermillion,
  Movable: OKABE_ITO.blue,
  Reclaimable: OKABE_ITO.orange,
  HighAtomic: OKABE_ITO.purple,
  CMA: OKABE_ITO.green,
  Isolate: '#9a9a9a',
};

/** Colours of the watermark bands, from "allocations stall" to "all is well". */
export const WMARK_COLORS = {
  belowMin: '#D55E00',
  belowLow: '#E69F00',
  belowHigh: '#F0E442',
  ok: '#bfe6d3',
  free: '#0072B2',
} as const;

/** Colour used for names not found in a palette. */
export const UNKNOWN_COLOR = '#b8b8b8';

/** The colour of a zone name (grey when unknown). */
export function zoneColor(name: string): string {
  return ZONE_COLORS[name] ?? UNKNOWN_COLOR;
}

/** The colour of a migratetype name (grey when unknown). */
export function migratetypeColor(name: string): string {
  return MIGRATETYPE_COLORS[name] ?? UNKNOWN_COLOR;
}

/** Black or white, whichever reads better on `fill` (a #rrggbb colour). */
export function inkOn(fill: string): string {
  const m = /^#([0-9a-f]{6})$/i.exec(fill);
  if (!m) return INK;
  const n = parseInt(m[1], 16);
  const r = (n >> 16) & 255;
  const g = (n >> 8) & 255;
  const b = n & 255;
  return 0.299 * r + 0.587 * g + 0.114 * b > 140 ? INK : '#ffffff';
}

// ---------------------------------------------------------------------------------------
// Escaping and elements

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for SVG/HTML content and attribute values. */
export function esc(s: string | number): string {
  return String(s).replace(/[&<>"']/g, (c) => ESC[c]);
}

/** A number rounded for coordinates (two decimals at most, no trailing zeros). */
export function num(v: number): string {
  return String(Math.round(v * 100) / 100);
}

type AttrValue = string | number | undefined | null | false;

/** Renders attributes, skipping undefined/null/false ones; numbers are rounded. */
export function attrs(a: Record<string, AttrValue>): string {
  let s = '';
  for (const k of Object.keys(a)) {
    const v = a[k];
    if (v === undefined || v === null || v === false) continue;
    s += ` ${k}="${typeof v === 'number' ? num(v) : esc(v)}"`;
  }
  return s;
}

/** A tooltip: a `<title>` child element (empty string when there is no text). */
export function tip(text?: string): string {
  return text ? `<title>${esc(text)}</title>` : '';
}

/** Options of {@link rect}. */
export interface RectOpts {
  fill?: string;
  stroke?: string;
  strokeWidth?: number;
  rx?: number;
  opacity?: number;
  dash?: string;
  /** Tooltip text. */
  title?: string;
  cls?: string;
}

/** A rectangle, with an optional tooltip. */
export function rect(x: number, y: number, w: number, h: number, o: RectOpts = {}): string {
  const a = attrs({
    x, y, width: Math.max(0, w), height: Math.max(0, h),
    fill: o.fill ?? 'none', stroke: o.stroke, 'stroke-width': o.stroke ? o.strokeWidth ?? 1 : undefined,
    rx: o.rx, opacity: o.opacity, 'stroke-dasharray': o.dash, class: o.cls,
  });
  return o.title ? `<rect${a}>${tip(o.title)}</rect>` : `<rect${a}/>`;
}

/** Options of {@link line} and {@link path}. */
export interface LineOpts {
  stroke?: string;
  width?: number;
  dash?: string;
  title?: string;
  cap?: 'butt' | 'round' | 'square';
}

/** A straight line. */
export function line(x1: number, y1: number, x2: number, y2: number, o: LineOpts = {}): string {
  const a = attrs({
    x1, y1, x2, y2, stroke: o.stroke ?? INK, 'stroke-width': o.width ?? 1,
    'stroke-dasharray': o.dash, 'stroke-linecap': o.cap,
  });
  return o.title ? `<line${a}>${tip(o.title)}</line>` : `<line${a}/>`;
}

/** A path from `d` (unfilled unless `fill` is given). */
export function path(d: string, o: LineOpts & { fill?: string } = {}): string {
  const a = attrs({
    d, fill: o.fill ?? 'none', stroke: o.stroke ?? INK, 'stroke-width': o.width ?? 1,
    'stroke-dasharray': o.dash, 'stroke-linecap': o.cap, 'stroke-linejoin': 'round',
  });
  return o.title ? `<path${a}>${tip(o.title)}</path>` : `<path${a}/>`;
}

/** Options of {@link text}. */
export interface TextOpts {
  size?: number;
  anchor?: 'start' | 'middle' | 'end';
  weight?: 'normal' | 'bold';
  fill?: string;
  /** Dominant baseline: 'middle' centres the text on y. */
  baseline?: 'middle' | 'hanging' | 'auto';
  italic?: boolean;
  title?: string;
  /** Rotation in degrees about (x, y). */
  rotate?: number;
  /** Keep runs of spaces (for column-aligned text such as /proc lines). */
  pre?: boolean;
}

/** A text element in the picture's monospace font (inherited from the root). */
export function text(x: number, y: number, s: string | number, o: TextOpts = {}): string {
  const a = attrs({
    x, y, 'font-size': o.size ?? 12, 'text-anchor': o.anchor && o.anchor !== 'start' ? o.anchor : undefined,
    'font-weight': o.weight === 'bold' ? 'bold' : undefined, fill: o.fill ?? INK,
    'dominant-baseline': o.baseline && o.baseline !== 'auto' ? o.baseline : undefined,
    'font-style': o.italic ? 'italic' : undefined,
    transform: o.rotate ? `rotate(${num(o.rotate)} ${num(x)} ${num(y)})` : undefined,
    'xml:space': o.pre ? 'preserve' : undefined,
    style: o.pre ? 'white-space:pre' : undefined,
  });
  return `<text${a}>${esc(s)}${tip(o.title)}</text>`;
}

/** Estimated width in pixels of `s` at font size `size` (monospace: 0.6 em per character). */
export function textWidth(s: string | number, size = 12): number {
  return String(s).length * size * 0.6;
}

/** Shortens `s` with an ellipsis so that it fits `px` pixels at `size`. */
export function fitText(s: string, px: number, size = 12): string {
  const n = Math.floor(px / (size * 0.6));
  if (s.length <= n) return s;
  return n <= 1 ? '' : s.slice(0, n - 1) + '…';
}

/** Options of {@link svgDoc}. */
export interface DocOpts {
  /** Accessible name of the picture (also its tooltip). */
  title?: string;
  /** Extra CSS (inside a <style> element). */
  css?: string;
  /** Background colour (default white). */
  background?: string;
}

/**
 * Wraps `body` in a complete `<svg>` document with width, height, viewBox, the font stack
 * and a rounded background of its own.
 */
export function svgDoc(width: number, height: number, body: string, o: DocOpts = {}): string {
  const w = Math.ceil(width);
  const h = Math.ceil(height);
  const head =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}"` +
    ` font-family="${esc(FONT)}" role="img"${o.title ? ` aria-label="${esc(o.title)}"` : ''}>`;
  const style = o.css ? `<style>${o.css}</style>` : '';
  const bg = rect(0, 0, w, h, { fill: o.background ?? BG, rx: 6, stroke: RULE });
  return `${head}${o.title ? tip(o.title) : ''}${style}${bg}${body}</svg>`;
}

/** A title (bold) and an optional subtitle at (x, y); returns the SVG and the height used. */
export function titleBlock(title: string, subtitle: string | undefined, x: number, y: number): { svg: string; height: number } {
  let svg = text(x, y + 15, title, { size: 15, weight: 'bold' });
  let height = 22;
  if (subtitle) {
    svg += text(x, y + 33, subtitle, { size: 11.5, fill: MUTED });
    height += 17;
  }
  return { svg, height };
}

/** One legend entry: a swatch, a label and optionally a value shown after it. */
export interface LegendEntry {
  label: string;
  color: string;
  /** Shown after the label, muted (a count, a size). */
  value?: string;
  /** Draw the swatch as a line of this dash pattern instead of a box. */
  lineDash?: string;
  /** Tooltip of the entry. */
  title?: string;
}

/**
 * A legend laid out left to right, wrapping at `maxWidth`. Returns the SVG, the height and
 * the width used.
 */
export function legend(entries: LegendEntry[], x: number, y: number, maxWidth: number, size = 11.5): { svg: string; height: number; width: number } {
  const rowH = size + 8;
  let cx = x;
  let cy = y;
  let widest = 0;
  let svg = '';
  for (const e of entries) {
    const label = e.value ? `${e.label} ${e.value}` : e.label;
    const w = 16 + textWidth(label, size) + 16;
    if (cx > x && cx + w - 12 > x + maxWidth) {
      cx = x;
      cy += rowH;
    }
    const sw = e.lineDash !== undefined
      ? line(cx, cy + rowH / 2 - 1, cx + 12, cy + rowH / 2 - 1, { stroke: e.color, width: 2.5, dash: e.lineDash || undefined })
      : rect(cx, cy + rowH / 2 - 6, 12, 11, { fill: e.color, stroke: '#00000055', rx: 2 });
    let t = text(cx + 16, cy + rowH / 2, e.label, { size, baseline: 'middle' });
    if (e.value) t += text(cx + 16 + textWidth(e.label + ' ', size), cy + rowH / 2, e.value, { size, baseline: 'middle', fill: MUTED });
    svg += `<g>${tip(e.title ?? label)}${sw}${t}</g>`;
    cx += w;
    widest = Math.max(widest, cx - x - 16);
  }
  return { svg, height: entries.length ? cy - y + rowH : 0, width: widest };
}

/**
 * Spreads label positions so that neighbours are at least `gap` apart, keeping each as
 * close to its wish as possible and inside [lo, hi]. `wish` need not be sorted; the result
 * is in the same order as `wish`.
 */
export function placeLabels(wish: number[], gap: number, lo: number, hi: number): number[] {
  const order = wish.map((_v, i) => i).sort((a, b) => wish[a] - wish[b]);
  const pos = order.map((i) => Math.min(Math.max(wish[i], lo), hi));
  for (let k = 1; k < pos.length; k++) if (pos[k] < pos[k - 1] + gap) pos[k] = pos[k - 1] + gap;
  // Pushed past the bottom: pull back up.
  if (pos.length && pos[pos.length - 1] > hi) {
    pos[pos.length - 1] = hi;
    for (let k = pos.length - 2; k >= 0; k--) if (pos[k] > pos[k + 1] - gap) pos[k] = pos[k + 1] - gap;
  }
  const out = new Array<number>(wish.length);
  order.forEach((i, k) => (out[i] = pos[k]));
  return out;
}

// ---------------------------------------------------------------------------------------
// Numbers, as the kernel prints them

/** log2 of the page size (4 KiB pages on x86 and i386). */
export const PAGE_SHIFT = 12;

/** Pages as the kernel's `K()` macro prints them in show_free_areas: `15360kB`. */
export function fmtKB(pages: number, pageShift = PAGE_SHIFT): string {
  return `${pages * (1 << (pageShift - 10))}kB`;
}

/** A byte count for people: `4 GiB`, `1.5 MiB`, `512 KiB`, `96 B` (binary units). */
export function fmtBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let i = 0;
  let v = bytes;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  if (i === 0) return `${v} B`;
  const r = Math.abs(v) >= 100 || v % 1 === 0 ? String(Math.round(v * 10) / 10).replace(/\.0$/, '') : v.toFixed(1).replace(/\.0$/, '');
  return `${r} ${units[i]}`;
}

/** Pages as a size for people (`fmtBytes(pages << PAGE_SHIFT)`). */
export function fmtPagesSize(pages: number, pageShift = PAGE_SHIFT): string {
  return fmtBytes(pages * 2 ** pageShift);
}

/** A count with thin grouping for readability: 1048576 → `1,048,576`. */
export function fmtCount(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A pfn as the kernel's `%#lx` prints one: `0x1a2b`. */
export function fmtPfn(pfn: number): string {
  return '0x' + pfn.toString(16);
}

/**
 * The physical address of a pfn in hex, zero-padded to `digits` hex digits (`%pa` uses 16 on
 * 64-bit and 8 on 32-bit kernels; pictures pass fewer to save room).
 */
export function fmtPhys(pfn: number, digits = 0, pageShift = PAGE_SHIFT): string {
  return '0x' + (pfn * 2 ** pageShift).toString(16).padStart(digits, '0');
}

/** A pfn range `[start, end)` as `pfn 0x100-0x1ff`. */
export function fmtPfnRange(start: number, end: number): string {
  return `pfn ${fmtPfn(start)}-${fmtPfn(Math.max(start, end - 1))}`;
}

/** Picks a "nice" step (1, 2, 5 × 10^k) so that `range / step` is about `ticks`. */
export function niceStep(range: number, ticks: number): number {
  if (range <= 0) return 1;
  const raw = range / Math.max(1, ticks);
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}
