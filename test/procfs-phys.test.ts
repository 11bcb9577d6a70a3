// Golden tests of the page allocator's /proc and /sys files against the kernel's format strings
// (mm/vmstat.c, fs/proc/meminfo.c, drivers/base/node.c).
import { describe, expect, it } from 'vitest';
import { createSystem, VmStat } from '../lib/index.js';
import type { System } from '../lib/index.js';

/** Sets a zone's free-area counts to known numbers (for exact-text checks of the formatters). */
function setFree(s: System, zi: number, nr: number[]): void {
  const z = s.buddy.pgdat[0].node_zones[zi];
  nr.forEach((n, o) => (z.nr_free[o] = n));
}

describe('/proc/buddyinfo', () => {
  it('prints "Node %d, zone %8s " then "%6lu " per order', () => {
    const s = createSystem('pc-4g');
    setFree(s, 0, [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 3]);
    setFree(s, 1, [1, 1, 4, 2, 5, 4, 3, 3, 4, 2, 752]);
    setFree(s, 2, [982, 210, 369, 331, 150, 56, 16, 7, 62, 64, 165]);
    expect(s.read('/proc/buddyinfo')).toBe(
      'Node 0, zone      DMA      0      0      0      0      0      0      0      0      1      1      3 \n' +
      'Node 0, zone    DMA32      1      1      4      2      5      4      3      3      4      2    752 \n' +
      'Node 0, zone   Normal    982    210    369    331    150     56     16      7     62     64    165 \n',
    );
  });

  it('matches the zones live and skips empty zones', () => {
    const s = createSystem('numa-2x8g');
    const lines = s.read('/proc/buddyinfo').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((l) => l.slice(0, 21))).toEqual(['Node 0, zone      DMA', 'Node 0, zone    DMA32', 'Node 0, zone   Normal', 'Node 1, zone   Normal']);
    const z = s.buddy.pgdat[1].node_zones[2];
    expect(lines[3]).toBe('Node 1, zone   Normal ' + Array.from(z.nr_free).map((n) => String(n).padStart(6) + ' ').join(''));
  });
});

describe('/proc/pagetypeinfo', () => {
  it('has the kernel layout', () => {
    const s = createSystem('tiny');
    const t = s.read('/proc/pagetypeinfo').split('\n');
    expect(t[0]).toBe('Page block order: 9');
    expect(t[1]).toBe('Pages per block:  512');
    expect(t[2]).toBe('');
    expect(t[3]).toBe('Free pages count per migrate type at order       0      1      2      3      4      5      6      7      8      9     10 ');
    expect(t[4]).toMatch(/^Node    0, zone      DMA, type    Unmovable ( {0,5}\d+ ){11}$/);
    expect(t.slice(4, 9).map((l) => l.slice(0, 43))).toEqual([
      'Node    0, zone      DMA, type    Unmovable', 'Node    0, zone      DMA, type      Movable',
      'Node    0, zone      DMA, type  Reclaimable', 'Node    0, zone      DMA, type   HighAtomic',
      'Node    0, zone      DMA, type      Isolate',
    ]);
    expect(t[9]).toBe('');
    expect(t[10]).toBe('Number of blocks type     Unmovable      Movable  Reclaimable   HighAtomic      Isolate ');
    expect(t[11]).toMatch(/^Node 0, zone      DMA ( {0,11}\d+ ){5}$/);
    const counts = t[11].slice(21).trim().split(/\s+/).map(Number);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(8); // pfns 1, 513, ... 3585: 8 pageblocks
  });

  it('i386 without PAE groups by order-10 pageblocks', () => {
    const s = createSystem('i386-highmem');
    expect(s.read('/proc/pagetypeinfo').split('\n').slice(0, 2)).toEqual(['Page block order: 10', 'Pages per block:  1024']);
  });
});

