import '/work/main/repl/commands/index.js';
import { Session } from '/work/main/repl/session.js';
import { Rng } from '/work/main/lib/index.js';
import { registry } from '/work/main/repl/registry.js';
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
const s = new Session({ config: 'tiny', timeout: 100 });
const rng = new Rng(20261122);
let undoT = 0, n = 0, logMax = 0;
const per = new Map<string, number>();
for (let i = 0; i < 2000; i++) {
  const line = randomLine(rng);
  const t = performance.now(); s.exec(line); const d = performance.now() - t;
  if (line.startsWith('undo')) { undoT += d; n++; }
  logMax = Math.max(logMax, s.log.length);
}
console.log('undo total', undoT.toFixed(0), 'count', n, 'log max', logMax);
// time one replay by statement kind
const t0 = performance.now();
for (const st of s.log) { const t = performance.now(); s.execStatement(st); per.set(st.split(' ')[0], (per.get(st.split(' ')[0]) ?? 0) + performance.now() - t); }
console.log('replay-like pass', (performance.now() - t0).toFixed(0), [...per].sort((a,b)=>b[1]-a[1]).slice(0,6));
