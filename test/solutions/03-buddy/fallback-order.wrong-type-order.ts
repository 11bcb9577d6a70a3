// Wrong: right search direction, but tries the other types in numeric order.
export default function pick_fallback(start_type: number, order: number, free: number[][]): number[] | null {
  for (let o = 10; o >= order; o--) {
    for (let t = 0; t < 3; t++) if (t !== start_type && free[o][t] > 0) return [o, t];
  }
  return null;
}
