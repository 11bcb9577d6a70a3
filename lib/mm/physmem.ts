/**
 * The bytes of physical memory.
 *
 * Mirrors: nothing in mm/ (it is the RAM itself); the kernel reaches it through the direct
 * map (`__va`), kmap and the MMU.
 * Models: byte-addressable physical memory with real content, so data survives everything that
 * moves a page (swap, writeback, migration, compaction, copy-on-write) and tests can prove it.
 * Storage is sparse: 1 GiB chunks created on first write, and a per-page "written" state so
 * that a page that was never written (or was cleared with {@link PhysMem.clearPage}) reads as
 * zeros without costing host memory; a cleared page is zero-filled only when it is written again.
 * 8-byte pointers (the slab allocator's free pointers) are read and written as two aligned
 * 32-bit words through an Int32Array view of each chunk.
 * Owed stores: the slab allocator's free path does not write the free pointer into the freed
 * object at once. It keeps the value in its own records and marks the page as owed (`owe`), like
 * a write-back cache holding a dirty line. Before anything reads, writes or clears an owed page
 * through this class, the page's settler (the slab allocator, `setSettler`) writes every
 * pointer it owes that page, so no reader can see the difference; the free path then does not
 * touch a random line of host memory on every free.
 * Simplifies: no ECC, no cache; content of freed pages is kept (as in real RAM), which is why
 * __GFP_ZERO matters. Only slab pages may be owed, and the slab allocator settles a slab's pages
 * before they go back to the buddy allocator, because page-table and user-memory code reach
 * their pages through views of their own, not through these methods.
 */

const CHUNK_SHIFT = 30;
const CHUNK_BYTES = 1 << CHUNK_SHIFT;
const PAGE_SHIFT = 12;
const PAGE_SIZE = 4096;
const PAGES_PER_CHUNK_SHIFT = CHUNK_SHIFT - PAGE_SHIFT;
/** A little-endian host: a pointer's low word comes first, as on x86-64. */
const HOST_LE = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const NO_WORDS = new Int32Array(0);
/** `written` of a page that was cleared: it reads as zeros but its bytes are old. */
const PAGE_STALE = 2;
/** `written` of a page with content to which the settler still owes pointer stores. */
const PAGE_OWED = 3;

/** Physical memory content. One per System. */
export class PhysMem {
  /** Bytes of physical address space covered. */
  readonly size: number;
  private chunks: (Uint8Array | undefined)[];
  /**
   * Per page: 1 when it holds content in its chunk, PAGE_OWED when it holds content and the
   * settler owes it stores; otherwise it reads as zeros, and its bytes in the chunk are zero
   * already (0: never written; a new chunk is zero-filled by the host) or stale (PAGE_STALE:
   * cleared since it was written) and are zeroed when it is next written.
   */
  private written: Uint8Array;
  /** Number of pages that currently hold content (host memory in use / 4 KiB). */
  pagesWithContent = 0;
  /** A 32-bit view of each chunk (an empty one until the chunk exists), for pointers. */
  private words: Int32Array[];
  /** Pages in state PAGE_OWED. */
  owedPages = 0;
  /** Writes what it owes page `pfn` (set by the slab allocator; see `setSettler`). */
  private settler: ((pfn: number) => void) | null = null;

  constructor(sizeBytes: number) {
    this.size = sizeBytes;
    this.chunks = new Array(Math.ceil(sizeBytes / CHUNK_BYTES));
    this.words = Array.from({ length: this.chunks.length }, () => NO_WORDS);
    this.written = new Uint8Array(Math.ceil(sizeBytes / PAGE_SIZE));
  }

  // ---- owed stores (see the module header) ---------------------------------------------------

  /** Sets the function that writes the stores owed to a page (one settler per PhysMem). */
  setSettler(fn: (pfn: number) => void): void {
    this.settler = fn;
  }

  /**
   * Marks page `pfn` as owed stores by the settler, and returns true; returns false (and marks
   * nothing) when the page has no content, where the caller must store directly.
   */
  owe(pfn: number): boolean {
    const w = this.written[pfn];
    if (w === PAGE_OWED) return true;
    if (w !== 1 || this.settler === null) return false;
    this.written[pfn] = PAGE_OWED;
    this.owedPages++;
    return true;
  }

  /** True if the settler owes page `pfn` stores (for validators). */
  isOwed(pfn: number): boolean {
    return this.written[pfn] === PAGE_OWED;
  }

