// Reference solution of 04-slab/alloc-order: a model of SLUB's cpu slab, per-slab freelists and
// the per-cpu partial list (mm/slub.c ___slab_alloc, do_slab_free, __slab_free, put_cpu_partial).
export default function predict_allocs(ops: (number | 'a')[]): number[] {
  const PER = 16;
  const free: number[][] = []; // per slab: its own freelist (a stack: last element is the head)
  const inuse: number[] = [];
  let cpuSlab = -1;
  let cpuFree: number[] = []; // the lockless cpu freelist (a stack)
  let partial: number[] = []; // the cpu partial list (index 0 is the head)
  const out: number[] = [];
  for (const op of ops) {
    if (op === 'a') {
      if (!cpuFree.length) {
        if (cpuSlab >= 0 && free[cpuSlab].length) {
          cpuFree = free[cpuSlab];
          free[cpuSlab] = [];
        } else {
          if (partial.length) cpuSlab = partial.shift()!;
          else {
            cpuSlab = free.length;
            free.push(Array.from({ length: PER }, (_, i) => cpuSlab * PER + PER - 1 - i));
            inuse.push(0);
          }
          cpuFree = free[cpuSlab];
          free[cpuSlab] = [];
          inuse[cpuSlab] = PER;
        }
      }
      out.push(cpuFree.pop()!);
    } else {
      const slab = Math.floor(op / PER);
      if (slab === cpuSlab) cpuFree.push(op);
      else {
        const wasFull = free[slab].length === 0;
        free[slab].push(op);
        inuse[slab]--;
        if (wasFull) partial = [slab, ...partial];
      }
    }
  }
  return out;
}
