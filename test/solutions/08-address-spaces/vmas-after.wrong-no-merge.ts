// Wrong: splits VMAs but never merges neighbours that end up with the same permissions.
export default function predict(q: { pages: number; ops: { op: 'mprotect' | 'munmap'; page: number; count: number; prot?: string }[] }): [number, number, string][] {
  let vmas: [number, number, string][] = [[0, q.pages, 'rw-p']];
  for (const o of q.ops) {
    const s = o.page;
    const e = Math.min(q.pages, o.page + o.count);
    const next: [number, number, string][] = [];
    for (const [a, b, p] of vmas) {
      if (b <= s || a >= e) { next.push([a, b, p]); continue; }
      if (a < s) next.push([a, s, p]);
      if (o.op === 'mprotect') next.push([Math.max(a, s), Math.min(b, e), (o.prot!.includes('r') ? 'r' : '-') + (o.prot!.includes('w') ? 'w' : '-') + (o.prot!.includes('x') ? 'x' : '-') + 'p']);
      if (b > e) next.push([e, b, p]);
    }
    vmas = next;
  }
  return vmas;
}
