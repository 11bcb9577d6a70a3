// Reference solution of 03-buddy/fallback-order (__rmqueue_claim + find_suitable_fallback, fallbacks[]).
export default function pick_fallback(start_type: number, order: number, free: number[][]): number[] | null {
  const fallbacks = [[2, 1], [2, 0], [0, 1]];
  for (let o = 10; o >= order; o--) {
    for (const t of fallbacks[start_type]) if (free[o][t] > 0) return [o, t];
  }
  return null;
}
