/**
 * x86 page-table geometry and entries.
 *
 * Mirrors: arch/x86/include/asm/pgtable_types.h (_PAGE_* bits), pgtable_64_types.h,
 * pgtable-2level_types.h, pgtable-3level_types.h (shifts and PTRS_PER_*), include/linux/pgtable.h
 * (pgd/p4d/pud/pmd/pte naming, folded levels), arch/x86/mm/pgtable.c (pgd_alloc, pte_alloc_one).
 * Models: the geometry of every paging mode as data (i386 2-level 10/10/12, i386 PAE 2/9/9/12,
 * x86-64 4-level and 5-level), Linux's five level names with the folded ones marked, the x86
 * entry bits and the pfn field, and page-table pages that live in real pages from the buddy
 * allocator with their entries stored in the bytes of those pages (64-bit entries as two 32-bit
 * words, low word first, as on a little-endian CPU; 32-bit entries without PAE).
 * Simplifies: no PAT/PKEY decoding beyond naming the bits; no swap-entry encoding here.
 * See: chapter 06 (page tables).
 */
import { VmBugError } from '../../base/errors.js';
import type { PhysMem } from '../../mm/physmem.js';

/** Linux's names of the five levels, top first. */
export type LevelName = 'pgd' | 'p4d' | 'pud' | 'pmd' | 'pte';

/** One level of a paging mode. */
export interface PagingLevel {
  /** Linux name of the level. */
  name: LevelName;
  /** Lowest address bit this level's index consumes (PGDIR_SHIFT, P4D_SHIFT ...). */
  shift: number;
  /** Index bits (0 when folded). */
  bits: number;
  /** Entries per table (PTRS_PER_*; 1 when folded). */
  ptrs: number;
  /** True when the level does not exist in hardware (it is folded into the one above). */
  folded: boolean;
  /** True when an entry with PSE set maps a huge page here (2/4 MiB PMD, 1 GiB PUD). */
  hugeLeaf: boolean;
  /** 2^shift: bytes one entry covers. */
  size: number;
}

/** A paging mode as data. `walk` lists the hardware (not folded) levels, top first. */
export interface PagingGeometry {
  /** 'i386-2level', 'i386-pae', 'x86_64-4level', 'x86_64-5level'. */
  mode: string;
  /** All five Linux levels, top first, folded ones included. */
  levels: PagingLevel[];
  /** The hardware levels, top first (CR3 points at walk[0]). */
  walk: PagingLevel[];
  /** Bytes per entry: 4 (i386 without PAE) or 8. */
  entryBytes: 4 | 8;
  /** 32-bit words per entry (1 or 2). */
  entryWords: 1 | 2;
  /** Virtual address bits. */
  va_bits: number;
  /** True when the entries have an NX bit (bit 63; PAE and x86-64). */
  hasNX: boolean;
  /** 2^(va_bits − 1): canonical addresses lie in [−half, half) (x86-64). */
  half: number;
}

function lvl(name: LevelName, shift: number, bits: number, hugeLeaf = false): PagingLevel {
  return { name, shift, bits, ptrs: bits ? 1 << bits : 1, folded: bits === 0, hugeLeaf, size: 2 ** shift };
}

function geometry(mode: string, levels: PagingLevel[], entryBytes: 4 | 8, va_bits: number): PagingGeometry {
  return {
    mode,
    levels,
    walk: levels.filter((l) => !l.folded),
    entryBytes,
    entryWords: entryBytes === 8 ? 2 : 1,
    va_bits,
    hasNX: entryBytes === 8,
    half: 2 ** (va_bits - 1),
  };
}

/** i386 without PAE: PGD 10 bits (4 MiB PSE leaves), PTE 10 bits; p4d, pud and pmd folded. */
export const GEOMETRY_I386 = geometry('i386-2level', [
  lvl('pgd', 22, 10, true), lvl('p4d', 22, 0), lvl('pud', 22, 0), lvl('pmd', 22, 0), lvl('pte', 12, 10),
], 4, 32);
/** i386 PAE: PGD 2 bits (4 entries), PMD 9 bits (2 MiB leaves), PTE 9 bits; p4d and pud folded. */
export const GEOMETRY_I386_PAE = geometry('i386-pae', [
  lvl('pgd', 30, 2), lvl('p4d', 30, 0), lvl('pud', 30, 0), lvl('pmd', 21, 9, true), lvl('pte', 12, 9),
], 8, 32);
/** x86-64 4-level: PGD 39–47, P4D folded, PUD 30–38 (1 GiB leaves), PMD 21–29 (2 MiB), PTE 12–20. */
export const GEOMETRY_X86_64 = geometry('x86_64-4level', [
  lvl('pgd', 39, 9), lvl('p4d', 39, 0), lvl('pud', 30, 9, true), lvl('pmd', 21, 9, true), lvl('pte', 12, 9),
], 8, 48);
/** x86-64 5-level (LA57): PGD 48–56, P4D 39–47, PUD, PMD, PTE as in 4-level. */
export const GEOMETRY_X86_64_LA57 = geometry('x86_64-5level', [
  lvl('pgd', 48, 9), lvl('p4d', 39, 9), lvl('pud', 30, 9, true), lvl('pmd', 21, 9, true), lvl('pte', 12, 9),
], 8, 57);

