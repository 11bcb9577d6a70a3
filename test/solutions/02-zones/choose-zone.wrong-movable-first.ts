// Wrong: treats __GFP_MOVABLE on its own as ZONE_MOVABLE.
export default function choose_zone(gfp: number, arch: 'x86_64' | 'i386'): string | null {
  if ((gfp & 1) + ((gfp >> 1) & 1) + ((gfp >> 2) & 1) > 1) return null;
  if (gfp & 8) return 'Movable';
  if (gfp & 1) return 'DMA';
  if (gfp & 4) return arch === 'i386' ? 'Normal' : 'DMA32';
  if (gfp & 2) return arch === 'i386' ? 'HighMem' : 'Normal';
  return 'Normal';
}
