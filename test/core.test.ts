// Tests of the shared core contracts: address formatting, generators, physical memory
// content, GFP masks, the trace ring, the sysctl and /proc tables.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hex, parseAddr, parseSize, humanSize } from '../lib/base/format.js';
import { XorShift32, Rng } from '../lib/base/rng.js';
import { TraceBuffer } from '../lib/base/trace.js';
import { Clock } from '../lib/base/clock.js';
import { PhysMem } from '../lib/mm/physmem.js';
import {
  GFP_KERNEL, GFP_ATOMIC, GFP_NOWAIT, GFP_USER, GFP_HIGHUSER, GFP_HIGHUSER_MOVABLE, GFP_NOIO, GFP_NOFS,
  __GFP_ZERO, __GFP_DMA, __GFP_DMA32, __GFP_HIGHMEM, __GFP_MOVABLE, __GFP_RECLAIMABLE,
  format_gfp, format_gfp_mode, parse_gfp, gfp_zone, gfp_migratetype,
  ZONE_DMA, ZONE_DMA32, ZONE_NORMAL, ZONE_HIGHMEM, ZONE_MOVABLE,
} from '../lib/mm/gfp.js';
import { decode_page_flags, parse_page_flags, PG } from '../lib/mm/page_flags.js';
import { SysctlTable } from '../lib/kernel/sysctl.js';
import { ProcFs } from '../lib/fs/procfs.js';
import { KernelError } from '../lib/base/errors.js';
import { kaddr, X86_64_LAYOUT, __va, __pa } from '../lib/arch/x86/page.js';

describe('addresses', () => {
  it('prints and parses x86-64 kernel addresses exactly', () => {
    const a = parseAddr('0xffff888000001008');
    expect(a).toBeLessThan(0);
    expect(hex(a)).toBe('0xffff888000001008');
    expect(hex(a + 8)).toBe('0xffff888000001010');
    expect(parseAddr(hex(a))).toBe(a);
    expect(hex(4096)).toBe('0x1000');
    expect(hex(255, 4)).toBe('0x00ff');
  });
  it('round-trips every canonical 4-level address', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 47n) - 1n }), fc.boolean(), (low, kernel) => {
        const u = kernel ? (0xffffn << 48n) | (1n << 47n) | low : low;
        const n = parseAddr('0x' + u.toString(16));
        expect(hex(n)).toBe('0x' + u.toString(16));
      }),
    );
  });
  it('refuses what is not an address', () => {
    expect(() => parseAddr('0xzz')).toThrow(/not an address/);
    expect(() => parseAddr('-5')).toThrow(RangeError);
    expect(() => parseAddr('0x1' + '0'.repeat(16))).toThrow(/64-bit/);
  });
  it('maps the direct map both ways', () => {
    expect(hex(__va(X86_64_LAYOUT, 0x1000))).toBe('0xffff888000001000');
    expect(__pa(X86_64_LAYOUT, __va(X86_64_LAYOUT, 123456))).toBe(123456);
    expect(kaddr(0xffffffff80000000n)).toBe(-(2 ** 31));
  });
  it('parses sizes', () => {
    expect(parseSize('4G')).toBe(4 * 2 ** 30);
    expect(parseSize('16MiB')).toBe(16 * 2 ** 20);
    expect(parseSize('1T')).toBe(2 ** 40);
    expect(parseSize(4096)).toBe(4096);
    expect(parseSize('lots')).toBeNull();
    expect(parseSize(-1)).toBeNull();
    expect(humanSize(4 * 2 ** 30)).toBe('4 GiB');
  });
});

describe('generators', () => {
  it('xorshift32 follows WORKLOADS.md', () => {
    const g = new XorShift32();
    // First values from the definition: state 2463534242.
    let x = 2463534242;
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    expect(g.next()).toBe(x);
  });
  it('Rng is reproducible and restorable', () => {
    const a = new Rng(7), b = new Rng(7);
    const xs = Array.from({ length: 100 }, () => a.u32());
    expect(Array.from({ length: 100 }, () => b.u32())).toEqual(xs);
    const s = a.save();
    const next = a.int(1000);
    a.restore(s);
    expect(a.int(1000)).toBe(next);
    expect(new Rng(8).u32()).not.toBe(new Rng(7).u32());
  });
});

