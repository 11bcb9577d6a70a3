// Wrong: counts pages that were only read as resident (they map the shared zero page, which is
// not counted in RSS and is no anonymous frame).
export default function predict(q: { pages: number; readBefore: number[]; writeBefore: number[]; after: { who: 'parent' | 'child'; page: number; write: boolean }[] }): number[] {
  const map: Record<string, Map<number, number>> = { parent: new Map(), child: new Map() };
  const users = new Map<number, number>();
  let next = 1;
  const touch = (who: string, g: number): void => {
    if (!map[who].has(g)) { map[who].set(g, next); users.set(next++, 1); }
  };
  for (const g of q.readBefore) touch('parent', g);
  for (const g of q.writeBefore) touch('parent', g);
  for (const [g, f] of map.parent) { map.child.set(g, f); users.set(f, 2); }
  for (const s of q.after) {
    const m = map[s.who];
    const f = m.get(s.page);
    if (f === undefined) { touch(s.who, s.page); continue; }
    if (!s.write || users.get(f) === 1) continue;
    users.set(f, users.get(f)! - 1);
    m.set(s.page, next);
    users.set(next++, 1);
  }
  return [map.parent.size, map.child.size, [...users.values()].filter((n) => n > 0).length];
}
