/**
 * The SVG pictures of mmlab, in one import: the toolkit (kit.ts), the memory map, the buddy
 * free areas and free lists, and the zone watermarks. Pictures of other subsystems (slab,
 * paging) live beside these in their own files.
 *
 * Mirrors: nothing in the kernel (views of /proc/zoneinfo, /proc/buddyinfo and the page array).
 * See: lib/view/README.md.
 */
export * from './kit.js';
export { svgMemmap, coarsenMemmap, pow2AtLeast, cellKey, keyColor, keyLabel, memmapTotals, memmapBoundaries, cellPages, cellCounts } from './memmap.js';
export type { MemmapSvgOptions, MemmapColorBy, MemmapBoundary } from './memmap.js';
export { svgBuddy, svgFreeLists, buddyinfoLine, blockWidth, orderSize, shortCount, NR_ORDERS } from './buddy.js';
export type { BuddySvgOptions, FreeListsSvgOptions } from './buddy.js';
export { svgZones, watermarkLevel, gaugeScale, LEVEL_TEXT, LEVEL_COLOR } from './zones.js';
export type { ZonesSvgOptions, WatermarkLevel } from './zones.js';
