// Wrong: every level takes 9 bits, as on x86-64 (i386 uses 10, PAE's top level 2).
export default function split(vaddr: number, levels: { name: string; shift: number; bits: number }[]): number[] {
  const out = levels.map((l) => Math.floor(vaddr / 2 ** l.shift) % 512);
  out.push(vaddr % 2 ** levels[levels.length - 1].shift);
  return out;
}
