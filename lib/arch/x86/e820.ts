/**
 * The firmware memory map (e820) of a simulated PC.
 *
 * Mirrors: arch/x86/kernel/e820.c (e820__print_table, e820_print_type, e820__memblock_setup,
 * e820__end_of_ram_pfn), arch/x86/kernel/setup.c (trim_bios_range), arch/x86/include/uapi/asm/setup_data.h
 * and asm/e820/types.h (E820_TYPE_*), as QEMU's firmware (SeaBIOS) reports it.
 * Models: the table the BIOS hands over: the first 639 KiB usable, the extended BIOS data area
 * and the BIOS ROM reserved (the 640 KiB–1 MiB hole), RAM from 1 MiB up to the ACPI tables at the
 * top of low memory, the PCI/APIC window below 4 GiB reserved, and — when the machine has more
 * than 3 GiB — the rest of RAM continuing at 4 GiB. NUMA nodes take the RAM in address order.
 * Simplifies: one fixed layout (no EFI map, no PMEM, no soft-reserved); the ACPI area is 64 KiB
 * of "ACPI data" and 64 KiB of "ACPI NVS" carved from the top of low RAM.
 * See: chapter 01 (physical memory and boot).
 */
import { hex } from '../../base/format.js';

/** e820 entry types (E820_TYPE_*). */
export const E820_TYPE_RAM = 1;
export const E820_TYPE_RESERVED = 2;
export const E820_TYPE_ACPI = 3;
export const E820_TYPE_NVS = 4;
export const E820_TYPE_UNUSABLE = 5;

/** One e820 entry: [addr, addr + size). */
export interface E820Entry {
  addr: number;
  size: number;
  type: number;
}

/** Start of the legacy BIOS hole (BIOS_BEGIN, 640 KiB) and its end (BIOS_END, 1 MiB). */
export const BIOS_BEGIN = 0xa0000;
export const BIOS_END = 0x100000;
/** Where RAM above the PCI hole resumes when a machine has more than this much low RAM. */
export const LOW_RAM_LIMIT = 3 * 2 ** 30;
/** 4 GiB. */
export const FOUR_GB = 2 ** 32;

/** The name e820_print_type prints for a type. */
export function e820_type_name(type: number): string {
  switch (type) {
    case E820_TYPE_RAM: return 'usable';
    case E820_TYPE_RESERVED: return 'reserved';
    case E820_TYPE_ACPI: return 'ACPI data';
    case E820_TYPE_NVS: return 'ACPI NVS';
    case E820_TYPE_UNUSABLE: return 'unusable';
    default: return `type ${type}`;
  }
}

/** RAM ranges [start, end) of a machine with `memory` bytes, in address order. */
export function ramRanges(memory: number): [number, number][] {
  if (memory > LOW_RAM_LIMIT) return [[0, LOW_RAM_LIMIT], [FOUR_GB, FOUR_GB + memory - LOW_RAM_LIMIT]];
  return [[0, memory]];
}

/** The highest physical address + 1 of RAM (what the page array must span). */
export function physEnd(memory: number): number {
  const r = ramRanges(memory);
  return r[r.length - 1][1];
}

/** The firmware's table (before the kernel's trim_bios_range), sorted by address. */
export function buildE820(memory: number): E820Entry[] {
  const low = Math.min(memory, LOW_RAM_LIMIT);
  const t: E820Entry[] = [];
  t.push({ addr: 0, size: 0x9fc00, type: E820_TYPE_RAM });
  t.push({ addr: 0x9fc00, size: 0x400, type: E820_TYPE_RESERVED });
  t.push({ addr: 0xf0000, size: 0x10000, type: E820_TYPE_RESERVED });
  t.push({ addr: BIOS_END, size: low - 0x20000 - BIOS_END, type: E820_TYPE_RAM });
  t.push({ addr: low - 0x20000, size: 0x10000, type: E820_TYPE_ACPI });
  t.push({ addr: low - 0x10000, size: 0x10000, type: E820_TYPE_NVS });
  t.push({ addr: 0xfeffc000, size: 0x4000, type: E820_TYPE_RESERVED });
  t.push({ addr: 0xfffc0000, size: 0x40000, type: E820_TYPE_RESERVED });
  if (memory > LOW_RAM_LIMIT) t.push({ addr: FOUR_GB, size: memory - LOW_RAM_LIMIT, type: E820_TYPE_RAM });
  return t;
}

/**
 * The kernel's trim_bios_range: page 0 becomes reserved and the 640 KiB–1 MiB hole is never
 * RAM. Returns the updated table and the log lines the kernel prints for it.
 */
export function trim_bios_range(table: E820Entry[]): { table: E820Entry[]; log: string[] } {
  const out: E820Entry[] = [];
  for (const e of table) {
    if (e.type === E820_TYPE_RAM && e.addr === 0) {
      out.push({ addr: 0, size: 0x1000, type: E820_TYPE_RESERVED });
      out.push({ addr: 0x1000, size: e.size - 0x1000, type: E820_TYPE_RAM });
    } else out.push({ ...e });
  }
  return {
    table: out,
    log: [
      'e820: update [mem 0x00000000-0x00000fff] usable ==> reserved',
      `e820: remove [mem ${hex(BIOS_BEGIN, 8)}-${hex(BIOS_END - 1, 8)}] usable`,
    ],
  };
}

/** One line of e820__print_table: `BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable`. */
export function e820_line(who: string, e: E820Entry): string {
  return `${who}: [mem ${hex(e.addr, 16)}-${hex(e.addr + e.size - 1, 16)}] ${e820_type_name(e.type)}`;
}

/** The usable ranges of a table, whole pages only (memblock_trim_memory(PAGE_SIZE)). */
export function usableRanges(table: E820Entry[]): [number, number][] {
  const r: [number, number][] = [];
  for (const e of table) {
    if (e.type !== E820_TYPE_RAM) continue;
    const s = Math.ceil(e.addr / 4096) * 4096;
    const end = Math.floor((e.addr + e.size) / 4096) * 4096;
    if (end > s) r.push([s, end]);
  }
  return r;
}

/**
 * Physical ranges [start, end) of each NUMA node: nodes take RAM in address order, each its
 * configured size; a node's range spans any hole inside it.
 */
export function nodeRanges(memory: number, nodeSizes: number[]): [number, number][] {
  const split = memory > LOW_RAM_LIMIT;
  const startAddr = (off: number): number => (split && off >= LOW_RAM_LIMIT ? off + (FOUR_GB - LOW_RAM_LIMIT) : off);
  const endAddr = (off: number): number => (split && off > LOW_RAM_LIMIT ? off + (FOUR_GB - LOW_RAM_LIMIT) : off);
  const out: [number, number][] = [];
  let off = 0;
  for (const sz of nodeSizes) {
    out.push([startAddr(off), endAddr(off + sz)]);
    off += sz;
  }
  return out;
}
