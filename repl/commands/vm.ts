/**
 * Virtual memory commands: processes and their address spaces, page walks, the TLB, vmalloc.
 *
 * crash-style: `ps`, `vm [-p] [PID]`, `vtop [-c PID] [-k] ADDR`, `kmem -v`, `kmem ADDR` for
 * vmalloc addresses and page-table pages; mmlab's own: `spawn COMM`, `mmap PID LEN [PROT]
 * [FLAGS]`, `munmap`, `mprotect`, `fork PID`, `exit PID`, `touch PID ADDR [LEN]` (write),
 * `peek PID ADDR [LEN]` (read), `vmalloc SIZE`, `vfree ADDR`, `flush_tlb_all`; pictures
 * `show pgtable PID [ADDR]`, `show tlb [ARRAY]`, `show vm PID`.
 */
import { hex } from '../../lib/index.js';
import { entryPfn } from '../../lib/arch/x86/pgtable.js';
import { inspectAddressSpace, type Task } from '../../lib/kernel/fork.js';
import { walk_page_range } from '../../lib/mm/pagewalk.js';
import { termAddressSpace, termTlb, termWalk } from '../../lib/view/term/paging.js';
import { parseAddrWord, parseUint, UsageError } from '../parse.js';
import { registerAddrResolver, registerCommand, registerGroup, registerKmemOption, type CommandContext } from '../registry.js';
import { PICTURES } from './show.js';

registerGroup('vm', 'Virtual memory (tasks, page tables, TLB, vmalloc)', 40);

function taskOf(ctx: CommandContext, word: string | undefined): Task {
  if (word === undefined) {
    const ts = ctx.sys.tasks;
    if (!ts.length) throw new UsageError('no tasks: create one with `spawn NAME`');
    return ts[ts.length - 1];
  }
  const pid = parseUint(word, 'pid');
  return ctx.sys.task(pid);
}

function addrArg(word: string | undefined, what = 'address'): number {
  if (word === undefined) throw new UsageError(`missing ${what}`);
  try {
    return parseAddrWord(word);
  } catch {
    throw new UsageError(`'${word}' is not an ${what}`);
  }
}

function sizeArg(word: string | undefined, what: string): number {
  if (word === undefined) throw new UsageError(`missing ${what}`);
  const m = /^(\d+)([kmg]?)$/i.exec(word);
  if (m) return Number(m[1]) * (m[2] ? 1024 ** ' kmg'.indexOf(m[2].toLowerCase()) : 1);
  return addrArg(word, what);
}

registerCommand({
  name: 'ps', group: 'vm', usage: 'ps', summary: 'list the processes with their memory (VSZ, RSS in KiB)', example: 'ps',
  run(ctx) {
    const rows = ['   PID    PPID  COMM             VSZ      RSS   MINFLT  MAJFLT'];
    for (const t of ctx.sys.tasks) {
      const mm = t.mm!;
      rows.push(`${String(t.pid).padStart(6)}  ${String(t.ppid).padStart(6)}  ${t.comm.padEnd(12)} ${String(mm.total_vm * 4).padStart(8)} ${String(mm.rss_pages * 4).padStart(8)} ${String(t.min_flt).padStart(8)} ${String(t.maj_flt).padStart(7)}`);
    }
    return { text: rows.join('\n'), code: 'sys.tasks' };
  },
});

registerCommand({
  name: 'spawn', group: 'vm', usage: 'spawn COMM', summary: 'create a process with a [heap] and a [stack]', example: 'spawn app', mutates: true,
  run(ctx, args) {
    if (!args[0]) throw new UsageError('missing command name');
    const t = ctx.sys.spawn(args[0]);
    return { text: `pid ${t.pid} (${t.comm})`, code: `const t${t.pid} = sys.spawn('${args[0]}')` };
  },
});

registerCommand({
  name: 'mmap', group: 'vm', usage: 'mmap PID LEN [PROT] [FLAGS] [ADDR]', summary: "map memory into a process (PROT like 'rw', FLAGS like 'private|anonymous')",
  example: 'mmap 1 64m rw private|anonymous', mutates: true,
  run(ctx, args) {
    const t = taskOf(ctx, args[0]);
    const len = sizeArg(args[1], 'length');
    const prot = args[2] ?? 'rw';
    const flags = args[3] ?? 'private|anonymous';
    const addr = args[4] ? addrArg(args[4]) : 0;
    const a = t.mmap(addr, len, prot, flags);
    return { text: hex(a), code: `sys.task(${t.pid}).mmap(${addr ? hex(addr) : 0}, ${len}, '${prot}', '${flags}')` };
  },
});

