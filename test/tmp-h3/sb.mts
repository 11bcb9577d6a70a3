import { runInSandbox } from '../../lib/course/sandbox.js';
const code = `exports.default = function(a, b) { if (a === 3) while(true){} if (a===4) throw new Error('boom'); if (a===5) { for(;;) console.log('xxxxxxxxxx'); } if (a===6) return process.pid; if (a===7) {let s=[]; for(;;) s.push(new Array(1e6).fill(1));} return a + b + require('x').K; }`;
const t0 = Date.now();
const r = await runInSandbox(code, '(fn, input) => fn(...input)', 'default', [1,2,3,4,5,6,7,8].map((a) => ({ key: 'k' + a, input: [a, 10] })), { prelude: { K: 100 }, timeoutMs: 500 });
console.log(r, Date.now() - t0);
const r2 = await runInSandbox('exports.foo = 1', '(fn, input) => fn(...input)', 'default', [{ key: 'a', input: [] }]);
console.log(r2);
const r3 = await runInSandbox('process.exit(1)', '(fn, input) => fn(...input)', 'default', [{ key: 'a', input: [] }]);
console.log(r3);