describe('physical memory content', () => {
  it('reads zeros until written and keeps bytes across pages', () => {
    const m = new PhysMem(64 * 4096);
    expect(m.read(100, 4)).toEqual(new Uint8Array(4));
    const data = new Uint8Array(6000).map((_, i) => (i * 7) & 0xff);
    m.write(4000, data);
    expect(m.read(4000, 6000)).toEqual(data);
    expect(m.pagesWithContent).toBe(3);
    m.copyPage(10, 1);
    expect(m.read(10 * 4096, 4096)).toEqual(m.read(4096, 4096));
    m.clearPage(1);
    expect(m.readByte(4096 + 5)).toBe(0);
    expect(m.hasContent(1)).toBe(false);
    m.fill(20 * 4096, 0xab, 10);
    expect(m.readByte(20 * 4096 + 9)).toBe(0xab);
    expect(m.readByte(20 * 4096 + 10)).toBe(0);
  });
  it('agrees with a plain array model under random writes', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(8 * 4096 - 64), fc.uint8Array({ minLength: 1, maxLength: 64 })), { maxLength: 40 }), (ops) => {
        const m = new PhysMem(8 * 4096);
        const model = new Uint8Array(8 * 4096);
        for (const [a, d] of ops) {
          m.write(a, d);
          model.set(d, a);
        }
        expect(m.read(0, model.length)).toEqual(model);
      }),
      { numRuns: 50 },
    );
  });
  it('keeps 8-byte pointers little-endian (one at a time, in runs, or owed: an owed store is written before any access to its page)', () => {
    // A pointer as the simulator holds it (a direct-map address folded below 2^53, negative) in
    // the 8 little-endian bytes of its 64-bit two's complement form.
    const bytesOf = (v: number): number[] => {
      const b = new Uint8Array(8);
      new DataView(b.buffer).setBigInt64(0, BigInt(v), true);
      return [...b];
    };
    const ptr = fc.oneof(fc.constant(0), fc.integer({ min: -(2 ** 47), max: 2 ** 47 }).map((x) => x * 8));
    // Operations on 4 pages: owe or write a pointer (aligned, or anywhere for writePtr), write
    // bytes, clear a page, or read something back (which must see every earlier store). The
    // settler here is a map of owed words, as the slab allocator's records are.
    const op = fc.oneof(
      // A few hot words, so that one word is often owed again before it is settled.
      fc.record({ k: fc.constant('owe'), a: fc.nat(31).map((w) => (w % 4) * 4096 + (w >> 2) * 8), v: ptr }),
      // Any aligned word.
      fc.record({ k: fc.constant('owe'), a: fc.nat(4 * 512 - 1).map((w) => w * 8), v: ptr }),
      // A run of pointers in arithmetic progression (a new slab's freelist), aligned or not.
      fc.record({ k: fc.constant('run'), a: fc.nat(4 * 4096 - 64 * 40 - 8), stride: fc.constantFrom(8, 16, 24, 64, 12), n: fc.integer({ min: 0, max: 40 }), v: ptr }),
      // Many owed words across the pages.
      fc.record({ k: fc.constant('burst'), a: fc.nat(4 * 512 - 1).map((w) => w * 8), v: ptr }),
      fc.record({ k: fc.constant('write'), a: fc.nat(4 * 4096 - 8), v: ptr }),
      fc.record({ k: fc.constant('bytes'), a: fc.nat(4 * 4096 - 16), d: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
      fc.record({ k: fc.constant('clear'), a: fc.nat(3).map((p) => p * 4096) }),
      fc.record({ k: fc.constant('read'), a: fc.nat(4 * 4096 - 8) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const m = new PhysMem(4 * 4096);
        const model = new Uint8Array(4 * 4096);
        const owed = new Map<number, number>();
        m.setSettler((pfn) => {
          for (const [a, v] of [...owed]) {
            if (a >> 12 !== pfn) continue;
            owed.delete(a);
            m.writePtr(a, v);
          }
        });
        // The slab allocator's protocol: owe when the page has content, else store at once.
        const owe = (a: number, v: number): void => {
          if (m.owe(a >> 12)) owed.set(a, v);
          else m.writePtr(a, v);
          model.set(bytesOf(v), a);
        };
        for (const o of ops) {
          if (o.k === 'run') {
            m.writePtrRun(o.a, o.stride, o.n, o.v, 96);
            for (let j = 0; j < o.n; j++) model.set(bytesOf(o.v + j * 96), o.a + j * o.stride);
          } else if (o.k === 'burst') {
            for (let j = 0; j < 300; j++) owe((o.a + j * 8 * 37) % (4 * 4096), o.v + j * 8);
          } else if (o.k === 'owe') {
            owe(o.a, o.v);
          } else if (o.k === 'write') {
            m.writePtr(o.a, o.v);
            model.set(bytesOf(o.v), o.a);
          } else if (o.k === 'bytes') {
            m.write(o.a, o.d);
            model.set(o.d, o.a);
          } else if (o.k === 'clear') {
            m.clearPage(o.a / 4096);
            model.fill(0, o.a, o.a + 4096);
          } else {
            const want = new DataView(model.buffer).getBigInt64(o.a, true);
            expect(m.readPtr(o.a)).toBe(Number(want));
          }
          // A page is marked owed exactly while the settler owes it a word.
          const pages = new Set([...owed.keys()].map((a) => a >> 12));
          for (let p = 0; p < 4; p++) expect(m.isOwed(p)).toBe(pages.has(p));
          expect(m.owedPages).toBe(pages.size);
        }
        expect(m.read(0, model.length)).toEqual(model);
        expect(m.owedPages).toBe(0);
      }),
      { numRuns: 60 },
    );
  });
});

