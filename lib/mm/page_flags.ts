/**
 * Page flags and page types.
 *
 * Mirrors: include/linux/page-flags.h (enum pageflags, in 6.12 order, and the PGTY_* page
 * types kept in page->page_type), include/trace/events/mmflags.h (the names printed by
 * `%pGp` and page dumps).
 * Models: the flag bits as numbers, aliases (PG_swapcache = PG_owner_priv_1 ...), page types
 * (buddy, table, slab, ...) and decoding a flags word into names.
 * Simplifies: the zone, node and section numbers that the kernel packs into the top of
 * page->flags are not stored there (the simulator derives them from the pfn).
 * See: chapter 01 (mem_map and struct page).
 */

/** Bit numbers of page->flags (6.12 x86-64 defconfig: MMU, MEMORY_FAILURE, PAGE_IDLE_FLAG). */
export const PG = {
  locked: 0,
  writeback: 1,
  referenced: 2,
  uptodate: 3,
  dirty: 4,
  lru: 5,
  head: 6,
  waiters: 7,
  active: 8,
  workingset: 9,
  owner_priv_1: 10,
  owner_2: 11,
  arch_1: 12,
  reserved: 13,
  private: 14,
  private_2: 15,
  reclaim: 16,
  swapbacked: 17,
  unevictable: 18,
  mlocked: 19,
  hwpoison: 20,
  young: 21,
  idle: 22,
  // aliases
  readahead: 16,
  swapcache: 10,
  checked: 10,
  anon_exclusive: 11,
  mappedtodisk: 11,
  isolated: 16,
  reported: 3,
} as const;

/** Number of real page flags (__NR_PAGEFLAGS). */
export const NR_PAGEFLAGS = 23;

/** The canonical name of each bit, as `%pGp` prints it. */
export const PAGEFLAG_NAMES: readonly string[] = [
  'locked', 'writeback', 'referenced', 'uptodate', 'dirty', 'lru', 'head', 'waiters', 'active',
  'workingset', 'owner_priv_1', 'owner_2', 'arch_1', 'reserved', 'private', 'private_2', 'reclaim',
  'swapbacked', 'unevictable', 'mlocked', 'hwpoison', 'young', 'idle',
];

/** Page types (top byte of page->page_type); 0 means "no type" in the simulator. */
export const PGTY = {
  none: 0,
  buddy: 0xf0,
  offline: 0xf1,
  table: 0xf2,
  guard: 0xf3,
  hugetlb: 0xf4,
  slab: 0xf5,
  zsmalloc: 0xf6,
  unaccepted: 0xf7,
} as const;

/** Name of a page type byte, e.g. 0xf0 → `buddy`; '' for none. */
export function pagetype_name(t: number): string {
  for (const [k, v] of Object.entries(PGTY)) if (v === t && v !== 0) return k;
  return '';
}

/** Decodes a flags word into names, kernel order: `reserved|head`. Aliases are not printed. */
export function decode_page_flags(flags: number): string[] {
  const out: string[] = [];
  for (let b = 0; b < NR_PAGEFLAGS; b++) if (flags & (1 << b)) out.push(PAGEFLAG_NAMES[b]);
  return out;
}

/**
 * Parses flag names or a number into a flags word (for `kmem -g`): `"reserved|head"`, `0x2040`.
 * Accepts aliases and names with a `PG_` prefix. Throws a RangeError for an unknown name.
 */
export function parse_page_flags(text: string): number {
  const t = text.trim();
  if (/^(0x[0-9a-f]+|\d+)$/i.test(t)) return Number(t) >>> 0;
  let f = 0;
  for (const w of t.split(/[|,\s]+/).filter(Boolean)) {
    const name = w.replace(/^PG_/i, '').toLowerCase();
    const bit = (PG as Record<string, number>)[name];
    if (bit === undefined) throw new RangeError(`unknown page flag '${w}'`);
    f |= 1 << bit;
  }
  return f >>> 0;
}
