/**
 * Pictures of paging: a page-table walk, a process address space and the TLB.
 *
 * Mirrors: the hardware walk of arch/x86 (Intel SDM vol. 3 §4.5), the VMAs of
 * /proc/PID/maps (fs/proc/task_mmu.c), the dTLB as arch/x86/mm/tlb.c manages it.
 * Models: pure functions of snapshots: `TranslateResult` (sys.translate), `AddressSpaceSnapshot`
 * (inspectAddressSpace) and `TlbSnapshot` (sys.tlb.inspect()).
 *  - svgWalk: the address's bits in groups coloured by the level that consumes them, then one
 *    table per level with the chosen entry highlighted (index, value, flags) and an arrow to the
 *    next table, ending at the page (or at the fault).
 *  - svgAddressSpace: VMAs on a log-scaled address line (so a 132 KiB stack and a 1 GiB mapping
 *    both show), with their permissions, names and resident sizes.
 *  - svgTlb: the sets and ways of the first-level TLB, each way coloured by its ASID (global
 *    entries dark), with hit rates.
 * See: chapter 06 (page tables), chapter 07 (MMU and TLB), chapter 08 (address spaces).
 */
import type { TranslateResult } from '../../arch/x86/mmu.js';
import { GEOMETRY_I386, GEOMETRY_I386_PAE, GEOMETRY_X86_64, GEOMETRY_X86_64_LA57 } from '../../arch/x86/pgtable.js';
import type { TlbSnapshot } from '../../arch/x86/tlb.js';
import type { AddressSpaceSnapshot } from '../../kernel/fork.js';
import { esc, inkOn, legend, line, MUTED, OKABE_ITO, path, rect, RULE, svgDoc, text, titleBlock, type LegendEntry } from './kit.js';

/** Colour of each level's index bits (and of its table in the walk). */
export const LEVEL_COLORS: Readonly<Record<string, string>> = {
  pgd: OKABE_ITO.blue,
  p4d: OKABE_ITO.purple,
  pud: OKABE_ITO.green,
  pmd: OKABE_ITO.orange,
  pte: OKABE_ITO.vermillion,
  offset: '#8c8c8c',
  sign: '#d9d9d9',
};

/** Bit groups of an address for a walk: every hardware level of the paging mode, then the offset. */
export function bitGroups(r: TranslateResult): { hi: number; lo: number; label: string; reached: boolean }[] {
  const g = [GEOMETRY_I386, GEOMETRY_I386_PAE, GEOMETRY_X86_64, GEOMETRY_X86_64_LA57].find((x) => x.mode === r.paging) ?? GEOMETRY_X86_64;
  const top = r.paging.startsWith('x86_64') ? 63 : 31;
  const out: { hi: number; lo: number; label: string; reached: boolean }[] = [];
  const first = g.walk[0].shift + g.walk[0].bits - 1;
  if (top > first) out.push({ hi: top, lo: first + 1, label: 'sign', reached: true });
  const leafIdx = r.levels.findIndex((l) => l.leaf);
  const last = leafIdx >= 0 ? leafIdx : g.walk.length - 1;
  for (let i = 0; i <= last; i++) {
    const L = g.walk[i];
    out.push({ hi: L.shift + L.bits - 1, lo: L.shift, label: L.name, reached: i < r.levels.length });
  }
  out.push({ hi: g.walk[last].shift - 1, lo: 0, label: 'offset', reached: true });
  return out;
}

/** The address as a string of bits, most significant first. */
export function addressBits(vaddrHex: string, bits: number): string {
  return BigInt(vaddrHex).toString(2).padStart(bits, '0').slice(-bits);
}