  /** Has the settler write what it owes page `pfn`, if anything (before the page is accessed). */
  settle(pfn: number): void {
    if (this.written[pfn] !== PAGE_OWED) return;
    // The page is plain content again first, so the settler's own stores take the direct path.
    this.written[pfn] = 1;
    this.owedPages--;
    this.settler!(pfn);
  }

  // ---- pages ----------------------------------------------------------------------------------

  /** True if page `pfn` has ever been written since it was last cleared. */
  hasContent(pfn: number): boolean {
    const w = this.written[pfn];
    return w === 1 || w === PAGE_OWED;
  }

  /** The 4 KiB of page `pfn`, materialised (zeros on first touch), for reading and writing. */
  pageForWrite(pfn: number): Uint8Array {
    return this.materialise(pfn);
  }

  /** The page's bytes in its chunk, with every owed store written and content from now on. */
  private materialise(pfn: number): Uint8Array {
    const c = pfn >>> PAGES_PER_CHUNK_SHIFT;
    let chunk = this.chunks[c];
    if (!chunk) {
      chunk = this.chunks[c] = new Uint8Array(Math.min(CHUNK_BYTES, this.size - c * CHUNK_BYTES));
      this.words[c] = new Int32Array(chunk.buffer, 0, chunk.byteLength >>> 2);
    }
    const off = (pfn - c * (1 << PAGES_PER_CHUNK_SHIFT)) * PAGE_SIZE;
    const page = chunk.subarray(off, off + PAGE_SIZE);
    const w = this.written[pfn];
    if (w === PAGE_OWED) this.settle(pfn);
    else if (w !== 1) {
      if (w === PAGE_STALE) page.fill(0);
      this.written[pfn] = 1;
      this.pagesWithContent++;
    }
    return page;
  }

  /** The 4 KiB of page `pfn` for reading, or null when the page reads as zeros. */
  pageIfWritten(pfn: number): Uint8Array | null {
    const w = this.written[pfn];
    if (w === PAGE_OWED) this.settle(pfn);
    else if (w !== 1) return null;
    const c = pfn >>> PAGES_PER_CHUNK_SHIFT;
    const off = (pfn - c * (1 << PAGES_PER_CHUNK_SHIFT)) * PAGE_SIZE;
    return this.chunks[c]!.subarray(off, off + PAGE_SIZE);
  }

  /** Makes `nr` pages from `pfn` read as zeros without touching host memory (clear_page). */
  clearPage(pfn: number, nr = 1): void {
    for (let p = pfn; p < pfn + nr; p++) {
      // What is owed is written first: the settler forgets it, and the clear wins.
      this.settle(p);
      if (this.written[p] === 1) {
        this.written[p] = PAGE_STALE;
        this.pagesWithContent--;
      }
    }
  }

  /** Copies page `src` to page `dst` (copy_page / copy_highpage). */
  copyPage(dst: number, src: number): void {
    const s = this.pageIfWritten(src);
    if (!s) this.clearPage(dst);
    else this.pageForWrite(dst).set(s);
  }

  /** Reads one byte at a physical address. */
  readByte(phys: number): number {
    const pfn = Math.floor(phys / PAGE_SIZE);
    const p = this.pageIfWritten(pfn);
    return p ? p[phys - pfn * PAGE_SIZE] : 0;
  }

  /** Writes one byte at a physical address. */
  writeByte(phys: number, v: number): void {
    const pfn = Math.floor(phys / PAGE_SIZE);
    this.pageForWrite(pfn)[phys - pfn * PAGE_SIZE] = v;
  }

  /** Reads `len` bytes from a physical address (may cross pages). */
  read(phys: number, len: number): Uint8Array {
    const out = new Uint8Array(len);
    let done = 0;
    while (done < len) {
      const a = phys + done;
      const pfn = Math.floor(a / PAGE_SIZE);
      const off = a - pfn * PAGE_SIZE;
      const n = Math.min(len - done, PAGE_SIZE - off);
      const p = this.pageIfWritten(pfn);
      if (p) out.set(p.subarray(off, off + n), done);
      done += n;
    }
    return out;
  }

  /** Writes bytes at a physical address (may cross pages). */
  write(phys: number, data: Uint8Array): void {
    let done = 0;
    while (done < data.length) {
      const a = phys + done;
      const pfn = Math.floor(a / PAGE_SIZE);
      const off = a - pfn * PAGE_SIZE;
      const n = Math.min(data.length - done, PAGE_SIZE - off);
      this.pageForWrite(pfn).set(data.subarray(done, done + n), off);
      done += n;
    }
  }

