// Wrong: forgets that x86-64 has no ZONE_HIGHMEM, and never reports invalid masks.
export default function choose_zone(gfp: number, hasHighmem: boolean): string | null {
  if (gfp & 1) return 'DMA';
  if (gfp & 4) return 'DMA32';
  if (gfp & 2) return gfp & 8 ? 'Movable' : 'HighMem';
  return 'Normal';
}
