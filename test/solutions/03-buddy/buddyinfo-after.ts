// Reference solution of 03-buddy/buddyinfo-after (__rmqueue_smallest + expand on counts).
export default function predict(q: { nr_free: number[]; movable: number[]; allocs: number[] }): number[] {
  const nr = q.nr_free.slice();
  const mv = q.movable.slice();
  for (const order of q.allocs) {
    let j = order;
    while (j <= 10 && mv[j] === 0) j++;
    if (j > 10) continue;
    nr[j]--;
    mv[j]--;
    for (let k = order; k < j; k++) {
      nr[k]++;
      mv[k]++;
    }
  }
  return nr;
}
