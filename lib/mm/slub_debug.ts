/**
 * SLUB debugging: poisoning, red zones, user tracking and the consistency checks of slab_debug=.
 *
 * Mirrors: mm/slub.c CONFIG_SLUB_DEBUG part (init_object, check_object, check_bytes_and_report,
 * check_pad_bytes, slab_pad_check, alloc_consistency_checks, free_consistency_checks,
 * freelist_corrupted, set_track, print_tracking, print_trailer, object_err, slab_err, slab_fix,
 * list_slab_objects), lib/hexdump.c (print_hex_dump with DUMP_PREFIX_ADDRESS), kernel/panic.c
 * (the taint letters in the BUG line).
 * Models: the debug layout of an object ([left red zone] object [right red zone] [free pointer]
 * [alloc track][free track][orig size] [padding]) with real bytes: 0x6b poison ending in 0xa5,
 * 0xbb/0xcc red zones, 0x5a padding; the checks and the reports in the kernel's words, written
 * to the kernel log, and the FIX lines that restore the bytes.
 * Simplifies: addresses print unhashed (as with no_hash_pointers); a track's stack is the one
 * simulated call site; the WARN_ON that follows a report prints one line.
 * See: chapter 05 (kmalloc and debugging).
 */
import { hex, hexDigits } from '../base/format.js';
import {
  POISON_END, POISON_FREE, POISON_INUSE, SLAB_CONSISTENCY_CHECKS, SLAB_KMALLOC, SLAB_POISON, SLAB_RED_ZONE,
  SLAB_STORE_USER, SLUB_RED_ACTIVE, SLUB_RED_INACTIVE, TRACK_SIZE, WORD, __OBJECT_POISON, type KmemCache,
} from './slab.js';
import {
  OBJ_FREE, SL32, SL_CACHE, SL_INUSE, SL_OBJECTS, SL_ORDER, SL_WHERE, TAINT_BAD_PAGE, TAINT_WARN,
} from './slab.js';
import type { Slub } from './slub.js';
import { decode_page_flags } from './page_flags.js';

const PAGE_SIZE = 4096;

/** True when kmalloc's requested size is stored and the slack after it is red-zoned. */
export function slub_debug_orig_size(s: KmemCache): boolean {
  return (s.flags & (SLAB_KMALLOC | SLAB_STORE_USER | SLAB_RED_ZONE)) === (SLAB_KMALLOC | SLAB_STORE_USER | SLAB_RED_ZONE);
}

/** get_info_end(): end of the object and its free pointer, where the tracks start. */
export function get_info_end(s: KmemCache): number {
  return s.offset >= s.inuse ? s.inuse + WORD : s.inuse;
}

/** size_from_object(): the slot size as seen from the object start. */
function size_from_object(s: KmemCache): number {
  return s.flags & SLAB_RED_ZONE ? s.size - s.red_left_pad : s.size;
}

function orig_size_offset(s: KmemCache): number {
  return get_info_end(s) + 2 * TRACK_SIZE;
}

/** get_orig_size(): the size the kmalloc caller asked for. */
export function get_orig_size(sl: Slub, s: KmemCache, obj: number): number {
  if (!slub_debug_orig_size(s)) return s.object_size;
  const b = sl.host.mem.read(sl.pa(obj) + orig_size_offset(s), 4);
  const v = b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24);
  return v > 0 && v <= s.object_size ? v : s.object_size;
}

function set_orig_size(sl: Slub, s: KmemCache, obj: number, size: number): void {
  if (!slub_debug_orig_size(s)) return;
  const b = new Uint8Array(8);
  new DataView(b.buffer).setUint32(0, size, true);
  sl.host.mem.write(sl.pa(obj) + orig_size_offset(s), b);
}

