// Every REPL command group through Session.exec (what the Ink app and the scripts both call):
// crash-style kmem tables checked against /proc, the page-allocator API with handles, sysctl,
// free, simulation control and undo, --code equivalence, TypeScript scope, completion, status.
import { beforeAll, describe, expect, it } from 'vitest';
import { createSystem, GFP_KERNEL, __GFP_ZERO } from '../lib/index.js';
import { stripAnsi } from '../repl/ansi.js';
import '../repl/commands/index.js';
import { complete } from '../repl/complete.js';
import { registerAddrResolver, registerKmemOption } from '../repl/registry.js';
import { Session } from '../repl/session.js';
import { statusLine } from '../repl/status.js';

/** Runs a line; returns the text of its (single) result and fails the test if it did not succeed. */
function ok(s: Session, line: string): string {
  const rs = s.exec(line);
  for (const r of rs) if (!r.ok) throw new Error(`'${line}' failed:\n${r.text}`);
  return rs.map((r) => r.text).join('\n');
}
/** Runs a line that must fail; returns its text. */
function bad(s: Session, line: string): string {
  const rs = s.exec(line);
  expect(rs.some((r) => !r.ok), `'${line}' should fail`).toBe(true);
  return rs.map((r) => r.text).join('\n');
}
const newSession = (config = 'tiny') => {
  const s = new Session({ config, debugVm: true });
  return s;
};
/** nr_free per order of every zone, from /proc/buddyinfo. */
const buddy = (s: Session) => s.sys.read('/proc/buddyinfo');