describe('GFP', () => {
  it('has the kernel values', () => {
    expect(GFP_KERNEL).toBe(0xcc0);
    expect(GFP_ATOMIC).toBe(0x820);
    expect(GFP_NOWAIT).toBe(0x2800);
    expect(GFP_NOIO).toBe(0xc00);
    expect(GFP_NOFS).toBe(0xc40);
    expect(GFP_USER).toBe(0x100cc0);
    expect(GFP_HIGHUSER).toBe(0x100cc2);
    expect(GFP_HIGHUSER_MOVABLE).toBe(0x100cca);
  });
  it('prints masks as the kernel does', () => {
    expect(format_gfp(GFP_KERNEL | __GFP_ZERO)).toBe('GFP_KERNEL|__GFP_ZERO');
    expect(format_gfp_mode(GFP_HIGHUSER_MOVABLE)).toBe('0x100cca(GFP_HIGHUSER_MOVABLE)');
    expect(format_gfp(GFP_ATOMIC)).toBe('GFP_ATOMIC');
    expect(format_gfp(0)).toBe('0');
  });
  it('parses masks written as in C', () => {
    expect(parse_gfp('GFP_KERNEL|__GFP_ZERO')).toBe(0xdc0);
    expect(parse_gfp(' GFP_DMA32 | 0x100 ')).toBe(0x104);
    expect(() => parse_gfp('GFP_KERNAL')).toThrow(/unknown GFP flag 'GFP_KERNAL'/);
    expect(() => parse_gfp('')).toThrow(/empty/);
    fc.assert(fc.property(fc.integer({ min: 0, max: 0x7fffff }), (m) => {
      const mask = m & 0x7ffdff;
      expect(parse_gfp(format_gfp(mask))).toBe(mask);
    }));
  });
  it('selects zones like GFP_ZONE_TABLE', () => {
    expect(gfp_zone(GFP_KERNEL)).toBe(ZONE_NORMAL);
    expect(gfp_zone(__GFP_DMA)).toBe(ZONE_DMA);
    expect(gfp_zone(__GFP_DMA32)).toBe(ZONE_DMA32);
    expect(gfp_zone(__GFP_DMA32, true)).toBe(ZONE_NORMAL); // i386 has no ZONE_DMA32
    expect(gfp_zone(GFP_HIGHUSER)).toBe(ZONE_NORMAL);
    expect(gfp_zone(GFP_HIGHUSER, true)).toBe(ZONE_HIGHMEM);
    expect(gfp_zone(GFP_HIGHUSER_MOVABLE, true)).toBe(ZONE_MOVABLE);
    expect(gfp_zone(__GFP_MOVABLE)).toBe(ZONE_NORMAL);
    expect(() => gfp_zone(__GFP_DMA | __GFP_HIGHMEM)).toThrow(/GFP_ZONE_BAD/);
    expect(gfp_migratetype(GFP_HIGHUSER_MOVABLE)).toBe(1);
    expect(gfp_migratetype(GFP_KERNEL | __GFP_RECLAIMABLE)).toBe(2);
    expect(gfp_migratetype(GFP_KERNEL)).toBe(0);
  });
});

