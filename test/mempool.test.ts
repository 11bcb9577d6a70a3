// mempool: the reserve is used when the allocator fails (failslab / fail_page_alloc show it).
import { describe, expect, it } from 'vitest';
import { createSystem } from '../lib/index.js';
import { GFP_KERNEL, GFP_NOIO } from '../lib/mm/gfp.js';
import { mempool_resize } from '../lib/mm/mempool.js';
import { SLAB_NO_MERGE } from '../lib/mm/slab.js';

function boot() {
  const sys = createSystem({ preset: 'pc-4g', memory: '512M' });
  sys.debug_vm = true;
  return sys;
}

describe('mempool', () => {
  it('hands out reserved elements when the slab allocator fails', () => {
    const sys = boot();
    const cache = sys.kmem_cache_create('bio_like', 200, 0, SLAB_NO_MERGE);
    const pool = sys.mempool_create(
      4,
      (gfp) => sys.kmem_cache_alloc(cache, gfp),
      (e) => sys.kmem_cache_free(cache, e),
    )!;
    expect(pool.curr_nr).toBe(4);
    const a = sys.mempool_alloc(pool, GFP_NOIO)!;
    expect(pool.stats.from_allocator).toBe(1);
    // failslab: every slab allocation fails for a while
    sys.slab.configure_failslab({ times: -1 });
    const got: number[] = [];
    for (let i = 0; i < 4; i++) got.push(sys.mempool_alloc(pool, GFP_NOIO)!);
    expect(got.every((e) => e !== null)).toBe(true);
    expect(pool.stats.from_reserve).toBe(4);
    expect(pool.curr_nr).toBe(0);
    expect(sys.mempool_alloc(pool, GFP_NOIO)).toBeNull(); // reserve empty: the kernel would sleep
    expect(sys.dmesg.join('\n')).toContain('FAULT_INJECTION: forcing a failure.');
    // Frees refill the reserve first.
    sys.mempool_free(got[0], pool);
    expect(pool.curr_nr).toBe(1);
    sys.slab.configure_failslab({ times: 0 });
    for (const e of got.slice(1)) sys.mempool_free(e, pool);
    sys.mempool_free(a, pool);
    expect(pool.curr_nr).toBe(4);
    expect(mempool_resize(pool, 2)).toBe(true);
    expect(pool.curr_nr).toBe(2);
    sys.mempool_destroy(pool);
    sys.kmem_cache_destroy(cache);
    sys.validate();
  });

  it('a page pool rides out fail_page_alloc', () => {
    const sys = boot();
    const pool = sys.mempool_create(
      2,
      (gfp) => sys.alloc_pages(gfp, 0)?.pfn ?? null,
      (pfn) => sys.__free_pages(pfn, 0),
    )!;
    sys.fail_page_alloc.configure({ probability: 100, times: -1, ignore_gfp_wait: false, min_order: 0 });
    const e1 = sys.mempool_alloc(pool, GFP_KERNEL);
    const e2 = sys.mempool_alloc(pool, GFP_KERNEL);
    expect(e1).not.toBeNull();
    expect(e2).not.toBeNull();
    expect(pool.stats.from_reserve).toBe(2);
    sys.fail_page_alloc.configure({ probability: 0, times: 0 });
    sys.mempool_free(e1, pool);
    sys.mempool_free(e2, pool);
    sys.mempool_destroy(pool);
    expect(() => sys.mempool_destroy(pool)).toThrow(/already destroyed/);
  });
});
