/**
 * Markdown for the terminal: renders a chapter (or any Markdown) as plain or ANSI-coloured text.
 *
 * Mirrors: nothing in the kernel; ours (the course).
 * Models: a walker over markdown-it's token stream — headings, paragraphs, lists, block quotes
 * (the chapter boxes), code blocks, tables, rules; inline text, strong, emphasis, code, links.
 * Lines are wrapped to `width` columns (code blocks are not wrapped).
 * See: chapters/README.md (the REPL's `chapter N`).
 */
import MarkdownIt from 'markdown-it';

/** Options of {@link renderTerminal}. */
export interface TerminalMarkdownOptions {
  /** Columns to wrap prose at (default 100). */
  width?: number;
  /** ANSI colours and styles (default false: plain text). */
  color?: boolean;
}

const md = new MarkdownIt({ html: true });
type Token = ReturnType<typeof md.parse>[number];

const SGR = { bold: '\u001b[1m', dim: '\u001b[2m', italic: '\u001b[3m', under: '\u001b[4m', cyan: '\u001b[36m', yellow: '\u001b[33m', green: '\u001b[32m', reset: '\u001b[0m' };

function visibleLength(s: string): number {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u001b\[[0-9;]*m/g, '').length;
}

function wrap(text: string, width: number, indent: string, first = indent): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    let lead = out.length ? indent : first;
    for (const word of para.split(/ +/)) {
      if (!word) continue;
      if (line && visibleLength(lead + line + ' ' + word) > width) {
        out.push(lead + line);
        lead = indent;
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    out.push(lead + line);
  }
  return out;
}

/** Renders Markdown text for a terminal. */
export function renderTerminal(src: string, opts: TerminalMarkdownOptions = {}): string {
  const width = opts.width ?? 100;
  const c = opts.color ?? false;
  const st = (s: string, ...codes: (keyof typeof SGR)[]): string => (c ? codes.map((k) => SGR[k]).join('') + s + SGR.reset : s);
  const tokens = md.parse(src, {});
  const out: string[] = [];
  const lists: { ordered: boolean; n: number }[] = [];
  let quote = 0;
  let heading = 0;
  let pendingBullet = '';
  let row: string[] = [];
  const prefix = (): string => '│ '.repeat(quote);

  const inline = (t: Token): string => {
    let s = '';
    const stack: string[] = [];
    for (const k of t.children ?? []) {
      switch (k.type) {
        case 'text': s += k.content; break;
        case 'code_inline': s += st(k.content, 'cyan'); break;
        case 'softbreak': s += ' '; break;
        case 'hardbreak': s += '\n'; break;
        case 'strong_open': if (c) s += SGR.bold; stack.push('b'); break;
        case 'em_open': if (c) s += SGR.italic; stack.push('i'); break;
        case 'strong_close': case 'em_close': stack.pop(); if (c) s += SGR.reset + (stack.includes('b') ? SGR.bold : '') + (stack.includes('i') ? SGR.italic : ''); break;
        case 'link_close': {
          const open = (t.children ?? []).find((x: Token) => x.type === 'link_open');
          const href = String(open?.attrGet('href') ?? '');
          if (href && !href.startsWith('#')) s += st(` <${href}>`, 'dim');
          break;
        }
        case 'html_inline': {
          const m = /^<sup>$/.exec(k.content);
          if (m) s += '^';
          break;
        }
        default: break;
      }
    }
    return s;
  };

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    switch (t.type) {
      case 'heading_open': heading = Number(t.tag.slice(1)); break;
      case 'heading_close': heading = 0; out.push(''); break;
      case 'paragraph_close': if (!lists.length) out.push(prefix().trimEnd()); break;
      case 'bullet_list_open': lists.push({ ordered: false, n: 0 }); break;
      case 'ordered_list_open': lists.push({ ordered: true, n: Number(t.attrGet('start') ?? 1) - 1 }); break;
      case 'bullet_list_close': case 'ordered_list_close': lists.pop(); if (!lists.length) out.push(prefix().trimEnd()); break;
      case 'list_item_open': {
        const l = lists[lists.length - 1];
        l.n++;
        pendingBullet = l.ordered ? `${l.n}. ` : '• ';
        break;
      }
      case 'blockquote_open': quote++; break;
      case 'blockquote_close': quote--; break;
      case 'hr': out.push(prefix() + st('─'.repeat(Math.min(width, 60)), 'dim'), ''); break;
      case 'fence': case 'code_block': {
        for (const line of t.content.replace(/\n$/, '').split('\n')) out.push(prefix() + '    ' + st(line, 'green'));
        out.push(prefix().trimEnd());
        break;
      }
      case 'tr_open': row = []; break;
      case 'tr_close': out.push(prefix() + '  ' + row.join(st(' │ ', 'dim'))); break;
      case 'thead_close': out.push(prefix() + '  ' + st('─'.repeat(Math.min(width - 2, 60)), 'dim')); break;
      case 'table_close': out.push(prefix().trimEnd()); break;
      case 'inline': {
        const text = inline(t);
        if (tokens[i - 1]?.type === 'th_open' || tokens[i - 1]?.type === 'td_open') {
          row.push(tokens[i - 1].type === 'th_open' ? st(text, 'bold') : text);
          break;
        }
        if (heading) {
          const style = (l: string): string => (heading === 1 ? st(l.toUpperCase(), 'bold', 'under') : heading === 2 ? st(l, 'bold', 'yellow') : st(l, 'bold'));
          for (const l of wrap(text, width - prefix().length, '')) out.push(prefix() + style(l));
          break;
        }
        const depth = Math.max(0, lists.length - 1);
        const indent = prefix() + '  '.repeat(depth) + (lists.length ? '  ' : '');
        const first = pendingBullet ? prefix() + '  '.repeat(depth) + pendingBullet : indent;
        pendingBullet = '';
        out.push(...wrap(text, width, indent, first));
        break;
      }
      default: break;
    }
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trim() + '\n';
}
