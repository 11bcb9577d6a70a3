// Wrong: counts each range's tables separately, so ranges that share a table count it twice.
export default function count(q: { paging: string; levels: { name: string; shift: number; bits: number }[]; ranges: [number, number][] }): number {
  let n = 0;
  for (const [start, pages] of q.ranges) {
    for (let d = 1; d < q.levels.length; d++) {
      const span = 2 ** q.levels[d - 1].shift;
      n += Math.floor((start + pages * 4096 - 1) / span) - Math.floor(start / span) + 1;
    }
  }
  return n;
}
