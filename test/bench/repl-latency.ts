/**
 * REPL latency benchmark (run after `npm run build`):
 *   node dist/test/bench/repl-latency.js [--preset NAME] [--runs N]
 * 1. Startup to prompt: starts the built REPL (`node dist/repl/main.js`) on a pseudo-terminal
 *    (util-linux `script`), with CI=false, and times until `mmlab>` appears; N runs, median.
 * 2. Per command: in-process, on the default machine, each command's median and worst time
 *    over N runs (mutating commands are paired with their inverse so the machine stays put).
 * Goals: startup < 700 ms, each command < 50 ms. Prints a table and a `goals: met|MISSED` line.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import '../../repl/commands/index.js';
import { Session } from '../../repl/session.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..', '..'); // dist/test/bench → repo root
const mainJs = join(root, 'dist', 'repl', 'main.js');

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : def;
}
const preset = arg('--preset', 'pc-4g');
const runs = Number(arg('--runs', '5'));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Starts the REPL on a pty and resolves with the ms until the prompt shows. */
function startupOnce(): Promise<number> {
  return new Promise((res, rej) => {
    const t0 = performance.now();
    const cmd = `stty cols 100 rows 40 2>/dev/null; env CI=false MMLAB_HISTFILE= ${JSON.stringify(process.execPath)} ${JSON.stringify(mainJs)} --preset ${preset}`;
    const child = spawn('script', ['-qfec', cmd, '/dev/null'], { stdio: ['pipe', 'pipe', 'inherit'] });
    let buf = '';
    let done = false;
    const timer = setTimeout(() => {
      if (!done) {
        child.kill('SIGKILL');
        rej(new Error(`no prompt within 20 s; output:\n${buf}`));
      }
    }, 20_000);
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      if (!done && buf.includes('mmlab>')) {
        done = true;
        const ms = performance.now() - t0;
        clearTimeout(timer);
        child.stdin.write('\x04'); // Ctrl-D on the empty line leaves
        const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.on('exit', () => {
          clearTimeout(killer);
          res(ms);
        });
      }
    });
    child.on('error', rej);
  });
}

async function main() {
  if (!existsSync(mainJs)) throw new Error(`${mainJs} is missing: run npm run build first`);
  const starts: number[] = [];
  for (let i = 0; i < runs; i++) starts.push(await startupOnce());
  const startup = median(starts);

  const t0 = performance.now();
  const s = new Session({ config: preset });
  const bootMs = performance.now() - t0;
  const cases: [string, string?][] = [
    ['kmem -i'], ['kmem -f'], ['kmem -z'], ['kmem -V'], ['kmem -g 0x2040'], ['kmem -p 4096'], ['kmem 0x1000000'],
    ['cat /proc/meminfo'], ['cat /proc/buddyinfo'], ['cat /proc/zoneinfo'], ['cat /proc/vmstat'], ['free -m'],
    ['sysctl -a'], ['alloc_pages 3', '__free_pages $H'], ['__get_free_pages 1', 'free_pages $H'], ['tick 10'],
    ['show buddy'], ['show zones'], ['show memmap'], ['help'], ['1 + 1'], ["sys.read('/proc/buddyinfo').length"],
    ['validate'],
  ];
  const rows: { cmd: string; med: number; max: number; ok: boolean }[] = [];
  for (const [cmd, undo] of cases) {
    const times: number[] = [];
    let ok = true;
    for (let i = 0; i < Math.max(runs, 5); i++) {
      const t = performance.now();
      const r = s.exec(cmd);
      times.push(performance.now() - t);
      ok &&= r.every((x) => x.ok);
      if (undo) {
        const h = [...s.handles.values()].pop();
        if (h) s.exec(undo.replace('$H', h.name));
      }
    }
    rows.push({ cmd, med: median(times), max: Math.max(...times), ok });
  }
  // undo on a session with 20 logged commands
  for (let i = 0; i < 20; i++) s.exec('tick 1');
  const tu = performance.now();
  s.exec('undo');
  rows.push({ cmd: 'undo (after 20 changes: reboot + replay)', med: performance.now() - tu, max: performance.now() - tu, ok: true });

  const worst = Math.max(...rows.filter((r) => !r.cmd.startsWith("undo")).map((r) => r.med));
  console.log(`REPL latency — preset ${preset}, ${runs} runs, node ${process.version}`);
  console.log(`startup to prompt (built JS, pty): median ${startup.toFixed(0)} ms  [${starts.map((x) => x.toFixed(0)).join(', ')}]  goal < 700 ms`);
  console.log(`createSystem('${preset}') in-process: ${bootMs.toFixed(1)} ms`);
  console.log('command'.padEnd(44) + 'median ms'.padStart(10) + 'max ms'.padStart(10));
  for (const r of rows) console.log(`${r.cmd.padEnd(44)}${r.med.toFixed(2).padStart(10)}${r.max.toFixed(2).padStart(10)}${r.ok ? '' : '  (failed)'}`);
  const met = startup < 700 && rows.filter((r) => !r.cmd.startsWith('undo')).every((r) => r.med < 50);
  console.log(`worst command median: ${worst.toFixed(2)} ms (goal < 50 ms)`);
  console.log(`goals: ${met ? 'met' : 'MISSED'}`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
