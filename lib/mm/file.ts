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
 * Simplifies: no readahead, no LRU, no writeback (the page cache owner of a later issue replaces
 * this); files are created with `createFile`, not through a filesystem.
 * See: chapter 08 (file mappings and faults).
 */
import { KernelError } from '../base/errors.js';
import type { System } from '../system.js';
import type { Vma } from './mmap.js';
import type { MappingTable } from './rmap.js';

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
  const table = (sys as unknown as { mappings: MappingTable }).mappings;
  f.i_mapping.id = table.addSpace(f.i_mapping);
  return f;
}

/** page->mapping value for a file page. */
export function fileMapping(as: AddressSpace): number {
  return as.id * 2;
}
