/**
 * mmlab's public API: everything notebooks, the REPL, the course and tests import.
 * See ../README.md and shared DESIGN.md for the stable names.
 */
export { createSystem, System } from './system.js';
export type { Validator } from './system.js';
export { PRESETS, DEFAULT_PRESET, resolveConfig } from './config.js';
export type { SystemConfig, ResolvedConfig, NodeConfig, ResolvedNode } from './config.js';
export { VmBugError, KernelError, ConfigError } from './base/errors.js';
export { hex, parseAddr, parseSize, humanSize } from './base/format.js';
export { XorShift32, Rng } from './base/rng.js';
export { HZ, COST_NS } from './base/clock.js';
export type { TraceEvent } from './base/trace.js';
export * from './mm/gfp.js';
export { PG, PGTY, decode_page_flags, parse_page_flags } from './mm/page_flags.js';
