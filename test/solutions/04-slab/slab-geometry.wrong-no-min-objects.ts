// Wrong: forgets min_objects and searches from order 0.
export default function slab_geometry(object_size: number, cpus: number): [number, number] {
  const size = Math.ceil(object_size / 8) * 8;
  const fls = (x: number) => (x === 0 ? 0 : 32 - Math.clz32(x));
  const getOrder = (bytes: number) => (bytes <= 4096 ? 0 : fls(Math.ceil(bytes / 4096) - 1));
  let order = -1;
  for (let fraction = 16; fraction > 1 && order < 0; fraction /= 2) {
    for (let o = 0; o <= 3; o++) {
      const slab = 4096 << o;
      if (slab % size <= slab / fraction) {
        order = o;
        break;
      }
    }
  }
  if (order < 0) order = getOrder(size);
  void cpus;
  return [Math.floor((4096 << order) / size), 1 << order];
}
