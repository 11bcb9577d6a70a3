// Wrong: takes every bit from 12 up as the pfn, so NX (bit 63) lands in the frame number.
export default function decode(entry: string, level: string): { pfn: number; flags: string[] } {
  const lo = parseInt(entry.slice(-8), 16);
  const hi = entry.length > 8 ? parseInt(entry.slice(0, -8), 16) : 0;
  const pfn = Math.floor(lo / 4096) + hi * 2 ** 20;
  const bit = (i: number): boolean => Math.floor(lo / 2 ** i) % 2 === 1;
  const flags: string[] = [];
  ['present', 'rw', 'user', 'pwt', 'pcd', 'accessed', 'dirty'].forEach((n, i) => { if (bit(i)) flags.push(n); });
  if (bit(7)) flags.push(level === 'pte' ? 'pat' : 'pse');
  if (bit(8)) flags.push(bit(0) ? 'global' : 'protnone');
  if (bit(9)) flags.push('special');
  if (hi >= 2 ** 31) flags.push('nx');
  return { pfn, flags };
}
