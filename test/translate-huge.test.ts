// sys.translate through a huge leaf (the kernel's direct map uses 1 GiB and 2 MiB pages): the
// result names the 4 KiB frame holding the byte, and the page size of the leaf.
import { describe, expect, it } from 'vitest';
import { createSystem, GFP_KERNEL, hex } from '../lib/index.js';
import { __pa } from '../lib/arch/x86/page.js';

describe('translate through a huge direct-map page', () => {
  it('reports the frame of the byte, not the base of the huge page', () => {
    const sys = createSystem('pc-4g');
    const a = sys.kmalloc(100, GFP_KERNEL)!;
    const r = sys.translate(null, a);
    expect(r.fault).toBeNull();
    const phys = __pa(sys.layout, a);
    expect(r.phys).toBe(hex(phys));
    expect(r.pfn).toBe(Math.floor(phys / 4096));
    expect(r.page_size! > 4096).toBe(true);
    expect(r.pfn).not.toBe(Math.floor(phys / r.page_size!) * (r.page_size! / 4096));
  });
});
