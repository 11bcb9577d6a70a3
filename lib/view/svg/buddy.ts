/**
 * The buddy allocator's free areas as SVG pictures: per zone, free blocks and free pages per
 * order as bar charts (optionally stacked by migratetype), and the free lists of one zone
 * drawn block by block.
 *
 * Mirrors: /proc/buddyinfo and /proc/pagetypeinfo (mm/vmstat.c `frag_show`,
 * `pagetypeinfo_showfree`), i.e. `zone->free_area[order].nr_free` and
 * `free_area[order].free_list[migratetype]` (include/linux/mmzone.h).
 * Models: pure functions of ZoneSnapshot and FreeBlock snapshots.
 * Simplifies: in the free-list drawing a block's width grows with √(2^order), so an order-10
 * block still fits on a line next to readable order-0 blocks; its area is not to scale.
 * See: the buddy allocator chapter.
 */
import type { FreeBlock, ZoneSnapshot } from '../snapshots.js';
import { MIGRATETYPE_NAMES } from '../../mm/gfp.js';
import {
  INK, MUTED, OKABE_ITO, RULE, fmtBytes, fmtCount, fmtPfn, inkOn, legend, line, migratetypeColor, path,
  rect, svgDoc, text, textWidth, titleBlock, PAGE_SHIFT, type LegendEntry,
} from './kit.js';

/** Number of orders drawn: 0..MAX_PAGE_ORDER (10). */
export const NR_ORDERS = 11;

/** Options of {@link svgBuddy}. */
export interface BuddySvgOptions {
  /** Stack each bar by migratetype (from `free_by_type`). Default false. */
  byType?: boolean;
  /** Title (default "Buddy allocator: free blocks per order"). */
  title?: string;
  /** log2 of the page size (default 12). */
  pageShift?: number;
}

/** A short count for bar labels: 9999, 34k, 1.5M. */
export function shortCount(n: number): string {
  if (n < 10000) return String(n);
  if (n < 1e6) return Math.round(n / 1000) + 'k';
  return (n / 1e6).toFixed(1).replace(/\.0$/, '') + 'M';
}

/** The block size of an order for axis labels: 4K, 8K, ... 4M (with 4 KiB pages). */
export function orderSize(order: number, pageShift = PAGE_SHIFT): string {
  const kb = 2 ** (order + pageShift - 10);
  return kb >= 1024 ? `${kb / 1024}M` : `${kb}K`;
}

/** Migratetype names in index order (the rows of `free_by_type`). */
const TYPE_NAMES: readonly string[] = MIGRATETYPE_NAMES;

interface Series {
  /** values[order] per stack segment. */
  segments: { name: string; color: string; values: number[] }[];
}

function chart(x: number, y: number, w: number, h: number, title: string, series: Series, pageShift: number, unit: string): string {
  const totals = new Array<number>(NR_ORDERS).fill(0);
  for (const s of series.segments) for (let o = 0; o < NR_ORDERS; o++) totals[o] += s.values[o] ?? 0;
  const max = Math.max(1, ...totals);
  const plotTop = y + 30;
  const plotH = h - 30 - 30;
  const base = plotTop + plotH;
  const slot = w / NR_ORDERS;
  const bw = Math.min(28, slot - 6);
  let g = text(x, y + 12, title, { size: 11.5, weight: 'bold' });
  g += line(x, base + 0.5, x + w, base + 0.5, { stroke: MUTED });
  for (let o = 0; o < NR_ORDERS; o++) {
    const cx = x + slot * o + slot / 2;
    let top = base;
    for (const s of series.segments) {
      const v = s.values[o] ?? 0;
      if (!v) continue;
      const hh = Math.max(1, (v / max) * plotH);
      top -= hh;
      g += rect(cx - bw / 2, top, bw, hh, { fill: s.color, title: `order ${o} (${orderSize(o, pageShift)}): ${s.name ? s.name + ' ' : ''}${fmtCount(v)} ${unit}` });
    }
    const label = shortCount(totals[o]);
    g += text(cx, top - 4, label, { size: 10, anchor: 'middle', fill: totals[o] ? INK : MUTED, title: `order ${o}: ${fmtCount(totals[o])} ${unit}` });
    g += text(cx, base + 13, o, { size: 10.5, anchor: 'middle' });
    g += text(cx, base + 25, orderSize(o, pageShift), { size: 9, anchor: 'middle', fill: MUTED });
  }
  return g;
}

/** The zone's line of /proc/buddyinfo (mm/vmstat.c `frag_show_print`: "Node %d, zone %8s " then "%6lu " per order). */
export function buddyinfoLine(z: ZoneSnapshot): string {
  let s = `Node ${z.node}, zone ${z.zone.padStart(8)} `;
  for (let o = 0; o < NR_ORDERS; o++) s += `${String(z.nr_free[o] ?? 0).padStart(6)} `;
  return s;
}