/** The geometry of a machine. */
export function pagingGeometry(arch: 'x86_64' | 'i386', opts: { pae?: boolean; la57?: boolean }): PagingGeometry {
  if (arch === 'i386') return opts.pae ? GEOMETRY_I386_PAE : GEOMETRY_I386;
  return opts.la57 ? GEOMETRY_X86_64_LA57 : GEOMETRY_X86_64;
}

// ---- entry bits (arch/x86/include/asm/pgtable_types.h) ----

/** Bit numbers of an x86 page-table entry (_PAGE_BIT_*). */
export const _PAGE_BIT = {
  PRESENT: 0,
  RW: 1,
  USER: 2,
  PWT: 3,
  PCD: 4,
  ACCESSED: 5,
  DIRTY: 6,
  PSE: 7,
  PAT: 7,
  GLOBAL: 8,
  SOFTW1: 9,
  SPECIAL: 9,
  SOFTW2: 10,
  SOFTW3: 11,
  SOFT_DIRTY: 11,
  PAT_LARGE: 12,
  NX: 63,
} as const;

/** Low-word masks of the entry bits (_PAGE_*). NX lives in the high word: {@link _PAGE_NX_HI}. */
export const _PAGE_PRESENT = 0x001;
export const _PAGE_RW = 0x002;
export const _PAGE_USER = 0x004;
export const _PAGE_PWT = 0x008;
export const _PAGE_PCD = 0x010;
export const _PAGE_ACCESSED = 0x020;
export const _PAGE_DIRTY = 0x040;
export const _PAGE_PSE = 0x080;
export const _PAGE_GLOBAL = 0x100;
/** PROT_NONE marker: bit 8 when PRESENT is clear (_PAGE_PROTNONE = _PAGE_GLOBAL). */
export const _PAGE_PROTNONE = 0x100;
/** Software bit: a "special" mapping (the zero page, pfn maps) with no struct page refcount. */
export const _PAGE_SPECIAL = 0x200;
/** NX as a mask of the high word (bit 63 = bit 31 of the high word). */
export const _PAGE_NX_HI = 0x80000000;
/** Low-word bits that are flags (everything below bit 12). */
export const PTE_FLAGS_LO = 0xfff;
/** pfn bits 32..51 in the high word. */
export const PTE_PFN_HI_MASK = 0x000fffff;

/** _PAGE_TABLE: what a non-leaf entry carries (present, RW, user, accessed, dirty). */
export const _PAGE_TABLE = _PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED | _PAGE_DIRTY;
/** _KERNPG_TABLE: a kernel non-leaf entry (no user bit). */
export const _KERNPG_TABLE = _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY;

/** Names of the low-word flags, in bit order, as ptdump-like decoders print them. */
const FLAG_NAMES: [number, string][] = [
  [_PAGE_PRESENT, 'present'], [_PAGE_RW, 'rw'], [_PAGE_USER, 'user'], [_PAGE_PWT, 'pwt'],
  [_PAGE_PCD, 'pcd'], [_PAGE_ACCESSED, 'accessed'], [_PAGE_DIRTY, 'dirty'], [_PAGE_PSE, 'pse'],
  [_PAGE_GLOBAL, 'global'], [_PAGE_SPECIAL, 'special'],
];

/**
 * Decodes an entry into flag names. At the PTE level bit 7 is PAT, not PSE; a non-present entry
 * with bit 8 set is PROT_NONE.
 */
export function decodeEntry(lo: number, hi: number, level: LevelName): string[] {
  const out: string[] = [];
  const present = (lo & _PAGE_PRESENT) !== 0;
  for (const [m, n] of FLAG_NAMES) {
    if (!(lo & m)) continue;
    if (m === _PAGE_PSE && level === 'pte') out.push('pat');
    else if (m === _PAGE_GLOBAL && !present) out.push('protnone');
    else out.push(n);
  }
  if (hi & _PAGE_NX_HI) out.push('nx');
  return out;
}

/** The pfn field of an entry (bits 12..51; bits 12..31 without PAE). */
export function entryPfn(lo: number, hi: number): number {
  return (lo >>> 12) + (hi & PTE_PFN_HI_MASK) * 1048576;
}

