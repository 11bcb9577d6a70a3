/**
 * page_owner: who allocated each page, read back from /sys/kernel/debug/page_owner.
 *
 * Mirrors: mm/page_owner.c (__set_page_owner, __reset_page_owner, print_page_owner,
 * read_page_owner), Documentation/mm/page_owner.rst.
 * Models: a record per allocated block head (order, GFP mask, pid, tgid, comm, timestamp in
 * simulated ns, call site), set by a hook the page allocator calls on every allocation and
 * cleared on free; the debugfs text in pfn order, skipping free blocks, in the kernel's format.
 * Simplifies: pages allocated before page_owner was switched on (memblock, early boot) have no
 * record (the kernel marks them "early allocated"); the stack is the simulated call site under
 * the allocator's own frames; `Flags` prints the flag word and names without node/zone fields;
 * migration history is not kept.
 * See: chapter 05 (kmalloc and debugging).
 */
import { format_gfp, gfp_migratetype, MIGRATETYPE_NAMES } from './gfp.js';
import { decode_page_flags } from './page_flags.js';

/** One page_owner record. */
export interface PageOwnerRecord {
  pfn: number;
  order: number;
  gfp_mask: number;
  pid: number;
  tgid: number;
  comm: string;
  ts_nsec: number;
  caller: string;
}

/** What page_owner needs from the System. */
export interface PageOwnerHost {
  readonly pages: { readonly flags: Uint32Array; readonly max_pfn: number };
  readonly clock: { ns: number };
  readonly current?: { pid: number; comm: string } | null;
  /** pageblock migratetype of a pfn. */
  pageblock_mt(pfn: number): number;
  /** pageblock_order. */
  readonly pageblock_order: number;
}

/** Call sites used when the allocating code names none, by migratetype of the mask. */
const DEFAULT_PAGE_CALLERS = ['__get_free_pages_noprof+0x12/0x50', 'alloc_pages_mpol_noprof+0x9a/0x1f0', 'alloc_slab_page+0x5f/0x120'];

/** The page_owner state of a System (`sys.page_owner`). */
export class PageOwner {
  /** On when booted with page_owner=on (or enable()). */
  enabled = false;
  /** Records by head pfn. */
  readonly records = new Map<number, PageOwnerRecord>();
  /** Call site of the next allocation (set by callers like the slab allocator just before they allocate). */
  nextCaller: string | null = null;
  private readonly host: PageOwnerHost;

  constructor(host: PageOwnerHost) {
    this.host = host;
  }

  /** __set_page_owner(): called by the page allocator after a successful allocation. */
  set_page_owner(pfn: number, order: number, gfp: number): void {
    const cur = this.host.current;
    const caller = this.nextCaller ?? DEFAULT_PAGE_CALLERS[gfp_migratetype(gfp) % DEFAULT_PAGE_CALLERS.length];
    this.nextCaller = null;
    this.records.set(pfn, {
      pfn, order, gfp_mask: gfp, pid: cur ? cur.pid : 0, tgid: cur ? cur.pid : 0, comm: cur ? cur.comm : 'swapper/0',
      ts_nsec: Math.round(this.host.clock.ns), caller,
    });
  }

  /** __reset_page_owner(): called by the page allocator when a block is freed. */
  reset_page_owner(pfn: number): void {
    this.records.delete(pfn);
  }

  /** The text of /sys/kernel/debug/page_owner. */
  show(): string {
    const out: string[] = [];
    const pfns = [...this.records.keys()].sort((a, b) => a - b);
    for (const pfn of pfns) {
      const r = this.records.get(pfn)!;
      const flags = this.host.pages.flags[pfn];
      out.push(`Page allocated via order ${r.order}, mask 0x${r.gfp_mask.toString(16)}(${format_gfp(r.gfp_mask)}), pid ${r.pid}, tgid ${r.tgid} (${r.comm}), ts ${r.ts_nsec} ns`);
      out.push(`PFN 0x${pfn.toString(16)} type ${MIGRATETYPE_NAMES[gfp_migratetype(r.gfp_mask)]} Block ${pfn >> this.host.pageblock_order} type ${MIGRATETYPE_NAMES[this.host.pageblock_mt(pfn)] ?? 'Unmovable'} Flags 0x${flags.toString(16)}(${decode_page_flags(flags).join('|')})`);
      out.push(' post_alloc_hook+0x1e6/0x210', ' get_page_from_freelist+0x3a2/0x1090', ' __alloc_pages_noprof+0x18c/0x340', ` ${r.caller}`);
      out.push('');
    }
    return out.join('\n') + (out.length ? '\n' : '');
  }
}
