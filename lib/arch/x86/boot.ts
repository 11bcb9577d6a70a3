/**
 * Booting a simulated PC, from the reset vector to a ready page allocator.
 *
 * Mirrors: arch/x86/boot/ (real-mode setup: e820 query, A20, protected-mode switch),
 * arch/x86/kernel/head_64.S / head_32.S (paging on, long mode), arch/x86/kernel/setup.c
 * (setup_arch: e820__memory_setup, trim_bios_range, e820__memblock_setup, reserving the kernel
 * image and the low 1 MiB, memblock_set_current_limit), arch/x86/mm/numa.c (NODE_DATA lines),
 * mm/sparse.c (the memmap allocated from memblock per node), kernel/dma/swiotlb.c
 * (swiotlb_init's 64 MiB bounce buffer below 4 GiB), mm/percpu.c (first chunk per node),
 * init/main.c (start_kernel → mm_core_init → mem_init → memblock_free_all, mem_init_print_info,
 * setup_per_cpu_pageset, init_per_zone_wmark_min, free_initmem).
 * Models: the boot log, in the kernel's words for the kernel's lines, plus short lines for the
 * firmware and the early CPU modes (real mode with segment:offset addressing of 1 MiB, protected
 * mode, paging, long mode on x86-64), which the real kernel does not print; the e820 table; every
 * memblock reservation the simulator makes; the hand-over to the buddy allocator.
 * Simplifies: the kernel image has fixed section sizes (a distribution-sized kernel at 16 MiB on
 * x86-64 machines of 512 MiB and more and i386 machines of 128 MiB and more, a small one loaded at
 * 2 MiB below that); page tables of the direct map, ACPI
 * parsing, the initrd and most early allocations are not modelled, so "reserved" is smaller than on
 * a real machine.
 * See: chapter 01 (physical memory and boot).
 */
import { hex } from '../../base/format.js';
import type { ResolvedConfig } from '../../config.js';
import { buildE820, e820_line, nodeRanges, trim_bios_range, usableRanges, type E820Entry } from './e820.js';
import { Memblock, MEMBLOCK_ALLOC_ACCESSIBLE, type MemblockRegion } from '../../mm/memblock.js';
import { build_all_zonelists, free_area_init, free_highmem_pages, I386_MAXMEM_PFN, MAX_DMA32_PFN, memblock_free_all, memmap_init, pages_per_section } from '../../mm/mm_init.js';
import type { Buddy } from '../../mm/page_alloc.js';

/** Sizes of the kernel image's parts in KiB, as mem_init_print_info reports them. */
export interface KernelImage {
  /** Physical start (_text). */
  start: number;
  codeK: number;
  rodataK: number;
  rwdataK: number;
  initK: number;
  bssK: number;
}

/** The kernel image for a machine. */
export function kernelImage(c: ResolvedConfig): KernelImage {
  if (c.arch === 'i386' && c.memory >= 128 * 2 ** 20) return { start: 16 << 20, codeK: 8192, rodataK: 3072, rwdataK: 1024, initK: 1024, bssK: 2048 };
  if (c.memory >= 512 * 2 ** 20) return { start: 16 << 20, codeK: 16384, rodataK: 11464, rwdataK: 2732, initK: 4184, bssK: 4772 };
  return { start: 2 << 20, codeK: 1024, rodataK: 256, rwdataK: 128, initK: 256, bssK: 256 };
}

/** What boot leaves behind for the System. */
export interface BootResult {
  /** The firmware's e820 table (as printed). */
  e820: E820Entry[];
  /** The table after the kernel's trim_bios_range. */
  e820_kernel: E820Entry[];
  /** The boot log lines. */
  log: string[];
  /** memblock.memory and memblock.reserved as they were at hand-over (kept for teaching). */
  memblock_at_handover: { memory: MemblockRegion[]; reserved: MemblockRegion[] };
  /** The kernel image layout. */
  image: KernelImage;
  /** max_pfn and max_low_pfn. */
  max_pfn: number;
  max_low_pfn: number;
  /** Pages of struct page allocated from memblock (nr_memmap_boot_pages). */
  memmap_pages: number;
  /** [start, end) physical range of the init sections freed at the end of boot. */
  init_range: [number, number];
}

