/**
 * Zone watermarks as an SVG picture: for each zone, its free pages against the min, low,
 * high (and promo) watermarks, its managed pages, watermark boost and lowmem_reserve.
 *
 * Mirrors: /proc/zoneinfo (mm/vmstat.c `zoneinfo_show_print`) and the decisions the
 * watermarks drive: the allocator's fast path wants free above low (`zone_watermark_ok`,
 * mm/page_alloc.c), the slow path wakes kswapd (`wake_all_kswapds`), which reclaims until
 * free is above high (`pgdat_balanced`, mm/vmscan.c); below min only ALLOC_HIGH/ALLOC_OOM
 * callers may dip in and everyone else enters direct reclaim.
 * Models: a pure function of ZoneSnapshot[] (from `inspectZones`).
 * Simplifies: the gauge compares NR_FREE_PAGES with the bare watermarks; the allocator
 * also adds the order, watermark_boost and lowmem_reserve[highest_zoneidx] (printed below
 * each gauge).
 * See: the watermarks and reclaim chapters.
 */
import type { ZoneSnapshot } from '../snapshots.js';
import {
  INK, MUTED, RULE, WMARK_COLORS, fmtBytes, fmtCount, legend, line, path, placeLabels, rect, svgDoc, text,
  textWidth, titleBlock, PAGE_SHIFT, type LegendEntry,
} from './kit.js';

/** Where a zone's free pages stand against its watermarks. */
export type WatermarkLevel = 'below_min' | 'below_low' | 'below_high' | 'ok';

/** The level of `free` pages against a zone's watermarks (boost added to each, as `wmark_pages` does). */
export function watermarkLevel(z: ZoneSnapshot): WatermarkLevel {
  const b = z.boost;
  if (z.free < z.min + b) return 'below_min';
  if (z.free < z.low + b) return 'below_low';
  if (z.free < z.high + b) return 'below_high';
  return 'ok';
}

/** What each level means, in one line. */
export const LEVEL_TEXT: Readonly<Record<WatermarkLevel, string>> = {
  below_min: 'below min: allocations enter direct reclaim',
  below_low: 'below low: kswapd is woken',
  below_high: 'below high: kswapd, once awake, reclaims up to high',
  ok: 'above high: kswapd may sleep',
};

/** Colour of each level (the colour of its band in the gauge). */
export const LEVEL_COLOR: Readonly<Record<WatermarkLevel, string>> = {
  below_min: WMARK_COLORS.belowMin,
  below_low: WMARK_COLORS.belowLow,
  below_high: WMARK_COLORS.belowHigh,
  ok: WMARK_COLORS.ok,
};

/** The scale (pages at the right end) of a zone's watermark gauge: room for promo and free. */
export function gaugeScale(z: ZoneSnapshot): number {
  const top = Math.max(z.high, z.promo) + z.boost;
  const want = Math.max(top * 1.6, Math.min(z.free, top * 2.5));
  return Math.max(1, Math.min(Math.max(z.managed, top), Math.ceil(want)));
}

/** Options of {@link svgZones}. */
export interface ZonesSvgOptions {
  /** Title (default "Zone watermarks"). */
  title?: string;
  /** Picture width (default 900). */
  width?: number;
  /** log2 of the page size (default 12). */
  pageShift?: number;
}

/**
 * Draws each zone's free pages against its watermarks: a gauge with the bands below min,
 * min..low, low..high and above high, the free pages as a bar, and a thin full-scale bar
 * of free pages out of managed pages.
 *
 * @example svgZones(inspectZones(sys))
 */
