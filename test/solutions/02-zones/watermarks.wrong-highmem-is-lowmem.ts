// Wrong: counts HighMem as lowmem and gives it a proportional min like the other zones.
export default function watermarks(q: { min_free_kbytes: number; watermark_scale_factor: number; zones: { node: number; zone: string; managed: number }[] }): number[][] {
  const pages_min = Math.floor(q.min_free_kbytes / 4);
  const total = q.zones.reduce((s, z) => s + z.managed, 0);
  return q.zones.map((z) => {
    const min = Math.floor((pages_min * z.managed) / total);
    const gap = Math.max(Math.floor(min / 4), Math.floor((z.managed * q.watermark_scale_factor) / 10000));
    return [min, min + gap, min + 2 * gap];
  });
}
