/**
 * Boot glue of the slab subsystem: builds the slab allocator, KASAN, kmemleak and page_owner of
 * a System and registers their files and validator.
 *
 * Mirrors: mm/mm_init.c mm_core_init (kmem_cache_init after the page allocator is up),
 * mm/kasan/*: kasan= boot option, mm/kmemleak.c kmemleak= option, mm/page_owner.c page_owner=
 * option.
 * Models: the order of boot (the kmalloc caches exist before anything else allocates objects);
 * the boot options `slab_debug=`/`slub_debug=`, `slab_nomerge`, `slab_min_objects=`,
 * `slab_max_order=`, `kasan=on`, `kmemleak=on`, `page_owner=on`.
 * Simplifies: KASAN and kmemleak can also be switched on after boot (`sys.kasan.enable()`,
 * `sys.kmemleak.enable()`), which the kernel cannot do.
 * See: chapter 04 (slab), chapter 05 (kmalloc and debugging).
 */
import { KernelError } from '../base/errors.js';
import { Kasan } from './kasan.js';
import { Kmemleak } from './kmemleak.js';
import { PageOwner } from './page_owner.js';
import type { SlabHost } from './slab.js';
import { install_page_alloc_hook, SlabAllocator, type PageAllocHook, type SlabSystemLike } from './slab_common.js';

/** The slab-related parts a System holds after slab_init. */
export interface SlabParts {
  slab: SlabAllocator;
  kasan: Kasan;
  kmemleak: Kmemleak;
  page_owner: PageOwner;
}

/** Builds the SlabHost view of a System: fixed references plus getters for what may change. */
function hostOf(sys: SlabSystemLike & { current?: { pid: number; comm: string } | null }): SlabHost {
  const b = sys.buddy;
  const zoneNode = (pfn: number) => b.page_zone(pfn)?.node ?? 0;
  const host = {
    config: sys.config,
    get layout() {
      return sys.layout;
    },
    mem: sys.mem,
    pages: sys.pages,
    clock: sys.clock,
    trace: sys.trace,
    dmesg: sys.dmesg,
    buddy: sys.buddy,
    pfn_to_nid: zoneNode,
    vmstat: sys.vmstat,
    get current() {
      return sys.current ?? null;
    },
    get debug_vm() {
      return sys.debug_vm;
    },
    flagsRef: sys,
    checkpoint: () => sys.checkpoint(),
  };
  return host as SlabHost;
}

/**
 * kmem_cache_init() and the debugging tools, at the end of mm_core_init. Returns the parts for the
 * System to hold.
 */
export function slab_init(sys: SlabSystemLike & { current?: { pid: number; comm: string } | null }): SlabParts {
  const host = hostOf(sys);
  const slab = new SlabAllocator(host);
  // The slab's cpu follows the page allocator's (smp_processor_id is one thing).
  slab.slub.cpuRef = sys.buddy;
  const hooks: PageAllocHook[] = [];
  const kasan = new Kasan(slab, (pfn) => freed !== null && freed[pfn] === 1);
  let freed: Uint8Array | null = null;
  const page_owner = new PageOwner({
    pages: sys.pages,
    clock: sys.clock,
    get current() {
      return host.current ?? null;
    },
    pageblock_mt: (pfn) => sys.buddy.get_pageblock_migratetype(pfn),
    pageblock_order: sys.buddy.pageblock_order,
  });
  const cmd = ` ${sys.config.cmdline} `;
  if (/\skasan=on\s/.test(cmd)) kasan.enable();
  const kasanEnable = kasan.enable.bind(kasan);
  const kasanPageHook: PageAllocHook = {
    alloc: (pfn, order) => {
      if (freed) for (let p = pfn; p < pfn + (1 << order); p++) freed[p] = 0;
      kasan.onPageAlloc(pfn, order);
    },
    free: (pfn, order) => {
      if (freed) for (let p = pfn; p < pfn + (1 << order); p++) freed[p] = 1;
    },
  };
  kasan.enable = () => {
    const was = kasan.enabled;
    kasanEnable();
    if (!was && kasan.enabled) {
      freed = new Uint8Array(sys.pages.max_pfn);
      install_page_alloc_hook(sys, hooks, kasanPageHook);
    }
  };
  slab.kmem_cache_init();
  if (kasan.enabled) {
    freed = new Uint8Array(sys.pages.max_pfn);
    install_page_alloc_hook(sys, hooks, kasanPageHook);
  }
  // page_owner: records from now on (the caches above were allocated during early boot).
  const enablePageOwner = () => {
    if (page_owner.enabled) return;
    page_owner.enabled = true;
    install_page_alloc_hook(sys, hooks, {
      alloc: (pfn, order, gfp) => page_owner.set_page_owner(pfn, order, gfp),
      free: (pfn) => page_owner.reset_page_owner(pfn),
    });
  };
  (page_owner as PageOwner & { enable(): void }).enable = enablePageOwner;
  if (/\spage_owner=on\s/.test(cmd)) enablePageOwner();
  slab.slub.pageCallerHook = (c) => {
    if (page_owner.enabled) page_owner.nextCaller = c;
  };
  const kmemleak = new Kmemleak(slab);
  if (/\skmemleak=on\s/.test(cmd)) kmemleak.enable();

  sys.procfs.register('/proc/slabinfo', () => slab.slabinfo());
  sys.procfs.register('/sys/kernel/debug/kmemleak', () => {
    if (!kmemleak.enabled) throw new KernelError('cat: /sys/kernel/debug/kmemleak: Operation not permitted (kmemleak is off: boot with kmemleak=on)', 'EPERM');
    return kmemleak.show();
  });
  sys.procfs.register('/sys/kernel/debug/page_owner', () => {
    if (!page_owner.enabled) throw new KernelError('cat: /sys/kernel/debug/page_owner: No such device (boot with page_owner=on)', 'ENODEV');
    return page_owner.show();
  });
  sys.registerValidator('slab', () => slab.validate());
  return { slab, kasan, kmemleak, page_owner };
}