/** init_object(): poison and red-zone bytes of an object that is becoming free or allocated. */
export function init_object(sl: Slub, s: KmemCache, obj: number, val: number, origSize: number): void {
  const mem = sl.host.mem;
  const p = sl.pa(obj);
  let poison_size = s.object_size;
  if (s.flags & SLAB_RED_ZONE) {
    mem.fill(p - s.red_left_pad, val, s.red_left_pad);
    if (slub_debug_orig_size(s) && val === SLUB_RED_ACTIVE) {
      set_orig_size(sl, s, obj, origSize);
      poison_size = origSize;
    }
  }
  if (s.flags & __OBJECT_POISON) {
    mem.fill(p, POISON_FREE, poison_size - 1);
    mem.fill(p + poison_size - 1, POISON_END, 1);
  }
  if (s.flags & SLAB_RED_ZONE) mem.fill(p + poison_size, val, s.inuse - poison_size);
}

/** setup_object_debug(): a new slab's object starts free (inactive red zone, poisoned). */
export function setup_object_debug(sl: Slub, s: KmemCache, obj: number): void {
  if (!(s.flags & (SLAB_STORE_USER | SLAB_RED_ZONE | __OBJECT_POISON))) return;
  init_object(sl, s, obj, SLUB_RED_INACTIVE, s.object_size);
  if (s.flags & SLAB_STORE_USER) sl.host.mem.fill(sl.pa(obj) + get_info_end(s), 0, 2 * TRACK_SIZE);
}

/** A fake kernel-text address for a simulated call site (for the track bytes). */
export function caller_ip(sl: Slub, caller: string): number {
  let h = 2166136261;
  for (let i = 0; i < caller.length; i++) h = Math.imul(h ^ caller.charCodeAt(i), 16777619);
  return sl.host.layout.kernel_text + 0x1000000 + ((h >>> 0) & 0xffffff);
}

/** set_track(): record who allocated (0) or freed (1) the object, in the object's track bytes. */
export function set_track(sl: Slub, s: KmemCache, obj: number, which: 0 | 1, caller: string): void {
  const b = new Uint8Array(TRACK_SIZE);
  const dv = new DataView(b.buffer);
  const ip = caller_ip(sl, caller);
  dv.setUint32(0, ip >>> 0, true);
  dv.setInt32(4, Math.floor(ip / 4294967296), true);
  dv.setUint32(8, 0, true);
  dv.setUint32(12, sl.cpu, true);
  dv.setInt32(16, sl.host.current?.pid ?? 0, true);
  dv.setUint32(24, sl.host.clock.jiffies >>> 0, true);
  sl.host.mem.write(sl.pa(obj) + get_info_end(s) + which * TRACK_SIZE, b);
  const info = sl.objinfo.get(obj) ?? { orig_size: s.object_size };
  if (which === 0) info.alloc = sl.track(caller);
  else info.free = sl.track(caller);
  sl.objinfo.set(obj, info);
}

/** seq_hex_dump(prefix, DUMP_PREFIX_NONE, 16, 1, bytes, ascii): rows of 16 bytes without addresses. */
export function hex_dump_plain(prefix: string, bytes: Uint8Array): string[] {
  const out: string[] = [];
  for (let i = 0; i < bytes.length; i += 16) {
    const row = bytes.subarray(i, Math.min(bytes.length, i + 16));
    let hexs = '';
    let ascii = '';
    for (let j = 0; j < row.length; j++) {
      hexs += (j ? ' ' : '') + row[j].toString(16).padStart(2, '0');
      ascii += row[j] >= 0x20 && row[j] < 0x7f ? String.fromCharCode(row[j]) : '.';
    }
    out.push(`${prefix}${hexs.padEnd(16 * 3 + 1)}${ascii}`);
  }
  return out;
}

/** print_hex_dump(KERN_ERR, prefix, DUMP_PREFIX_ADDRESS, 16, 1, addr, len, true). */
export function hex_dump(sl: Slub, prefix: string, addr: number, len: number): string[] {
  const out: string[] = [];
  const bytes = sl.host.mem.read(sl.pa(addr), Math.max(0, len));
  for (let i = 0; i < len; i += 16) {
    const row = bytes.subarray(i, Math.min(len, i + 16));
    let hexs = '';
    let ascii = '';
    for (let j = 0; j < row.length; j++) {
      hexs += (j ? ' ' : '') + row[j].toString(16).padStart(2, '0');
      ascii += row[j] >= 0x20 && row[j] < 0x7f ? String.fromCharCode(row[j]) : '.';
    }
    out.push(`${prefix}${hexDigits(addr + i)}: ${hexs.padEnd(16 * 3 + 1)}${ascii}`);
  }
  return out;
}

