// Reference solution of 06-paging/split-address (pgd_index ... pte_index, include/linux/pgtable.h).
export default function split(vaddr: number, levels: { name: string; shift: number; bits: number }[]): number[] {
  const out = levels.map((l) => Math.floor(vaddr / 2 ** l.shift) % 2 ** l.bits);
  const page = 2 ** levels[levels.length - 1].shift;
  out.push(vaddr % page);
  return out;
}
