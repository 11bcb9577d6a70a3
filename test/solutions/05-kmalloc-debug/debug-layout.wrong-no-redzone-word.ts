// Wrong: forgets the extra word for the right red zone when the object is already word-aligned,
// and the padding word after the metadata.
export default function debug_layout(object_size: number, letters: string): [number, number, number] {
  const Z = letters.includes('Z');
  const P = letters.includes('P');
  const U = letters.includes('U');
  let size = Math.ceil(object_size / 8) * 8;
  let offset: number;
  if (P || (Z && object_size < 8)) {
    offset = size;
    size += 8;
  } else offset = Math.floor(object_size / 2 / 8) * 8;
  if (U) size += 64;
  let left = 0;
  if (Z) {
    left = 8;
    size += left;
  }
  return [size, offset, left];
}