function taint(sl: Slub): void {
  sl.tainted |= TAINT_BAD_PAGE | TAINT_WARN;
}

/** __slab_bug(): the banner of every SLUB report. */
function slab_bug(sl: Slub, s: KmemCache | null, text: string): string[] {
  return [
    '=============================================================================',
    `BUG ${s ? s.name : '<unknown>'} (${sl.print_tainted()}): ${text}`,
    '-----------------------------------------------------------------------------',
    '',
  ];
}

/** print_slab_info(). */
function slab_info(sl: Slub, id: number): string {
  const t = sl.slabs;
  const pfn = t.pfn[id];
  const flags = decode_page_flags(sl.host.pages.flags[pfn]);
  return `Slab ${hex(sl.va(pfn * PAGE_SIZE))} objects=${t.i32[id << SL32 | SL_OBJECTS]} used=${t.i32[id << SL32 | SL_INUSE]} fp=${hex(sl.slab_freelist(id))} flags=${hex(sl.host.pages.flags[pfn])}(${flags})`;
}

function warn_line(sl: Slub, where: string): string {
  return `WARNING: CPU: ${sl.cpu} PID: ${sl.host.current?.pid ?? 0} at mm/slub.c:${where}`;
}

/** print_tracking(). */
function tracking(sl: Slub, s: KmemCache, obj: number): string[] {
  if (!(s.flags & SLAB_STORE_USER)) return [];
  const info = sl.objinfo.get(obj);
  const out: string[] = [];
  const now = sl.host.clock.jiffies;
  for (const [label, tr] of [['Allocated', info?.alloc], ['Freed', info?.free]] as const) {
    if (!tr) continue;
    out.push(`${label} in ${tr.caller} age=${now - tr.when} cpu=${tr.cpu} pid=${tr.pid}`, ` ${tr.caller}`);
  }
  return out;
}

/** print_trailer(): tracking, slab info and a dump of the object and its metadata. */
function trailer(sl: Slub, s: KmemCache, id: number, obj: number): string[] {
  const t = sl.slabs;
  const base = sl.va(t.pfn[id] * PAGE_SIZE);
  const out = [...tracking(sl, s, obj), slab_info(sl, id)];
  out.push(`Object ${hex(obj)} @offset=${obj - base} fp=${hex(sl.host.mem.readPtr(sl.pa(obj) + s.offset))}`, '');
  if (s.flags & SLAB_RED_ZONE) out.push(...hex_dump(sl, 'Redzone  ', obj - s.red_left_pad, s.red_left_pad));
  else if (obj > base + 16) out.push(...hex_dump(sl, 'Bytes b4 ', obj - 16, 16));
  out.push(...hex_dump(sl, 'Object   ', obj, Math.min(s.object_size, PAGE_SIZE)));
  if (s.flags & SLAB_RED_ZONE) out.push(...hex_dump(sl, 'Redzone  ', obj + s.object_size, s.inuse - s.object_size));
  let off = get_info_end(s);
  if (s.flags & SLAB_STORE_USER) off += 2 * TRACK_SIZE;
  if (slub_debug_orig_size(s)) off += WORD;
  if (off !== size_from_object(s)) out.push(...hex_dump(sl, 'Padding  ', obj + off, size_from_object(s) - off));
  return out;
}

/** object_err(): a report about one object. */
export function object_err(sl: Slub, s: KmemCache, id: number, obj: number, reason: string): void {
  const lines = slab_bug(sl, s, reason);
  lines.push(...trailer(sl, s, id, obj));
  taint(sl);
  lines.push(warn_line(sl, '1127 object_err+0x35/0x60'));
  sl.printk(lines.join('\n'));
}

/** slab_err(): a report about a slab. */
export function slab_err(sl: Slub, s: KmemCache | null, id: number, text: string): void {
  const lines = slab_bug(sl, s, text);
  lines.push(slab_info(sl, id));
  taint(sl);
  lines.push(warn_line(sl, '1152 slab_err+0xc7/0x110'));
  sl.printk(lines.join('\n'));
}

