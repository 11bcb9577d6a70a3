// Reference solution of 02-zones/first-zone (get_page_from_freelist fast path, zone_watermark_fast).
export default function first_zone(q: { highest: string; zonelist: { zone: string; free: number; low: number; lowmem_reserve: number[] }[] }): string | null {
  const idx = ['DMA', 'DMA32', 'Normal', 'HighMem', 'Movable'].indexOf(q.highest);
  for (const z of q.zonelist) {
    if (z.free > z.low + z.lowmem_reserve[idx]) return z.zone;
  }
  return null;
}
