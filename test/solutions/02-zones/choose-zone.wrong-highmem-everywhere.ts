// Wrong: forgets that x86-64 has no ZONE_HIGHMEM (and i386 no DMA32), and never reports invalid masks.
export default function choose_zone(gfp: number, arch: 'x86_64' | 'i386'): string | null {
  if (gfp & 1) return 'DMA';
  if (gfp & 4) return 'DMA32';
  if (gfp & 2) return gfp & 8 ? 'Movable' : 'HighMem';
  return 'Normal';
}
