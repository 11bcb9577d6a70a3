/**
 * A minimal file backing for file mappings.
 *
 * Mirrors: include/linux/fs.h (struct inode, struct address_space: i_pages, i_mmap, nrpages),
 * mm/filemap.c (filemap_fault: a cache hit is a minor fault, a miss reads the page and is
 * major; faults beyond EOF raise SIGBUS).
 * Models: an in-memory file (path, inode number, device, size, bytes) with its page cache: a
 * map from page index to pfn. A missing page is "read" from the file's bytes into a freshly
 * allocated page (the fault is then VM_FAULT_MAJOR and costs one disk read); a page stays in the
 * cache holding one reference until the file is dropped. Shared writable mappings write into
 * the cached page and mark it dirty.
 * A shmem file (shared anonymous memory, mm/shmem.c shmem_fault) has no backing store: a missing
 * page is allocated zeroed and the fault stays minor.
 * Simplifies: no readahead, no LRU, no writeback (the page cache owner of a later issue replaces
 * this); files are created with `createFile`, not through a filesystem.
 * See: chapter 08 (file mappings and faults).
 */
import { KernelError, VmBugError } from '../base/errors.js';
import { vmstatAdd } from '../arch/x86/mmu.js';
import { pagesOf, put_page } from './memory.js';
import type { System } from '../system.js';
import type { Vma } from './mmap.js';
import { MappingTable } from './rmap.js';

/** struct address_space of a file. */
export class AddressSpace {
  /** Handle in the mapping table (page->mapping = id * 2). */
  id = 0;
  /** Cached pages: page index → pfn (i_pages). */
  readonly i_pages = new Map<number, number>();
  /** VMAs mapping the file (i_mmap). */
  readonly i_mmap = new Set<Vma>();
  constructor(readonly host: SimFile) {}
  /** Pages in the cache. */
  get nrpages(): number {
    return this.i_pages.size;
  }
}

/** A file that can be mapped. */
export class SimFile {
  readonly i_mapping: AddressSpace;
  constructor(
    /** Path as /proc/PID/maps prints it. */
    readonly path: string,
    /** Inode number. */
    readonly ino: number,
    /** Device major:minor, e.g. 8:1 (printed as 08:01). */
    readonly dev: [number, number],
    /** The file's bytes (its size is their length). */
    public data: Uint8Array,
  ) {
    this.i_mapping = new AddressSpace(this);
  }
  /** An unlinked file (shared anonymous memory): its pages go when its last mapping does. */
  deleted = false;
  /**
   * A shmem (tmpfs) file, as shared anonymous memory is: a missing page is a new zeroed page
   * (shmem_fault, a minor fault) rather than a read from disk; its pages are swap-backed
   * (PG_swapbacked, NR_SHMEM, MM_SHMEMPAGES).
   */
  shmem = false;
  /** i_size. */
  get size(): number {
    return this.data.length;
  }
}

let nextIno = 1048577;

/** Creates a file of `size` bytes (or with the given bytes) that tasks can mmap. */
export function createFile(sys: System, path: string, content: number | Uint8Array, dev: [number, number] = [8, 1]): SimFile {
  if (typeof path !== 'string' || !path.startsWith('/')) throw new KernelError(`createFile: '${path}' is not an absolute path`, 'EINVAL');
  const data = typeof content === 'number' ? new Uint8Array(content) : content;
  const f = new SimFile(path, nextIno++, dev, data);
  const table = sys.mappings;
  f.i_mapping.id = table.addSpace(f.i_mapping);
  return f;
}

/** page->mapping value for a file page (see MappingTable.fileMapping). */
export const fileMapping = MappingTable.fileMapping;

/**
 * truncate_inode_pages for a deleted file whose last mapping went: every cached page loses the
 * cache's reference (and is freed), and the address_space leaves the mapping table.
 */
export function evict_deleted_file(sys: System, f: SimFile): void {
  const as = f.i_mapping;
  if (!f.deleted || as.i_mmap.size) return;
  const pages = pagesOf(sys);
  for (const pfn of as.i_pages.values()) {
    if (pages.mapcount[pfn] !== 0) throw new VmBugError('truncate: page cache page still mapped', `pfn ${pfn}`);
    vmstatAdd(sys, 'nr_file_pages', -1, pfn);
    if (f.shmem) vmstatAdd(sys, 'nr_shmem', -1, pfn);
    put_page(sys, pfn);
  }
  as.i_pages.clear();
  sys.mappings.remove(as.id);
}
