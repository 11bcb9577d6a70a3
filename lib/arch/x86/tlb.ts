/**
 * The translation lookaside buffers and their flushes.
 *
 * Mirrors: arch/x86/mm/tlb.c (switch_mm_irqs_off, choose_new_asid, flush_tlb_mm_range,
 * flush_tlb_all, flush_tlb_kernel_range, tlb_single_page_flush_ceiling), arch/x86/include/asm/
 * tlbflush.h (TLB_NR_DYN_ASIDS, cpu_tlbstate.ctxs[]).
 * Models: a set-associative first-level data TLB for 4 KiB pages (default 64 entries, 4 ways,
 * set = vpn mod 16, true LRU within a set), separate first-level arrays for 2 MiB/4 MiB and
 * 1 GiB pages, a larger second-level TLB (STLB) for 4 KiB and 2 MiB translations; entries tagged
 * with the PCID of their address space (the kernel's dynamic ASIDs, TLB_NR_DYN_ASIDS = 6 per
 * CPU, hardware PCID = ASID + 1) or marked global for kernel mappings, which survive CR3 switches.
 * An entry caches the leaf's pfn and its permission bits (write, user, NX, dirty).
 * Simplifies: one CPU; no paging-structure caches (a miss walks every level); no PTI user PCIDs.
 * See: chapter 07 (MMU and TLB).
 */

/** TLB_NR_DYN_ASIDS: address spaces a CPU keeps tagged in its TLB at once. */
export const TLB_NR_DYN_ASIDS = 6;
/** tlb_single_page_flush_ceiling: ranges of more pages are flushed whole. */
export const TLB_SINGLE_PAGE_FLUSH_CEILING = 33;

/** Permission bits cached in a TLB entry. */
export const TLBF_WRITE = 1;
export const TLBF_DIRTY = 2;
export const TLBF_USER = 4;
export const TLBF_NX = 8;
export const TLBF_GLOBAL = 16;

/** The tag of global entries (matches every ASID). */
export const ASID_GLOBAL = 255;

/** Geometry of one TLB array. */
export interface TlbArrayConfig {
  /** Entries in total. */
  entries: number;
  /** Ways per set (entries = sets × ways; sets must be a power of two). */
  ways: number;
}

/** TLB configuration (all optional when given to createSystem-level options). */
export interface TlbConfig {
  /** L1 dTLB for 4 KiB pages (default 64 entries, 4-way). */
  l1_4k: TlbArrayConfig;
  /** L1 dTLB for 2 MiB / 4 MiB pages (default 32 entries, 4-way). */
  l1_2m: TlbArrayConfig;
  /** L1 dTLB for 1 GiB pages (default 4 entries, fully associative). */
  l1_1g: TlbArrayConfig;
  /** Second-level TLB for 4 KiB and 2 MiB pages (default 1536 entries, 12-way); entries 0 = none. */
  l2: TlbArrayConfig;
  /** Use PCIDs (default true): a context switch keeps other address spaces' entries. */
  pcid: boolean;
}

/** The default TLB: a 64-entry 4-way L1 dTLB as in WORKLOADS.md W2, plus STLB and huge arrays. */
export const DEFAULT_TLB_CONFIG: TlbConfig = {
  l1_4k: { entries: 64, ways: 4 },
  l1_2m: { entries: 32, ways: 4 },
  l1_1g: { entries: 4, ways: 4 },
  l2: { entries: 1536, ways: 12 },
  pcid: true,
};

/**
 * One set-associative array of translations for one page size. Keys are page numbers of that
 * size (vaddr / 2^shift, which may be negative for kernel addresses); an empty way holds NaN.
 */
export class TlbArray {
  readonly sets: number;
  readonly ways: number;
  readonly setMask: number;
  /** Page number of each way (NaN = invalid). */
  readonly key: Float64Array;
  /** Page shift of the translation held (12, 21, 22 or 30); the STLB mixes sizes. */
  readonly shift: Uint8Array;
  /** ASID tag (ASID_GLOBAL for global entries). */
  readonly asid: Uint8Array;
  /** First pfn of the page mapped. */
  readonly pfn: Float64Array;
  /** TLBF_* bits. */
  readonly flags: Uint8Array;
  /** LRU stamps. */
  readonly lru: Float64Array;
  private stamp = 0;
  /** Valid entries (lookups of an empty array are skipped). */
  valid = 0;

