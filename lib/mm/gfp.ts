/**
 * GFP flags: how an allocation may behave and where it may come from.
 *
 * Mirrors: include/linux/gfp_types.h (bit values and composites), include/linux/gfp.h
 * (gfp_zone, gfp_migratetype, GFP_ZONE_TABLE), include/trace/events/mmflags.h (the order in
 * which the kernel prints flag names, composites first).
 * Models: every flag with its 6.12 value; zone selection and migratetype from a mask; printing
 * and parsing masks written as in C (`GFP_KERNEL|__GFP_ZERO`).
 * Simplifies: __GFP_SKIP_KASAN, __GFP_SKIP_ZERO and __GFP_ZEROTAGS are 0 (KASAN HW tags off), as
 * on a default x86 build; __GFP_NOLOCKDEP is left out (CONFIG_LOCKDEP off).
 * See: chapter 02 (nodes, zones, GFP).
 */

/** Zone indices, in the kernel's enum order (include/linux/mmzone.h `enum zone_type`). */
export const ZONE_DMA = 0;
/** DMA32: below 4 GiB (x86-64 only). */
export const ZONE_DMA32 = 1;
/** NORMAL: directly mapped memory. */
export const ZONE_NORMAL = 2;
/** HIGHMEM: above 896 MiB on i386; not permanently mapped. */
export const ZONE_HIGHMEM = 3;
/** MOVABLE: only movable user pages (kernelcore=/movablecore=). */
export const ZONE_MOVABLE = 4;
/** Number of zone types the simulator models (DEVICE is left out). */
export const MAX_NR_ZONES = 5;
/** Zone names as /proc prints them. */
export const ZONE_NAMES = ['DMA', 'DMA32', 'Normal', 'HighMem', 'Movable'] as const;

export const ___GFP_DMA = 0x01;
export const ___GFP_HIGHMEM = 0x02;
export const ___GFP_DMA32 = 0x04;
export const ___GFP_MOVABLE = 0x08;
export const ___GFP_RECLAIMABLE = 0x10;

/** Allocate from ZONE_DMA (below 16 MiB). */
export const __GFP_DMA = 0x01;
/** May use ZONE_HIGHMEM. */
export const __GFP_HIGHMEM = 0x02;
/** Allocate from ZONE_DMA32 (below 4 GiB) or lower. */
export const __GFP_DMA32 = 0x04;
/** The page can be migrated (or reclaimed): migratetype MOVABLE. */
export const __GFP_MOVABLE = 0x08;
/** Reclaimable slab or similar: migratetype RECLAIMABLE. */
export const __GFP_RECLAIMABLE = 0x10;
/** High priority: may use part of the min-watermark reserve (ALLOC_MIN_RESERVE). */
export const __GFP_HIGH = 0x20;
/** May start physical I/O. */
export const __GFP_IO = 0x40;
/** May call into the filesystem layer. */
export const __GFP_FS = 0x80;
/** Return zeroed memory. */
export const __GFP_ZERO = 0x100;
/** The caller may enter direct reclaim (may sleep). */
export const __GFP_DIRECT_RECLAIM = 0x400;
/** Wake kswapd when the low watermark is reached. */
export const __GFP_KSWAPD_RECLAIM = 0x800;
/** The caller intends to dirty the page (page-cache writes). */
export const __GFP_WRITE = 0x1000;
/** Do not print a failure report. */
export const __GFP_NOWARN = 0x2000;
/** Try hard, but fail rather than invoke the OOM killer. */
export const __GFP_RETRY_MAYFAIL = 0x4000;
/** Retry forever; the caller cannot handle failure. */
export const __GFP_NOFAIL = 0x8000;
/** Fail quickly: light reclaim only, no OOM killer. */
export const __GFP_NORETRY = 0x10000;
/** May use all reserves (ALLOC_NO_WATERMARKS). */
export const __GFP_MEMALLOC = 0x20000;
/** A compound page (head + tails). */
export const __GFP_COMP = 0x40000;
/** Never use the emergency reserves, even with PF_MEMALLOC. */
export const __GFP_NOMEMALLOC = 0x80000;
/** Enforce the cpuset's memory nodes. */
export const __GFP_HARDWALL = 0x100000;
/** Only this node: no fallback to other nodes. */
export const __GFP_THISNODE = 0x200000;
/** Charge the allocation to the memory cgroup. */
export const __GFP_ACCOUNT = 0x400000;
/** Both reclaim bits. */
export const __GFP_RECLAIM = __GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM;