/**
 * Draws, per zone, the free blocks per order (`nr_free`, what /proc/buddyinfo prints) and the
 * free pages per order (`nr_free × 2^order`), as two bar charts side by side.
 *
 * @example svgBuddy(inspectZones(sys), { byType: true })
 */
export function svgBuddy(zones: ZoneSnapshot[], opts: BuddySvgOptions = {}): string {
  const pageShift = opts.pageShift ?? PAGE_SHIFT;
  const pad = 16;
  const chartW = 390;
  const chartH = 150;
  const width = pad * 2 + chartW * 2 + 40;
  const head = titleBlock(opts.title ?? 'Buddy allocator: free blocks per order',
    `bars: free_area[order].nr_free (left) and the pages they hold, nr_free × 2^order (right)${opts.byType ? ' · stacked by migratetype' : ''}`,
    pad, pad);
  let body = head.svg;
  let y = pad + head.height + 4;
  if (opts.byType) {
    const present = TYPE_NAMES.filter((_t, i) => zones.some((z) => (z.free_by_type[i] ?? []).some((v) => v > 0)));
    const leg = legend(present.map((t): LegendEntry => ({ label: t, color: migratetypeColor(t) })), pad, y, width - 2 * pad);
    body += leg.svg;
    y += leg.height + 4;
  }
  for (const z of zones) {
    y += 6;
    body += line(pad, y, width - pad, y, { stroke: RULE });
    const freeBytes = z.free * 2 ** pageShift;
    body += text(pad, y + 18, `Node ${z.node}, zone ${z.zone}`, { size: 13, weight: 'bold' });
    body += text(pad + textWidth(`Node ${z.node}, zone ${z.zone}  `, 13), y + 18,
      `free ${fmtCount(z.free)} pages (${fmtBytes(freeBytes)}) of ${fmtCount(z.managed)} managed`, { size: 11, fill: MUTED });
    body += text(pad, y + 34, buddyinfoLine(z), { size: 10, fill: MUTED, pre: true, title: 'the same counts as /proc/buddyinfo prints them' });
    const blocks: Series = { segments: [] };
    const pages: Series = { segments: [] };
    if (opts.byType) {
      TYPE_NAMES.forEach((t, i) => {
        const v = z.free_by_type[i] ?? [];
        if (!v.some((n) => n > 0)) return;
        blocks.segments.push({ name: t, color: migratetypeColor(t), values: v.slice(0, NR_ORDERS) });
        pages.segments.push({ name: t, color: migratetypeColor(t), values: v.slice(0, NR_ORDERS).map((n, o) => n * 2 ** o) });
      });
    } else {
      blocks.segments.push({ name: '', color: OKABE_ITO.blue, values: z.nr_free.slice(0, NR_ORDERS) });
      pages.segments.push({ name: '', color: OKABE_ITO.green, values: z.nr_free.slice(0, NR_ORDERS).map((n, o) => n * 2 ** o) });
    }
    body += chart(pad, y + 42, chartW, chartH, 'free blocks (nr_free)', blocks, pageShift, 'blocks');
    body += chart(pad + chartW + 40, y + 42, chartW, chartH, 'free pages (nr_free × 2^order)', pages, pageShift, 'pages');
    y += 42 + chartH + 4;
  }
  return svgDoc(width, y + pad, body, { title: opts.title ?? 'Buddy allocator: free blocks per order' });
}

/** Options of {@link svgFreeLists}. */
export interface FreeListsSvgOptions {
  /** The zone the blocks belong to: names the picture and gives nr_free for "+N more". */
  zone?: ZoneSnapshot;
  /** Blocks drawn per order at most (default 24); the rest are counted. */
  maxPerOrder?: number;
  /** Picture width in pixels (default 960). */
  width?: number;
  /** Title. */
  title?: string;
  /** log2 of the page size (default 12). */
  pageShift?: number;
}

/** Width in pixels of a free block of `order` in the free-list drawing (grows with √(2^order)). */
export function blockWidth(order: number): number {
  return Math.round(22 * 2 ** (order / 2));
}

/**
 * Draws the free lists of one zone: a row per order (free_area[0] at the top), each list's
 * blocks in list order, coloured by migratetype, labelled with their first pfn. Blocks are
 * divided into their pages when the pages are wide enough to see.
 *
 * @example svgFreeLists(inspectFreeBlocks(sys, 0, 0), { zone: inspectZones(sys)[0] })
 */
