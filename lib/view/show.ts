/**
 * The display dispatcher: turns any value into something a notebook or a terminal can show.
 * Snapshots are recognised by shape (or by a `kind` field) and drawn as pictures; other
 * objects and arrays become tidy tables; anything else becomes text.
 *
 * Mirrors: nothing in the kernel.
 * Models: a registry of views. Each view has a test (does it recognise the value?), a
 * notebook renderer returning `{ svg?, html?, text }` and optionally a terminal renderer.
 * Later registrations win, so other subsystems (slab caches, page-table walks, TLBs) add their
 * own snapshot kinds with {@link registerView} without touching this file.
 * Simplifies: a value matching several views is shown by the most recently registered one,
 * unless `opts.as` names the view.
 * See: lib/view/README.md.
 */
import type { FreeBlock, MemmapSnapshot, ZoneSnapshot } from './snapshots.js';
import { svgBuddy, svgFreeLists } from './svg/buddy.js';
import { esc } from './svg/kit.js';
import { svgMemmap, type MemmapColorBy } from './svg/memmap.js';
import { svgZones } from './svg/zones.js';
import { termBuddy, termFreeLists } from './term/buddy.js';
import { fitLines, termCtx, type TermOptions } from './term/kit.js';
import { termMemmap } from './term/memmap.js';
import { termZones } from './term/zones.js';

/** What a notebook displays: an SVG picture or an HTML fragment, and always a plain-text form. */
export interface Display {
  svg?: string;
  html?: string;
  /** Plain text (no escape codes): the fallback and what a text-only front end prints. */
  text: string;
}

/** Options for {@link toDisplay}; views read the fields they know and ignore the rest. */
export interface DisplayOptions {
  /** Use the view of this name (see {@link listViews}) instead of the first that matches. */
  as?: string;
  /** Columns of the text form (default 100). */
  width?: number;
  /** Other view options (`colorBy`, `byType`, `title`, `zone`, ...). */
  [option: string]: unknown;
}

/** Options for {@link toTerminal}: width and colour, plus view options. */
export interface TerminalOptions extends TermOptions {
  as?: string;
  [option: string]: unknown;
}

/** A registered view. */
export interface View {
  /** Unique name, used by `opts.as` (re-registering a name replaces the view). */
  name: string;
  /** True when the view can draw `x`. */
  test(x: unknown): boolean;
  /** Renders for notebooks. */
  render(x: unknown, opts: DisplayOptions): Display;
  /** Renders for terminals (default: the `text` of `render`). */
  terminal?(x: unknown, opts: TerminalOptions): string;
}

/** A set of views, searched newest first. */
export class ViewRegistry {
  private views: View[] = [];

  /** Adds (or replaces, by name) a view; returns a function that removes it. */
  add(view: View): () => void {
    this.views = this.views.filter((v) => v.name !== view.name);
    this.views.push(view);
    return () => {
      this.views = this.views.filter((v) => v !== view);
    };
  }

  /** The view for `x`: the one named `as` (if it accepts `x`), else the newest that accepts it. */
  find(x: unknown, as?: string): View | undefined {
    if (as) {
      const v = this.views.find((q) => q.name === as);
      if (!v) throw new RangeError(`show: no view named '${as}' (views: ${this.names().join(', ')})`);
      if (!v.test(x)) throw new TypeError(`show: the '${as}' view cannot draw this value`);
      return v;
    }
    for (let i = this.views.length - 1; i >= 0; i--) if (this.views[i].test(x)) return this.views[i];
    return undefined;
  }

  /** Names of the views, oldest first. */
  names(): string[] {
    return this.views.map((v) => v.name);
  }
}

/** The registry used by {@link toDisplay}, {@link toTerminal} and {@link registerView}. */
export const views = new ViewRegistry();

/**
 * Registers a view: `test` recognises values, `render` draws them for notebooks and
 * `opts.terminal` (optional) for terminals. Returns a function that unregisters it.
 *
 * @example
 * registerView((x) => hasKind(x, 'slab-cache'), (x) => ({ svg: svgSlab(x), text: termSlab(x, { color: false }) }),
 *   { name: 'slab-cache', terminal: (x, o) => termSlab(x, o) });
 */