/** Typical kernel allocation: may sleep, reclaim, do I/O and call filesystems. 0xcc0. */
export const GFP_KERNEL = __GFP_RECLAIM | __GFP_IO | __GFP_FS;
/** GFP_KERNEL charged to the memory cgroup. */
export const GFP_KERNEL_ACCOUNT = GFP_KERNEL | __GFP_ACCOUNT;
/** Cannot sleep; may use part of the reserves. 0x820. */
export const GFP_ATOMIC = __GFP_HIGH | __GFP_KSWAPD_RECLAIM;
/** Cannot sleep, no reserves, no warning. 0x2800. */
export const GFP_NOWAIT = __GFP_KSWAPD_RECLAIM | __GFP_NOWARN;
/** May reclaim but not start I/O. 0xc00. */
export const GFP_NOIO = __GFP_RECLAIM;
/** May reclaim and do I/O but not call filesystems. 0xc40. */
export const GFP_NOFS = __GFP_RECLAIM | __GFP_IO;
/** User-space allocation honouring cpusets. 0x100cc0. */
export const GFP_USER = __GFP_RECLAIM | __GFP_IO | __GFP_FS | __GFP_HARDWALL;
/** ZONE_DMA only. */
export const GFP_DMA = __GFP_DMA;
/** ZONE_DMA32 (falling back to DMA). */
export const GFP_DMA32 = __GFP_DMA32;
/** User pages that may live in highmem. 0x100cc2. */
export const GFP_HIGHUSER = GFP_USER | __GFP_HIGHMEM;
/** Movable user pages (anonymous memory, page cache). 0x100cca. */
export const GFP_HIGHUSER_MOVABLE = GFP_HIGHUSER | __GFP_MOVABLE;
/** THP allocation without direct reclaim. */
export const GFP_TRANSHUGE_LIGHT = (GFP_HIGHUSER_MOVABLE | __GFP_COMP | __GFP_NOMEMALLOC | __GFP_NOWARN) & ~__GFP_RECLAIM;
/** THP allocation that may reclaim directly. */
export const GFP_TRANSHUGE = GFP_TRANSHUGE_LIGHT | __GFP_DIRECT_RECLAIM;
/** Page-table pages for user space (arch/x86/include/asm/pgalloc.h: GFP_PGTABLE_USER). */
export const GFP_PGTABLE_USER = GFP_KERNEL_ACCOUNT | __GFP_ZERO;
/** Page-table pages for the kernel (GFP_PGTABLE_KERNEL). */
export const GFP_PGTABLE_KERNEL = GFP_KERNEL | __GFP_ZERO;

/** Every GFP name the kernel prints, in its printing order (mmflags.h), with its value. */
export const GFP_NAMES: ReadonlyArray<readonly [string, number]> = [
  ['GFP_TRANSHUGE', GFP_TRANSHUGE],
  ['GFP_TRANSHUGE_LIGHT', GFP_TRANSHUGE_LIGHT],
  ['GFP_HIGHUSER_MOVABLE', GFP_HIGHUSER_MOVABLE],
  ['GFP_HIGHUSER', GFP_HIGHUSER],
  ['GFP_USER', GFP_USER],
  ['GFP_KERNEL_ACCOUNT', GFP_KERNEL_ACCOUNT],
  ['GFP_KERNEL', GFP_KERNEL],
  ['GFP_NOFS', GFP_NOFS],
  ['GFP_ATOMIC', GFP_ATOMIC],
  ['GFP_NOIO', GFP_NOIO],
  ['GFP_NOWAIT', GFP_NOWAIT],
  ['GFP_DMA', GFP_DMA],
  ['__GFP_HIGHMEM', __GFP_HIGHMEM],
  ['GFP_DMA32', GFP_DMA32],
  ['__GFP_HIGH', __GFP_HIGH],
  ['__GFP_IO', __GFP_IO],
  ['__GFP_FS', __GFP_FS],
  ['__GFP_NOWARN', __GFP_NOWARN],
  ['__GFP_RETRY_MAYFAIL', __GFP_RETRY_MAYFAIL],
  ['__GFP_NOFAIL', __GFP_NOFAIL],
  ['__GFP_NORETRY', __GFP_NORETRY],
  ['__GFP_COMP', __GFP_COMP],
  ['__GFP_ZERO', __GFP_ZERO],
  ['__GFP_NOMEMALLOC', __GFP_NOMEMALLOC],
  ['__GFP_MEMALLOC', __GFP_MEMALLOC],
  ['__GFP_HARDWALL', __GFP_HARDWALL],
  ['__GFP_THISNODE', __GFP_THISNODE],
  ['__GFP_RECLAIMABLE', __GFP_RECLAIMABLE],
  ['__GFP_MOVABLE', __GFP_MOVABLE],
  ['__GFP_ACCOUNT', __GFP_ACCOUNT],
  ['__GFP_WRITE', __GFP_WRITE],
  ['__GFP_RECLAIM', __GFP_RECLAIM],
  ['__GFP_DIRECT_RECLAIM', __GFP_DIRECT_RECLAIM],
  ['__GFP_KSWAPD_RECLAIM', __GFP_KSWAPD_RECLAIM],
];

/** Extra names accepted when parsing (not printed by the kernel). */
const PARSE_ONLY: ReadonlyArray<readonly [string, number]> = [
  ['__GFP_DMA', __GFP_DMA],
  ['__GFP_DMA32', __GFP_DMA32],
  ['__GFP_DIRECT_RECLAIM', __GFP_DIRECT_RECLAIM],
  ['GFP_PGTABLE_USER', GFP_PGTABLE_USER],
  ['GFP_PGTABLE_KERNEL', GFP_PGTABLE_KERNEL],
];

