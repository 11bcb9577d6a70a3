/**
 * The page allocator's internal flags.
 *
 * Mirrors: mm/internal.h (ALLOC_* alloc_flags, with the watermark index in the low bits) and
 * mm/page_alloc.c (fpi_t: FPI_NONE, FPI_TO_TAIL).
 * Values are the 6.12 ones (ALLOC_KSWAPD equals __GFP_KSWAPD_RECLAIM, so gfp_to_alloc_flags can
 * copy that bit across).
 */
import { WMARK_HIGH, WMARK_LOW, WMARK_MIN } from './mmzone.js';

/** alloc_flags: check the min watermark (the index of _watermark[] in the low bits). */
export const ALLOC_WMARK_MIN = WMARK_MIN;
/** alloc_flags: check the low watermark. */
export const ALLOC_WMARK_LOW = WMARK_LOW;
/** alloc_flags: check the high watermark. */
export const ALLOC_WMARK_HIGH = WMARK_HIGH;
/** alloc_flags: ignore the watermarks altogether. */
export const ALLOC_NO_WATERMARKS = 0x04;
/** The bits of alloc_flags that select a watermark. */
export const ALLOC_WMARK_MASK = ALLOC_NO_WATERMARKS - 1;
/** alloc_flags: the OOM victim may dip further into the reserves. */
export const ALLOC_OOM = 0x08;
/** alloc_flags: the caller cannot block (atomic): a quarter more of the reserve. */
export const ALLOC_NON_BLOCK = 0x10;
/** alloc_flags: __GFP_HIGH: half of the min watermark may be used. */
export const ALLOC_MIN_RESERVE = 0x20;
/** alloc_flags: respect the cpuset. */
export const ALLOC_CPUSET = 0x40;
/** alloc_flags: CMA pageblocks may be used. */
export const ALLOC_CMA = 0x80;
/** alloc_flags: avoid fragmenting fallbacks (alloc_flags_nofragment). */
export const ALLOC_NOFRAGMENT = 0x100;
/** alloc_flags: the HIGHATOMIC reserve may be used. */
export const ALLOC_HIGHATOMIC = 0x200;
/** alloc_flags: wake kswapd (the same bit as __GFP_KSWAPD_RECLAIM). */
export const ALLOC_KSWAPD = 0x800;
/** The flags that give access to reserves below the min watermark. */
export const ALLOC_RESERVES = ALLOC_NON_BLOCK | ALLOC_MIN_RESERVE | ALLOC_HIGHATOMIC | ALLOC_OOM;

/** Free-page-isolation flags (fpi_t): none. */
export const FPI_NONE = 0;
/** fpi_t: put the freed block at the tail of its free list. */
export const FPI_TO_TAIL = 2;
