// Wrong: a freed object is reused at once whatever slab it is in (one global LIFO free list).
export default function predict_allocs(ops: (number | 'a')[]): number[] {
  const stack: number[] = [];
  let next = 0;
  const out: number[] = [];
  for (const op of ops) {
    if (op === 'a') out.push(stack.length ? stack.pop()! : next++);
    else stack.push(op);
  }
  return out;
}
