/**
 * Slab allocator commands: kmalloc/kfree/kzalloc/krealloc, kmem_cache_*, slabtop, KASAN and
 * kmemleak controls; `kmem -s` (every cache, as crash prints it), `kmem -S CACHE` (each slab
 * with its objects and freelists), the `kmem ADDR` resolver for slab objects; `show slab CACHE`
 * and `show kmalloc` pictures.
 */
import { format_gfp, GFP_KERNEL, hex, parse_gfp } from '../../lib/index.js';
import type { KmemCache } from '../../lib/mm/slab.js';
import type { CacheSnapshot, SlabSnapshot } from '../../lib/mm/slab_common.js';
import { termKmallocClasses, termSlabCache } from '../../lib/view/term/slab.js';
import { parseAddrWord, parseUint, UsageError } from '../parse.js';
import { registerAddrResolver, registerCommand, registerGroup, registerKmemOption, type CommandContext } from '../registry.js';
import { PICTURES } from './show.js';
import { completeGfp } from './api.js';

registerGroup('slab', 'Slab allocator (kmalloc, kmem_cache)', 35);

function gfpArg(words: string[]): number {
  if (!words.length) return GFP_KERNEL;
  try {
    return parse_gfp(words.join(''));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** An address argument: `$N` handle or a number. */
function addrArg(ctx: CommandContext, w: string | undefined): number {
  if (w === undefined) throw new UsageError('missing ADDR or $HANDLE');
  const h = ctx.session.handle(w);
  if (h) {
    if (h.addr === undefined) throw new UsageError(`${w} is a page handle, not an address`);
    return h.addr;
  }
  if (w.startsWith('$')) throw new UsageError(`no handle ${w} (freed, or never made)`);
  try {
    return parseAddrWord(w);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function cacheArg(ctx: CommandContext, w: string | undefined): KmemCache {
  if (w === undefined) throw new UsageError('missing CACHE name');
  const s = ctx.sys.slab.find_cache(w);
  if (!s) throw new UsageError(`no cache '${w}' (kmem -s lists them)`);
  return s;
}

const cacheNames = (ctx: { sys: CommandContext['sys'] }) => ctx.sys.slab.slub.slab_caches.map((s) => s.name);

function dropHandleOf(ctx: CommandContext, addr: number): void {
  for (const h of [...ctx.session.handles.values()]) if (h.addr === addr) ctx.session.dropHandle(h);
}

function where(ctx: CommandContext, addr: number): string {
  const l = ctx.sys.slab.lookupAddr(addr);
  return l ? `${l.cache} object ${l.index}` : 'page allocator (kmalloc_large)';
}

registerCommand({
  name: 'kmalloc', group: 'slab', usage: 'kmalloc SIZE [GFP]', summary: 'allocate SIZE bytes from the kmalloc caches (above 8 KiB: the page allocator)',
  example: 'kmalloc 100', mutates: true,
  complete: (args, partial) => (args.length >= 1 ? completeGfp(partial) : []),
  run(ctx, args) {
    const size = parseUint(args[0], 'size', 1 << 30);
    const gfp = gfpArg(args.slice(1));
    const call = `sys.kmalloc(${size}, ${format_gfp(gfp)})`;
    const addr = ctx.sys.kmalloc(size, gfp);
    if (addr === null) return { text: 'NULL', code: call };
    if (addr === 16) return { text: `${ctx.c.bold('ZERO_SIZE_PTR')} (0x10): kmalloc(0) returns a pointer that must not be used`, code: call };
    const pfn = Math.floor(ctx.sys.slab.slub.pa(addr) / 4096);
    const h = ctx.session.addHandle({ kind: 'vaddr', pfn, order: 0, gfp, addr, value: addr });
    return { text: `${ctx.c.bold(h.name)} = ${ctx.c.cyan(hex(addr))}  ${ctx.c.dim(`(${where(ctx, addr)}, ksize ${ctx.sys.slab.usable_size(addr)})`)}`, code: `const ${h.name} = ${call}` };
  },
});

registerCommand({
  name: 'kzalloc', group: 'slab', usage: 'kzalloc SIZE [GFP]', summary: 'kmalloc of zeroed memory', example: 'kzalloc 64', mutates: true,
  complete: (args, partial) => (args.length >= 1 ? completeGfp(partial) : []),
  run(ctx, args) {
    const size = parseUint(args[0], 'size', 1 << 30);
    const gfp = gfpArg(args.slice(1));
    const addr = ctx.sys.kzalloc(size, gfp);
    const call = `sys.kzalloc(${size}, ${format_gfp(gfp)})`;
    if (addr === null || addr === 16) return { text: addr === null ? 'NULL' : 'ZERO_SIZE_PTR (0x10)', code: call };
    const h = ctx.session.addHandle({ kind: 'vaddr', pfn: Math.floor(ctx.sys.slab.slub.pa(addr) / 4096), order: 0, gfp, addr, value: addr });
    return { text: `${ctx.c.bold(h.name)} = ${ctx.c.cyan(hex(addr))}  ${ctx.c.dim(`(${where(ctx, addr)})`)}`, code: `const ${h.name} = ${call}` };
  },
});

registerCommand({
  name: 'kfree', group: 'slab', usage: 'kfree ADDR|$N', summary: 'free a kmalloc object (bad pointers get the kernel report)', example: 'kfree $1', mutates: true,
  run(ctx, args) {
    const addr = addrArg(ctx, args[0]);
    const what = ctx.sys.slab.lookupAddr(addr);
    ctx.sys.kfree(addr);
    dropHandleOf(ctx, addr);
    return { text: `freed ${hex(addr)}${what ? ` (${what.cache})` : ''}`, code: `sys.kfree(${hex(addr)})` };
  },
});

registerCommand({
  name: 'krealloc', group: 'slab', usage: 'krealloc ADDR|$N SIZE [GFP]', summary: 'resize a kmalloc object (moves it when the slot is too small)', example: 'krealloc $1 300', mutates: true,
  run(ctx, args) {
    const addr = addrArg(ctx, args[0]);
    const size = parseUint(args[1], 'size', 1 << 30);
    const gfp = gfpArg(args.slice(2));
    const q = ctx.sys.krealloc(addr, size, gfp);
    const code = `sys.krealloc(${hex(addr)}, ${size}, ${format_gfp(gfp)})`;
    if (q === null) return { text: 'NULL (the old object is untouched)', code };
    if (q !== addr) dropHandleOf(ctx, addr);
    if (q === 16) return { text: 'ZERO_SIZE_PTR (the object was freed)', code };
    if (q === addr) return { text: `${hex(q)} (in place: ksize ${ctx.sys.slab.usable_size(q)})`, code };
    const h = ctx.session.addHandle({ kind: 'vaddr', pfn: Math.floor(ctx.sys.slab.slub.pa(q) / 4096), order: 0, gfp, addr: q, value: q });
    return { text: `${ctx.c.bold(h.name)} = ${hex(q)} (moved from ${hex(addr)}, now ${where(ctx, q)})`, code: `const ${h.name} = ${code}` };
  },
});

registerCommand({
  name: 'kmem_cache_create', group: 'slab', usage: 'kmem_cache_create NAME SIZE [ALIGN] [FLAGS]', summary: 'create an object cache (may merge with an existing one)',
  example: 'kmem_cache_create my_obj 72 8', mutates: true,
  run(ctx, args) {
    if (!args[0]) throw new UsageError('missing NAME');
    const size = parseUint(args[1], 'size', 4 << 20);
    const align = args[2] === undefined ? 0 : parseUint(args[2], 'align', 1 << 20);
    const flags = args[3] === undefined ? 0 : parseUint(args[3], 'flags', 0x7fffffff);
    const s = ctx.sys.kmem_cache_create(args[0], size, align, flags);
    const alias = s.name !== args[0];
    const c = ctx.sys.slab.inspectCache(s);
    return {
      text: alias
        ? `${args[0]} merged into ${ctx.c.bold(s.name)} (an alias: object size ${s.size}, refcount ${s.refcount})`
        : `${ctx.c.bold(s.name)}: object_size ${c.object_size}, size ${c.size}, align ${c.align}, ${c.objects_per_slab} objects per slab of ${1 << c.order} page(s), free pointer at +${c.offset}`,
      code: `const ${args[0].replace(/\W/g, '_')} = sys.kmem_cache_create(${JSON.stringify(args[0])}, ${size}, ${align}, ${flags})`,
    };
  },
});

registerCommand({
  name: 'kmem_cache_alloc', group: 'slab', usage: 'kmem_cache_alloc CACHE [GFP]', summary: 'allocate one object from a cache', example: 'kmem_cache_alloc my_obj', mutates: true,
  complete: (args, partial, ctx) => (args.length === 0 ? cacheNames(ctx) : completeGfp(partial)),
  run(ctx, args) {
    const s = cacheArg(ctx, args[0]);
    const gfp = gfpArg(args.slice(1));
    const addr = ctx.sys.kmem_cache_alloc(s, gfp);
    const code = `sys.kmem_cache_alloc(sys.slab.find_cache(${JSON.stringify(s.name)}), ${format_gfp(gfp)})`;
    if (addr === null) return { text: 'NULL', code };
    const h = ctx.session.addHandle({ kind: 'vaddr', pfn: Math.floor(ctx.sys.slab.slub.pa(addr) / 4096), order: 0, gfp, addr, value: addr });
    return { text: `${ctx.c.bold(h.name)} = ${ctx.c.cyan(hex(addr))}  ${ctx.c.dim(`(${where(ctx, addr)})`)}`, code: `const ${h.name} = ${code}` };
  },
});

registerCommand({
  name: 'kmem_cache_free', group: 'slab', usage: 'kmem_cache_free CACHE ADDR|$N', summary: 'free an object to its cache', example: 'kmem_cache_free my_obj $2', mutates: true,
  complete: (args, _p, ctx) => (args.length === 0 ? cacheNames(ctx) : []),
  run(ctx, args) {
    const s = cacheArg(ctx, args[0]);
    const addr = addrArg(ctx, args[1]);
    ctx.sys.kmem_cache_free(s, addr);
    dropHandleOf(ctx, addr);
    return { text: `freed ${hex(addr)} to ${s.name}`, code: `sys.kmem_cache_free(sys.slab.find_cache(${JSON.stringify(s.name)}), ${hex(addr)})` };
  },
});

for (const [name, summary] of [['kmem_cache_shrink', 'free the empty slabs of a cache'], ['kmem_cache_destroy', 'destroy a cache (refused while objects remain)']] as const) {
  registerCommand({
    name, group: 'slab', usage: `${name} CACHE`, summary, example: `${name} my_obj`, mutates: true,
    complete: (args, _p, ctx) => (args.length === 0 ? cacheNames(ctx) : []),
    run(ctx, args) {
      const s = cacheArg(ctx, args[0]);
      const code = `sys.${name}(sys.slab.find_cache(${JSON.stringify(s.name)}))`;
      if (name === 'kmem_cache_shrink') return { text: `${s.name}: ${ctx.sys.kmem_cache_shrink(s)} empty slab(s) freed`, code };
      ctx.sys.kmem_cache_destroy(s);
      return { text: s.alive ? `${args[0]}: alias dropped (${s.name} refcount ${s.refcount})` : `${s.name} destroyed`, code };
    },
  });
}

registerCommand({
  name: 'slabtop', group: 'slab', usage: 'slabtop [objs|active|size|slabs|name|cache] [N]', summary: 'the slabtop summary and the top caches', example: 'slabtop cache 10',
  complete: () => ['objs', 'active', 'size', 'slabs', 'name', 'cache'],
  run(ctx, args) {
    const sort = (args[0] ?? 'objs') as 'objs';
    if (!['objs', 'active', 'size', 'slabs', 'name', 'cache'].includes(sort)) throw new UsageError(`slabtop: sort by objs, active, size, slabs, name or cache (not '${sort}')`);
    const n = args[1] === undefined ? 20 : parseUint(args[1], 'N', 1000);
    return { text: ctx.sys.slab.slabtop(sort, n).trimEnd(), code: `sys.slab.slabtop('${sort}', ${n})` };
  },
});

registerCommand({
  name: 'kmemleak', group: 'slab', usage: 'kmemleak on|scan|clear|show', summary: 'kmemleak: enable, scan for unreferenced objects, forget suspects, list them', example: 'kmemleak scan',
  complete: () => ['on', 'scan', 'clear', 'show'],
  mutates: (args) => args[0] !== 'show',
  run(ctx, args) {
    const k = ctx.sys.kmemleak;
    switch (args[0]) {
      case 'on':
        k.enable();
        return { text: 'kmemleak: tracking new allocations', code: 'sys.kmemleak.enable()' };
      case 'scan': {
        const n = k.scan();
        return { text: `${n} new suspected memory leak(s)${n ? ' (kmemleak show)' : ''}`, code: 'sys.kmemleak.scan()' };
      }
      case 'clear':
        k.clear();
        return { text: 'kmemleak: suspects cleared', code: 'sys.kmemleak.clear()' };
      case 'show':
      case undefined:
        return { text: ctx.sys.read('/sys/kernel/debug/kmemleak').trimEnd() || '(no suspected leaks)', code: "sys.read('/sys/kernel/debug/kmemleak')" };
      default:
        throw new UsageError(`kmemleak: on, scan, clear or show (not '${args[0]}')`);
    }
  },
});

registerCommand({
  name: 'kasan', group: 'slab', usage: 'kasan on|reports|shadow ADDR', summary: 'KASAN: enable (before allocating), list reports, show the shadow around an address', example: 'kasan shadow $1',
  complete: () => ['on', 'reports', 'shadow'],
  mutates: (args) => args[0] === 'on',
  run(ctx, args) {
    const k = ctx.sys.kasan;
    if (args[0] === 'on') {
      k.enable();
      return { text: 'KASAN on: caches re-laid out with redzones; kread/kwrite are checked', code: 'sys.kasan.enable()' };
    }
    if (args[0] === 'reports' || args[0] === undefined) {
      if (!k.enabled) return { text: 'KASAN is off (kasan on, or boot with kasan=on)', code: 'sys.kasan.reports' };
      return { text: k.reports.length ? k.reports.map((r) => r.text).join('\n') : '(no reports)', code: 'sys.kasan.reports' };
    }
    if (args[0] === 'shadow') {
      const addr = addrArg(ctx, args[1]);
      const row0 = Math.floor(addr / 128) * 128;
      const lines: string[] = [];
      for (let r = -2; r <= 2; r++) {
        const row = row0 + r * 128;
        const cells = Array.from({ length: 16 }, (_, g) => k.shadowByte(row + g * 8).toString(16).padStart(2, '0'));
        lines.push(`${r === 0 ? '>' : ' '}${hex(row, 16).slice(2)}: ${cells.join(' ')}`);
      }
      return { text: lines.join('\n'), code: `sys.kasan.shadowByte(${hex(addr)})` };
    }
    throw new UsageError(`kasan: on, reports or shadow ADDR (not '${args[0]}')`);
  },
});

// --- kmem -s / -S / ADDR -------------------------------------------------------------------

const KMEM_S_HEADER = 'CACHE             OBJSIZE  ALLOCATED     TOTAL  SLABS  SSIZE  NAME';

function ssize(order: number): string {
  return `${4 << order}k`;
}

function kmemSLine(c: CacheSnapshot): string {
  return `${hex(c.addr, 16).slice(2)} ${String(c.object_size).padStart(7)} ${String(c.allocated).padStart(10)} ${String(c.total_objects).padStart(9)} ${String(c.slabs).padStart(6)} ${ssize(c.order).padStart(6)}  ${c.name}`;
}

registerKmemOption({
  flag: '-s', usage: 'kmem -s [CACHE]', summary: 'slab caches: object size, allocated and total objects, slabs (like crash)', example: 'kmem -s kmalloc-64',
  complete: (_a, _p, ctx) => cacheNames(ctx),
  run(ctx, args) {
    const all = ctx.sys.slab.inspectSlabCaches();
    const list = args.length ? all.filter((c) => args.includes(c.name) || c.aliases.some((a) => args.includes(a))) : all;
    if (args.length && !list.length) throw new UsageError(`kmem: invalid cache name: ${args.join(' ')}`);
    return { text: [KMEM_S_HEADER, ...list.map(kmemSLine)].join('\n'), code: 'sys.slab.inspectSlabCaches()' };
  },
});

function slabTable(ctx: CommandContext, slabs: SlabSnapshot[], objects: boolean): string[] {
  const out: string[] = [];
  const vmemmap = -0x160000000000; // 0xffffea0000000000
  for (const s of slabs) {
    out.push('  SLAB              MEMORY            NODE  TOTAL  ALLOCATED  FREE');
    const free = s.objs.filter((o) => o.state === 'free').length;
    out.push(`  ${hex(vmemmap + s.pfn * 64, 16).slice(2)}  ${hex(s.addr, 16).slice(2)}  ${String(s.node).padStart(4)}  ${String(s.objects).padStart(5)}  ${String(s.objects - free).padStart(9)}  ${String(free).padStart(4)}`);
    if (!objects) continue;
    out.push('  FREE / [ALLOCATED]');
    for (const o of s.objs) {
      const a = hex(o.addr, 16).slice(2);
      if (o.state === 'free') out.push(`   ${a}${o.list === 'cpu' ? `  (cpu ${s.cpu} cache)` : ''}`);
      else out.push(`  [${a}]${o.state === 'quarantined' ? '  (KASAN quarantine)' : ''}`);
    }
  }
  return out;
}

registerKmemOption({
  flag: '-S', usage: 'kmem -S CACHE', summary: 'one cache slab by slab: cpu slabs, partial lists, full slabs, every object free or [allocated]', example: 'kmem -S kmalloc-256',
  complete: (_a, _p, ctx) => cacheNames(ctx),
  run(ctx, args) {
    if (args.length !== 1) throw new UsageError('kmem -S takes one CACHE name');
    const d = ctx.sys.slab.inspectCacheDetail(cacheArg(ctx, args[0]));
    const out = [KMEM_S_HEADER, kmemSLine(d)];
    for (let c = 0; c < ctx.sys.config.cpus; c++) {
      const cpuSlabs = d.slabList.filter((s) => s.where === 'cpu' && s.cpu === c);
      const part = d.slabList.filter((s) => s.where === 'cpu-partial' && s.cpu === c);
      if (!cpuSlabs.length && !part.length) continue;
      out.push(`CPU ${c} SLAB:`, ...(cpuSlabs.length ? slabTable(ctx, cpuSlabs, true) : ['  (empty)']));
      out.push(`CPU ${c} PARTIAL:`, ...(part.length ? slabTable(ctx, part, true) : ['  (empty)']));
    }
    for (let n = 0; n < ctx.sys.config.nodes.length; n++) {
      const part = d.slabList.filter((s) => s.where === 'node-partial' && s.node === n);
      const full = d.slabList.filter((s) => s.where === 'full' && s.node === n);
      out.push('KMEM_CACHE_NODE   NODE  SLABS  PARTIAL  PER-CPU');
      const percpu = d.slabList.filter((s) => (s.where === 'cpu' || s.where === 'cpu-partial') && s.node === n).length;
      out.push(`${'-'.repeat(16)}  ${String(n).padStart(4)}  ${String(d.slabList.filter((s) => s.node === n).length).padStart(5)}  ${String(part.length).padStart(7)}  ${String(percpu).padStart(7)}`);
      out.push(`NODE ${n} PARTIAL:`, ...(part.length ? slabTable(ctx, part, true) : ['  (empty)']));
      out.push(`NODE ${n} FULL:`, ...(full.length ? slabTable(ctx, full, true) : ['  (empty)']));
    }
    return { text: out.join('\n'), code: `sys.slab.inspectCacheDetail(${JSON.stringify(d.name)})` };
  },
});

registerAddrResolver({
  name: 'slab', priority: 10,
  resolve(ctx, addr) {
    const l = ctx.sys.slab.lookupAddr(addr);
    if (!l) {
      // kmalloc_large: a compound block straight from the page allocator.
      const sl = ctx.sys.slab.slub;
      const phys = sl.pa(addr);
      if (!(phys >= 0 && phys < ctx.sys.mem.size)) return null;
      for (const [pfn, rec] of sl.large) {
        const start = sl.va(pfn * 4096);
        if (addr >= start && addr < start + (4096 << rec.order)) {
          return `kmalloc_large: ${hex(start)}, order ${rec.order} (${4096 << rec.order} bytes) for a ${rec.size}-byte kmalloc` +
            (addr - start >= rec.size ? `; ${hex(addr)} is ${addr - start - rec.size} bytes past the requested size` : `; ${hex(addr)} is ${addr - start} bytes in`);
        }
      }
      return null;
    }
    const s = ctx.sys.slab.find_cache(l.cache)!;
    const c = ctx.sys.slab.inspectCache(s);
    const d = ctx.sys.slab.inspectCacheDetail(s);
    const slab = d.slabList.find((x) => x.addr === l.slab);
    const out = [KMEM_S_HEADER, kmemSLine(c)];
    if (slab) {
      out.push(...slabTable(ctx, [slab], false));
      out.push('  FREE / [ALLOCATED]');
      const a = hex(l.object, 16).slice(2);
      out.push(l.state === 'free' ? `   ${a}  (free${slab.objs[l.index]?.list === 'cpu' ? `, cpu ${slab.cpu} cache` : ''})` : l.state === 'padding' ? `   (slab padding: not an object)` : `  [${a}]${l.state === 'quarantined' ? '  (KASAN quarantine)' : ''}`);
    }
    if (l.index >= 0 && l.offset !== 0) out.push(`  ${hex(addr)} is ${l.offset} bytes into object ${l.index} (object size ${l.size})`);
    return out.join('\n');
  },
});

// --- pictures ------------------------------------------------------------------------------

PICTURES.push(
  {
    name: 'slab',
    args: 'CACHE',
    summary: 'the slabs of a cache: objects allocated/free and the freelists',
    draw: (ctx, args) => {
      const s = cacheArg(ctx, args[0]);
      return { text: termSlabCache(ctx.sys.slab.inspectCacheDetail(s), { width: ctx.width, color: ctx.c.enabled }), code: `termSlabCache(sys.slab.inspectCacheDetail(${JSON.stringify(s.name)}))` };
    },
  },
  {
    name: 'kmalloc',
    args: '[normal|rcl|dma|cg]',
    summary: 'occupancy of the kmalloc size classes of one family',
    draw: (ctx, args) => {
      const fam = ['normal', 'rcl', 'dma', 'cg'].indexOf(args[0] ?? 'normal');
      if (fam < 0) throw new UsageError(`show kmalloc: normal, rcl, dma or cg (not '${args[0]}')`);
      return { text: termKmallocClasses(ctx.sys.slab.inspectKmallocClasses(fam), { width: ctx.width, color: ctx.c.enabled }), code: `termKmallocClasses(sys.slab.inspectKmallocClasses(${fam}))` };
    },
  },
);
