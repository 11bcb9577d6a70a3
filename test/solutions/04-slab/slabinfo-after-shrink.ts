// Reference solution of 04-slab/slabinfo-after-shrink: objects never move; only empty slabs go back.
export default function predict(q: { objperslab: number; allocs: number; frees: number[] }): number[] {
  const freed = new Set(q.frees);
  const used = new Set<number>();
  for (let i = 0; i < q.allocs; i++) if (!freed.has(i)) used.add(Math.floor(i / q.objperslab));
  const live = q.allocs - freed.size;
  return [live, used.size * q.objperslab, used.size];
}
