// Wrong: ignores lowmem_reserve.
export default function first_zone(q: { highest: string; zonelist: { zone: string; free: number; low: number; lowmem_reserve: number[] }[] }): string | null {
  for (const z of q.zonelist) if (z.free > z.low) return z.zone;
  return null;
}
