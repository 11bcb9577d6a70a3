// Wrong: rounds correctly but keeps ranges that became empty.
export default function usable_pfns(table: { addr: number; size: number; type: number }[]): number[][] {
  return table.filter((e) => e.type === 1).map((e) => [Math.ceil(e.addr / 4096), Math.floor((e.addr + e.size) / 4096)]);
}
