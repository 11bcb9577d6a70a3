// Wrong: rounds outward, so partial pages at both ends count as usable.
export default function usable_pfns(table: { addr: number; size: number; type: number }[]): number[][] {
  const out: number[][] = [];
  for (const e of table) {
    if (e.type !== 1) continue;
    out.push([Math.floor(e.addr / 4096), Math.ceil((e.addr + e.size) / 4096)]);
  }
  return out;
}
