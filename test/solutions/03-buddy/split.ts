// Reference solution of 03-buddy/split (expand, mm/page_alloc.c).
export default function split(pfn: number, high: number, low: number): number[][] {
  const out: number[][] = [];
  let size = 1 << high;
  while (high > low) {
    high--;
    size >>= 1;
    out.push([pfn + size, high]);
  }
  return out;
}