describe('help', () => {
  it('lists commands by subsystem and shows one command', () => {
    const s = newSession();
    const h = ok(s, 'help');
    for (const t of ['Memory inspection', 'Kernel API', 'Simulation control', 'REPL', 'kmem', 'alloc_pages', 'undo']) expect(h).toContain(t);
    for (const line of h.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    const k = ok(s, 'help alloc_pages');
    expect(k).toMatch(/usage:\s+alloc_pages ORDER \[GFP\]/);
    expect(k).toMatch(/example:\s+alloc_pages 3/);
    expect(ok(s, 'help kmem')).toContain('kmem -g FLAGS');
    expect(bad(s, 'help alocpages')).toMatch(/did you mean alloc_pages/);
    expect(ok(s, '? tick')).toContain('usage:');
  });
});

describe('kmem', () => {
  let s: Session;
  beforeAll(() => {
    s = newSession('pc-4g');
  });

  it('-i: the crash memory summary, from /proc/meminfo', () => {
    const t = ok(s, 'kmem -i');
    const mi = Object.fromEntries(s.sys.read('/proc/meminfo').split('\n').filter(Boolean).map((l) => [l.split(':')[0], Number(/\d+/.exec(l)?.[0])]));
    const row = (label: string) => t.split('\n').find((l) => l.trimStart().startsWith(label + ' '))!;
    expect(t.split('\n')[0]).toMatch(/PAGES\s+TOTAL\s+PERCENTAGE/);
    expect(row('TOTAL MEM')).toMatch(new RegExp(`TOTAL MEM\\s+${mi.MemTotal / 4}\\s+[\\d.]+ GB\\s+----`));
    expect(row('FREE')).toMatch(new RegExp(`FREE\\s+${Math.floor(mi.MemFree / 4)}\\s+.*% of TOTAL MEM`));
    const used = Math.floor(mi.MemTotal / 4) - Math.floor(mi.MemFree / 4);
    expect(row('USED')).toContain(String(used));
    for (const l of ['SHARED', 'BUFFERS', 'CACHED', 'SLAB', 'TOTAL HUGE', 'HUGE FREE', 'TOTAL SWAP', 'SWAP USED', 'SWAP FREE', 'COMMIT LIMIT', 'COMMITTED']) expect(row(l)).toBeDefined();
  });

  it('-f: free areas per zone and order add up to /proc/buddyinfo', () => {
    const t = ok(s, 'kmem -f');
    const total = buddy(s)
      .split('\n')
      .filter(Boolean)
      .reduce((sum, l) => sum + l.split(/\s+/).slice(4).reduce((a, v, o) => a + Number(v) * 2 ** o, 0), 0);
    expect(t).toMatch(new RegExp(`nr_free_pages: ${total}  \\(verified\\)`));
    expect(t).toMatch(/ZONE\s+NAME\s+SIZE\s+FREE\s+MEM_MAP\s+START_PADDR\s+START_MAPNR/);
    expect(t).toMatch(/^\s+10\s+4096k\s+\d+\s+\d+$/m);
    expect(t).toContain('DMA32');
  });

  it('-z: watermarks as /proc/zoneinfo has them', () => {
    const t = ok(s, 'kmem -z');
    const zi = s.sys.read('/proc/zoneinfo');
    const normal = zi.slice(zi.indexOf('zone   Normal'));
    const wm = ['min', 'low', 'high'].map((k) => Number(new RegExp(`\\n\\s+${k}\\s+(\\d+)`).exec(normal)![1]));
    expect(t).toContain(`NAME: "Normal"`);
    expect(t).toContain(`MIN/LOW/HIGH: ${wm.join('/')}`);
    expect(t).toContain('NR_FREE_PAGES');
  });

  it('-V: every /proc/vmstat counter', () => {
    const t = ok(s, 'kmem -V');
    const free = /nr_free_pages (\d+)/.exec(s.sys.read('/proc/vmstat'))![1];
    expect(t).toMatch(new RegExp(`NR_FREE_PAGES: ${free}$`, 'm'));
    expect(t).toContain('VM_EVENT_STATES:');
    expect(t).toMatch(/PGFAULT: \d+/);
  });

  it('-g: decodes page flags', () => {
    const t = ok(s, 'kmem -g 0x2040');
    expect(t).toMatch(/PG_head\s+6\s+0000040/);
    expect(t).toMatch(/PG_reserved\s+13\s+0002000/);
    expect(ok(s, 'kmem -g reserved|head')).toContain('FLAGS: 2040');
    expect(bad(s, 'kmem -g bogus')).toMatch(/unknown page flag 'bogus'/);
  });

  it('-p: a struct page, and ADDR: what an address is', () => {
    const a = ok(s, 'alloc_pages 2');
    const pfn = Number(/pfn 0x([0-9a-f]+)/.exec(a)![1].replace(/^/, '0x'));
    const p = ok(s, `kmem -p ${pfn}`);
    expect(p).toMatch(/PAGE\s+PHYSICAL\s+MAPPING\s+INDEX\s+CNT\s+FLAGS/);
    expect(p).toContain((pfn * 4096).toString(16));
    const phys = ok(s, `kmem 0x${(pfn * 4096 + 4100).toString(16)}`);
    expect(phys).toMatch(/allocated/);
    expect(phys).toContain('$1');
    const direct = ok(s, `kmem 0x${(0xffff888000000000n + BigInt(pfn * 4096)).toString(16)}`);
    expect(direct).toMatch(/direct-map address/);
    ok(s, '__free_pages $1');
    expect(ok(s, `kmem 0x${(pfn * 4096).toString(16)}`)).toMatch(/free/);
    expect(ok(s, 'kmem 0x100000000000')).toMatch(/not /);
  });

  it('refuses unknown options and missing arguments with the usage', () => {
    expect(bad(s, 'kmem')).toMatch(/usage: kmem/);
    expect(bad(s, 'kmem -Q')).toMatch(/unknown option '-Q'/);
    expect(bad(s, 'kmem zz')).toMatch(/not an address/);
  });

  it('takes options and address resolvers registered by other subsystems', () => {
    registerKmemOption({ flag: '-Y', usage: 'kmem -Y', summary: 'test option', example: 'kmem -Y', run: (_c, args) => `Y:${args.join(',')}` });
    registerAddrResolver({ name: 'test', priority: 1, resolve: (_c, addr) => (addr === 0x1234 ? 'the magic address' : null) });
    expect(ok(s, 'kmem -Y a b')).toBe('Y:a,b');
    expect(ok(s, 'kmem 0x1234')).toMatch(/^the magic address/);
    expect(ok(s, 'help kmem')).toContain('kmem -Y');
    expect(complete('kmem -', s).candidates).toContain('-Y');
  });
});

describe('/proc, sysctl, free, logs', () => {
  it('cat prints files as sys.read does', () => {
    const s = newSession();
    expect(ok(s, 'cat /proc/buddyinfo') + '\n').toBe(buddy(s));
    expect(bad(s, 'cat /proc/nope')).toBe('cat: /proc/nope: No such file or directory');
    expect(bad(s, 'cat')).toMatch(/missing file operand/);
    expect(ok(s, 'cat /proc/sys/vm/min_free_kbytes')).toMatch(/^\d+$/);
  });

  it('sysctl reads, writes, lists, and refuses without changing anything', () => {
    const s = newSession();
    expect(ok(s, 'sysctl vm.watermark_scale_factor')).toBe('vm.watermark_scale_factor = 10');
    const zi0 = s.sys.read('/proc/zoneinfo');
    expect(ok(s, 'sysctl vm.watermark_scale_factor=100')).toBe('vm.watermark_scale_factor = 100');
    expect(ok(s, 'sysctl -n vm.watermark_scale_factor')).toBe('100');
    expect(s.sys.read('/proc/zoneinfo')).not.toBe(zi0); // the watermarks were recomputed
    const all = ok(s, 'sysctl -a');
    expect(all).toMatch(/^vm\.min_free_kbytes = \d+$/m);
    expect(all).toMatch(/^vm\.lowmem_reserve_ratio = \d+(\t\d+)+$/m);
    expect(bad(s, 'sysctl vm.watermark_scale_factor=5 vm.nope=1')).toMatch(/No such file or directory/);
    expect(bad(s, 'sysctl vm.watermark_scale_factor=0')).toMatch(/Invalid argument/);
    expect(s.sys.sysctl('vm.watermark_scale_factor')).toBe(100);
    expect(s.log).toEqual(['sysctl vm.watermark_scale_factor=100']);
  });

  it('free prints procps columns from /proc/meminfo', () => {
    const s = newSession();
    const t = ok(s, 'free');
    const [head, mem, swap] = t.split('\n');
    expect(head).toBe('               total        used        free      shared  buff/cache   available');
    const mi = s.sys.read('/proc/meminfo');
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(mi)![1]);
    expect(mem.slice(0, 20)).toBe('Mem:' + String(kb('MemTotal')).padStart(16));
    expect(mem.split(/\s+/)[2]).toBe(String(kb('MemTotal') - kb('MemAvailable')));
    expect(mem.split(/\s+/)[3]).toBe(String(kb('MemFree')));
    expect(swap).toMatch(/^Swap:\s+0\s+0\s+0$/);
    expect(ok(s, 'free -m').split('\n')[1].split(/\s+/)[1]).toBe(String(Math.floor(kb('MemTotal') / 1024)));
    expect(ok(s, 'free -h').split('\n')[1]).toMatch(/Mi/);
    expect(bad(s, 'free -q')).toMatch(/unknown option/);
  });

  it('dmesg and bootlog print the logs', () => {
    const s = newSession();
    expect(ok(s, 'bootlog').split('\n').length).toBe(s.sys.boot_log.length);
    expect(ok(s, 'bootlog')).toBe(s.sys.boot_log.join('\n'));
    expect(s.exec('dmesg')[0].ok).toBe(true);
  });
});

