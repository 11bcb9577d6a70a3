// Wrong: divides only zone j's pages instead of all zones between i and j.
export default function lowmem_reserve(q: { ratio: number[]; managed: number[] }): number[][] {
  const n = q.managed.length;
  return q.managed.map((m, i) => Array.from({ length: n }, (_, j) => (j > i && q.ratio[i] && m ? Math.floor(q.managed[j] / q.ratio[i]) : 0)));
}
