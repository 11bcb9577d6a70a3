// Wrong: the free pointer at the start of the object (SLUB before 5.7 did that); ctor handled.
export default function layout(object_size: number, align: number, flags: { ctor?: boolean; hwcache?: boolean }): number[] {
  const up = (x: number, a: number) => Math.ceil(x / a) * a;
  if (flags.hwcache) {
    let ralign = 64;
    while (object_size <= ralign / 2) ralign /= 2;
    align = Math.max(align, ralign);
  }
  align = up(Math.max(align, 8), 8);
  let size = up(object_size, 8);
  let offset = 0;
  if (flags.ctor) {
    offset = size;
    size += 8;
  }
  return [up(size, align), offset];
}