describe('/proc/zoneinfo', () => {
  it('prints a populated zone as zoneinfo_show_print does', () => {
    const s = createSystem({ preset: 'pc-4g', cpus: 2 });
    const z = s.buddy.pgdat[0].node_zones[2];
    const text = s.read('/proc/zoneinfo');
    const start = text.indexOf('Node 0, zone   Normal');
    const sec = text.slice(start, text.indexOf('Node 0, zone  Movable'));
    const lines = sec.split('\n');
    expect(lines[0]).toBe('Node 0, zone   Normal');
    expect(lines[1]).toBe(`  pages free     ${s.buddy.zone_free(z)}`);
    expect(lines.slice(2, 11)).toEqual([
      `        boost    ${z.watermark_boost}`, `        min      ${z._watermark[0]}`, `        low      ${z._watermark[1]}`,
      `        high     ${z._watermark[2]}`, `        promo    ${z._watermark[3]}`, `        spanned  ${z.spanned_pages}`,
      `        present  ${z.present_pages}`, `        managed  ${z.managed_pages}`, '        cma      0',
    ]);
    expect(lines[11]).toBe('        protection: (0, 0, 0, 0)');
    expect(lines[12]).toBe(`      nr_free_pages ${s.buddy.zone_free(z)}`);
    expect(lines[13]).toMatch(/^      nr_zone_inactive_anon \d+$/);
    expect(lines).toContain('      nr_mlock     0');
    expect(lines).toContain('  pagesets');
    const i = lines.indexOf('  pagesets');
    expect(lines.slice(i + 1, i + 6)).toEqual([
      '    cpu: 0', `              count: ${z.pcp[0].count}`, `              high:  ${z.pcp[0].high}`, '              batch: 63', '  vm stats threshold: 16',
    ]);
    expect(lines[i + 6]).toBe('    cpu: 1');
    expect(lines.slice(-3)).toEqual(['  node_unreclaimable:  0', `  start_pfn:           ${0x100000}`, '']);
  });

  it('per-node stats appear once per node, before the first populated zone; DMA protection shows the reserves', () => {
    const s = createSystem('pc-4g');
    const text = s.read('/proc/zoneinfo');
    expect(text.match(/per-node stats/g)!.length).toBe(1);
    expect(text.startsWith('Node 0, zone      DMA\n  per-node stats\n      nr_inactive_anon 0\n')).toBe(true);
    const [dma, dma32, normal] = s.buddy.pgdat[0].node_zones;
    // Reserves are computed at boot, before the init sections join DMA32 (as in the kernel).
    const init = s.boot.image.initK / 4;
    const r = (n: number) => Math.floor(n / 256);
    expect(text).toContain(`        protection: (0, ${r(dma32.managed_pages - init)}, ${r(dma32.managed_pages - init + normal.managed_pages)}, ${r(dma32.managed_pages - init + normal.managed_pages)})`);
    expect(dma.spanned_pages).toBe(4095);
    expect(dma.present_pages).toBe(3998);
    expect(dma.managed_pages).toBe(3840);
    expect(text).toContain('Node 0, zone  Movable\n  pages free     0\n        boost    0\n        min      32\n');
  });

  it('the example Normal zone of the reference gives threshold 20 with 2 CPUs', () => {
    expect(stat(491520, 2)).toBe(20);
    function stat(m: number, c: number): number {
      const fls = (x: number) => (x ? Math.floor(Math.log2(x)) + 1 : 0);
      return Math.min(125, 2 * fls(c) * (1 + fls(Math.floor(m / 32768))));
    }
  });
});