registerCommand({
  name: 'munmap', group: 'vm', usage: 'munmap PID ADDR LEN', summary: 'unmap a range of a process', example: 'munmap 1 0x7ffff7fef000 4096', mutates: true,
  run(ctx, args) {
    const t = taskOf(ctx, args[0]);
    const a = addrArg(args[1]);
    const len = sizeArg(args[2], 'length');
    t.munmap(a, len);
    return { text: '', code: `sys.task(${t.pid}).munmap(${hex(a)}, ${len})` };
  },
});

registerCommand({
  name: 'mprotect', group: 'vm', usage: 'mprotect PID ADDR LEN PROT', summary: 'change the protection of a range', example: 'mprotect 1 0x7ffff7fef000 4096 r', mutates: true,
  run(ctx, args) {
    const t = taskOf(ctx, args[0]);
    const a = addrArg(args[1]);
    const len = sizeArg(args[2], 'length');
    if (args[3] === undefined) throw new UsageError('missing protection (r, rw, rx, none ...)');
    t.mprotect(a, len, args[3]);
    return { text: '', code: `sys.task(${t.pid}).mprotect(${hex(a)}, ${len}, '${args[3]}')` };
  },
});

registerCommand({
  name: 'fork', group: 'vm', usage: 'fork PID', summary: 'fork a process (copy-on-write)', example: 'fork 1', mutates: true,
  run(ctx, args) {
    const t = taskOf(ctx, args[0]);
    const c = t.fork();
    return { text: `pid ${c.pid} (${c.comm}), child of ${t.pid}`, code: `sys.task(${t.pid}).fork()` };
  },
});

registerCommand({
  name: 'kill', group: 'vm', usage: 'kill PID', summary: 'end a process and free its address space', example: 'kill 2', mutates: true,
  run(ctx, args) {
    if (args[0] === undefined) throw new UsageError('missing pid');
    const t = taskOf(ctx, args[0]);
    t.exit();
    return { text: `pid ${t.pid} exited`, code: `sys.task(${t.pid}).exit()` };
  },
});

registerCommand({
  name: 'touch', group: 'vm', usage: 'touch PID ADDR [LEN] [BYTE]', summary: 'write LEN bytes (default one per page of the range) as the process', example: 'touch 1 0x7ffff7fef000 64k', mutates: true,
  run(ctx, args) {
    const t = taskOf(ctx, args[0]);
    const a = addrArg(args[1]);
    const len = args[2] ? sizeArg(args[2], 'length') : 1;
    const byte = args[3] ? parseUint(args[3], 'byte', 255) : 0xaa;
    const f0 = t.min_flt + t.maj_flt;
    for (let p = a; p < a + len; p += 4096 - (p % 4096)) t.write(p, [byte]);
    return { text: `${t.min_flt + t.maj_flt - f0} page fault(s)`, code: `sys.task(${t.pid}).write(${hex(a)}, new Uint8Array([${byte}]))` };
  },
});

registerCommand({
  name: 'peek', group: 'vm', usage: 'peek PID ADDR [LEN]', summary: 'read LEN bytes (default 16) of user memory as the process', example: 'peek 1 0x7ffff7fef000 32',
  mutates: true,
  run(ctx, args) {
    const t = taskOf(ctx, args[0]);
    const a = addrArg(args[1]);
    const len = args[2] ? sizeArg(args[2], 'length') : 16;
    const b = t.read(a, Math.min(len, 4096));
    const rows: string[] = [];
    for (let i = 0; i < b.length; i += 16) rows.push(`${(a + i).toString(16)}:  ${Array.from(b.subarray(i, i + 16), (x) => x.toString(16).padStart(2, '0')).join(' ')}`);
    return { text: rows.join('\n'), code: `sys.task(${t.pid}).read(${hex(a)}, ${len})` };
  },
});

