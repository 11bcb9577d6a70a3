// Reference solution of 02-zones/lowmem-reserve (setup_per_zone_lowmem_reserve, mm/page_alloc.c).
export default function lowmem_reserve(q: { ratio: number[]; managed: number[] }): number[][] {
  const n = q.managed.length;
  return q.managed.map((m, i) => {
    const row = new Array(n).fill(0);
    if (!q.ratio[i] || !m) return row;
    let sum = 0;
    for (let j = i + 1; j < n; j++) {
      sum += q.managed[j];
      row[j] = Math.floor(sum / q.ratio[i]);
    }
    return row;
  });
}
