// Wrong: keeps the free pointer mid-object even when the object is poisoned.
export default function debug_layout(object_size: number, letters: string): [number, number, number] {
  const Z = letters.includes('Z');
  const U = letters.includes('U');
  let size = Math.ceil(object_size / 8) * 8;
  if (Z && size === object_size) size += 8;
  const offset = Math.floor(object_size / 2 / 8) * 8;
  if (U) size += 64;
  let left = 0;
  if (Z) {
    size += 16;
    left = 8;
  }
  return [size, offset, left];
}
