/**
 * The System: one simulated machine and everything in it.
 *
 * Mirrors: the kernel as a whole; the boot order of init/main.c `start_kernel` (setup_arch →
 * memblock → paging_init/free_area_init → mm_core_init: memblock_free_all, kmem_cache_init,
 * vmalloc_init).
 * Models: the root object that owns all state — config, generator, clock, trace, counters,
 * the page array, memory content, nodes and zones, allocators, page tables, tasks — with the
 * kernel-named public API (alloc_pages, kmalloc, ...) as methods. No globals: two Systems can
 * live side by side.
 * Conventions for subsystems:
 *  - each subsystem is a module mirroring a kernel file and owns its state; the System holds
 *    one instance of it and exposes its public calls as thin methods;
 *  - views (/proc files, sysctls) are registered in `procfs` and `sysctls`;
 *  - each subsystem registers a validator (`registerValidator`); with `debug_vm` on, every
 *    mutating public call runs `validate()` afterwards (CONFIG_DEBUG_VM);
 *  - bad input throws KernelError before anything changes; allocation failure returns null.
 * See: chapter 00 (a tour of the simulator).
 */
import { Clock } from './base/clock.js';
import { VmBugError } from './base/errors.js';
import { Rng } from './base/rng.js';
import { TraceBuffer } from './base/trace.js';
import { i386Layout, X86_64_LA57_LAYOUT, X86_64_LAYOUT, type KernelLayout } from './arch/x86/page.js';
import { resolveConfig, type ResolvedConfig, type SystemConfig } from './config.js';
import { ProcFs } from './fs/procfs.js';
import { SysctlTable } from './kernel/sysctl.js';
import { PhysMem } from './mm/physmem.js';

/** A validator: throws VmBugError when its subsystem's invariants do not hold. */
export type Validator = () => void;

/** One simulated machine. Create it with {@link createSystem}. */
export class System {
  /** The validated configuration. */
  readonly config: ResolvedConfig;
  /** The seeded generator behind every random choice. */
  readonly rng: Rng;
  /** Simulated time. */
  readonly clock: Clock;
  /** Tracepoint ring buffer. */
  readonly trace: TraceBuffer;
  /** /proc and /sys files. */
  readonly procfs: ProcFs;
  /** vm.* and kernel.* tunables. */
  readonly sysctls: SysctlTable;
  /** Kernel address-space layout (direct map, vmalloc, ...). */
  layout: KernelLayout;
  /** The bytes of physical memory. */
  readonly mem: PhysMem;
  /** When true, every mutating public call runs `validate()` afterwards (CONFIG_DEBUG_VM). */
  debug_vm = false;
  private validators: { name: string; fn: Validator }[] = [];

  constructor(config: ResolvedConfig) {
    this.config = config;
    this.rng = new Rng(config.seed);
    this.clock = new Clock();
    this.trace = new TraceBuffer(this.clock, 8192, config.trace);
    this.procfs = new ProcFs();
    this.sysctls = new SysctlTable();
    const lowmem = Math.min(config.memory, 896 * 2 ** 20);
    this.layout = config.arch === 'i386' ? i386Layout(config.pae, lowmem) : config.la57 ? X86_64_LA57_LAYOUT : X86_64_LAYOUT;
    this.mem = new PhysMem(physSpan(config));
    // --- boot (owner: lib/arch/x86/boot.ts, lib/mm/memblock.ts, lib/mm/mm_init.ts) ---
  }

  /** Adds a subsystem validator, run by {@link System.validate}. */
  registerValidator(name: string, fn: Validator): void {
    this.validators.push({ name, fn });
  }

  /** Checks every subsystem's invariants; throws VmBugError naming the first broken one. */
  validate(): void {
    for (const v of this.validators) {
      try {
        v.fn();
      } catch (e) {
        if (e instanceof VmBugError) throw e;
        throw new VmBugError(`${v.name}: validator crashed`, (e as Error).message);
      }
    }
  }

  /** Runs validate() when debug_vm is on. Subsystem methods call it after mutations. */
  checkpoint(): void {
    if (this.debug_vm) this.validate();
  }

  /** The text of a /proc or /sys file, exactly as the kernel prints it. */
  read(path: string): string {
    return this.procfs.read(path);
  }

  /** Reads a sysctl (`sysctl('vm.swappiness')`) or writes one (`sysctl('vm.swappiness', 100)`). */
  sysctl(name: string, value?: number | number[] | string): number | number[] {
    if (value !== undefined) {
      this.sysctls.set(name, value);
      this.checkpoint();
    }
    return this.sysctls.get(name);
  }

  /** Advances simulated time by `n` jiffies, running timers (kswapd, writeback) as they fall due. */
  tick(n = 1): void {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`tick: ${n} is not a number of jiffies`);
    for (let i = 0; i < n; i++) {
      this.clock.tick(1);
      for (const t of this.timers) t(this.clock.jiffies);
    }
    this.checkpoint();
  }

  private timers: ((jiffies: number) => void)[] = [];
  /** Registers work to run on every jiffy (kswapd, flusher threads, kcompactd ...). */
  registerTimer(fn: (jiffies: number) => void): void {
    this.timers.push(fn);
  }
}

/** Bytes of physical address space the machine spans (RAM plus firmware holes). */
function physSpan(c: ResolvedConfig): number {
  // Holes below 4 GiB (the PCI window) push RAM above 4 GiB on x86; leave room for them.
  const hole = c.memory > 3 * 2 ** 30 ? 2 ** 30 : 0;
  return c.memory + hole;
}

/** Creates a machine from a config or a preset name ('tiny', 'pc-4g', 'i386-highmem', ...). */
export function createSystem(config: SystemConfig | string = 'pc-4g'): System {
  return new System(resolveConfig(config));
}
