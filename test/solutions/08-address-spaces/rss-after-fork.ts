// Reference solution of 08-address-spaces/rss-after-fork (copy-on-write: do_wp_page's reuse or copy).
export default function predict(q: { pages: number; readBefore: number[]; writeBefore: number[]; after: { who: 'parent' | 'child'; page: number; write: boolean }[] }): number[] {
  // per process: page -> frame id (0 = zero page); frames: id -> number of processes mapping it
  const map: Record<string, Map<number, number>> = { parent: new Map(), child: new Map() };
  const users = new Map<number, number>();
  let next = 1;
  const written = new Set<number>();
  for (const g of q.readBefore) if (!map.parent.has(g)) map.parent.set(g, 0);
  for (const g of q.writeBefore) {
    if (!map.parent.get(g)) {
      map.parent.set(g, next);
      users.set(next++, 1);
    }
    written.add(g);
  }
  // fork copies the page tables only if the VMA has anonymous pages (else the child starts empty)
  if (written.size) for (const [g, f] of map.parent) { map.child.set(g, f); if (f) users.set(f, (users.get(f) ?? 0) + 1); }
  for (const s of q.after) {
    const m = map[s.who];
    const f = m.get(s.page);
    if (!s.write) {
      if (f === undefined) m.set(s.page, 0);
      continue;
    }
    if (f && users.get(f) === 1) continue; // sole owner: reuse in place
    if (f) users.set(f, users.get(f)! - 1);
    m.set(s.page, next);
    users.set(next++, 1);
  }
  const rss = (m: Map<number, number>): number => [...m.values()].filter((f) => f !== 0).length;
  return [rss(map.parent), rss(map.child), [...users.values()].filter((n) => n > 0).length];
}