describe('kernel API', () => {
  it('alloc_pages gives a handle; __free_pages $N gives the pages back exactly', () => {
    const s = newSession();
    const before = buddy(s);
    const t = ok(s, 'alloc_pages 3');
    expect(t).toMatch(/^\$1 = pfn 0x[0-9a-f]+ \(\d+\), order 3: 8 pages, phys 0x[0-9a-f]+-0x[0-9a-f]+, zone (DMA|DMA32|Normal)$/);
    expect(buddy(s)).not.toBe(before);
    expect(ok(s, '$1.pfn')).toBe(/\((\d+)\)/.exec(t)![1]);
    expect(ok(s, '__free_pages $1')).toMatch(/^freed pfn/);
    const d = createSystem('tiny');
    d.__free_pages(d.alloc_pages(GFP_KERNEL, 3)!, 3);
    expect(buddy(s)).toBe(d.read('/proc/buddyinfo'));
    expect(before).toBeTruthy();
    expect(bad(s, '__free_pages $1')).toMatch(/no handle \$1/);
    s.sys.validate();
  });

  it('takes GFP masks written as in C and refuses bad ones', () => {
    const s = newSession();
    expect(ok(s, 'alloc_pages 0 GFP_KERNEL|__GFP_ZERO')).toMatch(/^\$1 = /);
    expect(ok(s, 'alloc_pages 1 GFP_KERNEL | __GFP_ZERO')).toMatch(/^\$2 = /);
    expect(bad(s, 'alloc_pages 0 GFP_BOGUS')).toMatch(/unknown GFP flag 'GFP_BOGUS'/);
    expect(bad(s, 'alloc_pages -1')).toMatch(/usage: alloc_pages ORDER \[GFP\]/);
    expect(bad(s, 'alloc_pages')).toMatch(/missing order/);
    expect(ok(s, 'alloc_pages 11')).toMatch(/^NULL/);
    expect(s.handles.size).toBe(2);
  });

  it('__get_free_pages, get_zeroed_page and free_pages work by address', () => {
    const s = newSession();
    const before = buddy(s);
    expect(ok(s, '__get_free_pages 1')).toMatch(/^\$1 = 0xffff888[0-9a-f]+ /);
    expect(ok(s, 'get_zeroed_page')).toMatch(/^\$2 = 0xffff888/);
    expect(bad(s, '__free_pages 0')).toMatch(/missing ORDER/);
    expect(bad(s, 'free_pages $3')).toMatch(/no handle/);
    ok(s, 'free_pages $1');
    const addr = s.handles.get(2)!.addr!;
    ok(s, `free_pages 0x${(BigInt.asUintN(64, BigInt(addr))).toString(16)} 0`);
    expect(s.handles.size).toBe(0);
    const d = createSystem('tiny');
    d.free_pages(d.__get_free_pages(GFP_KERNEL, 1)!, 1);
    const z = d.__get_free_pages(GFP_KERNEL | __GFP_ZERO, 0)!;
    d.free_pages(z, 0);
    expect(buddy(s)).toBe(d.read('/proc/buddyinfo'));
    expect(before).toBeTruthy();
  });

  it('a double free is refused in kernel words and changes nothing', () => {
    const s = newSession();
    const t = ok(s, 'alloc_pages 0');
    const pfn = /\((\d+)\)/.exec(t)![1];
    ok(s, `__free_pages ${pfn} 0`);
    const after = buddy(s);
    const e = bad(s, `__free_pages ${pfn} 0`);
    expect(e.split('\n').length).toBe(1);
    expect(buddy(s)).toBe(after);
    s.sys.validate();
  });
});

