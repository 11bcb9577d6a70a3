// Reference solution of 06-paging/decode-entry (_PAGE_* bits, pte_pfn; arch/x86/include/asm/pgtable_types.h).
export default function decode(entry: string, level: string): { pfn: number; flags: string[] } {
  const lo = parseInt(entry.slice(-8), 16);
  const hi = entry.length > 8 ? parseInt(entry.slice(0, -8), 16) : 0;
  const pfn = Math.floor(lo / 4096) + (hi % 2 ** 20) * 2 ** 20;
  const bit = (i: number): boolean => Math.floor(lo / 2 ** i) % 2 === 1;
  const present = bit(0);
  const flags: string[] = [];
  const names = ['present', 'rw', 'user', 'pwt', 'pcd', 'accessed', 'dirty'];
  names.forEach((n, i) => { if (bit(i)) flags.push(n); });
  if (bit(7)) flags.push(level === 'pte' ? 'pat' : 'pse');
  if (bit(8)) flags.push(present ? 'global' : 'protnone');
  if (bit(9)) flags.push('special');
  if (hi >= 2 ** 31) flags.push('nx');
  return { pfn, flags };
}
