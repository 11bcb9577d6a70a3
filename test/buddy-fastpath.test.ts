// The page allocator's per-cpu fast paths (Buddy.alloc's alloc_pcp_fast and the inline part of
// free_unref_page_commit) must do exactly what the general algorithm does. Tracing turns the fast
// allocation path off, so the same random sequence is replayed on two identical machines, one
// traced: every pfn handed out, every error and every /proc file must agree.
import { describe, expect, it } from 'vitest';
import {
  createSystem, XorShift32, GFP_KERNEL, GFP_ATOMIC, GFP_NOWAIT, GFP_DMA32, GFP_HIGHUSER_MOVABLE,
  __GFP_COMP, __GFP_ZERO, __GFP_NOWARN, __GFP_RECLAIMABLE, __GFP_THISNODE,
} from '../lib/index.js';

function replay(preset: string, traced: boolean, ops: number): string[] {
  const sys = createSystem({ preset, seed: 5 });
  sys.trace.enabled = traced;
  const b = sys.buddy;
  const rng = new XorShift32(99);
  const masks = [GFP_KERNEL, GFP_HIGHUSER_MOVABLE, GFP_ATOMIC, GFP_NOWAIT, GFP_KERNEL | __GFP_RECLAIMABLE,
    GFP_KERNEL | __GFP_COMP, GFP_KERNEL | __GFP_ZERO, GFP_DMA32 | __GFP_NOWARN, GFP_KERNEL | __GFP_THISNODE];
  const out: string[] = [];
  const live: [number, number][] = [];
  for (let i = 0; i < ops; i++) {
    const r = rng.next();
    if (i % 5000 === 4999) b.cpu = (b.cpu + 1) % sys.config.cpus;
    if (live.length === 0 || ((r & 3) !== 0 && live.length < 3000)) {
      const order = [0, 0, 0, 1, 1, 2, 3, 4, 9, 0][(r >>> 2) % 10];
      const pfn = b.alloc(masks[(r >>> 8) % masks.length], order, (r >>> 16) % 4 === 0 ? 0 : -1);
      out.push(String(pfn));
      if (pfn >= 0) live.push([pfn, order]);
    } else {
      const j = (r >>> 4) % live.length;
      const [pfn, order] = live[j];
      live[j] = live[live.length - 1];
      live.pop();
      b.free(pfn, order);
    }
  }
  for (const bad of [[live[0][0], live[0][1] + 1], [live[0][0] + 1, 0], [-1, 0], [1.5, 0], [live[0][0], 11]]) {
    try {
      b.free(bad[0], bad[1]);
      out.push('freed');
    } catch (e) {
      out.push((e as Error).message);
    }
  }
  sys.validate();
  for (const f of ['/proc/zoneinfo', '/proc/buddyinfo', '/proc/pagetypeinfo', '/proc/vmstat']) out.push(sys.read(f));
  return out;
}

describe('page allocator fast paths', () => {
  for (const preset of ['pc-4g', 'tiny', 'numa-2x8g']) {
    it(`${preset}: the same pfns, errors and counters with the fast paths on and off`, () => {
      const fast = replay(preset, false, 40000);
      const slow = replay(preset, true, 40000);
      expect(fast.length).toBe(slow.length);
      for (let i = 0; i < fast.length; i++) if (fast[i] !== slow[i]) expect({ i, fast: fast[i] }).toEqual({ i, fast: slow[i] });
    });
  }
});
