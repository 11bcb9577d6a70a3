/**
 * Zone watermarks in the terminal: per zone a gauge of the bands below min, min..low,
 * low..high and above high, the free pages as a bar under it and the watermark labels; and a
 * compact one-line-per-zone status for a status bar.
 *
 * Mirrors: /proc/zoneinfo's pages/min/low/high/promo/protection lines and the decisions they
 * drive (mm/page_alloc.c `zone_watermark_ok`, mm/vmscan.c `pgdat_balanced`); see
 * ../svg/zones.ts.
 * Models: pure functions of ZoneSnapshot[].
 * See: the watermarks and reclaim chapters.
 */
import type { ZoneSnapshot } from '../snapshots.js';
import { WMARK_COLORS, fmtBytes, fmtCount, PAGE_SHIFT } from '../svg/kit.js';
import { LEVEL_COLOR, LEVEL_TEXT, gaugeScale, watermarkLevel, type WatermarkLevel } from '../svg/zones.js';
import { dim, fitLines, hbar, legendLines, paint, paintCells, rule, termCtx, truncate, visibleWidth, padEnd, type TermOptions } from './kit.js';

/** Glyphs of the gauge bands without colour: below min, min..low, low..high, above high. */
export const BAND_GLYPHS = { belowMin: '!', belowLow: ':', belowHigh: '.', ok: ' ' } as const;

/** Short status words of each level, for the status line. */
export const LEVEL_SHORT: Readonly<Record<WatermarkLevel, string>> = {
  below_min: '<min: direct reclaim',
  below_low: '<low: kswapd woken',
  below_high: '<high',
  ok: 'ok',
};

/** Options of {@link termZones}. */
export interface ZonesTermOptions extends TermOptions {
  /** log2 of the page size (default 12). */
  pageShift?: number;
}

/**
 * Draws each zone's free pages against its watermarks. Every line is at most `width` columns.
 *
 * @example console.log(termZones(inspectZones(sys), { width: 100 }))
 */
export function termZones(zones: ZoneSnapshot[], opts: ZonesTermOptions = {}): string {
  const { width, color } = termCtx(opts);
  const pageShift = opts.pageShift ?? PAGE_SHIFT;
  const out: string[] = [];
  out.push(...legendLines([
    { glyph: BAND_GLYPHS.belowMin, bg: WMARK_COLORS.belowMin, label: '<min: direct reclaim' },
    { glyph: BAND_GLYPHS.belowLow, bg: WMARK_COLORS.belowLow, label: '<low: kswapd woken' },
    { glyph: BAND_GLYPHS.belowHigh, bg: WMARK_COLORS.belowHigh, label: '<high: kswapd reclaims to high' },
    { glyph: '█', fg: WMARK_COLORS.free, label: 'free pages' },
  ], width, color));
  const gw = Math.max(10, width - 4);
  for (const z of zones) {
    out.push(rule(`Node ${z.node}, zone ${z.zone}`, width, color));
    const lvl = watermarkLevel(z);
    out.push(' ' + paint(` ${LEVEL_TEXT[lvl]} `, { bg: LEVEL_COLOR[lvl], fg: lvl === 'below_min' ? '#ffffff' : '#000000' }, color) +
      dim(`  free ${fmtCount(z.free)} (${fmtBytes(z.free * 2 ** pageShift)}) of ${fmtCount(z.managed)} managed`, color));
    const S = gaugeScale(z);
    const b = z.boost;
    const col = (v: number) => Math.min(gw - 1, Math.floor((Math.min(v, S) / S) * gw));
    // Band row with '|' at each watermark.
    const marks = [z.min + b, z.low + b, z.high + b];
    const cells: { glyph: string; bg: string; fg?: string }[] = [];
    for (let i = 0; i < gw; i++) {
      const v = ((i + 0.5) / gw) * S;
      const k = v < z.min + b ? 'belowMin' : v < z.low + b ? 'belowLow' : v < z.high + b ? 'belowHigh' : 'ok';
      const isMark = marks.some((m) => col(m) === i);
      cells.push({ glyph: isMark ? '|' : BAND_GLYPHS[k], bg: WMARK_COLORS[k], fg: isMark ? '#000000' : undefined });
    }
    const band = paintCells(cells, color);
    out.push(' [' + band + ']');
    const freeBar = hbar(z.free, S, gw).replace(/\s+$/, '');
    const over = z.free > S ? '»' : '';
    out.push('  ' + (color ? paint(freeBar, { fg: WMARK_COLORS.free }, true) : freeBar) + over);
    // Labels under the marks, left to right without overlap.
    const labels = [
      { at: col(z.min + b), s: `^min ${fmtCount(z.min)}` },
      { at: col(z.low + b), s: `^low ${fmtCount(z.low)}` },
      { at: col(z.high + b), s: `^high ${fmtCount(z.high)}` },
    ];
    let lab = '';
    for (const l of labels) {
      const pos = Math.max(visibleWidth(lab) + (lab ? 1 : 0), l.at + 2);
      lab = padEnd(lab, pos) + l.s;
    }
    lab += dim(`  scale 0..${fmtCount(S)}${z.free > S ? ', free beyond »' : ''}`, color);
    out.push(lab);
    out.push(dim(`  promo ${fmtCount(z.promo)}  boost ${fmtCount(z.boost)}  protection: (${z.lowmem_reserve.join(', ')})`, color));
  }
  return fitLines(out, width);
}

/** Options of {@link zoneStatusLine}. */
export interface StatusLineOptions {
  /** Use ANSI colours (default true). */
  color?: boolean;
  /** log2 of the page size (default 12). */
  pageShift?: number;
}

/**
 * A compact status: one line per zone (joined with newlines), each at most `width` columns:
 * `N0 Normal  ▕████▍     ▏ 4.7 MiB  <low: kswapd woken`. The bar is free pages on the
 * zone's watermark scale (`gaugeScale`), coloured by level.
 */
export function zoneStatusLine(zones: ZoneSnapshot[], width = 80, opts: StatusLineOptions = {}): string {
  const color = opts.color ?? true;
  const pageShift = opts.pageShift ?? PAGE_SHIFT;
  const w = Math.max(20, Math.floor(width));
  const nameW = Math.max(...zones.map((z) => `N${z.node} ${z.zone}`.length), 6);
  const sizes = zones.map((z) => fmtBytes(z.free * 2 ** pageShift));
  const sizeW = Math.max(...sizes.map((s) => s.length), 5);
  const statW = Math.max(...zones.map((z) => LEVEL_SHORT[watermarkLevel(z)].length));
  const barW = Math.max(4, Math.min(24, w - nameW - sizeW - statW - 7));
  return zones
    .map((z, i) => {
      const lvl = watermarkLevel(z);
      const bar = hbar(z.free, gaugeScale(z), barW);
      const status = LEVEL_SHORT[lvl];
      const line = `${`N${z.node} ${z.zone}`.padEnd(nameW)} ▕${color ? paint(bar, { fg: LEVEL_COLOR[lvl] === WMARK_COLORS.ok ? WMARK_COLORS.free : LEVEL_COLOR[lvl] }, true) : bar}▏ ` +
        `${sizes[i].padStart(sizeW)} ${color && lvl !== 'ok' ? paint(status, { fg: LEVEL_COLOR[lvl], bold: true }, true) : status}`;
      return truncate(line, w);
    })
    .join('\n');
}
