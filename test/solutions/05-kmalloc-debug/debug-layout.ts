// Reference solution of 05-kmalloc-debug/debug-layout (calculate_sizes, mm/slub.c).
export default function debug_layout(object_size: number, letters: string): [number, number, number] {
  const Z = letters.includes('Z');
  const P = letters.includes('P');
  const U = letters.includes('U');
  let size = Math.ceil(object_size / 8) * 8;
  if (Z && size === object_size) size += 8; // room for the right red zone
  let offset: number;
  if (P || (Z && object_size < 8)) {
    offset = size; // the free pointer goes after the object
    size += 8;
  } else offset = Math.floor(object_size / 2 / 8) * 8;
  if (U) size += 2 * 32; // two struct track
  let left = 0;
  if (Z) {
    size += 8; // padding word
    left = 8; // left red zone, aligned to 8
    size += left;
  }
  return [Math.ceil(size / 8) * 8, offset, left];
}
