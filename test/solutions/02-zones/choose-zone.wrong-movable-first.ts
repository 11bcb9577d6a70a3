// Wrong: treats __GFP_MOVABLE on its own as ZONE_MOVABLE.
export default function choose_zone(gfp: number, hasHighmem: boolean): string | null {
  if ((gfp & 1) + ((gfp >> 1) & 1) + ((gfp >> 2) & 1) > 1) return null;
  if (gfp & 8) return 'Movable';
  if (gfp & 1) return 'DMA';
  if (gfp & 4) return 'DMA32';
  if (gfp & 2) return hasHighmem ? 'HighMem' : 'Normal';
  return 'Normal';
}
