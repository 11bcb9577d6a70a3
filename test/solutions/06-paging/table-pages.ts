// Reference solution of 06-paging/table-pages (__pud_alloc/__pmd_alloc/__pte_alloc allocate on first use).
export default function count(q: { paging: string; levels: { name: string; shift: number; bits: number }[]; ranges: [number, number][] }): number {
  let n = 0;
  for (let d = 1; d < q.levels.length; d++) {
    const span = 2 ** q.levels[d - 1].shift;
    const seen = new Set<number>();
    for (const [start, pages] of q.ranges) {
      const first = Math.floor(start / span);
      const last = Math.floor((start + pages * 4096 - 1) / span);
      for (let k = first; k <= last; k++) seen.add(k);
    }
    n += seen.size;
  }
  return n;
}
