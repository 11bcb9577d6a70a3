// Wrong: freed objects are reused first-in first-out (a queue), not LIFO.
export default function predict_allocs(ops: (number | 'a')[]): number[] {
  const PER = 16;
  const queue: number[] = [];
  let next = 0;
  const out: number[] = [];
  for (const op of ops) {
    if (op === 'a') {
      if (queue.length) out.push(queue.shift()!);
      else out.push(next++);
    } else queue.push(op);
  }
  void PER;
  return out;
}
