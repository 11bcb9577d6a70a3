// Reference solution of 08-address-spaces/fault-kinds (handle_mm_fault, do_anonymous_page,
// do_fault, do_wp_page, access_error; fork's vma_needs_copy).
type Region = { name: string; pages: number; prot: string; map: 'private' | 'shared'; file: boolean };
export default function predict(q: { regions: Region[]; ops: { who: 'parent' | 'child'; op: string; region?: string; page?: number }[] }): string[] {
  // PTE state per process: '' none, 'zero' the zero page, 'ro' read-only, 'rw' writable
  const state: Record<string, Record<string, string>> = { parent: {}, child: {} };
  const cached = new Set<string>(); // file pages in the page cache
  const anonVma = new Set<string>(); // VMAs that have private anonymous pages
  const out: string[] = [];
  for (const o of q.ops) {
    if (o.op === 'fork') {
      const p = state.parent;
      const c: Record<string, string> = {};
      for (const r of q.regions) {
        if (!anonVma.has(r.name)) continue; // not copied: the child faults it in again
        for (let g = 0; g < r.pages; g++) {
          const k = `${r.name}:${g}`;
          if (!p[k]) continue;
          if (p[k] === 'rw') p[k] = 'ro';
          c[k] = p[k];
        }
      }
      state.child = c;
      continue;
    }
    const r = q.regions.find((x) => x.name === o.region)!;
    const need = o.op === 'write' ? 'w' : o.op === 'exec' ? 'x' : 'r';
    const st = state[o.who];
    const k = `${r.name}:${o.page}`;
    if (!r.prot.includes(need)) {
      // x86's access_error checks VM_EXEC only on a protection fault: an instruction fetch from
      // a not-present page of an accessible VMA is first handled like a read
      if (o.op === 'exec' && r.prot !== 'none' && !st[k]) {
        st[k] = r.file ? 'ro' : 'zero';
        if (r.file) cached.add(k);
      }
      out.push('segv');
      continue;
    }
    const cur = st[k] || '';
    const write = o.op === 'write';
    if (cur === 'rw' || (cur && !write)) {
      out.push('none');
      continue;
    }
    if (cur) {
      // a write to a read-only entry: copy-on-write, zero page replacement or write-notify
      out.push('minor');
      st[k] = 'rw';
      if (!r.file || r.map === 'private') anonVma.add(r.name);
      continue;
    }
    if (!r.file) {
      out.push('minor');
      st[k] = write ? 'rw' : 'zero';
      if (write) anonVma.add(r.name);
      continue;
    }
    out.push(cached.has(k) ? 'minor' : 'major');
    cached.add(k);
    st[k] = write ? 'rw' : 'ro';
    if (write && r.map === 'private') anonVma.add(r.name);
  }
  return out;
}
