// KASAN: shadow values, out-of-bounds and use-after-free on kread/kwrite, the report layout,
// quarantine, double free, kmalloc_large redzones.
import { describe, expect, it } from 'vitest';
import { createSystem } from '../lib/index.js';
import { GFP_KERNEL } from '../lib/mm/gfp.js';
import { KASAN_PAGE_REDZONE, KASAN_SLAB_FREE, KASAN_SLAB_REDZONE } from '../lib/mm/kasan.js';

function boot(cmdline = 'kasan=on') {
  const sys = createSystem({ preset: 'pc-4g', memory: '512M', cmdline });
  sys.debug_vm = true;
  return sys;
}

describe('KASAN shadow', () => {
  it('marks a kmalloc object: 00 granules, a partial granule, then redzone', () => {
    const sys = boot();
    const p = sys.kmalloc(123, GFP_KERNEL)!;
    const k = sys.kasan;
    expect(k.shadowByte(p)).toBe(0);
    expect(k.shadowByte(p + 112)).toBe(0);
    expect(k.shadowByte(p + 120)).toBe(3); // 123 = 15*8 + 3
    expect(k.shadowByte(p + 128)).toBe(KASAN_SLAB_REDZONE);
    sys.kfree(p);
    expect(k.shadowByte(p)).toBe(KASAN_SLAB_FREE);
    // The freed object sits in quarantine: the next kmalloc does not get it back.
    const q = sys.kmalloc(123, GFP_KERNEL)!;
    expect(q).not.toBe(p);
    expect(sys.slab.lookupAddr(p)!.state).toBe('quarantined');
    sys.validate();
  });

  it('gives caches KASAN redzones (kasan_cache_create)', () => {
    const plain = createSystem({ preset: 'pc-4g', memory: '512M' });
    const sys = boot();
    expect(plain.slab.find_cache('kmalloc-128')!.size).toBe(128);
    expect(sys.slab.find_cache('kmalloc-128')!.size).toBeGreaterThan(128);
    expect(sys.ksize(sys.kmalloc(100, GFP_KERNEL)!)).toBe(128);
  });
});

describe('KASAN reports', () => {
  it('slab-out-of-bounds write with the kernel layout', () => {
    const sys = boot();
    const p = sys.kmalloc(123, GFP_KERNEL, 'kmalloc_oob_right+0x6e/0x2a0')!;
    expect(() => sys.kwrite(p + 123, [0x79], 'kmalloc_oob_right+0xa8/0x2a0')).toThrow(/BUG: KASAN: slab-out-of-bounds in kmalloc_oob_right/);
    const r = sys.kasan.reports[0];
    expect(r.bug_type).toBe('slab-out-of-bounds');
    const t = r.text.split('\n');
    const a = (x: number) => (BigInt(x) + (1n << 64n)).toString(16);
    expect(t[0]).toBe('==================================================================');
    expect(t[1]).toBe('BUG: KASAN: slab-out-of-bounds in kmalloc_oob_right+0xa8/0x2a0');
    expect(t[2]).toBe(`Write of size 1 at addr ${a(p + 123)} by task swapper/0/0`);
    expect(r.text).toContain('Allocated by task 0:');
    expect(r.text).toContain(' kmalloc_oob_right+0x6e/0x2a0');
    expect(r.text).toContain(`The buggy address belongs to the object at ${a(p)}\n which belongs to the cache kmalloc-128 of size 128`);
    expect(r.text).toContain(`The buggy address is located 0 bytes to the right of\n allocated 123-byte region [${a(p)}, ${a(p + 123)})`);
    expect(r.text).toContain('page dumped because: kasan: bad access detected');
    const i = t.indexOf('Memory state around the buggy address:');
    expect(i).toBeGreaterThan(0);
    const guilty = t.findIndex((l) => l.startsWith('>'));
    expect(guilty).toBe(i + 3);
    expect(t[guilty]).toMatch(/^>[0-9a-f]{16}: ([0-9a-f]{2} ){15}[0-9a-f]{2}$/);
    // The caret sits under the granule of the bad byte.
    const caret = t[guilty + 1].indexOf('^');
    const granule = Math.floor(((p + 123) - parseInt(t[guilty].slice(1, 17), 16) + 0) % 128 / 8);
    void granule;
    expect(t[guilty].slice(caret, caret + 2)).toBe('03');
    expect(t[t.length - 1]).toBe('==================================================================');
    expect(sys.dmesg.join('\n')).toContain('BUG: KASAN: slab-out-of-bounds');
    sys.validate();
  });

  it('slab-use-after-free read with the free stack', () => {
    const sys = boot();
    const p = sys.kmalloc(64, GFP_KERNEL, 'alloc_thing+0x10/0x50')!;
    sys.kfree(p, 'release_thing+0x22/0x60');
    expect(() => sys.kread(p + 8, 8, 'use_thing+0x31/0x70')).toThrow(/slab-use-after-free/);
    const r = sys.kasan.reports[0];
    expect(r.text).toContain('Read of size 8');
    expect(r.text).toContain('Freed by task 0:');
    expect(r.text).toContain(' release_thing+0x22/0x60');
    expect(r.text).toMatch(/located 8 bytes inside of\n freed 64-byte region/);
  });

  it('double-free and invalid-free', () => {
    const sys = boot();
    const p = sys.kmalloc(64, GFP_KERNEL)!;
    sys.kfree(p);
    expect(() => sys.kfree(p)).toThrow(/KASAN: double-free/);
    const q = sys.kmalloc(64, GFP_KERNEL)!;
    expect(() => sys.kfree(q + 8)).toThrow(/KASAN: invalid-free/);
    expect(sys.kasan.reports.map((r) => r.bug_type)).toEqual(['double-free', 'invalid-free']);
    expect(sys.kasan.reports[0].text).toMatch(/^Free of addr [0-9a-f]{16} by task swapper\/0\/0$/m);
    sys.validate();
  });

  it('kmalloc_large redzone and use-after-free of freed pages', () => {
    const sys = boot();
    const p = sys.kmalloc(10000, GFP_KERNEL)!;
    expect(sys.kasan.shadowByte(p + 10000)).toBe(KASAN_PAGE_REDZONE);
    expect(() => sys.kread(p + 10000, 1)).toThrow(/slab-out-of-bounds/);
    sys.kfree(p);
    expect(() => sys.kread(p, 1)).toThrow(/use-after-free/);
  });

  it('can be enabled after boot before anything is allocated, and not later', () => {
    const sys = createSystem({ preset: 'pc-4g', memory: '512M' });
    sys.kasan.enable();
    const p = sys.kmalloc(10, GFP_KERNEL)!;
    expect(() => sys.kread(p + 10, 1)).toThrow(/slab-out-of-bounds/);
    const other = createSystem({ preset: 'pc-4g', memory: '512M' });
    other.kmalloc(10, GFP_KERNEL);
    expect(() => other.kasan.enable()).toThrow(/cannot enable/);
  });
});
