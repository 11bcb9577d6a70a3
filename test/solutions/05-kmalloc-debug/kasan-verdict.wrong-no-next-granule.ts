// Wrong: takes the bug type from the bad byte's own shadow even when it is a partial granule.
export default function kasan_verdict(shadow: number[], offset: number, size: number): string {
  let bad = -1;
  for (let b = offset; b < offset + size; b++) {
    const v = shadow[b >> 3];
    if (v !== 0 && (v >= 0x80 || (b & 7) >= v)) {
      bad = b;
      break;
    }
  }
  if (bad < 0) return 'ok';
  const v = shadow[bad >> 3];
  if (v === 0xfc || v === 0xfe) return 'slab-out-of-bounds';
  if (v === 0xfb) return 'slab-use-after-free';
  if (v === 0xff) return 'use-after-free';
  return 'out-of-bounds';
}