  /** Fills `len` bytes at a physical address with `v` (memset). */
  fill(phys: number, v: number, len: number): void {
    let done = 0;
    while (done < len) {
      const a = phys + done;
      const pfn = Math.floor(a / PAGE_SIZE);
      const off = a - pfn * PAGE_SIZE;
      const n = Math.min(len - done, PAGE_SIZE - off);
      if (v === 0 && off === 0 && n === PAGE_SIZE) this.clearPage(pfn);
      else this.pageForWrite(pfn).fill(v, off, off + n);
      done += n;
    }
  }

  // ---- 8-byte pointers ---------------------------------------------------------------------

  /** Reads the little-endian 8-byte pointer at `phys` (0 when its page reads as zeros). */
  readPtr(phys: number): number {
    const pfn = Math.floor(phys / PAGE_SIZE);
    if (this.written[pfn] === PAGE_OWED) this.settle(pfn);
    const c = Math.floor(phys / CHUNK_BYTES);
    const off = phys - c * CHUNK_BYTES;
    if (HOST_LE && (off & 7) === 0 && this.written[pfn] === 1) {
      const w = this.words[c];
      return w[(off >>> 2) + 1] * 4294967296 + (w[off >>> 2] >>> 0);
    }
    const b = this.read(phys, 8);
    const lo = (b[0] | b[1] << 8 | b[2] << 16 | b[3] << 24) >>> 0;
    return (b[4] | b[5] << 8 | b[6] << 16 | b[7] << 24) * 4294967296 + lo;
  }

  /** Writes the 8-byte pointer `v` at `phys`, little-endian (after what is owed to its page). */
  writePtr(phys: number, v: number): void {
    const pfn = Math.floor(phys / PAGE_SIZE);
    if (this.written[pfn] === PAGE_OWED) this.settle(pfn);
    this.storePtr(phys, v);
  }

  /**
   * Writes `n` pointers: `v0` at `phys`, `v0 + step` at `phys + stride`, and so on (a new slab's
   * freelist). The run must lie in one chunk when it takes the two-word path.
   */
  writePtrRun(phys: number, stride: number, n: number, v0: number, step: number): void {
    if (n <= 0) return;
    const c = Math.floor(phys / CHUNK_BYTES);
    const off = phys - c * CHUNK_BYTES;
    const end = off + (n - 1) * stride;
    let whole = HOST_LE && (off & 7) === 0 && (stride & 7) === 0 && end + 8 <= CHUNK_BYTES;
    for (let p = Math.floor(phys / PAGE_SIZE), last = Math.floor((phys + (n - 1) * stride) / PAGE_SIZE); whole && p <= last; p++) {
      if (this.written[p] === PAGE_OWED) this.settle(p);
      if (this.written[p] !== 1) whole = false;
    }
    if (!whole) {
      for (let k = 0; k < n; k++) this.storePtr(phys + k * stride, v0 + k * step);
      return;
    }
    const w = this.words[c];
    const dw = stride >>> 2;
    let v = v0;
    for (let k = 0, wi = off >>> 2; k < n; k++, wi += dw, v += step) {
      w[wi] = v;
      w[wi + 1] = Math.floor(v / 4294967296);
    }
  }

  /** The store itself: two aligned words on a little-endian host, else eight bytes. */
  private storePtr(phys: number, v: number): void {
    const pfn = Math.floor(phys / PAGE_SIZE);
    const c = Math.floor(phys / CHUNK_BYTES);
    const off = phys - c * CHUNK_BYTES;
    const hi = Math.floor(v / 4294967296);
    if (HOST_LE && (off & 7) === 0 && this.written[pfn] === 1) {
      const w = this.words[c];
      // An Int32Array store keeps the low 32 bits of the number (ToInt32).
      w[off >>> 2] = v;
      w[(off >>> 2) + 1] = hi;
      return;
    }
    const lo = v - hi * 4294967296;
    for (let k = 0; k < 8; k++) {
      const a = phys + k;
      const p = Math.floor(a / PAGE_SIZE);
      this.materialise(p)[a - p * PAGE_SIZE] = (k < 4 ? lo / 2 ** (8 * k) : hi >>> (8 * (k - 4))) & 255;
    }
  }
}
