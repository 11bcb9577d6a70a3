// Wrong: large sizes rounded up to whole pages, as if the page allocator took any page count.
export default function kmalloc_cache(size: number): [string, number] {
  if (size > 8192) {
    const pages = Math.ceil(size / 4096);
    return [`order-${Math.ceil(Math.log2(pages))}`, pages * 4096 - size];
  }
  const table = [3, 4, 5, 5, 6, 6, 6, 6, 1, 1, 1, 1, 7, 7, 7, 7, 2, 2, 2, 2, 2, 2, 2, 2];
  const index = size <= 192 ? table[(size - 1) >> 3] : 32 - Math.clz32(size - 1);
  const slot = index === 1 ? 96 : index === 2 ? 192 : 1 << index;
  const name = slot >= 1024 ? `${slot / 1024}k` : String(slot);
  return [`kmalloc-${name}`, slot - size];
}
