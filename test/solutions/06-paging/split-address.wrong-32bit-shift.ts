// Wrong: JavaScript's >>> and & are 32-bit, so x86-64 addresses above 4 GiB lose their top bits.
export default function split(vaddr: number, levels: { name: string; shift: number; bits: number }[]): number[] {
  const out = levels.map((l) => (vaddr >>> l.shift) & ((1 << l.bits) - 1));
  out.push(vaddr & ((1 << levels[levels.length - 1].shift) - 1));
  return out;
}
