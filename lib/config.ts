/**
 * Machine configuration: what `createSystem` accepts, its validation, and the presets.
 *
 * Mirrors: nothing in the kernel directly; it plays the part of the hardware and the kernel
 * command line (mem=, numa=fake, swap devices, CONFIG_X86_PAE, no5lvl, nokaslr).
 * Models: architecture, RAM size, NUMA nodes with sizes and a distance table, swap size,
 * number of CPUs and the seed. Each error names the field.
 * See: chapter 00 (a tour of the simulator).
 */
import { ConfigError } from './base/errors.js';
import { parseSize } from './base/format.js';

/** One NUMA node as the config gives it. */
export interface NodeConfig {
  /** Memory of this node: bytes or a size string like '8G'. */
  memory: number | string;
  /** CPUs on this node (default: the CPUs spread evenly). */
  cpus?: number;
}

/** What `createSystem` accepts. Every field is optional; defaults are the `pc-4g` preset. */
export interface SystemConfig {
  /** Preset to start from; the other fields override it. */
  preset?: string;
  /** 'x86_64' (default) or 'i386'. */
  arch?: 'x86_64' | 'i386';
  /** Total RAM: bytes or '4G', '512M', ... (split evenly over `nodes` when that is a number). */
  memory?: number | string;
  /** Number of NUMA nodes, or each node's size. */
  nodes?: number | NodeConfig[];
  /** Node distance table (SLIT); default 10 on the diagonal and 20 elsewhere. */
  distance?: number[][];
  /** Swap size: bytes or a size string; '0' for none. */
  swap?: number | string;
  /** Number of CPUs (default 2). */
  cpus?: number;
  /** Seed of every random choice (default 1). */
  seed?: number;
  /** i386 only: PAE paging (3 levels, 64-bit PTEs). */
  pae?: boolean;
  /** x86-64 only: 5-level paging (LA57). */
  la57?: boolean;
  /** Randomise the kernel text and direct-map bases (KASLR), from the seed. */
  kaslr?: boolean;
  /** Kernel command line extras, e.g. 'slub_debug=FZPU page_owner=on'. */
  cmdline?: string;
  /** Record trace events from boot on (default false; `sys.trace.enabled` toggles it). */
  trace?: boolean;
}

/** One node after validation. */
export interface ResolvedNode {
  /** Node id. */
  id: number;
  /** Bytes of RAM on this node. */
  memory: number;
  /** CPUs on this node. */
  cpus: number;
}

/** A validated configuration: every field present and checked. */
export interface ResolvedConfig {
  /** The preset this started from, or 'custom'. */
  preset: string;
  arch: 'x86_64' | 'i386';
  /** Total RAM in bytes (sum over nodes). */
  memory: number;
  nodes: ResolvedNode[];
  distance: number[][];
  /** Swap bytes (0 = none). */
  swap: number;
  cpus: number;
  seed: number;
  pae: boolean;
  la57: boolean;
  kaslr: boolean;
  cmdline: string;
  trace: boolean;
}

/** The presets, by name. `pc-4g` is the default machine. */
export const PRESETS: Readonly<Record<string, { summary: string; config: SystemConfig }>> = {
  tiny: {
    summary: 'x86-64, 16 MiB, 1 node, 1 CPU: small enough to draw every page',
    config: { arch: 'x86_64', memory: '16M', nodes: 1, cpus: 1, swap: 0 },
  },
  'pc-4g': {
    summary: 'x86-64, 4 GiB, 1 node, 2 CPUs, no swap: the default machine',
    config: { arch: 'x86_64', memory: '4G', nodes: 1, cpus: 2, swap: 0 },
  },
  'pc-4g-swap': {
    summary: 'x86-64, 4 GiB, 1 node, 2 CPUs, 8 GiB of swap (the memory-pressure machine)',
    config: { arch: 'x86_64', memory: '4G', nodes: 1, cpus: 2, swap: '8G' },
  },
  'pc-16g': {
    summary: 'x86-64, 16 GiB, 1 node, 2 CPUs',
    config: { arch: 'x86_64', memory: '16G', nodes: 1, cpus: 2, swap: 0 },
  },
  'i386-highmem': {
    summary: 'i386, 1 GiB, 3G/1G split: 896 MiB lowmem and 128 MiB ZONE_HIGHMEM',
    config: { arch: 'i386', memory: '1G', nodes: 1, cpus: 1, swap: 0 },
  },
  'i386-pae': {
    summary: 'i386 with PAE, 4 GiB: 3-level paging, 896 MiB lowmem, the rest highmem',
    config: { arch: 'i386', memory: '4G', nodes: 1, cpus: 2, swap: 0, pae: true },
  },
  'numa-2x8g': {
    summary: 'x86-64, 2 nodes of 8 GiB, 4 CPUs, distances 10/20',
    config: { arch: 'x86_64', memory: '16G', nodes: 2, cpus: 4, swap: 0 },
  },
  'numa-8x128g': {
    summary: 'x86-64, 1 TiB in 8 nodes of 128 GiB, 16 CPUs (the terabyte machine)',
    config: { arch: 'x86_64', memory: '1T', nodes: 8, cpus: 16, swap: 0 },
  },
};

