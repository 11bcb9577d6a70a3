/**
 * /proc and friends: cat, sysctl, free, dmesg, bootlog.
 *
 * `free` follows procps-ng 4 (free.c): total, used = MemTotal - MemAvailable, free, shared =
 * Shmem, buff/cache = Buffers + Cached + SReclaimable, available = MemAvailable; the same
 * columns (label %-9s, first column %11s, then " %11s").
 */
import type { System } from '../../lib/index.js';
import { meminfo } from '../kapi.js';
import { parseUint, UsageError } from '../parse.js';
import { registerCommand, registerGroup } from '../registry.js';

registerGroup('proc', '/proc, sysctl and logs', 20);

/** Every readable path: /proc files and the /proc/sys files of the sysctls. */
export function procPaths(sys: System): string[] {
  const set = new Set(sys.procfs.list());
  for (const n of sys.sysctls.names()) set.add('/proc/sys/' + n.replace(/\./g, '/'));
  return [...set].sort();
}

/**
 * Completes a path one directory level at a time: `/proc/s` → `/proc/sys/`, `/proc/swaps`.
 */
export function completePath(paths: string[], partial: string): string[] {
  const out = new Set<string>();
  for (const p of paths) {
    if (!p.startsWith(partial)) continue;
    const slash = p.indexOf('/', partial.length);
    out.add(slash < 0 ? p : p.slice(0, slash + 1));
  }
  return [...out];
}

