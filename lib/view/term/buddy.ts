/**
 * The buddy allocator's free areas in the terminal: per zone a table of orders with
 * nr_free, the pages they hold and a bar (optionally stacked by migratetype), and the free
 * lists of one zone as chains of pfns.
 *
 * Mirrors: /proc/buddyinfo and /proc/pagetypeinfo (mm/vmstat.c), `free_area[order]`
 * (include/linux/mmzone.h); migratetype letters as `show_migration_types` prints them.
 * Models: pure functions of ZoneSnapshot / FreeBlock snapshots.
 * See: the buddy allocator chapter.
 */
import type { FreeBlock, ZoneSnapshot } from '../snapshots.js';
import { MIGRATETYPE_NAMES } from '../../mm/gfp.js';
import { fmtBytes, fmtCount, fmtPfn, migratetypeColor, PAGE_SHIFT } from '../svg/kit.js';
import { NR_ORDERS, orderSize } from '../svg/buddy.js';
import { MIGRATETYPE_GLYPHS } from './memmap.js';
import { bold, cellGlyph, dim, fitLines, hbar, legendLines, paint, rule, termCtx, visibleWidth, type TermOptions } from './kit.js';

/** Migratetype names in index order (the rows of `free_by_type`). */
const TYPE_NAMES: readonly string[] = MIGRATETYPE_NAMES;

/** Options of {@link termBuddy}. */
export interface BuddyTermOptions extends TermOptions {
  /** Stack the bars by migratetype (letters U M E H I without colour). */
  byType?: boolean;
  /** log2 of the page size (default 12). */
  pageShift?: number;
}

/**
 * Per zone, a table: order, block size, nr_free, pages (nr_free × 2^order) and a bar of the
 * pages. Every line is at most `width` columns.
 *
 * @example console.log(termBuddy(inspectZones(sys), { width: 100, byType: true }))
 */
export function termBuddy(zones: ZoneSnapshot[], opts: BuddyTermOptions = {}): string {
  const { width, color } = termCtx(opts);
  const pageShift = opts.pageShift ?? PAGE_SHIFT;
  const out: string[] = [];
  if (opts.byType) {
    const present = TYPE_NAMES.filter((_t, i) => zones.some((z) => (z.free_by_type[i] ?? []).some((v) => v > 0)));
    out.push(...legendLines(present.map((t) => ({ glyph: MIGRATETYPE_GLYPHS[t] ?? '?', bg: migratetypeColor(t), label: t })), width, color));
  }
  for (const z of zones) {
    out.push(rule(`Node ${z.node}, zone ${z.zone}`, width, color));
    out.push(dim(`free ${fmtCount(z.free)} pages (${fmtBytes(z.free * 2 ** pageShift)}) of ${fmtCount(z.managed)} managed`, color));
    const pages = z.nr_free.slice(0, NR_ORDERS).map((n, o) => n * 2 ** o);
    const nrW = Math.max(7, ...z.nr_free.map((n) => String(n).length));
    const pgW = Math.max(7, ...pages.map((n) => String(n).length));
    const headL = `order  size ${'nr_free'.padStart(nrW)} ${'pages'.padStart(pgW)} `;
    const barW = Math.max(4, width - visibleWidth(headL) - 1);
    out.push(bold(headL, color));
    const max = Math.max(1, ...pages);
    for (let o = 0; o < NR_ORDERS; o++) {
      const left = `${String(o).padStart(5)} ${orderSize(o, pageShift).padStart(5)} ${String(z.nr_free[o] ?? 0).padStart(nrW)} ${String(pages[o]).padStart(pgW)} `;
      let bar: string;
      if (opts.byType) {
        bar = '';
        let used = 0;
        let acc = 0;
        TYPE_NAMES.forEach((t, i) => {
          const v = (z.free_by_type[i]?.[o] ?? 0) * 2 ** o;
          if (!v) return;
          acc += v;
          const upto = Math.round((acc / max) * barW);
          let cols = Math.max(upto - used, 1);
          if (used + cols > barW) cols = Math.max(0, barW - used);
          used += cols;
          bar += color ? paint('█'.repeat(cols), { fg: migratetypeColor(t) }, true) : (MIGRATETYPE_GLYPHS[t] ?? '?').repeat(cols);
        });
      } else {
        bar = color ? paint(hbar(pages[o], max, barW).replace(/\s+$/, ''), { fg: '#0072B2' }, true) : hbar(pages[o], max, barW).replace(/\s+$/, '');
      }
      out.push(left + bar);
    }
  }
  return fitLines(out, width);
}

/** Options of {@link termFreeLists}. */
export interface FreeListsTermOptions extends TermOptions {
  /** The zone: names the picture and gives nr_free for "+N more". */
  zone?: ZoneSnapshot;
  /** Blocks shown per order (default 16). */
  maxPerOrder?: number;
}

/**
 * The free lists of one zone: per order, `free_area[o]` and its blocks' first pfns in list
 * order, each with its migratetype letter (and colour).
 *
 * @example console.log(termFreeLists(inspectFreeBlocks(sys, 0, 0), { width: 80 }))
 */
export function termFreeLists(blocks: FreeBlock[], opts: FreeListsTermOptions = {}): string {
  const { width, color } = termCtx(opts);
  const maxPer = opts.maxPerOrder ?? 16;
  const z = opts.zone;
  const out: string[] = [rule(z ? `free lists of node ${z.node}, zone ${z.zone}` : 'buddy free lists', width, color)];
  const types = TYPE_NAMES.filter((t) => blocks.some((b) => b.migratetype === t));
  out.push(...legendLines(types.map((t) => ({ glyph: MIGRATETYPE_GLYPHS[t] ?? '?', bg: migratetypeColor(t), label: t })), width, color));
  const byOrder: FreeBlock[][] = Array.from({ length: NR_ORDERS }, () => []);
  for (const b of blocks) if (b.order >= 0 && b.order < NR_ORDERS) byOrder[b.order].push(b);
  for (let o = 0; o < NR_ORDERS; o++) {
    const list = byOrder[o];
    const total = z ? Math.max(z.nr_free[o] ?? 0, list.length) : list.length;
    const head = `free_area[${o}]`.padEnd(14) + `${String(total).padStart(5)} × ${String(2 ** o).padStart(4)} `;
    const indent = ' '.repeat(visibleWidth(head));
    if (!list.length) {
      out.push(head + dim('(empty)', color));
      continue;
    }
    let cur = head;
    const items = list.slice(0, maxPer).map((b) => {
      const g = MIGRATETYPE_GLYPHS[b.migratetype] ?? '?';
      return `→ ${fmtPfn(b.pfn)}${cellGlyph(g, migratetypeColor(b.migratetype), color)}`;
    });
    if (total > items.length) items.push(dim(`… +${total - items.length} more`, color));
    for (const it of items) {
      if (visibleWidth(cur) + visibleWidth(it) + 1 > width && cur !== head && cur !== indent) {
        out.push(cur);
        cur = indent;
      }
      cur += (cur === head || cur === indent ? '' : ' ') + it;
    }
    out.push(cur);
  }
  return fitLines(out, width);
}
