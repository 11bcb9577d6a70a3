// Wrong: right blocks, but listed smallest first.
export default function split(pfn: number, high: number, low: number): number[][] {
  const out: number[][] = [];
  for (let o = low; o < high; o++) out.push([pfn + (1 << o), o]);
  return out;
}
