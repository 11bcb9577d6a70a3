// Robustness of the command dispatcher: thousands of random and malformed lines (random
// command names and arguments, bytes, unbalanced quotes, huge and negative numbers, broken
// TypeScript) never throw out of Session.exec, the session still answers, and every invariant
// of the simulated system holds afterwards.
import { describe, expect, it } from 'vitest';
import { Rng } from '../lib/index.js';
import '../repl/commands/index.js';
import { registry } from '../repl/registry.js';
import { Session } from '../repl/session.js';

const ARGS = [
  '0', '1', '2', '3', '10', '11', '-1', '-3', '99999999999999999999', '0x', '0xffff888000001000', '0x1000', '1e309',
  'NaN', 'Infinity', '4096', '0x7fffffff', '$1', '$2', '$0', '$', '$$', 'GFP_KERNEL', 'GFP_KERNEL|__GFP_ZERO',
  'GFP_ATOMIC|', '|', '__GFP_DMA|__GFP_HIGHMEM', 'GFP_BOGUS', '/proc/meminfo', '/proc/buddyinfo', '/proc/zoneinfo',
  '/proc/nope', '/proc/sys/vm/swappiness', 'vm.swappiness', 'vm.swappiness=100', 'vm.swappiness=-5',
  'vm.min_free_kbytes=1', 'vm.nope=1', '=', '-a', '-i', '-f', '-z', '-V', '-p', '-g', '-s', '-x', '-Z', '--code',
  'on', 'off', 'show', 'clear', 'tiny', 'pc-4g', 'nosuch', '{"memory":"16M"}', '{"memory":"1K"}', '{bad json',
  '"unterminated', "'half", '\\', '"a b"', 'buddy', 'memmap', 'zones', 'freelists', '0 DMA', 'reserved|head',
  '', ' ', '\t', ';', ';;', '#', 'ñ', '💥', '\u0000', '\u001b[31m', 'a'.repeat(300),
];
const TS = [
  '1 +', '(', ')', '{', '}', 'sys.', 'sys.read(', "sys.read('/proc/none')", 'sys.tick(-1)', 'sys.tick(1)',
  'throw 1', 'throw null', 'undefined', 'null', '[1,2,3].map((x: number) => x * 2)', 'const z: string = 1',
  'let q = 5', 'q++', 'sys.sysctl("vm.nope")', 'new Array(5)', 'Symbol()', '`unterminated', '/regex',
  'sys.alloc_pages(GFP_KERNEL, 2)', 'sys.alloc_pages(GFP_KERNEL, -1)', 'sys.__free_pages(0, 0)', 'sys.validate()',
];

function randomBytes(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(rng.int(0x250));
  return s;
}

function randomLine(rng: Rng): string {
  const words = registry.words().filter((w) => w !== 'quit' && w !== 'exit' && w !== 'q' && w !== 'timeout');
  const k = rng.int(10);
  if (k === 0) return randomBytes(rng, rng.int(40));
  if (k === 1) return TS[rng.int(TS.length)];
  if (k === 2) {
    // a near-miss command name
    const w = words[rng.int(words.length)];
    return w.slice(0, Math.max(1, w.length - 1)) + ' ' + ARGS[rng.int(ARGS.length)];
  }
  const parts = [words[rng.int(words.length)]];
  const n = rng.int(4);
  for (let i = 0; i < n; i++) parts.push(ARGS[rng.int(ARGS.length)]);
  let line = parts.join(rng.int(5) === 0 ? ';' : ' ');
  if (rng.int(8) === 0) line += ' ' + randomBytes(rng, 5);
  return line;
}

describe('REPL robustness', () => {
  it('survives thousands of random and malformed lines', () => {
    const session = new Session({ config: 'tiny', timeout: 100 });
    const rng = new Rng(20261122);
    const N = 2000;
    let failures = 0;
    for (let i = 0; i < N; i++) {
      const line = randomLine(rng);
      let res;
      try {
        res = session.exec(line);
      } catch (e) {
        throw new Error(`exec threw on line ${i} ${JSON.stringify(line)}: ${(e as Error).stack}`);
      }
      expect(Array.isArray(res)).toBe(true);
      for (const r of res) {
        expect(typeof r.text).toBe('string');
        if (!r.ok) {
          failures++;
          // an error is short: one line, plus the usage line for a mistyped command
          expect(r.text.split('\n').length, `error for ${JSON.stringify(line)}:\n${r.text}`).toBeLessThanOrEqual(3);
        }
      }
      if (i % 500 === 499) session.sys.validate();
    }
    expect(failures).toBeGreaterThan(N / 10); // the generator does produce bad input
    // still answering, and the machine is consistent
    expect(session.exec('6 * 7')[0].text).toBe('42');
    expect(session.exec('validate')[0].ok).toBe(true);
    session.sys.validate();
  });

  it('interrupts an endless loop and stays usable', () => {
    const session = new Session({ config: 'tiny', timeout: 100 });
    const t0 = Date.now();
    const [r] = session.exec('while (true) {}');
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(r.ok).toBe(false);
    expect(r.text).toMatch(/stopped after 100 ms/);
    expect(session.exec('1 + 2')[0].text).toBe('3');
    // an interrupted evaluation is not replayed by undo
    expect(session.log).not.toContain('while (true) {}');
  });
});
