// Wrong: forgets the reserved ranges that existed before (only its own allocations are avoided).
export default function place(q: { memory: number[][]; reserved: number[][]; allocs: { size: number; align: number }[]; bottomUp: boolean }): number[] {
  const mem = q.memory.map(([b, s]) => [b, b + s]).sort((a, b) => a[0] - b[0]);
  const res: number[][] = [];
  return q.allocs.map(({ size, align }) => {
    const r = res.slice().sort((a, b) => a[0] - b[0]);
    const free: number[][] = [];
    for (const [ms, me] of mem) {
      let s = ms;
      for (const [rs, re] of r) {
        if (re <= s || rs >= me) continue;
        if (rs > s) free.push([s, rs]);
        s = Math.max(s, re);
      }
      if (s < me) free.push([Math.max(s, 4096), me]);
    }
    let found = 0;
    const order = q.bottomUp ? free : free.slice().reverse();
    for (const [s, e] of order) {
      const cand = q.bottomUp ? Math.ceil(s / align) * align : Math.floor((e - size) / align) * align;
      if (cand >= s && cand + size <= e) {
        found = cand;
        break;
      }
    }
    if (found) res.push([found, found + size]);
    return found;
  });
}
