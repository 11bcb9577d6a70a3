// Wrong: fork copies every page-table entry (so the child never faults on pages the parent had
// mapped), and a read of anonymous memory maps it writable right away.
type Region = { name: string; pages: number; prot: string; map: 'private' | 'shared'; file: boolean };
export default function predict(q: { regions: Region[]; ops: { who: 'parent' | 'child'; op: string; region?: string; page?: number }[] }): string[] {
  const state: Record<string, Record<string, string>> = { parent: {}, child: {} };
  const cached = new Set<string>();
  const out: string[] = [];
  for (const o of q.ops) {
    if (o.op === 'fork') {
      for (const k of Object.keys(state.parent)) if (state.parent[k] === 'rw') state.parent[k] = 'ro';
      state.child = { ...state.parent };
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
    if (cur) { out.push('minor'); st[k] = 'rw'; continue; }
    if (!r.file) { out.push('minor'); st[k] = 'rw'; continue; }
    out.push(cached.has(k) ? 'minor' : 'major');
    cached.add(k);
    st[k] = write ? 'rw' : 'ro';
  }
  return out;
}
