// Reference solution of 02-zones/choose-zone (gfp_zone, include/linux/gfp.h GFP_ZONE_TABLE).
import { __GFP_DMA, __GFP_DMA32, __GFP_HIGHMEM, __GFP_MOVABLE } from '../../../lib/index.js';

export default function choose_zone(gfp: number, arch: 'x86_64' | 'i386'): string | null {
  const dma = (gfp & __GFP_DMA) !== 0;
  const dma32 = (gfp & __GFP_DMA32) !== 0;
  const high = (gfp & __GFP_HIGHMEM) !== 0;
  if (Number(dma) + Number(dma32) + Number(high) > 1) return null;
  if (dma) return 'DMA';
  if (dma32) return arch === 'i386' ? 'Normal' : 'DMA32';
  if (high) {
    if (gfp & __GFP_MOVABLE) return 'Movable';
    return arch === 'i386' ? 'HighMem' : 'Normal';
  }
  return 'Normal';
}
