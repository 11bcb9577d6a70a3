// Wrong: global entries survive every flush except flush_tlb_all (INVLPG removes them too).
export default function survivors(q: { entries: { vaddr: number; asid: number | 'global' }[]; op: { name: string; asid?: number; addr?: number; start?: number; end?: number } }): number[] {
  const op = q.op;
  const page = (a: number): number => Math.floor(a / 4096);
  const gone = (e: { vaddr: number; asid: number | 'global' }): boolean => {
    const g = e.asid === 'global';
    const big = op.end !== undefined && (op.end - op.start!) / 4096 > 33;
    const inRange = page(e.vaddr) >= page(op.start ?? 0) && page(e.vaddr) < Math.ceil((op.end ?? 0) / 4096);
    if (op.name === 'flush_tlb_all') return true;
    if (g) return op.name === 'flush_tlb_kernel_range' && (big || inRange);
    if (op.name === 'flush_tlb_mm') return e.asid === op.asid;
    if (op.name === 'flush_tlb_page') return e.asid === op.asid && page(e.vaddr) === page(op.addr!);
    if (op.name === 'flush_tlb_range') return e.asid === op.asid && (big || inRange);
    if (op.name === 'flush_tlb_kernel_range') return big;
    return false;
  };
  const out: number[] = [];
  q.entries.forEach((e, i) => { if (!gone(e)) out.push(i); });
  return out;
}