describe('/proc/vmstat', () => {
  it('prints every counter in vmstat_text order, "name value"', () => {
    const s = createSystem('pc-4g');
    const lines = s.read('/proc/vmstat').trimEnd().split('\n');
    const names = lines.map((l) => l.split(' ')[0]);
    expect(names.slice(0, 3)).toEqual(['nr_free_pages', 'nr_zone_inactive_anon', 'nr_zone_active_anon']);
    expect(names.slice(10, 16)).toEqual(['numa_hit', 'numa_miss', 'numa_foreign', 'numa_interleave', 'numa_local', 'numa_other']);
    expect(names).toContain('nr_slab_reclaimable');
    expect(names).not.toContain('nr_slab_reclaimable_B');
    const iDirty = names.indexOf('nr_dirty_threshold');
    expect(names.slice(iDirty, iDirty + 5)).toEqual(['nr_dirty_threshold', 'nr_dirty_background_threshold', 'nr_memmap_pages', 'nr_memmap_boot_pages', 'pgpgin']);
    const ia = names.indexOf('pgalloc_dma');
    expect(names.slice(ia, ia + 4)).toEqual(['pgalloc_dma', 'pgalloc_dma32', 'pgalloc_normal', 'pgalloc_movable']);
    expect(names[names.length - 1]).toBe('direct_map_level3_splits');
    for (const l of lines) expect(l).toMatch(/^[a-z0-9_]+ \d+$/);
    expect(new Set(names).size).toBe(names.length);
    const v = Number(lines.find((l) => l.startsWith('nr_free_pages '))!.split(' ')[1]);
    expect(v).toBe(s.vmstat.get('nr_free_pages'));
    expect(Number(lines.find((l) => l.startsWith('nr_memmap_boot_pages '))!.split(' ')[1])).toBe(16384); // 32 sections x 2 MiB
  });

  it('i386 has pgalloc_high and no dma32 counters', () => {
    const v = new VmStat('i386', 1);
    expect(v.has('pgalloc_high')).toBe(true);
    expect(v.has('pgalloc_dma32')).toBe(false);
    expect(v.has('thp_split_pud')).toBe(false);
  });
});

describe('/proc/meminfo', () => {
  const LABELS = [
    'MemTotal', 'MemFree', 'MemAvailable', 'Buffers', 'Cached', 'SwapCached', 'Active', 'Inactive', 'Active(anon)',
    'Inactive(anon)', 'Active(file)', 'Inactive(file)', 'Unevictable', 'Mlocked', 'SwapTotal', 'SwapFree', 'Dirty',
    'Writeback', 'AnonPages', 'Mapped', 'Shmem', 'KReclaimable', 'Slab', 'SReclaimable', 'SUnreclaim', 'KernelStack',
    'PageTables', 'SecPageTables', 'NFS_Unstable', 'Bounce', 'WritebackTmp', 'CommitLimit', 'Committed_AS', 'VmallocTotal',
    'VmallocUsed', 'VmallocChunk', 'Percpu', 'HardwareCorrupted', 'AnonHugePages', 'ShmemHugePages', 'ShmemPmdMapped',
    'FileHugePages', 'FilePmdMapped', 'HugePages_Total', 'HugePages_Free', 'HugePages_Rsvd', 'HugePages_Surp',
    'Hugepagesize', 'Hugetlb', 'DirectMap4k', 'DirectMap2M', 'DirectMap1G',
  ];

  it('has the x86-64 field order and widths', () => {
    const s = createSystem('pc-4g-swap');
    const lines = s.read('/proc/meminfo').trimEnd().split('\n');
    expect(lines.map((l) => l.split(':')[0])).toEqual(LABELS);
    for (const l of lines) {
      if (l.startsWith('HugePages_')) expect(l).toMatch(/^HugePages_\w+: {2,}[ \d]{5}\d*$/);
      else if (l.startsWith('HardwareCorrupted')) expect(l).toBe('HardwareCorrupted:     0 kB');
      else expect(l).toMatch(/^[\w()]+: +\d+ kB$/);
      if (!l.startsWith('HardwareCorrupted') && !l.startsWith('HugePages_')) expect(l.indexOf(' kB') >= 23 || l.length > 27).toBe(true);
    }
    expect(lines[0]).toBe(`MemTotal:       ${String(s.buddy.zones.reduce((a, z) => a + z.managed_pages, 0) * 4).padStart(8)} kB`);
    expect(lines).toContain('SwapTotal:       8388608 kB');
    expect(lines).toContain('VmallocTotal:   34359738367 kB');
    expect(lines).toContain('Hugepagesize:       2048 kB');
    expect(lines).toContain('HugePages_Total:       0');
    expect(lines).toContain('DirectMap1G:     4194304 kB'.replace('4194304', String(lines.find((l) => l.startsWith('DirectMap1G'))!.trim().split(/\s+/)[1])));
  });

  it('i386 adds HighTotal/HighFree/LowTotal/LowFree and DirectMap4M', () => {
    const s = createSystem('i386-highmem');
    const labels = s.read('/proc/meminfo').trimEnd().split('\n').map((l) => l.split(':')[0]);
    expect(labels.slice(14, 18)).toEqual(['HighTotal', 'HighFree', 'LowTotal', 'LowFree']);
    expect(labels[labels.length - 1]).toBe('DirectMap4M');
    expect(labels).toContain('Hugepagesize');
  });

  it('MemAvailable follows si_mem_available; counters flow in', () => {
    const s = createSystem('pc-4g');
    const kb = (name: string) => Number(new RegExp(`\\n${name.replace(/[()]/g, '\\$&')}: +(\\d+) kB`).exec('\n' + s.read('/proc/meminfo'))![1]);
    const free = s.vmstat.get('nr_free_pages');
    expect(kb('MemFree')).toBe(free * 4);
    expect(kb('MemAvailable')).toBe(Math.max(0, free - s.buddy.totalreserve_pages + Math.floor(s.vmstat.get('nr_slab_reclaimable_B') / 4096) - Math.min(Math.floor(Math.floor(s.vmstat.get('nr_slab_reclaimable_B') / 4096) / 2), s.buddy.zones.reduce((a, z) => a + z._watermark[1], 0))) * 4);
    const pt = kb('PageTables');
    s.vmstat.mod_node(0, 'nr_page_table_pages', 3);
    expect(kb('PageTables')).toBe(pt + 12);
    s.meminfoHooks.vmallocUsedPages = () => 10;
    expect(kb('VmallocUsed')).toBe(40);
  });

  it('per-node meminfo', () => {
    const s = createSystem('numa-2x8g');
    const t = s.read('/sys/devices/system/node/node1/meminfo').split('\n');
    expect(t[0]).toMatch(/^Node 1 MemTotal: +\d+ kB$/);
    expect(t[0].indexOf('kB')).toBe('Node 1 MemTotal:       '.length + 9);
    expect(t.map((l) => l.split(':')[0]).slice(0, 4)).toEqual(['Node 1 MemTotal', 'Node 1 MemFree', 'Node 1 MemUsed', 'Node 1 SwapCached']);
    expect(t[t.length - 2]).toBe('Node 1 HugePages_Surp:      0');
  });
});