/** An entry's value as hex digits (16 for 64-bit entries, 8 for 32-bit). */
export function entryHex(lo: number, hi: number, entryBytes: 4 | 8): string {
  const l = (lo >>> 0).toString(16).padStart(8, '0');
  return entryBytes === 8 ? (hi >>> 0).toString(16).padStart(8, '0') + l : l;
}

/** Page-table index of `vaddr` at `level` (works for signed-64 kernel addresses). */
export function pgIndex(vaddr: number, level: PagingLevel): number {
  return Math.floor(vaddr / level.size) & (level.ptrs - 1);
}

/** True when `vaddr` is canonical for the geometry (sign-extended from bit va_bits − 1). */
export function isCanonical(g: PagingGeometry, vaddr: number): boolean {
  if (g.va_bits === 32) return vaddr >= 0 && vaddr < 2 ** 32;
  return vaddr >= -g.half && vaddr < g.half;
}

// ---- page-table pages in physical memory ----

const CHUNK_PAGES = 1 << 18; // PhysMem keeps RAM in 1 GiB chunks

/**
 * Word access to page-table pages stored in physical memory. Entries are read and written as
 * 32-bit words through a Uint32Array over each 1 GiB chunk of RAM, so a walk costs a few typed
 * array reads and no allocation.
 */
export class TableMemory {
  /** Word views of the 1 GiB chunks of RAM, by chunk number (filled on first use). */
  readonly views: (Uint32Array | undefined)[] = [];
  private bytes: (Uint8Array | undefined)[] = [];
  /** Words per entry (1 or 2). */
  readonly ew: number;
  constructor(readonly mem: PhysMem, readonly g: PagingGeometry) {
    this.ew = g.entryWords;
  }

  /** Materialises page `pfn` (zeros if it held no content) and returns the chunk's word view. */
  view(pfn: number): Uint32Array {
    const c = Math.floor(pfn / CHUNK_PAGES);
    let v = this.views[c];
    if (v === undefined) {
      const page = this.mem.pageForWrite(pfn);
      if (page.byteOffset !== (pfn - c * CHUNK_PAGES) * 4096) throw new VmBugError('pgtable: physical memory is not laid out in 1 GiB chunks');
      v = this.views[c] = new Uint32Array(page.buffer, 0, page.buffer.byteLength >>> 2);
      this.bytes[c] = new Uint8Array(page.buffer);
    }
    return v;
  }

  /** The byte view of the chunk holding `pfn` (which must hold content) and the page's offset. */
  chunkBytes(pfn: number): Uint8Array {
    const c = Math.floor(pfn / CHUNK_PAGES);
    let b = this.bytes[c];
    if (b === undefined) {
      this.view(pfn);
      b = this.bytes[c]!;
    }
    return b;
  }

  /** Word index of entry `idx` of table page `pfn` within its chunk view. */
  base(pfn: number): number {
    return (pfn % CHUNK_PAGES) * 1024;
  }

  /** Clears a freshly allocated table page and makes it resident. */
  initTable(pfn: number): void {
    this.mem.clearPage(pfn);
    this.mem.pageForWrite(pfn);
    this.view(pfn);
  }

  /** Low word of entry `idx` of table `pfn`. */
  lo(pfn: number, idx: number): number {
    return this.view(pfn)[(pfn % CHUNK_PAGES) * 1024 + idx * this.ew];
  }
  /** High word of entry `idx` (0 for 32-bit entries). */
  hi(pfn: number, idx: number): number {
    return this.ew === 2 ? this.view(pfn)[(pfn % CHUNK_PAGES) * 1024 + idx * 2 + 1] : 0;
  }
  /** Writes entry `idx` of table `pfn`. */
  set(pfn: number, idx: number, lo: number, hi: number): void {
    const v = this.view(pfn);
    const w = (pfn % CHUNK_PAGES) * 1024 + idx * this.ew;
    v[w] = lo;
    if (this.ew === 2) v[w + 1] = hi;
  }
  /** Sets bits in the low word of an entry (the CPU setting accessed/dirty). */
  orLo(pfn: number, idx: number, bits: number): void {
    const v = this.view(pfn);
    v[(pfn % CHUNK_PAGES) * 1024 + idx * this.ew] |= bits;
  }
  /** Entries per table page at a level. */
  ptrs(level: PagingLevel): number {
    return level.ptrs;
  }
}

/** Builds entry words for a pfn and flags. `nx` is ignored on 32-bit entries. */
export function mkEntry(pfn: number, flagsLo: number, nx: boolean, entryBytes: 4 | 8): [number, number] {
  const lo = (((pfn % 1048576) * 4096) | flagsLo) >>> 0;
  if (entryBytes === 4) return [lo, 0];
  const hi = ((Math.floor(pfn / 1048576) & PTE_PFN_HI_MASK) | (nx ? _PAGE_NX_HI : 0)) >>> 0;
  return [lo, hi];
}
