// Reference solution of 01-boot/usable-pfns (e820__memblock_setup + whole pages only).
export default function usable_pfns(table: { addr: number; size: number; type: number }[]): number[][] {
  const out: number[][] = [];
  for (const e of table) {
    if (e.type !== 1) continue;
    const start = Math.ceil(e.addr / 4096);
    const end = Math.floor((e.addr + e.size) / 4096);
    if (end > start) out.push([start, end]);
  }
  return out;
}
