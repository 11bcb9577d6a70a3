// Wrong: the shrink gives nothing back; every slab ever created stays.
export default function predict(q: { objperslab: number; allocs: number; frees: number[] }): number[] {
  const slabs = Math.ceil(q.allocs / q.objperslab);
  return [q.allocs - new Set(q.frees).size, slabs * q.objperslab, slabs];
}
