// kmalloc/kfree/kzalloc/krealloc/ksize: classes, families, large allocations, ZERO_SIZE_PTR.
import { describe, expect, it } from 'vitest';
import { createSystem, hex, parseAddr } from '../lib/index.js';
import { KernelError } from '../lib/base/errors.js';
import { GFP_ATOMIC, GFP_DMA, GFP_KERNEL, GFP_KERNEL_ACCOUNT, __GFP_DMA32, __GFP_RECLAIMABLE } from '../lib/mm/gfp.js';
import { ZERO_SIZE_PTR } from '../lib/mm/slab_common.js';

function boot(cmdline = '') {
  const sys = createSystem({ preset: 'pc-4g', memory: '512M', cmdline });
  sys.debug_vm = true;
  return sys;
}

describe('kmalloc', () => {
  it('returns direct-map addresses from the right class and family', () => {
    const sys = boot();
    const p = sys.kmalloc(100, GFP_KERNEL)!;
    expect(p).toBeLessThan(0); // x86-64 kernel address
    expect(sys.slab.lookupAddr(p)!.cache).toBe('kmalloc-128');
    expect(sys.ksize(p)).toBe(128);
    expect(sys.slab.lookupAddr(sys.kmalloc(130, GFP_KERNEL)!)!.cache).toBe('kmalloc-192');
    expect(sys.slab.lookupAddr(sys.kmalloc(100, GFP_DMA)!)!.cache).toBe('dma-kmalloc-128');
    expect(sys.slab.lookupAddr(sys.kmalloc(100, GFP_KERNEL | __GFP_RECLAIMABLE)!)!.cache).toBe('kmalloc-rcl-128');
    expect(sys.slab.lookupAddr(sys.kmalloc(100, GFP_KERNEL_ACCOUNT)!)!.cache).toBe('kmalloc-cg-128');
    const dma = sys.kmalloc(64, GFP_DMA)!;
    expect(sys.slab.slub.pa(dma)).toBeLessThan(16 << 20); // ZONE_DMA
    sys.validate();
  });

  it('kmalloc(0) is ZERO_SIZE_PTR and kfree ignores it and NULL', () => {
    const sys = boot();
    expect(sys.kmalloc(0, GFP_KERNEL)).toBe(ZERO_SIZE_PTR);
    expect(ZERO_SIZE_PTR).toBe(16);
    sys.kfree(ZERO_SIZE_PTR);
    sys.kfree(null);
    expect(sys.ksize(ZERO_SIZE_PTR)).toBe(0);
    expect(() => sys.kread(ZERO_SIZE_PTR, 1)).toThrow(/NULL pointer dereference/);
  });

  it('sends sizes above 8 KiB to the page allocator as compound pages', () => {
    const sys = boot();
    const before = sys.vmstat.node(0, 'nr_slab_unreclaimable_B');
    const p = sys.kmalloc(9000, GFP_KERNEL)!;
    const pfn = sys.slab.slub.pa(p) / 4096;
    expect(Number.isInteger(pfn)).toBe(true);
    expect(sys.pages.compound_order[pfn]).toBe(2); // get_order(9000) = 2: 16 KiB
    expect(sys.ksize(p)).toBe(16384);
    expect(sys.vmstat.node(0, 'nr_slab_unreclaimable_B') - before).toBe(16384);
    sys.kfree(p);
    expect(sys.vmstat.node(0, 'nr_slab_unreclaimable_B')).toBe(before);
    expect(sys.kmalloc(5 << 20, GFP_KERNEL)).toBeNull(); // above KMALLOC_MAX_SIZE
    expect(() => sys.kfree(p)).toThrow(/was not allocated by kmalloc/);
  });

  it('kzalloc zeroes; kmalloc does not', () => {
    const sys = boot();
    const p = sys.kmalloc(64, GFP_KERNEL)!;
    sys.kwrite(p, new Uint8Array(64).fill(0x77));
    sys.kfree(p);
    const q = sys.kmalloc(64, GFP_KERNEL)!;
    expect(q).toBe(p);
    expect(sys.kread(q + 40, 1)[0]).toBe(0x77); // old content (the free pointer took bytes 32..39)
    sys.kfree(q);
    const z = sys.kzalloc(64, GFP_KERNEL)!;
    expect([...sys.kread(z, 64)].every((b) => b === 0)).toBe(true);
  });

  it('krealloc keeps the data, in place when it fits', () => {
    const sys = boot();
    const p = sys.kmalloc(100, GFP_KERNEL)!;
    sys.kwrite(p, Array.from({ length: 100 }, (_, i) => i));
    expect(sys.krealloc(p, 120, GFP_KERNEL)).toBe(p); // ksize 128
    const q = sys.krealloc(p, 300, GFP_KERNEL)!;
    expect(q).not.toBe(p);
    expect([...sys.kread(q, 100)]).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(sys.slab.lookupAddr(p)!.state).toBe('free');
    expect(sys.krealloc(q, 0, GFP_KERNEL)).toBe(ZERO_SIZE_PTR);
    sys.validate();
  });

  it('fixes up zone bits kmalloc cannot honour', () => {
    const sys = boot();
    const p = sys.kmalloc(64, GFP_KERNEL | __GFP_DMA32)!;
    expect(sys.dmesg.join('\n')).toMatch(/Unexpected gfp: 0x4 \(GFP_DMA32\)\. Fixing up to gfp: 0xcc0\(GFP_KERNEL\)\. Fix your code!/);
    expect(sys.slab.lookupAddr(p)!.cache).toBe('kmalloc-64');
  });

  it('refuses bad sizes and pointers', () => {
    const sys = boot();
    expect(() => sys.kmalloc(-1, GFP_KERNEL)).toThrow(KernelError);
    expect(() => sys.kmalloc(1.5, GFP_KERNEL)).toThrow(KernelError);
    const p = sys.kmalloc(64, GFP_ATOMIC)!;
    expect(() => sys.kfree(p + 1)).toThrow(/Invalid object pointer/);
    sys.kfree(p);
    expect(() => sys.kfree(p)).toThrow(/Object already free/);
    expect(() => sys.kread(sys.layout.page_offset + sys.mem.size, 8)).toThrow(/unable to handle page fault/);
    // A hex literal of a kernel address is beyond 2^53 and has lost its low bits: the refusal
    // says so and shows the exact ways to write it.
    const q = sys.kmalloc(64, GFP_KERNEL)!;
    const literal = Number(BigInt.asUintN(64, BigInt(q)) + 8n);
    expect(() => sys.kread(literal, 8)).toThrow(/beyond 2\^53.*may already be rounded.*parseAddr\('0xffff…'\)/);
    expect(() => sys.kfree(literal)).toThrow(/kfree: .* beyond 2\^53/);
    expect(() => sys.ksize(literal)).toThrow(/ksize: .* beyond 2\^53/);
    expect(() => sys.krealloc(literal, 128, GFP_KERNEL)).toThrow(/krealloc: .* beyond 2\^53/);
    expect(() => sys.ksize('x' as unknown as number)).toThrow(/ksize: x is not an address/);
    // A BigInt (as a learner may type at the REPL) is named as one, with the ways to convert it.
    const big = BigInt.asUintN(64, BigInt(q));
    expect(() => sys.kread(big as unknown as number, 8)).toThrow(new RegExp(`kread: 0x${big.toString(16)}n is a BigInt; .*kaddr\\(0x${big.toString(16)}n\\)`));
    expect(() => sys.kfree(big as unknown as number)).toThrow(/kfree: 0x[0-9a-f]+n is a BigInt/);
    expect(sys.ksize(q)).toBe(64);
    expect(sys.kread(parseAddr(hex(literal)), 1)).toHaveLength(1);
    sys.kfree(q);
    sys.validate();
  });

  it('traces kmalloc and kfree when tracing is on', () => {
    const sys = boot();
    sys.trace.enabled = true;
    const p = sys.kmalloc(100, GFP_KERNEL, 'my_probe+0x10/0x40')!;
    sys.kfree(p);
    const ev = sys.trace.last(2);
    expect(ev[0].name).toBe('kmalloc');
    expect(ev[0].fields.bytes_req).toBe(100);
    expect(ev[0].fields.bytes_alloc).toBe(128);
    expect(ev[0].fields.call_site).toBe('my_probe+0x10/0x40');
    expect(ev[1].name).toBe('kfree');
  });
});
