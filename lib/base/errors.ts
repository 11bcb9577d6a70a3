/**
 * Errors of the simulator.
 *
 * Models: the two ways the kernel reacts to trouble. A broken internal invariant is a
 * `VM_BUG_ON` (include/linux/mmdebug.h): in mmlab a {@link VmBugError}, thrown by the
 * `validate` functions (the simulator's CONFIG_DEBUG_VM). A caller's mistake (double free,
 * a bad order, an unknown sysctl) is a {@link KernelError}: the message reads like the
 * kernel's own report and the operation has changed nothing.
 * Allocation failure is neither: like the kernel, allocators return `null`.
 */

/** A broken invariant inside the simulator, named like a VM_BUG_ON. */
export class VmBugError extends Error {
  /** Which invariant broke, e.g. `buddy: free block not aligned to its order`. */
  readonly invariant: string;
  constructor(invariant: string, detail?: string) {
    super(detail ? `VM_BUG_ON: ${invariant}: ${detail}` : `VM_BUG_ON: ${invariant}`);
    this.name = 'VmBugError';
    this.invariant = invariant;
  }
}

/**
 * Bad input from a caller, refused with a message in kernel terms (`errno` as the kernel
 * would return it, when there is one). The system is unchanged when this is thrown.
 */
export class KernelError extends Error {
  /** The errno name the kernel would return, e.g. `EINVAL`, `ENOMEM`, `EFAULT`. */
  readonly errno: string;
  constructor(message: string, errno = 'EINVAL') {
    super(message);
    this.name = 'KernelError';
    this.errno = errno;
  }
}

/** A configuration passed to `createSystem` that cannot describe a machine. */
export class ConfigError extends Error {
  /** The config field that is wrong, e.g. `memory` or `nodes[1].memory`. */
  readonly field: string;
  constructor(field: string, message: string) {
    super(`config.${field}: ${message}`);
    this.name = 'ConfigError';
    this.field = field;
  }
}
