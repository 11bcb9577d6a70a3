import { describe, expect, it } from 'vitest';
import { hex } from '../lib/base/format.js';
import { vmSystem } from './paging-helpers.js';

function meminfo(sys: { read(p: string): string }, key: string): number {
  const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(sys.read('/proc/meminfo'));
  return m ? Number(m[1]) : NaN;
}

describe('vmalloc', () => {
  it('takes the lowest hole, adds a guard page, maps scattered pages', () => {
    const sys = vmSystem('pc-4g');
    const used0 = meminfo(sys, 'VmallocUsed');
    const a = sys.vmalloc(5 * 4096, 'test_init+0x10/0x40')!;
    const b = sys.vmalloc(4096)!;
    expect(b).toBe(a + 6 * 4096);
    expect(meminfo(sys, 'VmallocUsed') - used0).toBe(24);
    const info = sys.read('/proc/vmallocinfo');
    const line = info.split('\n').find((l) => l.startsWith(hex(a, 16)))!;
    expect(line).toBe(`${hex(a, 16)}-${hex(a + 6 * 4096, 16)}   24576 test_init+0x10/0x40 pages=5 vmalloc N0=5`);
    expect(info.split('\n').find((l) => l.startsWith(hex(b, 16)))).toBe(`${hex(b, 16)}-${hex(b + 8192, 16)}    8192 pages=1 vmalloc N0=1`);
    // through the kernel page tables, shared by every process
    const t = sys.spawn('p');
    const r = sys.translate(t, a + 4096 + 7, 'write', { mode: 'kernel' });
    expect(r.fault).toBeNull();
    expect(r.page_size).toBe(4096);
    expect(sys.translate(t, a + 5 * 4096, 'read', { mode: 'kernel' }).fault!.kind).toBe('not-present'); // the guard page
    sys.vfree(a);
    // freed lazily: unmapped at once, but the range stays reserved until a purge flushes the TLB
    expect(sys.read('/proc/vmallocinfo')).toContain(`${hex(a, 16)}-${hex(a + 6 * 4096, 16)}   24576 unpurged vm_area\n`);
    expect(sys.translate(t, a + 4096, 'read', { mode: 'kernel' }).tlb).toBe('l1'); // a stale, harmless TLB entry
    const c = sys.vmalloc(2 * 4096)!;
    expect(c).toBe(b + 2 * 4096);
    sys.mmcore.vmalloc.purge_vmap_area_lazy();
    expect(sys.translate(t, a + 4096, 'read', { mode: 'kernel' }).fault!.kind).toBe('not-present');
    expect(sys.vmalloc(2 * 4096)).toBe(a); // now the hole is reused
    expect(() => sys.vfree(a + 4096)).toThrow(/nonexistent vm area/);
    sys.validate();
  });

  it('vmallocs the pages[] array itself beyond 512 pages (vpages)', () => {
    const sys = vmSystem('pc-4g');
    const a = sys.vmalloc(600 * 4096)!;
    const line = sys.read('/proc/vmallocinfo').split('\n').find((l) => l.startsWith(hex(a, 16)))!;
    expect(line).toMatch(/ pages=600 vmalloc vpages N0=600$/);
    const before = sys.mmcore.vmalloc.busy.length;
    sys.vfree(a);
    expect(sys.mmcore.vmalloc.busy.length).toBe(before - 2);
    expect(sys.mmcore.vmalloc.lazy.length).toBe(2);
  });

  it('vzalloc returns zeroed memory and vmap maps given pages', () => {
    const sys = vmSystem('tiny');
    const v = sys.vzalloc(4096)!;
    const phys = Number(sys.translate(null, v, 'read').phys);
    expect(sys.mem.readByte(phys)).toBe(0);
    const pfn = sys.translate(null, v).pfn!;
    const m = sys.vmap([pfn, pfn])!;
    expect(sys.translate(null, m + 4096).pfn).toBe(pfn);
    sys.vunmap(m);
    sys.vfree(v);
    sys.validate();
  });

  it('purges the lazy ranges once they pass lazy_max_pages (fls(cpus) × 32 MiB)', () => {
    const sys = vmSystem('pc-4g');
    const vm = sys.mmcore.vmalloc;
    expect(vm.lazy_max_pages).toBe(2 * 8192);
    sys.debug_vm = false;
    for (let i = 0; i < 40; i++) {
      const a = sys.vmalloc(2 << 20)!; // 512 pages + guard
      sys.vfree(a);
    }
    expect(vm.purges).toBe(1);
    expect(vm.vmap_lazy_nr).toBeLessThanOrEqual(vm.lazy_max_pages);
    sys.validate();
  });
});

describe('highmem (i386)', () => {
  it('kmaps highmem pages in the PKMAP window and lowmem through the direct map', () => {
    const sys = vmSystem('i386-highmem');
    const L = sys.layout;
    const hm = sys.mmcore.highmem;
    expect(hm.LAST_PKMAP).toBe(1024);
    const low = 100;
    expect(sys.kmap(low)).toBe(L.page_offset + low * 4096);
    const high = Math.floor(960 * 2 ** 20 / 4096);
    const va = sys.kmap(high);
    expect(va).toBeGreaterThanOrEqual(L.pkmap_base);
    expect(va).toBeLessThan(L.pkmap_base + 1024 * 4096);
    expect(sys.translate(null, va).pfn).toBe(high);
    expect(sys.kmap(high)).toBe(va); // a second user shares the slot
    sys.kunmap(high);
    sys.kunmap(high);
    expect(() => sys.kunmap(high)).toThrow(/not kmapped/);
    sys.validate();
  });

  it('flushes unused pkmaps when the scan wraps', () => {
    const sys = vmSystem('i386-highmem');
    const base = Math.floor(900 * 2 ** 20 / 4096);
    sys.debug_vm = false; // validated once at the end
    for (let i = 0; i < 1100; i++) {
      sys.kmap(base + i);
      sys.kunmap(base + i);
    }
    expect(sys.mmcore.highmem.pkmap_flushes).toBeGreaterThanOrEqual(1);
    sys.validate();
  });

  it('kmap_local nests like a stack in the fixmap', () => {
    const sys = vmSystem({ preset: 'i386-pae' });
    expect(sys.mmcore.highmem.LAST_PKMAP).toBe(512);
    const hi = Math.floor(2 * 2 ** 30 / 4096);
    const a = sys.kmap_local_page(hi);
    const b = sys.kmap_local_page(hi + 1);
    expect(b).toBe(a - 4096);
    expect(() => sys.kunmap_local(a)).toThrow(/stack/);
    sys.kunmap_local(b);
    sys.kunmap_local(a);
    sys.validate();
  });
});
