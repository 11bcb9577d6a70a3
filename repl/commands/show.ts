/**
 * `show`: terminal pictures of the live system, drawn by lib/view/term from inspect snapshots
 * and sized to the terminal width. Adding a picture is one call of {@link registerPicture}
 * (or one entry in {@link PICTURES}).
 */
import { termBuddy, termFreeLists, termMemmap, termZones } from '../../lib/view/term/index.js';
import { freeBlocks, memmap, zones } from '../kapi.js';
import { parseUint, UsageError } from '../parse.js';
import { registerCommand, type CommandContext } from '../registry.js';

/** One picture `show NAME [ARGS]` can draw. */
export interface Picture {
  /** The word after `show`. */
  name: string;
  /** Arguments it takes, for help. */
  args: string;
  /** What it shows. */
  summary: string;
  /** Draws it (ANSI text at most ctx.width columns) and the TypeScript that does the same. */
  draw(ctx: CommandContext, args: string[]): { text: string; code: string };
}

/** Resolves a zone given as `NODE ZONE` words (zone by name or index); default the first zone with free pages. */
function pickZone(ctx: CommandContext, args: string[]) {
  const zs = zones(ctx.sys);
  if (!args.length) return zs.reduce((a, b) => (b.free > a.free ? b : a), zs[0]);
  const node = parseUint(args[0], 'node');
  const zw = args[1];
  const z = zs.find((x) => x.node === node && (zw === undefined || x.zone.toLowerCase() === zw.toLowerCase() || String(x.zoneIdx) === zw));
  if (!z) throw new UsageError(`no zone ${zw ?? ''} on node ${node} (zones: ${zs.map((x) => `${x.node} ${x.zone}`).join(', ')})`);
  return z;
}

/** The pictures. */
export const PICTURES: Picture[] = [
  {
    name: 'buddy',
    args: '[-t]',
    summary: 'free blocks per order of every zone (-t: stacked by migratetype)',
    draw: (ctx, args) => ({
      text: termBuddy(zones(ctx.sys), { width: ctx.width, color: ctx.c.enabled, byType: args.includes('-t') }),
      code: `termBuddy(inspectZones(sys), { width: ${ctx.width}${args.includes('-t') ? ', byType: true' : ''} })`,
    }),
  },
  {
    name: 'freelists',
    args: '[NODE ZONE]',
    summary: 'the free lists of one zone, block by block (default: the zone with most free pages)',
    draw: (ctx, args) => {
      const z = pickZone(ctx, args);
      return {
        text: termFreeLists(freeBlocks(ctx.sys, z.node, z.zoneIdx), { width: ctx.width, color: ctx.c.enabled, zone: z }),
        code: `termFreeLists(inspectFreeBlocks(sys, ${z.node}, ${z.zoneIdx}), { width: ${ctx.width} })`,
      };
    },
  },
  {
    name: 'memmap',
    args: '[START_PFN END_PFN] [-z|-m]',
    summary: 'the physical memory map, a cell per page or group of pages (-z: by zone, -m: by migratetype)',
    draw: (ctx, args) => {
      const nums = args.filter((a) => !a.startsWith('-'));
      const opts: { start?: number; end?: number } = {};
      if (nums.length) {
        opts.start = parseUint(nums[0], 'START_PFN');
        opts.end = nums[1] === undefined ? undefined : parseUint(nums[1], 'END_PFN');
        if (opts.end !== undefined && opts.end <= opts.start) throw new UsageError('END_PFN must be above START_PFN');
      }
      const colorBy = args.includes('-z') ? 'zone' : args.includes('-m') ? 'migratetype' : 'state';
      const snap = memmap(ctx.sys, { ...opts, cells: 64 * 32 });
      return {
        text: termMemmap(snap, { width: ctx.width, color: ctx.c.enabled, colorBy, maxRows: 32 }),
        code: `termMemmap(inspectMemmap(sys, ${JSON.stringify({ ...opts, cells: 2048 })}), { width: ${ctx.width}, colorBy: '${colorBy}' })`,
      };
    },
  },
  {
    name: 'zones',
    args: '',
    summary: 'free pages of each zone against its min/low/high watermarks',
    draw: (ctx) => ({ text: termZones(zones(ctx.sys), { width: ctx.width, color: ctx.c.enabled }), code: `termZones(inspectZones(sys), { width: ${ctx.width} })` }),
  },
];

/** Adds a picture to `show` (or replaces the one with the same name). */
export function registerPicture(p: Picture): void {
  const i = PICTURES.findIndex((x) => x.name === p.name);
  if (i >= 0) PICTURES[i] = p;
  else PICTURES.push(p);
}

registerCommand({
  name: 'show',
  group: 'mem',
  get usage() {
    return `show ${PICTURES.map((p) => p.name).join('|')} [ARGS]`;
  },
  example: 'show buddy',
  get options() {
    return PICTURES.map((p) => ({ flag: `${p.name} ${p.args}`.trim(), summary: p.summary }));
  },
  complete: (args) => (args.length === 0 ? PICTURES.map((p) => p.name) : args[0] === 'memmap' ? ['-z', '-m'] : args[0] === 'buddy' ? ['-t'] : []),
  summary: 'draw a picture of the live system (help show lists them)',
  run(ctx, args) {
    const name = args[0];
    if (!name) throw new UsageError(`what to show? (${PICTURES.map((p) => p.name).join(', ')})`);
    const pic = PICTURES.find((p) => p.name === name);
    if (!pic) throw new UsageError(`no picture '${name}' (${PICTURES.map((p) => p.name).join(', ')})`);
    return pic.draw(ctx, args.slice(1));
  },
});
