/**
 * The terminal pictures of mmlab, in one import (what the REPL's `show` command calls). Each
 * takes snapshots (never the System) and {@link TermOptions} (`width`, default 80; `color`,
 * default true) and returns a string whose lines are at most `width` columns.
 *
 * Mirrors: nothing in the kernel (views of /proc/zoneinfo, /proc/buddyinfo and the page array).
 * See: lib/view/README.md for the signatures and how the REPL calls them.
 */
import { termBuddy, termFreeLists } from './buddy.js';
import { termMemmap } from './memmap.js';
import { termZones } from './zones.js';

export * from './kit.js';
export { termMemmap, keyGlyph, STATE_GLYPHS, ZONE_GLYPHS, MIGRATETYPE_GLYPHS } from './memmap.js';
export type { MemmapTermOptions } from './memmap.js';
export { termBuddy, termFreeLists } from './buddy.js';
export type { BuddyTermOptions, FreeListsTermOptions } from './buddy.js';
export { termZones, zoneStatusLine, BAND_GLYPHS, LEVEL_SHORT } from './zones.js';
export type { ZonesTermOptions, StatusLineOptions } from './zones.js';

/** `show memmap`: the memory map of `inspectMemmap(sys, ...)`. Same as {@link termMemmap}. */
export const showMemmap = termMemmap;
/** `show buddy`: free blocks per order of `inspectZones(sys)`. Same as {@link termBuddy}. */
export const showBuddy = termBuddy;
/** `show freelists`: the free lists of `inspectFreeBlocks(sys, node, zoneIdx)`. Same as {@link termFreeLists}. */
export const showFreeLists = termFreeLists;
/** `show zones`: watermarks of `inspectZones(sys)`. Same as {@link termZones}. */
export const showZones = termZones;
