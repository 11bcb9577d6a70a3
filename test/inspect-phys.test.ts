// Snapshots of physical memory (lib/mm/inspect_phys.ts) and a few allocator paths they show:
// the HIGHATOMIC reserve, compaction's isolate/putback, dirty limits.
import { describe, expect, it } from 'vitest';
import {
  createSystem, inspectE820, inspectFreeBlocks, inspectMemblock, inspectMemmap, inspectZones,
  GFP_ATOMIC, GFP_DMA, GFP_KERNEL, __GFP_NOWARN, MIGRATE_HIGHATOMIC, KernelError,
} from '../lib/index.js';

describe('inspect snapshots', () => {
  it('inspectZones mirrors the zones and is detached', () => {
    const s = createSystem('pc-4g');
    const zs = inspectZones(s);
    expect(zs.map((z) => z.zone)).toEqual(['DMA', 'DMA32', 'Normal']);
    const n = zs[2];
    const z = s.buddy.pgdat[0].node_zones[2];
    expect(n).toMatchObject({ node: 0, zoneIdx: 2, start_pfn: 0x100000, spanned: z.spanned_pages, managed: z.managed_pages, free: s.buddy.zone_free(z) });
    expect(n.nr_free.reduce((a, c, o) => a + c * 2 ** o, 0)).toBe(n.free);
    expect(n.free_by_type.length).toBe(5);
    expect(n.blocks_by_type.reduce((a, b) => a + b, 0)).toBe(512);
    expect(n.pcp.length).toBe(2);
    s.alloc_pages(GFP_KERNEL, 3);
    expect(zs[2].free).toBe(n.free); // the snapshot does not change
    expect(JSON.parse(JSON.stringify(zs))).toEqual(zs);
  });

  it('inspectMemmap: one cell per page on tiny, scaled with counts elsewhere', () => {
    const t = createSystem('tiny');
    const m = inspectMemmap(t);
    expect(m.pagesPerCell).toBe(1);
    expect(m.cells.length).toBe(t.boot.max_pfn);
    expect(m.cells[0].state).toBe('hole');
    expect(m.cells[0x10].state).toBe('reserved');
    expect(m.cells[0xa0].state).toBe('hole');
    const free = m.cells.filter((c) => c.state === 'free' || c.state === 'pcp').length;
    const pcp = t.buddy.zones[0].pcp[0].count;
    expect(free).toBe(t.buddy.zone_free(t.buddy.zones[0]) + pcp);
    const head = t.buddy.zones[0].freeHead[10 * 5 + 1];
    expect(m.cells[head].order).toBe(10);
    const p = inspectMemmap(createSystem('pc-4g'), { cells: 1024 });
    expect(p.pagesPerCell).toBe(2048);
    expect(p.cells.length).toBeLessThanOrEqual(1024);
    const c = p.cells[100];
    expect(Object.values(c.counts!).reduce((a, b) => a + (b ?? 0), 0)).toBe(2048);
    expect(p.zones.map((z) => z.zone)).toEqual(['DMA', 'DMA32', 'Normal']);
    expect(() => inspectMemmap(t, { start: 10, end: 10 })).toThrow(KernelError);
  });

  it('inspectFreeBlocks walks the lists in order, deferred blocks included', () => {
    const s = createSystem('pc-16g');
    const blocks = inspectFreeBlocks(s, 0, 2, 5000);
    const o10 = blocks.filter((b) => b.order === 10 && b.migratetype === 'Movable');
    expect(o10.length).toBeGreaterThan(1000);
    for (let i = 1; i < o10.length; i++) expect(o10[i].pfn).toBeGreaterThan(o10[i - 1].pfn);
    expect(inspectFreeBlocks(s, 0, 2, 3).length).toBe(3);
  });

  it('inspectE820 and inspectMemblock', () => {
    const s = createSystem('pc-4g');
    expect(inspectE820(s)[0]).toEqual({ start: 0, end: 0x9fc00, type: 'usable' });
    expect(inspectE820(s).map((e) => e.type)).toContain('ACPI NVS');
    const mb = inspectMemblock(s);
    expect(mb.frozen).toBe(true);
    expect(mb.memory.length).toBe(3);
    expect(mb.reserved.some((r) => r.base === 16 << 20)).toBe(true);
  });
});

