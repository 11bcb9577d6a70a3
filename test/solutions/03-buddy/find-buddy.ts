// Reference solution of 03-buddy/find-buddy (__find_buddy_pfn, mm/internal.h).
export default function find_buddy(pfn: number, order: number): number {
  return pfn ^ (1 << order);
}