  constructor(readonly name: string, cfg: TlbArrayConfig) {
    const sets = cfg.entries / cfg.ways;
    if (!Number.isInteger(sets) || sets < 1 || (sets & (sets - 1)) !== 0) throw new RangeError(`tlb ${name}: ${cfg.entries} entries / ${cfg.ways} ways is not a power-of-two number of sets`);
    this.sets = sets;
    this.ways = cfg.ways;
    this.setMask = sets - 1;
    const n = cfg.entries;
    this.key = new Float64Array(n).fill(NaN);
    this.shift = new Uint8Array(n);
    this.asid = new Uint8Array(n);
    this.pfn = new Float64Array(n);
    this.flags = new Uint8Array(n);
    this.lru = new Float64Array(n);
  }

  /** Number of ways (entries). */
  get size(): number {
    return this.key.length;
  }

  /** Index of the matching way, or -1. Touches LRU on a hit. */
  lookup(key: number, shift: number, asid: number): number {
    if (this.valid === 0) return -1;
    const base = (key & this.setMask) * this.ways;
    for (let i = base; i < base + this.ways; i++) {
      if (this.key[i] === key && this.shift[i] === shift) {
        const a = this.asid[i];
        if (a === asid || a === ASID_GLOBAL) {
          this.lru[i] = ++this.stamp;
          return i;
        }
      }
    }
    return -1;
  }

  /** Marks way `i` most recently used. */
  touch(i: number): void {
    this.lru[i] = ++this.stamp;
  }

  /** Inserts a translation, replacing an invalid way or the least recently used one. */
  insert(key: number, shift: number, asid: number, pfn: number, flags: number): number {
    const base = (key & this.setMask) * this.ways;
    let victim = base;
    let best = Infinity;
    for (let i = base; i < base + this.ways; i++) {
      if (this.key[i] === key && this.shift[i] === shift && this.asid[i] === asid) {
        victim = i;
        break;
      }
      if (this.key[i] !== this.key[i]) {
        // NaN: an empty way wins over any LRU victim (first empty one)
        if (best !== -1) {
          victim = i;
          best = -1;
        }
        continue;
      }
      if (best !== -1 && this.lru[i] < best) {
        best = this.lru[i];
        victim = i;
      }
    }
    if (this.key[victim] !== this.key[victim]) this.valid++;
    this.key[victim] = key;
    this.shift[victim] = shift;
    this.asid[victim] = asid;
    this.pfn[victim] = pfn;
    this.flags[victim] = flags;
    this.lru[victim] = ++this.stamp;
    return victim;
  }

  /** Invalidates entries: all, all non-global, one ASID's, or those covering one address. */
  invalidate(pred: (i: number) => boolean): number {
    let n = 0;
    for (let i = 0; i < this.key.length; i++) {
      if (this.key[i] === this.key[i] && pred(i)) {
        this.key[i] = NaN;
        this.valid--;
        n++;
      }
    }
    return n;
  }

  /** Valid entries as plain objects (for views and validators). */
  entries(): TlbEntrySnapshot[] {
    const out: TlbEntrySnapshot[] = [];
    for (let i = 0; i < this.key.length; i++) {
      const set = Math.floor(i / this.ways);
      const way = i - set * this.ways;
      if (this.key[i] !== this.key[i]) {
        out.push({ set, way, valid: false, vpn: 0, vaddr: 0, shift: 0, asid: 0, pfn: 0, flags: [], lru: 0 });
        continue;
      }
      const f = this.flags[i];
      const names: string[] = [];
      if (f & TLBF_WRITE) names.push('rw');
      if (f & TLBF_DIRTY) names.push('dirty');
      if (f & TLBF_USER) names.push('user');
      if (f & TLBF_NX) names.push('nx');
      if (f & TLBF_GLOBAL) names.push('global');
      out.push({
        set, way, valid: true, vpn: this.key[i], vaddr: this.key[i] * 2 ** this.shift[i], shift: this.shift[i],
        asid: this.asid[i] === ASID_GLOBAL ? -1 : this.asid[i], pfn: this.pfn[i], flags: names, lru: this.lru[i],
      });
    }
    return out;
  }
}

