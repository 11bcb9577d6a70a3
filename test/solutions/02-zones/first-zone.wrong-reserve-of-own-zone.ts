// Wrong: looks up lowmem_reserve at the zone's own index instead of the request's highest zone.
export default function first_zone(q: { highest: string; zonelist: { zone: string; free: number; low: number; lowmem_reserve: number[] }[] }): string | null {
  const names = ['DMA', 'DMA32', 'Normal', 'HighMem', 'Movable'];
  for (const z of q.zonelist) if (z.free > z.low + z.lowmem_reserve[names.indexOf(z.zone)]) return z.zone;
  return null;
}
