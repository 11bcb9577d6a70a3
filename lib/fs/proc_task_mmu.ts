/**
 * /proc/PID/maps, /proc/PID/smaps and /proc/PID/status.
 *
 * Mirrors: fs/proc/task_mmu.c (show_vma_header_prefix, show_map_vma, get_vma_name,
 * smaps_pte_entry/smaps_account, __show_smap, show_smap_vma_flags, task_mem),
 * fs/proc/array.c (proc_pid_status, task_state, task_sig, task_cap, task_seccomp, ...).
 * Models: the exact text of the three files from the live VMAs and page tables: maps lines
 * padded to column 73 (49 on i386) before the name, [heap] and [stack] found as the kernel finds
 * them (from brk and start_stack), smaps per-VMA sizes gathered by walking the PTEs (the zero page
 * does not count; PSS divides a page among its mappers; Referenced = young PTEs or referenced
 * pages), status with the VmPeak…VmSwap block from the mm counters.
 * Simplifies: every task runs as uid/gid 1000 with no capabilities, one thread, no signals
 * pending; THPeligible is 0 (no transparent huge pages in the paging model).
 * See: chapter 08 (address spaces).
 */
import { _PAGE_ACCESSED, _PAGE_DIRTY, _PAGE_PRESENT, _PAGE_SPECIAL, entryPfn } from '../arch/x86/pgtable.js';
import type { MmStruct, Task } from '../kernel/fork.js';
import { core, pagesOf } from '../mm/memory.js';
import type { Vma } from '../mm/mmap.js';
import { PG } from '../mm/page_flags.js';
import { walk_page_range } from '../mm/pagewalk.js';
import { PAGE_MAPPING_ANON } from '../mm/rmap.js';
import type { System } from '../system.js';

const VM_READ = 0x1;
const VM_WRITE = 0x2;
const VM_EXEC = 0x4;
const VM_MAYSHARE = 0x80;
const VM_LOCKED = 0x2000;

/** show_smap_vma_flags mnemonics by bit (VM_* bit numbers of 6.12 x86-64). */
const MNEMONICS: [number, string][] = [
  [0, 'rd'], [1, 'wr'], [2, 'ex'], [3, 'sh'], [4, 'mr'], [5, 'mw'], [6, 'me'], [7, 'ms'], [8, 'gd'], [10, 'pf'],
  [13, 'lo'], [14, 'io'], [15, 'sr'], [16, 'rr'], [17, 'dc'], [18, 'de'], [19, 'lf'], [20, 'ac'], [21, 'nr'], [22, 'ht'],
  [23, 'sf'], [24, 'ar'], [25, 'wf'], [26, 'dd'], [27, 'sd'], [28, 'mm'], [29, 'hg'], [30, 'nh'], [31, 'mg'],
];

/** seq_put_hex_ll with a minimum width. */
function hx(v: number, w: number): string {
  return v.toString(16).padStart(w, '0');
}

/** The name show_map_vma prints for a VMA ('' for none). */
export function vmaName(mm: MmStruct, v: Vma): string {
  if (v.vm_file) return v.vm_file.path;
  if (v.vm_start <= mm.brk && v.vm_end >= mm.start_brk) return '[heap]';
  if (v.vm_start <= mm.start_stack && v.vm_end >= mm.start_stack) return '[stack]';
  return '';
}

/** One maps line (without the newline). */
export function mapsLine(mm: MmStruct, v: Vma, ptrBytes: number): string {
  const f = v.vm_flags;
  const file = v.vm_file;
  const head = `${hx(v.vm_start, 8)}-${hx(v.vm_end, 8)} ${f & VM_READ ? 'r' : '-'}${f & VM_WRITE ? 'w' : '-'}${f & VM_EXEC ? 'x' : '-'}${f & VM_MAYSHARE ? 's' : 'p'}` +
    ` ${hx(file ? v.vm_pgoff * 4096 : 0, 8)} ${hx(file ? file.dev[0] : 0, 2)}:${hx(file ? file.dev[1] : 0, 2)} ${file ? file.ino : 0} `;
  const name = vmaName(mm, v);
  if (!name) return head;
  const width = 25 + ptrBytes * 6 - 1;
  return head.padEnd(width, ' ') + ' ' + name;
}

/** /proc/PID/maps. */
export function showMaps(sys: System, t: Task): string {
  if (!t.mm) return '';
  const pb = sys.config.arch === 'i386' ? 4 : 8;
  return t.mm.vmas.map((v) => mapsLine(t.mm!, v, pb) + '\n').join('');
}

/** struct mem_size_stats, in bytes (pss in bytes << 12). */
export interface SmapStats {
  resident: number;
  pss: number;
  pss_dirty: number;
  shared_clean: number;
  shared_dirty: number;
  private_clean: number;
  private_dirty: number;
  referenced: number;
  anonymous: number;
  swap: number;
  pss_locked: number;
}

const PSS_SHIFT = 12;

