// Wrong: gives back the lower halves and keeps the top of the block.
export default function split(pfn: number, high: number, low: number): number[][] {
  const out: number[][] = [];
  let size = 1 << high;
  let base = pfn;
  while (high > low) {
    high--;
    size >>= 1;
    out.push([base, high]);
    base += size;
  }
  return out;
}
