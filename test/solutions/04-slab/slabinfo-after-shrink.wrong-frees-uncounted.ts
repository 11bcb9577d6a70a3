// Wrong: thinks freed objects still show as active (true before the shrink, not after it).
export default function predict(q: { objperslab: number; allocs: number; frees: number[] }): number[] {
  const freed = new Set(q.frees);
  const used = new Set<number>();
  for (let i = 0; i < q.allocs; i++) if (!freed.has(i)) used.add(Math.floor(i / q.objperslab));
  return [q.allocs, used.size * q.objperslab, used.size];
}