/** smap_gather_stats for one VMA. */
export function smapStats(sys: System, mm: MmStruct, v: Vma): SmapStats {
  const pg = core(sys).pg;
  const tm = pg.tm;
  const pages = pagesOf(sys);
  const s: SmapStats = { resident: 0, pss: 0, pss_dirty: 0, shared_clean: 0, shared_dirty: 0, private_clean: 0, private_dirty: 0, referenced: 0, anonymous: 0, swap: 0, pss_locked: 0 };
  walk_page_range(pg, mm.pgd, v.vm_start, v.vm_end, {
    pte_entry: (table, idx) => {
      const lo = tm.lo(table, idx);
      if (!(lo & (_PAGE_PRESENT | 0x100))) {
        s.swap += 4096; // a swap entry
        return;
      }
      if (!(lo & _PAGE_PRESENT) || lo & _PAGE_SPECIAL) return;
      const pfn = entryPfn(lo, tm.hi(table, idx));
      const size = 4096;
      const young = (lo & _PAGE_ACCESSED) !== 0 || (pages.flags[pfn] & (1 << PG.referenced)) !== 0;
      const dirty = (lo & _PAGE_DIRTY) !== 0 || (pages.flags[pfn] & (1 << PG.dirty)) !== 0;
      if (pages.mapping[pfn] & PAGE_MAPPING_ANON) s.anonymous += size;
      s.resident += size;
      if (young) s.referenced += size;
      const mc = pages.mapcount[pfn];
      if (mc >= 2) {
        const pss = Math.floor((size << PSS_SHIFT) / mc);
        if (dirty) {
          s.shared_dirty += size;
          s.pss_dirty += pss;
        } else s.shared_clean += size;
        s.pss += pss;
        if (v.vm_flags & VM_LOCKED) s.pss_locked += pss;
      } else {
        if (dirty) {
          s.private_dirty += size;
          s.pss_dirty += size << PSS_SHIFT;
        } else s.private_clean += size;
        s.pss += size << PSS_SHIFT;
        if (v.vm_flags & VM_LOCKED) s.pss_locked += size << PSS_SHIFT;
      }
    },
  });
  return s;
}

function dec(label: string, bytes: number): string {
  return `${label}${String(Math.floor(bytes / 1024)).padStart(8)} kB\n`;
}

/** /proc/PID/smaps. */
export function showSmaps(sys: System, t: Task): string {
  const mm = t.mm;
  if (!mm) return '';
  const pb = sys.config.arch === 'i386' ? 4 : 8;
  let out = '';
  for (const v of mm.vmas) {
    const s = smapStats(sys, mm, v);
    out += mapsLine(mm, v, pb) + '\n';
    out += dec('Size:           ', v.vm_end - v.vm_start);
    out += dec('KernelPageSize: ', 4096);
    out += dec('MMUPageSize:    ', 4096);
    out += dec('Rss:            ', s.resident);
    out += dec('Pss:            ', s.pss / 2 ** PSS_SHIFT);
    out += dec('Pss_Dirty:      ', s.pss_dirty / 2 ** PSS_SHIFT);
    out += dec('Shared_Clean:   ', s.shared_clean);
    out += dec('Shared_Dirty:   ', s.shared_dirty);
    out += dec('Private_Clean:  ', s.private_clean);
    out += dec('Private_Dirty:  ', s.private_dirty);
    out += dec('Referenced:     ', s.referenced);
    out += dec('Anonymous:      ', s.anonymous);
    out += dec('KSM:            ', 0);
    out += dec('LazyFree:       ', 0);
    out += dec('AnonHugePages:  ', 0);
    out += dec('ShmemPmdMapped: ', 0);
    out += dec('FilePmdMapped:  ', 0);
    out += dec('Shared_Hugetlb: ', 0);
    out += `Private_Hugetlb: ${'0'.padStart(7)} kB\n`;
    out += dec('Swap:           ', s.swap);
    out += dec('SwapPss:        ', 0);
    out += dec('Locked:         ', s.pss_locked / 2 ** PSS_SHIFT);
    out += `THPeligible:    ${'0'.padStart(8)}\n`;
    out += 'VmFlags: ' + MNEMONICS.filter(([b]) => v.vm_flags & 2 ** b).map(([, n]) => n + ' ').join('') + '\n';
  }
  return out;
}

function kb(pages: number): string {
  return String(pages * 4).padStart(8);
}

