/**
 * Kernel API calls from the prompt: alloc_pages, __free_pages, __get_free_pages, free_pages,
 * get_zeroed_page. Each allocation gets a handle `$N` that later commands (and TypeScript) can
 * use; GFP masks are written as in C (`GFP_KERNEL|__GFP_ZERO`).
 */
import { __pa, PAGE_SHIFT } from '../../lib/arch/x86/page.js';
import { format_gfp, GFP_KERNEL, gfp_names, hex, parse_gfp, parseAddr, __GFP_ZERO } from '../../lib/index.js';
import type { Page } from '../../lib/mm/page_alloc.js';
import { page } from '../kapi.js';
import { parseUint, UsageError } from '../parse.js';
import { registerCommand, registerGroup, type Completer, type CommandContext } from '../registry.js';
import type { Handle } from '../session.js';

registerGroup('api', 'Kernel API (page allocator)', 30);

const ORDERS = Array.from({ length: 11 }, (_, i) => String(i));

/** Completes a GFP mask word, after any `|` already typed. */
export function completeGfp(partial: string): string[] {
  const bar = partial.lastIndexOf('|');
  const prefix = bar < 0 ? '' : partial.slice(0, bar + 1);
  return gfp_names().map((n) => prefix + n);
}

const orderThenGfp: Completer = (args, partial) => (args.length === 0 ? ORDERS : args.length === 1 ? completeGfp(partial) : []);

