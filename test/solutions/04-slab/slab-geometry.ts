// Reference solution of 04-slab/slab-geometry (calculate_order / calc_slab_order, mm/slub.c).
export default function slab_geometry(object_size: number, cpus: number): [number, number] {
  const size = Math.ceil(object_size / 8) * 8;
  const fls = (x: number) => (x === 0 ? 0 : 32 - Math.clz32(x));
  const getOrder = (bytes: number) => (bytes <= 4096 ? 0 : fls(Math.ceil(bytes / 4096) - 1));
  const maxOrder = 3;
  const maxObjects = Math.max(Math.floor((4096 << maxOrder) / size), 1);
  const minObjects = Math.min(4 * (fls(cpus) + 1), maxObjects);
  const minOrder = getOrder(minObjects * size);
  let order = -1;
  for (let fraction = 16; fraction > 1 && order < 0; fraction /= 2) {
    for (let o = minOrder; o <= maxOrder; o++) {
      const slab = 4096 << o;
      if (slab % size <= slab / fraction) {
        order = o;
        break;
      }
    }
  }
  if (order < 0) order = getOrder(size);
  return [Math.floor((4096 << order) / size), 1 << order];
}
