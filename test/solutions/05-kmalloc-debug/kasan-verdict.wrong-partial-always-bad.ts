// Wrong: treats a partial granule (1..7) as entirely bad, whatever byte is accessed.
export default function kasan_verdict(shadow: number[], offset: number, size: number): string {
  let bad = -1;
  for (let b = offset; b < offset + size; b++) {
    if (shadow[b >> 3] !== 0) {
      bad = b;
      break;
    }
  }
  if (bad < 0) return 'ok';
  let g = bad >> 3;
  if (shadow[g] > 0 && shadow[g] < 8) g++;
  const v = shadow[g];
  if (v === 0xfc || v === 0xfe) return 'slab-out-of-bounds';
  if (v === 0xfb) return 'slab-use-after-free';
  if (v === 0xff) return 'use-after-free';
  return 'out-of-bounds';
}
