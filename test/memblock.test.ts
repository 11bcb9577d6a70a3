// The memblock simulator cases of tools/testing/memblock (tests/basic_api.c, alloc_api.c,
// alloc_nid_api.c), run against lib/mm/memblock.ts, plus memblock on a booted System.
import { describe, expect, it } from 'vitest';
import { createSystem, KernelError, Memblock, MEMBLOCK_ALLOC_ANYWHERE, PHYS_ADDR_MAX, INIT_MEMBLOCK_REGIONS } from '../lib/index.js';

const SZ_1K = 1024;
const SZ_8K = 8192;
const SZ_16K = 16384;
const SZ_32K = 32768;
const SZ_1M = 1 << 20;
const SZ_1G = 2 ** 30;
const MEM_SIZE = SZ_32K;
const SMP = 32; // SMP_CACHE_BYTES in the test harness
const BASE = 0x10000000; // where the harness's malloc'd "physical memory" sits

/** setup_memblock(): a fresh memblock with MEM_SIZE of memory at BASE. */
function setup(): Memblock {
  const mb = new Memblock({ smpCacheBytes: SMP });
  mb.memblock_add(BASE, MEM_SIZE);
  return mb;
}
const end = (mb: Memblock): number => mb.memblock_end_of_DRAM();
const start = (mb: Memblock): number => mb.memblock_start_of_DRAM();

describe('memblock: basic API (tests/basic_api.c)', () => {
  it('1. init: empty arrays, names, top-down, no limit', () => {
    const mb = new Memblock();
    expect(mb.memory.cnt).toBe(0);
    expect(mb.reserved.cnt).toBe(0);
    expect(mb.memory.max).toBe(INIT_MEMBLOCK_REGIONS);
    expect(mb.reserved.max).toBe(INIT_MEMBLOCK_REGIONS);
    expect(mb.memory.name).toBe('memory');
    expect(mb.reserved.name).toBe('reserved');
    expect(mb.bottom_up).toBe(false);
    expect(mb.current_limit).toBe(MEMBLOCK_ALLOC_ANYWHERE);
  });

  it('2. add disjoint regions', () => {
    const mb = new Memblock();
    mb.memblock_add(SZ_1G, SZ_8K);
    mb.memblock_add(SZ_1G + SZ_16K, SZ_8K);
    expect(mb.memory.cnt).toBe(2);
    expect(mb.memory.total_size).toBe(SZ_16K);
    expect(mb.memory.regions[0]).toMatchObject({ base: SZ_1G, size: SZ_8K });
    expect(mb.memory.regions[1]).toMatchObject({ base: SZ_1G + SZ_16K, size: SZ_8K });
  });

  it('3. add overlapping the top: merged into one region', () => {
    const mb = new Memblock();
    mb.memblock_add(512 * SZ_1M, SZ_1G);
    mb.memblock_add(256 * SZ_1M, 512 * SZ_1M);
    expect(mb.memory.cnt).toBe(1);
    expect(mb.memory.regions[0]).toMatchObject({ base: 256 * SZ_1M, size: SZ_1G + 256 * SZ_1M });
    expect(mb.memory.total_size).toBe(SZ_1G + 256 * SZ_1M);
  });

  it('3b. add overlapping the bottom', () => {
    const mb = new Memblock();
    mb.memblock_add(128 * SZ_1M, 512 * SZ_1M);
    mb.memblock_add(256 * SZ_1M, SZ_1G);
    expect(mb.memory.cnt).toBe(1);
    expect(mb.memory.regions[0]).toMatchObject({ base: 128 * SZ_1M, size: SZ_1G + 128 * SZ_1M });
  });

  it('4. add between two regions fills the gap and merges all three', () => {
    const mb = new Memblock();
    mb.memblock_add(SZ_1G, SZ_8K);
    mb.memblock_add(SZ_1G + SZ_16K, SZ_8K);
    mb.memblock_add(SZ_1G + SZ_8K, SZ_8K);
    expect(mb.memory.cnt).toBe(1);
    expect(mb.memory.regions[0]).toMatchObject({ base: SZ_1G, size: 3 * SZ_8K });
    expect(mb.memory.total_size).toBe(3 * SZ_8K);
  });

  it('5. add twice, or a range inside: nothing changes', () => {
    const mb = new Memblock();
    mb.memblock_add(SZ_1G, SZ_16K);
    mb.memblock_add(SZ_1G, SZ_16K);
    expect(mb.memory.cnt).toBe(1);
    expect(mb.memory.total_size).toBe(SZ_16K);
    mb.memblock_add(SZ_1G + SZ_1K, SZ_8K);
    expect(mb.memory.cnt).toBe(1);
    expect(mb.memory.total_size).toBe(SZ_16K);
  });

  it('6. add near PHYS_ADDR_MAX: size capped', () => {
    const mb = new Memblock();
    const base = PHYS_ADDR_MAX - SZ_1M;
    mb.memblock_add(base, 2 * SZ_1M);
    expect(mb.memory.cnt).toBe(1);
    expect(mb.memory.regions[0].base).toBe(base);
    expect(mb.memory.regions[0].size).toBe(PHYS_ADDR_MAX - base);
  });

  it('7. add many: the 129th region doubles the array and reserves the new one', () => {
    const mb = new Memblock({ smpCacheBytes: SMP });
    mb.memblock_allow_resize();
    const newArray = Math.ceil((INIT_MEMBLOCK_REGIONS * 2 * 24) / 4096) * 4096;
    let base = 0x20000000;
    mb.memblock_add(base, newArray);
    base += newArray + 64;
    for (let i = 0; i < INIT_MEMBLOCK_REGIONS; i++) {
      expect(mb.memblock_add(base, 64)).toBe(0);
      base += 128;
      expect(mb.memory.cnt).toBe(i + 2);
      expect(mb.memory.total_size).toBe(newArray + (i + 1) * 64);
    }
    expect(mb.memory.max).toBe(INIT_MEMBLOCK_REGIONS * 2);
    expect(mb.reserved.cnt).toBe(1);
    expect(mb.reserved.total_size).toBe(newArray);
    mb.memblock_add(SZ_16K, SZ_16K);
    expect(mb.memory.regions[0]).toMatchObject({ base: SZ_16K, size: SZ_16K });
    expect(mb.memory.cnt).toBe(INIT_MEMBLOCK_REGIONS + 2);
  });

  it('7b. without memblock_allow_resize the 129th add fails with -ENOMEM', () => {
    const mb = new Memblock();
    let base = 0x20000000;
    for (let i = 0; i < INIT_MEMBLOCK_REGIONS; i++, base += 128) mb.memblock_add(base, 64);
    expect(mb.memblock_add(base, 64)).toBe(-12);
    expect(mb.memory.cnt).toBe(INIT_MEMBLOCK_REGIONS);
  });

  it('8. remove from the middle splits; removing the only region empties the type', () => {
    const mb = new Memblock();
    mb.memblock_add(SZ_1M, 32 * SZ_1M);
    mb.memblock_remove(16 * SZ_1M, SZ_1M);
    expect(mb.memory.cnt).toBe(2);
    expect(mb.memory.regions[0]).toMatchObject({ base: SZ_1M, size: 15 * SZ_1M });
    expect(mb.memory.regions[1]).toMatchObject({ base: 17 * SZ_1M, size: 16 * SZ_1M });
    expect(mb.memory.total_size).toBe(31 * SZ_1M);
    const m2 = new Memblock();
    m2.memblock_add(SZ_1G, SZ_8K);
    m2.memblock_remove(SZ_1G, SZ_8K);
    expect(m2.memory.cnt).toBe(0);
    expect(m2.memory.total_size).toBe(0);
  });

  it('reserve and phys_free behave like add and remove on the reserved type', () => {
    const mb = new Memblock();
    mb.memblock_reserve(SZ_1G, SZ_8K);
    mb.memblock_reserve(SZ_1G + SZ_8K, SZ_8K);
    expect(mb.reserved.cnt).toBe(1);
    mb.memblock_phys_free(SZ_1G, SZ_8K);
    expect(mb.reserved.list()).toEqual([{ base: SZ_1G + SZ_8K, size: SZ_8K, flags: 0, nid: 64 }]);
  });
});

