// Reference solution of 02-zones/watermarks (__setup_per_zone_wmarks, mm/page_alloc.c).
export default function watermarks(q: { min_free_kbytes: number; watermark_scale_factor: number; zones: { node: number; zone: string; managed: number }[] }): number[][] {
  const pages_min = Math.floor(q.min_free_kbytes / 4);
  const isHigh = (z: { zone: string }) => z.zone === 'HighMem' || z.zone === 'Movable';
  const lowmem = q.zones.filter((z) => !isHigh(z)).reduce((s, z) => s + z.managed, 0);
  return q.zones.map((z) => {
    const share = Math.floor((pages_min * z.managed) / lowmem);
    const min = isHigh(z) ? Math.min(128, Math.max(32, Math.floor(z.managed / 1024))) : share;
    const gap = Math.max(Math.floor(share / 4), Math.floor((z.managed * q.watermark_scale_factor) / 10000));
    return [min, min + gap, min + 2 * gap];
  });
}