/** Reads a GFP mask from the words left (they may be split around `|`); default GFP_KERNEL. */
function gfpArg(words: string[]): number {
  if (!words.length) return GFP_KERNEL;
  try {
    return parse_gfp(words.join(''));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** Reads an order (0..63; the allocator itself refuses orders above MAX_PAGE_ORDER). */
function orderArg(w: string | undefined): number {
  return parseUint(w, 'order', 63);
}

function gfpCode(gfp: number): string {
  return format_gfp(gfp).replace(/^0$/, '0');
}

/** Describes an allocated range of pages. */
function describe(ctx: CommandContext, pfn: number, order: number): string {
  const n = 2 ** order;
  const phys = pfn * 2 ** PAGE_SHIFT;
  let zone = '';
  try {
    zone = page(ctx.sys, pfn).zone;
  } catch {
    zone = '';
  }
  return `pfn ${ctx.c.cyan(hex(pfn))} (${pfn}), order ${order}: ${n} page${n > 1 ? 's' : ''}, phys ${hex(phys)}-${hex(phys + n * 4096 - 1)}${zone ? `, zone ${zone}` : ''}`;
}

registerCommand({
  name: 'alloc_pages',
  group: 'api',
  usage: 'alloc_pages ORDER [GFP]',
  summary: 'allocate 2^ORDER contiguous pages from the buddy allocator (GFP default GFP_KERNEL)',
  example: 'alloc_pages 3 GFP_KERNEL|__GFP_ZERO',
  mutates: true,
  complete: orderThenGfp,
  run(ctx, args) {
    const order = orderArg(args[0]);
    const gfp = gfpArg(args.slice(1));
    const page = ctx.sys.alloc_pages(gfp, order);
    const call = `sys.alloc_pages(${gfpCode(gfp)}, ${order})`;
    if (!page) return { text: `NULL ${ctx.c.dim(`(alloc_pages failed: order:${order}, mode:0x${gfp.toString(16)}(${format_gfp(gfp)}))`)}`, code: call };
    const h = ctx.session.addHandle({ kind: 'page', pfn: page.pfn, order, gfp, value: page });
    return { text: `${ctx.c.bold(h.name)} = ${describe(ctx, page.pfn, order)}`, code: `const ${h.name} = ${call}` };
  },
});

/** Resolves `PFN` or `$N` for __free_pages; returns what to pass and the order. */
function pageArg(ctx: CommandContext, word: string | undefined, orderWord: string | undefined): { page: Page | number; pfn: number; order: number; handle?: Handle; label: string } {
  if (word === undefined) throw new UsageError('missing PFN or $HANDLE');
  if (word.startsWith('$')) {
    const h = ctx.session.handle(word);
    if (!h) throw new UsageError(`no handle ${word} (handles: ${[...ctx.session.handles.values()].map((x) => x.name).join(' ') || 'none'})`);
    const order = orderWord === undefined ? h.order : orderArg(orderWord);
    const page = h.kind === 'page' ? (h.value as Page) : h.pfn;
    return { page, pfn: h.pfn, order, handle: h, label: h.name };
  }
  const pfn = parseUint(word, 'pfn');
  if (orderWord === undefined) throw new UsageError('missing ORDER (only a $HANDLE knows its order)');
  return { page: pfn, pfn, order: orderArg(orderWord), label: String(pfn) };
}

registerCommand({
  name: '__free_pages',
  group: 'api',
  usage: '__free_pages PFN|$HANDLE [ORDER]',
  summary: 'give 2^ORDER pages back to the buddy allocator (ORDER is optional with a handle)',
  example: '__free_pages $1',
  mutates: true,
  complete: (args, _p, ctx) => (args.length === 0 ? [...ctx.session.handles.values()].filter((h) => h.kind === 'page').map((h) => h.name) : args.length === 1 ? ORDERS : []),
  run(ctx, args) {
    if (args.length > 2) throw new UsageError('too many arguments');
    const a = pageArg(ctx, args[0], args[1]);
    ctx.sys.__free_pages(a.page, a.order);
    ctx.session.dropHandlesAt(a.pfn);
    return { text: `freed ${describe(ctx, a.pfn, a.order)}`, code: `sys.__free_pages(${a.handle ? a.label : a.pfn}, ${a.order})` };
  },
});

registerCommand({
  name: '__get_free_pages',
  group: 'api',
  usage: '__get_free_pages ORDER [GFP]',
  summary: 'allocate 2^ORDER pages and return their kernel (direct-map) virtual address',
  example: '__get_free_pages 1 GFP_ATOMIC',
  mutates: true,
  complete: orderThenGfp,
  run(ctx, args) {
    const order = orderArg(args[0]);
    const gfp = gfpArg(args.slice(1));
    return getFreePages(ctx, gfp, order, `sys.__get_free_pages(${gfpCode(gfp)}, ${order})`);
  },
});

function getFreePages(ctx: CommandContext, gfp: number, order: number, call: string) {
  const addr = ctx.sys.__get_free_pages(gfp, order);
  if (!addr) return { text: `0 ${ctx.c.dim(`(__get_free_pages failed: order:${order}, mode:0x${gfp.toString(16)}(${format_gfp(gfp)}))`)}`, code: call };
  const pfn = Math.floor(__pa(ctx.sys.layout, addr) / 4096);
  const h = ctx.session.addHandle({ kind: 'vaddr', pfn, order, gfp, addr, value: addr });
  return { text: `${ctx.c.bold(h.name)} = ${ctx.c.cyan(hex(addr))}  ${ctx.c.dim('(' + describe(ctx, pfn, order).replace(/\x1b\[[0-9;]*m/g, '') + ')')}`, code: `const ${h.name} = ${call}` };
}

registerCommand({
  name: 'get_zeroed_page',
  group: 'api',
  usage: 'get_zeroed_page [GFP]',
  summary: 'allocate one zeroed page and return its kernel virtual address',
  example: 'get_zeroed_page',
  mutates: true,
  complete: (args, partial) => (args.length === 0 ? completeGfp(partial) : []),
  run(ctx, args) {
    const gfp = gfpArg(args);
    return getFreePages(ctx, gfp | __GFP_ZERO, 0, `sys.__get_free_pages(${gfpCode(gfp | __GFP_ZERO)}, 0)`);
  },
});

registerCommand({
  name: 'free_pages',
  group: 'api',
  usage: 'free_pages ADDR|$HANDLE [ORDER]',
  summary: 'free pages by kernel virtual address (ORDER is optional with a handle)',
  example: 'free_pages $2',
  mutates: true,
  complete: (args, _p, ctx) => (args.length === 0 ? [...ctx.session.handles.values()].filter((h) => h.kind === 'vaddr').map((h) => h.name) : args.length === 1 ? ORDERS : []),
  run(ctx, args) {
    if (args.length > 2) throw new UsageError('too many arguments');
    const w = args[0];
    if (w === undefined) throw new UsageError('missing ADDR or $HANDLE');
    let addr: number;
    let order: number;
    let label: string;
    if (w.startsWith('$')) {
      const h = ctx.session.handle(w);
      if (!h) throw new UsageError(`no handle ${w}`);
      if (h.kind !== 'vaddr' || h.addr === undefined) throw new UsageError(`${w} is a page from alloc_pages: free it with __free_pages ${w}`);
      addr = h.addr;
      order = args[1] === undefined ? h.order : orderArg(args[1]);
      label = h.name;
    } else {
      try {
        addr = parseAddr(w);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
      if (args[1] === undefined) throw new UsageError('missing ORDER (only a $HANDLE knows its order)');
      order = orderArg(args[1]);
      label = `parseAddr('${hex(addr)}')`;
    }
    ctx.sys.free_pages(addr, order);
    const pfn = Math.floor(__pa(ctx.sys.layout, addr) / 4096);
    ctx.session.dropHandlesAt(pfn);
    return { text: `freed ${hex(addr)} (order ${order})`, code: `sys.free_pages(${label}, ${order})` };
  },
});