/** One TLB way as views and validators see it. */
export interface TlbEntrySnapshot {
  set: number;
  way: number;
  valid: boolean;
  /** Page number (of the entry's size). */
  vpn: number;
  /** First virtual address covered. */
  vaddr: number;
  /** Page shift (12 = 4 KiB, 21 = 2 MiB, 22 = 4 MiB, 30 = 1 GiB). */
  shift: number;
  /** ASID (−1 = global). */
  asid: number;
  pfn: number;
  flags: string[];
  /** LRU stamp (higher = more recent). */
  lru: number;
}

/** Counters of one CPU's TLB. */
export interface TlbStats {
  /** L1 lookups (every access). */
  lookups: number;
  /** L1 hits. */
  l1_hits: number;
  /** L1 misses that hit in the STLB. */
  l2_hits: number;
  /** Misses in both levels (each costs a page walk). */
  misses: number;
  /** Page walks (misses, plus write hits on clean entries that must set the dirty bit). */
  walks: number;
  /** Full flushes (flush_tlb_all, local flushes of a whole ASID). */
  full_flushes: number;
  /** Single-page invalidations (INVLPG). */
  page_flushes: number;
  /** CR3 writes (switch_mm) and how many of them had to flush. */
  switches: number;
  switch_flushes: number;
}

/** One dynamic-ASID slot (cpu_tlbstate.ctxs[i]). */
interface AsidSlot {
  ctx_id: number;
  tlb_gen: number;
}

/** Snapshot of the TLB for views. */
export interface TlbSnapshot {
  config: TlbConfig;
  stats: TlbStats;
  /** L1 hit rate (l1_hits / lookups). */
  l1_hit_rate: number;
  /** Hit rate of both levels together. */
  hit_rate: number;
  /** ASID currently loaded (CR3's PCID − 1). */
  loaded_asid: number;
  /** The dynamic ASID slots: which mm context each holds. */
  asids: { asid: number; pcid: number; ctx_id: number; tlb_gen: number }[];
  arrays: { name: string; sets: number; ways: number; entries: TlbEntrySnapshot[] }[];
}

/** The TLBs of the (single) simulated CPU. */
export class Tlb {
  readonly config: TlbConfig;
  readonly l1: TlbArray;
  readonly l1_2m: TlbArray;
  readonly l1_1g: TlbArray;
  readonly l2: TlbArray | null;
  readonly stats: TlbStats = { lookups: 0, l1_hits: 0, l2_hits: 0, misses: 0, walks: 0, full_flushes: 0, page_flushes: 0, switches: 0, switch_flushes: 0 };
  /** cpu_tlbstate.ctxs: which mm context each ASID slot holds. */
  readonly slots: AsidSlot[] = [];
  /** cpu_tlbstate.next_asid. */
  private next_asid = 1;
  /** The ASID currently loaded. */
  loaded_asid = 0;
  /** ctx_id of the mm currently loaded (0 = none). */
  loaded_ctx = 0;

  constructor(cfg: Partial<TlbConfig> = {}) {
    this.config = { ...DEFAULT_TLB_CONFIG, ...cfg };
    this.l1 = new TlbArray('dTLB-4K', this.config.l1_4k);
    this.l1_2m = new TlbArray('dTLB-2M', this.config.l1_2m);
    this.l1_1g = new TlbArray('dTLB-1G', this.config.l1_1g);
    this.l2 = this.config.l2.entries > 0 ? new TlbArray('STLB', this.config.l2) : null;
    for (let i = 0; i < TLB_NR_DYN_ASIDS; i++) this.slots.push({ ctx_id: 0, tlb_gen: 0 });
  }

  private arrays(): TlbArray[] {
    return this.l2 ? [this.l1, this.l1_2m, this.l1_1g, this.l2] : [this.l1, this.l1_2m, this.l1_1g];
  }