/** The page-table walk of one access. */
export function svgWalk(r: TranslateResult, o: { title?: string } = {}): string {
  const W = 900;
  const pad = 16;
  let y = pad;
  let body = '';
  const t = titleBlock(o.title ?? `Page walk: ${r.vaddr} (${r.access}, ${r.mode})`, `${r.paging}${r.folded.length ? `, folded: ${r.folded.join(', ')}` : ''} · TLB ${r.tlb === 'miss' ? 'miss → walk' : `hit (${r.tlb.toUpperCase()})`}${r.pid !== null ? ` · pid ${r.pid} (${r.comm})` : ''}`, pad, y);
  body += t.svg;
  y += t.height + 8;
  // the bits
  const nbits = r.paging.startsWith('x86_64') ? 64 : 32;
  const bits = addressBits(r.vaddr, nbits);
  const groups = bitGroups(r);
  const cellW = (W - 2 * pad) / nbits;
  const bh = 22;
  for (const g of groups) {
    const x0 = pad + (nbits - 1 - g.hi) * cellW;
    const w = (g.hi - g.lo + 1) * cellW;
    const color = LEVEL_COLORS[g.label] ?? MUTED;
    body += rect(x0, y, w, bh, { fill: color, stroke: '#ffffff', opacity: g.reached ? 1 : 0.35, title: `${g.label}: bits ${g.hi}..${g.lo}${g.reached ? '' : ' (not reached: the walk stopped above)'}` });
    for (let b = g.hi; b >= g.lo; b--) {
      const bx = pad + (nbits - 1 - b) * cellW + cellW / 2;
      body += text(bx, y + bh / 2 + 1, bits[nbits - 1 - b], { size: Math.min(11, cellW * 1.3), anchor: 'middle', baseline: 'middle', fill: g.reached ? inkOn(color) : '#1f2328' });
    }
    const label = g.label === 'sign' ? 'sign ext.' : g.label === 'offset' ? `offset ${g.hi + 1} bits` : `${g.label.toUpperCase()} ${g.hi}..${g.lo}${g.reached ? '' : ' (unused)'}`;
    body += text(x0 + w / 2, y + bh + 13, label, { size: 10.5, anchor: 'middle', fill: MUTED });
  }
  y += bh + 30;
  // the levels
  const n = r.levels.length;
  const colW = Math.min(200, (W - 2 * pad - 150 - 12 * n) / Math.max(1, n));
  const boxH = 150;
  for (let i = 0; i < n; i++) {
    const l = r.levels[i];
    const x = pad + i * (colW + 12);
    const color = LEVEL_COLORS[l.level];
    body += rect(x, y, colW, boxH, { fill: '#f6f8fa', stroke: RULE, rx: 4, title: `${l.level.toUpperCase()} table at pfn 0x${l.table_pfn.toString(16)}` });
    body += rect(x, y, colW, 20, { fill: color, rx: 4 });
    body += text(x + 8, y + 14, `${l.level.toUpperCase()} table`, { size: 12, weight: 'bold', fill: inkOn(color) });
    body += text(x + 8, y + 36, `pfn 0x${l.table_pfn.toString(16)}`, { size: 10.5, fill: MUTED });
    // the chosen entry
    const ey = y + 50;
    body += rect(x + 6, ey, colW - 12, 46, { fill: '#ffffff', stroke: color, strokeWidth: 2, rx: 3, title: `entry ${l.index} at phys ${l.entry_phys}` });
    body += text(x + 12, ey + 15, `[${l.index}]${l.leaf ? ' leaf' : ''}${l.present ? '' : ' not present'}`, { size: 11, weight: 'bold' });
    body += text(x + 12, ey + 33, l.entry, { size: 10.5 });
    // the flags, wrapped at word boundaries
    const per = Math.floor((colW - 12) / 6.1);
    const rows: string[] = [];
    let cur = '';
    for (const f of l.flags) {
      if (cur && (cur + ' ' + f).length > per) {
        rows.push(cur);
        cur = f;
      } else cur = cur ? cur + ' ' + f : f;
    }
    if (cur) rows.push(cur);
    rows.slice(0, 4).forEach((row, k) => {
      body += text(x + 8, ey + 64 + k * 14, row, { size: 10, fill: MUTED });
    });
    if (i < n - 1 || (l.leaf && r.phys)) {
      const ax = x + colW;
      const ay = ey + 23;
      body += path(`M ${ax - 6} ${ay} L ${ax + 12} ${ay}`, { stroke: INK_ARROW, width: 1.5 });
      body += path(`M ${ax + 7} ${ay - 4} L ${ax + 12} ${ay} L ${ax + 7} ${ay + 4}`, { stroke: INK_ARROW, width: 1.5 });
    }
  }
  // the result
  const rx = pad + n * (colW + 12);
  const rw = W - pad - rx;
  if (r.phys) {
    body += rect(rx, y, rw, boxH, { fill: '#eef7ee', stroke: OKABE_ITO.green, rx: 4 });
    body += text(rx + 8, y + 18, 'page', { size: 12, weight: 'bold' });
    body += text(rx + 8, y + 40, `pfn 0x${(r.pfn ?? 0).toString(16)}`, { size: 11 });
    body += text(rx + 8, y + 58, `size ${r.page_size === 4096 ? '4 KiB' : r.page_size === 2 ** 21 ? '2 MiB' : r.page_size === 2 ** 22 ? '4 MiB' : '1 GiB'}`, { size: 11 });
    body += text(rx + 8, y + 80, 'phys', { size: 10.5, fill: MUTED });
    body += text(rx + 8, y + 96, r.phys, { size: 11, weight: 'bold' });
  } else if (r.fault) {
    body += rect(rx, y, rw, boxH, { fill: '#fdeeee', stroke: OKABE_ITO.vermillion, rx: 4 });
    body += text(rx + 8, y + 18, `#PF ${r.fault.kind}`, { size: 12, weight: 'bold' });
    body += text(rx + 8, y + 38, `error code ${r.fault.error_code}`, { size: 11 });
    const words = r.fault.reason.split(' ');
    let lineText = '';
    let ly = y + 58;
    for (const w of words) {
      if ((lineText + ' ' + w).length * 6.2 > rw - 16) {
        body += text(rx + 8, ly, lineText.trim(), { size: 10.5, fill: MUTED });
        ly += 14;
        lineText = '';
      }
      lineText += ' ' + w;
    }
    if (lineText.trim()) body += text(rx + 8, ly, lineText.trim(), { size: 10.5, fill: MUTED });
  }
  y += boxH + pad;
  return svgDoc(W, y, body, { title: `page walk of ${esc(r.vaddr)}` });
}