const ALL_BITS = 0x7ffdff; // every bit a GFP flag uses (0x200 is unused)

/**
 * Formats a mask as the kernel's `%pGg` does: composite names first, then single flags, then
 * any leftover bits in hex. `0` prints as `0`. Example: 0xdc0 → `GFP_KERNEL|__GFP_ZERO`.
 */
export function format_gfp(gfp: number): string {
  const parts: string[] = [];
  let rest = gfp;
  for (const [name, v] of GFP_NAMES) {
    if (v !== 0 && (rest & v) === v) {
      parts.push(name);
      rest &= ~v;
    }
  }
  if (rest) parts.push('0x' + rest.toString(16));
  return parts.length ? parts.join('|') : '0';
}

/** Formats a mask as the kernel's warn_alloc line does: `0xdc0(GFP_KERNEL|__GFP_ZERO)`. */
export function format_gfp_mode(gfp: number): string {
  return `0x${gfp.toString(16)}(${format_gfp(gfp)})`;
}

/**
 * Parses a mask written as in C: names joined by `|`, numbers in decimal or hex.
 * Throws a RangeError naming the unknown word.
 */
export function parse_gfp(text: string): number {
  const t = text.trim();
  if (!t) throw new RangeError('empty GFP mask');
  let mask = 0;
  for (const word of t.split('|').map((w) => w.trim())) {
    if (/^(0x[0-9a-f]+|\d+)$/i.test(word)) {
      mask |= Number(word);
      continue;
    }
    const hit = GFP_NAMES.find(([n]) => n === word) ?? PARSE_ONLY.find(([n]) => n === word);
    if (!hit) throw new RangeError(`unknown GFP flag '${word}'`);
    mask |= hit[1];
  }
  if (mask & ~ALL_BITS) throw new RangeError(`GFP mask 0x${mask.toString(16)} has bits no GFP flag uses`);
  return mask;
}

/** Every name {@link parse_gfp} accepts (for completion). */
export function gfp_names(): string[] {
  return [...new Set([...GFP_NAMES, ...PARSE_ONLY].map(([n]) => n))];
}

/**
 * The highest zone a mask may use (`gfp_zone`, GFP_ZONE_TABLE). Mixing DMA, DMA32 and
 * HIGHMEM bits is invalid (GFP_ZONE_BAD): a RangeError. `hasHighmem` is true on i386, a
 * 32-bit machine, which also has no ZONE_DMA32 (OPT_ZONE_DMA32 is NORMAL there); on x86-64
 * (false) __GFP_HIGHMEM means NORMAL.
 */
export function gfp_zone(gfp: number, hasHighmem = false): number {
  const z = gfp & (__GFP_DMA | __GFP_HIGHMEM | __GFP_DMA32 | __GFP_MOVABLE);
  const zoneBits = z & (__GFP_DMA | __GFP_HIGHMEM | __GFP_DMA32);
  if (zoneBits & (zoneBits - 1)) throw new RangeError(`gfp_zone: invalid zone modifiers in ${format_gfp_mode(gfp)} (GFP_ZONE_BAD)`);
  if (z & __GFP_DMA) return ZONE_DMA;
  if (z & __GFP_DMA32) return hasHighmem ? ZONE_NORMAL : ZONE_DMA32;
  if (z & __GFP_HIGHMEM) {
    if (z & __GFP_MOVABLE) return ZONE_MOVABLE;
    return hasHighmem ? ZONE_HIGHMEM : ZONE_NORMAL;
  }
  return ZONE_NORMAL;
}

/** Migratetype indices (include/linux/mmzone.h `enum migratetype`). */
export const MIGRATE_UNMOVABLE = 0;
export const MIGRATE_MOVABLE = 1;
export const MIGRATE_RECLAIMABLE = 2;
/** The number of types the per-cpu lists keep (MIGRATE_PCPTYPES). */
export const MIGRATE_PCPTYPES = 3;
export const MIGRATE_HIGHATOMIC = 3;
export const MIGRATE_ISOLATE = 4;
/** Number of migratetypes modelled (CMA is left out: CONFIG_CMA off). */
export const MIGRATE_TYPES = 5;
/** Migratetype names as /proc/pagetypeinfo prints them. */
export const MIGRATETYPE_NAMES = ['Unmovable', 'Movable', 'Reclaimable', 'HighAtomic', 'Isolate'] as const;

/** The migratetype a mask asks for (`gfp_migratetype`): (gfp & (MOVABLE|RECLAIMABLE)) >> 3. */
export function gfp_migratetype(gfp: number): number {
  return (gfp & (__GFP_MOVABLE | __GFP_RECLAIMABLE)) >> 3;
}

/** True when the mask lets the caller sleep (`gfpflags_allow_blocking`). */
export function gfpflags_allow_blocking(gfp: number): boolean {
  return (gfp & __GFP_DIRECT_RECLAIM) !== 0;
}
