// Reference solution of 05-kmalloc-debug/find-leaks (kmemleak_scan: roots, then the gray list).
export default function find_leaks(objects: { addr: number; size: number; words: number[] }[], roots: number[]): number[] {
  const sorted = [...objects].sort((a, b) => a.addr - b.addr);
  const lookup = (p: number) => {
    let lo = 0;
    let hi = sorted.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const o = sorted[mid];
      if (p < o.addr) hi = mid - 1;
      else if (p >= o.addr + o.size) lo = mid + 1;
      else return o;
    }
    return null;
  };
  const seen = new Set<number>();
  const work: { addr: number; size: number; words: number[] }[] = [];
  const mark = (p: number) => {
    const o = lookup(p);
    if (o && !seen.has(o.addr)) {
      seen.add(o.addr);
      work.push(o);
    }
  };
  roots.forEach(mark);
  while (work.length) work.pop()!.words.forEach(mark);
  return objects.filter((o) => !seen.has(o.addr)).map((o) => o.addr).sort((a, b) => a - b);
}
