// Wrong: counts the PTE tables (one per 2 MiB region touched) and forgets the levels above.
export default function count(q: { paging: string; levels: { name: string; shift: number; bits: number }[]; ranges: [number, number][] }): number {
  const span = 2 ** q.levels[q.levels.length - 2].shift;
  const seen = new Set<number>();
  for (const [start, pages] of q.ranges) {
    for (let k = Math.floor(start / span); k <= Math.floor((start + pages * 4096 - 1) / span); k++) seen.add(k);
  }
  return seen.size;
}
