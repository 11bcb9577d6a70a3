// Wrong: memblock_remove drops every region it touches instead of cutting the range out.
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
        if (b < ns || a > ne) keep.push([a, b]);
        else {
          ns = Math.min(ns, a);
          ne = Math.max(ne, b);
        }
      }
      keep.push([ns, ne]);
      iv = keep.sort((x, y) => x[0] - y[0]);
    } else {
      iv = iv.filter(([a, b]) => b <= s || a >= e);
    }
  }
  return iv.map(([a, b]) => [a, b - a]);
}
