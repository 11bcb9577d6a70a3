/**
 * The terminal picture toolkit: ANSI SGR colours (256-colour palette, switched off with
 * `color: false` for tests and pipes), width-aware padding and truncation that ignore escape
 * codes, block-character bars and legend lines.
 *
 * Mirrors: nothing in the kernel; it is how mmlab's REPL draws (crash/drgn print plain text;
 * we add colour where it helps and never depend on it: every coloured cell also has a glyph).
 * Models: pure functions returning strings. Every picture takes {@link TermOptions}.
 * Simplifies: every character drawn is one column wide (no East Asian wide characters).
 * See: lib/view/README.md.
 */

/** Options shared by every terminal picture. */
export interface TermOptions {
  /** Columns available (default 80). No output line is wider. */
  width?: number;
  /** Use ANSI colours (default true). With false the output is plain text. */
  color?: boolean;
}

/** Resolved {@link TermOptions}. */
export interface TermCtx {
  width: number;
  color: boolean;
}

/** Fills in defaults: width 80 (at least 20), colour on. */
export function termCtx(o: TermOptions = {}): TermCtx {
  return { width: Math.max(20, Math.floor(o.width ?? 80)), color: o.color ?? true };
}

const ESC = '\u001b[';
// eslint-disable-next-line no-control-regex
const ANSI_RE = /\u001b\[[0-9;]*m/g;

/** Removes ANSI SGR escape sequences. */
export function stripAnsi(s: string): string {
  return s.replace(ANSI_RE, '');
}

/** The columns `s` takes on a terminal (escape codes excluded; one column per code point). */
export function visibleWidth(s: string): number {
  let n = 0;
  for (const _ of stripAnsi(s)) n++;
  return n;
}

/** The nearest xterm-256 colour index of a `#rrggbb` colour. */
export function hexTo256(hex: string): number {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex);
  if (!m) return 244;
  const v = parseInt(m[1], 16);
  const rgb = [(v >> 16) & 255, (v >> 8) & 255, v & 255];
  const steps = [0, 95, 135, 175, 215, 255];
  const idx = (c: number) => {
    let best = 0;
    for (let i = 1; i < 6; i++) if (Math.abs(steps[i] - c) < Math.abs(steps[best] - c)) best = i;
    return best;
  };
  const ci = rgb.map(idx);
  const cube = 16 + 36 * ci[0] + 6 * ci[1] + ci[2];
  const cubeErr = rgb.reduce((e, c, i) => e + (c - steps[ci[i]]) ** 2, 0);
  const avg = (rgb[0] + rgb[1] + rgb[2]) / 3;
  const gi = Math.max(0, Math.min(23, Math.round((avg - 8) / 10)));
  const gv = 8 + gi * 10;
  const greyErr = rgb.reduce((e, c) => e + (c - gv) ** 2, 0);
  return greyErr < cubeErr ? 232 + gi : cube;
}

/** Style of {@link paint}. */
export interface Style {
  /** Foreground `#rrggbb`. */
  fg?: string;
  /** Background `#rrggbb`. */
  bg?: string;
  bold?: boolean;
  dim?: boolean;
}

/** Wraps `s` in SGR codes for `style` (returns `s` unchanged when colour is off). */
export function paint(s: string, style: Style, color: boolean): string {
  if (!color || !s) return s;
  const codes: string[] = [];
  if (style.bold) codes.push('1');
  if (style.dim) codes.push('2');
  if (style.fg) codes.push(`38;5;${hexTo256(style.fg)}`);
  if (style.bg) codes.push(`48;5;${hexTo256(style.bg)}`);
  if (!codes.length) return s;
  return `${ESC}${codes.join(';')}m${s}${ESC}0m`;
}

/** Bold text (plain when colour is off). */
export function bold(s: string, color: boolean): string {
  return paint(s, { bold: true }, color);
}

/** Dim (muted) text (plain when colour is off). */
export function dim(s: string, color: boolean): string {
  return paint(s, { dim: true }, color);
}