describe('page flags', () => {
  it('decodes and parses', () => {
    const f = (1 << PG.reserved) | (1 << PG.head);
    expect(decode_page_flags(f)).toEqual(['head', 'reserved']);
    expect(parse_page_flags('PG_reserved|head')).toBe(f);
    expect(parse_page_flags('0x2040')).toBe(0x2040);
    expect(() => parse_page_flags('shiny')).toThrow(/unknown page flag/);
  });
});

describe('trace ring', () => {
  it('keeps the newest events and nothing when disabled', () => {
    const clock = new Clock();
    const t = new TraceBuffer(clock, 4);
    t.emit('mm_page_alloc', { pfn: 1 });
    expect(t.last()).toEqual([]);
    t.enabled = true;
    for (let i = 0; i < 6; i++) {
      clock.tick(1);
      t.emit('mm_page_alloc', { pfn: i });
    }
    const ev = t.last();
    expect(ev.map((e) => e.fields.pfn)).toEqual([2, 3, 4, 5]);
    expect(TraceBuffer.format(ev[0])).toMatch(/^ +0\.012000: mm_page_alloc: pfn=2$/);
  });
});

describe('sysctl and procfs tables', () => {
  it('checks ranges and changes nothing on error', () => {
    const s = new SysctlTable();
    let v = 60;
    s.register({ name: 'vm.swappiness', help: '', get: () => v, set: (x) => (v = x as number), min: 0, max: 200 });
    s.set('vm.swappiness', 100);
    expect(s.get('vm.swappiness')).toBe(100);
    expect(() => s.set('vm.swappiness', 201)).toThrow(/outside 0\.\.200/);
    expect(() => s.set('vm.swappiness', 'abc')).toThrow(KernelError);
    expect(v).toBe(100);
    expect(() => s.get('vm.swapiness')).toThrow(/No such file/);
    expect(s.procText('vm.swappiness')).toBe('100\n');
    expect(s.get('/proc/sys/vm/swappiness')).toBe(100);
  });
  it('serves files and patterns', () => {
    const p = new ProcFs();
    p.register('/proc/buddyinfo', () => 'x\n');
    p.registerPattern('/proc/', '/proc/<pid>/maps', (path) => (/^\/proc\/\d+\/maps$/.test(path) ? 'maps\n' : undefined));
    expect(p.read('/proc/buddyinfo')).toBe('x\n');
    expect(p.read('/proc/12/maps')).toBe('maps\n');
    expect(() => p.read('/proc/nope')).toThrow(/No such file or directory/);
    expect(p.list()).toContain('/proc/<pid>/maps');
  });
});

describe('benchmark generator', () => {
  it('the int32 xorshift of test/bench gives the bits of WORKLOADS.md', async () => {
    const { XORSHIFT_SEED, xorshift, xorshiftU32 } = await import('./bench/xorshift.js');
    const ref = new XorShift32();
    let x = XORSHIFT_SEED;
    for (let i = 0; i < 100000; i++) {
      x = xorshift(x);
      const r = ref.next();
      if (xorshiftU32(x) !== r || (x >>> 4) !== (r >>> 4) || (x & 1) !== (r & 1)) throw new Error(`step ${i}: ${x} vs ${r}`);
    }
    expect(Number.isInteger(x) && x === (x | 0)).toBe(true);
  });
});
