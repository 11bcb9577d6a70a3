// Wrong: takes the smallest suitable block (scattering unmovable pages) instead of the largest.
export default function pick_fallback(start_type: number, order: number, free: number[][]): number[] | null {
  const fallbacks = [[2, 1], [2, 0], [0, 1]];
  for (let o = order; o <= 10; o++) {
    for (const t of fallbacks[start_type]) if (free[o][t] > 0) return [o, t];
  }
  return null;
}
