// Wrong: bit 7 is always PSE and bit 8 always global (a PTE's bit 7 is PAT; bit 8 of a
// non-present entry is Linux's PROT_NONE marker).
export default function decode(entry: string, level: string): { pfn: number; flags: string[] } {
  const lo = parseInt(entry.slice(-8), 16);
  const hi = entry.length > 8 ? parseInt(entry.slice(0, -8), 16) : 0;
  const pfn = Math.floor(lo / 4096) + (hi % 2 ** 20) * 2 ** 20;
  const names = ['present', 'rw', 'user', 'pwt', 'pcd', 'accessed', 'dirty', 'pse', 'global', 'special'];
  const flags = names.filter((_, i) => Math.floor(lo / 2 ** i) % 2 === 1);
  if (hi >= 2 ** 31) flags.push('nx');
  return { pfn, flags };
}
