// Wrong: divides by the ratio of the upper zone j instead of the protecting zone i.
export default function lowmem_reserve(q: { ratio: number[]; managed: number[] }): number[][] {
  const n = q.managed.length;
  return q.managed.map((m, i) => {
    const row = new Array(n).fill(0);
    if (!m) return row;
    let sum = 0;
    for (let j = i + 1; j < n; j++) {
      sum += q.managed[j];
      row[j] = q.ratio[j] ? Math.floor(sum / q.ratio[j]) : 0;
    }
    return row;
  });
}