describe('boot log', () => {
  it('prints the e820 table and zone ranges as the kernel does', () => {
    const s = createSystem('pc-4g');
    const log = s.boot_log;
    expect(log).toContain('BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable');
    expect(log).toContain('BIOS-e820: [mem 0x0000000100000000-0x000000013fffffff] usable');
    const zr = log.indexOf('Zone ranges:');
    expect(log.slice(zr, zr + 6)).toEqual([
      'Zone ranges:',
      '  DMA      [mem 0x0000000000001000-0x0000000000ffffff]',
      '  DMA32    [mem 0x0000000001000000-0x00000000ffffffff]',
      '  Normal   [mem 0x0000000100000000-0x000000013fffffff]',
      'Movable zone start for each node',
      'Early memory node ranges',
    ]);
    expect(log).toContain('  node   0: [mem 0x0000000000001000-0x000000000009efff]');
    expect(log.find((l) => l.startsWith('Memory: '))).toMatch(/^Memory: \d+K\/4193784K available \(16384K kernel code, 2732K rwdata, 11464K rodata, 4184K init, 4772K bss, \d+K reserved, 0K cma-reserved\)$/);
    expect(log.some((l) => l.includes('real mode') && l.includes('f000:fff0'))).toBe(true);
    expect(log.some((l) => l.includes('long mode'))).toBe(true);
    expect(s.e820.length).toBe(9);
    expect(s.dmesg.slice(0, log.length)).toEqual(log);
  });

  it('i386 prints HIGHMEM and LOWMEM and has no DMA32', () => {
    const s = createSystem('i386-highmem');
    expect(s.boot_log).toContain('127MB HIGHMEM available.'); // the top 128 KiB are ACPI tables
    expect(s.boot_log).toContain('896MB LOWMEM available.');
    expect(s.boot_log.find((l) => l.startsWith('  HighMem'))).toBe('  HighMem  [mem 0x0000000038000000-0x000000003ffdffff]');
    expect(s.boot_log.some((l) => l.includes('DMA32'))).toBe(false);
    expect(s.boot_log.find((l) => l.startsWith('Memory: '))).toMatch(/, \d+K highmem\)$/);
  });
});
