/**
 * `kmem`: crash's memory inspector, with crash's option letters.
 *
 * Mirrors: crash(8)'s `kmem` (memory.c: dump_kmeminfo for -i, dump_free_pages_zones_v2 for
 * -f, dump_zone_stats for -z, dump_vm_stat for -V, dump_mem_map for -p, the page-flag
 * table of -g, and `kmem ADDR`'s reverse lookup).
 * Models: the same tables computed from /proc/meminfo, the zone snapshots (inspectZones) and
 * the vmstat counters of the simulated system. Addresses of kernel structures that the
 * simulator does not place in memory (a zone's free_area, a kmem_cache) are left out rather
 * than invented; MEM_MAP is the vmemmap address of the zone's first struct page (64 bytes each).
 * Extending: other subsystems add options with registerKmemOption and `kmem ADDR` resolvers
 * with registerAddrResolver (repl/registry.ts).
 */
import { hex, PG } from '../../lib/index.js';
import { decode_page_flags, parse_page_flags } from '../../lib/mm/page_flags.js';
import type { VmStat } from '../../lib/mm/vmstat.js';
import { __pa } from '../../lib/arch/x86/page.js';
import { meminfo, page, zones, type PageView } from '../kapi.js';
import { parseAddrWord, parseUint, UsageError } from '../parse.js';
import { registerAddrResolver, registerCommand, registerGroup, registerKmemOption, type CommandContext } from '../registry.js';

registerGroup('mem', 'Memory inspection (crash-style)', 10);

const PGR: Record<string, number> = PG;

/** sizeof(struct page) on x86-64. */
const STRUCT_PAGE_SIZE = 64;

/** crash's pages_to_size: `0`, `512 KB`, `676.6 MB`, `2 GB`. */
export function crashSize(bytes: number): string {
  if (bytes === 0) return '0';
  const one = (v: number) => v.toFixed(1).replace(/\.0$/, '');
  if (bytes < 2 ** 20) return `${one(bytes / 1024)} KB`;
  if (bytes < 2 ** 30) return `${one(bytes / 2 ** 20)} MB`;
  return `${one(bytes / 2 ** 30)} GB`;
}

/** `kmem -i`: the memory summary table of crash (from /proc/meminfo). */
export function kmemInfo(ctx: CommandContext): string {
  const mi = meminfo(ctx.sys);
  const pg = (k: string) => Math.floor((mi[k] ?? 0) / 4);
  const total = pg('MemTotal');
  const free = pg('MemFree');
  const lines: string[] = [ctx.c.bold('                 PAGES        TOTAL      PERCENTAGE')];
  const row = (label: string, pages: number, of?: { name: string; total: number }) => {
    const pct = of ? `${String(of.total ? Math.floor((pages * 100) / of.total) : 0).padStart(3)}% of ${of.name}` : '       ----';
    return `${label.padStart(13)}  ${String(pages).padStart(7)}  ${crashSize(pages * 4096).padStart(11)}  ${pct}`;
  };
  const TM = { name: 'TOTAL MEM', total };
  lines.push(row('TOTAL MEM', total));
  lines.push(row('FREE', free, TM));
  lines.push(row('USED', total - free, TM));
  lines.push(row('SHARED', pg('Shmem'), TM));
  lines.push(row('BUFFERS', pg('Buffers'), TM));
  lines.push(row('CACHED', pg('Cached'), TM));
  lines.push(row('SLAB', pg('Slab'), TM));
  lines.push('');
  const hugePages = Math.floor((mi['Hugepagesize'] ?? 2048) / 4);
  const hugeTotal = (mi['HugePages_Total'] ?? 0) * hugePages;
  lines.push(row('TOTAL HUGE', hugeTotal));
  lines.push(row('HUGE FREE', (mi['HugePages_Free'] ?? 0) * hugePages, { name: 'TOTAL HUGE', total: hugeTotal }));
  if (mi['HighTotal'] !== undefined) {
    lines.push('');
    const high = pg('HighTotal');
    const low = pg('LowTotal');
    lines.push(row('TOTAL HIGH', high, TM));
    lines.push(row('FREE HIGH', pg('HighFree'), { name: 'TOTAL HIGH', total: high }));
    lines.push(row('TOTAL LOW', low, TM));
    lines.push(row('FREE LOW', pg('LowFree'), { name: 'TOTAL LOW', total: low }));
  }
  lines.push('');
  const swap = pg('SwapTotal');
  const TS = { name: 'TOTAL SWAP', total: swap };
  lines.push(row('TOTAL SWAP', swap));
  lines.push(row('SWAP USED', swap - pg('SwapFree'), TS));
  lines.push(row('SWAP FREE', pg('SwapFree'), TS));
  lines.push('');
  const limit = pg('CommitLimit');
  lines.push(row('COMMIT LIMIT', limit));
  lines.push(row('COMMITTED', pg('Committed_AS'), { name: 'TOTAL LIMIT', total: limit }));
  return lines.join('\n');
}

