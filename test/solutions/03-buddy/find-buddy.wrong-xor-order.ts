// Wrong: flips bit 0 (xor with the order itself) instead of bit `order`.
export default function find_buddy(pfn: number, order: number): number {
  return pfn ^ (order || 1);
}