  /**
   * Loads an address space (switch_mm_irqs_off): reuses its ASID when a slot still holds its
   * context at the current generation, else takes the next slot round-robin and flushes that
   * ASID (choose_new_asid). Without PCID every switch flushes all non-global entries.
   */
  switch_mm(ctx_id: number, tlb_gen: number): void {
    if (ctx_id === this.loaded_ctx) return;
    this.stats.switches++;
    this.loaded_ctx = ctx_id;
    if (!this.config.pcid) {
      this.loaded_asid = 0;
      this.flushAsid(0);
      this.stats.switch_flushes++;
      return;
    }
    for (let a = 0; a < TLB_NR_DYN_ASIDS; a++) {
      const s = this.slots[a];
      if (s.ctx_id === ctx_id) {
        this.loaded_asid = a;
        if (s.tlb_gen < tlb_gen) {
          this.flushAsid(a);
          s.tlb_gen = tlb_gen;
          this.stats.switch_flushes++;
        }
        return;
      }
    }
    let a = this.next_asid++;
    if (a >= TLB_NR_DYN_ASIDS) {
      a = 0;
      this.next_asid = 1;
    }
    this.slots[a].ctx_id = ctx_id;
    this.slots[a].tlb_gen = tlb_gen;
    this.loaded_asid = a;
    this.flushAsid(a);
    this.stats.switch_flushes++;
  }

  /** The ASID slot holding context `ctx_id`, or −1. */
  asidOf(ctx_id: number): number {
    if (!this.config.pcid) return ctx_id === this.loaded_ctx ? 0 : -1;
    for (let a = 0; a < TLB_NR_DYN_ASIDS; a++) if (this.slots[a].ctx_id === ctx_id) return a;
    return -1;
  }

  /** Forgets a context (its mm was destroyed): its slot and entries go. */
  forget(ctx_id: number): void {
    const a = this.asidOf(ctx_id);
    if (a >= 0) {
      this.flushAsid(a);
      if (this.config.pcid) this.slots[a].ctx_id = 0;
    }
    if (this.loaded_ctx === ctx_id) this.loaded_ctx = 0;
  }

  /** Drops every non-global entry of an ASID. */
  flushAsid(asid: number): void {
    this.stats.full_flushes++;
    for (const t of this.arrays()) t.invalidate((i) => t.asid[i] === asid);
  }

  /** INVLPG for one address of an ASID (global entries covering it go too, as INVLPG does). */
  flushPage(asid: number, vaddr: number): void {
    this.stats.page_flushes++;
    for (const t of this.arrays()) {
      t.invalidate((i) => {
        const a = t.asid[i];
        if (a !== asid && a !== ASID_GLOBAL) return false;
        return Math.floor(vaddr / 2 ** t.shift[i]) === t.key[i];
      });
    }
  }

  /** flush_tlb_all: every entry, global ones included. */
  flushAll(): void {
    this.stats.full_flushes++;
    for (const t of this.arrays()) t.invalidate(() => true);
  }

  /** Drops global entries covering [start, end) (flush_tlb_kernel_range). */
  flushKernelRange(start: number, end: number): void {
    const pages = (end - start) / 4096;
    if (pages > TLB_SINGLE_PAGE_FLUSH_CEILING) {
      this.flushAll();
      return;
    }
    for (const t of this.arrays()) {
      t.invalidate((i) => {
        if (t.asid[i] !== ASID_GLOBAL) return false;
        const s = t.key[i] * 2 ** t.shift[i];
        return s < end && s + 2 ** t.shift[i] > start;
      });
    }
    this.stats.page_flushes += Math.max(1, Math.ceil(pages));
  }

  /** Snapshot for views. */
  inspect(): TlbSnapshot {
    const s = this.stats;
    return {
      config: JSON.parse(JSON.stringify(this.config)) as TlbConfig,
      stats: { ...s },
      l1_hit_rate: s.lookups ? s.l1_hits / s.lookups : 0,
      hit_rate: s.lookups ? (s.l1_hits + s.l2_hits) / s.lookups : 0,
      loaded_asid: this.loaded_asid,
      asids: this.slots.map((sl, a) => ({ asid: a, pcid: a + 1, ctx_id: sl.ctx_id, tlb_gen: sl.tlb_gen })),
      arrays: this.arrays().map((t) => ({ name: t.name, sets: t.sets, ways: t.ways, entries: t.entries() })),
    };
  }
}
