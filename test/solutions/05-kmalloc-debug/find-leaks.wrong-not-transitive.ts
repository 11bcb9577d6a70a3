// Wrong: only objects a root points into are referenced (no scan of reachable objects).
export default function find_leaks(objects: { addr: number; size: number; words: number[] }[], roots: number[]): number[] {
  const inside = (o: { addr: number; size: number }, p: number) => p >= o.addr && p < o.addr + o.size;
  return objects.filter((o) => !roots.some((r) => inside(o, r))).map((o) => o.addr).sort((a, b) => a - b);
}
