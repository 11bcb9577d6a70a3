/**
 * Test helper for the paging tests: a System (paging is set up at boot) with debug_vm on, and a
 * count of allocated pages for leak checks.
 */
import { createSystem, type System } from '../lib/system.js';
import type { SystemConfig } from '../lib/config.js';

/** A System with debug_vm on (every mutating call validates every subsystem). */
export function vmSystem(cfg: SystemConfig | string = 'tiny'): System {
  const sys = createSystem(cfg);
  sys.debug_vm = true;
  return sys;
}

/** Pages currently allocated from the buddy allocator (for leak checks). */
export function pagesInUse(sys: System): number {
  let n = 0;
  const rc = sys.pages._refcount;
  for (let i = 0; i < rc.length; i++) if (rc[i] > 0) n++;
  return n;
}