/** Reads a path: /proc/sys/... from the sysctl table, anything else from procfs. */
function readPath(sys: System, path: string): string {
  if (path.startsWith('/proc/sys/') && !sys.procfs.exists(path)) {
    const name = path.slice('/proc/sys/'.length).replace(/\//g, '.');
    try {
      return sys.sysctls.procText(name);
    } catch {
      // fall through to the procfs error (cat: ... No such file or directory)
    }
  }
  return sys.read(path);
}

registerCommand({
  name: 'cat',
  group: 'proc',
  usage: 'cat PATH...',
  summary: 'print /proc and /sys files as the kernel formats them',
  example: 'cat /proc/buddyinfo',
  complete: (_a, partial, ctx) => completePath(procPaths(ctx.sys), partial || '/proc/'),
  run(ctx, args) {
    if (!args.length) throw new UsageError('missing file operand');
    const text = args.map((p) => readPath(ctx.sys, p)).join('');
    return { text: text.replace(/\n$/, ''), code: args.map((p) => `sys.read(${JSON.stringify(p)})`).join('; ') };
  },
});

/** Formats a sysctl value as sysctl(8) does (vectors tab-separated). */
function sysctlValue(v: number | number[]): string {
  return Array.isArray(v) ? v.join('\t') : String(v);
}

registerCommand({
  name: 'sysctl',
  group: 'proc',
  usage: 'sysctl [-n] NAME[=VALUE]... | sysctl -a',
  summary: 'read or set kernel tunables (vm.swappiness, vm.min_free_kbytes, ...)',
  example: 'sysctl vm.min_free_kbytes=16384',
  options: [
    { flag: '-a', summary: 'print every tunable' },
    { flag: '-n', summary: 'print values only' },
    { flag: '-w', summary: 'accepted for compatibility: NAME=VALUE writes anyway' },
  ],
  mutates: (args) => args.some((a) => a.includes('=')),
  complete: (_a, partial, ctx) => (partial.startsWith('-') ? ['-a', '-n', '-w'] : ctx.sys.sysctls.names()),
  run(ctx, args) {
    const sys = ctx.sys;
    let valuesOnly = false;
    let all = false;
    const items: string[] = [];
    for (const a of args) {
      if (a === '-a' || a === '-A' || a === '--all') all = true;
      else if (a === '-n' || a === '--values') valuesOnly = true;
      else if (a === '-w' || a === '--write') continue;
      else if (a.startsWith('-')) throw new UsageError(`unknown option '${a}'`);
      else items.push(a);
    }
    const line = (name: string) => (valuesOnly ? sysctlValue(sys.sysctl(name)) : `${name} = ${sysctlValue(sys.sysctl(name))}`);
    if (all) return { text: sys.sysctls.names().map(line).join('\n'), code: 'sys.sysctls.names().map((n) => [n, sys.sysctl(n)])' };
    if (!items.length) throw new UsageError('name missing (sysctl NAME, sysctl NAME=VALUE, sysctl -a)');
    // Check every name first, so that a bad one leaves the others unchanged.
    const parsed = items.map((it) => {
      const eq = it.indexOf('=');
      const name = (eq < 0 ? it : it.slice(0, eq)).trim().replace(/\//g, '.').replace(/^proc\.sys\./, '');
      sys.sysctls.lookup(name);
      return { name, value: eq < 0 ? undefined : it.slice(eq + 1).trim() };
    });
    const out: string[] = [];
    const code: string[] = [];
    for (const { name, value } of parsed) {
      if (value !== undefined) {
        if (value === '') throw new UsageError(`${name}: empty value`);
        const v = value.split(/[\s,]+/).map(Number);
        sys.sysctl(name, v.length === 1 ? v[0] : v);
        code.push(`sys.sysctl(${JSON.stringify(name)}, ${v.length === 1 ? v[0] : JSON.stringify(v)})`);
      } else code.push(`sys.sysctl(${JSON.stringify(name)})`);
      out.push(line(name));
    }
    return { text: out.join('\n'), code: code.join('; ') };
  },
});

const UNITS: Record<string, { shift: number; label: string }> = {
  '-b': { shift: 0, label: 'bytes' },
  '--bytes': { shift: 0, label: 'bytes' },
  '-k': { shift: 10, label: 'KiB' },
  '--kibi': { shift: 10, label: 'KiB' },
  '-m': { shift: 20, label: 'MiB' },
  '--mebi': { shift: 20, label: 'MiB' },
  '-g': { shift: 30, label: 'GiB' },
  '--gibi': { shift: 30, label: 'GiB' },
};

/** procps' human-readable size: `0B`, `512Ki`, `3.8Gi`, `15Gi`. */
export function humanFree(bytes: number): string {
  const units = ['B', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi'];
  if (bytes < 1024) return `${bytes}B`;
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return v < 10 ? `${(Math.round(v * 10) / 10).toFixed(1)}${units[i]}` : `${Math.round(v)}${units[i]}`;
}

registerCommand({
  name: 'free',
  group: 'proc',
  usage: 'free [-b|-k|-m|-g|-h] [-w] [-t]',
  summary: 'amount of free and used memory, like procps free (from /proc/meminfo)',
  example: 'free -m',
  options: [
    { flag: '-b/-k/-m/-g', summary: 'bytes, KiB (default), MiB, GiB' },
    { flag: '-h', summary: 'human-readable (Ki, Mi, Gi)' },
    { flag: '-w', summary: 'wide: buffers and cache in separate columns' },
    { flag: '-t', summary: 'add a Total line (RAM + swap)' },
  ],
  complete: () => ['-b', '-k', '-m', '-g', '-h', '-w', '-t'],
  run(ctx, args) {
    let shift = 10;
    let human = false;
    let wide = false;
    let total = false;
    for (const a of args) {
      if (UNITS[a]) shift = UNITS[a].shift;
      else if (a === '-h' || a === '--human') human = true;
      else if (a === '-w' || a === '--wide') wide = true;
      else if (a === '-t' || a === '--total') total = true;
      else throw new UsageError(`unknown option '${a}'`);
    }
    const mi = meminfo(ctx.sys);
    const kb = (k: string) => mi[k] ?? 0;
    const fmt = (kib: number) => (human ? humanFree(kib * 1024) : String(Math.floor((kib * 1024) / 2 ** shift)));
    const memTotal = kb('MemTotal');
    const avail = kb('MemAvailable');
    const buffers = kb('Buffers');
    const cache = kb('Cached') + kb('SReclaimable');
    const used = Math.max(0, memTotal - avail);
    const cols = (label: string, vals: (number | null)[]) =>
      label.padEnd(9) + vals.map((v, i) => (v === null ? '' : (i ? ' ' : '') + fmt(v).padStart(11))).join('');
    const head = wide
      ? '               total        used        free      shared     buffers       cache   available'
      : '               total        used        free      shared  buff/cache   available';
    const lines = [head];
    lines.push(cols('Mem:', wide ? [memTotal, used, kb('MemFree'), kb('Shmem'), buffers, cache, avail] : [memTotal, used, kb('MemFree'), kb('Shmem'), buffers + cache, avail]));
    const swapTotal = kb('SwapTotal');
    const swapFree = kb('SwapFree');
    lines.push(cols('Swap:', [swapTotal, swapTotal - swapFree, swapFree]));
    if (total) lines.push(cols('Total:', [memTotal + swapTotal, used + swapTotal - swapFree, kb('MemFree') + swapFree]));
    return { text: lines.join('\n'), code: "sys.read('/proc/meminfo')" };
  },
});

registerCommand({
  name: 'dmesg',
  group: 'proc',
  usage: 'dmesg [N]',
  summary: 'the kernel log (the last N lines)',
  example: 'dmesg 20',
  run(ctx, args) {
    const log = ctx.sys.dmesg;
    const n = args.length ? parseUint(args[0], 'N') : log.length;
    return { text: log.slice(Math.max(0, log.length - n)).join('\n'), code: 'sys.dmesg' };
  },
});

registerCommand({
  name: 'bootlog',
  group: 'proc',
  usage: 'bootlog',
  summary: 'what the boot did, step by step (memblock, zones, free_area_init, ...)',
  example: 'bootlog',
  run(ctx, args) {
    if (args.length) throw new UsageError('takes no arguments');
    return { text: ctx.sys.boot_log.join('\n'), code: 'sys.boot_log' };
  },
});
