// Wrong: a pointer keeps an object alive only when it points at its first byte.
export default function find_leaks(objects: { addr: number; size: number; words: number[] }[], roots: number[]): number[] {
  const byAddr = new Map(objects.map((o) => [o.addr, o]));
  const seen = new Set<number>();
  const work = roots.filter((r) => byAddr.has(r));
  for (const r of work) seen.add(r);
  while (work.length) {
    for (const w of byAddr.get(work.pop()!)!.words) {
      if (byAddr.has(w) && !seen.has(w)) {
        seen.add(w);
        work.push(w);
      }
    }
  }
  return objects.filter((o) => !seen.has(o.addr)).map((o) => o.addr).sort((a, b) => a - b);
}
