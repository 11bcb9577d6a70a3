// Wrong: range flushes always go page by page (forgets tlb_single_page_flush_ceiling).
export default function survivors(q: { entries: { vaddr: number; asid: number | 'global' }[]; op: { name: string; asid?: number; addr?: number; start?: number; end?: number } }): number[] {
  const op = q.op;
  const page = (a: number): number => Math.floor(a / 4096);
  const gone = (e: { vaddr: number; asid: number | 'global' }): boolean => {
    const g = e.asid === 'global';
    const inRange = (s: number, t: number): boolean => page(e.vaddr) >= page(s) && page(e.vaddr) < Math.ceil(t / 4096);
    if (op.name === 'flush_tlb_all') return true;
    if (op.name === 'flush_tlb_mm') return e.asid === op.asid;
    if (op.name === 'flush_tlb_page') return (g || e.asid === op.asid) && page(e.vaddr) === page(op.addr!);
    if (op.name === 'flush_tlb_range') return (g || e.asid === op.asid) && inRange(op.start!, op.end!);
    if (op.name === 'flush_tlb_kernel_range') return g && inRange(op.start!, op.end!);
    return false;
  };
  const out: number[] = [];
  q.entries.forEach((e, i) => { if (!gone(e)) out.push(i); });
  return out;
}