/** The default preset's name. */
export const DEFAULT_PRESET = 'pc-4g';

const KNOWN_FIELDS = new Set([
  'preset', 'arch', 'memory', 'nodes', 'distance', 'swap', 'cpus', 'seed', 'pae', 'la57', 'kaslr', 'cmdline', 'trace',
]);

const MIN_NODE = 4 << 20; // one MAX_ORDER block; nodes are whole 4 MiB blocks

/**
 * Validates a config (or a preset name) and fills in defaults. Throws a {@link ConfigError}
 * naming the first bad field.
 */
export function resolveConfig(input: SystemConfig | string = DEFAULT_PRESET): ResolvedConfig {
  const given: SystemConfig = typeof input === 'string' ? { preset: input } : { ...input };
  if (typeof given !== 'object' || given === null) throw new ConfigError('(root)', 'expected an object or a preset name');
  for (const k of Object.keys(given)) {
    if (!KNOWN_FIELDS.has(k)) throw new ConfigError(k, `unknown field (known: ${[...KNOWN_FIELDS].join(', ')})`);
  }
  const presetName = given.preset ?? DEFAULT_PRESET;
  const preset = PRESETS[presetName];
  if (!preset) throw new ConfigError('preset', `unknown preset '${presetName}' (presets: ${Object.keys(PRESETS).join(', ')})`);
  // Fields given by the caller override the preset; 'memory' given alone re-derives the nodes.
  const base: SystemConfig = { ...preset.config };
  if (given.memory !== undefined && given.nodes === undefined && typeof base.nodes !== 'number') base.nodes = 1;
  const c: SystemConfig = { ...base, ...given };

  const arch = c.arch ?? 'x86_64';
  if (arch !== 'x86_64' && arch !== 'i386') throw new ConfigError('arch', `'${String(arch)}' is not an architecture (x86_64 or i386)`);

  const cpus = c.cpus ?? 2;
  if (!Number.isInteger(cpus) || cpus < 1 || cpus > 256) throw new ConfigError('cpus', `${cpus} is not a CPU count (1..256)`);

  const seed = c.seed ?? 1;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new ConfigError('seed', `${seed} is not a 32-bit unsigned integer`);

  let nodes: ResolvedNode[];
  const nodesIn = c.nodes ?? 1;
  if (typeof nodesIn === 'number') {
    if (!Number.isInteger(nodesIn) || nodesIn < 1 || nodesIn > 64) throw new ConfigError('nodes', `${nodesIn} is not a node count (1..64)`);
    const total = parseSize(c.memory ?? '4G');
    if (total === null) throw new ConfigError('memory', `'${c.memory}' is not a size (bytes, or like '4G', '512M')`);
    const per = Math.floor(total / nodesIn / MIN_NODE) * MIN_NODE;
    if (per < MIN_NODE) throw new ConfigError('memory', `${total} bytes over ${nodesIn} node(s) leaves less than 4 MiB per node`);
    nodes = Array.from({ length: nodesIn }, (_, id) => ({ id, memory: per, cpus: 0 }));
  } else if (Array.isArray(nodesIn)) {
    if (nodesIn.length < 1 || nodesIn.length > 64) throw new ConfigError('nodes', `${nodesIn.length} nodes: expected 1..64`);
    nodes = nodesIn.map((n, id) => {
      const m = parseSize(n?.memory as number | string);
      if (m === null) throw new ConfigError(`nodes[${id}].memory`, `'${n?.memory}' is not a size`);
      if (m < MIN_NODE || m % MIN_NODE) throw new ConfigError(`nodes[${id}].memory`, `${m} bytes: a node needs a multiple of 4 MiB, at least 4 MiB`);
      if (n.cpus !== undefined && (!Number.isInteger(n.cpus) || n.cpus < 0)) throw new ConfigError(`nodes[${id}].cpus`, `${n.cpus} is not a CPU count`);
      return { id, memory: m, cpus: n.cpus ?? 0 };
    });
    if (given.memory !== undefined) {
      const total = parseSize(given.memory);
      const sum = nodes.reduce((s, n) => s + n.memory, 0);
      if (total !== sum) throw new ConfigError('memory', `${given.memory} does not equal the sum of the nodes' memory (${sum} bytes)`);
    }
  } else {
    throw new ConfigError('nodes', 'expected a node count or an array of { memory }');
  }
  // Spread CPUs not assigned explicitly.
  const assigned = nodes.reduce((s, n) => s + n.cpus, 0);
  if (assigned > cpus) throw new ConfigError('cpus', `nodes assign ${assigned} CPUs but cpus is ${cpus}`);
  if (assigned === 0) nodes.forEach((n, i) => (n.cpus = Math.floor(cpus / nodes.length) + (i < cpus % nodes.length ? 1 : 0)));
  const memory = nodes.reduce((s, n) => s + n.memory, 0);

  if (arch === 'i386') {
    if (nodes.length > 1) throw new ConfigError('nodes', 'i386 machines have one node in mmlab');
    const limit = c.pae ? 64 * 2 ** 30 : 4 * 2 ** 30;
    if (memory > limit) throw new ConfigError('memory', `${memory} bytes is more than i386 ${c.pae ? 'with PAE (64 GiB)' : 'without PAE (4 GiB)'} can address`);
    if (c.la57) throw new ConfigError('la57', '5-level paging is x86-64 only');
  } else {
    if (c.pae) throw new ConfigError('pae', 'PAE is an i386 option (x86-64 always uses 64-bit entries)');
    if (memory > 64 * 2 ** 40) throw new ConfigError('memory', `${memory} bytes is more than the 64 TiB direct map of 4-level x86-64`);
  }

  const n = nodes.length;
  let distance: number[][];
  if (c.distance !== undefined) {
    const d = c.distance;
    if (!Array.isArray(d) || d.length !== n || d.some((r) => !Array.isArray(r) || r.length !== n)) {
      throw new ConfigError('distance', `expected a ${n}x${n} table`);
    }
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const v = d[i][j];
        if (!Number.isInteger(v) || v < 10 || v > 254) throw new ConfigError(`distance[${i}][${j}]`, `${v} is not a SLIT distance (10..254)`);
        if (i === j && v !== 10) throw new ConfigError(`distance[${i}][${j}]`, 'a node is at distance 10 (LOCAL_DISTANCE) from itself');
        if (i !== j && v === 10) throw new ConfigError(`distance[${i}][${j}]`, 'distance 10 is only for a node to itself');
      }
    }
    distance = d.map((r) => [...r]);
  } else {
    distance = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 10 : 20)));
  }

  const swap = parseSize(c.swap ?? 0);
  if (swap === null) throw new ConfigError('swap', `'${c.swap}' is not a size`);
  if (swap % 4096) throw new ConfigError('swap', `${swap} bytes is not a whole number of pages`);

  const cmdline = c.cmdline ?? '';
  if (typeof cmdline !== 'string') throw new ConfigError('cmdline', 'expected a string');

  return {
    preset: typeof input === 'string' ? input : (input.preset ?? 'custom'),
    arch,
    memory,
    nodes,
    distance,
    swap,
    cpus,
    seed,
    pae: !!c.pae,
    la57: !!c.la57,
    kaslr: !!c.kaslr,
    cmdline,
    trace: !!c.trace,
  };
}