const INK_ARROW = '#1f2328';

/** Colour of a VMA by its permissions. */
function vmaColor(perms: string, name: string): string {
  if (name === '[stack]') return OKABE_ITO.purple;
  if (name === '[heap]') return OKABE_ITO.orange;
  if (perms.includes('x')) return OKABE_ITO.vermillion;
  if (perms[3] === 's') return OKABE_ITO.green;
  if (perms.startsWith('rw')) return OKABE_ITO.blue;
  if (perms.startsWith('r')) return OKABE_ITO.sky;
  return '#b8b8b8';
}

/** A process address space: VMAs on a log-scaled address line. */
export function svgAddressSpace(a: AddressSpaceSnapshot, o: { title?: string } = {}): string {
  const W = 900;
  const pad = 16;
  let y = pad;
  let body = '';
  const t = titleBlock(o.title ?? `Address space of ${a.comm} (pid ${a.pid})`, `${a.vmas.length} VMAs · RSS ${(a.rss_anon + a.rss_file) * 4} KiB (anon ${a.rss_anon * 4}, file ${a.rss_file * 4}) · page tables ${a.pgtables_bytes / 1024} KiB · axis: log of the distance below TASK_SIZE`, pad, y);
  body += t.svg;
  y += t.height + 10;
  const x0 = pad + 10;
  const x1 = W - pad - 10;
  // log scale of the distance below TASK_SIZE: the stack, the mmap area and the heap all show
  const lo = 12;
  const hi = a.user_bits;
  const xOf = (addr: number) => x1 - ((Math.log2(Math.max(a.task_size - addr, 2 ** lo)) - lo) / (hi - lo)) * (x1 - x0);
  const axisY = y + 40;
  body += line(x0, axisY, x1, axisY, { stroke: MUTED });
  for (let b = lo; b <= hi; b += 5) {
    const x = xOf(a.task_size - 2 ** b);
    body += line(x, axisY - 3, x, axisY + 3, { stroke: MUTED });
    body += text(x, axisY + 16, `top−2^${b}`, { size: 9.5, anchor: 'middle', fill: MUTED });
  }
  let row = 0;
  let lastEnd = -Infinity;
  for (const v of a.vmas) {
    const xs = xOf(v.start);
    const xe = Math.max(xs + 4, xOf(v.end));
    row = xs < lastEnd + 2 ? (row + 1) % 3 : 0;
    lastEnd = xe;
    const color = vmaColor(v.perms, v.name);
    const by = axisY - 30 + row * 0;
    body += rect(xs, by, xe - xs, 24, { fill: color, stroke: '#ffffff', title: `${v.startHex}-${v.endHex} ${v.perms} ${v.name} · ${(v.end - v.start) / 1024} KiB · RSS ${v.rss * 4} KiB` });
  }
  y = axisY + 26;
  // the table of VMAs
  const rowH = 16;
  body += text(pad, y + 12, 'start            end              perms   size        rss      name', { size: 11, weight: 'bold', pre: true });
  y += rowH + 2;
  for (const v of a.vmas) {
    const size = `${(v.end - v.start) / 1024} KiB`;
    const s = `${v.startHex.slice(2).padStart(12)}   ${v.endHex.slice(2).padStart(12)}   ${v.perms}    ${size.padStart(10)}  ${(v.rss * 4 + ' KiB').padStart(8)}  ${v.name}`;
    body += rect(pad, y + 2, 10, 10, { fill: vmaColor(v.perms, v.name) });
    body += text(pad + 14, y + 11, s, { size: 11, pre: true });
    y += rowH;
  }
  const entries: LegendEntry[] = [
    { label: 'rw- private', color: OKABE_ITO.blue }, { label: 'r-- ', color: OKABE_ITO.sky }, { label: 'executable', color: OKABE_ITO.vermillion },
    { label: 'shared', color: OKABE_ITO.green }, { label: '[heap]', color: OKABE_ITO.orange }, { label: '[stack]', color: OKABE_ITO.purple },
    { label: 'PROT_NONE', color: '#b8b8b8' },
  ];
  const lg = legend(entries, pad, y + 8, W - 2 * pad);
  body += lg.svg;
  y += lg.height + 16;
  return svgDoc(W, y, body, { title: `address space of pid ${a.pid}` });
}

