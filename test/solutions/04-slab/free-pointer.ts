// Reference solution of 04-slab/free-pointer (calculate_alignment, mm/slab_common.c; calculate_sizes, mm/slub.c).
export default function layout(object_size: number, align: number, flags: { ctor?: boolean; hwcache?: boolean }): number[] {
  const up = (x: number, a: number) => Math.ceil(x / a) * a;
  if (flags.hwcache) {
    let ralign = 64;
    while (object_size <= ralign / 2) ralign /= 2;
    align = Math.max(align, ralign);
  }
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