/** `kmem -f`: free areas per zone and order, as crash prints them. */
export function kmemFree(ctx: CommandContext): string {
  const { sys, c } = ctx;
  const zs = zones(sys);
  const out: string[] = [];
  const memmapBase = sys.layout.vmemmap_start;
  let node = -1;
  let total = 0;
  let verified = true;
  for (const z of zs) {
    if (z.node !== node) {
      node = z.node;
      out.push(c.bold('NODE'), `  ${node}`);
    }
    const mem_map = memmapBase ? hex(memmapBase + z.start_pfn * STRUCT_PAGE_SIZE).slice(2) : '-';
    out.push(c.bold('ZONE  NAME        SIZE    FREE      MEM_MAP       START_PADDR  START_MAPNR'));
    out.push(
      `${String(z.zoneIdx).padStart(3)}   ${z.zone.padEnd(7)} ${String(z.spanned).padStart(8)} ${String(z.free).padStart(7)}  ${mem_map.padStart(16)} ${hex(z.start_pfn * 4096).slice(2).padStart(10)} ${String(z.start_pfn).padStart(12)}`,
    );
    out.push(c.bold('AREA    SIZE  BLOCKS   PAGES'));
    let zoneSum = 0;
    for (let o = 0; o < z.nr_free.length; o++) {
      const blocks = z.nr_free[o];
      const pages = blocks * 2 ** o;
      zoneSum += pages;
      const byType = z.free_by_type.reduce((s, t) => s + (t[o] ?? 0), 0);
      if (z.free_by_type.length && byType !== blocks) verified = false;
      out.push(`${String(o).padStart(3)} ${`${4 << o}k`.padStart(7)} ${String(blocks).padStart(7)} ${String(pages).padStart(7)}`);
    }
    if (zoneSum !== z.free) verified = false;
    total += zoneSum;
    out.push('');
  }
  out.push(`nr_free_pages: ${total}  ${verified ? '(verified)' : c.red('(NOT verified: the free lists disagree with nr_free)')}`);
  return out.join('\n');
}

/** `kmem -z`: every zone with its sizes, watermarks, protection and per-cpu lists. */
export function kmemZones(ctx: CommandContext): string {
  const { sys, c } = ctx;
  const out: string[] = [];
  const vm = (sys as unknown as { vmstat?: VmStat }).vmstat;
  for (const z of zones(sys)) {
    out.push(c.bold(`NODE: ${z.node}  ZONE: ${z.zoneIdx}  NAME: "${z.zone}"`));
    out.push(`  SIZE: ${z.spanned}  PRESENT: ${z.present}  MANAGED: ${z.managed}  START_PFN: ${z.start_pfn}`);
    out.push(`  MIN/LOW/HIGH: ${z.min}/${z.low}/${z.high}  PROMO: ${z.promo}  BOOST: ${z.boost}`);
    out.push(`  PROTECTION: (${z.lowmem_reserve.join(', ')})`);
    const state = z.free <= z.min ? c.red('below min') : z.free <= z.low ? c.magenta('below low') : z.free <= z.high ? c.magenta('below high') : c.green('above high');
    out.push(`  FREE: ${z.free}  (${state})`);
    if (z.pcp.length) out.push(`  PCP: ${z.pcp.map((p) => `cpu${p.cpu} count ${p.count} high ${p.high} batch ${p.batch}`).join('; ')}`);
    if (vm) {
      out.push('  VM_STAT:');
      const zoneId = z.node * 5 + z.zoneIdx;
      const names = vm.names.filter((n, i) => vm.kinds[i] === 'zone');
      const w = Math.max(...names.map((n) => n.length));
      for (const n of names) out.push(`  ${n.toUpperCase().padStart(w + 2)}: ${vm.zone(zoneId, n)}`);
    }
    out.push('');
  }
  return out.join('\n').replace(/\n$/, '');
}

