// Reference solution of 07-mmu-tlb/tlb-hits (a set-associative TLB with LRU replacement).
export default function predict(q: { entries: number; ways: number; vpns: number[] }): string {
  const nsets = q.entries / q.ways;
  const sets: number[][] = Array.from({ length: nsets }, () => []); // least recently used first
  let out = '';
  for (const v of q.vpns) {
    const s = sets[v % nsets];
    const i = s.indexOf(v);
    if (i >= 0) {
      s.splice(i, 1);
      out += 'H';
    } else {
      if (s.length === q.ways) s.shift();
      out += 'M';
    }
    s.push(v);
  }
  return out;
}
