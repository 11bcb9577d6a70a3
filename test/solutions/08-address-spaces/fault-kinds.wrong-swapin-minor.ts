// Wrong: counts every fault as minor, reading a file page from disk included (the seed's claim
// that a fault needing I/O is minor).
type Region = { name: string; pages: number; prot: string; map: 'private' | 'shared'; file: boolean };
export default function predict(q: { regions: Region[]; ops: { who: 'parent' | 'child'; op: string; region?: string; page?: number }[] }): string[] {
  const state: Record<string, Record<string, string>> = { parent: {}, child: {} };
  const anonVma = new Set<string>();
  const out: string[] = [];
  for (const o of q.ops) {
    if (o.op === 'fork') {
      const c: Record<string, string> = {};
      for (const r of q.regions) {
        if (!anonVma.has(r.name)) continue;
        for (let g = 0; g < r.pages; g++) {
          const k = `${r.name}:${g}`;
          if (!state.parent[k]) continue;
          if (state.parent[k] === 'rw') state.parent[k] = 'ro';
          c[k] = state.parent[k];
        }
      }
      state.child = c;
      continue;
    }
    const r = q.regions.find((x) => x.name === o.region)!;
    const need = o.op === 'write' ? 'w' : o.op === 'exec' ? 'x' : 'r';
    if (!r.prot.includes(need)) { out.push('segv'); continue; }
    const st = state[o.who];
    const k = `${r.name}:${o.page}`;
    const cur = st[k] || '';
    const write = o.op === 'write';
    if (cur === 'rw' || (cur && !write)) { out.push('none'); continue; }
    out.push('minor');
    st[k] = write ? 'rw' : r.file ? 'ro' : 'zero';
    if (write && (!r.file || r.map === 'private')) anonVma.add(r.name);
  }
  return out;
}
