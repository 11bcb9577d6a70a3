// Wrong: ignores the sets, as if any page could use any entry (right only when ways = entries).
export default function predict(q: { entries: number; ways: number; vpns: number[] }): string {
  const s: number[] = [];
  let out = '';
  for (const v of q.vpns) {
    const i = s.indexOf(v);
    if (i >= 0) {
      s.splice(i, 1);
      out += 'H';
    } else {
      if (s.length === q.entries) s.shift();
      out += 'M';
    }
    s.push(v);
  }
  return out;
}