/** slab_fix(): the FIX line after a repair. */
export function slab_fix(sl: Slub, s: KmemCache, text: string): void {
  sl.printk(`FIX ${s.name}: ${text}`);
}

/**
 * check_bytes_and_report(): `bytes` bytes from `start` must all equal `value`. On a mismatch
 * prints the "[what overwritten]" line (and the object report when `print` is set) and restores
 * the bytes. Returns true when they were intact.
 */
function check_bytes(sl: Slub, s: KmemCache, id: number, obj: number, what: string, start: number, value: number, bytes: number, print: boolean): boolean {
  if (bytes <= 0) return true;
  const mem = sl.host.mem;
  const data = mem.read(sl.pa(start), bytes);
  let f = -1;
  for (let i = 0; i < bytes; i++) if (data[i] !== value) { f = i; break; }
  if (f < 0) return true;
  let end = bytes;
  while (end > f && data[end - 1] === value) end--;
  const base = sl.va(sl.slabs.pfn[id] * PAGE_SIZE);
  sl.printk(`[${what} overwritten] ${hex(start + f)}-${hex(start + end - 1)} @offset=${start + f - base}. First byte 0x${data[f].toString(16)} instead of 0x${value.toString(16)}`);
  if (print) object_err(sl, s, id, obj, 'Object corrupt');
  slab_fix(sl, s, `Restoring ${what} ${hex(start + f)}-${hex(start + end - 1)}=0x${value.toString(16)}`);
  mem.fill(sl.pa(start + f), value, end - f);
  return false;
}

/** check_pad_bytes(): the padding after the metadata must still be 0x5a. */
function check_pad_bytes(sl: Slub, s: KmemCache, id: number, obj: number): boolean {
  let off = get_info_end(s);
  if (s.flags & SLAB_STORE_USER) {
    off += 2 * TRACK_SIZE;
    if (s.flags & SLAB_KMALLOC) off += WORD;
  }
  if (sl.kasanOn) off += 16;
  if (size_from_object(s) <= off) return true;
  return check_bytes(sl, s, id, obj, 'Object padding', obj + off, POISON_INUSE, size_from_object(s) - off, true);
}

/** check_object(): red zones, poison and padding of one object; `val` is the expected red zone. */
export function check_object(sl: Slub, s: KmemCache, id: number, obj: number, val: number): boolean {
  let ret = true;
  const end = obj + s.object_size;
  if (s.flags & SLAB_RED_ZONE) {
    if (!check_bytes(sl, s, id, obj, 'Left Redzone', obj - s.red_left_pad, val, s.red_left_pad, ret)) ret = false;
    if (!check_bytes(sl, s, id, obj, 'Right Redzone', end, val, s.inuse - s.object_size, ret)) ret = false;
    if (slub_debug_orig_size(s) && val === SLUB_RED_ACTIVE) {
      const orig = get_orig_size(sl, s, obj);
      if (s.object_size > orig && !check_bytes(sl, s, id, obj, 'kmalloc Redzone', obj + orig, val, s.object_size - orig, ret)) ret = false;
    }
  } else if (s.flags & SLAB_POISON && s.object_size < s.inuse) {
    if (!check_bytes(sl, s, id, obj, 'Alignment padding', end, POISON_INUSE, s.inuse - s.object_size, ret)) ret = false;
  }
  if (s.flags & SLAB_POISON) {
    if (val !== SLUB_RED_ACTIVE && s.flags & __OBJECT_POISON) {
      if (!check_bytes(sl, s, id, obj, 'Poison', obj, POISON_FREE, s.object_size - 1, ret)) ret = false;
      if (!check_bytes(sl, s, id, obj, 'End Poison', obj + s.object_size - 1, POISON_END, 1, ret)) ret = false;
    }
    if (!check_pad_bytes(sl, s, id, obj)) ret = false;
  }
  if (!ret) taint(sl);
  return ret;
}

/** alloc_consistency_checks(): a free object about to be handed out must be intact. */
export function alloc_consistency_checks(sl: Slub, s: KmemCache, id: number, obj: number): boolean {
  if (!(s.flags & SLAB_CONSISTENCY_CHECKS)) return true;
  return check_object(sl, s, id, obj, SLUB_RED_INACTIVE);
}

