// Wrong: mprotect changes every VMA it touches as a whole instead of splitting at the range ends.
export default function predict(q: { pages: number; ops: { op: 'mprotect' | 'munmap'; page: number; count: number; prot?: string }[] }): [number, number, string][] {
  let vmas: [number, number, string][] = [[0, q.pages, 'rw-p']];
  for (const o of q.ops) {
    const s = o.page;
    const e = Math.min(q.pages, o.page + o.count);
    const next: [number, number, string][] = [];
    for (const [a, b, p] of vmas) {
      if (b <= s || a >= e) { next.push([a, b, p]); continue; }
      if (o.op === 'munmap') {
        if (a < s) next.push([a, s, p]);
        if (b > e) next.push([e, b, p]);
      } else {
        next.push([a, b, (o.prot!.includes('r') ? 'r' : '-') + (o.prot!.includes('w') ? 'w' : '-') + (o.prot!.includes('x') ? 'x' : '-') + 'p']);
      }
    }
    const merged: [number, number, string][] = [];
    for (const v of next) {
      const l = merged[merged.length - 1];
      if (l && l[1] === v[0] && l[2] === v[2]) l[1] = v[1];
      else merged.push(v);
    }
    vmas = merged;
  }
  return vmas;
}
