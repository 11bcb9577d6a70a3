// Reference solution of 05-kmalloc-debug/kasan-verdict (memory_is_poisoned and
// get_shadow_bug_type, mm/kasan/generic.c and report_generic.c).
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
  let g = bad >> 3;
  if (shadow[g] > 0 && shadow[g] < 8) g++;
  const v = shadow[g];
  if (v === 0xfc || v === 0xfe) return 'slab-out-of-bounds';
  if (v === 0xfb || v === 0xfa) return 'slab-use-after-free';
  if (v === 0xff) return 'use-after-free';
  if (v < 8) return 'out-of-bounds';
  return 'unknown-crash';
}