registerCommand({
  name: 'vm', group: 'vm', usage: 'vm [-p] [PID]', summary: 'the VMAs of a process (-p: with the page of every resident address)', example: 'vm 1',
  options: [{ flag: '-p', summary: 'list each resident page: virtual → physical' }],
  run(ctx, args) {
    const withPages = args.includes('-p');
    const t = taskOf(ctx, args.find((a) => a !== '-p'));
    const mm = t.mm!;
    const pgd = ctx.sys.mmcore.pg;
    const rows = [`PID: ${t.pid}  TASK: ${t.comm}  PGD: ${hex(ctx.sys.layout.page_offset + mm.pgd * 4096)}  RSS: ${mm.rss_pages * 4}k  TOTAL_VM: ${mm.total_vm * 4}k`, '      START            END       FLAGS  FILE'];
    for (const v of mm.vmas) {
      const s = inspectAddressSpace(ctx.sys, t.pid).vmas.find((x) => x.start === v.vm_start)!;
      rows.push(`${v.vm_start.toString(16).padStart(12)}  ${v.vm_end.toString(16).padStart(12)}  ${v.vm_flags.toString(16).padStart(8)}  ${s.name}`);
      if (withPages) {
        walk_page_range(pgd, mm.pgd, v.vm_start, v.vm_end, {
          pte_entry: (table, idx, addr) => {
            const lo = pgd.tm.lo(table, idx);
            const pfn = entryPfn(lo, pgd.tm.hi(table, idx));
            rows.push(`    ${addr.toString(16).padStart(12)}  →  ${(pfn * 4096).toString(16)}${lo & 0x200 ? ' (zero page)' : ''}${lo & 1 ? '' : ' (PROT_NONE)'}`);
          },
        });
      }
    }
    return { text: rows.join('\n'), code: `inspectAddressSpace(sys, ${t.pid})` };
  },
});

registerCommand({
  name: 'vtop', group: 'vm', usage: 'vtop [-c PID] [-k] [-w] ADDR', summary: 'translate an address level by level (-k kernel mode, -w as a write)', example: 'vtop -c 1 0x7ffffffde000',
  options: [{ flag: '-c', summary: 'in the address space of PID (default: the newest process; kernel addresses need none)' }, { flag: '-k', summary: 'as a kernel-mode access' }, { flag: '-w', summary: 'as a write' }],
  mutates: true,
  run(ctx, args) {
    let pidWord: string | undefined;
    let kernel = false;
    let write = false;
    const rest: string[] = [];
    for (let i = 0; i < args.length; i++) {
      if (args[i] === '-c') pidWord = args[++i];
      else if (args[i] === '-k') kernel = true;
      else if (args[i] === '-w') write = true;
      else rest.push(args[i]);
    }
    const a = addrArg(rest[0]);
    const isKernel = a < 0 || (ctx.sys.config.arch === 'i386' && a >= ctx.sys.layout.page_offset);
    const t = pidWord !== undefined ? taskOf(ctx, pidWord) : isKernel ? null : taskOf(ctx, undefined);
    const r = ctx.sys.translate(t, a, write ? 'write' : 'read', kernel || isKernel ? { mode: 'kernel' } : {});
    const head = `VIRTUAL           PHYSICAL\n${r.vaddr.slice(2).padEnd(16)}  ${r.phys ? r.phys.slice(2) : '(not mapped)'}\n`;
    return { text: head + '\n' + termWalk(r, { width: ctx.width, color: ctx.c.enabled }), code: `sys.translate(${t ? t.pid : 'null'}, ${r.vaddr}${write ? ", 'write'" : ''})` };
  },
});

registerCommand({
  name: 'vmalloc', group: 'vm', usage: 'vmalloc SIZE [CALLER]', summary: 'allocate virtually contiguous kernel memory', example: 'vmalloc 20k', mutates: true,
  run(ctx, args) {
    const size = sizeArg(args[0], 'size');
    const a = ctx.sys.vmalloc(size, args[1]);
    return { text: a === null ? 'NULL (allocation failed)' : hex(a), code: `sys.vmalloc(${size})` };
  },
});

registerCommand({
  name: 'vfree', group: 'vm', usage: 'vfree ADDR', summary: 'free a vmalloc area', example: 'vfree 0xffffc90000000000', mutates: true,
  run(ctx, args) {
    const a = addrArg(args[0]);
    ctx.sys.vfree(a);
    return { text: '', code: `sys.vfree(${hex(a)})` };
  },
});

registerCommand({
  name: 'flush_tlb_all', group: 'vm', usage: 'flush_tlb_all', summary: 'drop every TLB entry (global ones too)', example: 'flush_tlb_all', mutates: true,
  run(ctx) {
    ctx.sys.flush_tlb_all();
    return { text: '', code: 'sys.flush_tlb_all()' };
  },
});