/** `kmem -V`: the vm counters, grouped as crash groups them. */
export function kmemVm(ctx: CommandContext): string {
  const text = ctx.sys.read('/proc/vmstat');
  const vm = (ctx.sys as unknown as { vmstat?: VmStat }).vmstat;
  const rows = text
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(' ') as [string, string]);
  const groups = new Map<string, [string, string][]>();
  const title: Record<string, string> = { zone: 'VM_ZONE_STAT', numa: 'VM_NUMA_STAT', node: 'VM_NODE_STAT', global: 'VM_STAT', event: 'VM_EVENT_STATES' };
  for (const [name, v] of rows) {
    let kind = 'event';
    try {
      if (vm) kind = vm.kind(name);
    } catch {
      kind = 'event';
    }
    const g = title[kind] ?? 'VM_STAT';
    if (!groups.has(g)) groups.set(g, []);
    groups.get(g)!.push([name, v]);
  }
  const w = Math.max(...rows.map(([n]) => n.length)) + 2;
  const out: string[] = [];
  for (const [g, items] of groups) {
    out.push(ctx.c.bold(`${g}:`.padStart(w + 1)));
    for (const [n, v] of items) out.push(`${n.toUpperCase().padStart(w)}: ${v}`);
  }
  return out.join('\n');
}