const ASID_COLORS = [OKABE_ITO.blue, OKABE_ITO.orange, OKABE_ITO.green, OKABE_ITO.purple, OKABE_ITO.sky, OKABE_ITO.vermillion];

/** The first-level TLB: sets × ways, coloured by ASID (global entries dark). */
export function svgTlb(s: TlbSnapshot, o: { title?: string; array?: number } = {}): string {
  const arr = s.arrays[o.array ?? 0];
  const W = 900;
  const pad = 16;
  let y = pad;
  let body = '';
  const st = s.stats;
  const t = titleBlock(o.title ?? `${arr.name}: ${arr.sets} sets × ${arr.ways} ways`, `lookups ${st.lookups} · L1 hit rate ${(s.l1_hit_rate * 100).toFixed(2)} % · with STLB ${(s.hit_rate * 100).toFixed(2)} % · walks ${st.walks} · flushes ${st.full_flushes} full, ${st.page_flushes} pages · loaded ASID ${s.loaded_asid} (PCID ${s.loaded_asid + 1})`, pad, y);
  body += t.svg;
  y += t.height + 8;
  const labelW = 60;
  const cw = Math.min(200, (W - 2 * pad - labelW) / arr.ways);
  const ch = arr.sets > 32 ? 12 : 22;
  for (let w = 0; w < arr.ways; w++) body += text(pad + labelW + w * cw + cw / 2, y + 10, `way ${w}`, { size: 10.5, anchor: 'middle', fill: MUTED });
  y += 16;
  for (let set = 0; set < arr.sets; set++) {
    body += text(pad, y + ch / 2 + 4, `set ${set}`, { size: 10.5, fill: MUTED });
    for (let w = 0; w < arr.ways; w++) {
      const e = arr.entries[set * arr.ways + w];
      const x = pad + labelW + w * cw;
      if (!e.valid) {
        body += rect(x + 1, y + 1, cw - 2, ch - 2, { fill: '#f6f8fa', stroke: RULE, title: 'invalid' });
        continue;
      }
      const fill = e.asid < 0 ? '#333333' : ASID_COLORS[e.asid % ASID_COLORS.length];
      const label = `${e.vaddr < 0 ? '-' : ''}vpn ${Math.abs(e.vpn).toString(16)} → ${e.pfn.toString(16)}`;
      body += rect(x + 1, y + 1, cw - 2, ch - 2, { fill, title: `vaddr ${e.vaddr.toString(16)} pfn 0x${e.pfn.toString(16)} asid ${e.asid < 0 ? 'global' : e.asid} ${e.flags.join(' ')} lru ${e.lru}` });
      if (ch >= 20) body += text(x + 6, y + ch / 2 + 4, label.slice(0, Math.floor(cw / 6.2)), { size: 10, fill: inkOn(fill) });
    }
    y += ch;
  }
  const entries: LegendEntry[] = [
    ...s.asids.filter((a) => a.ctx_id).map((a) => ({ label: `ASID ${a.asid} (ctx ${a.ctx_id})`, color: ASID_COLORS[a.asid % ASID_COLORS.length] })),
    { label: 'global (kernel)', color: '#333333' },
    { label: 'invalid', color: '#f6f8fa' },
  ];
  const lg = legend(entries, pad, y + 10, W - 2 * pad);
  body += lg.svg;
  y += lg.height + 20;
  return svgDoc(W, y, body, { title: `TLB ${arr.name}` });
}

// ---- recognising the snapshots (for show()) ----

/** True for a `sys.translate` result. */
export function isTranslateResult(x: unknown): x is TranslateResult {
  return !!x && typeof x === 'object' && 'levels' in x && 'paging' in x && 'vaddr' in x && 'tlb' in x;
}
/** True for an `inspectAddressSpace` snapshot. */
export function isAddressSpace(x: unknown): x is AddressSpaceSnapshot {
  return !!x && typeof x === 'object' && 'vmas' in x && 'pid' in x && 'user_bits' in x;
}
/** True for a `sys.tlb.inspect()` snapshot. */
export function isTlbSnapshot(x: unknown): x is TlbSnapshot {
  return !!x && typeof x === 'object' && 'arrays' in x && 'asids' in x && 'stats' in x;
}