describe('memblock: allocation (tests/alloc_api.c, alloc_nid_api.c)', () => {
  it('9. top-down simple: 2 bytes aligned to 32 at end - 32', () => {
    const mb = setup();
    const p = mb.memblock_alloc(2, SMP);
    expect(p).toBe(end(mb) - 32);
    expect(mb.reserved.cnt).toBe(1);
    expect(mb.reserved.regions[0]).toMatchObject({ base: end(mb) - 32, size: 2 });
  });

  it('10. top-down after a reservation: directly below it, merged', () => {
    const mb = setup();
    const r1 = { base: end(mb) - SMP, size: 8 };
    mb.memblock_reserve(r1.base, r1.size);
    const p = mb.memblock_alloc(512, SMP);
    expect(p).toBe(r1.base - 512);
    expect(mb.reserved.cnt).toBe(1);
    expect(mb.reserved.regions[0]).toMatchObject({ base: r1.base - 512, size: r1.size + 512 });
  });

  it('11. second fit: a 256 B gap is too small for 1 KiB, so it goes below r2', () => {
    const mb = setup();
    const r1 = { base: end(mb) - 512, size: 512 };
    const r2 = { base: r1.base - 512, size: 256 };
    mb.memblock_reserve(r1.base, r1.size);
    mb.memblock_reserve(r2.base, r2.size);
    const p = mb.memblock_alloc(SZ_1K, SMP);
    expect(p).toBe(r2.base - SZ_1K);
    expect(mb.reserved.regions[0]).toMatchObject({ base: r2.base - SZ_1K, size: r2.size + SZ_1K });
    expect(mb.reserved.cnt).toBe(2);
    expect(mb.reserved.total_size).toBe(512 + 256 + SZ_1K);
  });

  it('12. in between: fills the exact middle gap, everything merges', () => {
    const mb = setup();
    const gap = SMP;
    const r3 = 64;
    const rgn = (MEM_SIZE - (2 * gap + r3)) / 2;
    const r1 = { base: end(mb) - (gap + rgn), size: rgn };
    const r2 = { base: start(mb) + gap, size: rgn };
    mb.memblock_reserve(r1.base, r1.size);
    mb.memblock_reserve(r2.base, r2.size);
    expect(mb.memblock_alloc(r3, SMP)).not.toBeNull();
    expect(mb.reserved.cnt).toBe(1);
    expect(mb.reserved.regions[0]).toMatchObject({ base: r1.base - r2.size - r3, size: 2 * rgn + r3 });
  });

  it('13. failures: full, gaps too small, too little left, no memory; exact fit succeeds', () => {
    let mb = setup();
    mb.memblock_reserve(start(mb), MEM_SIZE);
    expect(mb.memblock_alloc(SZ_1K, SMP)).toBeNull();
    // only 256 B gaps for a 1 KiB request
    mb = setup();
    for (let off = 0; off < MEM_SIZE; off += 512) mb.memblock_reserve(start(mb) + off, 256);
    expect(mb.memblock_alloc(SZ_1K, SMP)).toBeNull();
    // 256 B left
    mb = setup();
    mb.memblock_reserve(start(mb), MEM_SIZE - 256);
    expect(mb.memblock_alloc(SZ_1K, SMP)).toBeNull();
    // exactly 256 B left and a 256 B request
    mb = setup();
    mb.memblock_reserve(start(mb), MEM_SIZE - 256);
    expect(mb.memblock_alloc(256, SMP)).not.toBeNull();
    expect(mb.reserved.cnt).toBe(1);
    expect(mb.reserved.regions[0]).toMatchObject({ base: start(mb), size: MEM_SIZE });
    // no memory at all
    const empty = new Memblock();
    expect(empty.memblock_alloc(SZ_1K, SMP)).toBeNull();
  });

  it('14. bottom-up simple at start_of_DRAM; alloc_nid top-down ends at max_addr', () => {
    const mb = setup();
    mb.memblock_set_bottom_up(true);
    const p = mb.memblock_alloc(SZ_1K, SMP);
    expect(p).toBe(start(mb));
    expect(mb.reserved.regions[0]).toMatchObject({ base: start(mb), size: SZ_1K });
    const m2 = setup();
    const min = start(m2) + 64;
    const max = min + 512;
    const q = m2.memblock_alloc_try_nid(128, SMP, min, max, -1);
    expect(q).toBe(max - 128);
    expect(m2.reserved.regions[0]).toMatchObject({ base: max - 128, size: 128 });
  });

  it('alignment 0 falls back to SMP_CACHE_BYTES with a warning', () => {
    const lines: string[] = [];
    const mb = new Memblock({ smpCacheBytes: SMP, log: (l) => lines.push(l) });
    mb.memblock_add(BASE, MEM_SIZE);
    expect(mb.memblock_alloc(2, 0)).toBe(end(mb) - 32);
    expect(lines.length).toBe(1);
  });
});