/** `kmem -g FLAGS`: the page flags set in a flags word. */
export function kmemFlags(ctx: CommandContext, arg: string): string {
  let flags: number;
  try {
    flags = parse_page_flags(arg);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const out = [`FLAGS: ${flags.toString(16)}`, ctx.c.bold('  PAGE-FLAG        BIT  VALUE')];
  const names = decode_page_flags(flags);
  for (const n of names) {
    const bit = PGR[n];
    out.push(`  ${('PG_' + n).padEnd(16)} ${String(bit).padStart(3)}  ${(2 ** bit).toString(16).padStart(7, '0')}`);
  }
  let known = 0;
  for (const n of names) known |= 2 ** PGR[n];
  const unknown = (flags & ~known) >>> 0;
  if (unknown) out.push(`  (bits ${hex(unknown)} are not page flags: zone/node/section bits in a real kernel)`);
  return out.join('\n');
}

registerKmemOption({ flag: '-i', usage: 'kmem -i', summary: 'memory summary: total, free, used, cached, slab, swap, commit', example: 'kmem -i', run: (ctx) => ({ text: kmemInfo(ctx), code: "sys.read('/proc/meminfo')" }) });
registerKmemOption({ flag: '-f', usage: 'kmem -f', summary: 'free areas of every zone, per order (and a check of the free lists)', example: 'kmem -f', run: (ctx) => ({ text: kmemFree(ctx), code: 'inspectZones(sys)' }) });
registerKmemOption({ flag: '-z', usage: 'kmem -z', summary: 'zones: sizes, watermarks, protection, per-cpu lists, zone counters', example: 'kmem -z', run: (ctx) => ({ text: kmemZones(ctx), code: 'inspectZones(sys)' }) });
registerKmemOption({ flag: '-V', usage: 'kmem -V', summary: 'the vm counters (zone, node, numa, event), as /proc/vmstat', example: 'kmem -V', run: (ctx) => ({ text: kmemVm(ctx), code: "sys.read('/proc/vmstat')" }) });
registerKmemOption({
  flag: '-g',
  usage: 'kmem -g FLAGS',
  summary: 'decode page flags (a number, or names like reserved|head)',
  example: 'kmem -g 0x2040',
  complete: () => Object.keys(PG),
  run(ctx, args) {
    if (args.length !== 1) throw new UsageError('kmem -g takes one FLAGS value');
    return { text: kmemFlags(ctx, args[0]), code: `decode_page_flags(${JSON.stringify(args[0])})` };
  },
});

/** The flags word of a page view (from its flag names). */
function flagsWord(v: PageView): number {
  let f = 0;
  for (const n of v.flags) f |= 2 ** (PGR[n] ?? 0);
  return f >>> 0;
}

/** `kmem -p PFN [COUNT]`: struct pages as crash's dump_mem_map prints them, plus the simulator's decoded fields. */
export function kmemPage(ctx: CommandContext, pfn: number, count: number): string {
  const { sys, c } = ctx;
  const base = sys.layout.vmemmap_start;
  const out = [c.bold('      PAGE        PHYSICAL      MAPPING       INDEX CNT FLAGS')];
  const details: string[] = [];
  for (let p = pfn; p < pfn + count; p++) {
    const v = page(sys, p);
    const pg = base ? hex(base + p * STRUCT_PAGE_SIZE).slice(2) : hex(p).slice(2);
    const names = [...v.flags, ...(v.page_type ? [v.page_type] : [])].join(',');
    out.push(`${pg.padStart(16)} ${hex(p * 4096).slice(2).padStart(10)} ${hex(v.mapping).slice(2).padStart(12)} ${String(v.index).padStart(11)} ${String(v.refcount).padStart(3)} ${flagsWord(v).toString(16)} ${names}`);
    const extra = [`pfn ${p}`, `node ${v.node}`, `zone ${v.zone || '-'}`, v.migratetype, `state ${v.state}`];
    if (v.order !== undefined) extra.push(`order ${v.order}`);
    if (v.compound_head !== undefined) extra.push(`compound head pfn ${v.compound_head}`);
    extra.push(`mapcount ${v.mapcount}`, `private ${v.private}`);
    details.push(`  ${hex(p).padEnd(10)} ${extra.join(', ')}`);
  }
  return [...out, c.dim('decoded:'), ...details.map((d) => c.dim(d))].join('\n');
}

/** The page-level link of the `kmem ADDR` chain: physical, direct-map and struct page addresses. */
function resolvePageAddr(ctx: CommandContext, addr: number): string | null {
  const { sys, c } = ctx;
  const L = sys.layout;
  const span = sys.pages.max_pfn * 4096;
  let phys: number;
  let kind: string;
  const vmemmapEnd = L.vmemmap_start + sys.pages.max_pfn * STRUCT_PAGE_SIZE;
  if (addr >= 0 && addr < span && !(L.arch === 'i386' && addr >= L.page_offset)) {
    phys = addr;
    kind = 'physical address';
  } else if (addr >= L.page_offset && addr < L.page_offset + Math.min(span, L.direct_map_size)) {
    phys = __pa(L, addr);
    kind = `direct-map address (__pa = ${hex(phys)})`;
  } else if (L.vmemmap_start && addr >= L.vmemmap_start && addr < vmemmapEnd) {
    const pfn = Math.floor((addr - L.vmemmap_start) / STRUCT_PAGE_SIZE);
    const off = addr - L.vmemmap_start - pfn * STRUCT_PAGE_SIZE;
    return `${hex(addr)}: struct page of pfn ${hex(pfn)} (${pfn})${off ? ` + ${off} bytes` : ''} in the vmemmap (mem_map)`;
  } else return null;
  const pfn = Math.floor(phys / 4096);
  let v: PageView;
  try {
    v = page(sys, pfn);
  } catch {
    return `${hex(addr)}: ${kind} in pfn ${hex(pfn)}, which is not RAM (a firmware hole or beyond the end of memory)`;
  }
  const lines = [`${hex(addr)}: ${kind} in pfn ${hex(pfn)} (${pfn}), node ${v.node}, zone ${v.zone || '-'}, ${v.migratetype} pageblock`];
  const fb = v.state === 'free' ? sys.buddy.free_block_of(pfn) : null;
  if (fb) lines.push(`  ${c.green('free')}: in the buddy free block of order ${fb.order} at pfn ${hex(fb.pfn)} (${2 ** fb.order} pages)`);
  else if (v.state === 'pcp') lines.push(`  ${c.green('free')}: on a per-cpu page list (pcp)`);
  else if (v.state === 'reserved') lines.push(`  ${c.magenta('reserved')} (PG_reserved): firmware, the kernel image or a memblock allocation`);
  else if (v.state === 'hole') lines.push('  not usable RAM');
  else {
    const head = v.compound_head ?? pfn;
    const h = [...ctx.session.handles.values()].find((x) => pfn >= x.pfn && pfn < x.pfn + 2 ** x.order);
    const what = v.state === 'allocated' ? 'allocated' : `allocated (${v.state})`;
    lines.push(`  ${c.cyan(what)}${v.order !== undefined ? `: block of order ${v.order} at pfn ${hex(head)}` : head !== pfn ? `: part of the block at pfn ${hex(head)}` : ''}${h ? ` — handle ${c.bold(h.name)}` : ''}`);
  }
  lines.push(`  flags ${flagsWord(v).toString(16)}${v.flags.length ? ` (${v.flags.join('|')})` : ''}, refcount ${v.refcount}, mapcount ${v.mapcount}${v.page_type ? `, page_type ${v.page_type}` : ''}`);
  if (kind === 'physical address' && (L.arch !== 'i386' || phys < L.direct_map_size)) lines.push(c.dim(`  direct map: ${hex(L.page_offset + phys)}`));
  return lines.join('\n');
}

registerAddrResolver({ name: 'page', priority: 100, resolve: resolvePageAddr });

registerKmemOption({
  flag: '-p',
  usage: 'kmem -p PFN|$N [COUNT]',
  summary: 'struct page of PFN (and the next COUNT-1), with the decoded fields',
  example: 'kmem -p 4096',
  run(ctx, args) {
    if (!args.length || args.length > 2) throw new UsageError('kmem -p takes a PFN and an optional COUNT');
    const h = ctx.session.handle(args[0]);
    const pfn = h ? h.pfn : parseUint(args[0], 'pfn');
    const count = args[1] === undefined ? 1 : Math.max(1, parseUint(args[1], 'COUNT', 64));
    return { text: kmemPage(ctx, pfn, count), code: `sys.page(${pfn})` };
  },
});

/** `kmem ADDR`: asks each resolver of the chain what the address is. */
function kmemAddr(ctx: CommandContext, word: string): string {
  const reg = ctx.session.registry;
  let addr: number;
  const h = ctx.session.handle(word);
  if (h) return kmemAddr(ctx, h.addr !== undefined ? hex(h.addr) : hex(h.pfn * 4096));
  if (word.startsWith('$')) throw new UsageError(`no handle ${word} (freed, or never made): give the address instead`);
  try {
    addr = parseAddrWord(word);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const answers: string[] = [];
  for (const r of reg.addrResolvers()) {
    const a = r.resolve(ctx, addr);
    if (a) answers.push(a);
  }
  if (!answers.length) return `${hex(addr)}: not a physical address of RAM, a direct-map address, or anything else known`;
  return answers.join('\n\n');
}

registerCommand({
  name: 'kmem',
  group: 'mem',
  usage: 'kmem -OPTION [ARG] | kmem ADDR',
  summary: 'kernel memory: -i summary, -f free areas, -z zones, -V counters, -p PFN, -g FLAGS, ADDR',
  example: 'kmem -i',
  complete: (args, partial, ctx) => {
    const reg = ctx.session.registry;
    if (args.length === 0) return reg.kmemOptions().map((o) => o.flag);
    const opt = reg.kmemOption(args[0]);
    return opt?.complete ? opt.complete(args.slice(1), partial, ctx) : [];
  },
  run(ctx, args) {
    const reg = ctx.session.registry;
    const first = args[0];
    if (first === undefined) throw new UsageError('missing option or address');
    if (/^-[A-Za-z]$/.test(first)) {
      const opt = reg.kmemOption(first);
      if (!opt) throw new UsageError(`unknown option '${first}' (options: ${reg.kmemOptions().map((o) => o.flag).join(' ')})`);
      return opt.run(ctx, args.slice(1));
    }
    if (first.startsWith('-')) throw new UsageError(`unknown option '${first}'`);
    return args.map((a) => kmemAddr(ctx, a)).join('\n\n');
  },
});