/** Boots the machine: fills memblock, the zones and the buddy allocator. */
export function x86_boot(c: ResolvedConfig, mb: Memblock, buddy: Buddy): BootResult {
  const log: string[] = [];
  const L = (s: string): void => {
    log.push(s);
  };
  const x64 = c.arch === 'x86_64';
  // --- firmware and early CPU modes (narrative; the kernel prints none of this) ---
  L('firmware: CPU reset in real mode: CS:IP = f000:fff0, address = segment * 16 + offset = 0xffff0 (1 MiB addressable)');
  L('setup: BIOS int 0x15/eax=0xe820 returns the memory map; A20 gate enabled');
  L('setup: GDT loaded, CR0.PE = 1: 32-bit protected mode, flat 4 GiB segments');
  if (x64) {
    L('startup_32: CR4.PAE = 1, identity-mapped 4-level page tables loaded in CR3, EFER.LME = 1, CR0.PG = 1: long mode');
    L(`startup_64: kernel text mapped at 0xffffffff80000000, running at its link address; direct map of all RAM at 0xffff888000000000`);
  } else {
    L(`startup_32: ${c.pae ? 'PAE (3-level)' : '2-level'} page tables, CR0.PG = 1: paging on; kernel mapped at PAGE_OFFSET 0xc0000000`);
  }
  // --- setup_arch ---
  L(`Linux version 6.12.0-mmlab (mmlab@sim) (gcc (GCC) 12.2.0) #1 SMP PREEMPT_DYNAMIC`);
  L(`Command line: ${c.cmdline || 'console=ttyS0'}`);
  const e820 = buildE820(c.memory);
  L('BIOS-provided physical RAM map:');
  for (const e of e820) L(e820_line('BIOS-e820', e));
  const trimmed = trim_bios_range(e820);
  for (const l of trimmed.log) L(l);
  const usable = usableRanges(trimmed.table);
  let max_pfn = Math.floor(usable[usable.length - 1][1] / 4096);
  if (!x64 && !c.pae && max_pfn > 2 ** 20) {
    L('Warning only 4GB will be used. Use a HIGHMEM64G enabled kernel.');
    max_pfn = 2 ** 20;
  }
  L(`last_pfn = ${hex(max_pfn)} max_arch_pfn = ${x64 ? '0x400000000' : c.pae ? '0x1000000' : '0x100000'}`);
  const max_low_pfn = x64 ? max_pfn : Math.min(max_pfn, I386_MAXMEM_PFN);
  if (!x64) {
    if (max_pfn > max_low_pfn) L(`${((max_pfn - max_low_pfn) * 4096) >> 20}MB HIGHMEM available.`);
    L(`${(max_low_pfn * 4096) >> 20}MB LOWMEM available.`);
  }
  // memblock: RAM per node, then the reservations of setup_arch.
  const nr = nodeRanges(c.memory, c.nodes.map((n) => n.memory));
  for (const [s, e] of usable) {
    for (let nid = 0; nid < nr.length; nid++) {
      const a = Math.max(s, nr[nid][0]);
      const b = Math.min(e, nr[nid][1], max_pfn * 4096);
      if (a < b) mb.memblock_add_node(a, b - a, nid);
    }
  }
  mb.memblock_allow_resize();
  mb.memblock_reserve(0, 0x100000);
  const img = kernelImage(c);
  const imgEnd = img.start + (img.codeK + img.rodataK + img.rwdataK + img.initK + img.bssK) * 1024;
  mb.memblock_reserve(img.start, imgEnd - img.start);
  if (!x64) mb.memblock_set_current_limit(max_low_pfn * 4096);
  if (c.nodes.length > 1) {
    for (let nid = 0; nid < nr.length; nid++) {
      L(`NUMA: Node ${nid} [mem ${hex(nr[nid][0], 8)}-${hex(nr[nid][1] - 1, 8)}]`);
    }
    for (let nid = 0; nid < nr.length; nid++) {
      const p = mb.memblock_phys_alloc_try_nid(0x2b000, 64, nid);
      L(`NODE_DATA(${nid}) allocated [mem ${hex(p, 10)}-${hex(p + 0x2b000 - 1, 10)}]`);
    }
  }
  // The memmap: one struct page per page frame, per present section (sparse_init).
  const pps = pages_per_section(c.arch, c.pae);
  let memmap_pages = 0;
  for (let nid = 0; nid < nr.length; nid++) {
    const regions = mb.memory.list().filter((r) => r.nid === nid);
    if (!regions.length) continue;
    let bytes: number;
    if (x64) {
      const secs = new Set<number>();
      for (const r of regions) for (let s = Math.floor(r.base / 4096 / pps); s <= Math.floor((r.base + r.size - 1) / 4096 / pps); s++) secs.add(s);
      bytes = secs.size * pps * 64;
      mb.memblock_alloc_exact_nid_raw(bytes, 2 << 20, 16 << 20, MEMBLOCK_ALLOC_ACCESSIBLE, nid);
    } else {
      const spanned = Math.floor((regions[regions.length - 1].base + regions[regions.length - 1].size) / 4096) - Math.floor(regions[0].base / 4096);
      bytes = Math.ceil((spanned * 32) / 4096) * 4096;
      mb.memblock_alloc_try_nid_raw(bytes, 64, 0, MEMBLOCK_ALLOC_ACCESSIBLE, nid);
    }
    memmap_pages += bytes / 4096;
  }
  // Per-CPU first chunk: 256 KiB per CPU on the CPU's node.
  for (let nid = 0; nid < c.nodes.length; nid++) {
    const ncpu = c.nodes[nid].cpus;
    if (ncpu) mb.memblock_alloc_try_nid(ncpu * 262144, x64 ? 2 << 20 : 4096, 16 << 20, MEMBLOCK_ALLOC_ACCESSIBLE, nid);
  }
  L(`percpu: Embedded 64 pages/cpu s225280 r8192 d28672 u262144`);
  // The swiotlb bounce buffer when RAM reaches above 4 GiB.
  if (x64 && max_pfn > MAX_DMA32_PFN) {
    const p = mb.memblock_phys_alloc_range(64 << 20, 4096, 0, 2 ** 32);
    if (p) L(`software IO TLB: mapped [mem ${hex(p, 16)}-${hex(p + (64 << 20) - 1, 16)}] (64MB)`);
  }
  // --- paging_init → free_area_init ---
  free_area_init(buddy, mb, c.arch, max_pfn, L);
  memmap_init(buddy, mb, pps, L);
  build_all_zonelists(buddy, c.distance, L);
  let vm_total = 0;
  for (const z of buddy.zones) if (z.idx <= (x64 ? 2 : 3)) vm_total += z.present_pages;
  buddy.page_group_by_mobility_disabled = vm_total < buddy.pageblock_nr_pages * 5;
  L(`Built ${c.nodes.length} zonelists, mobility grouping ${buddy.page_group_by_mobility_disabled ? 'off' : 'on'}.  Total pages: ${vm_total}`);
  if (c.nodes.length > 1) L(`Policy zone: ${x64 ? 'Normal' : 'HighMem'}`);
  const memblock_at_handover = { memory: mb.memory.list(), reserved: mb.reserved.list() };
  // --- mm_core_init → mem_init → memblock_free_all ---
  memblock_free_all(buddy, mb, max_low_pfn);
  if (max_pfn > max_low_pfn) free_highmem_pages(buddy, mb, max_low_pfn);
  let physpages = 0;
  let totalram = 0;
  let highK = 0;
  let freeNow = 0;
  for (const z of buddy.zones) {
    physpages += z.present_pages;
    totalram += z.managed_pages;
    freeNow += buddy.zone_free(z);
    if (z.idx === 3) highK += z.managed_pages * 4;
  }
  L(`Memory: ${freeNow * 4}K/${physpages * 4}K available (${img.codeK}K kernel code, ${img.rwdataK}K rwdata, ${img.rodataK}K rodata, ${img.initK}K init, ${img.bssK}K bss, ${(physpages - totalram) * 4}K reserved, 0K cma-reserved${x64 ? '' : `, ${highK}K highmem`})`);
  // --- setup_per_cpu_pageset, then init_per_zone_wmark_min (postcore initcall) ---
  buddy.init_per_zone_wmark_min();
  const initStart = img.start + (img.codeK + img.rodataK + img.rwdataK) * 1024;
  return {
    e820,
    e820_kernel: trimmed.table,
    log,
    memblock_at_handover,
    image: img,
    max_pfn,
    max_low_pfn,
    memmap_pages,
    init_range: [initStart, initStart + img.initK * 1024],
  };
}
