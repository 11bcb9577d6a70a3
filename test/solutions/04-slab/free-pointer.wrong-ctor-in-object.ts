// Wrong: ignores the constructor; the free pointer always sits mid-object.
export default function layout(object_size: number, align: number, flags: { ctor?: boolean; hwcache?: boolean }): number[] {
  const up = (x: number, a: number) => Math.ceil(x / a) * a;
  if (flags.hwcache) {
    let ralign = 64;
    while (object_size <= ralign / 2) ralign /= 2;
    align = Math.max(align, ralign);
  }
  align = up(Math.max(align, 8), 8);
  return [up(up(object_size, 8), align), Math.floor(object_size / 2 / 8) * 8];
}