/** Truncates `s` (escape-aware) to `w` columns, ending with '…' when cut. */
export function truncate(s: string, w: number): string {
  if (visibleWidth(s) <= w) return s;
  if (w <= 0) return '';
  let out = '';
  let n = 0;
  let i = 0;
  let styled = false;
  while (i < s.length && n < w - 1) {
    if (s[i] === '\u001b') {
      const m = /^\u001b\[[0-9;]*m/.exec(s.slice(i));
      if (m) {
        out += m[0];
        styled = m[0] !== `${ESC}0m`;
        i += m[0].length;
        continue;
      }
    }
    const cp = s.codePointAt(i) ?? 0;
    const ch = String.fromCodePoint(cp);
    out += ch;
    i += ch.length;
    n++;
  }
  return out + '…' + (styled ? `${ESC}0m` : '');
}

/** Pads `s` with spaces on the right to `w` columns (escape-aware; never truncates). */
export function padEnd(s: string, w: number): string {
  const n = visibleWidth(s);
  return n >= w ? s : s + ' '.repeat(w - n);
}

/** Pads `s` with spaces on the left to `w` columns (escape-aware; never truncates). */
export function padStart(s: string, w: number): string {
  const n = visibleWidth(s);
  return n >= w ? s : ' '.repeat(w - n) + s;
}

/** Truncates every line of `text` to `w` columns and joins them with newlines. */
export function fitLines(lines: string[], w: number): string {
  return lines.map((l) => truncate(l, w).replace(/\s+$/, '')).join('\n');
}

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/**
 * A horizontal bar of `value/max` over `width` columns, in block characters (eighths), padded
 * with spaces to `width`. At least one eighth is drawn for any non-zero value.
 */
export function hbar(value: number, max: number, width: number): string {
  if (width <= 0) return '';
  const frac = max > 0 ? Math.max(0, Math.min(1, value / max)) : 0;
  let eighths = Math.round(frac * width * 8);
  if (value > 0 && eighths === 0) eighths = 1;
  const full = Math.floor(eighths / 8);
  const s = '█'.repeat(full) + EIGHTHS[eighths % 8];
  return s + ' '.repeat(Math.max(0, width - visibleWidth(s)));
}

/** One legend entry: a glyph (drawn on its colour when colour is on) and a label. */
export interface TermLegendEntry {
  glyph: string;
  label: string;
  /** Background colour of the glyph. */
  bg?: string;
  /** Foreground colour of the glyph. */
  fg?: string;
  /** Muted text after the label (a count, a size). */
  value?: string;
}

/** Paints a one-column glyph on its cell colour, with black or white ink (whichever reads). */
export function cellGlyph(glyph: string, bg: string | undefined, color: boolean, fg?: string): string {
  if (!color || (!bg && !fg)) return glyph;
  return paint(glyph, { bg, fg: fg ?? (bg ? inkFor(bg) : undefined) }, color);
}

/**
 * Paints a row of one-column cells (glyph and background, optional foreground), merging runs
 * of the same colours into one escape sequence so the output stays small.
 */
export function paintCells(cells: { glyph: string; bg?: string; fg?: string }[], color: boolean): string {
  if (!color) return cells.map((c) => c.glyph).join('');
  let out = '';
  let run = '';
  let bg: string | undefined;
  let fg: string | undefined;
  for (const c of cells) {
    const cfg = c.fg ?? (c.bg ? inkFor(c.bg) : undefined);
    if (run && (c.bg !== bg || cfg !== fg)) {
      out += paint(run, { bg, fg }, true);
      run = '';
    }
    bg = c.bg;
    fg = cfg;
    run += c.glyph;
  }
  return run ? out + paint(run, { bg, fg }, true) : out;
}

/** '#000000' or '#ffffff', whichever reads better on `bg`. */
export function inkFor(bg: string): string {
  const m = /^#([0-9a-f]{6})$/i.exec(bg);
  if (!m) return '#000000';
  const n = parseInt(m[1], 16);
  const l = 0.299 * ((n >> 16) & 255) + 0.587 * ((n >> 8) & 255) + 0.114 * (n & 255);
  return l > 140 ? '#000000' : '#ffffff';
}

/** Legend entries laid out on as many lines as `width` needs. */
export function legendLines(entries: TermLegendEntry[], width: number, color: boolean): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const e of entries) {
    const item = `${cellGlyph(e.glyph, e.bg, color, e.fg)} ${e.label}${e.value ? ' ' + dim(e.value, color) : ''}`;
    const w = visibleWidth(item);
    if (cur && visibleWidth(cur) + 2 + w > width) {
      lines.push(cur);
      cur = '';
    }
    cur = cur ? `${cur}  ${item}` : truncate(item, width);
  }
  if (cur) lines.push(cur);
  return lines;
}

/** A horizontal rule with a title in it: `── title ───────`, `width` columns wide. */
export function rule(title: string, width: number, color: boolean): string {
  const t = title ? ` ${title} ` : '';
  const left = '──';
  const rest = Math.max(0, width - visibleWidth(t) - left.length);
  return truncate(dim(left, color) + bold(t, color) + dim('─'.repeat(rest), color), width);
}