describe('memblock on a booted machine', () => {
  it('records memory and reservations at hand-over and refuses calls afterwards', () => {
    const sys = createSystem('tiny');
    expect(sys.memblock.frozen).toBe(true);
    const h = sys.boot.memblock_at_handover;
    expect(h.memory.map((r) => [r.base, r.base + r.size])).toEqual([[0x1000, 0x9f000], [0x100000, 0xfe0000]]);
    expect(h.reserved[0]).toMatchObject({ base: 0, size: 0x100000 });
    expect(() => sys.memblock.memblock_alloc(4096, 4096)).toThrow(KernelError);
    expect(() => sys.memblock.memblock_add(0, 4096)).toThrow(/memblock: memblock_add called after memblock_free_all/);
    expect(() => sys.memblock.memblock_reserve(0, 4096)).toThrow(/after memblock_free_all/);
  });

  it('NUMA: memory regions carry their node ids', () => {
    const sys = createSystem('numa-2x8g');
    const nids = new Set(sys.boot.memblock_at_handover.memory.map((r) => r.nid));
    expect([...nids].sort()).toEqual([0, 1]);
    const n1 = sys.boot.memblock_at_handover.memory.filter((r) => r.nid === 1);
    expect(n1[0].base).toBe(9 * 2 ** 30);
    expect(n1.reduce((s, r) => s + r.size, 0)).toBe(8 * 2 ** 30);
  });
});