describe('--code', () => {
  it('prints the TypeScript call, and that call does the same on a fresh machine', () => {
    const s = newSession();
    const lines = ['alloc_pages 3 GFP_KERNEL|__GFP_ZERO', 'alloc_pages 1', '__free_pages $1', 'tick 5', 'sysctl vm.watermark_scale_factor=20', '__get_free_pages 2 GFP_ATOMIC'];
    const codes: string[] = [];
    for (const l of lines) {
      const t = ok(s, l + ' --code');
      const m = /^\/\/ TS: (.*)$/m.exec(t);
      expect(m, l).not.toBeNull();
      codes.push(m![1]);
    }
    expect(codes[0]).toBe('const $1 = sys.alloc_pages(GFP_KERNEL|__GFP_ZERO, 3)');
    const t = new Session({ config: 'tiny' });
    for (const c of codes) t.evaluator.evaluate(c);
    expect(t.sys.read('/proc/buddyinfo')).toBe(buddy(s));
    expect(t.sys.clock.jiffies).toBe(5);
    expect(t.sys.sysctl('vm.watermark_scale_factor')).toBe(20);
  });

  it('code on|off toggles it for every command', () => {
    const s = newSession();
    ok(s, 'code on');
    expect(ok(s, 'tick')).toBe('// TS: sys.tick(1)\njiffies 1  (0.004000 s since boot)');
    ok(s, 'code off');
    expect(ok(s, 'tick')).toBe('jiffies 2  (0.008000 s since boot)');
  });
});

describe('simulation control', () => {
  it('undo takes back the last change by replaying the others', () => {
    const s = newSession();
    const b0 = buddy(s);
    ok(s, 'alloc_pages 3');
    const b1 = buddy(s);
    ok(s, 'const keep: number = 41');
    ok(s, 'kmem -i'); // read-only: not logged
    ok(s, 'alloc_pages 2');
    expect(s.log).toEqual(['alloc_pages 3', 'const keep: number = 41', 'alloc_pages 2']);
    expect(ok(s, 'undo')).toMatch(/^undone: alloc_pages 2/);
    expect(buddy(s)).toBe(b1);
    expect([...s.handles.keys()]).toEqual([1]);
    expect(ok(s, 'keep + 1')).toBe('42');
    expect(ok(s, '$1.order')).toBe('3');
    ok(s, 'undo');
    ok(s, 'undo');
    expect(buddy(s)).toBe(b0);
    expect(bad(s, 'undo')).toMatch(/nothing to undo/);
  });

  it('reset, seed and undo of a reset', () => {
    const s = newSession();
    expect(ok(s, 'reset {"memory": "32M"}')).toMatch(/^booted custom: x86_64, 32 MiB/);
    expect(s.sys.config.memory).toBe(32 * 2 ** 20);
    expect(bad(s, 'reset nosuch')).toMatch(/unknown preset 'nosuch'/);
    expect(bad(s, 'reset {"memory": "1K"}')).toMatch(/config\.memory/);
    expect(s.sys.config.memory).toBe(32 * 2 ** 20);
    ok(s, 'seed 9');
    expect(s.sys.config.seed).toBe(9);
    expect(s.sys.config.memory).toBe(32 * 2 ** 20);
    ok(s, 'undo');
    ok(s, 'undo');
    expect(s.sys.config.memory).toBe(16 * 2 ** 20);
    ok(s, 'reset');
    expect(s.sys.config.preset).toBe('tiny');
  });

  it('tick, trace and validate', () => {
    const s = newSession();
    expect(ok(s, 'tick 250')).toBe('jiffies 250  (1.000000 s since boot)');
    expect(bad(s, 'tick x')).toMatch(/not a non-negative integer/);
    expect(ok(s, 'trace')).toMatch(/^tracing off/);
    ok(s, 'trace on');
    ok(s, 'alloc_pages 0');
    const tr = ok(s, 'trace show 5');
    expect(tr).toMatch(/mm_page_alloc/);
    ok(s, 'trace clear');
    expect(ok(s, 'trace show')).not.toMatch(/mm_page_alloc/);
    expect(bad(s, 'trace sideways')).toMatch(/unknown subcommand/);
    expect(ok(s, 'validate')).toMatch(/ok/);
  });
});