/** free_consistency_checks(): the object being freed must be intact (pointer checks were done). */
export function free_consistency_checks(sl: Slub, s: KmemCache, id: number, obj: number): boolean {
  if (!(s.flags & SLAB_CONSISTENCY_CHECKS)) return true;
  return check_object(sl, s, id, obj, SLUB_RED_ACTIVE);
}

/** free_slab() with consistency checks: slab padding and every (free) object before the pages go. */
export function check_slab_on_discard(sl: Slub, s: KmemCache, id: number): void {
  if (!(s.flags & SLAB_CONSISTENCY_CHECKS)) return;
  const t = sl.slabs;
  for (let i = 0; i < t.i32[id << SL32 | SL_OBJECTS]; i++) check_object(sl, s, id, sl.objAddr(id, i), SLUB_RED_INACTIVE);
  if (!(s.flags & SLAB_POISON)) return;
  // slab_pad_check(): the bytes after the last object must still be 0x5a.
  const base = sl.va(t.pfn[id] * PAGE_SIZE);
  const length = PAGE_SIZE << t.i32[id << SL32 | SL_ORDER];
  const remainder = length % s.size;
  if (!remainder) return;
  const start = base + length - remainder;
  const data = sl.host.mem.read(sl.pa(start), remainder);
  let f = -1;
  for (let i = 0; i < remainder; i++) if (data[i] !== POISON_INUSE) { f = i; break; }
  if (f < 0) return;
  let end = remainder;
  while (end > f && data[end - 1] === POISON_INUSE) end--;
  slab_err(sl, s, id, `Padding overwritten. ${hex(start + f)}-${hex(start + end - 1)} @offset=${start + f - base}`);
  sl.printk(hex_dump(sl, 'Padding ', start + (f & ~15), Math.min(end - (f & ~15), 64)).join('\n'));
  slab_fix(sl, s, `Restoring Padding ${hex(start + f)}-${hex(start + end - 1)}=0x5a`);
  sl.host.mem.fill(sl.pa(start + f), POISON_INUSE, end - f);
}

/**
 * freelist_corrupted(): the pointer stored in a free object is not what the freelist holds
 * (someone wrote into a free object). The kernel prints "Freechain corrupt" and cuts the chain;
 * the simulator prints the same report and restores the pointer from its own copy.
 */
export function freechain_corrupt(sl: Slub, s: KmemCache, id: number, obj: number, next: number): void {
  const found = sl.host.mem.readPtr(sl.pa(obj) + s.offset);
  object_err(sl, s, id, obj, 'Freechain corrupt');
  slab_fix(sl, s, `Isolate corrupted freechain (free pointer ${hex(found)} restored to ${hex(next)})`);
  sl.host.mem.writePtr(sl.pa(obj) + s.offset, next);
}

/** list_slab_objects(): the objects still allocated when a cache is destroyed. */
export function list_slab_objects(sl: Slub, s: KmemCache): void {
  const t = sl.slabs;
  for (let id = 0; id < t.top; id++) {
    if (t.i32[id << SL32 | SL_CACHE] !== s.id || t.i32[id << SL32 | SL_WHERE] === 0) continue;

    const lines = slab_bug(sl, s, 'Objects remaining on __kmem_cache_shutdown()');
    let any = false;
    const base = sl.va(t.pfn[id] * PAGE_SIZE);
    for (let i = 0; i < t.i32[id << SL32 | SL_OBJECTS]; i++) {
      if (t.state(id, i) === OBJ_FREE) continue;
      any = true;
      const obj = sl.objAddr(id, i);
      lines.push(`Object ${hex(obj)} @offset=${obj - base}`, ...tracking(sl, s, obj));
    }
    if (any) {
      lines.push(slab_info(sl, id));
      taint(sl);
      sl.printk(lines.join('\n'));
    }
  }
}

/** Re-exported for views: the poison and red-zone byte values. */
export const DEBUG_BYTES = { POISON_FREE, POISON_END, POISON_INUSE, SLUB_RED_ACTIVE, SLUB_RED_INACTIVE };
