/**
 * Test helper for the paging tests: a System with paging up. When the page allocator of the
 * System is not booted (early in the project), a plain free-list allocator stands in for it so
 * that the paging code can be tested on its own.
 */
import { createSystem, type System } from '../lib/system.js';
import type { SystemConfig } from '../lib/config.js';
import { vm_init } from '../lib/kernel/fork.js';
import { PageArray } from '../lib/mm/mm_types.js';

/** A System with paging initialised and debug_vm on. */
export function vmSystem(cfg: SystemConfig | string = 'tiny'): System {
  const sys = createSystem(cfg);
  const s = sys as unknown as { buddy?: unknown; pages?: PageArray; mmcore?: unknown };
  if (!s.buddy) {
    const max = Math.floor(sys.mem.size / 4096);
    const pages = s.pages ?? new PageArray(max);
    s.pages = pages;
    const free: number[] = [];
    let next = 256;
    let used = 0;
    s.buddy = {
      alloc(_gfp: number, order: number): number {
        if (order !== 0) return -1;
        let pfn = free.pop();
        if (pfn === undefined) {
          if (next >= max) return -1;
          pfn = next++;
        }
        used++;
        pages._refcount[pfn] = 1;
        return pfn;
      },
      free(pfn: number, order: number): void {
        if (order !== 0 || pages._refcount[pfn] !== 0) throw new Error(`test allocator: bad free of ${pfn}`);
        used--;
        free.push(pfn);
      },
      get used() {
        return used;
      },
    };
  }
  if (!s.mmcore) vm_init(sys);
  sys.debug_vm = true;
  return sys;
}

/** Pages currently allocated (for leak checks). */
export function pagesInUse(sys: System): number {
  const b = (sys as unknown as { buddy: { used?: number } }).buddy;
  if (typeof b.used === 'number') return b.used;
  let n = 0;
  const p = (sys as unknown as { pages: PageArray }).pages;
  for (let i = 0; i < p.max_pfn; i++) if (p._refcount[i] > 0) n++;
  return n;
}
