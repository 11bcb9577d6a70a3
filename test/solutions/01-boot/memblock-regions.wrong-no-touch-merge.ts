// Wrong: merges overlapping regions but not regions that only touch.
export default function apply_ops(ops: { op: 'add' | 'remove'; base: number; size: number }[]): number[][] {
  let iv: number[][] = [];
  for (const o of ops) {
    const s = o.base;
    const e = o.base + o.size;
    if (o.op === 'add') {
      let ns = s;
      let ne = e;
      const keep: number[][] = [];
      for (const [a, b] of iv) {
        if (b <= ns || a >= ne) keep.push([a, b]);
        else {
          ns = Math.min(ns, a);
          ne = Math.max(ne, b);
        }
      }
      keep.push([ns, ne]);
      iv = keep.sort((x, y) => x[0] - y[0]);
    } else {
      const keep: number[][] = [];
      for (const [a, b] of iv) {
        if (b <= s || a >= e) keep.push([a, b]);
        else {
          if (a < s) keep.push([a, s]);
          if (b > e) keep.push([e, b]);
        }
      }
      iv = keep;
    }
  }
  return iv.map(([a, b]) => [a, b - a]);
}