export function svgZones(zones: ZoneSnapshot[], opts: ZonesSvgOptions = {}): string {
  const pad = 16;
  const width = opts.width ?? 900;
  const pageShift = opts.pageShift ?? PAGE_SHIFT;
  const title = opts.title ?? 'Zone watermarks';
  const head = titleBlock(title, 'free pages (NR_FREE_PAGES) against min / low / high; the allocator wants free above low, kswapd stops at high', pad, pad);
  let body = head.svg;
  let y = pad + head.height + 4;
  const entries: LegendEntry[] = [
    { label: 'below min: direct reclaim', color: WMARK_COLORS.belowMin },
    { label: 'min–low: kswapd woken', color: WMARK_COLORS.belowLow },
    { label: 'low–high: kswapd reclaims to high', color: WMARK_COLORS.belowHigh },
    { label: 'above high: kswapd sleeps', color: WMARK_COLORS.ok },
    { label: 'free pages', color: WMARK_COLORS.free },
  ];
  const leg = legend(entries, pad, y, width - 2 * pad);
  body += leg.svg;
  y += leg.height + 6;

  const gx = pad + 8;
  const gw = width - 2 * pad - 16;
  for (const z of zones) {
    y += 4;
    body += line(pad, y, width - pad, y, { stroke: RULE });
    const lvl = watermarkLevel(z);
    const name = `Node ${z.node}, zone ${z.zone}`;
    body += text(pad, y + 19, name, { size: 13, weight: 'bold' });
    const badgeX = pad + textWidth(name, 13) + 14;
    const badge = LEVEL_TEXT[lvl];
    body += rect(badgeX, y + 7, textWidth(badge, 11) + 12, 17, { fill: LEVEL_COLOR[lvl], rx: 8, stroke: '#00000030' });
    body += text(badgeX + 6, y + 16, badge, { size: 11, baseline: 'middle', fill: lvl === 'below_min' ? '#ffffff' : INK });

    // Watermark gauge.
    const S = gaugeScale(z);
    const X = (v: number) => gx + (Math.min(v, S) / S) * gw;
    const gy = y + 56;
    const gh = 26;
    const b = z.boost;
    const bands: [number, number, string][] = [
      [0, z.min + b, WMARK_COLORS.belowMin],
      [z.min + b, z.low + b, WMARK_COLORS.belowLow],
      [z.low + b, z.high + b, WMARK_COLORS.belowHigh],
      [z.high + b, S, WMARK_COLORS.ok],
    ];
    for (const [a, e, c] of bands) if (e > a) body += rect(X(a), gy, X(e) - X(a), gh, { fill: c, opacity: 0.55 });
    const fw = X(z.free) - gx;
    body += rect(gx, gy + 7, fw, gh - 14, { fill: WMARK_COLORS.free, title: `free: ${fmtCount(z.free)} pages (${fmtBytes(z.free * 2 ** pageShift)})` });
    if (z.free > S) {
      // The bar runs off the scale: a break mark at its end.
      const bx = gx + gw - 10;
      body += path(`M${bx - 3} ${gy + 3}L${bx + 3} ${gy + gh - 3}M${bx + 2} ${gy + 3}L${bx + 8} ${gy + gh - 3}`, { stroke: '#ffffff', width: 3 });
    }
    body += rect(gx, gy, gw, gh, { stroke: '#00000055' });
    // Watermark ticks and labels above the gauge.
    const marks: { v: number; label: string; dash?: string }[] = [
      { v: z.min + b, label: `min ${fmtCount(z.min)}` },
      { v: z.low + b, label: `low ${fmtCount(z.low)}` },
      { v: z.high + b, label: `high ${fmtCount(z.high)}` },
    ];
    if (z.promo > z.high) marks.push({ v: z.promo + b, label: `promo ${fmtCount(z.promo)}`, dash: '3 2' });
    const lw = marks.map((m) => textWidth(m.label, 10.5));
    const wish = marks.map((m, i) => X(m.v) - lw[i] / 2);
    const maxW = Math.max(...lw);
    const xs = placeLabels(wish, maxW + 8, pad, width - pad - maxW);
    marks.forEach((m, i) => {
      const mx = X(m.v);
      body += line(mx, gy - 4, mx, gy + gh + 4, { stroke: INK, width: 1.5, dash: m.dash, title: `${m.label} pages${b ? ` (+ boost ${b})` : ''}` });
      const lx = xs[i] + lw[i] / 2;
      body += text(lx, gy - 12, m.label, { size: 10.5, anchor: 'middle' });
      if (Math.abs(lx - mx) > 2) body += path(`M${lx} ${gy - 9}L${mx} ${gy - 4}`, { stroke: MUTED, width: 0.8 });
    });
    // Free label, right of the bar or inside it.
    const freeLabel = `free ${fmtCount(z.free)}`;
    const flw = textWidth(freeLabel, 11);
    const fx = gx + fw + 6 + flw < gx + gw - 4 ? gx + fw + 6 : gx + fw - flw - 14;
    body += text(Math.max(gx + 4, fx), gy + gh / 2, freeLabel, { size: 11, weight: 'bold', baseline: 'middle', fill: gx + fw + 6 + flw < gx + gw - 4 ? INK : '#ffffff' });
    body += text(gx, gy + gh + 14, '0', { size: 9.5, fill: MUTED });
    body += text(gx + gw, gy + gh + 14, `${fmtCount(S)} pages${z.free > S ? ' (scale cut; free is beyond)' : ''}`, { size: 9.5, fill: MUTED, anchor: 'end' });

    // Whole zone: free out of managed.
    const ty = gy + gh + 24;
    const pct = z.managed ? (100 * z.free) / z.managed : 0;
    body += rect(gx, ty, gw, 8, { fill: '#e6e6e6', rx: 2, title: `managed ${fmtCount(z.managed)} pages` });
    body += rect(gx, ty, (gw * Math.min(z.free, z.managed)) / Math.max(1, z.managed), 8, { fill: WMARK_COLORS.free, opacity: 0.7, rx: 2 });
    body += text(gx, ty + 21,
      `free ${fmtBytes(z.free * 2 ** pageShift)} of ${fmtBytes(z.managed * 2 ** pageShift)} managed (${pct.toFixed(pct < 10 ? 1 : 0)}%) · spanned ${fmtCount(z.spanned)} present ${fmtCount(z.present)} managed ${fmtCount(z.managed)}`,
      { size: 10.5, fill: MUTED });
    body += text(gx, ty + 36,
      `protection (lowmem_reserve): (${z.lowmem_reserve.join(', ')})${z.boost ? ` · watermark boost ${fmtCount(z.boost)}` : ''}`,
      { size: 10.5, fill: MUTED, title: 'pages kept back from allocations that could have used a higher zone: zone_watermark_ok adds lowmem_reserve[highest_zoneidx] to the watermark' });
    y = ty + 44;
  }
  return svgDoc(width, y + pad - 4, body, { title });
}
