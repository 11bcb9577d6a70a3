/**
 * The bytes of physical memory.
 *
 * Mirrors: nothing in mm/ (it is the RAM itself); the kernel reaches it through the direct
 * map (`__va`), kmap and the MMU.
 * Models: byte-addressable physical memory with real content, so data survives everything that
 * moves a page (swap, writeback, migration, compaction, copy-on-write) and tests can prove it.
 * Storage is sparse: 1 GiB chunks created on first write, and a per-page "written" bit so that
 * a page that was never written (or was cleared with {@link PhysMem.clearPage}) reads as zeros
 * without costing host memory.
 * Simplifies: no ECC, no cache; content of freed pages is kept (as in real RAM), which is why
 * __GFP_ZERO matters.
 */

const CHUNK_SHIFT = 30;
const CHUNK_BYTES = 1 << CHUNK_SHIFT;
const PAGE_SHIFT = 12;
const PAGE_SIZE = 4096;
const PAGES_PER_CHUNK_SHIFT = CHUNK_SHIFT - PAGE_SHIFT;

/** Physical memory content. One per System. */
export class PhysMem {
  /** Bytes of physical address space covered. */
  readonly size: number;
  private chunks: (Uint8Array | undefined)[];
  /** 1 when a page holds content in its chunk; 0 means the page reads as zeros. */
  private written: Uint8Array;
  /** Number of pages that currently hold content (host memory in use / 4 KiB). */
  pagesWithContent = 0;

  constructor(sizeBytes: number) {
    this.size = sizeBytes;
    this.chunks = new Array(Math.ceil(sizeBytes / CHUNK_BYTES));
    this.written = new Uint8Array(Math.ceil(sizeBytes / PAGE_SIZE));
  }

  /** True if page `pfn` has ever been written since it was last cleared. */
  hasContent(pfn: number): boolean {
    return this.written[pfn] === 1;
  }

  /** The 4 KiB of page `pfn`, materialised (zeros on first touch), for reading and writing. */
  pageForWrite(pfn: number): Uint8Array {
    const c = pfn >>> PAGES_PER_CHUNK_SHIFT;
    let chunk = this.chunks[c];
    if (!chunk) chunk = this.chunks[c] = new Uint8Array(Math.min(CHUNK_BYTES, this.size - c * CHUNK_BYTES));
    const off = (pfn - c * (1 << PAGES_PER_CHUNK_SHIFT)) * PAGE_SIZE;
    const page = chunk.subarray(off, off + PAGE_SIZE);
    if (this.written[pfn] !== 1) {
      page.fill(0);
      this.written[pfn] = 1;
      this.pagesWithContent++;
    }
    return page;
  }

  /** The 4 KiB of page `pfn` for reading, or null when the page reads as zeros. */
  pageIfWritten(pfn: number): Uint8Array | null {
    if (this.written[pfn] !== 1) return null;
    const c = pfn >>> PAGES_PER_CHUNK_SHIFT;
    const off = (pfn - c * (1 << PAGES_PER_CHUNK_SHIFT)) * PAGE_SIZE;
    return this.chunks[c]!.subarray(off, off + PAGE_SIZE);
  }

  /** Makes `nr` pages from `pfn` read as zeros without touching host memory (clear_page). */
  clearPage(pfn: number, nr = 1): void {
    for (let p = pfn; p < pfn + nr; p++) {
      if (this.written[p] === 1) {
        this.written[p] = 0;
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
}
