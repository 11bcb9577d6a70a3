// Wrong: assumes 4 KiB pages for the offset (right on x86, wrong on 16 KiB / 64 KiB geometries).
export default function split(vaddr: number, levels: { name: string; shift: number; bits: number }[]): number[] {
  const out = levels.map((l) => Math.floor(vaddr / 2 ** l.shift) % 2 ** l.bits);
  out.push(vaddr % 4096);
  return out;
}