registerKmemOption({
  flag: '-v', usage: 'kmem -v', summary: 'the vmalloc areas (like crash: VMAP_AREA, VM_STRUCT, ADDRESS RANGE, SIZE)', example: 'kmem -v',
  run(ctx) {
    const rows = ['     ADDRESS RANGE                          SIZE  PAGES  KIND     CALLER'];
    for (const a of ctx.sys.mmcore.vmalloc.inspect()) rows.push(`${a.start} - ${a.end} ${String(a.size).padStart(9)} ${String(a.pages).padStart(6)}  ${a.kind.padEnd(8)} ${a.caller}`);
    rows.push(`VmallocUsed: ${ctx.sys.mmcore.vmalloc.nr_vmalloc_pages * 4} kB`);
    return { text: rows.join('\n'), code: "sys.read('/proc/vmallocinfo')" };
  },
});

registerAddrResolver({
  name: 'vmalloc', priority: 20,
  resolve(ctx, addr) {
    const v = ctx.sys.mmcore.vmalloc.lookup(addr);
    if (!v) return null;
    const off = addr - v.addr;
    const page = Math.floor(off / 4096);
    if (page >= v.pages.length) return `${hex(addr)}: guard page of the vmalloc area ${hex(v.addr)} (${v.size} bytes${v.caller ? `, ${v.caller}` : ''}): any access faults`;
    return `${hex(addr)}: vmalloc area ${hex(v.addr)}-${hex(v.addr + v.size)} (${v.size} bytes incl. guard${v.caller ? `, ${v.caller}` : ''}), page ${page} of ${v.pages.length} → pfn ${v.pages[page]} (phys ${hex(v.pages[page] * 4096 + (off % 4096))})`;
  },
});

registerAddrResolver({
  name: 'pgtable', priority: 30,
  resolve(ctx, addr) {
    const L = ctx.sys.layout;
    const phys = addr >= L.page_offset && addr < L.page_offset + L.direct_map_size ? addr - L.page_offset : addr >= 0 ? addr : -1;
    if (phys < 0) return null;
    const pfn = Math.floor(phys / 4096);
    const pg = ctx.sys.mmcore.pg;
    const owner = pg.tablePages.get(pfn);
    if (owner === undefined) return null;
    const who = owner === 0 ? 'init_mm (kernel)' : (() => {
      const t = ctx.sys.tasks.find((x) => x.mm && x.mm.ctx_id === owner);
      return t ? `pid ${t.pid} (${t.comm})` : `mm context ${owner}`;
    })();
    const idx = Math.floor((phys % 4096) / pg.g.entryBytes);
    return `${hex(addr)}: page-table page (PGTY.table) of ${who}, entry ${idx}: ${pg.tm.hi(pfn, idx).toString(16).padStart(8, '0')}${pg.tm.lo(pfn, idx).toString(16).padStart(8, '0')}`;
  },
});

PICTURES.push(
  {
    name: 'pgtable', args: 'PID [ADDR]', summary: 'the page walk of ADDR in PID (default: the start of its first VMA)',
    draw: (ctx, args) => {
      const t = taskOf(ctx, args[0]);
      const a = args[1] ? addrArg(args[1]) : t.mm!.vmas[0].vm_start;
      return { text: termWalk(ctx.sys.translate(t, a), { width: ctx.width, color: ctx.c.enabled }), code: `termWalk(sys.translate(${t.pid}, ${hex(a)}))` };
    },
  },
  {
    name: 'tlb', args: '[ARRAY]', summary: 'the TLB sets and ways (ARRAY 0 = dTLB-4K, 1 = 2M, 2 = 1G, 3 = STLB)',
    draw: (ctx, args) => ({
      text: termTlb(ctx.sys.tlb.inspect(), { width: ctx.width, color: ctx.c.enabled, array: args[0] ? parseUint(args[0], 'array', 3) : 0 }),
      code: 'termTlb(sys.tlb.inspect())',
    }),
  },
  {
    name: 'vm', args: 'PID', summary: 'the VMAs of a process on a log-scaled line',
    draw: (ctx, args) => {
      const t = taskOf(ctx, args[0]);
      return { text: termAddressSpace(inspectAddressSpace(ctx.sys, t.pid), { width: ctx.width, color: ctx.c.enabled }), code: `termAddressSpace(inspectAddressSpace(sys, ${t.pid}))` };
    },
  },
);
