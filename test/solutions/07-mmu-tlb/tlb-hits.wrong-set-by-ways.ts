// Wrong: picks the set with vpn mod ways instead of vpn mod (entries / ways).
export default function predict(q: { entries: number; ways: number; vpns: number[] }): string {
  const nsets = q.entries / q.ways;
  const sets: number[][] = Array.from({ length: Math.max(nsets, q.ways) }, () => []);
  let out = '';
  for (const v of q.vpns) {
    const s = sets[v % q.ways];
    const i = s.indexOf(v);
    if (i >= 0) {
      s.splice(i, 1);
      out += 'H';
    } else {
      if (s.length === q.ways) s.shift();
      out += 'M';
    }
    s.push(v);
  }
  return out;
}
