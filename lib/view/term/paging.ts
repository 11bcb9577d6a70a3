/**
 * Paging in the terminal: a page-table walk, a process address space and the TLB sets.
 *
 * Mirrors: see ../svg/paging.ts (same snapshots, same colours per level).
 * Models: pure functions of TranslateResult, AddressSpaceSnapshot and TlbSnapshot, never wider
 * than the width given; with `color: false` plain text (the level of each bit group is then
 * marked by a letter under it).
 * See: chapter 06 (page tables), chapter 07 (MMU and TLB), chapter 08 (address spaces).
 */
import type { TranslateResult } from '../../arch/x86/mmu.js';
import type { TlbSnapshot } from '../../arch/x86/tlb.js';
import type { AddressSpaceSnapshot } from '../../kernel/fork.js';
import { addressBits, bitGroups, isAddressSpace, isTlbSnapshot, isTranslateResult, LEVEL_COLORS, svgAddressSpace, svgTlb, svgWalk } from '../svg/paging.js';
import { registerView } from '../show.js';
import { bold, dim, fitLines, paint, rule, termCtx, type TermOptions } from './kit.js';

/** The walk of one access, level by level, with the address bits coloured by level. */
export function termWalk(r: TranslateResult, o: TermOptions = {}): string {
  const ctx = termCtx(o);
  const c = ctx.color;
  const lines: string[] = [];
  lines.push(rule(`walk ${r.vaddr} (${r.access}, ${r.mode}) · ${r.paging} · TLB ${r.tlb}`, ctx.width, c));
  const nbits = r.paging.startsWith('x86_64') ? 64 : 32;
  const bits = addressBits(r.vaddr, nbits);
  let top = '';
  let under = '';
  for (const g of bitGroups(r)) {
    const seg = bits.slice(nbits - 1 - g.hi, nbits - g.lo);
    top += paint(seg, { bg: LEVEL_COLORS[g.label], fg: '#ffffff' }, c) + ' ';
    under += (g.label === 'sign' ? '' : g.label.toUpperCase()).padEnd(seg.length).slice(0, seg.length) + ' ';
  }
  if (ctx.width >= nbits + 12) {
    lines.push(top);
    lines.push(dim(under, c));
  }
  for (const l of r.levels) {
    const name = paint(l.level.toUpperCase().padEnd(4), { fg: LEVEL_COLORS[l.level], bold: true }, c);
    lines.push(`${name}[${String(l.index).padStart(3)}] @ ${l.entry_phys}  ${l.entry}  ${l.present ? '' : 'not present '}${l.leaf ? 'leaf ' : ''}${dim(l.flags.join('|'), c)}`);
  }
  if (r.phys) lines.push(bold(`=> phys ${r.phys}  (pfn 0x${(r.pfn ?? 0).toString(16)}, ${r.page_size! >= 2 ** 30 ? '1 GiB' : r.page_size! >= 2 ** 21 ? `${r.page_size! / 2 ** 20} MiB` : '4 KiB'} page)`, c));
  else if (r.fault) lines.push(paint(`=> #PF (error ${r.fault.error_code}): ${r.fault.kind}: ${r.fault.reason}`, { fg: '#D55E00', bold: true }, c));
  return fitLines(lines, ctx.width);
}

/** A task's VMAs, one line each, with a log-scaled position bar. */
export function termAddressSpace(a: AddressSpaceSnapshot, o: TermOptions = {}): string {
  const ctx = termCtx(o);
  const c = ctx.color;
  const lines: string[] = [];
  lines.push(rule(`pid ${a.pid} (${a.comm}): ${a.vmas.length} VMAs, RSS ${(a.rss_anon + a.rss_file) * 4} kB, page tables ${a.pgtables_bytes / 1024} kB`, ctx.width, c));
  const nameW = Math.min(24, Math.max(7, ...a.vmas.map((v) => v.name.length)));
  const barW = Math.max(8, Math.min(40, ctx.width - 57 - nameW));
  const lo = 12;
  const hi = a.user_bits;
  const pos = (x: number) => Math.min(barW - 1, Math.max(0, barW - 1 - Math.floor(((Math.log2(Math.max(a.task_size - x, 2 ** lo)) - lo) / (hi - lo)) * barW)));
  for (const v of a.vmas) {
    const bar = Array.from({ length: barW }, () => '·');
    for (let i = pos(v.start); i <= pos(v.end - 1); i++) bar[i] = '█';
    const size = `${(v.end - v.start) / 1024}k`;
    lines.push(`${v.startHex.slice(2).padStart(12)}-${v.endHex.slice(2).padStart(12)} ${v.perms} ${size.padStart(9)} rss ${String(v.rss * 4).padStart(6)}k ${v.name.slice(0, nameW).padEnd(nameW)} ${dim(bar.join(''), c)}`);
  }
  lines.push(dim(`bar: log2 of the distance below TASK_SIZE (2^${lo} at the right .. 2^${hi} at the left)`, c));
  return fitLines(lines, ctx.width);
}

/** The sets and ways of a TLB array (the L1 dTLB by default). */
export function termTlb(s: TlbSnapshot, o: TermOptions & { array?: number } = {}): string {
  const ctx = termCtx(o);
  const c = ctx.color;
  const arr = s.arrays[o.array ?? 0];
  const st = s.stats;
  const lines: string[] = [];
  lines.push(rule(`${arr.name}: ${arr.sets} sets × ${arr.ways} ways, ASID ${s.loaded_asid} loaded`, ctx.width, c));
  lines.push(`lookups ${st.lookups}  L1 hits ${st.l1_hits} (${(s.l1_hit_rate * 100).toFixed(2)}%)  STLB hits ${st.l2_hits}  walks ${st.walks}  flushes ${st.full_flushes} full / ${st.page_flushes} page`);
  const cw = Math.max(12, Math.floor((ctx.width - 8) / arr.ways) - 1);
  for (let set = 0; set < arr.sets; set++) {
    let row = `set ${String(set).padStart(2)} `;
    for (let w = 0; w < arr.ways; w++) {
      const e = arr.entries[set * arr.ways + w];
      const cell = e.valid ? `${e.asid < 0 ? 'G' : e.asid}:${Math.abs(e.vpn).toString(16)}` : '-';
      row += ' ' + (e.valid && e.asid < 0 ? bold(cell.slice(0, cw).padEnd(cw), c) : cell.slice(0, cw).padEnd(cw));
    }
    lines.push(row);
  }
  lines.push(dim('cells: ASID:vpn (G = global kernel entry, - = invalid)', c));
  return fitLines(lines, ctx.width);
}

// ---- show(): the three pictures in the view registry (notebooks: SVG; REPL: text) ----
registerView(isTranslateResult, (x) => ({ svg: svgWalk(x as TranslateResult), text: termWalk(x as TranslateResult, { color: false }) }), {
  name: 'page-walk', terminal: (x, o) => termWalk(x as TranslateResult, o),
});
registerView(isAddressSpace, (x) => ({ svg: svgAddressSpace(x as AddressSpaceSnapshot), text: termAddressSpace(x as AddressSpaceSnapshot, { color: false }) }), {
  name: 'address-space', terminal: (x, o) => termAddressSpace(x as AddressSpaceSnapshot, o),
});
registerView(isTlbSnapshot, (x) => ({ svg: svgTlb(x as TlbSnapshot), text: termTlb(x as TlbSnapshot, { color: false }) }), {
  name: 'tlb', terminal: (x, o) => termTlb(x as TlbSnapshot, o),
});
