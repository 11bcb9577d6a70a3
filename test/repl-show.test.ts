// How the REPL prints values: kernel virtual addresses (signed-64 numbers) in the kernel's hex.
import { describe, expect, it } from 'vitest';
import { show } from '../repl/evaluate.js';
import { createSystem, GFP_KERNEL, hex } from '../lib/index.js';

describe('REPL value display', () => {
  it('prints a kernel address as the kernel spells it', () => {
    const sys = createSystem('tiny');
    const a = sys.kmalloc(100, GFP_KERNEL)!;
    expect(a).toBeLessThan(0);
    expect(show(a, false)).toBe(`${hex(a)} (kernel address)`);
    expect(show(a, false)).toMatch(/^0xffff888/);
  });
  it('leaves ordinary numbers alone', () => {
    expect(show(-5, false)).toBe('-5');
    expect(show(4096, false)).toBe('4096');
    expect(show(-(2 ** 48), false)).toBe(String(-(2 ** 48)));
  });
});
