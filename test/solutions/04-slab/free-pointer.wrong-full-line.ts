// Wrong: SLAB_HWCACHE_ALIGN always aligns to a whole 64-byte line, even for small objects.
export default function layout(object_size: number, align: number, flags: { ctor?: boolean; hwcache?: boolean }): number[] {
  const up = (x: number, a: number) => Math.ceil(x / a) * a;
  if (flags.hwcache) align = Math.max(align, 64);
  align = up(Math.max(align, 8), 8);
  let size = up(object_size, 8);
  let offset: number;
  if (flags.ctor) {
    offset = size;
    size += 8;
  } else {
    offset = Math.floor(object_size / 2 / 8) * 8;
  }
  return [up(size, align), offset];
}