describe('allocator paths the snapshots show', () => {
  it('a high-order atomic allocation under pressure reserves a HIGHATOMIC pageblock', () => {
    const s = createSystem({ memory: '512M', nodes: 1, cpus: 1 });
    s.debug_vm = true;
    const z = s.buddy.pgdat[0].node_zones[1];
    // Empty ZONE_DMA first, so that only DMA32 can serve (its fast path fails at the low mark).
    while (s.buddy.alloc(GFP_DMA | __GFP_NOWARN, 0) >= 0) continue;
    while (s.buddy.zone_free(z) > z._watermark[1] + z.watermark_boost) s.buddy.alloc(GFP_KERNEL | __GFP_NOWARN, 0);
    expect(z.nr_reserved_highatomic).toBe(0);
    const p = s.alloc_pages(GFP_ATOMIC, 1);
    expect(p).not.toBeNull();
    expect(z.nr_reserved_highatomic).toBe(512);
    expect(inspectZones(s).find((x) => x.zone === 'DMA32')!.blocks_by_type[MIGRATE_HIGHATOMIC]).toBe(1);
    // Under pressure the reserve is given back.
    s.buddy.unreserve_highatomic_pageblock(s.buddy.pgdat[0].zonelists[2], 0, true);
    expect(z.nr_reserved_highatomic).toBe(0);
    s.validate();
  });

  it('compaction can isolate a free block and put it back', () => {
    const s = createSystem('tiny');
    s.debug_vm = true;
    const z = s.buddy.zones[0];
    const head = z.freeHead[10 * 5 + 1];
    expect(s.buddy.__isolate_free_page(head, 10)).toBe(1024);
    expect(s.page(head).state).toBe('allocated');
    s.validate();
    s.buddy.__putback_isolated_page(head, 10, 1);
    expect(s.page(head)).toMatchObject({ state: 'free', order: 10 });
    s.validate();
    expect(() => s.buddy.__isolate_free_page(head + 1, 0)).toThrow(KernelError);
  });

  it('isolating a deferred block initialises the run first', () => {
    const s = createSystem('pc-16g');
    const z = s.buddy.pgdat[0].node_zones[2];
    const p = z.deferred_next + 7 * 1024;
    expect(s.buddy.__isolate_free_page(p, 10)).toBe(1024);
    s.validate();
    s.buddy.__putback_isolated_page(p, 10, 1);
    s.validate();
  });

  it('dirty limits follow global_dirty_limits with the default ratios', () => {
    const s = createSystem('pc-4g');
    const x = Math.max(0, s.vmstat.get('nr_free_pages') - s.buddy.totalreserve_pages) + 1;
    expect(s.vmstat.get('nr_dirty_threshold')).toBe(Math.floor((20 * x) / 100));
    expect(s.vmstat.get('nr_dirty_background_threshold')).toBe(Math.floor((10 * x) / 100));
  });
});

describe('deferred blocks view', () => {
  it('reports the implicit runs and shrinks as blocks are taken', async () => {
    const { inspectDeferred } = await import('../lib/index.js');
    const s = createSystem('pc-16g');
    const d = inspectDeferred(s);
    const normal = d.find((x) => x.zone === 'Normal')!;
    expect(normal.blocks).toBeGreaterThan(3000);
    expect(normal.end_pfn - normal.first_pfn).toBe(normal.blocks * 1024);
    for (let i = 0; i < 10; i++) s.buddy.alloc(0x100cca, 10);
    const after = inspectDeferred(s).find((x) => x.zone === 'Normal')!;
    expect(after.blocks).toBeLessThan(normal.blocks);
  });
});
