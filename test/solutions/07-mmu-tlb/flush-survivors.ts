// Reference solution of 07-mmu-tlb/flush-survivors (arch/x86/mm/tlb.c flush functions, INVLPG).
export default function survivors(q: { entries: { vaddr: number; asid: number | 'global' }[]; op: { name: string; asid?: number; addr?: number; start?: number; end?: number } }): number[] {
  const op = q.op;
  const page = (a: number): number => Math.floor(a / 4096);
  const gone = (e: { vaddr: number; asid: number | 'global' }): boolean => {
    const g = e.asid === 'global';
    const inRange = (s: number, t: number): boolean => page(e.vaddr) >= page(s) && page(e.vaddr) < Math.ceil(t / 4096);
    switch (op.name) {
      case 'flush_tlb_all':
        return true;
      case 'flush_tlb_mm':
        return e.asid === op.asid;
      case 'flush_tlb_page':
        return (g || e.asid === op.asid) && page(e.vaddr) === page(op.addr!);
      case 'flush_tlb_range':
        if ((op.end! - op.start!) / 4096 > 33) return e.asid === op.asid;
        return (g || e.asid === op.asid) && inRange(op.start!, op.end!);
      case 'flush_tlb_kernel_range':
        if ((op.end! - op.start!) / 4096 > 33) return true;
        return g && inRange(op.start!, op.end!);
      default:
        return false;
    }
  };
  const out: number[] = [];
  q.entries.forEach((e, i) => { if (!gone(e)) out.push(i); });
  return out;
}