export function svgFreeLists(blocks: FreeBlock[], opts: FreeListsSvgOptions = {}): string {
  const pad = 16;
  const width = opts.width ?? 960;
  const maxPer = opts.maxPerOrder ?? 24;
  const pageShift = opts.pageShift ?? PAGE_SHIFT;
  const z = opts.zone;
  const title = opts.title ?? (z ? `Free lists of node ${z.node}, zone ${z.zone}` : 'Buddy free lists');
  const head = titleBlock(title, 'free_area[order]: each order keeps lists of free blocks of 2^order pages; pfn under each block · width ∝ √size', pad, pad);
  let body = head.svg;
  let y = pad + head.height + 4;
  const types = TYPE_NAMES.filter((t) => blocks.some((b) => b.migratetype === t));
  for (const b of blocks) if (!types.includes(b.migratetype)) types.push(b.migratetype);
  const leg = legend(types.map((t) => ({ label: t, color: migratetypeColor(t) })), pad, y, width - 2 * pad);
  body += leg.svg;
  y += leg.height + 10;

  const byOrder: FreeBlock[][] = Array.from({ length: NR_ORDERS }, () => []);
  for (const b of blocks) if (b.order >= 0 && b.order < NR_ORDERS) byOrder[b.order].push(b);
  const leftW = 150;
  const x0 = pad + leftW;
  const right = width - pad;
  const blockH = 20;
  const lineH = blockH + 26;
  for (let o = 0; o < NR_ORDERS; o++) {
    const list = byOrder[o];
    const total = z ? Math.max(z.nr_free[o] ?? 0, list.length) : list.length;
    const shown = list.slice(0, maxPer);
    body += line(pad, y, right, y, { stroke: RULE });
    body += text(pad, y + 17, `free_area[${o}]`, { size: 12, weight: 'bold' });
    body += text(pad, y + 31, `${fmtCount(total)} × ${2 ** o} page${o ? 's' : ''}`, { size: 10.5, fill: MUTED });
    let x = x0;
    let ly = y + 8;
    const w = blockWidth(o);
    if (!shown.length) {
      const what = total ? `${fmtCount(total)} block${total > 1 ? 's' : ''}, not listed` : 'empty';
      body += text(x, ly + blockH / 2, what, { size: 11, fill: MUTED, italic: true, baseline: 'middle' });
    }
    // list head arrow
    if (shown.length) {
      body += path(`M${x - 14} ${ly + blockH / 2}H${x - 3}M${x - 7} ${ly + blockH / 2 - 3}L${x - 3} ${ly + blockH / 2}L${x - 7} ${ly + blockH / 2 + 3}`, { stroke: MUTED, width: 1.2 });
    }
    shown.forEach((b, k) => {
      const label = fmtPfn(b.pfn);
      const slotW = Math.max(w, textWidth(label, 9.5)) + 16;
      if (k > 0 && x + slotW > right) {
        x = x0;
        ly += lineH - 8;
      }
      const fill = migratetypeColor(b.migratetype);
      const n = 2 ** o;
      body += rect(x, ly, w, blockH, {
        fill, stroke: '#00000066', rx: 2,
        title: `order-${o} block: pfn ${fmtPfn(b.pfn)}-${fmtPfn(b.pfn + n - 1)} (${n} page${n > 1 ? 's' : ''}, ${fmtBytes(n * 2 ** pageShift)}), ${b.migratetype}`,
      });
      if (w / n >= 5 && n > 1) {
        let ticks = '';
        for (let p = 1; p < n; p++) ticks += `M${x + (w * p) / n} ${ly + 3}V${ly + blockH - 3}`;
        body += path(ticks, { stroke: inkOn(fill) === INK ? '#00000040' : '#ffffff70', width: 0.8 });
      }
      const range = `${fmtPfn(b.pfn)}-${fmtPfn(b.pfn + n - 1)}`;
      if (n > 1 && w >= textWidth(range, 9.5) + 10 && w / n < 5) {
        body += text(x + w / 2, ly + blockH / 2 + 0.5, range, { size: 9.5, anchor: 'middle', baseline: 'middle', fill: inkOn(fill) });
      }
      body += text(x + w / 2, ly + blockH + 11, label, { size: 9.5, anchor: 'middle', fill: INK });
      const nextX = x + slotW;
      if (k < shown.length - 1) {
        const ax = x + w + 2;
        const ay = ly + blockH / 2;
        const ex = Math.min(nextX - 3, right);
        if (ex - ax > 4) body += path(`M${ax} ${ay}H${ex}M${ex - 4} ${ay - 3}L${ex} ${ay}L${ex - 4} ${ay + 3}`, { stroke: MUTED, width: 1 });
      }
      x = nextX;
    });
    if (shown.length && total > shown.length) {
      const more = `… +${fmtCount(total - shown.length)} more`;
      if (x + textWidth(more, 11) > right) {
        x = x0;
        ly += lineH - 8;
      }
      body += text(x, ly + blockH / 2, more, { size: 11, fill: MUTED, baseline: 'middle' });
    }
    y = ly + lineH - 4;
  }
  return svgDoc(width, y + pad, body, { title });
}
