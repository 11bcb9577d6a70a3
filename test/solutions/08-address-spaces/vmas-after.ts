// Reference solution of 08-address-spaces/vmas-after (mprotect_fixup's split and merge, munmap).
export default function predict(q: { pages: number; ops: { op: 'mprotect' | 'munmap'; page: number; count: number; prot?: string }[] }): [number, number, string][] {
  const perms: (string | null)[] = new Array(q.pages).fill('rw-p');
  for (const o of q.ops) {
    for (let g = o.page; g < Math.min(q.pages, o.page + o.count); g++) {
      if (o.op === 'munmap') perms[g] = null;
      else perms[g] = (o.prot!.includes('r') ? 'r' : '-') + (o.prot!.includes('w') ? 'w' : '-') + (o.prot!.includes('x') ? 'x' : '-') + 'p';
    }
  }
  const out: [number, number, string][] = [];
  for (let g = 0; g < q.pages; g++) {
    const p = perms[g];
    if (p === null) continue;
    const last = out[out.length - 1];
    if (last && last[1] === g && last[2] === p) last[1] = g + 1;
    else out.push([g, g + 1, p]);
  }
  return out;
}