export function registerView(
  test: (x: unknown) => boolean,
  render: (x: unknown, opts: DisplayOptions) => Display,
  opts: { name?: string; terminal?: (x: unknown, opts: TerminalOptions) => string } = {},
): () => void {
  return views.add({ name: opts.name ?? `view${views.names().length + 1}`, test, render, terminal: opts.terminal });
}

/** The names of the registered views, oldest first. */
export function listViews(): string[] {
  return views.names();
}

/** True when `x` is an object whose `kind` field equals `kind` (for views of tagged snapshots). */
export function hasKind(x: unknown, kind: string): boolean {
  return typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === kind;
}

// ---------------------------------------------------------------------------------------
// Shape tests of the physical-memory snapshots

function isObj(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** True for a ZoneSnapshot (by shape). */
export function isZoneSnapshot(x: unknown): x is ZoneSnapshot {
  return isObj(x) && typeof x.zone === 'string' && typeof x.node === 'number' && Array.isArray(x.nr_free) &&
    typeof x.min === 'number' && typeof x.low === 'number' && typeof x.high === 'number' && typeof x.free === 'number' &&
    typeof x.managed === 'number' && Array.isArray(x.lowmem_reserve) && Array.isArray(x.free_by_type);
}

/** True for a non-empty ZoneSnapshot[]. */
export function isZoneList(x: unknown): x is ZoneSnapshot[] {
  return Array.isArray(x) && x.length > 0 && x.every(isZoneSnapshot);
}

/** True for a MemmapSnapshot (by shape). */
export function isMemmapSnapshot(x: unknown): x is MemmapSnapshot {
  return isObj(x) && Array.isArray(x.cells) && typeof x.pagesPerCell === 'number' && typeof x.start_pfn === 'number' &&
    typeof x.end_pfn === 'number' && Array.isArray(x.zones) &&
    (x.cells.length === 0 || (isObj(x.cells[0]) && typeof x.cells[0].state === 'string' && typeof x.cells[0].pfn === 'number'));
}

/** True for a non-empty FreeBlock[]. */
export function isFreeBlockList(x: unknown): x is FreeBlock[] {
  return Array.isArray(x) && x.length > 0 &&
    x.every((b) => isObj(b) && typeof b.pfn === 'number' && typeof b.order === 'number' && typeof b.migratetype === 'string');
}

const zonesOf = (x: unknown): ZoneSnapshot[] => (Array.isArray(x) ? (x as ZoneSnapshot[]) : [x as ZoneSnapshot]);
const textWidthOf = (o: { width?: number }) => (typeof o.width === 'number' ? o.width : 100);
const isZoneOrList = (x: unknown) => isZoneSnapshot(x) || isZoneList(x);
const colorByOf = (o: Record<string, unknown>): MemmapColorBy | undefined =>
  o.colorBy === 'zone' || o.colorBy === 'migratetype' || o.colorBy === 'state' ? o.colorBy : undefined;

// ---------------------------------------------------------------------------------------
// Tables for everything else

const MAX_ROWS = 200;
const MAX_COLS = 24;

function cellText(v: unknown, max = 60): string {
  let s: string;
  if (v === null) s = 'null';
  else if (v === undefined) s = '';
  else if (typeof v === 'string') s = v;
  else if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') s = String(v);
  else if (typeof v === 'function') s = `[function ${v.name || 'anonymous'}]`;
  else if (ArrayBuffer.isView(v)) s = `${v.constructor.name}(${(v as unknown as { length?: number }).length ?? v.byteLength})`;
  else {
    try {
      s = JSON.stringify(v, (_k, val) => (typeof val === 'bigint' ? String(val) : val)) ?? String(v);
    } catch {
      s = String(v);
    }
  }
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}

/** Rows and columns of a value shown as a table (null when it is not tabular). */
function tabulate(x: unknown): { cols: string[]; rows: unknown[][]; more: number } | null {
  if (x instanceof Map) x = Array.from(x.entries()).map(([k, v]) => ({ key: k, value: v }));
  else if (x instanceof Set) x = Array.from(x);
  else if (ArrayBuffer.isView(x) && !(x instanceof DataView)) x = Array.from(x as unknown as ArrayLike<number>);
  if (Array.isArray(x)) {
    const shown = x.slice(0, MAX_ROWS);
    if (shown.length && shown.every(isObj)) {
      const cols: string[] = [];
      for (const r of shown) for (const k of Object.keys(r as object)) if (!cols.includes(k) && cols.length < MAX_COLS) cols.push(k);
      return { cols, rows: shown.map((r) => cols.map((c) => (r as Record<string, unknown>)[c])), more: x.length - shown.length };
    }
    return { cols: ['#', 'value'], rows: shown.map((v, i) => [i, v]), more: x.length - shown.length };
  }
  if (isObj(x)) {
    const keys = Object.keys(x);
    return { cols: ['field', 'value'], rows: keys.slice(0, MAX_ROWS).map((k) => [k, x[k]]), more: Math.max(0, keys.length - MAX_ROWS) };
  }
  return null;
}

/** An HTML table of an array of objects, an array, a Map or an object (light, self-styled). */
export function htmlTable(x: unknown): string {
  const t = tabulate(x);
  if (!t) return `<pre style="background:#fff;color:#1f2328;padding:6px">${esc(cellText(x, 10000))}</pre>`;
  const numeric = t.cols.map((_c, j) => t.rows.length > 0 && t.rows.every((r) => typeof r[j] === 'number' || typeof r[j] === 'bigint' || r[j] === undefined));
  const th = (j: number) => `style="text-align:${numeric[j] ? 'right' : 'left'};padding:3px 10px;border-bottom:2px solid #d0d7de;background:#f6f8fa"`;
  const head = t.cols.map((c, j) => `<th ${th(j)}>${esc(c)}</th>`).join('');
  const body = t.rows
    .map((r, i) => `<tr style="background:${i % 2 ? '#f6f8fa' : '#ffffff'}">${r
      .map((v) => `<td style="padding:2px 10px;border-bottom:1px solid #eaeef2;${typeof v === 'number' || typeof v === 'bigint' ? 'text-align:right;' : ''}">${esc(cellText(v))}</td>`)
      .join('')}</tr>`)
    .join('');
  const more = t.more > 0 ? `<tr><td colspan="${t.cols.length}" style="padding:3px 10px;color:#5a6270">… ${t.more} more</td></tr>` : '';
  return `<table style="border-collapse:collapse;font-family:ui-monospace,Menlo,Consolas,'DejaVu Sans Mono',monospace;font-size:12px;background:#fff;color:#1f2328"><thead><tr>${head}</tr></thead><tbody>${body}${more}</tbody></table>`;
}

/** A plain-text table (columns aligned, numbers right-aligned), at most `width` columns per line. */
export function textTable(x: unknown, width = 100): string {
  const t = tabulate(x);
  if (!t) return fitLines(cellText(x, 100000).split('\n'), width);
  const cells = t.rows.map((r) => r.map((v) => cellText(v, 40)));
  const w = t.cols.map((c, j) => Math.max(c.length, ...cells.map((r) => r[j].length)));
  const numeric = t.cols.map((_c, j) => t.rows.length > 0 && t.rows.every((r) => typeof r[j] === 'number' || r[j] === undefined));
  const fmt = (r: string[]) => r.map((s, j) => (numeric[j] ? s.padStart(w[j]) : s.padEnd(w[j]))).join('  ');
  const lines = [fmt(t.cols), w.map((n) => '-'.repeat(n)).join('  '), ...cells.map(fmt)];
  if (t.more > 0) lines.push(`… ${t.more} more`);
  return fitLines(lines, width);
}

// ---------------------------------------------------------------------------------------
// The built-in views (registered oldest first: generic ones first, so snapshots win)

views.add({
  name: 'text',
  test: (x) => x === null || typeof x !== 'object',
  render: (x, o) => ({ text: fitLines(cellText(x, 1e6).split('\n'), textWidthOf(o)) }),
});
views.add({
  name: 'table',
  test: (x) => typeof x === 'object' && x !== null,
  render: (x, o) => ({ html: htmlTable(x), text: textTable(x, textWidthOf(o)) }),
  terminal: (x, o) => textTable(x, termCtx(o).width),
});
views.add({
  name: 'freelists',
  test: isFreeBlockList,
  render: (x, o) => ({
    svg: svgFreeLists(x as FreeBlock[], { zone: isZoneSnapshot(o.zone) ? o.zone : undefined, title: typeof o.title === 'string' ? o.title : undefined }),
    text: termFreeLists(x as FreeBlock[], { width: textWidthOf(o), color: false, zone: isZoneSnapshot(o.zone) ? o.zone : undefined }),
  }),
  terminal: (x, o) => termFreeLists(x as FreeBlock[], { ...termCtx(o), zone: isZoneSnapshot(o.zone) ? o.zone : undefined }),
});
views.add({
  name: 'buddy',
  test: isZoneOrList,
  render: (x, o) => ({
    svg: svgBuddy(zonesOf(x), { byType: o.byType === true, title: typeof o.title === 'string' ? o.title : undefined }),
    text: termBuddy(zonesOf(x), { width: textWidthOf(o), color: false, byType: o.byType === true }),
  }),
  terminal: (x, o) => termBuddy(zonesOf(x), { ...termCtx(o), byType: o.byType === true }),
});
views.add({
  name: 'zones',
  test: isZoneOrList,
  render: (x, o) => ({
    svg: svgZones(zonesOf(x), { title: typeof o.title === 'string' ? o.title : undefined }),
    text: termZones(zonesOf(x), { width: textWidthOf(o), color: false }),
  }),
  terminal: (x, o) => termZones(zonesOf(x), termCtx(o)),
});
views.add({
  name: 'memmap',
  test: isMemmapSnapshot,
  render: (x, o) => ({
    svg: svgMemmap(x as MemmapSnapshot, { colorBy: colorByOf(o), title: typeof o.title === 'string' ? o.title : undefined }),
    text: termMemmap(x as MemmapSnapshot, { width: textWidthOf(o), color: false, colorBy: colorByOf(o) }),
  }),
  terminal: (x, o) => termMemmap(x as MemmapSnapshot, { ...termCtx(o), colorBy: colorByOf(o), maxRows: typeof o.maxRows === 'number' ? o.maxRows : undefined }),
});

/**
 * What a notebook should display for `x`: `{ svg }` for snapshots, `{ html }` (a table) for
 * objects and arrays, and always `{ text }`. Zone lists draw the watermarks; pass
 * `{ as: 'buddy' }` for their free areas.
 */
export function toDisplay(x: unknown, opts: DisplayOptions = {}): Display {
  const v = views.find(x, opts.as);
  if (!v) return { text: cellText(x, 1e6) };
  return v.render(x, opts);
}

/** What a terminal should print for `x` (lines at most `opts.width` columns; ANSI colour unless `color: false`). */
export function toTerminal(x: unknown, opts: TerminalOptions = {}): string {
  const v = views.find(x, opts.as);
  if (!v) return cellText(x, 1e6);
  if (v.terminal) return v.terminal(x, opts);
  return v.render(x, { ...opts, width: termCtx(opts).width }).text;
}

/** The display functions a notebook front end offers (tslab's `display` has these). */
export interface DisplaySink {
  svg(s: string): void;
  html(s: string): void;
  text?(s: string): void;
}

/**
 * Makes a notebook `show(x, opts?)` from a display sink, so lib/ never imports tslab:
 * notebooks/show.ts passes tslab's display object (`makeShow(tslab.display)`).
 * Pictures go out as `image/svg+xml`, which every front end renders (JupyterLab shows it as an
 * image, so hover tooltips are off); with `{ inlineSvg: true }` they go out as HTML with the
 * SVG inline, where the `<title>` tooltips work (trusted notebooks, VS Code).
 */
export function makeShow(sink: DisplaySink, how: { inlineSvg?: boolean } = {}): (x: unknown, opts?: DisplayOptions) => void {
  return (x, opts) => {
    const d = toDisplay(x, opts);
    if (d.svg && how.inlineSvg) sink.html(d.svg);
    else if (d.svg) sink.svg(d.svg);
    else if (d.html) sink.html(d.html);
    else if (sink.text) sink.text(d.text);
    else sink.html(`<pre>${esc(d.text)}</pre>`);
  };
}