/** The task_mem block of /proc/PID/status. */
export function taskMem(mm: MmStruct): string {
  const anon = mm.rss[1];
  const file = mm.rss[0];
  const shmem = mm.rss[3];
  const total_vm = mm.total_vm;
  const hiwater_vm = Math.max(total_vm, mm.hiwater_vm);
  const total_rss = anon + file + shmem;
  const hiwater_rss = Math.max(total_rss, mm.hiwater_rss);
  const text = 0;
  const lib = mm.exec_vm - text;
  return `VmPeak:\t${kb(hiwater_vm)} kB\nVmSize:\t${kb(total_vm)} kB\nVmLck:\t${kb(mm.locked_vm)} kB\nVmPin:\t${kb(mm.pinned_vm)} kB\n` +
    `VmHWM:\t${kb(hiwater_rss)} kB\nVmRSS:\t${kb(total_rss)} kB\nRssAnon:\t${kb(anon)} kB\nRssFile:\t${kb(file)} kB\nRssShmem:\t${kb(shmem)} kB\n` +
    `VmData:\t${kb(mm.data_vm)} kB\nVmStk:\t${kb(mm.stack_vm)} kB\nVmExe:\t${kb(text)} kB\nVmLib:\t${kb(lib)} kB\n` +
    `VmPTE:\t${String(Math.floor(mm.pgtables_bytes / 1024)).padStart(8)} kB\nVmSwap:\t${kb(mm.rss[2])} kB\nHugetlbPages:\t${'0'.padStart(8)} kB\n`;
}

/** %*pb of a bitmap of `n` bits with the low `set` bits set (groups of 32 bits, comma separated). */
function bitmapHex(n: number, set: number): string {
  const words: string[] = [];
  for (let base = 0; base < n; base += 32) {
    const bits = Math.min(32, n - base);
    const on = Math.max(0, Math.min(bits, set - base));
    const v = on === 32 ? 0xffffffff : (2 ** on - 1);
    words.unshift(v.toString(16).padStart(base + 32 <= n ? 8 : Math.ceil(bits / 4), '0'));
  }
  return words.join(',');
}

/** /proc/PID/status. */
export function showStatus(sys: System, t: Task): string {
  const c = sys.config;
  const x64 = c.arch === 'x86_64';
  const sigpending = Math.floor(c.memory / 4096 / 32 / 2);
  let s = `Name:\t${t.comm}\nUmask:\t0022\nState:\tR (running)\nTgid:\t${t.pid}\nNgid:\t0\nPid:\t${t.pid}\nPPid:\t${t.ppid}\nTracerPid:\t0\n` +
    `Uid:\t1000\t1000\t1000\t1000\nGid:\t1000\t1000\t1000\t1000\nFDSize:\t64\nGroups:\t1000 \n` +
    `NStgid:\t${t.pid}\nNSpid:\t${t.pid}\nNSpgid:\t${t.pid}\nNSsid:\t${t.pid}\nKthread:\t0\n`;
  if (t.mm) {
    s += taskMem(t.mm);
    s += `CoreDumping:\t0\nTHP_enabled:\t1\nuntag_mask:\t${x64 ? '0xffffffffffffffff' : '0xffffffff'}\n`;
  }
  s += `Threads:\t1\nSigQ:\t0/${sigpending}\nSigPnd:\t0000000000000000\nShdPnd:\t0000000000000000\nSigBlk:\t0000000000000000\n` +
    `SigIgn:\t0000000000000000\nSigCgt:\t0000000000000000\nCapInh:\t0000000000000000\nCapPrm:\t0000000000000000\n` +
    `CapEff:\t0000000000000000\nCapBnd:\t000001ffffffffff\nCapAmb:\t0000000000000000\nNoNewPrivs:\t0\nSeccomp:\t0\n` +
    `Seccomp_filters:\t0\nSpeculation_Store_Bypass:\tthread vulnerable\nSpeculationIndirectBranch:\tconditional enabled\n` +
    `Cpus_allowed:\t${bitmapHex(c.cpus, c.cpus)}\nCpus_allowed_list:\t${c.cpus > 1 ? `0-${c.cpus - 1}` : '0'}\n` +
    `Mems_allowed:\t${bitmapHex(c.nodes.length, c.nodes.length)}\nMems_allowed_list:\t${c.nodes.length > 1 ? `0-${c.nodes.length - 1}` : '0'}\n` +
    `voluntary_ctxt_switches:\t0\nnonvoluntary_ctxt_switches:\t0\n`;
  if (x64) s += 'x86_Thread_features:\t\nx86_Thread_features_locked:\t\n';
  return s;
}

/** Registers /proc/<pid>/{maps,smaps,status}. */
export function registerProcTaskMmu(sys: System): void {
  sys.procfs.registerPattern('/proc/', '/proc/<pid>/maps', (path) => {
    const m = /^\/proc\/(\d+|self)\/(maps|smaps|status)$/.exec(path);
    if (!m) return undefined;
    let t: Task | undefined;
    if (m[1] === 'self') {
      const all = [...sys.taskTable.values()];
      t = all[all.length - 1];
      if (!t) return undefined;
    } else {
      if (!sys.taskTable.has(Number(m[1]))) return undefined;
      t = sys.task(Number(m[1]));
    }
    if (m[2] === 'maps') return showMaps(sys, t);
    if (m[2] === 'smaps') return showSmaps(sys, t);
    return showStatus(sys, t);
  });
}
