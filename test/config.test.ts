// Machine configuration: validation errors name the field; every preset boots into the zones the
// kernel would build for it; the e820 map and node ranges.
import { describe, expect, it } from 'vitest';
import { ConfigError, createSystem, PRESETS, resolveConfig, inspectE820 } from '../lib/index.js';
import { buildE820, nodeRanges, physEnd } from '../lib/arch/x86/e820.js';

describe('config validation', () => {
  const bad: [object | string, string][] = [
    [{ arch: 'arm64' }, 'arch'],
    [{ memory: 'lots' }, 'memory'],
    [{ memory: '2M' }, 'memory'],
    [{ nodes: 0 }, 'nodes'],
    [{ nodes: [{ memory: '3M' }] }, 'nodes[0].memory'],
    [{ cpus: 0 }, 'cpus'],
    [{ seed: -1 }, 'seed'],
    [{ swap: '1.5K' }, 'swap'],
    [{ preset: 'nope' }, 'preset'],
    [{ colour: 'red' }, 'colour'],
    [{ nodes: 2, memory: '16G', distance: [[10, 20], [20, 5]] }, 'distance[1][1]'],
    [{ nodes: 2, memory: '16G', distance: [[10]] }, 'distance'],
    [{ arch: 'i386', memory: '8G' }, 'memory'],
    [{ arch: 'i386', nodes: 2, memory: '1G' }, 'nodes'],
    [{ pae: true }, 'pae'],
    [{ arch: 'i386', memory: '1G', la57: true }, 'la57'],
  ];
  for (const [cfg, field] of bad) {
    it(`refuses ${JSON.stringify(cfg)} naming ${field}`, () => {
      try {
        resolveConfig(cfg as never);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        expect((e as ConfigError).field).toBe(field);
        expect((e as Error).message.startsWith(`config.${field}:`)).toBe(true);
      }
    });
  }
});

describe('presets boot', () => {
  const expectZones: Record<string, string[]> = {
    tiny: ['0:DMA'],
    'pc-4g': ['0:DMA', '0:DMA32', '0:Normal'],
    'pc-4g-swap': ['0:DMA', '0:DMA32', '0:Normal'],
    'pc-16g': ['0:DMA', '0:DMA32', '0:Normal'],
    'i386-highmem': ['0:DMA', '0:Normal', '0:HighMem'],
    'i386-pae': ['0:DMA', '0:Normal', '0:HighMem'],
    'numa-2x8g': ['0:DMA', '0:DMA32', '0:Normal', '1:Normal'],
  };
  for (const name of Object.keys(PRESETS).filter((n) => n !== 'numa-8x128g')) {
    it(`${name}: zones, present pages and a working allocator`, () => {
      const s = createSystem(name);
      const zones = s.buddy.zones.filter((z) => z.present_pages).map((z) => `${z.node}:${z.name}`);
      expect(zones).toEqual(expectZones[name]);
      let present = 0;
      for (const z of s.buddy.zones) present += z.present_pages;
      // RAM minus page 0, the 640K-1M hole (97 pages with the partial page) and the 128 KiB ACPI area.
      const lost = s.config.arch === 'i386' && !s.config.pae && s.config.memory > 3 * 2 ** 30 ? 0 : 1 + 97 + 32;
      expect(present).toBe(s.config.memory / 4096 - lost);
      s.validate();
    });
  }

  it('numa-8x128g boots: 8 nodes of 128 GiB', () => {
    const s = createSystem('numa-8x128g');
    expect(s.buddy.pgdat.map((p) => p.node_present_pages * 4096 >= 127 * 2 ** 30)).toEqual(new Array(8).fill(true));
    expect(s.buddy.alloc(0xcc0, 0, 7)).toBeGreaterThanOrEqual(0);
  });
});

describe('e820 and node ranges', () => {
  it('small machines: RAM below 3 GiB, BIOS areas and ACPI reserved', () => {
    const t = buildE820(16 << 20).map((e) => [e.addr, e.size, e.type]);
    expect(t[0]).toEqual([0, 0x9fc00, 1]);
    expect(t[3]).toEqual([0x100000, (16 << 20) - 0x20000 - 0x100000, 1]);
    expect(physEnd(16 << 20)).toBe(16 << 20);
  });

  it('machines above 3 GiB continue at 4 GiB, past the PCI hole', () => {
    const s = createSystem('pc-16g');
    const e = inspectE820(s);
    expect(e[e.length - 1]).toEqual({ start: 2 ** 32, end: 2 ** 32 + 13 * 2 ** 30, type: 'usable' });
    expect(physEnd(16 * 2 ** 30)).toBe(17 * 2 ** 30);
    expect(s.pages.max_pfn).toBe((17 * 2 ** 30) / 4096);
  });

  it('nodes take RAM in address order; the hole belongs to no node', () => {
    expect(nodeRanges(16 * 2 ** 30, [8 * 2 ** 30, 8 * 2 ** 30])).toEqual([[0, 9 * 2 ** 30], [9 * 2 ** 30, 17 * 2 ** 30]]);
    expect(nodeRanges(6 * 2 ** 30, [3 * 2 ** 30, 3 * 2 ** 30])).toEqual([[0, 3 * 2 ** 30], [4 * 2 ** 30, 7 * 2 ** 30]]);
  });
});