describe('show', () => {
  it('draws buddy, zones and memmap within the width', () => {
    const s = new Session({ config: 'tiny', width: 80, color: true });
    for (const p of ['show buddy', 'show buddy -t', 'show zones', 'show memmap', 'show memmap -z', 'show freelists']) {
      const t = ok(s, p);
      expect(t.length, p).toBeGreaterThan(20);
      for (const line of stripAnsi(t).split('\n')) expect(line.length, `${p}: ${line}`).toBeLessThanOrEqual(80);
    }
    expect(bad(s, 'show nothing')).toMatch(/no picture 'nothing'/);
  });
});

describe('TypeScript', () => {
  it('has sys and lib in scope, pretty-prints, and reports errors in one line', () => {
    const s = newSession();
    expect(ok(s, 'typeof createSystem')).toBe("'function'");
    expect(ok(s, 'GFP_KERNEL')).toBe(String(GFP_KERNEL));
    expect(ok(s, 'format_gfp(0xdc0)')).toBe("'GFP_KERNEL|__GFP_ZERO'");
    expect(ok(s, 'console.log("hi"); 5')).toBe('hi\n5');
    expect(ok(s, '({ a: { b: { c: { d: { e: 1 } } } } })')).toContain('[Object]');
    expect(bad(s, 'sys.tick(-1)')).toMatch(/^error: RangeError: tick: -1 is not a number of jiffies$/);
    expect(bad(s, 'sys.read("/proc/nope")')).toBe('cat: /proc/nope: No such file or directory');
    expect(bad(s, 'let = =')).toMatch(/SyntaxError/);
    const other = createSystem('tiny');
    expect(other.read('/proc/buddyinfo')).toBe(buddy(s));
  });
});

describe('completion', () => {
  const s = newSession();
  it('completes commands, arguments and members', () => {
    expect(complete('allo', s).line).toBe('alloc_pages ');
    expect(complete('cat /proc/bud', s).line).toBe('cat /proc/buddyinfo ');
    expect(complete('cat /proc/sys/vm/min_f', s).line).toBe('cat /proc/sys/vm/min_free_kbytes ');
    expect(complete('sysctl vm.watermark_sc', s).line).toBe('sysctl vm.watermark_scale_factor ');
    expect(complete('reset pc-4g-s', s).line).toBe('reset pc-4g-swap ');
    expect(complete('alloc_pages 3 GFP_KERNEL|__GFP_ZE', s).line).toBe('alloc_pages 3 GFP_KERNEL|__GFP_ZERO ');
    expect(complete('help und', s).line).toBe('help undo ');
    expect(complete('trace s', s).line).toBe('trace show ');
    expect(complete('sys.vmstat.ge', s).line).toBe('sys.vmstat.get');
    expect(complete('sys.al', s).candidates).toContain('alloc_pages');
    expect(complete('tick 1; kmem -', s).candidates).toEqual(expect.arrayContaining(['-i', '-f', '-z', '-V', '-g', '-p']));
    expect(complete('show ', s).candidates).toEqual(expect.arrayContaining(['buddy', 'memmap', 'zones']));
    expect(complete('"unterminated', s).candidates).toEqual([]);
  });
});

describe('status bar', () => {
  it('shows the machine, time and zones within the width', () => {
    const s = newSession('pc-4g');
    const line = statusLine(s, 80);
    expect(line).toMatch(/^pc-4g │ t=0\.000s │ DMA \S+ ok\/h\d+ │ DMA32/);
    expect(line.length).toBeLessThanOrEqual(80);
    const sw = new Session({ config: 'pc-4g-swap' });
    expect(statusLine(sw, 120)).toMatch(/swap 0\//);
  });
});
