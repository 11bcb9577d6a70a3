/**
 * Formatting and parsing helpers shared by every view: addresses, sizes, kernel-style
 * column padding.
 *
 * Addresses: the simulator represents every address as a JavaScript number. User and
 * physical addresses are plain non-negative integers. x86-64 kernel virtual addresses
 * (0xffff8880_00000000 and up) do not fit in a double, so they are stored as the signed
 * 64-bit value of the same bits (two's complement): 0xffff888000000000 is
 * -0x778000000000. Every canonical 4-level address is then exact. {@link hex} prints the
 * kernel's spelling and {@link parseAddr} reads it back.
 */

const TWO64 = 1n << 64n;

/** Formats an address (signed-64 representation) as the kernel prints it: 0x + lowercase hex. */
export function hex(addr: number, width = 0): string {
  let s: string;
  if (addr < 0) s = (TWO64 + BigInt(addr)).toString(16);
  else s = addr.toString(16);
  return '0x' + (width ? s.padStart(width, '0') : s);
}

/**
 * Why `addr` cannot be trusted as an address, or null when it can: an integer beyond ±2^53 may
 * have lost its low bits (a hex literal of a kernel address such as 0xffff888100000040 becomes
 * a multiple of 2048). Kernel addresses are held as the signed value of their 64 bits, which is
 * exact.
 */
export function inexactAddress(addr: number): string | null {
  if (!Number.isFinite(addr) || Number.isSafeInteger(addr) || !Number.isInteger(addr)) return null;
  return `${hex(addr)} is beyond 2^53: a JavaScript number keeps 53 bits, so a hex literal of a ` +
    "kernel address may already be rounded; write it as a string or a BigInt, parseAddr('0xffff…') " +
    'or kaddr(0xffff…n), or use a $N handle';
}

/** Like {@link hex} without the 0x prefix, zero-padded to `width` digits (default 16). */
export function hexDigits(addr: number, width = 16): string {
  return hex(addr, width).slice(2);
}

/**
 * Parses an address written in C or hex (`0xffff888000001000`, `4096`, `0x1000`) into the
 * signed-64 representation. Throws a RangeError naming the text when it is not an address.
 */
export function parseAddr(text: string | number | bigint): number {
  if (typeof text === 'number') {
    if (!Number.isFinite(text) || !Number.isInteger(text)) throw new RangeError(`not an address: ${text}`);
    // A double at or above 2^63 can only have come from a hex literal of a kernel address.
    return text >= 2 ** 63 ? Number(BigInt(text) - TWO64) : text;
  }
  let b: bigint;
  if (typeof text === 'bigint') b = text;
  else {
    const t = text.trim().replace(/_/g, '');
    if (!/^(0x[0-9a-f]+|[0-9]+)$/i.test(t)) throw new RangeError(`not an address: '${text}'`);
    b = BigInt(t);
  }
  if (b < 0n || b >= TWO64) throw new RangeError(`address out of 64-bit range: ${text}`);
  if (b >= 1n << 63n) b -= TWO64;
  return Number(b);
}

const UNITS: Record<string, number> = { '': 1, B: 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

/**
 * Parses a size: a number of bytes, or a string like `'4G'`, `'512M'`, `'16KiB'`, `'1T'`.
 * Returns null when the text is not a size.
 */
export function parseSize(v: number | string): number | null {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? v : null;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?\s*$/i.exec(v);
  if (!m) return null;
  const n = Number(m[1]) * UNITS[m[2].toUpperCase()];
  return Number.isSafeInteger(n) ? n : null;
}

/** Formats a byte count for people: `4.0 GiB`, `512 KiB`, `96 B`. */
export function humanSize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = bytes;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${v} B` : `${v % 1 === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

/** Right-aligns `v` in a field of `w` characters (C's `%*d`). */
export function padL(v: string | number, w: number): string {
  return String(v).padStart(w);
}

/** Left-aligns `v` in a field of `w` characters (C's `%-*s`). */
export function padR(v: string | number, w: number): string {
  return String(v).padEnd(w);
}
