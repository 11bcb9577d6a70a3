/**
 * Hand-made snapshots for the picture tests and the render script: plausible machines
 * (tiny 16 MiB, pc-4g with its PCI hole, i386 with HighMem, two NUMA nodes) built without a
 * System, so the pictures can be checked on their own.
 */
import { PAGE_STATES, type FreeBlock, type MemmapCell, type MemmapSnapshot, type PageState, type ZoneSnapshot } from '../lib/view/snapshots.js';

const TYPES = ['Unmovable', 'Movable', 'Reclaimable', 'HighAtomic', 'Isolate'];

/** A small deterministic generator (xorshift32). */
export function gen(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

interface ZoneSpan {
  node: number;
  zone: string;
  start_pfn: number;
  end_pfn: number;
}

/** A memory map of `spans`, with holes in `holes` ([start, end) pfns), `cells` cells. */
export function makeMemmap(spans: ZoneSpan[], holes: [number, number][], end_pfn: number, cells: number, seed = 1): MemmapSnapshot {
  const rnd = gen(seed);
  const ppc = Math.max(1, Math.ceil(end_pfn / cells));
  const out: MemmapCell[] = [];
  const inHole = (p: number) => p === 0 || holes.some(([a, b]) => p >= a && p < b) || !spans.some((s) => p >= s.start_pfn && p < s.end_pfn);
  const zoneOf = (p: number) => spans.find((s) => p >= s.start_pfn && p < s.end_pfn);
  // Page states come in runs, like a real machine's.
  let run = 0;
  let runState: PageState = 'free';
  const pick = (p: number): PageState => {
    if (inHole(p)) return 'hole';
    if (p < 0x400 && p >= 0x100) return 'reserved';
    if (run-- > 0) return runState;
    const r = rnd();
    runState = r < 0.45 ? 'free' : r < 0.5 ? 'pcp' : r < 0.6 ? 'slab' : r < 0.65 ? 'pagetable' : r < 0.8 ? 'anon' : r < 0.93 ? 'file' : r < 0.97 ? 'allocated' : 'reserved';
    run = Math.floor(rnd() * (runState === 'free' ? 64 : 12));
    return runState;
  };
  for (let pfn = 0; pfn < end_pfn; pfn += ppc) {
    const n = Math.min(ppc, end_pfn - pfn);
    const z = zoneOf(pfn);
    const block = Math.floor(pfn / 512);
    const mt = z ? TYPES[block % 7 === 0 ? 0 : block % 11 === 0 ? 2 : 1] : '';
    if (ppc === 1) {
      const state = pick(pfn);
      const c: MemmapCell = { pfn, state, zone: state === 'hole' ? '' : z?.zone ?? '', node: state === 'hole' ? -1 : z?.node ?? -1, migratetype: state === 'hole' ? '' : mt };
      if (state === 'free' && pfn % 8 === 0) c.order = 3;
      out.push(c);
    } else {
      const counts: Partial<Record<PageState, number>> = {};
      for (let k = 0; k < n; k += 8) {
        const s = pick(pfn + k);
        counts[s] = (counts[s] ?? 0) + Math.min(8, n - k);
      }
      let state: PageState = 'hole';
      let best = -1;
      for (const s of PAGE_STATES) if ((counts[s] ?? 0) > best) { best = counts[s] ?? 0; state = s; }
      out.push({ pfn, state, counts, zone: z?.zone ?? '', node: z?.node ?? -1, migratetype: z ? mt : '' });
    }
  }
  return { start_pfn: 0, end_pfn, pagesPerCell: ppc, cells: out, zones: spans.map((s) => ({ ...s })) };
}

/** tiny: x86-64, 16 MiB, every page drawn (4096 cells), one DMA zone. */
export function tinyMemmap(): MemmapSnapshot {
  return makeMemmap([{ node: 0, zone: 'DMA', start_pfn: 1, end_pfn: 0x1000 }], [[0x9f, 0x100]], 0x1000, 0x1000, 7);
}

/** A 16 MiB map with two zones, to see a boundary in the middle of a row. */
export function twoZoneMemmap(): MemmapSnapshot {
  return makeMemmap([
    { node: 0, zone: 'DMA', start_pfn: 1, end_pfn: 0x7e5 },
    { node: 0, zone: 'Normal', start_pfn: 0x7e5, end_pfn: 0x1000 },
  ], [[0x9f, 0x100]], 0x1000, 0x1000, 9);
}

/** pc-4g: 4 GiB of RAM as 3 GiB below the PCI hole and 1 GiB above 4 GiB, 4096 cells. */
export function pc4gMemmap(): MemmapSnapshot {
  return makeMemmap([
    { node: 0, zone: 'DMA', start_pfn: 1, end_pfn: 0x1000 },
    { node: 0, zone: 'DMA32', start_pfn: 0x1000, end_pfn: 0x100000 },
    { node: 0, zone: 'Normal', start_pfn: 0x100000, end_pfn: 0x140000 },
  ], [[0x9f, 0x100], [0xbffe0, 0x100000]], 0x140000, 4096, 3);
}

/** i386-highmem: 1 GiB, DMA / Normal (lowmem to 896 MiB) / HighMem. */
export function i386Memmap(): MemmapSnapshot {
  return makeMemmap([
    { node: 0, zone: 'DMA', start_pfn: 1, end_pfn: 0x1000 },
    { node: 0, zone: 'Normal', start_pfn: 0x1000, end_pfn: 0x38000 },
    { node: 0, zone: 'HighMem', start_pfn: 0x38000, end_pfn: 0x3ffe0 },
  ], [[0x9f, 0x100]], 0x40000, 4096, 5);
}

/** numa-2x8g: two nodes of 8 GiB. */
export function numaMemmap(): MemmapSnapshot {
  return makeMemmap([
    { node: 0, zone: 'DMA', start_pfn: 1, end_pfn: 0x1000 },
    { node: 0, zone: 'DMA32', start_pfn: 0x1000, end_pfn: 0x100000 },
    { node: 0, zone: 'Normal', start_pfn: 0x100000, end_pfn: 0x240000 },
    { node: 1, zone: 'Normal', start_pfn: 0x240000, end_pfn: 0x440000 },
  ], [[0x9f, 0x100], [0xbffe0, 0x100000]], 0x440000, 8192, 11);
}

/** A zone snapshot with plausible watermarks and free lists. */
export function makeZone(node: number, zone: string, zoneIdx: number, start_pfn: number, spanned: number, managed: number, free: number, nzones: number, seed = 1): ZoneSnapshot {
  const rnd = gen(seed);
  const min = Math.max(1, Math.floor(managed / 600));
  const gap = Math.max(Math.floor(min / 4), Math.floor(managed / 1000));
  const nr_free = new Array<number>(11).fill(0);
  const free_by_type = TYPES.map(() => new Array<number>(11).fill(0));
  let left = free;
  for (let o = 10; o >= 0; o--) {
    const size = 1 << o;
    const take = o === 0 ? left : Math.floor((left * (0.35 + rnd() * 0.3)) / size);
    nr_free[o] = take;
    left -= take * size;
    for (let b = 0; b < take; b++) {
      const t = o >= 9 ? 1 : rnd() < 0.6 ? 1 : rnd() < 0.6 ? 0 : 2;
      free_by_type[t][o]++;
    }
  }
  const lowmem_reserve = new Array<number>(nzones).fill(0);
  for (let j = zoneIdx + 1; j < nzones; j++) lowmem_reserve[j] = Math.floor((managed * 4 * (j - zoneIdx)) / 256);
  return {
    node, zone, zoneIdx, start_pfn, spanned, present: spanned - 96, managed, free,
    min, low: min + gap, high: min + 2 * gap, promo: min + 3 * gap, boost: 0,
    lowmem_reserve, nr_free, free_by_type,
    blocks_by_type: [Math.ceil(spanned / 512 / 8), Math.floor((spanned / 512) * 0.8), Math.ceil(spanned / 512 / 10), 0, 0],
    pcp: [{ cpu: 0, count: 31, high: 378, batch: 63 }],
  };
}

/** pc-4g's zones: DMA, DMA32, Normal. */
export function pc4gZones(): ZoneSnapshot[] {
  return [
    makeZone(0, 'DMA', 0, 1, 4095, 3840, 3584, 5, 2),
    makeZone(0, 'DMA32', 1, 0x1000, 0xff000, 772915, 700123, 5, 3),
    makeZone(0, 'Normal', 2, 0x100000, 0x40000, 245760, 1200, 5, 4),
  ];
}

/** i386-highmem's zones. */
export function i386Zones(): ZoneSnapshot[] {
  return [
    makeZone(0, 'DMA', 0, 1, 4095, 3977, 3100, 4, 5),
    makeZone(0, 'Normal', 1, 0x1000, 0x37000, 216000, 180, 4, 6),
    makeZone(0, 'HighMem', 3, 0x38000, 0x7fe0, 32736, 30000, 4, 7),
  ];
}

/** numa-2x8g's zones (two nodes). */
export function numaZones(): ZoneSnapshot[] {
  return [
    makeZone(0, 'DMA', 0, 1, 4095, 3840, 3584, 5, 8),
    makeZone(0, 'DMA32', 1, 0x1000, 0xff000, 772915, 760000, 5, 9),
    makeZone(0, 'Normal', 2, 0x100000, 0x140000, 1290000, 8000, 5, 10),
    makeZone(1, 'Normal', 2, 0x240000, 0x200000, 2050000, 2000000, 5, 11),
  ];
}

/** A 16 MiB DMA zone with a few free blocks, for the free-list drawing. */
export function tinyZone(): ZoneSnapshot {
  const blocks = tinyFreeBlocks();
  const z = makeZone(0, 'DMA', 0, 1, 4095, 3500, 0, 1, 12);
  z.nr_free = new Array<number>(11).fill(0);
  z.free_by_type = TYPES.map(() => new Array<number>(11).fill(0));
  for (const b of blocks) {
    z.nr_free[b.order]++;
    z.free_by_type[TYPES.indexOf(b.migratetype)][b.order]++;
    z.free += 2 ** b.order;
  }
  return z;
}

/** The free blocks of a small zone: `count[o]` blocks of order o, placed without overlap. */
export function makeFreeBlocks(count: number[], seed = 1): FreeBlock[] {
  const rnd = gen(seed);
  const out: FreeBlock[] = [];
  let base = 0x400;
  for (let o = count.length - 1; o >= 0; o--) {
    for (let k = 0; k < count[o]; k++) {
      const size = 1 << o;
      base = Math.ceil(base / size) * size;
      out.push({ pfn: base, order: o, migratetype: rnd() < 0.7 ? 'Movable' : rnd() < 0.7 ? 'Unmovable' : 'Reclaimable' });
      base += size * (1 + Math.floor(rnd() * 2));
    }
  }
  return out;
}

/** Free blocks of the tiny zone (orders 0..10). */
export function tinyFreeBlocks(): FreeBlock[] {
  return makeFreeBlocks([5, 3, 4, 2, 1, 0, 2, 1, 1, 0, 1], 3);
}
