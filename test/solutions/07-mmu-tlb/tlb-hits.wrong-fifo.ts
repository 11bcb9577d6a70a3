// Wrong: FIFO replacement (a hit does not refresh the page's age).
export default function predict(q: { entries: number; ways: number; vpns: number[] }): string {
  const nsets = q.entries / q.ways;
  const sets: number[][] = Array.from({ length: nsets }, () => []);
  let out = '';
  for (const v of q.vpns) {
    const s = sets[v % nsets];
    if (s.includes(v)) {
      out += 'H';
      continue;
    }
    if (s.length === q.ways) s.shift();
    s.push(v);
    out += 'M';
  }
  return out;
}
