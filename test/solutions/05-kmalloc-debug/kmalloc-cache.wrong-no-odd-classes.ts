// Wrong: only powers of two (no kmalloc-96 and kmalloc-192).
export default function kmalloc_cache(size: number): [string, number] {
  if (size > 8192) {
    let order = 0;
    while (4096 << order < size) order++;
    return [`order-${order}`, (4096 << order) - size];
  }
  let slot = 8;
  while (slot < size) slot *= 2;
  const name = slot >= 1024 ? `${slot / 1024}k` : String(slot);
  return [`kmalloc-${name}`, slot - size];
}
