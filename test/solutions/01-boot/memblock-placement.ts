// Reference solution of 01-boot/memblock-placement (memblock_find_in_range_node, top-down and bottom-up).
export default function place(q: { memory: number[][]; reserved: number[][]; allocs: { size: number; align: number }[]; bottomUp: boolean }): number[] {
  const mem = q.memory.map(([b, s]) => [b, b + s]).sort((a, b) => a[0] - b[0]);
  const res = q.reserved.map(([b, s]) => [b, b + s]);
  const freeRanges = (): number[][] => {
    const r = res.slice().sort((a, b) => a[0] - b[0]);
    const out: number[][] = [];
    for (const [ms, me] of mem) {
      let s = ms;
      for (const [rs, re] of r) {
        if (re <= s) continue;
        if (rs >= me) break;
        if (rs > s) out.push([s, rs]);
        s = Math.max(s, re);
        if (s >= me) break;
      }
      if (s < me) out.push([s, me]);
    }
    // memblock never allocates the first page
    return out.map(([s, e]) => [Math.max(s, 4096), e]).filter(([s, e]) => e > s);
  };
  return q.allocs.map(({ size, align }) => {
    const free = freeRanges();
    let found = 0;
    if (q.bottomUp) {
      for (const [s, e] of free) {
        const cand = Math.ceil(s / align) * align;
        if (cand < e && cand + size <= e) {
          found = cand;
          break;
        }
      }
    } else {
      for (let i = free.length - 1; i >= 0; i--) {
        const [s, e] = free[i];
        if (e < size) continue;
        const cand = Math.floor((e - size) / align) * align;
        if (cand >= s) {
          found = cand;
          break;
        }
      }
    }
    if (found) res.push([found, found + size]);
    return found;
  });
}
