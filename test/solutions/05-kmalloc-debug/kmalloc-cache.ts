// Reference solution of 05-kmalloc-debug/kmalloc-cache (kmalloc_slab + kmalloc_size_index, mm/slab_common.c).
export default function kmalloc_cache(size: number): [string, number] {
  if (size > 8192) {
    let order = 0;
    while (4096 << order < size) order++;
    return [`order-${order}`, (4096 << order) - size];
  }
  const table = [3, 4, 5, 5, 6, 6, 6, 6, 1, 1, 1, 1, 7, 7, 7, 7, 2, 2, 2, 2, 2, 2, 2, 2];
  const index = size <= 192 ? table[(size - 1) >> 3] : 32 - Math.clz32(size - 1);
  const slot = index === 1 ? 96 : index === 2 ? 192 : 1 << index;
  const name = slot >= 1024 ? `${slot / 1024}k` : String(slot);
  return [`kmalloc-${name}`, slot - size];
}
