// Wrong: treats fork as copying the memory (each process its own frames from the start).
export default function predict(q: { pages: number; readBefore: number[]; writeBefore: number[]; after: { who: 'parent' | 'child'; page: number; write: boolean }[] }): number[] {
  const p = new Set(q.writeBefore);
  const c = new Set(q.writeBefore);
  for (const s of q.after) if (s.write) (s.who === 'parent' ? p : c).add(s.page);
  return [p.size, c.size, p.size + c.size];
}
