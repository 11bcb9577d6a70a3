// Wrong: assumes the buddy always follows the block.
export default function find_buddy(pfn: number, order: number): number {
  return pfn + (1 << order);
}
