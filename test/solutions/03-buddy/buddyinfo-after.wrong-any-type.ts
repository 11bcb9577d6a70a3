// Wrong: looks for the smallest block of any migratetype (nr_free) instead of the Movable lists.
export default function predict(q: { nr_free: number[]; movable: number[]; allocs: number[] }): number[] {
  const nr = q.nr_free.slice();
  for (const order of q.allocs) {
    let j = order;
    while (j <= 10 && nr[j] === 0) j++;
    if (j > 10) continue;
    nr[j]--;
    for (let k = order; k < j; k++) nr[k]++;
  }
  return nr;
}
